// The XLSX renderer: a Table as worksheet cells, its totals as SUM formulas with exact cached values.

#include <fmt/format.h>

#include <cstdlib>
#include <functional>

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

}  // namespace tgt

#endif
