#pragma once
// One options struct, setup and run per subcommand.

#include <CLI/CLI.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cli.hpp"
#include "tgt/actuals.hpp"
#include "tgt/decompose.hpp"
#include "tgt/report.hpp"

namespace tgt::cli {

struct SplitOptions {
    std::string plan;
    std::vector<std::string> by;
    std::string period;
    std::vector<std::string> metrics;
    std::vector<std::string> where;
    std::string format;
    std::string output;
    bool force = false;  ///< -o may replace one of the inputs
    std::string unit;
    bool show_task = false;
    bool single_thread = false;
    bool no_activity = false;
    std::string shard;  ///< "K/N": walk only share K of N
};
void setup_split(CLI::App& app, SplitOptions& options);
int run_split(const SplitOptions& options, const Io& io);

struct ValidateOptions {
    std::vector<std::string> plans;
    bool strict = false;
};
void setup_validate(CLI::App& app, ValidateOptions& options);
int run_validate(const ValidateOptions& options, const Io& io);

struct CalendarOptions {
    std::string file;
    std::string period = "month";
    std::string format;
    std::string output;
    bool force = false;  ///< -o may replace one of the inputs
    bool list = false;
    bool list_builtin = false;
    std::optional<int> year;
};
void setup_calendar(CLI::App& app, CalendarOptions& options);
int run_calendar(const CalendarOptions& options, const Io& io);

struct ExplainOptions {
    std::string plan;
    std::vector<std::string> cell;
    std::string metric;
    std::string format;
    std::string output;
    bool force = false;  ///< -o may replace one of the inputs
};
void setup_explain(CLI::App& app, ExplainOptions& options);
int run_explain(const ExplainOptions& options, const Io& io);

struct CheckOptions {
    std::string plan;
    std::string format;
    std::string output;
    bool force = false;  ///< -o may replace one of the inputs
    std::vector<std::string> metrics;
};
void setup_check(CLI::App& app, CheckOptions& options);
int run_check(const CheckOptions& options, const Io& io);

int run_schema(const Io& io);

/// --as-of's value as a date, or a usage error.
Date parse_as_of(const std::string& text);
/// Actuals options shared by progress and rebalance.
struct ActualsFlags {
    std::vector<std::string> map;
    bool skip_bad_rows = false;
    int threads = 0;  ///< 0: one per core
};
void add_actuals_flags(CLI::App& app, ActualsFlags& flags);
ActualsOptions actuals_options(const ActualsFlags& flags, const Io& io);
int thread_count(const ActualsFlags& flags);

struct ProgressOptions {
    std::string plan;
    std::vector<std::string> actuals;
    std::string as_of;
    std::vector<std::string> by;
    std::vector<std::string> where;
    std::string metric;
    ActualsFlags actuals_flags;
    std::string fail_on;
    std::string grid;
    std::string format;
    std::string output;
    bool force = false;  ///< -o may replace one of the inputs
};
void setup_progress(CLI::App& app, ProgressOptions& options);
int run_progress(const ProgressOptions& options, const Io& io);

struct FunnelOptions {
    std::string plan;
    std::vector<std::string> by;
    std::string period;
    std::vector<std::string> where;
    std::string target;
    std::vector<std::string> stages;
    std::string target_stage;
    std::string order_value;
    std::string format;
    std::string output;
    bool force = false;  ///< -o may replace one of the inputs
};
void setup_funnel(CLI::App& app, FunnelOptions& options);
int run_funnel(const FunnelOptions& options, const Io& io);

struct SheetOptions {
    std::string plan;
    std::string level;
    std::vector<std::string> who;
    std::string format;
    bool single_file = false;
    std::string output;
    std::vector<std::string> actuals;  ///< with as_of: progress on each sheet
    std::string as_of;
    std::string metric;
    ActualsFlags actuals_flags;
};
void setup_sheet(CLI::App& app, SheetOptions& options);
int run_sheet(const SheetOptions& options, const Io& io);

struct InitOptions {
    std::string name;
    bool list = false;
    bool force = false;
    std::string output;
};
void setup_init(CLI::App& app, InitOptions& options);
int run_init(const InitOptions& options, const Io& io);

/// The manual page (roff) and bash/zsh completion scripts, from the parsed command tree.
std::string man_page(const CLI::App& app);
std::string completion_script(const CLI::App& app, const std::string& shell);

struct RebalanceOptions {
    std::string plan;
    std::vector<std::string> actuals;
    std::string as_of;
    std::string metric;
    ActualsFlags actuals_flags;
    bool dry_run = false;
    std::string format;
    std::string output;
    bool force = false;  ///< -o may replace one of the inputs
};
void setup_rebalance(CLI::App& app, RebalanceOptions& options);
int run_rebalance(const RebalanceOptions& options, const Io& io);

/// How a split's channels become output columns: amounts as they are, rates as weighted averages
/// (Σ weight × rate ÷ Σ weight) and stretch ratios (stretch ÷ commitment). Shared by split-like commands.
struct ValueColumn {
    enum class Kind { amount, rate, ratio };
    Column column;
    Kind kind = Kind::amount;
    int channel = 0;
    int base = -1;  ///< rate: the weighting channel; ratio: the commitment's channel
    Cell cell(std::span<const Minor> amounts) const;
};
std::vector<ValueColumn> value_columns(const Plan& plan, const SplitLayout& layout);

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
/// The output format: --format if given, else implied by -o's extension, else `fallback`. The
/// command gives only `allowed` (empty: every table format). An -o extension naming a file type tgt
/// cannot write (.xlsx, .pdf, .html), a format the command cannot give, or another format than
/// --format is a usage error, never a mislabelled file; .txt, no extension or an unknown one take
/// the format chosen otherwise.
Format choose_format(const std::string& format, const std::string& output, Format fallback,
                     std::span<const Format> allowed = {});
/// For a command that writes one kind of file (`what`: "a plan (JSON)", named like `example`:
/// "plan.json", "tgt.1"): an -o whose extension names another known type is a usage error.
void check_output_name(const std::string& output, std::string_view what, std::string_view example);

}  // namespace tgt::cli
