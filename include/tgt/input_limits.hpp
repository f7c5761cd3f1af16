#pragma once
// How much tgt reads of one input before it refuses it, so that an endless stream (/dev/zero on
// standard input) or a runaway file ends in an error instead of filling memory.

#include <cstdint>
#include <string>

#include "tgt/encoding.hpp"

#ifndef TGT_KEEP_TEXT_BYTES
#define TGT_KEEP_TEXT_BYTES (std::uint64_t{4} << 20)
#endif

namespace tgt {

/// The limits on what is read: a file read whole (a plan, a calendar, a CSV side file) and one
/// record of an actuals stream (which is streamed, so its whole size is not limited).
struct InputLimits {
    std::uint64_t file_bytes = std::uint64_t{1} << 30;    ///< a plan, calendar or CSV file: 1 GiB
    std::uint64_t record_bytes = std::uint64_t{1} << 24;  ///< one actuals record (a line): 16 MiB
    /// The errors' hints: how to raise the file limit (the caller knows its own settings), and what
    /// to look at when a record never ends.
    std::string file_hint = "split the input, or raise the input limit";
    std::string record_hint = "one record is one row: check the line ends and the quotes";
    /// How every input's bytes are read (UTF-8 or GB18030, found out by default); not a limit, but
    /// it travels with them to every reader.
    Encoding encoding = Encoding::automatic;
    /// A plan file longer than this is not kept in memory once read: its text is read again
    /// (and checked to be unchanged) when a message first needs a line and column in it.
    std::uint64_t keep_text_bytes = TGT_KEEP_TEXT_BYTES;  ///< 4 MiB (0 in the sanitizer build)
};

/// "1 GiB", "16 MiB", "64 KiB" or "1000 bytes": a limit as the errors show it.
std::string format_bytes(std::uint64_t bytes);

}  // namespace tgt
