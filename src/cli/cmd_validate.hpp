#pragma once
// tgt validate: every problem in one or more plans, at once.

#include <CLI/CLI.hpp>

#include "options.hpp"

namespace tgt::cli {

/// tgt validate's options.
struct ValidateOptions {
    std::vector<std::string> plans;
    bool strict = false;
};
/// Adds validate's arguments and options to `app`.
void setup_validate(CLI::App& app, ValidateOptions& options);
/// Runs tgt validate; returns the exit code.
int run_validate(const ValidateOptions& options, const Io& io);

}  // namespace tgt::cli
