#include "cli.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <thread>

#include "commands.hpp"
#include "tgt/report.hpp"

namespace tgt::cli {

std::vector<std::string> split_commas(const std::vector<std::string>& values) {
    std::vector<std::string> out;
    for (const auto& v : values) {
        std::size_t start = 0;
        while (start <= v.size()) {
            auto comma = v.find(',', start);
            if (comma == std::string::npos) comma = v.size();
            if (comma > start) out.push_back(v.substr(start, comma - start));
            start = comma + 1;
        }
    }
    return out;
}

namespace {

constexpr Format kAllFormats[] = {Format::table, Format::csv,    Format::tsv,
                                  Format::json,  Format::ndjson, Format::markdown};

std::string names_of(std::span<const Format> formats) {
    std::string out;
    for (std::size_t i = 0; i < formats.size(); ++i)
        out += fmt::format("{}{}", i == 0 ? "" : i + 1 == formats.size() ? " or " : ", ", format_name(formats[i]));
    return out;
}

// What to do instead of writing a file tgt cannot write.
std::string foreign_hint(const FileType& type, std::string_view instead) {
    if (type.extension.starts_with("xl") || type.extension == "ods" || type.extension == "numbers")
        return fmt::format("write {} (spreadsheets open CSV), or `tgt sheet --format xlsx` for quota workbooks",
                           instead);
    if (type.extension.starts_with("htm") || type.extension == "pdf")
        return fmt::format("write {}, or `tgt sheet --format html` for printable quota sheets", instead);
    return fmt::format("write {}", instead);
}

}  // namespace

Format choose_format(const std::string& format, const std::string& output, Format fallback,
                     std::span<const Format> allowed) {
    if (allowed.empty()) allowed = kAllFormats;
    auto can_give = [&](Format f) { return std::find(allowed.begin(), allowed.end(), f) != allowed.end(); };
    std::optional<Format> chosen;
    if (!format.empty()) {
        chosen = parse_format(format);
        if (!chosen)
            throw Error::usage(fmt::format("--format {}: unknown format", format),
                               fmt::format("formats: {}", names_of(allowed)));
        if (!can_give(*chosen))
            throw Error::usage(fmt::format("--format {}: this command writes {}", format, names_of(allowed)));
    }
    if (output.empty() || output == "-") return chosen.value_or(fallback);
    FileType type = file_type(output);
    switch (type.kind) {
        case FileType::Kind::unknown:
        case FileType::Kind::text:
            return chosen.value_or(fallback);
        case FileType::Kind::foreign:
            throw Error::usage(fmt::format("-o {}: tgt cannot write .{} files here; this command writes {}", output,
                                           type.extension, names_of(allowed)),
                               foreign_hint(type, "a .csv, .json, .md or .txt file"));
        case FileType::Kind::format:
            if (!can_give(type.format))
                throw Error::usage(fmt::format("-o {}: this command cannot write {}; it writes {}", output,
                                               format_name(type.format), names_of(allowed)),
                                   "name the file for one of those (.txt for a table)");
            if (chosen && *chosen != type.format)
                throw Error::usage(fmt::format("-o {}: --format {} would put {} in a .{} file", output, format,
                                               format_name(*chosen), type.extension),
                                   "leave out --format (the extension chooses it), or rename the file");
            return type.format;
    }
    return chosen.value_or(fallback);
}

void add_force_flag(CLI::App& app, bool& force) {
    app.add_flag("--force", force, "Let -o replace a file this command reads (the plan, actuals, a calendar…)");
}

void check_output_name(const std::string& output, std::string_view what, std::string_view example) {
    if (output.empty() || output == "-") return;
    FileType type = file_type(output);
    if (type.kind == FileType::Kind::unknown || type.kind == FileType::Kind::text ||
        file_type(example).extension == type.extension)
        return;
    throw Error::usage(fmt::format("-o {}: this command writes {}, not a .{} file", output, what, type.extension),
                       fmt::format("name it like {}", example));
}

std::vector<std::pair<std::string, std::string>> parse_pairs(const std::vector<std::string>& values,
                                                             std::string_view option) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& v : split_commas(values)) {
        auto eq = v.find('=');
        if (eq == std::string::npos || eq == 0 || eq + 1 == v.size())
            throw Error::usage(fmt::format("{} {}: expected NAME=VALUE", option, v));
        out.emplace_back(v.substr(0, eq), v.substr(eq + 1));
    }
    return out;
}

std::vector<Diagnostic> actuals_notes(const ActualsSummary& actuals, std::size_t after_as_of, const std::string& as_of,
                                      const std::string& unplanned_counted) {
    Diagnostics notes;
    for (const auto& d : actuals.problems)
        notes.add(d);
    if (actuals.skipped > actuals.problems.size())
        notes.warning({}, fmt::format("{} bad row(s) skipped in all (the first {} are listed)", actuals.skipped,
                                      actuals.problems.size()));
    if (!actuals.unknown.empty()) {
        std::vector<std::string> values;
        for (const auto& [value, rows] : actuals.unknown)
            values.push_back(fmt::format("{} ({} rows)", value, rows));
        if (values.size() > 10) values.resize(10);
        notes.warning({},
                      fmt::format("{} row(s) name members the plan does not have; {}: {}", actuals.unplanned,
                                  unplanned_counted, fmt::join(values, ", ")),
                      "an older plan? rename them in the plan, or --map the column");
    }
    for (const auto& [what, rows] : actuals.moved)
        notes.warning({}, fmt::format("{}: {} row(s), counted under the plan's", what, rows));
    if (after_as_of > 0)
        notes.warning({}, fmt::format("{} row(s) dated after --as-of {} are not counted", after_as_of, as_of));
    return notes.items();
}

Date parse_as_of(const std::string& text) {
    auto as_of = parse_date(text);
    if (!as_of) throw Error::usage(fmt::format("--as-of {}: not a date", text), "write YYYY-MM-DD");
    return *as_of;
}

void add_actuals_flags(CLI::App& app, ActualsFlags& flags) {
    app.add_option("--map", flags.map, "COLUMN=LEVEL|METRIC|date when the actuals' names differ (repeatable)");
    app.add_flag("--skip-bad-rows", flags.skip_bad_rows,
                 "Skip malformed rows (reported in a summary) instead of failing");
    app.add_option("--threads", flags.threads, "Threads for the split and for parsing actuals (default: the cores)")
        ->check(CLI::Range(1, 256));
}

InputLimits input_limits(const char* value) {
    InputLimits limits;
    limits.file_hint = "set TGT_MAX_INPUT to read more, e.g. TGT_MAX_INPUT=4G";
    limits.record_hint =
        "one record is one row: check the line ends and the quotes (a record may hold 16 MiB, "
        "or TGT_MAX_INPUT when that is less)";
    if (!value || !*value) return limits;
    // Digits, then an optional binary unit: 65536, 64K, 64M, 2G, 2GiB, 1T.
    std::string_view text(value);
    std::uint64_t bytes = 0;
    std::size_t i = 0;
    bool ok = !text.empty() && text[0] >= '0' && text[0] <= '9';
    for (; ok && i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
        ok = bytes <= (std::numeric_limits<std::uint64_t>::max() - 9) / 10;
        bytes = bytes * 10 + static_cast<std::uint64_t>(text[i] - '0');
    }
    std::string unit(text.substr(i));
    for (auto& c : unit)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    static const std::pair<const char*, unsigned> kUnits[] = {
        {"", 0},     {"B", 0},  {"K", 10},  {"KB", 10},  {"KIB", 10}, {"M", 20},  {"MB", 20},
        {"MIB", 20}, {"G", 30}, {"GB", 30}, {"GIB", 30}, {"T", 40},   {"TB", 40}, {"TIB", 40}};
    bool known = false;
    for (const auto& [name, shift] : kUnits)
        if (unit == name) {
            known = true;
            ok = ok && bytes <= (std::numeric_limits<std::uint64_t>::max() >> shift);
            bytes <<= shift;
        }
    if (!ok || !known || bytes == 0)
        throw Error::usage(fmt::format("TGT_MAX_INPUT={}: not a size", value),
                           "write bytes, or a number with K, M, G or T (binary units): TGT_MAX_INPUT=64M");
    limits.file_bytes = bytes;
    limits.record_bytes = std::min(limits.record_bytes, bytes);
    return limits;
}

ActualsOptions actuals_options(const ActualsFlags& flags, const Io& io) {
    ActualsOptions options;
    options.limits = io.limits;
    options.map = parse_pairs(flags.map, "--map");
    options.skip_bad_rows = flags.skip_bad_rows;
    return options;
}

int thread_count(const ActualsFlags& flags) {
    return flags.threads > 0 ? flags.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

namespace {

bool want_color(const std::string& mode, std::FILE* stream) {
    if (mode == "never") return false;
    if (mode == "always") return true;
    const char* no_color = std::getenv("NO_COLOR");
    if (no_color && *no_color) return false;
    return ::isatty(::fileno(stream)) != 0;
}

}  // namespace

int run(int argc, const char* const* argv, std::FILE* out, std::FILE* err) {
    CLI::App app{"tgt — split sales targets exactly, and track them"};
    app.name("tgt");
    app.require_subcommand(1);
    app.fallthrough();  // --color may come after the subcommand too
    app.set_version_flag("--version", "tgt 0.1.0");
    std::string color = "auto";
    app.add_option("--color", color,
                   "Colour diagnostics and progress tables: auto, always or never (NO_COLOR is honoured)")
        ->check(CLI::IsMember({"auto", "always", "never"}));

    SplitOptions split;
    ValidateOptions validate;
    CalendarOptions calendar;
    auto* split_cmd = app.add_subcommand("split", "Split a plan's targets and print every cell at the grain asked for");
    setup_split(*split_cmd, split);
    auto* validate_cmd = app.add_subcommand("validate", "Check plans and report every problem at once");
    setup_validate(*validate_cmd, validate);
    auto* calendar_cmd = app.add_subcommand("calendar",
                                            "Show working days, holidays and make-up days per period (a plan, a "
                                            "calendar file, or a built-in calendar such as cn)");
    setup_calendar(*calendar_cmd, calendar);
    ExplainOptions explain;
    auto* explain_cmd = app.add_subcommand("explain", "Show the chain of steps that gives one cell its number");
    setup_explain(*explain_cmd, explain);
    CheckOptions check;
    auto* check_cmd = app.add_subcommand(
        "check", "Report over-assignment per manager (against the plan's bands), top-down vs bottom-up and capacity");
    setup_check(*check_cmd, check);
    auto* schema_cmd = app.add_subcommand("schema", "Print the JSON Schema (draft 2020-12) of plan files");
    ProgressOptions progress;
    auto* progress_cmd = app.add_subcommand(
        "progress", "Report achievement (达成率) and pace against the plan's curve, as of a date, from actuals");
    setup_progress(*progress_cmd, progress);
    SheetOptions sheet;
    auto* sheet_cmd = app.add_subcommand(
        "sheet", "Write one quota sheet per rep (or store, dealer…) into a folder: html, xlsx, csv or markdown");
    setup_sheet(*sheet_cmd, sheet);
    InitOptions init;
    auto* init_cmd = app.add_subcommand("init", "Write a starter plan from a template (--list shows them)");
    setup_init(*init_cmd, init);
    std::string meta_output, shell;
    auto* man_cmd = app.add_subcommand("man", "Print the manual page (roff), as installed in share/man/man1/tgt.1");
    man_cmd->add_option("-o,--output", meta_output, "Write it to this file (atomically)");
    auto* completion_cmd = app.add_subcommand("completion", "Print a completion script: bash or zsh");
    completion_cmd->add_option("shell", shell, "bash or zsh")->required()->check(CLI::IsMember({"bash", "zsh"}));
    completion_cmd->add_option("-o,--output", meta_output, "Write it to this file (atomically)");
    FunnelOptions funnel;
    auto* funnel_cmd = app.add_subcommand(
        "funnel", "Back-calculate the leads, visits and orders a target takes, per cell, or for a what-if");
    setup_funnel(*funnel_cmd, funnel);
    RebalanceOptions rebalance;
    auto* rebalance_cmd = app.add_subcommand(
        "rebalance", "Hold the periods that are over at their actuals and re-spread the rest (滚动调整) as a new plan");
    setup_rebalance(*rebalance_cmd, rebalance);

    Io io;
    io.out = out;
    io.err = err;
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp&) {
        fmt::print(out, "{}", app.help());
        return exit_ok;
    } catch (const CLI::CallForAllHelp&) {
        fmt::print(out, "{}", app.help("", CLI::AppFormatMode::All));
        return exit_ok;
    } catch (const CLI::CallForVersion&) {
        fmt::print(out, "tgt 0.1.0\n");
        return exit_ok;
    } catch (const CLI::ParseError& e) {
        // Subcommand help is a ParseError too; print it where it belongs.
        if (e.get_exit_code() == 0) {
            fmt::print(out, "{}", e.what());
            return exit_ok;
        }
        say(err, fmt::format("tgt: error: {}\n", e.what()));
        say(err, fmt::format("  hint: run 'tgt --help' or 'tgt COMMAND --help'\n"));
        return exit_usage;
    }
    io.color = want_color(color, err);
    io.color_out = want_color(color, out);
    try {
        io.limits = input_limits(std::getenv("TGT_MAX_INPUT"));
        if (split_cmd->parsed()) return run_split(split, io);
        if (validate_cmd->parsed()) return run_validate(validate, io);
        if (calendar_cmd->parsed()) return run_calendar(calendar, io);
        if (explain_cmd->parsed()) return run_explain(explain, io);
        if (check_cmd->parsed()) return run_check(check, io);
        if (rebalance_cmd->parsed()) return run_rebalance(rebalance, io);
        if (funnel_cmd->parsed()) return run_funnel(funnel, io);
        if (init_cmd->parsed()) return run_init(init, io);
        if (sheet_cmd->parsed()) return run_sheet(sheet, io);
        if (man_cmd->parsed() || completion_cmd->parsed()) {
            check_output_name(meta_output, man_cmd->parsed() ? "a manual page (roff)" : "a shell script",
                              man_cmd->parsed() ? "tgt.1" : "tgt." + shell);
            Output output(meta_output, out);
            fmt::print(output.stream(), "{}", man_cmd->parsed() ? man_page(app) : completion_script(app, shell));
            output.commit();
            return exit_ok;
        }
        if (schema_cmd->parsed()) return run_schema(io);
        if (progress_cmd->parsed()) return run_progress(progress, io);
    } catch (const Error& e) {
        print_diagnostics(io, e.diagnostics());
        switch (e.kind()) {
            case ErrorKind::usage:
                return exit_usage;
            case ErrorKind::io:
                return exit_io;
            case ErrorKind::bad_input:
                return exit_bad_input;
        }
    } catch (const WriteError& e) {
        if (e.error == EPIPE) return exit_ok;  // the reader went away (| head): not our problem
        say(err, fmt::format("tgt: error: cannot write output: {}\n", std::strerror(e.error)));
        return exit_io;
    } catch (const std::bad_alloc&) {
        say(err, fmt::format("tgt: error: out of memory\n"));
        return exit_bad_input;
    } catch (const std::overflow_error& e) {
        say(err, fmt::format("tgt: error: {}\n", e.what()));
        return exit_bad_input;
    }
    return exit_usage;
}

}  // namespace tgt::cli
