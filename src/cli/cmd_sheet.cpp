// tgt sheet: one quota sheet per rep (store, dealer…) in a folder, written all or nothing.

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "commands.hpp"
#include "tgt/progress.hpp"
#include "tgt/sheet.hpp"

namespace tgt::cli {

void setup_sheet(CLI::App& app, SheetOptions& o) {
    app.add_option("plan", o.plan, "Plan file (JSON)")->required();
    app.add_option("--level", o.level, "The level to write sheets for (default: the last split before time)");
    app.add_option("--who", o.who, "Only these members: LEVEL=ID or ID (repeatable)");
    app.add_option("--format", o.format, "html (default), xlsx, csv or markdown")
        ->check(CLI::IsMember({"html", "xlsx", "csv", "markdown"}));
    app.add_flag("--single-file", o.single_file, "xlsx: one workbook (sheets.xlsx) with a worksheet per member");
    app.add_option("-o,--output", o.output, "The folder for the sheets (created if missing)")->required();
    app.add_option("--actuals", o.actuals,
                   "With --as-of: progress on each sheet from these actuals (CSV, TSV or NDJSON; - for stdin)");
    app.add_option("--as-of", o.as_of, "The date progress is measured to (YYYY-MM-DD), with --actuals");
    app.add_option("--metric", o.metric,
                   "With --actuals: the metric or activity to track (default: the plan's first metric)");
    add_actuals_flags(app, o.actuals_flags);
}

namespace {

// A member id as a file name: path separators and a leading dot would put it elsewhere.
std::string file_name(const std::string& id) {
    std::string out;
    for (char c : id)
        out += (c == '/' || c == '\\' || c == '\0') ? '_' : c;
    if (out.empty() || out[0] == '.') out = "_" + out;
    return out;
}

}  // namespace

int run_sheet(const SheetOptions& o, const Io& io) {
    std::string level = o.level;
    std::vector<std::string> who;
    for (const auto& w : split_commas(o.who)) {
        auto eq = w.find('=');
        if (eq != std::string::npos) {
            std::string named = w.substr(0, eq);
            if (!level.empty() && named != level)
                throw Error::usage(fmt::format("--who {}: sheets are for one level ({})", w, level));
            level = named;
            who.push_back(w.substr(eq + 1));
        } else {
            who.push_back(w);
        }
    }
    Plan plan = read_plan(o.plan);
    print_diagnostics(io, plan.warnings);
    if (level.empty()) level = default_sheet_level(plan);
    Decomposition decomposition(plan);
    Sheets sheets = quota_sheets(decomposition, level, who);
    if (o.actuals.empty() != o.as_of.empty())
        throw Error::usage("--actuals and --as-of go together", "e.g. --actuals sales.csv --as-of 2027-06-30");
    if (!o.actuals.empty()) {
        ProgressRequest request;
        request.by = {level};
        request.as_of = parse_as_of(o.as_of);
        request.metric = o.metric;
        request.actuals = o.actuals;
        request.options = actuals_options(o.actuals_flags);
        request.threads = thread_count(o.actuals_flags);
        for (const auto& step : plan.steps)  // months where the plan's time levels give them
            if (step.kind == Step::Kind::time && (step.time == TimeLevel::month || step.time == TimeLevel::day))
                request.grid = TimeLevel::month;
        ProgressReport report = progress(decomposition, request, stdin);
        print_diagnostics(io, actuals_notes(report.actuals, report.after_as_of, o.as_of));
        add_progress(sheets, report, o.as_of);
    }

    namespace fs = std::filesystem;
    std::error_code ec;
    fs::create_directories(o.output, ec);
    if (ec || !fs::is_directory(o.output))
        throw Error::io(o.output, fmt::format("cannot write sheets there: {}", ec ? ec.message() : "not a folder"));
    const std::string format = o.format.empty() ? "html" : o.format;
    const std::string ext = format == "markdown" ? "md" : format;
    if (format == "xlsx" && !xlsx_available())
        throw Error::usage("--format xlsx: this tgt was built without libxlsxwriter",
                           "apt-get install libxlsxwriter-dev, then rebuild");
    if (o.single_file && format != "xlsx") throw Error::usage("--single-file is for --format xlsx");

    // Every sheet goes to a temporary file first; only when all are written are they renamed into
    // place, so a failed run leaves the folder as it was (a re-run replaces the sheets).
    std::vector<std::pair<fs::path, fs::path>> written;
    auto clean = [&] {
        for (const auto& [temp, target] : written)
            fs::remove(temp, ec);
    };
    try {
        if (format == "xlsx" && o.single_file) {
            fs::path target = fs::path(o.output) / "sheets.xlsx";
            fs::path temp = fs::path(o.output) / ".sheets.xlsx.tmp";
            written.emplace_back(temp, target);
            std::vector<const QuotaSheet*> all;
            for (const auto& sheet : sheets.sheets)
                all.push_back(&sheet);
            write_xlsx(temp.string(), sheets, all);
        }
        for (const auto& sheet : sheets.sheets) {
            if (format == "xlsx" && o.single_file) break;
            fs::path target = fs::path(o.output) / (file_name(sheet.id) + "." + ext);
            fs::path temp = fs::path(o.output) / ("." + file_name(sheet.id) + "." + ext + ".tmp");
            written.emplace_back(temp, target);
            if (format == "xlsx") {
                write_xlsx(temp.string(), sheets, {&sheet});
                continue;
            }
            std::string text = format == "html"  ? sheet_html(sheets, sheet)
                               : format == "csv" ? sheet_csv(sheets, sheet)
                                                 : sheet_markdown(sheets, sheet);
            std::ofstream out(temp, std::ios::binary | std::ios::trunc);
            out.write(text.data(), static_cast<std::streamsize>(text.size()));
            out.close();
            if (!out) throw Error::io(temp.string(), fmt::format("cannot write: {}", std::strerror(errno)));
        }
        // Nothing is renamed until every target is known to take a file.
        for (const auto& [temp, target] : written)
            if (fs::exists(target) && !fs::is_regular_file(target))
                throw Error::io(target.string(), "cannot write: a folder or special file has that name");
        for (const auto& [temp, target] : written) {
            fs::rename(temp, target, ec);
            if (ec) throw Error::io(target.string(), fmt::format("cannot write: {}", ec.message()));
        }
    } catch (...) {
        clean();
        throw;
    }
    fmt::print(io.err, "tgt: wrote {} {} sheet(s) for {} to {}\n", sheets.sheets.size(), format, level, o.output);
    return exit_ok;
}

}  // namespace tgt::cli
