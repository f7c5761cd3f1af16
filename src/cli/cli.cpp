// tgt's command line: one table of commands, parsed by CLI11, each run with the streams it is given.

#include "cli.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <new>
#include <stdexcept>

#include "cmd_calendar.hpp"
#include "cmd_check.hpp"
#include "cmd_diff.hpp"
#include "cmd_explain.hpp"
#include "cmd_funnel.hpp"
#include "cmd_init.hpp"
#include "cmd_meta.hpp"
#include "cmd_progress.hpp"
#include "cmd_rebalance.hpp"
#include "cmd_schema.hpp"
#include "cmd_sheet.hpp"
#include "cmd_split.hpp"
#include "cmd_validate.hpp"
#include "io.hpp"
#include "tgt/report.hpp"
#include "tgt/version.hpp"

namespace tgt::cli {

namespace {

// What a command becomes once its options are added: the call that runs it with the parsed values.
using Runner = std::function<int(const Io&)>;

// One subcommand: its name, its help line, and how it adds its options (the values live in the runner).
struct Command {
    const char* name;
    const char* help;
    Runner (*add)(CLI::App& app);
};

// Adds a command's options to `app` over an Options of its own, and binds its run function to them.
template <class Options, void (*Setup)(CLI::App&, Options&), int (*Run)(const Options&, const Io&)>
Runner bind(CLI::App& app) {
    auto options = std::make_shared<Options>();
    Setup(app, *options);
    return [options](const Io& io) { return Run(*options, io); };
}

// In the order help, the manual page and completions list them.
constexpr Command kCommands[] = {
    {"split", "Split a plan's targets and print every cell at the grain asked for",
     bind<SplitOptions, setup_split, run_split>},
    {"validate", "Check plans and report every problem at once", bind<ValidateOptions, setup_validate, run_validate>},
    {"calendar",
     "Show working days, holidays and make-up days per period (a plan, a calendar file, or a built-in calendar such "
     "as cn)",
     bind<CalendarOptions, setup_calendar, run_calendar>},
    {"explain", "Show the chain of steps that gives one cell its number",
     bind<ExplainOptions, setup_explain, run_explain>},
    {"check", "Report over-assignment per manager (against the plan's bands), top-down vs bottom-up and capacity",
     bind<CheckOptions, setup_check, run_check>},
    {"schema", "Print the JSON Schema (draft 2020-12) of plan files", bind<SchemaOptions, setup_schema, run_schema>},
    {"progress", "Report achievement (达成率) and pace against the plan's curve, as of a date, from actuals",
     bind<ProgressOptions, setup_progress, run_progress>},
    {"sheet", "Write one quota sheet per rep (or store, dealer…) into a folder: html, xlsx, csv or markdown",
     bind<SheetOptions, setup_sheet, run_sheet>},
    {"init", "Write a starter plan from a template (--list shows them)", bind<InitOptions, setup_init, run_init>},
    {"man", "Print the manual page (roff), as installed in share/man/man1/tgt.1",
     bind<MetaOptions, setup_man, run_man>},
    {"completion", "Print a completion script: bash or zsh", bind<MetaOptions, setup_completion, run_completion>},
    {"funnel", "Back-calculate the leads, visits and orders a target takes, per cell, or for a what-if",
     bind<FunnelOptions, setup_funnel, run_funnel>},
    {"rebalance", "Hold the periods that are over at their actuals and re-spread the rest (滚动调整) as a new plan",
     bind<RebalanceOptions, setup_rebalance, run_rebalance>},
    {"diff", "Compare two versions of a plan: old, new and the change per node and period",
     bind<DiffOptions, setup_diff, run_diff>},
};

// --color: auto (a terminal, without NO_COLOR), always or never.
enum class ColorMode { automatic, always, never };

bool want_color(ColorMode mode, std::FILE* stream) {
    if (mode == ColorMode::never) return false;
    if (mode == ColorMode::always) return true;
    const char* no_color = std::getenv("NO_COLOR");
    if (no_color && *no_color) return false;
    const int fd = stream ? ::fileno(stream) : -1;
    return fd >= 0 && ::isatty(fd) != 0;
}

// Runs a parsed command, turning what it throws into diagnostics on io.err and an exit code.
int run_command(const Runner& runner, Io io) {
    try {
        const Encoding encoding = io.limits.encoding;  // --encoding, set before the limits are known
        io.limits = input_limits(std::getenv("TGT_MAX_INPUT"));
        io.limits.encoding = encoding;
        return runner(io);
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
        say(io.err, fmt::format("tgt: error: cannot write output: {}\n", std::strerror(e.error)));
        return exit_io;
    } catch (const std::bad_alloc&) {
        say(io.err, fmt::format("tgt: error: out of memory\n"));
        return exit_bad_input;
    } catch (const std::overflow_error& e) {
        say(io.err, fmt::format("tgt: error: {}\n", e.what()));
        return exit_bad_input;
    }
    return exit_usage;
}

}  // namespace

int run(const std::vector<std::string>& args, std::FILE* in, std::FILE* out, std::FILE* err) {
    CLI::App app{"tgt — split sales targets exactly, and track them"};
    app.name("tgt");
    app.require_subcommand(1);
    app.fallthrough();  // --color may come after the subcommand too
    const std::string version = fmt::format("tgt {}", tgt::version);
    app.set_version_flag("--version", version);
    ColorMode color = ColorMode::automatic;
    app.add_option_function<std::string>(
           "--color",
           [&color](const std::string& mode) {
               color = mode == "always" ? ColorMode::always : mode == "never" ? ColorMode::never : ColorMode::automatic;
           },
           "Colour diagnostics and progress tables: auto, always or never (NO_COLOR is honoured)")
        ->check(CLI::IsMember({"auto", "always", "never"}));
    Encoding encoding = Encoding::automatic;
    app.add_option_function<std::string>(
           "--encoding",
           [&encoding](const std::string& name) { encoding = encoding_named(name).value_or(Encoding::automatic); },
           "Read data files as utf-8 or gb18030 (GBK) (default: found out for each file)")
        ->check(CLI::IsMember({"auto", "utf-8", "utf8", "gb18030", "gbk", "gb2312", "cp936"}, CLI::ignore_case));
    // Apart from --encoding: reading a GBK export must not turn the terminal's output into GBK.
    Encoding out_encoding = Encoding::utf8;
    app.add_option_function<std::string>(
           "--output-encoding",
           [&out_encoding](const std::string& name) {
               out_encoding = encoding_named(name).value_or(Encoding::utf8) == Encoding::gb18030 ? Encoding::gb18030
                                                                                                 : Encoding::utf8;
           },
           "Write text data as utf-8 or gb18030 (GBK) (default: utf-8; a workbook is never converted)")
        ->check(CLI::IsMember({"utf-8", "utf8", "gb18030", "gbk", "gb2312", "cp936"}, CLI::ignore_case));
    bool bom = false;
    app.add_flag("--bom", bom, "Start data written with the UTF-8 byte-order mark Excel needs to read CSV as UTF-8");
    std::vector<std::pair<CLI::App*, Runner>> commands;
    for (const Command& command : kCommands) {
        CLI::App* sub = app.add_subcommand(command.name, command.help);
        commands.emplace_back(sub, command.add(*sub));
    }

    Io io;
    io.in = in;
    io.out = out;
    io.err = err;
    try {
        std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 takes them last first
        app.parse(reversed);
    } catch (const CLI::CallForHelp&) {
        fmt::print(out, "{}", app.help());
        return exit_ok;
    } catch (const CLI::CallForAllHelp&) {
        fmt::print(out, "{}", app.help("", CLI::AppFormatMode::All));
        return exit_ok;
    } catch (const CLI::CallForVersion&) {
        fmt::print(out, "{}\n", version);
        return exit_ok;
    } catch (const CLI::ExtrasError& e) {
        // CLI11 lists the extras in the order it was given them: reversed, so put back as typed.
        std::string text = e.what();
        const std::size_t colon = text.find(": ");
        if (colon != std::string::npos) {
            std::vector<std::string> words;
            for (std::size_t at = colon + 2; at < text.size();) {
                std::size_t end = text.find(' ', at);
                if (end == std::string::npos) end = text.size();
                words.push_back(text.substr(at, end - at));
                at = end + 1;
            }
            text = fmt::format("{}: {}", text.substr(0, colon), fmt::join(words.rbegin(), words.rend(), " "));
        }
        say(err, fmt::format("tgt: error: {}\n", text));
        say(err, "  hint: run 'tgt --help' or 'tgt COMMAND --help'\n");
        return exit_usage;
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
    io.limits.encoding = encoding;
    io.out_encoding = out_encoding;
    io.bom = bom;
    io.color = want_color(color, err);
    io.color_out = want_color(color, out);
    auto parsed = std::find_if(commands.begin(), commands.end(), [](const auto& c) { return c.first->parsed(); });
    if (parsed == commands.end()) return exit_usage;  // require_subcommand(1) makes this unreachable
    return run_command(parsed->second, io);
}

int run(int argc, const char* const* argv, std::FILE* in, std::FILE* out, std::FILE* err) {
    std::vector<std::string> args;
    for (int i = 1; i < argc; ++i)
        args.emplace_back(argv[i]);
    return run(args, in, out, err);
}

}  // namespace tgt::cli
