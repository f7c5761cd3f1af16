#pragma once
// tgt funnel: the leads, visits and orders a target takes.

#include <CLI/CLI.hpp>

#include "options.hpp"

namespace tgt::cli {

/// tgt funnel's options.
struct FunnelOptions {
    std::string plan;
    std::vector<std::string> by;
    std::optional<TimeLevel> period;
    std::vector<std::string> where;
    std::string target;
    std::vector<std::string> stages;
    std::string target_stage;
    std::string order_value;
    int threads = 0;  ///< --threads (0: one per core)
    FormatOption format;
    std::string output;
    bool force = false;  ///< -o may replace one of the inputs
};
/// Adds funnel's arguments and options to `app`.
void setup_funnel(CLI::App& app, FunnelOptions& options);
/// Runs tgt funnel; returns the exit code.
int run_funnel(const FunnelOptions& options, const Io& io);

}  // namespace tgt::cli
