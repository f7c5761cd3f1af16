#pragma once
// tgt progress: achievement and pace as of a date, from actuals.

#include <CLI/CLI.hpp>

#include "options.hpp"

namespace tgt::cli {

/// --fail-on: the status from which on progress exits 3.
enum class FailOn { never, behind, critical };

/// tgt progress's options.
struct ProgressOptions {
    std::string plan;
    std::vector<std::string> actuals;
    std::string as_of;
    std::vector<std::string> by;
    std::vector<std::string> where;
    std::string metric;
    ActualsFlags actuals_flags;
    FailOn fail_on = FailOn::never;
    std::optional<TimeLevel> grid;
    FormatOption format;
    std::string output;
    bool force = false;    ///< -o may replace one of the inputs
    DisplayFlags display;  ///< --unit, --decimals, --lang
};
/// Adds progress's arguments and options to `app`.
void setup_progress(CLI::App& app, ProgressOptions& options);
/// Runs tgt progress; returns the exit code.
int run_progress(const ProgressOptions& options, const Io& io);

}  // namespace tgt::cli
