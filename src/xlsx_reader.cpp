// An .xlsx worksheet as CSV: minizip reads the zip's members, expat parses their XML as it streams.

#include "xlsx_reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <map>

#include "tgt/csv.hpp"
#include "tgt/error.hpp"

#if TGT_HAVE_XLSX_READ
#include <expat.h>
#include <unzip.h>
#endif

namespace tgt {

bool is_xlsx_path(std::string_view path) {
    auto dot = path.rfind('.');
    if (dot == std::string_view::npos) return false;
    std::string ext;
    for (char c : path.substr(dot + 1))
        ext += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return ext == "xlsx" || ext == "xlsm";
}

XlsxCsv::~XlsxCsv() {
    if (csv_) std::fclose(csv_);
}

std::string XlsxCsv::cell(int line, int column) const {
    const int row = line + offset_;
    if (column < 0) return fmt::format("{}!{}:{}", sheet_, row, row);
    std::string letters;
    for (int c = column + 1; c > 0; c = (c - 1) / 26)
        letters.insert(letters.begin(), static_cast<char>('A' + (c - 1) % 26));
    return fmt::format("{}!{}{}", sheet_, letters, row);
}

// Outside the reader proper so it is tested wherever tgt builds.
std::string excel_number_text(std::string_view raw) {
    // Decimal digits and the power of ten of the first one, read off the text: no binary rounding.
    std::size_t i = 0;
    const bool negative = i < raw.size() && raw[i] == '-';
    if (negative || (i < raw.size() && raw[i] == '+')) ++i;
    std::string digits;
    long point = 0;  // digits before the decimal point
    bool seen_point = false;
    for (; i < raw.size(); ++i) {
        const char c = raw[i];
        if (c >= '0' && c <= '9') {
            if (digits.empty() && c == '0') {
                if (seen_point) --point;  // leading zeros after the point shift the scale
                continue;
            }
            digits += c;
            if (!seen_point) ++point;
        } else if (c == '.' && !seen_point) {
            seen_point = true;
        } else {
            break;
        }
    }
    if (i < raw.size() && (raw[i] == 'e' || raw[i] == 'E')) {
        const std::string exponent(raw.substr(i + 1));
        char* end = nullptr;
        errno = 0;
        const long e = std::strtol(exponent.c_str(), &end, 10);
        if (end == exponent.c_str() || *end != '\0' || errno == ERANGE || e > 400 || e < -400) return std::string(raw);
        point += e;
        i = raw.size();
    }
    if (i != raw.size()) return std::string(raw);  // not a number: leave it for the reader to report
    if (digits.empty()) return "0";
    // Round half away from zero to 15 significant digits, as Excel shows a number.
    if (digits.size() > 15) {
        const bool up = digits[15] >= '5';
        digits.resize(15);
        if (up) {
            std::size_t k = digits.size();
            while (k > 0 && digits[k - 1] == '9')
                digits[--k] = '0';
            if (k == 0) {
                digits.insert(digits.begin(), '1');
                digits.pop_back();
                ++point;
            } else {
                ++digits[k - 1];
            }
        }
    }
    digits.erase(digits.find_last_not_of('0') + 1);
    if (digits.empty()) return "0";
    std::string text = negative ? "-" : "";
    if (point <= 0) {
        text += "0.";
        text.append(static_cast<std::size_t>(-point), '0');
        text += digits;
    } else if (static_cast<std::size_t>(point) >= digits.size()) {
        text += digits;
        text.append(static_cast<std::size_t>(point) - digits.size(), '0');
    } else {
        text += digits.substr(0, static_cast<std::size_t>(point));
        text += '.';
        text += digits.substr(static_cast<std::size_t>(point));
    }
    return text;
}

#if TGT_HAVE_XLSX_READ

bool xlsx_reader_available() {
    return true;
}

namespace {

// A workbook opened with minizip; each member's bytes streamed through a callback.
class Zip {
public:
    explicit Zip(const std::string& path) : path_(path) {
        check_data_file(path);
        if (std::FILE* f = std::fopen(path.c_str(), "rb"))
            std::fclose(f);
        else
            throw Error::unreadable(path, fmt::format("cannot read: {}", std::strerror(errno)));
        zip_ = unzOpen64(path.c_str());
        if (!zip_)
            throw Error::unreadable(path, "not an .xlsx workbook (it does not open as a zip file)",
                                    "save it from Excel as .xlsx, or export CSV");
    }
    ~Zip() { unzClose(zip_); }
    Zip(const Zip&) = delete;
    Zip& operator=(const Zip&) = delete;

    // Feeds member `name` to `parser` (false when the zip has no such member).
    bool parse(const std::string& name, XML_Parser parser) {
        if (unzLocateFile(zip_, name.c_str(), 0) != UNZ_OK) return false;
        if (unzOpenCurrentFile(zip_) != UNZ_OK) throw Error::unreadable(path_, fmt::format("cannot open {}", name));
        std::vector<char> buffer(std::size_t{1} << 16);
        for (;;) {
            const int n = unzReadCurrentFile(zip_, buffer.data(), static_cast<unsigned>(buffer.size()));
            if (n < 0) {
                unzCloseCurrentFile(zip_);
                throw Error::unreadable(path_, fmt::format("{}: the zip data is damaged", name));
            }
            if (XML_Parse(parser, buffer.data(), n, n == 0) == XML_STATUS_ERROR) {
                const std::string why = XML_ErrorString(XML_GetErrorCode(parser));
                const auto line = XML_GetCurrentLineNumber(parser);
                unzCloseCurrentFile(zip_);
                throw Error::unreadable(path_, fmt::format("{}:{}: not well-formed XML: {}", name, line, why));
            }
            if (n == 0) break;
        }
        unzCloseCurrentFile(zip_);
        return true;
    }

private:
    std::string path_;
    unzFile zip_ = nullptr;
};

// An element's name without its namespace prefix ("x:row" → "row").
std::string_view local(const XML_Char* name) {
    std::string_view n(name);
    auto colon = n.rfind(':');
    return colon == std::string_view::npos ? n : n.substr(colon + 1);
}

const char* attribute(const XML_Char** attributes, std::string_view name) {
    for (int i = 0; attributes[i]; i += 2)
        if (local(attributes[i]) == name) return attributes[i + 1];
    return nullptr;
}

// Runs `Handler`'s start(name, attributes), end(name) and text(s, n) over member `name`.
template <class Handler>
bool parse_member(Zip& zip, const std::string& name, Handler& handler) {
    std::unique_ptr<std::remove_pointer_t<XML_Parser>, void (*)(XML_Parser)> parser(XML_ParserCreate(nullptr),
                                                                                    XML_ParserFree);
    XML_SetUserData(parser.get(), &handler);
    XML_SetElementHandler(
        parser.get(),
        [](void* h, const XML_Char* n, const XML_Char** a) { static_cast<Handler*>(h)->start(local(n), a); },
        [](void* h, const XML_Char* n) { static_cast<Handler*>(h)->end(local(n)); });
    XML_SetCharacterDataHandler(parser.get(), [](void* h, const XML_Char* s, int n) {
        static_cast<Handler*>(h)->text(std::string_view(s, static_cast<std::size_t>(n)));
    });
    return zip.parse(name, parser.get());
}

// xl/workbook.xml: the sheets' names and relationship ids, in order; whether dates count from 1904.
struct WorkbookXml {
    std::vector<std::pair<std::string, std::string>> sheets;
    bool date1904 = false;
    void start(std::string_view name, const XML_Char** a) {
        if (name == "sheet") {
            const char* n = attribute(a, "name");
            const char* id = attribute(a, "id");
            sheets.emplace_back(n ? n : "", id ? id : "");
        } else if (name == "workbookPr") {
            const char* d = attribute(a, "date1904");
            date1904 = d && (std::string_view(d) == "1" || std::string_view(d) == "true");
        }
    }
    void end(std::string_view) {}
    void text(std::string_view) {}
};

// xl/_rels/workbook.xml.rels: relationship id → target.
struct RelsXml {
    std::map<std::string, std::string> targets;
    void start(std::string_view name, const XML_Char** a) {
        const char* id = attribute(a, "Id");
        const char* target = attribute(a, "Target");
        if (name == "Relationship" && id && target) targets[id] = target;
    }
    void end(std::string_view) {}
    void text(std::string_view) {}
};

// xl/sharedStrings.xml: each <si>'s text (its runs joined, phonetic guides left out).
struct SharedStringsXml {
    std::vector<std::string> strings;
    bool in_t = false;
    int phonetic = 0;
    void start(std::string_view name, const XML_Char**) {
        if (name == "si") strings.emplace_back();
        if (name == "rPh") ++phonetic;
        if (name == "t") in_t = true;
    }
    void end(std::string_view name) {
        if (name == "rPh") --phonetic;
        if (name == "t") in_t = false;
    }
    void text(std::string_view s) {
        if (in_t && phonetic == 0 && !strings.empty()) strings.back().append(s);
    }
};

// Whether a custom number format shows a date (d, m or y outside quotes and [brackets]).
bool date_format(std::string_view code) {
    bool quoted = false, bracket = false;
    for (char c : code) {
        if (c == '"') quoted = !quoted;
        if (quoted) continue;
        if (c == '[') bracket = true;
        if (c == ']') bracket = false;
        if (!bracket && (c == 'd' || c == 'D' || c == 'y' || c == 'Y')) return true;
    }
    return false;
}

// xl/styles.xml: which cell styles (cellXfs' order) show dates.
struct StylesXml {
    std::map<int, bool> custom;  // numFmtId → is a date
    std::vector<int> formats;    // cellXfs: style index → numFmtId
    bool in_xfs = false;
    void start(std::string_view name, const XML_Char** a) {
        if (name == "numFmt") {
            const char* id = attribute(a, "numFmtId");
            const char* code = attribute(a, "formatCode");
            if (id && code) custom[std::atoi(id)] = date_format(code);
        } else if (name == "cellXfs") {
            in_xfs = true;
        } else if (name == "xf" && in_xfs) {
            const char* id = attribute(a, "numFmtId");
            formats.push_back(id ? std::atoi(id) : 0);
        }
    }
    void end(std::string_view name) {
        if (name == "cellXfs") in_xfs = false;
    }
    void text(std::string_view) {}
    bool is_date(int style) const {
        if (style < 0 || static_cast<std::size_t>(style) >= formats.size()) return false;
        const int id = formats[static_cast<std::size_t>(style)];
        if ((id >= 14 && id <= 22) || (id >= 45 && id <= 47) || (id >= 27 && id <= 36) || (id >= 50 && id <= 58))
            return true;
        auto it = custom.find(id);
        return it != custom.end() && it->second;
    }
};

// A date serial (days since 1899-12-30, or 1904-01-01) as YYYY-MM-DD; a time of day is dropped.
std::string serial_date(std::string_view raw, bool date1904) {
    using namespace std::chrono;
    const double v = std::strtod(std::string(raw).c_str(), nullptr);
    if (!(v >= 0 && v < 2958466)) return excel_number_text(raw);  // not a date Excel shows (beyond 9999-12-31)
    const sys_days epoch = date1904 ? sys_days(year{1904} / January / 1) : sys_days(year{1899} / December / 30);
    const year_month_day d(epoch + days(static_cast<int>(v)));
    return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(d.year()), static_cast<unsigned>(d.month()),
                       static_cast<unsigned>(d.day()));
}

// A column's 0-based index from a cell reference ("C7" → 2), or -1.
int column_of(const char* ref) {
    int col = 0;
    const char* p = ref;
    for (; *p >= 'A' && *p <= 'Z'; ++p)
        col = col * 26 + (*p - 'A' + 1);
    return p == ref ? -1 : col - 1;
}

void append_field(std::string& out, const std::string& text) {
    if (text.find_first_of(",\"\r\n") == std::string::npos) {
        out += text;
        return;
    }
    out += '"';
    for (char c : text) {
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
}

// The worksheet's rows as CSV lines onto `out`, from the first row that holds a value.
struct SheetXml {
    const SharedStringsXml& shared;
    const StylesXml& styles;
    bool date1904;
    std::FILE* out;
    std::string file;
    std::vector<std::string> cells;
    std::string type, value, line;
    int style = -1, column = -1, row = 0, next_row = 1, written = 0, first_row = 0;
    std::size_t width = 0;  // the header row's cells: Excel leaves a row's empty last cells out
    bool in_value = false, in_inline = false, formula = false;

    void start(std::string_view name, const XML_Char** a) {
        if (name == "row") {
            const char* r = attribute(a, "r");
            row = r ? std::atoi(r) : next_row;
            next_row = row + 1;
            cells.clear();
            column = -1;
        } else if (name == "c") {
            const char* r = attribute(a, "r");
            const char* t = attribute(a, "t");
            const char* s = attribute(a, "s");
            column = r ? column_of(r) : column + 1;
            type = t ? t : "n";
            style = s ? std::atoi(s) : -1;
            value.clear();
            formula = false;
        } else if (name == "f") {
            formula = true;
        } else if (name == "v") {
            in_value = true;
        } else if (name == "is") {
            in_inline = true;
        } else if (name == "t" && in_inline) {
            in_value = true;
        }
    }
    void text(std::string_view s) {
        if (in_value) value.append(s);
    }
    void end(std::string_view name) {
        if (name == "v" || name == "t") in_value = false;
        if (name == "is") in_inline = false;
        if (name == "c") end_cell();
        if (name == "row") end_row();
    }
    void end_cell() {
        // A formula saved without its value (written by a program, never recalculated) is not a blank.
        if (column >= 0 && value.empty() && formula) {
            value = "(a formula without a saved value)";
            type = "str";
        }
        if (column < 0 || value.empty()) return;
        std::string text;
        if (type == "s") {
            const auto i = static_cast<std::size_t>(std::strtoul(value.c_str(), nullptr, 10));
            text = i < shared.strings.size() ? shared.strings[i] : std::string();
        } else if (type == "n") {
            text = styles.is_date(style) ? serial_date(value, date1904) : excel_number_text(value);
        } else if (type == "b") {
            text = value == "1" ? "TRUE" : "FALSE";
        } else {
            text = value;  // inlineStr, str (a formula's text), e (an error such as #N/A)
        }
        if (static_cast<std::size_t>(column) >= cells.size()) cells.resize(static_cast<std::size_t>(column) + 1);
        cells[static_cast<std::size_t>(column)] = std::move(text);
    }
    void end_row() {
        while (!cells.empty() && cells.back().empty())
            cells.pop_back();
        if (cells.empty()) return;  // an empty row: a blank line where the next one comes
        if (first_row == 0) {
            first_row = row;
            width = cells.size();
        }
        if (cells.size() < width) cells.resize(width);
        line.clear();
        for (int r = first_row + written; r < row; ++r, ++written)
            line += '\n';  // rows left out keep the line numbers
        for (std::size_t c = 0; c < cells.size(); ++c) {
            if (c > 0) line += ',';
            append_field(line, cells[c]);
        }
        line += '\n';
        ++written;
        if (std::fwrite(line.data(), 1, line.size(), out) != line.size())
            throw Error::unreadable(file, "cannot write the temporary CSV of its sheet");
    }
};

// The worksheet member a relationship target names ("worksheets/sheet1.xml" → "xl/worksheets/sheet1.xml").
std::string member_of(const std::string& target) {
    if (!target.empty() && target[0] == '/') return target.substr(1);
    return "xl/" + target;
}

}  // namespace

XlsxCsv::XlsxCsv(const std::string& path, const std::string& sheet) {
    Zip zip(path);
    WorkbookXml workbook;
    RelsXml rels;
    if (!parse_member(zip, "xl/workbook.xml", workbook) || !parse_member(zip, "xl/_rels/workbook.xml.rels", rels) ||
        workbook.sheets.empty())
        throw Error::unreadable(path, "not an .xlsx workbook (no xl/workbook.xml naming its sheets)",
                                "save it from Excel as .xlsx, or export CSV");
    auto chosen = workbook.sheets.begin();
    if (!sheet.empty()) {
        chosen = std::find_if(workbook.sheets.begin(), workbook.sheets.end(),
                              [&](const auto& s) { return s.first == sheet; });
        if (chosen == workbook.sheets.end()) {
            std::vector<std::string> names;
            for (const auto& s : workbook.sheets)
                names.push_back(s.first);
            throw Error::unreadable(path, fmt::format("no sheet named \"{}\"", sheet),
                                    fmt::format("its sheets: {}", fmt::join(names, ", ")));
        }
    }
    sheet_ = chosen->first;
    SharedStringsXml shared;
    StylesXml styles;
    parse_member(zip, "xl/sharedStrings.xml", shared);
    parse_member(zip, "xl/styles.xml", styles);
    csv_ = std::tmpfile();
    if (!csv_) throw Error::unreadable(path, "cannot create a temporary file for its sheet");
    SheetXml rows{shared, styles, workbook.date1904, csv_, path, {}, {}, {}, {}};
    const auto target = rels.targets.find(chosen->second);
    if (target == rels.targets.end() || !parse_member(zip, member_of(target->second), rows))
        throw Error::unreadable(path, fmt::format("the sheet \"{}\" is missing from the workbook", sheet_));
    offset_ = rows.first_row > 0 ? rows.first_row - 1 : 0;
    if (std::fflush(csv_) != 0 || std::fseek(csv_, 0, SEEK_SET) != 0)
        throw Error::unreadable(path, "cannot read back the temporary CSV of its sheet");
}

#else

bool xlsx_reader_available() {
    return false;
}

XlsxCsv::XlsxCsv(const std::string& path, const std::string&) {
    throw Error::unreadable(path, "this tgt was built without minizip and expat: it cannot read .xlsx",
                            "apt-get install libminizip-dev libexpat1-dev and rebuild, or export the sheet as CSV");
}

#endif

}  // namespace tgt
