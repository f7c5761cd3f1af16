#pragma once
// Actuals from an .xlsx workbook: one worksheet streamed (minizip over the zip, expat over its XML)
// into CSV text that the actuals reader reads as it reads any CSV.

#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace tgt {

/// Whether `path` names a workbook this reader takes (.xlsx or .xlsm, any case).
bool is_xlsx_path(std::string_view path);

/// One worksheet of a workbook as CSV in an anonymous temporary file: a line per row from the header
/// row on (gaps between rows kept as blank lines, so CSV line n is worksheet row n + offset()),
/// every cell as text: shared and inline strings as written, numbers in their shortest decimal form
/// (to Excel's 15 significant digits), numbers styled as dates as YYYY-MM-DD. Memory holds the shared
/// strings, the styles and one row, whatever the number of rows.
class XlsxCsv {
public:
    /// Converts the sheet named `sheet` (empty: the first) of `path`. Throws an unreadable Error for a
    /// file that is not a workbook, a sheet it does not have (naming those it has), or XML it cannot read.
    XlsxCsv(const std::string& path, const std::string& sheet);
    ~XlsxCsv();
    XlsxCsv(const XlsxCsv&) = delete;
    XlsxCsv& operator=(const XlsxCsv&) = delete;
    /// The CSV, positioned at its start.
    std::FILE* stream() const { return csv_; }
    /// The worksheet's name ("Sheet1"), for locations.
    const std::string& sheet() const { return sheet_; }
    /// Worksheet row of CSV line n: n + offset() (rows above the header are left out).
    int offset() const { return offset_; }
    /// The A1 name of CSV line `line`'s cell in column `column` (0-based): "Sheet1!C7"; without a column
    /// (column < 0), the row: "Sheet1!7:7".
    std::string cell(int line, int column) const;

private:
    std::FILE* csv_ = nullptr;
    std::string sheet_;
    int offset_ = 0;
};

/// A number cell's stored text ("1234.5599999999999", "1.5E-3") as Excel shows it: rounded half away
/// from zero to 15 significant digits, in plain decimal form ("1234.56", "0.0015"). Worked on the
/// decimal text itself, so no binary rounding enters an amount. Text that is not a number comes back as is.
std::string excel_number_text(std::string_view raw);

/// Whether this tgt reads .xlsx (built with minizip and expat).
bool xlsx_reader_available();

}  // namespace tgt
