#pragma once
// What every command shares: the streams, diagnostics, reading a plan, and the -o output.

#include <sys/stat.h>

#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cleanup.hpp"
#include "cli.hpp"
#include "tgt/error.hpp"
#include "tgt/input_limits.hpp"
#include "tgt/plan.hpp"

namespace tgt::cli {

/// What every command shares: where diagnostics go and whether they are coloured.
/// A command never touches the process's own standard streams: only these.
struct Io {
    std::FILE* in = nullptr;                 ///< "-" inputs (the plan, actuals)
    std::FILE* out = nullptr;                ///< data, unless -o names a file
    std::FILE* err = nullptr;                ///< diagnostics
    bool color = false;                      ///< diagnostics on err may be coloured
    bool color_out = false;                  ///< tables on out may be coloured (a terminal, no NO_COLOR)
    InputLimits limits;                      ///< how much of an input is read (TGT_MAX_INPUT), and its --encoding
    Encoding out_encoding = Encoding::utf8;  ///< data written: UTF-8, or GB18030 (--encoding gb18030)
    bool bom = false;                        ///< data written starts with a UTF-8 byte-order mark (--bom)
};

/// The input limits TGT_MAX_INPUT asks for (`value`: its text, or null when it is not set): the
/// largest file read whole, and (at most 16 MiB of it) the longest actuals record. Throws a
/// usage Error when it is not a size.
InputLimits input_limits(const char* value);

/// Writes to the diagnostics stream. A closed or full stderr is no reason to stop (the exit code
/// still says what happened), so a failed write is ignored.
void say(std::FILE* err, std::string_view text);
/// The flag that sets a request's field: Field::as_of → "--as-of". The library's messages name
/// fields; shown by the CLI, they name these.
std::string_view flag_name(Field field);
/// Prints diagnostics in tgt's one error format, fields named as flags; returns how many were errors.
int print_diagnostics(const Io& io, const std::vector<Diagnostic>& diagnostics);

/// Loads a plan from a path or "-" (io.in), reading no more than io.limits allow.
Plan read_plan(const std::string& path, const Io& io);
/// A plan's text from a path or "-" (io.in), for commands that keep it.
std::string read_plan_text(const std::string& path, const Io& io);

/// A file a command reads, which -o must not replace unasked; `what` names it in the refusal
/// ("the plan", "actuals"). "-" is standard input (refused when it is the -o file itself).
struct Input {
    std::string path;
    std::string what;
};
/// The plan's files as inputs: `path` as given ("-" for standard input) and every file it read.
std::vector<Input> plan_inputs(const std::string& path, const Plan& plan);

/// An output that is stdout or a file. A regular file (or a new one) is written to a temporary
/// file beside it (.NAME.tgt-PID.tmp), removed if a signal ends the run, and renamed into place on
/// commit, keeping the old file's mode and, where permitted, its owner and group. A symbolic link is
/// kept: the file it points to is the one replaced. A device, FIFO or socket is written to
/// directly. An -o naming one of `inputs` (same device and inode, or the same path while it does
/// not exist) is a usage error unless `force`. Temporary files of runs that died (-9) are removed.
class Output {
public:
    /// Writes to `path`, or to io.out when it is empty or "-"; io.in is the "-" input.
    Output(const std::string& path, const Io& io, const std::vector<Input>& inputs = {}, bool force = false);
    /// (When io asks for GB18030 or a byte-order mark, the data is held in memory and converted on commit.)
    ~Output();
    Output(const Output&) = delete;
    Output& operator=(const Output&) = delete;
    std::FILE* stream() const { return stream_; }
    /// Writes `data` whole; a failure is kept (with its errno) and reported by commit.
    void write(std::string_view data);
    /// Flushes and, for a file, renames the temp file into place.
    void commit();

private:
    void open(const std::string& path, const Io& io, const std::vector<Input>& inputs, bool force);
    void open_direct(const std::string& path);
    void write_converted();
    void open_temp(const struct stat* existing);

    std::string path_;    ///< as given, for messages
    std::string target_;  ///< the file replaced on commit (a link's target)
    Leftovers temp_;      ///< the temporary file, removed on a signal
    std::optional<RemovedOnSignal> on_signal_;
    std::FILE* stream_ = nullptr;
    bool owned_ = false;         ///< stream_ is ours to close
    bool renamed_ = false;       ///< commit renames temp_ onto target_
    std::FILE* held_ = nullptr;  ///< the real stream while stream_ collects the data in memory
    char* memory_ = nullptr;     ///< open_memstream's buffer
    std::size_t memory_size_ = 0;
    Encoding encoding_ = Encoding::utf8;
    bool bom_ = false;
    int write_errno_ = 0;  ///< why a write() failed (0: none did)
};

}  // namespace tgt::cli
