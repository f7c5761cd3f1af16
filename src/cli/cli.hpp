#pragma once
// The command-line shell over the library as a library of its own (tgt_cli): `run` parses
// arguments, calls the library, prints and returns the exit code. The executable is a small main()
// around it; tests call it in process with streams of their own.

#include <cstdio>
#include <string>
#include <vector>

namespace tgt::cli {

/// Exit codes, documented in README.
enum ExitCode : int {
    exit_ok = 0,
    exit_bad_input = 1,  ///< the plan or a data file is wrong
    exit_usage = 2,      ///< bad command line
    exit_flagged = 3,    ///< a check found something outside the plan's bands (tgt check)
    exit_io = 4,         ///< an output could not be written
};

/// Runs tgt in process: `args` are the arguments after the program's name ("split", "plan.json",
/// …); "-" inputs read `in`, data goes to `out` (or to -o), diagnostics to `err`. Nothing else of the
/// process is used but the environment (TGT_MAX_INPUT, NO_COLOR) and, for -o, the file system.
/// Returns the exit code.
int run(const std::vector<std::string>& args, std::FILE* in, std::FILE* out, std::FILE* err);
/// The same with main()'s arguments (argv[0] is the program).
int run(int argc, const char* const* argv, std::FILE* in, std::FILE* out, std::FILE* err);

}  // namespace tgt::cli
