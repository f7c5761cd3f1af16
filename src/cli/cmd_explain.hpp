#pragma once
// tgt explain: the chain of steps that gives one cell its number.

#include <CLI/CLI.hpp>

#include "options.hpp"

namespace tgt::cli {

/// tgt explain's options.
struct ExplainOptions {
    std::string plan;
    std::vector<std::string> cell;
    std::string metric;
    FormatOption format;
    std::string output;
    bool force = false;  ///< -o may replace one of the inputs
};
/// Adds explain's arguments and options to `app`.
void setup_explain(CLI::App& app, ExplainOptions& options);
/// Runs tgt explain; returns the exit code.
int run_explain(const ExplainOptions& options, const Io& io);

}  // namespace tgt::cli
