#pragma once
// tgt rebalance: re-spread what is left after the periods that are over.

#include <CLI/CLI.hpp>

#include "options.hpp"

namespace tgt::cli {

/// tgt rebalance's options.
struct RebalanceOptions {
    std::string plan;
    std::vector<std::string> actuals;
    std::string as_of;
    std::string metric;
    ActualsFlags actuals_flags;
    bool dry_run = false;
    FormatOption format;
    std::string output;
    bool force = false;    ///< -o may replace one of the inputs
    DisplayFlags display;  ///< --unit, --decimals, --lang (for the dry run table)
};
/// Adds rebalance's arguments and options to `app`.
void setup_rebalance(CLI::App& app, RebalanceOptions& options);
/// Runs tgt rebalance; returns the exit code.
int run_rebalance(const RebalanceOptions& options, const Io& io);

}  // namespace tgt::cli
