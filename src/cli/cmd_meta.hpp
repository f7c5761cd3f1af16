#pragma once
// tgt man and tgt completion: the manual page and shell completions from the command tree.

#include <CLI/CLI.hpp>

#include "options.hpp"

namespace tgt::cli {

/// Options of tgt man and tgt completion.
struct MetaOptions {
    std::string output;              ///< -o
    std::string shell;               ///< completion: bash or zsh
    const CLI::App* root = nullptr;  ///< the whole command tree, described
};
/// Adds man's options to `app` (a subcommand of the root it describes).
void setup_man(CLI::App& app, MetaOptions& options);
/// Prints the manual page; returns the exit code.
int run_man(const MetaOptions& options, const Io& io);
/// Adds completion's arguments and options to `app`.
void setup_completion(CLI::App& app, MetaOptions& options);
/// Prints the completion script; returns the exit code.
int run_completion(const MetaOptions& options, const Io& io);

/// The manual page (roff) and bash/zsh completion scripts, from the parsed command tree.
std::string man_page(const CLI::App& app);
/// The bash or zsh completion script for the same tree.
std::string completion_script(const CLI::App& app, const std::string& shell);

}  // namespace tgt::cli
