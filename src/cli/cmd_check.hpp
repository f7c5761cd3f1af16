#pragma once
// tgt check: over-assignment, top-down vs bottom-up, capacity.

#include <CLI/CLI.hpp>

#include "options.hpp"

namespace tgt::cli {

/// tgt check's options.
struct CheckOptions {
    std::string plan;
    FormatOption format;
    std::string output;
    bool force = false;    ///< -o may replace one of the inputs
    DisplayFlags display;  ///< --unit, --decimals, --lang
    std::vector<std::string> metrics;
};
/// Adds check's arguments and options to `app`.
void setup_check(CLI::App& app, CheckOptions& options);
/// Runs tgt check; returns the exit code.
int run_check(const CheckOptions& options, const Io& io);

}  // namespace tgt::cli
