#pragma once
// tgt schema: the JSON Schema of plan files.

#include <CLI/CLI.hpp>

#include "options.hpp"

namespace tgt::cli {

/// tgt schema takes no options.
struct SchemaOptions {};
/// Adds nothing: schema has no arguments.
inline void setup_schema(CLI::App&, SchemaOptions&) {}
/// Prints the schema; returns the exit code.
int run_schema(const SchemaOptions& options, const Io& io);

}  // namespace tgt::cli
