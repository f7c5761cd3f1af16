#pragma once
// tgt progress: achievement and pace as of a date, from actuals.

#include <CLI/CLI.hpp>

#include "options.hpp"

namespace tgt::cli {

/// tgt progress's options.
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
/// Adds progress's arguments and options to `app`.
void setup_progress(CLI::App& app, ProgressOptions& options);
/// Runs tgt progress; returns the exit code.
int run_progress(const ProgressOptions& options, const Io& io);

}  // namespace tgt::cli
