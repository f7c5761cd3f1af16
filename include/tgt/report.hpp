#pragma once
// A table of typed cells that every renderer understands, streamed row by row.

#include <cstdio>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tgt/display.hpp"
#include "tgt/labels.hpp"
#include "tgt/money.hpp"

namespace tgt {

/// Output formats, parsed once at the edge. xlsx is a workbook (one worksheet; see xlsx_table_writer.hpp).
enum class Format { table, csv, tsv, json, ndjson, markdown, xlsx };
std::optional<Format> parse_format(std::string_view name);
/// The name a format option takes for `f` ("table", "csv", …).
std::string_view format_name(Format f);
/// The format a file name implies ("q.csv" → csv, "q.txt" → table), if any.
std::optional<Format> format_for_path(std::string_view path);

/// What an output file name's extension (case-insensitive) says the file holds.
struct FileType {
    enum class Kind {
        unknown,  ///< no extension, or one tgt does not know: whatever the command writes
        text,     ///< .txt: plain text of any kind
        format,   ///< one of tgt's table formats (.csv, .tsv, .json, .ndjson/.jsonl, .md)
        foreign,  ///< a file type tgt never writes as a table or text (.xlsx, .pdf, .html, .png…)
    };
    Kind kind = Kind::unknown;
    Format format = Format::table;  ///< Kind::format
    std::string extension;          ///< lower case, without the dot ("xlsx")
};
/// The file type a path's extension names.
FileType file_type(std::string_view path);

/// A column: text (a key) or an exact amount with its decimals.
struct Column {
    std::string name;
    bool amount = false;
    int decimals = 0;
    bool summable = true;  ///< false for rates and ratios: no total, never added up
    bool scaled = true;    ///< false for rates and ratios: not shown in 万/亿
    bool grouped = true;   ///< false for counts shown bare (working days, visits): no thousands separators
    bool right = false;    ///< text shown right-aligned (amounts always are)
    /// What table, markdown and HTML headers show people (the plan's name for a metric: 销售额); empty:
    /// `name`. csv, tsv and json always head the column with `name` (the id).
    std::string title = {};
    /// The header people read: `title`, or `name` when there is none.
    const std::string& heading() const { return title.empty() ? name : title; }
};

/// One cell; `present` is false for "no value" (absence is not zero).
struct Cell {
    std::string_view text;
    Minor amount = 0;
    bool present = true;
};

/// How people-facing formats look.
struct RenderOptions {
    int unit_power = 0;      ///< 4 shows amounts in 万, 8 in 亿 (table and markdown only)
    std::string unit_label;  ///< "万", shown in the header
    bool totals = true;      ///< a totals row (table, markdown) or object (json)
    /// The caller promises that cell text never changes behind an unchanged pointer while the writer
    /// lives (e.g. views into a plan), so csv/tsv may reuse the escaped text of repeated leading keys.
    bool stable_text = false;
    /// Decimals a scaled (money) amount shows in the unit, rounded half away from zero (table and
    /// markdown only); -1: the column's own decimals at 元, every digit in 万/亿. Totals are the exact
    /// sums, rounded once: shown cells may miss the shown total by a last digit.
    int places = -1;
    Lang lang = Lang::en;  ///< the language of the labels a writer adds itself ("Total": 合计)
};

/// Thrown when the output stream refuses bytes (a full disk, a closed pipe); `error` is errno.
struct WriteError {
    int error = 0;
};

/// Formats rows as a TableWriter's row() writes them, appending to a caller's buffer; each thread uses
/// its own.
class RowFormatter {
public:
    virtual ~RowFormatter() = default;
    /// Appends `cells`' row to `out`.
    virtual void append(std::string& out, std::span<const Cell> cells) = 0;
};

/// Receives a table row by row and writes it in one format.
class TableWriter {
public:
    virtual ~TableWriter() = default;
    virtual void begin(const std::vector<Column>& columns) = 0;
    virtual void row(std::span<const Cell> cells) = 0;
    /// The totals row (table, markdown) or object (json) as the caller computed it, instead of
    /// the column sums: for reports whose ratios are recomputed from the totals. Before end().
    virtual void total(std::span<const Cell> cells) { (void)cells; }
    /// Table and markdown: the display width each column's cells (and totals) can reach, known before
    /// any row (e.g. a plan's ids and its largest amount, as the format shows them, without markdown's
    /// bold; 0 = unknown). Given before begin(), a table
    /// that outgrows its first block of rows is laid out from the header, that block and these widths,
    /// and streams the rest instead of holding every row. Other formats stream anyway and ignore it.
    virtual void stream_widths(std::vector<std::size_t> widths) { (void)widths; }
    /// csv and tsv: leave out the header row (a shard after the first, whose rows follow another's).
    /// Before begin(); other formats ignore it.
    virtual void omit_header() {}
    /// csv, tsv and ndjson, after begin(): a formatter (usable on another thread) whose text, handed
    /// to write_rows() in the rows' order, is what row() writes for them; nullptr for formats whose
    /// rows depend on the rows before them (table, markdown, json).
    virtual std::unique_ptr<RowFormatter> row_formatter() const { return nullptr; }
    /// Writes text made by row_formatter()'s formatters, as the rows it holds.
    virtual void write_rows(std::string_view text) { (void)text; }
    virtual void end() = 0;
};

/// A value a Table holds: its own text (a key, a label, a formatted measure) or an exact amount.
struct TableCell {
    std::string text;
    Minor amount = 0;
    bool present = true;  ///< false for "no value" (absence is not zero)
};

/// A whole table in memory, for reports that are small by nature (check, explain, a sheet's sections):
/// the library builds it, any TableWriter renders it.
struct Table {
    std::vector<Column> columns;
    std::vector<std::vector<TableCell>> rows;
    std::vector<TableCell> total;  ///< the caller's totals row (TableWriter::total); empty: the column sums
    std::size_t headed_rows = 0;   ///< the first rows whose first cell heads the row (bold, <th>)
    /// How markdown_table and html_table show scaled (money) amounts: 万 and its decimals, the unit in
    /// their header; the default shows the metric's own decimals.
    DisplayUnit unit = {};
    /// The index of the column named `name`, or columns.size() when there is none.
    std::size_t column(std::string_view name) const;
};

/// A text cell, an amount cell and an absent cell, for building Tables.
TableCell text_cell(std::string text);
TableCell amount_cell(Minor amount);
TableCell optional_cell(const std::optional<Minor>& amount);

/// Sends `table` through `writer`: begin, every row, the given totals row if any, end.
void write_table(const Table& table, TableWriter& writer);

/// `table` rendered in `format` as text (the sheets' files are written whole).
std::string render_table(const Table& table, Format format, const RenderOptions& options = {});

/// `table` as a compact Markdown table for documents (no padding; amounts and right-aligned text get
/// "---:"): headed rows' first cell and the totals row in bold; no Totals of its own.
std::string markdown_table(const Table& table);

/// Text made safe inside HTML elements and attributes (& < > ").
std::string escape_html(std::string_view text);

/// How an HTML table ends: after its rows, on its last row's line, or left open for the caller's rows.
enum class HtmlEnd { after_rows, on_last_row, open };

/// `table` as an HTML table: text headers <th>, amount and right-aligned ones <th class="n">; headed
/// rows' first cell a <th>; amounts formatted as in markdown_table. Every text escaped.
std::string html_table(const Table& table, HtmlEnd end = HtmlEnd::after_rows);

/// A TableWriter that keeps what it is given as a Table (its text copied): a streamed report made whole.
class TableCollector : public TableWriter {
public:
    void begin(const std::vector<Column>& columns) override;
    void row(std::span<const Cell> cells) override;
    void total(std::span<const Cell> cells) override;
    void end() override {}
    Table table;  ///< what was written so far
};

struct NestedItem;

/// A nested value, for reports that are one record rather than a table (explain's JSON): an ordered
/// record, a list, text, a number written with the digits given, or a flag.
struct Nested {
    enum class Kind { record, list, text, number, flag };
    Kind kind = Kind::record;
    std::string text;  ///< text, or a number's digits
    bool flag = false;
    // NestedItem, not std::pair: a pair may not hold a type still being defined (clang refuses it).
    std::vector<NestedItem> items;  ///< a record's fields in order, or a list's items (unnamed)

    static Nested record();
    static Nested list();
    static Nested of(std::string text);
    static Nested number(std::string digits);
    static Nested boolean(bool value);
    /// Adds a field to a record; returns the record.
    Nested& add(std::string name, Nested value);
    /// Adds an item to a list; returns the list.
    Nested& push(Nested value);
};

/// One field of a record (or, with no name, one item of a list).
struct NestedItem {
    std::string first;  ///< the field's name
    Nested second;      ///< its value
};

inline Nested Nested::record() {
    return Nested{};
}
inline Nested Nested::list() {
    return Nested{Kind::list, {}, false, {}};
}
inline Nested Nested::of(std::string text) {
    return Nested{Kind::text, std::move(text), false, {}};
}
inline Nested Nested::number(std::string digits) {
    return Nested{Kind::number, std::move(digits), false, {}};
}
inline Nested Nested::boolean(bool value) {
    return Nested{Kind::flag, {}, value, {}};
}

/// `value` as JSON, two spaces of indent per level, keys in their order, a newline at the end.
std::string pretty_json(const Nested& value);

/// A writer for `format` onto `out` (which stays owned by the caller). Format::xlsx writes the workbook's
/// bytes when end() is called; without libxlsxwriter it throws a usage Error.
std::unique_ptr<TableWriter> make_writer(Format format, std::FILE* out, const RenderOptions& options = {});

/// Appends one CSV field (quoted when it holds a comma, quote or line break) or, with a tab
/// delimiter, one TSV field (tabs and line breaks become spaces).
void append_csv_field(std::string& out, std::string_view text, char delimiter = ',');

/// Terminal columns a UTF-8 string occupies (CJK characters take two, ANSI colour escapes none).
std::size_t display_width(std::string_view text);

}  // namespace tgt
