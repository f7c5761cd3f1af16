// Renderers over report.hpp: csv, tsv, json, ndjson stream; table and markdown hold rows to align
// them, or stream past a first block when the caller knows the widths.

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdlib>
#include <memory>
#include <optional>
#include <stdexcept>

#include "tgt/display.hpp"
#include "tgt/report.hpp"
#include "xlsx_table_writer.hpp"

namespace tgt {

std::optional<Format> parse_format(std::string_view name) {
    if (name == "table") return Format::table;
    if (name == "csv") return Format::csv;
    if (name == "tsv") return Format::tsv;
    if (name == "json") return Format::json;
    if (name == "ndjson" || name == "jsonl") return Format::ndjson;
    if (name == "markdown" || name == "md") return Format::markdown;
    if (name == "xlsx") return Format::xlsx;
    return std::nullopt;
}

std::string_view format_name(Format f) {
    switch (f) {
        case Format::table:
            return "table";
        case Format::csv:
            return "csv";
        case Format::tsv:
            return "tsv";
        case Format::json:
            return "json";
        case Format::ndjson:
            return "ndjson";
        case Format::markdown:
            return "markdown";
        case Format::xlsx:
            return "xlsx";
    }
    return {};
}

FileType file_type(std::string_view path) {
    FileType type;
    auto slash = path.find_last_of('/');
    auto name = slash == std::string_view::npos ? path : path.substr(slash + 1);
    auto dot = name.rfind('.');
    if (dot == std::string_view::npos || dot == 0) return type;  // none, or a hidden file's name
    for (char c : name.substr(dot + 1))
        type.extension += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    static constexpr std::string_view foreign[] = {
        "xlsx", "xlsm", "xlsb", "xls",  "ods", "numbers", "pdf",     "html",   "htm",  "xhtml", "xml",
        "doc",  "docx", "odt",  "rtf",  "ppt", "pptx",    "png",     "jpg",    "jpeg", "gif",   "svg",
        "webp", "yaml", "yml",  "toml", "zip", "gz",      "parquet", "sqlite", "db"};
    if (type.extension == "txt" || type.extension == "text") {
        type.kind = FileType::Kind::text;
    } else if (type.extension != "table") {
        if (auto f = parse_format(type.extension)) {
            type.kind = FileType::Kind::format;
            type.format = *f;
        } else if (type.extension == "tab") {
            type.kind = FileType::Kind::format;
            type.format = Format::tsv;
        } else if (std::find(std::begin(foreign), std::end(foreign), type.extension) != std::end(foreign)) {
            type.kind = FileType::Kind::foreign;
        }
    }
    return type;
}

std::optional<Format> format_for_path(std::string_view path) {
    FileType type = file_type(path);
    if (type.kind == FileType::Kind::text) return Format::table;
    if (type.kind == FileType::Kind::format) return type.format;
    return std::nullopt;
}

std::size_t display_width(std::string_view s) {
    // Plain ASCII without escapes (ids, dates, amounts: nearly every cell) is one column a byte.
    bool plain = true;
    for (char c : s)
        plain &= static_cast<unsigned char>(c) < 0x80 && c != 0x1B;
    if (plain) return s.size();
    std::size_t width = 0;
    for (std::size_t i = 0; i < s.size();) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        if (c == 0x1B && i + 1 < s.size() && s[i + 1] == '[') {  // an ANSI colour: no width
            i += 2;
            while (i < s.size() && !(s[i] >= 0x40 && s[i] <= 0x7E))
                ++i;
            ++i;
            continue;
        }
        std::uint32_t cp = c;
        std::size_t len = 1;
        if (c >= 0xF0) {
            len = 4;
            cp = c & 0x07u;
        } else if (c >= 0xE0) {
            len = 3;
            cp = c & 0x0Fu;
        } else if (c >= 0xC0) {
            len = 2;
            cp = c & 0x1Fu;
        }
        for (std::size_t k = 1; k < len && i + k < s.size(); ++k)
            cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3Fu);
        i += len;
        if (cp >= 0x300 && cp <= 0x36F) continue;  // combining marks
        bool wide =
            (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) || (cp >= 0xAC00 && cp <= 0xD7A3) ||
            (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
            (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1F64F) || (cp >= 0x20000 && cp <= 0x3FFFD);
        width += wide ? 2 : 1;
    }
    return width;
}

// Characters that force a CSV field into quotes.
constexpr std::array<bool, 256> kNeedsQuotes = [] {
    std::array<bool, 256> table{};
    table[static_cast<unsigned char>(',')] = table[static_cast<unsigned char>('"')] = true;
    table[static_cast<unsigned char>('\n')] = table[static_cast<unsigned char>('\r')] = true;
    return table;
}();

void append_csv_field(std::string& out, std::string_view text, char delimiter) {
    if (delimiter == '\t') {
        for (char c : text)
            out.push_back(c == '\t' || c == '\n' || c == '\r' ? ' ' : c);
        return;
    }
    bool quote = false;
    for (char c : text)
        quote |= kNeedsQuotes[static_cast<unsigned char>(c)];
    if (!quote) {
        out.append(text);
        return;
    }
    out.push_back('"');
    for (char c : text) {
        if (c == '"') out.push_back('"');
        out.push_back(c);
    }
    out.push_back('"');
}

namespace {

// Buffered writes to a FILE*, so that millions of rows cost one syscall per megabyte.
class Sink {
public:
    explicit Sink(std::FILE* out) : out_(out) { buffer_.reserve(1 << 20); }
    ~Sink() = default;
    std::string& buffer() { return buffer_; }
    void maybe_flush() {
        if (buffer_.size() >= (1 << 20)) flush();
    }
    // Text made elsewhere: after what the buffer holds, written as it is (not copied) when it is large.
    void write(std::string_view text) {
        if (text.size() < (1 << 16)) {
            buffer_.append(text);
            maybe_flush();
            return;
        }
        flush();
        if (std::fwrite(text.data(), 1, text.size(), out_) != text.size()) throw WriteError{errno};
    }
    void flush() {
        if (!buffer_.empty() && std::fwrite(buffer_.data(), 1, buffer_.size(), out_) != buffer_.size()) {
            buffer_.clear();
            throw WriteError{errno};
        }
        buffer_.clear();
    }

private:
    std::FILE* out_;
    std::string buffer_;
};

// One csv or tsv row's text. With stable text, the escaped text of repeated leading keys is reused.
class DelimitedFormat : public RowFormatter {
public:
    DelimitedFormat(const std::vector<Column>& columns, char delimiter, bool stable_text)
        : columns_(columns), delimiter_(delimiter), stable_text_(stable_text) {
        while (leading_text_ < columns.size() && !columns[leading_text_].amount)
            ++leading_text_;
        cache_end_.assign(leading_text_ + 1, 0);
        previous_.assign(leading_text_, std::string_view{});
    }
    void append(std::string& b, std::span<const Cell> cells) override {
        std::size_t first = 0;
        if (stable_text_) {
            // Rows often repeat their leading keys (same region, rep, product): reuse their text.
            std::size_t same = 0;
            while (same < cached_ && cells[same].present && cells[same].text.data() == previous_[same].data() &&
                   cells[same].text.size() == previous_[same].size())
                ++same;
            prefix_.resize(cache_end_[same]);
            for (std::size_t i = same; i < leading_text_ && i < cells.size(); ++i) {
                if (cells[i].present) append_csv_field(prefix_, cells[i].text, delimiter_);
                prefix_.push_back(delimiter_);
                cache_end_[i + 1] = prefix_.size();
                previous_[i] = cells[i].present ? cells[i].text : std::string_view{};
            }
            cached_ = std::min(leading_text_, cells.size());
            b.append(prefix_);
            first = cached_;
            if (first == cells.size()) b.pop_back();  // no trailing delimiter after the last column
        }
        for (std::size_t i = first; i < cells.size(); ++i) {
            if (i > first) b.push_back(delimiter_);
            if (!cells[i].present) continue;
            if (columns_[i].amount) {
                append_minor(b, cells[i].amount, columns_[i].decimals);
                continue;
            }
            append_csv_field(b, cells[i].text, delimiter_);
        }
        b.push_back('\n');
    }

private:
    std::vector<Column> columns_;
    char delimiter_;
    bool stable_text_;
    std::size_t leading_text_ = 0;            // text columns before the first amount
    std::size_t cached_ = 0;                  // leading columns whose text prefix_ holds
    std::string prefix_;                      // escaped leading columns, each followed by a delimiter
    std::vector<std::size_t> cache_end_;      // cache_end_[i]: bytes of prefix_ for the first i columns
    std::vector<std::string_view> previous_;  // the views those columns were made from
};

class DelimitedWriter : public TableWriter {
public:
    DelimitedWriter(std::FILE* out, char delimiter, bool stable_text)
        : sink_(out), delimiter_(delimiter), stable_text_(stable_text) {}
    void omit_header() override { header_ = false; }
    void begin(const std::vector<Column>& columns) override {
        columns_ = columns;
        format_.emplace(columns, delimiter_, stable_text_);
        if (!header_) return;
        std::string& b = sink_.buffer();
        for (std::size_t i = 0; i < columns.size(); ++i) {
            if (i) b.push_back(delimiter_);
            append_csv_field(b, columns[i].name, delimiter_);
        }
        b.push_back('\n');
    }
    void row(std::span<const Cell> cells) override {
        format_->append(sink_.buffer(), cells);
        sink_.maybe_flush();
    }
    std::unique_ptr<RowFormatter> row_formatter() const override {
        return std::make_unique<DelimitedFormat>(columns_, delimiter_, stable_text_);
    }
    void write_rows(std::string_view text) override { sink_.write(text); }
    void end() override { sink_.flush(); }

private:
    Sink sink_;
    char delimiter_;
    bool stable_text_;
    bool header_ = true;
    std::vector<Column> columns_;
    std::optional<DelimitedFormat> format_;
};

// JSON text, escaped as nlohmann's dump() does (and so the same in split's JSON and explain's): the
// short escapes, other control bytes as \u00xx, everything else (UTF-8 included) as it is.
void append_json_string(std::string& out, std::string_view s) {
    out.push_back('"');
    for (char ch : s) {
        unsigned char c = static_cast<unsigned char>(ch);
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\b':
                out += "\\b";
                break;
            case '\f':
                out += "\\f";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            default:
                if (c < 0x20)
                    out += fmt::format("\\u{:04x}", c);
                else
                    out.push_back(ch);
        }
    }
    out.push_back('"');
}

// Amounts go out as JSON numbers written with their exact decimal digits.
void append_json_object(std::string& b, const std::vector<Column>& columns, std::span<const Cell> cells) {
    b.push_back('{');
    for (std::size_t i = 0; i < cells.size(); ++i) {
        if (i) b.push_back(',');
        append_json_string(b, columns[i].name);
        b.push_back(':');
        if (!cells[i].present)
            b += "null";
        else if (columns[i].amount)
            append_minor(b, cells[i].amount, columns[i].decimals);
        else
            append_json_string(b, cells[i].text);
    }
    b.push_back('}');
}

class Totals {
public:
    void reset(const std::vector<Column>& columns) {
        sums_.assign(columns.size(), 0);
        any_.assign(columns.size(), false);
    }
    void add(const std::vector<Column>& columns, std::span<const Cell> cells) {
        for (std::size_t i = 0; i < cells.size(); ++i)
            if (columns[i].amount && columns[i].summable && cells[i].present) {
                sums_[i] = checked_add(sums_[i], cells[i].amount);
                any_[i] = true;
            }
    }
    // The caller's own totals row replaces the sums (its text kept here, since cells only view it).
    void set(std::span<const Cell> cells) {
        given_text_.clear();
        given_text_.reserve(cells.size());
        for (const auto& c : cells)
            given_text_.emplace_back(c.text);
        given_.assign(cells.begin(), cells.end());
        for (std::size_t i = 0; i < given_.size(); ++i)
            given_[i].text = given_text_[i];
    }
    bool given() const { return !given_.empty(); }
    std::vector<Cell> cells(const std::vector<Column>& columns, std::string_view label) const {
        if (given()) return given_;
        std::vector<Cell> out(columns.size());
        for (std::size_t i = 0; i < columns.size(); ++i) {
            if (columns[i].amount)
                out[i] = Cell{{}, sums_[i], any_[i] && columns[i].summable};
            else
                out[i] = Cell{i == 0 ? label : std::string_view{}, 0, true};
        }
        return out;
    }

private:
    std::vector<Minor> sums_;
    std::vector<bool> any_;
    std::vector<Cell> given_;
    std::vector<std::string> given_text_;
};

// One NDJSON line.
class JsonLineFormat : public RowFormatter {
public:
    explicit JsonLineFormat(const std::vector<Column>& columns) : columns_(columns) {}
    void append(std::string& b, std::span<const Cell> cells) override {
        append_json_object(b, columns_, cells);
        b.push_back('\n');
    }

private:
    std::vector<Column> columns_;
};

class JsonWriter : public TableWriter {
public:
    JsonWriter(std::FILE* out, bool lines, const RenderOptions& options)
        : sink_(out), lines_(lines), options_(options) {}
    void begin(const std::vector<Column>& columns) override {
        columns_ = columns;
        totals_.reset(columns);
        if (lines_) return;
        std::string& b = sink_.buffer();
        b += "{\"columns\":[";
        for (std::size_t i = 0; i < columns.size(); ++i) {
            if (i) b.push_back(',');
            append_json_string(b, columns[i].name);
        }
        b += "],\n\"rows\":[";
    }
    void row(std::span<const Cell> cells) override {
        std::string& b = sink_.buffer();
        if (!lines_) b += first_ ? "\n" : ",\n";
        first_ = false;
        append_json_object(b, columns_, cells);
        if (lines_)
            b.push_back('\n');
        else
            totals_.add(columns_, cells);
        sink_.maybe_flush();
    }
    void total(std::span<const Cell> cells) override { totals_.set(cells); }
    std::unique_ptr<RowFormatter> row_formatter() const override {
        return lines_ ? std::make_unique<JsonLineFormat>(columns_) : nullptr;
    }
    void write_rows(std::string_view text) override { sink_.write(text); }
    void end() override {
        if (!lines_) {
            std::string& b = sink_.buffer();
            b += "\n]";
            if (options_.totals) {
                b += ",\n\"total\":";
                std::vector<Column> amounts;
                std::vector<Cell> cells;
                auto all = totals_.cells(columns_, "");
                for (std::size_t i = 0; i < columns_.size(); ++i)
                    if (columns_[i].amount && (columns_[i].summable || totals_.given())) {
                        amounts.push_back(columns_[i]);
                        cells.push_back(all[i]);
                    }
                append_json_object(b, amounts, cells);
            }
            b += "}\n";
        }
        sink_.flush();
    }

private:
    Sink sink_;
    bool lines_;
    RenderOptions options_;
    bool first_ = true;
    std::vector<Column> columns_;
    Totals totals_;
};

// Amounts with thousands separators, appended: the streaming table's hot path. The same text as
// format_grouped (which it calls only for a display unit such as 万).
void append_grouped(std::string& out, std::string& scratch, Minor amount, int decimals, int unit_power) {
    if (unit_power > 0) {
        out += format_grouped(amount, decimals, unit_power);
        return;
    }
    scratch.clear();
    append_minor(scratch, amount, decimals);
    std::size_t begin = !scratch.empty() && scratch[0] == '-' ? 1 : 0;
    std::size_t dot = scratch.find('.');
    std::size_t whole_end = dot == std::string::npos ? scratch.size() : dot;
    out.append(scratch, 0, begin);
    for (std::size_t i = begin; i < whole_end; ++i) {
        if (i > begin && (whole_end - i) % 3 == 0) out.push_back(',');
        out.push_back(scratch[i]);
    }
    out.append(scratch, whole_end, std::string::npos);
}

// Aligned text for people: display widths (CJK = 2), thousands separators, a totals row. Rows are
// held to measure the columns; given the widths a column can reach (stream_widths), a table that
// outgrows its first block of rows is laid out from the header, that block and those widths, and
// every later row streams.
class AlignedWriter : public TableWriter {
public:
    AlignedWriter(std::FILE* out, bool markdown, const RenderOptions& options)
        : sink_(out), markdown_(markdown), options_(options) {}
    void stream_widths(std::vector<std::size_t> widths) override { known_ = std::move(widths); }
    void begin(const std::vector<Column>& columns) override {
        columns_ = columns;
        totals_.reset(columns);
        if (known_.size() != columns_.size()) known_.clear();
    }
    void row(std::span<const Cell> cells) override {
        totals_.add(columns_, cells);
        if (streaming_) {
            format_row(cells, line_cells_);
            line(sink_.buffer(), line_cells_);
            sink_.maybe_flush();
            return;
        }
        rows_.emplace_back();
        format_row(cells, rows_.back());
        if (!known_.empty() && rows_.size() > kFirstBlock) start_streaming();
    }
    void total(std::span<const Cell> cells) override { totals_.set(cells); }
    void end() override {
        bool with_totals = options_.totals && (streaming_ || !rows_.empty());
        std::vector<std::string> total_row;
        if (with_totals) {
            format_row(totals_.cells(columns_, label(options_.lang, "Total")), total_row);
            if (markdown_)
                for (auto& cell : total_row)
                    cell = cell.empty() ? cell : "**" + cell + "**";
        }
        if (!streaming_) {
            width_.assign(columns_.size(), 0);
            widen(header());
            for (const auto& r : rows_)
                widen(r);
            if (with_totals) widen(total_row);
            write_top();
        }
        std::string& b = sink_.buffer();
        if (with_totals) {
            if (!markdown_) rule(b);
            line(b, total_row);
        }
        sink_.flush();
    }

private:
    static constexpr std::size_t kFirstBlock = 4096;  // rows measured before a table with known widths streams

    std::vector<std::string> header() const {
        std::vector<std::string> out;
        for (const auto& c : columns_)
            out.push_back(c.amount && c.scaled && !options_.unit_label.empty()
                              ? fmt::format("{} ({})", c.heading(), options_.unit_label)
                              : c.heading());
        return out;
    }
    void widen(const std::vector<std::string>& r) {
        for (std::size_t i = 0; i < r.size(); ++i)
            width_[i] = std::max(width_[i], display_width(r[i]));
    }
    // The layout from the header, the first block, the known widths and the totals row's label.
    void start_streaming() {
        width_ = known_;
        for (std::size_t i = 0; i < columns_.size(); ++i)  // markdown's totals are bold: **1,234**
            if (markdown_ && options_.totals && columns_[i].amount && columns_[i].summable && width_[i]) width_[i] += 4;
        widen(header());
        for (const auto& r : rows_)
            widen(r);
        if (options_.totals && !columns_.empty() && !columns_[0].amount)
            width_[0] = std::max(width_[0], display_width(label(options_.lang, "Total")) + (markdown_ ? 4 : 0));
        write_top();
        rows_.clear();
        rows_.shrink_to_fit();
        sink_.flush();  // the first rows go out now, not after a megabyte
        streaming_ = true;
    }
    // The header, its rule and the rows held so far.
    void write_top() {
        std::string& b = sink_.buffer();
        line(b, header());
        if (markdown_) {
            b += "|";
            for (std::size_t i = 0; i < columns_.size(); ++i)
                b += columns_[i].amount ? " " + std::string(std::max<std::size_t>(width_[i], 3) - 1, '-') + ": |"
                                        : " " + std::string(std::max<std::size_t>(width_[i], 3), '-') + " |";
            b += "\n";
        } else {
            rule(b);
        }
        for (const auto& r : rows_) {
            line(b, r);
            sink_.maybe_flush();
        }
    }
    void rule(std::string& b) const {
        std::size_t total = 0;
        for (auto wd : width_)
            total += wd;
        b.append(total + 2 * (width_.empty() ? 0 : width_.size() - 1), '-');
        b.push_back('\n');
    }
    // One line; a cell wider than its column (past the first block) widens only its own line.
    void line(std::string& b, const std::vector<std::string>& r) const {
        if (markdown_) b += "| ";
        for (std::size_t i = 0; i < r.size(); ++i) {
            if (i) b += markdown_ ? " | " : "  ";
            std::size_t w = display_width(r[i]);
            std::size_t pad = width_[i] > w ? width_[i] - w : 0;
            bool last = i + 1 == r.size();
            if (columns_[i].amount) {
                b.append(pad, ' ');
                b += r[i];
            } else {
                b += r[i];
                if (!last || markdown_) b.append(pad, ' ');
            }
        }
        b += markdown_ ? " |\n" : "\n";
    }
    void format_row(std::span<const Cell> cells, std::vector<std::string>& r) {
        r.resize(cells.size());
        for (std::size_t i = 0; i < cells.size(); ++i) {
            std::string& text = r[i];
            text.clear();
            if (!cells[i].present) {
                if (!markdown_) text = "–";
            } else if (columns_[i].amount) {
                if (columns_[i].scaled && options_.places >= 0)
                    text = format_display(cells[i].amount, columns_[i].decimals, options_.unit_power, options_.places,
                                          columns_[i].grouped);
                else
                    append_grouped(text, scratch_, cells[i].amount, columns_[i].decimals,
                                   columns_[i].scaled ? options_.unit_power : 0);
            } else if (markdown_) {
                for (char c : cells[i].text) {
                    if (c == '|') text.push_back('\\');
                    text.push_back(c);
                }
            } else {
                text = cells[i].text;
            }
        }
    }

    Sink sink_;
    bool markdown_;
    RenderOptions options_;
    std::vector<Column> columns_;
    std::vector<std::vector<std::string>> rows_;  // held until end(), or until the first block is full
    std::vector<std::size_t> known_;              // widths known before any row; empty: hold every row
    std::vector<std::size_t> width_;
    bool streaming_ = false;
    std::vector<std::string> line_cells_;  // a streamed row's text, reused
    std::string scratch_;
    Totals totals_;
};

}  // namespace

std::size_t Table::column(std::string_view name) const {
    std::size_t i = 0;
    while (i < columns.size() && columns[i].name != name)
        ++i;
    return i;
}

TableCell text_cell(std::string text) {
    return TableCell{std::move(text), 0, true};
}

TableCell amount_cell(Minor amount) {
    return TableCell{{}, amount, true};
}

TableCell optional_cell(const std::optional<Minor>& amount) {
    return TableCell{{}, amount.value_or(0), amount.has_value()};
}

namespace {

std::vector<Cell> view_of(const std::vector<TableCell>& row) {
    std::vector<Cell> cells;
    cells.reserve(row.size());
    for (const auto& c : row)
        cells.push_back(Cell{c.text, c.amount, c.present});
    return cells;
}

std::vector<TableCell> copy_of(std::span<const Cell> cells) {
    std::vector<TableCell> row;
    row.reserve(cells.size());
    for (const auto& c : cells)
        row.push_back(TableCell{std::string(c.text), c.amount, c.present});
    return row;
}

}  // namespace

void write_table(const Table& table, TableWriter& writer) {
    writer.begin(table.columns);
    for (const auto& row : table.rows)
        writer.row(view_of(row));
    if (!table.total.empty()) writer.total(view_of(table.total));
    writer.end();
}

std::string render_table(const Table& table, Format format, const RenderOptions& options) {
    char* data = nullptr;
    std::size_t size = 0;
    std::FILE* memory = open_memstream(&data, &size);
    if (!memory) throw WriteError{errno};
    try {
        write_table(table, *make_writer(format, memory, options));
    } catch (...) {
        std::fclose(memory);
        std::free(data);
        throw;
    }
    std::fclose(memory);  // closing sets data and size
    std::string text(data, size);
    std::free(data);
    return text;
}

// A document table's cell (Markdown, HTML): an amount formatted as its column says, text as it
// is, nothing when absent.
namespace {
std::string document_cell(const Column& column, const TableCell& cell, const DisplayUnit& unit) {
    if (!cell.present) return {};
    if (!column.amount) return cell.text;
    if (column.scaled && (unit.power > 0 || unit.places >= 0)) return unit.format(cell.amount, column.decimals);
    return column.grouped ? format_grouped(cell.amount, column.decimals) : format_minor(cell.amount, column.decimals);
}
// A document table's header: its heading, with the display unit over scaled amounts ("销售额 (万)").
std::string document_heading(const Column& column, const DisplayUnit& unit) {
    if (column.amount && column.scaled && !unit.label.empty()) return column.heading() + " (" + unit.label + ")";
    return column.heading();
}
}  // namespace

std::string markdown_table(const Table& table) {
    const auto& columns = table.columns;
    std::string out = "|";
    for (const auto& c : columns)
        out += " " + document_heading(c, table.unit) + " |";
    out += "\n|";
    for (std::size_t i = 0; i < columns.size(); ++i)
        out += std::string(columns[i].amount || columns[i].right ? "---:" : "---") + "|";
    out += "\n";
    auto line = [&](const std::vector<TableCell>& row, std::size_t bold_cells) {
        out += "|";
        for (std::size_t i = 0; i < row.size() && i < columns.size(); ++i) {
            std::string text = document_cell(columns[i], row[i], table.unit);
            out += " " + (i < bold_cells && !text.empty() ? "**" + text + "**" : text) + " |";
        }
        out += "\n";
    };
    for (std::size_t r = 0; r < table.rows.size(); ++r)
        line(table.rows[r], r < table.headed_rows ? 1 : 0);
    if (!table.total.empty()) line(table.total, table.total.size());
    return out;
}

std::string escape_html(std::string_view text) {
    std::string out;
    for (char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

std::string html_table(const Table& table, HtmlEnd end) {
    const auto& columns = table.columns;
    std::string out = "<table><tr>";
    for (const auto& c : columns)
        out += (c.amount || c.right ? "<th class=\"n\">" : "<th>") + escape_html(document_heading(c, table.unit)) +
               "</th>";
    out += "</tr>\n";
    for (std::size_t r = 0; r < table.rows.size(); ++r) {
        const auto& row = table.rows[r];
        out += "<tr>";
        for (std::size_t i = 0; i < row.size() && i < columns.size(); ++i) {
            std::string text = document_cell(columns[i], row[i], table.unit);
            if (!columns[i].amount) text = escape_html(text);
            const bool head = i == 0 && r < table.headed_rows;
            const char* tag = head ? "th" : "td";
            out += fmt::format("<{}{}>{}</{}>", tag,
                               !head && (columns[i].amount || columns[i].right) ? " class=\"n\"" : "", text, tag);
        }
        out += end == HtmlEnd::on_last_row && r + 1 == table.rows.size() ? "</tr></table>\n" : "</tr>\n";
    }
    if (end == HtmlEnd::after_rows) out += "</table>";
    return out;
}

void TableCollector::begin(const std::vector<Column>& columns) {
    table = Table{};
    table.columns = columns;
}

void TableCollector::row(std::span<const Cell> cells) {
    table.rows.push_back(copy_of(cells));
}

void TableCollector::total(std::span<const Cell> cells) {
    table.total = copy_of(cells);
}

Nested& Nested::add(std::string name, Nested value) {
    items.push_back(NestedItem{std::move(name), std::move(value)});
    return *this;
}

Nested& Nested::push(Nested value) {
    items.push_back(NestedItem{std::string(), std::move(value)});
    return *this;
}

namespace {

void append_pretty(std::string& out, const Nested& v, std::size_t depth) {
    switch (v.kind) {
        case Nested::Kind::text:
            append_json_string(out, v.text);
            return;
        case Nested::Kind::number:
            out += v.text;
            return;
        case Nested::Kind::flag:
            out += v.flag ? "true" : "false";
            return;
        case Nested::Kind::record:
        case Nested::Kind::list:
            break;
    }
    const bool record = v.kind == Nested::Kind::record;
    if (v.items.empty()) {
        out += record ? "{}" : "[]";
        return;
    }
    out += record ? "{\n" : "[\n";
    const std::string indent(2 * (depth + 1), ' ');
    for (std::size_t i = 0; i < v.items.size(); ++i) {
        out += indent;
        if (record) {
            append_json_string(out, v.items[i].first);
            out += ": ";
        }
        append_pretty(out, v.items[i].second, depth + 1);
        out += i + 1 < v.items.size() ? ",\n" : "\n";
    }
    out += std::string(2 * depth, ' ');
    out += record ? "}" : "]";
}

}  // namespace

std::string pretty_json(const Nested& value) {
    std::string out;
    append_pretty(out, value, 0);
    out.push_back('\n');
    return out;
}

std::unique_ptr<TableWriter> make_writer(Format format, std::FILE* out, const RenderOptions& options) {
    switch (format) {
        case Format::csv:
            return std::make_unique<DelimitedWriter>(out, ',', options.stable_text);
        case Format::tsv:
            return std::make_unique<DelimitedWriter>(out, '\t', options.stable_text);
        case Format::json:
            return std::make_unique<JsonWriter>(out, false, options);
        case Format::ndjson:
            return std::make_unique<JsonWriter>(out, true, options);
        case Format::table:
            return std::make_unique<AlignedWriter>(out, false, options);
        case Format::markdown:
            return std::make_unique<AlignedWriter>(out, true, options);
        case Format::xlsx:
            return make_xlsx_writer(out, options);
    }
    throw std::logic_error("unknown format");
}

}  // namespace tgt
