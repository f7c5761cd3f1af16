#pragma once
// Format::xlsx as a TableWriter: a report's table as one worksheet, whatever the command.

#include <cstdio>
#include <memory>

#include "tgt/report.hpp"

namespace tgt {

/// A writer that keeps the table and, on end(), writes onto `out` a workbook of one worksheet: the
/// header row frozen and bold with an autofilter over the rows, amounts as numbers in their decimals'
/// format, columns as wide as their text (CJK characters count two), and, when options.totals, a
/// totals row of SUM formulas with their exact values cached. options' unit is ignored (cells are
/// exact numbers). Throws a usage Error when tgt was built without libxlsxwriter, an io Error when
/// the workbook cannot be made, WriteError when `out` refuses its bytes.
std::unique_ptr<TableWriter> make_xlsx_writer(std::FILE* out, const RenderOptions& options);

}  // namespace tgt
