#pragma once
// A table of typed cells that every renderer understands, streamed row by row.

#include <cstdio>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tgt/money.hpp"

namespace tgt {

/// Output formats, parsed once at the edge.
enum class Format { table, csv, tsv, json, ndjson, markdown };
std::optional<Format> parse_format(std::string_view name);
/// The name --format takes for `f` ("table", "csv", …).
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
};

/// Thrown when the output stream refuses bytes (a full disk, a closed pipe); `error` is errno.
struct WriteError {
    int error = 0;
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
    virtual void end() = 0;
};

/// A writer for `format` onto `out` (which stays owned by the caller).
std::unique_ptr<TableWriter> make_writer(Format format, std::FILE* out, const RenderOptions& options = {});

/// Appends one CSV field (quoted when it holds a comma, quote or line break) or, with a tab
/// delimiter, one TSV field (tabs and line breaks become spaces).
void append_csv_field(std::string& out, std::string_view text, char delimiter = ',');

/// Terminal columns a UTF-8 string occupies (CJK characters take two, ANSI colour escapes none).
std::size_t display_width(std::string_view text);

}  // namespace tgt
