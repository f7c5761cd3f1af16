#pragma once
// The command-line shell over the library: parse arguments, call the library, print, exit.

#include <cstdio>
#include <string>
#include <vector>

#include "tgt/error.hpp"
#include "tgt/input_limits.hpp"
#include "tgt/plan.hpp"

namespace tgt::cli {

/// Exit codes, documented in README.
enum ExitCode : int {
    exit_ok = 0,
    exit_bad_input = 1,  ///< the plan or a data file is wrong
    exit_usage = 2,      ///< bad command line
    exit_flagged = 3,    ///< a check found something outside the plan's bands (tgt check)
    exit_io = 4,         ///< an output could not be written
};

/// Runs the CLI in-process: argv as given, data to `out`, diagnostics to `err`.
int run(int argc, const char* const* argv, std::FILE* out, std::FILE* err);

/// What every command shares: where diagnostics go and whether they are coloured.
struct Io {
    std::FILE* out = stdout;
    std::FILE* err = stderr;
    bool color = false;      ///< diagnostics on err may be coloured
    bool color_out = false;  ///< tables on out may be coloured (a terminal, no NO_COLOR)
    InputLimits limits;      ///< how much of an input is read (TGT_MAX_INPUT)
};

/// The input limits TGT_MAX_INPUT asks for (`value`: its text, or null when it is not set): the
/// largest file read whole, and (at most 16 MiB of it) the longest actuals record. Throws a
/// usage Error when it is not a size.
InputLimits input_limits(const char* value);

/// Writes to the diagnostics stream. A closed or full stderr is no reason to stop (the exit code
/// still says what happened), so a failed write is ignored.
void say(std::FILE* err, std::string_view text);
/// Prints diagnostics in tgt's one error format; returns how many were errors.
int print_diagnostics(const Io& io, const std::vector<Diagnostic>& diagnostics);

/// Loads a plan from a path or "-" (standard input), reading no more than the limits allow.
Plan read_plan(const std::string& path, const InputLimits& limits);
/// A plan's text from a path or "-" (standard input), for commands that keep it.
std::string read_plan_text(const std::string& path, const InputLimits& limits);

/// An output that is either stdout or a file written atomically (temp file renamed on commit).
class Output {
public:
    Output(const std::string& path, std::FILE* stdout_stream);
    ~Output();
    Output(const Output&) = delete;
    Output& operator=(const Output&) = delete;
    std::FILE* stream() const { return stream_; }
    /// Flushes and, for a file, renames the temp file into place.
    void commit();

private:
    std::string path_;
    std::string temp_;
    std::FILE* stream_ = nullptr;
    bool owned_ = false;
};

}  // namespace tgt::cli
