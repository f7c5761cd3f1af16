// tgt sheet: one quota sheet per rep (store, dealer…) in a folder, written all or nothing.

#include <fmt/format.h>

#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

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
    const std::string format = o.format.empty() ? "html" : o.format;
    const std::string ext = format == "markdown" ? "md" : format;
    if (format == "xlsx" && !xlsx_available())
        throw Error::usage("--format xlsx: this tgt was built without libxlsxwriter",
                           "apt-get install libxlsxwriter-dev, then rebuild");
    if (o.single_file && format != "xlsx") throw Error::usage("--single-file is for --format xlsx");

    // A new folder is built beside its place under a temporary name and renamed into place in one
    // go. An existing folder gets every sheet as a temporary file first, renamed into place only
    // when all are written. Either way a failed run leaves things as they were, and a re-run
    // replaces the sheets.
    std::error_code ec;
    fs::path dir = fs::path(o.output).lexically_normal();
    if (dir.filename().empty()) dir = dir.parent_path();  // "out/" is "out"
    const bool fresh = !fs::exists(dir, ec);
    fs::path work = dir;
    if (fresh) {
        fs::path parent = dir.has_parent_path() ? dir.parent_path() : fs::path(".");
        fs::create_directories(parent, ec);
        work = parent / fmt::format(".{}.tgt-{}", dir.filename().string(), ::getpid());
        if (ec || !fs::create_directory(work, ec) || ec)
            throw Error::io(o.output, fmt::format("cannot write sheets there: {}",
                                                  ec ? ec.message() : "cannot make a temporary folder beside it"));
    } else if (!fs::is_directory(dir)) {
        throw Error::io(o.output, "cannot write sheets there: not a folder");
    }

    struct Job {
        std::vector<const QuotaSheet*> sheets;
        fs::path temp, target;
    };
    std::vector<Job> jobs;
    auto add_job = [&](std::vector<const QuotaSheet*> members, const std::string& name) {
        jobs.push_back(Job{std::move(members), work / (fresh ? name : "." + name + ".tmp"), dir / name});
    };
    if (format == "xlsx" && o.single_file) {
        std::vector<const QuotaSheet*> all;
        for (const auto& sheet : sheets.sheets)
            all.push_back(&sheet);
        add_job(std::move(all), "sheets.xlsx");
    } else {
        for (const auto& sheet : sheets.sheets)
            add_job({&sheet}, file_name(sheet.id) + "." + ext);
    }
    auto write_job = [&](const Job& job) {
        if (format == "xlsx") {
            write_xlsx(job.temp.string(), sheets, job.sheets);
            return;
        }
        const QuotaSheet& sheet = *job.sheets.front();
        std::string text = format == "html"  ? sheet_html(sheets, sheet)
                           : format == "csv" ? sheet_csv(sheets, sheet)
                                             : sheet_markdown(sheets, sheet);
        std::ofstream out(job.temp, std::ios::binary | std::ios::trunc);
        out.write(text.data(), static_cast<std::streamsize>(text.size()));
        out.close();
        if (!out) throw Error::io(job.temp.string(), fmt::format("cannot write: {}", std::strerror(errno)));
    };
    auto clean = [&] {
        std::error_code ignored;
        if (fresh) {
            fs::remove_all(work, ignored);
            return;
        }
        for (const auto& job : jobs)
            fs::remove(job.temp, ignored);
    };
    try {
        // Rendering and writing run on every core (one workbook at a time: libxlsxwriter's own pace).
        int threads = format == "xlsx" ? 1 : std::min<int>(thread_count(o.actuals_flags), 8);
        std::atomic<std::size_t> next{0};
        std::mutex failed;
        std::exception_ptr first_error;
        auto worker = [&] {
            for (std::size_t i = next++; i < jobs.size(); i = next++) {
                try {
                    write_job(jobs[i]);
                } catch (...) {
                    std::lock_guard lock(failed);
                    if (!first_error) first_error = std::current_exception();
                    next = jobs.size();
                }
            }
        };
        std::vector<std::thread> pool;
        for (int t = 1; t < threads; ++t)
            pool.emplace_back(worker);
        worker();
        for (auto& t : pool)
            t.join();
        if (first_error) std::rethrow_exception(first_error);
        if (fresh) {
            fs::rename(work, dir, ec);
            if (ec) throw Error::io(o.output, fmt::format("cannot write sheets there: {}", ec.message()));
        } else {
            // Nothing is renamed until every target is known to take a file.
            for (const auto& job : jobs)
                if (fs::exists(job.target) && !fs::is_regular_file(job.target))
                    throw Error::io(job.target.string(), "cannot write: a folder or special file has that name");
            for (const auto& job : jobs) {
                fs::rename(job.temp, job.target, ec);
                if (ec) throw Error::io(job.target.string(), fmt::format("cannot write: {}", ec.message()));
            }
        }
    } catch (...) {
        clean();
        throw;
    }
    fmt::print(io.err, "tgt: wrote {} {} sheet(s) for {} to {}\n", sheets.sheets.size(), format, level, o.output);
    return exit_ok;
}

}  // namespace tgt::cli
