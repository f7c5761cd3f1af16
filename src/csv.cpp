#include "tgt/csv.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

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
        throw Error::input({file, line, 0, ""}, "invalid UTF-8", "save the file as UTF-8");
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

std::string read_text_file(const std::string& path) {
    check_data_file(path);
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error::unreadable(path, fmt::format("cannot read: {}", std::strerror(errno)));
    std::ostringstream buffer;
    buffer << in.rdbuf();
    if (in.bad()) throw Error::unreadable(path, "read failed");
    return buffer.str();
}

CsvTable read_csv_file(const std::string& path) {
    return parse_csv(read_text_file(path), path);
}

}  // namespace tgt
