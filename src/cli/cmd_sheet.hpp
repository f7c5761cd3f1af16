#pragma once
// tgt sheet: one quota sheet per rep (or store, dealer…).

#include <CLI/CLI.hpp>

#include "options.hpp"

namespace tgt::cli {

/// What sheet writes: a file per member (html, csv, markdown) or workbooks (xlsx).
enum class SheetFormat { html, xlsx, csv, markdown };
/// The name --format takes for `format` ("html", …).
std::string_view sheet_format_name(SheetFormat format);

/// tgt sheet's options.
struct SheetOptions {
    std::string plan;
    std::string level;
    std::vector<std::string> who;
    SheetFormat format = SheetFormat::html;
    DisplayFlags display;  ///< --unit, --decimals, --lang (HTML and Markdown)
    bool single_file = false;
    std::string output;
    std::vector<std::string> actuals;  ///< with as_of: progress on each sheet
    std::string as_of;
    std::string metric;
    ActualsFlags actuals_flags;
};
/// Adds sheet's arguments and options to `app`.
void setup_sheet(CLI::App& app, SheetOptions& options);
/// Runs tgt sheet; returns the exit code.
int run_sheet(const SheetOptions& options, const Io& io);

}  // namespace tgt::cli
