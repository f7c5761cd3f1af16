#pragma once
// tgt init: a starter plan from a template.

#include <CLI/CLI.hpp>

#include "options.hpp"

namespace tgt::cli {

/// tgt init's options.
struct InitOptions {
    std::string name;
    bool list = false;
    bool force = false;
    std::string output;
};
/// Adds init's arguments and options to `app`.
void setup_init(CLI::App& app, InitOptions& options);
/// Runs tgt init; returns the exit code.
int run_init(const InitOptions& options, const Io& io);

}  // namespace tgt::cli
