#pragma once
// What several commands' options share: lists, filters, formats, -o names and the actuals flags.

#include <CLI/CLI.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "io.hpp"
#include "tgt/actuals.hpp"
#include "tgt/calendar.hpp"
#include "tgt/decompose.hpp"
#include "tgt/labels.hpp"
#include "tgt/report.hpp"

namespace tgt::cli {

/// --as-of's value as a date, or a usage error.
Date parse_as_of(const std::string& text);
/// Actuals options shared by progress and rebalance.
struct ActualsFlags {
    std::vector<std::string> map;
    bool skip_bad_rows = false;
    int threads = 0;    ///< 0: one per core
    std::string sheet;  ///< --sheet: the worksheet of .xlsx actuals (empty: the first)
};
/// Adds --map, --skip-bad-rows and --threads to `app`.
void add_actuals_flags(CLI::App& app, ActualsFlags& flags);
/// The actuals reader's options from the flags (--map checked: NAME=VALUE pairs).
ActualsOptions actuals_options(const ActualsFlags& flags, const Io& io);
/// The threads the flags ask for (one per core without --threads).
int thread_count(const ActualsFlags& flags);

/// --threads N (1 to 256), into `threads`; it stays 0 when not given (thread_count: one per core).
CLI::Option* add_threads_option(CLI::App& app, int& threads, const std::string& help);
/// `threads` as --threads gave it, or one per core when it was not given (0).
int thread_count(int threads);

/// How people-facing output shows amounts and labels: --unit, --decimals, --lang.
struct DisplayFlags {
    std::string unit;   ///< --unit: "", 元, 千, 万 or 亿
    int decimals = -1;  ///< --decimals (0 to 8); -1: the unit's default (元 2, 万 2, 亿 4)
    std::string lang;   ///< --lang: zh or en (also zh-CN, en-US…); empty: the plan's "locale", else LANG
};
/// Adds --unit, --decimals and --lang to `app`.
void add_display_flags(CLI::App& app, DisplayFlags& flags);
/// The language labels are shown in: --lang, else the plan's "locale", else LC_ALL / LC_MESSAGES / LANG.
Lang display_lang(const DisplayFlags& flags, std::string_view plan_locale);
/// Render options for `format` from the flags: a unit and its decimals for table and markdown (a usage
/// error for csv, tsv and json, which carry exact amounts), the language for every format.
RenderOptions display_options(const DisplayFlags& flags, Format format, std::string_view plan_locale);

/// --force: -o may replace a file the command reads (the plan, actuals…).
void add_force_flag(CLI::App& app, bool& force);
/// Splits "a,b" and repeated options into one list.
std::vector<std::string> split_commas(const std::vector<std::string>& values);
/// --where LEVEL=VALUE options as filters.
std::vector<Filter> parse_filters(const std::vector<std::string>& where);
/// "a=b,c=d" and repeated options into pairs; `option` names the flag in errors.
std::vector<std::pair<std::string, std::string>> parse_pairs(const std::vector<std::string>& values,
                                                             std::string_view option);
/// What reading actuals saw besides the rows it counted (bad rows, unplanned and moved members,
/// rows after the as-of date), as diagnostics: said, never dropped silently.
/// `unplanned_counted` says where rows of members the plan does not have went.
std::vector<Diagnostic> actuals_notes(const ActualsSummary& actuals, std::size_t after_as_of, const std::string& as_of,
                                      const std::string& unplanned_counted = "counted under (unplanned)");
/// --format's value, read once when the command line is parsed: the text as given (for messages)
/// and the table format it names (nullopt: none; choose_format says so).
struct FormatOption {
    std::string text;
    std::optional<Format> format;
    /// --format was given.
    bool given() const { return !text.empty(); }
};
/// Adds --format to `app`, parsed into `option` (help output as for a text option).
CLI::Option* add_format_option(CLI::App& app, FormatOption& option, const std::string& help);
/// Adds an option whose value is a time level (`name`: "--period"), parsed into `level` (nullopt when
/// the text names none); `allowed` (if any) are the names it takes, checked by CLI11.
CLI::Option* add_time_level_option(CLI::App& app, const std::string& name, std::optional<TimeLevel>& level,
                                   const std::string& help, std::vector<std::string> allowed = {});

/// Actuals files are summed: the same file named twice (the same path, or the same device and
/// inode through another name) would count its rows twice, so it is a usage error naming both.
void check_distinct_actuals(const std::vector<std::string>& files);

/// The output format: --format if given, else implied by -o's extension, else `fallback`. The
/// command gives only `allowed` (empty: every table format). An -o extension naming a file type tgt
/// cannot write (.xlsx, .pdf, .html), a format the command cannot give, or another format than
/// --format is a usage error, never a mislabelled file; .txt, no extension or an unknown one take
/// the format chosen otherwise.
Format choose_format(const FormatOption& format, const std::string& output, Format fallback,
                     std::span<const Format> allowed = {});
/// For a command that writes one kind of file (`what`: "a plan (JSON)", named like `example`:
/// "plan.json", "tgt.1"): an -o whose extension names another known type is a usage error.
void check_output_name(const std::string& output, std::string_view what, std::string_view example);

}  // namespace tgt::cli
