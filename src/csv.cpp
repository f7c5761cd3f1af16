#include "tgt/csv.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "tgt/encoding.hpp"
#include "tgt/error.hpp"

namespace tgt {

int CsvTable::column(std::string_view name) const {
    for (std::size_t i = 0; i < header.size(); ++i)
        if (header[i] == name) return static_cast<int>(i);
    return -1;
}

bool valid_utf8(std::string_view s, std::size_t* bad_offset) {
    std::size_t i = 0;
    while (i < s.size()) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        std::size_t extra = 0;
        std::uint32_t code = 0;
        if (c < 0x80) {
            ++i;
            continue;
        } else if ((c >> 5) == 0x6) {
            extra = 1;
            code = c & 0x1Fu;
        } else if ((c >> 4) == 0xE) {
            extra = 2;
            code = c & 0x0Fu;
        } else if ((c >> 3) == 0x1E) {
            extra = 3;
            code = c & 0x07u;
        } else {
            extra = 9;
        }
        bool ok = extra != 9 && i + extra < s.size();
        for (std::size_t k = 1; ok && k <= extra; ++k) {
            unsigned char b = static_cast<unsigned char>(s[i + k]);
            ok = (b & 0xC0) == 0x80;
            code = (code << 6) | (b & 0x3Fu);
        }
        // Reject overlong forms, surrogates and code points past U+10FFFF.
        if (ok) {
            static constexpr std::uint32_t kMinimum[] = {0, 0x80, 0x800, 0x10000};
            ok = code >= kMinimum[extra] && code <= 0x10FFFF && !(code >= 0xD800 && code <= 0xDFFF);
        }
        if (!ok) {
            if (bad_offset) *bad_offset = i;
            return false;
        }
        i += extra + 1;
    }
    return true;
}

CsvTable parse_csv(std::string_view text, const std::string& file) {
    CsvTable table;
    table.file = file;
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    std::size_t bad = 0;
    if (!valid_utf8(text, &bad)) {
        int line = 1;
        for (std::size_t i = 0; i < bad; ++i)
            line += text[i] == '\n';
        throw Error::input({file, line, 0, ""}, "invalid UTF-8",
                           valid_gb18030(text) ? gb18030_hint() : std::string("save the file as UTF-8"));
    }
    std::size_t header_end = text.find('\n');
    std::string_view first_line = text.substr(0, header_end);
    char delimiter = (first_line.find('\t') != std::string_view::npos && first_line.find(',') == std::string_view::npos)
                         ? '\t'
                         : ',';
    std::vector<std::string> record;
    std::string field;
    int line = 1, record_line = 1;
    bool in_quotes = false, field_quoted = false, any = false;
    auto end_record = [&] {
        record.push_back(std::move(field));
        field.clear();
        bool blank = record.size() == 1 && record[0].empty() && !field_quoted;
        if (!blank) {
            if (table.header.empty()) {
                table.header = std::move(record);
            } else {
                if (record.size() != table.header.size())
                    throw Error::input(
                        {file, record_line, 0, ""},
                        fmt::format("expected {} fields, found {}", table.header.size(), record.size()),
                        "every row needs as many fields as the header; quote fields that contain commas");
                table.rows.push_back(std::move(record));
                table.lines.push_back(record_line);
            }
        }
        record.clear();
        field_quoted = false;
        any = false;
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (in_quotes) {
            if (c == '"') {
                if (i + 1 < text.size() && text[i + 1] == '"') {
                    field.push_back('"');
                    ++i;
                } else {
                    in_quotes = false;
                }
            } else {
                if (c == '\n') ++line;
                field.push_back(c);
            }
            continue;
        }
        if (c == '"' && field.empty() && !field_quoted) {
            in_quotes = field_quoted = any = true;
        } else if (c == delimiter) {
            record.push_back(std::move(field));
            field.clear();
            field_quoted = false;
            any = true;
        } else if (c == '\n') {
            end_record();
            ++line;
            record_line = line;
        } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
            continue;
        } else {
            if (field_quoted)
                throw Error::input({file, line, 0, ""}, "text after a closing quote",
                                   "a quoted field must end at the quote; double a quote inside it (\"\")");
            field.push_back(c);
            any = true;
        }
    }
    if (in_quotes) throw Error::input({file, record_line, 0, ""}, "unterminated quoted field", "close the quote");
    if (any || !field.empty()) end_record();
    if (table.header.empty()) throw Error::input({file, 1, 0, ""}, "empty file: no header row");
    return table;
}

void check_data_file(const std::string& path) {
    // Directories and devices such as /dev/zero are not data; pipes (<(…), /dev/stdin) are.
    std::error_code ec;
    auto status = std::filesystem::status(path, ec);
    if (!ec &&
        (status.type() == std::filesystem::file_type::directory || status.type() == std::filesystem::file_type::block ||
         (status.type() == std::filesystem::file_type::character && path != "/dev/stdin" &&
          path.rfind("/dev/fd/", 0) != 0 && path.rfind("/proc/self/fd/", 0) != 0)))
        throw Error::unreadable(path, "not a regular file");
}

std::string format_bytes(std::uint64_t bytes) {
    static constexpr const char* kUnits[] = {"KiB", "MiB", "GiB", "TiB"};
    std::string best = fmt::format("{} bytes", bytes);
    for (unsigned k = 1; k <= 4; ++k) {
        std::uint64_t unit = std::uint64_t{1} << (10 * k);
        if (bytes >= unit && bytes % unit == 0) best = fmt::format("{} {}", bytes / unit, kUnits[k - 1]);
    }
    return best;
}

namespace {

Error too_large(const std::string& name, const InputLimits& limits) {
    return Error::unreadable(name, fmt::format("larger than the input limit ({})", format_bytes(limits.file_bytes)),
                             limits.file_hint);
}

}  // namespace

namespace {

// The bytes read as UTF-8 text (see decode_text); valid UTF-8 without a mark stays where it is.
std::string decoded(std::string bytes, const InputLimits& limits, const std::string& name) {
    if (limits.encoding != Encoding::gb18030 && bytes.substr(0, kUtf8Bom.size()) != kUtf8Bom && valid_utf8(bytes))
        return bytes;
    return decode_text(bytes, limits.encoding, name);
}

}  // namespace

namespace {

// The stream's bytes, block by block, and never past the limit: one byte more than it says the
// input is too large. `expected` (a regular file's size) sizes the buffer once: the bytes are read
// into their final place, without the copies of a doubling buffer.
std::string read_bytes(std::istream& in, const std::string& name, const InputLimits& limits, std::uint64_t expected) {
    constexpr std::size_t kBlock = std::size_t{1} << 16;
    const std::uint64_t most = limits.file_bytes + 1;
    std::string text;
    if (expected > 0) text.reserve(static_cast<std::size_t>(std::min(expected + 1, most)));
    std::streambuf* buffer = in.rdbuf();
    while (buffer && text.size() < most) {
        const std::size_t old = text.size();
        const std::size_t room = text.capacity() - old;  // a sized buffer is filled, then asked for its last byte
        const std::size_t want =
            static_cast<std::size_t>(std::min<std::uint64_t>(room > 0 ? room : kBlock, most - old));
        if (old + want > text.capacity()) {
            // Doubling, straight to the limit's byte once half of it is reached: the buffer never
            // holds more than that byte. (std::string::reserve would round up to twice the capacity.)
            std::uint64_t next = std::max<std::uint64_t>(2 * text.capacity(), old + want);
            std::string bigger;
            bigger.reserve(static_cast<std::size_t>(next >= most / 2 ? most : next));
            bigger.append(text);
            text.swap(bigger);
        }
        text.resize(old + want);
        auto n = static_cast<std::size_t>(buffer->sgetn(text.data() + old, static_cast<std::streamsize>(want)));
        text.resize(old + n);
        if (n == 0) break;
    }
    if (text.size() > limits.file_bytes) throw too_large(name, limits);
    return text;
}

}  // namespace

std::string read_text_stream(std::istream& in, const std::string& name, const InputLimits& limits) {
    return decoded(read_bytes(in, name, limits, 0), limits, name);
}

std::string read_text_file(const std::string& path, const InputLimits& limits) {
    check_data_file(path);
    std::error_code ec;
    std::uint64_t size = 0;
    if (std::filesystem::is_regular_file(path, ec)) {
        size = std::filesystem::file_size(path, ec);
        if (ec) size = 0;
        if (size > limits.file_bytes) throw too_large(path, limits);
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error::unreadable(path, fmt::format("cannot read: {}", std::strerror(errno)));
    std::string text = decoded(read_bytes(in, path, limits, size), limits, path);
    if (in.bad()) throw Error::unreadable(path, "read failed");
    // A buffer grown by doubling (a pipe, a file that grew): a large input, kept while its plan
    // lives, keeps only its own bytes.
    if (text.capacity() - text.size() > (std::size_t{1} << 20)) text.shrink_to_fit();
    return text;
}

CsvTable read_csv_file(const std::string& path, const InputLimits& limits) {
    return parse_csv(read_text_file(path, limits), path);
}

}  // namespace tgt
