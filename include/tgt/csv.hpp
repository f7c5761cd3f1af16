#pragma once
// Reading delimited text (CSV/TSV) with the line of every record, for weights and history.

#include <istream>
#include <string>
#include <string_view>
#include <vector>

#include "tgt/input_limits.hpp"

namespace tgt {

/// A delimited file read whole: a header and records, each with its 1-based line number.
struct CsvTable {
    std::string file;
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;
    std::vector<int> lines;

    /// Index of the column called `name`, or -1.
    int column(std::string_view name) const;
};

/// Parses CSV text (RFC 4180 quoting; tab-separated when the header has tabs and no commas).
/// Throws Error naming the file and line on unbalanced quotes, ragged rows or invalid UTF-8.
CsvTable parse_csv(std::string_view text, const std::string& file);

/// Reads and parses a file (decoded as read_text_file does); throws Error if it cannot be read or
/// is larger than the limit.
CsvTable read_csv_file(const std::string& path, const InputLimits& limits = {});

/// Throws Error(io) when `path` is a directory or a device other than standard input (not data).
void check_data_file(const std::string& path);

/// Reads a whole file into a string, as UTF-8 text without a byte-order mark (GB18030 converted, see
/// decode_text and limits.encoding); throws Error naming the file when it cannot, when its bytes are
/// not text in that encoding, or when it holds more than limits.file_bytes (reading stops there: an
/// endless stream is refused, never read whole).
std::string read_text_file(const std::string& path, const InputLimits& limits = {});
/// The same for a stream already open (standard input); `name` is the file the errors name.
std::string read_text_stream(std::istream& in, const std::string& name, const InputLimits& limits = {});

/// True if `text` is valid UTF-8; `bad_offset` gets the first bad byte.
bool valid_utf8(std::string_view text, std::size_t* bad_offset = nullptr);

}  // namespace tgt
