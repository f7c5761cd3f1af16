#pragma once
// Tables as worksheet cells (libxlsxwriter): the XLSX renderer of report.hpp's Table, for the
// library's own workbooks (quota sheets). Only compiled with libxlsxwriter (TGT_HAVE_XLSX).

#include <xlsxwriter.h>

#include <map>
#include <string>
#include <utility>

#include "tgt/report.hpp"

namespace tgt {

/// The closest double to the exact decimal: what a cell stores (XLSX numbers are IEEE doubles).
double xlsx_number(Minor amount, int decimals);
/// A cell's A1 name from its 0-based row and column ("B21").
std::string xlsx_cell_name(int row, int col);
/// The number format of amounts with `decimals` ("#,##0.00").
std::string xlsx_number_format(int decimals);

/// A workbook's formats for table cells: bold text, and amounts by decimals (bold in totals), each
/// made once.
class XlsxFormats {
public:
    /// Formats of workbook `workbook` (which must outlive this).
    explicit XlsxFormats(lxw_workbook* workbook);
    /// Bold text: column heads, headed rows' first cell, the totals row's label.
    lxw_format* bold();
    /// An amount with `decimals`, bold in a totals row.
    lxw_format* number(int decimals, bool bold);

private:
    lxw_workbook* workbook_;
    lxw_format* bold_ = nullptr;
    std::map<std::pair<int, bool>, lxw_format*> numbers_;
};

/// How a table ends in a worksheet.
enum class XlsxTotal {
    none,  ///< after its last row
    sums,  ///< a totals row: the label (table.total's first cell, else "Total"), and a SUM formula under
           ///< each summable amount column with its exact value cached (table.total's cell, else the sum)
};

/// Writes `table` from row `row` on (advanced past it): its column names in bold, then its rows (text
/// as strings, amounts as numbers in their decimals' format, absent cells left empty), then the
/// totals row `total` asks for. Returns the first error libxlsxwriter gave (LXW_NO_ERROR if none).
lxw_error write_xlsx_table(lxw_worksheet* sheet, int& row, const Table& table, XlsxFormats& formats,
                           XlsxTotal total = XlsxTotal::sums);

}  // namespace tgt
