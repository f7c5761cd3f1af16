#pragma once
// tgt diff: what changed between two versions of a plan, cell by cell.

#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <vector>

#include "options.hpp"

namespace tgt::cli {

/// tgt diff's options.
struct DiffOptions {
    std::string old_plan;
    std::string new_plan;
    std::vector<std::string> by;
    std::optional<TimeLevel> period;
    std::string metric;
    bool all = false;             ///< list unchanged cells too
    bool fail_on_change = false;  ///< exit 3 when anything changed
    FormatOption format;
    std::string output;
    bool force = false;    ///< -o may replace one of the inputs
    DisplayFlags display;  ///< --unit, --decimals, --lang
};
/// Adds diff's arguments and options to `app`.
void setup_diff(CLI::App& app, DiffOptions& options);
/// Runs tgt diff; returns the exit code.
int run_diff(const DiffOptions& options, const Io& io);

}  // namespace tgt::cli
