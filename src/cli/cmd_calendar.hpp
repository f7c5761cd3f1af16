#pragma once
// tgt calendar: working days, holidays and make-up days per period.

#include <CLI/CLI.hpp>

#include "options.hpp"

namespace tgt::cli {

/// tgt calendar's options.
struct CalendarOptions {
    std::string file;
    std::optional<TimeLevel> period;  ///< rows per …; nullopt: month
    FormatOption format;
    std::string output;
    bool force = false;  ///< -o may replace one of the inputs
    bool list = false;
    bool list_builtin = false;
    std::optional<int> year;
};
/// Adds calendar's arguments and options to `app`.
void setup_calendar(CLI::App& app, CalendarOptions& options);
/// Runs tgt calendar; returns the exit code.
int run_calendar(const CalendarOptions& options, const Io& io);

}  // namespace tgt::cli
