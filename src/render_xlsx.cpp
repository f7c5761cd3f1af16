// The XLSX renderer: a Table as worksheet cells, its totals as SUM formulas with exact cached values.

#include <fmt/format.h>

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <vector>

#include "tgt/error.hpp"
#include "xlsx_table_writer.hpp"

#if TGT_HAVE_XLSX

#include "render_xlsx.hpp"

namespace tgt {

double xlsx_number(Minor amount, int decimals) {
    return std::strtod(format_minor(amount, decimals).c_str(), nullptr);
}

std::string xlsx_cell_name(int row, int col) {
    std::string letters;
    for (int c = col + 1; c > 0; c = (c - 1) / 26)
        letters.insert(letters.begin(), static_cast<char>('A' + (c - 1) % 26));
    return letters + std::to_string(row + 1);
}

std::string xlsx_number_format(int decimals) {
    return decimals > 0 ? "#,##0." + std::string(static_cast<std::size_t>(decimals), '0') : "#,##0";
}

XlsxFormats::XlsxFormats(lxw_workbook* workbook) : workbook_(workbook) {}

lxw_format* XlsxFormats::bold() {
    if (!bold_) {
        bold_ = workbook_add_format(workbook_);
        format_set_bold(bold_);
    }
    return bold_;
}

lxw_format* XlsxFormats::number(int decimals, bool bold) {
    lxw_format*& format = numbers_[{decimals, bold}];
    if (!format) {
        format = workbook_add_format(workbook_);
        format_set_num_format(format, xlsx_number_format(decimals).c_str());
        if (bold) format_set_bold(format);
    }
    return format;
}

namespace {

// The totals row under rows top…row-1.
void write_totals(lxw_worksheet* ws, int row, int top, const Table& table, XlsxFormats& formats,
                  const std::function<void(lxw_error)>& check) {
    const auto r = static_cast<lxw_row_t>(row);
    const std::string label = table.total.empty() ? std::string("Total") : table.total[0].text;
    check(worksheet_write_string(ws, r, 0, label.c_str(), formats.bold()));
    for (std::size_t c = 1; c < table.columns.size(); ++c) {
        const Column& column = table.columns[c];
        if (!column.amount || !column.summable) continue;
        Minor sum = 0;
        if (!table.total.empty()) {
            if (c >= table.total.size() || !table.total[c].present) continue;
            sum = table.total[c].amount;
        } else {
            for (const auto& cells : table.rows)
                if (c < cells.size() && cells[c].present) sum += cells[c].amount;
        }
        const int col = static_cast<int>(c);
        const std::string formula = fmt::format("=SUM({}:{})", xlsx_cell_name(top, col), xlsx_cell_name(row - 1, col));
        check(worksheet_write_formula_num(ws, r, static_cast<lxw_col_t>(c), formula.c_str(),
                                          formats.number(column.decimals, true), xlsx_number(sum, column.decimals)));
    }
}

}  // namespace

lxw_error write_xlsx_table(lxw_worksheet* ws, int& row, const Table& table, XlsxFormats& formats, XlsxTotal total) {
    lxw_error failed = LXW_NO_ERROR;
    const std::function<void(lxw_error)> check = [&](lxw_error error) {
        if (failed == LXW_NO_ERROR) failed = error;
    };
    for (std::size_t c = 0; c < table.columns.size(); ++c)
        check(worksheet_write_string(ws, static_cast<lxw_row_t>(row), static_cast<lxw_col_t>(c),
                                     table.columns[c].name.c_str(), formats.bold()));
    ++row;
    const int top = row;
    for (std::size_t i = 0; i < table.rows.size(); ++i, ++row) {
        const auto& cells = table.rows[i];
        for (std::size_t c = 0; c < cells.size() && c < table.columns.size(); ++c) {
            const TableCell& cell = cells[c];
            if (!cell.present) continue;
            const auto r = static_cast<lxw_row_t>(row);
            const auto col = static_cast<lxw_col_t>(c);
            const Column& column = table.columns[c];
            if (column.amount)
                check(worksheet_write_number(ws, r, col, xlsx_number(cell.amount, column.decimals),
                                             formats.number(column.decimals, false)));
            else
                check(worksheet_write_string(ws, r, col, cell.text.c_str(),
                                             c == 0 && i < table.headed_rows ? formats.bold() : nullptr));
        }
    }
    if (total == XlsxTotal::sums) {
        write_totals(ws, row, top, table, formats, check);
        ++row;
    }
    return failed;
}

namespace {

// The width a column needs in Excel's character units: its longest text (CJK counting two) or
// amount as its number format shows it (with thousands separators), plus a margin; capped.
std::vector<double> column_widths(const Table& table) {
    std::vector<std::size_t> widest(table.columns.size(), 0);
    auto see = [&](std::size_t c, const TableCell& cell) {
        if (c >= widest.size() || !cell.present) return;
        std::size_t width = 0;
        if (table.columns[c].amount) {
            const std::string digits = format_minor(cell.amount, table.columns[c].decimals);
            const auto point = std::min(digits.find('.'), digits.size());
            const std::size_t whole = point - (digits[0] == '-' ? 1 : 0);
            width = digits.size() + (whole > 0 ? (whole - 1) / 3 : 0);
        } else {
            width = display_width(cell.text);
        }
        widest[c] = std::max(widest[c], width);
    };
    for (std::size_t c = 0; c < table.columns.size(); ++c)
        widest[c] = display_width(table.columns[c].name);
    for (const auto& cells : table.rows)
        for (std::size_t c = 0; c < cells.size(); ++c)
            see(c, cells[c]);
    for (std::size_t c = 0; c < table.total.size(); ++c)
        see(c, table.total[c]);
    std::vector<double> widths;
    for (std::size_t w : widest)
        widths.push_back(static_cast<double>(std::clamp<std::size_t>(w + 2, 6, 80)));
    return widths;
}

// A temporary file's name, removed when this goes (libxlsxwriter writes a workbook to a path).
class TempPath {
public:
    TempPath() {
        const char* dir = std::getenv("TMPDIR");
        path_ = std::string(dir && *dir ? dir : "/tmp") + "/tgt-xlsx-XXXXXX";
        const int fd = ::mkstemp(path_.data());
        if (fd < 0) throw Error::io(path_, "cannot create a temporary file for the workbook");
        ::close(fd);
    }
    ~TempPath() { std::remove(path_.c_str()); }
    TempPath(const TempPath&) = delete;
    TempPath& operator=(const TempPath&) = delete;
    const std::string& path() const { return path_; }

private:
    std::string path_;
};

// Copies file `path` onto `out`.
void copy_file(const std::string& path, std::FILE* out) {
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> in(std::fopen(path.c_str(), "rb"), std::fclose);
    if (!in) throw Error::io(path, "cannot read the workbook back");
    std::vector<char> buffer(std::size_t{1} << 16);
    while (std::size_t n = std::fread(buffer.data(), 1, buffer.size(), in.get()))
        if (std::fwrite(buffer.data(), 1, n, out) != n) throw WriteError{errno};
    if (std::fflush(out) != 0) throw WriteError{errno};
}

class XlsxTableWriter : public TableCollector {
public:
    XlsxTableWriter(std::FILE* out, const RenderOptions& options) : out_(out), totals_(options.totals) {}
    void end() override {
        // Excel's sheet holds 1,048,576 rows: the header, the rows and the totals must fit.
        constexpr std::size_t kMaxRows = 1048576;
        if (table.rows.size() + 2 > kMaxRows)
            throw Error::usage(fmt::format("xlsx: {} rows do not fit in a worksheet (Excel's limit is {} rows)",
                                           table.rows.size(), kMaxRows),
                               fmt::format("write {} csv, or ask for fewer rows (a coarser {}, fewer {} levels)",
                                           mention(Field::format), mention(Field::period), mention(Field::by)));
        TempPath temp;
        std::unique_ptr<lxw_workbook, void (*)(lxw_workbook*)> wb(workbook_new(temp.path().c_str()), lxw_workbook_free);
        if (!wb) throw Error::io(temp.path(), "cannot create the workbook");
        lxw_worksheet* ws = workbook_add_worksheet(wb.get(), nullptr);
        if (!ws) throw Error::io(temp.path(), "cannot add a worksheet");
        XlsxFormats formats(wb.get());
        // The totals row's label takes the first column: a table that starts with an amount has none.
        const bool sums = totals_ && !table.columns.empty() && !table.columns[0].amount &&
                          std::any_of(table.columns.begin(), table.columns.end(),
                                      [](const Column& c) { return c.amount && c.summable; });
        int row = 0;
        lxw_error error = write_xlsx_table(ws, row, table, formats, sums ? XlsxTotal::sums : XlsxTotal::none);
        if (error == LXW_NO_ERROR) error = layout(ws);
        if (error != LXW_NO_ERROR)
            throw Error::io("xlsx", fmt::format("cannot write the table: {}", lxw_strerror(error)));
        error = workbook_close(wb.release());
        if (error != LXW_NO_ERROR) throw Error::io("xlsx", fmt::format("cannot write: {}", lxw_strerror(error)));
        copy_file(temp.path(), out_);
    }

private:
    // The header row frozen, an autofilter over header and rows, the columns' widths.
    lxw_error layout(lxw_worksheet* ws) {
        if (table.columns.empty()) return LXW_NO_ERROR;
        worksheet_freeze_panes(ws, 1, 0);
        const auto last_col = static_cast<lxw_col_t>(table.columns.size() - 1);
        lxw_error error = worksheet_autofilter(ws, 0, 0, static_cast<lxw_row_t>(table.rows.size()), last_col);
        const std::vector<double> widths = column_widths(table);
        for (std::size_t c = 0; c < widths.size() && error == LXW_NO_ERROR; ++c)
            error = worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), widths[c], nullptr);
        return error;
    }

    std::FILE* out_;
    bool totals_;
};

}  // namespace

std::unique_ptr<TableWriter> make_xlsx_writer(std::FILE* out, const RenderOptions& options) {
    // A workbook is zip bytes: on a terminal it would only garble the screen.
    const int fd = out ? ::fileno(out) : -1;
    if (fd >= 0 && ::isatty(fd) != 0)
        throw Error::usage(
            Field::format, "xlsx: a workbook is not written to a terminal",
            fmt::format("name a file with {} report.xlsx, or redirect standard output to one", mention(Field::output)));
    return std::make_unique<XlsxTableWriter>(out, options);
}

}  // namespace tgt

#else

namespace tgt {

std::unique_ptr<TableWriter> make_xlsx_writer(std::FILE*, const RenderOptions&) {
    throw Error::usage(Field::format, "xlsx: this tgt was built without libxlsxwriter",
                       "apt-get install libxlsxwriter-dev, then rebuild");
}

}  // namespace tgt

#endif
