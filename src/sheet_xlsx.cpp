// Quota sheets as Excel workbooks through libxlsxwriter: numbers stored as numbers with the
// metric's number format, totals as SUM formulas (with their exact value cached), so a sheet still
// adds up when someone edits it.

#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>

#include "tgt/sheet.hpp"
#include "tgt/sheet_names.hpp"

#if TGT_HAVE_XLSX
#include <xlsxwriter.h>

#include "render_xlsx.hpp"
#endif

namespace tgt {

bool xlsx_available() {
    return TGT_HAVE_XLSX != 0;
}

#if TGT_HAVE_XLSX

namespace {

double as_number(Minor amount, int decimals) {
    return xlsx_number(amount, decimals);
}

std::string cell_name(int row, int col) {
    return xlsx_cell_name(row, col);
}

struct Formats {
    lxw_format* bold;
    lxw_format* title;
    std::vector<lxw_format*> amount;  // per metric
    lxw_format* count;
    lxw_format* percent;
};

Formats make_formats(lxw_workbook* wb, const Sheets& all) {
    Formats f{};
    f.bold = workbook_add_format(wb);
    format_set_bold(f.bold);
    f.title = workbook_add_format(wb);
    format_set_bold(f.title);
    format_set_font_size(f.title, 14);
    for (const Metric* m : all.metrics) {
        lxw_format* a = workbook_add_format(wb);
        format_set_num_format(a, xlsx_number_format(m->decimals).c_str());
        f.amount.push_back(a);
    }
    f.count = workbook_add_format(wb);
    format_set_num_format(f.count, "#,##0");
    f.percent = workbook_add_format(wb);
    format_set_num_format(f.percent, "0.0%");
    return f;
}

using Check = std::function<void(lxw_error)>;
using TotalRow = std::function<void(int, std::initializer_list<std::pair<int, double>>, lxw_format*)>;

// Progress as of the date, from `row` on: the measures as numbers, then target and actual by month with
// SUM totals and achievement as a formula, so edits keep it right.
void write_progress(lxw_worksheet* ws, const Formats& f, const Sheets& all, const SheetProgress& p, int& row,
                    const Check& check, const TotalRow& total_row) {
    const int dec = all.tracked_decimals;
    check(worksheet_write_string(ws, static_cast<lxw_row_t>(row++), 0,
                                 fmt::format("Progress as of {} ({})", all.as_of, all.tracked).c_str(), f.title));
    auto measure = [&](const char* label, std::optional<double> value, lxw_format* format) {
        check(worksheet_write_string(ws, static_cast<lxw_row_t>(row), 0, label, nullptr));
        if (value) check(worksheet_write_number(ws, static_cast<lxw_row_t>(row), 1, *value, format));
        ++row;
    };
    auto number = [](const std::optional<Minor>& v, int d) -> std::optional<double> {
        return v ? std::optional<double>(as_number(*v, d)) : std::nullopt;
    };
    lxw_format* amount = f.count;  // an activity; a metric has its own format
    for (std::size_t i = 0; i < all.metrics.size(); ++i)
        if (all.metrics[i]->id == all.tracked) amount = f.amount[i];
    measure("target", as_number(p.target, dec), amount);
    measure("target to date", as_number(p.target_to_date, dec), amount);
    measure("actual", as_number(p.actual, dec), amount);
    measure("achievement %", number(p.achievement_pct, 2), nullptr);
    measure("time elapsed %", number(p.time_progress_pct, 2), nullptr);
    measure("pace", number(p.pace, 4), nullptr);
    measure("gap", as_number(p.gap, dec), amount);
    if (p.task) {
        measure("task", as_number(*p.task, dec), amount);
        measure("task achievement %", number(p.task_achievement_pct, 2), nullptr);
    }
    measure("forecast by pace", number(p.forecast, dec), amount);
    measure("needed per working day", number(p.required_daily, dec), amount);
    check(worksheet_write_string(ws, static_cast<lxw_row_t>(row), 0, "status", nullptr));
    check(worksheet_write_string(ws, static_cast<lxw_row_t>(row++), 1, p.status.c_str(), f.bold));
    ++row;
    const char* heads[] = {"month", "target", "actual", "achievement"};
    for (int c = 0; c < 4; ++c)
        check(worksheet_write_string(ws, static_cast<lxw_row_t>(row), static_cast<lxw_col_t>(c), heads[c], f.bold));
    ++row;
    int top = row;
    Minor targets = 0, actuals = 0;
    for (const auto& [label, v] : p.months) {
        check(worksheet_write_string(ws, static_cast<lxw_row_t>(row), 0, label.c_str(), nullptr));
        check(worksheet_write_number(ws, static_cast<lxw_row_t>(row), 1, as_number(v.first, dec), amount));
        check(worksheet_write_number(ws, static_cast<lxw_row_t>(row), 2, as_number(v.second, dec), amount));
        // Cached as the formula computes it: "" (a blank string) where the target is 0.
        std::string ratio = fmt::format("=IF({0}=0,\"\",{1}/{0})", cell_name(row, 1), cell_name(row, 2));
        if (v.first == 0)
            check(worksheet_write_formula_str(ws, static_cast<lxw_row_t>(row), 3, ratio.c_str(), f.percent, ""));
        else
            check(worksheet_write_formula_num(ws, static_cast<lxw_row_t>(row), 3, ratio.c_str(), f.percent,
                                              as_number(v.second, dec) / as_number(v.first, dec)));
        targets += v.first;
        actuals += v.second;
        ++row;
    }
    total_row(top, {{1, as_number(targets, dec)}, {2, as_number(actuals, dec)}}, amount);
    row += 2;
}

// A section's table with the workbook's headings: metrics by their name (or id), periods by their grain.
Table workbook_table(const Sheets& all, const SheetSection& section) {
    Table t = section.table;
    using Kind = SheetSection::Kind;
    const Kind kind = section.kind;
    if (kind == Kind::quarters) t.columns[0].name = "quarter";
    if (kind == Kind::months) t.columns[0].name = "month";
    if (kind == Kind::weeks) t.columns[0].name = "week";
    const bool amounts = kind == Kind::target || kind == Kind::quarters || kind == Kind::months ||
                         kind == Kind::weeks || kind == Kind::mix;
    if (amounts && t.columns.size() >= all.metrics.size()) {
        const std::size_t first = t.columns.size() - all.metrics.size();
        for (std::size_t i = 0; i < all.metrics.size(); ++i)
            t.columns[first + i].name = all.metrics[i]->name.empty() ? all.metrics[i]->id : all.metrics[i]->name;
    }
    return t;
}

// Writes one member's sheet: the title block, then sheet_sections' tables through the XLSX renderer
// (progress as numbers and formulas of its own), then the notes. Returns the first error
// libxlsxwriter gave (a string too long for a cell, say), so that no workbook goes out with a cell missing.
lxw_error write_sheet(lxw_worksheet* ws, const Formats& f, XlsxFormats& tables, const Sheets& all,
                      const QuotaSheet& s) {
    lxw_error failed = LXW_NO_ERROR;
    auto check = [&](lxw_error error) {
        if (failed == LXW_NO_ERROR) failed = error;
    };
    const int metrics = static_cast<int>(all.metrics.size());
    worksheet_set_column(ws, 0, 0, 14, nullptr);
    worksheet_set_column(ws, 1, static_cast<lxw_col_t>(1 + metrics + 8), 16, nullptr);
    int row = 0;
    check(worksheet_write_string(ws, static_cast<lxw_row_t>(row++), 0, (s.name.empty() ? s.id : s.name).c_str(),
                                 f.title));
    std::string chain;
    for (const auto& [level, id] : s.chain)
        chain += (chain.empty() ? "" : " › ") + level + " " + id;
    check(worksheet_write_string(ws, static_cast<lxw_row_t>(row++), 0, (chain + " · " + all.period).c_str(), nullptr));
    ++row;
    // A section: its title, its table (with a totals row unless `total` says none), a blank row.
    auto section = [&](const SheetSection& x, XlsxTotal total) {
        if (x.table.rows.empty()) return;
        const std::string title = x.kind == SheetSection::Kind::activity
                                      ? "Activity it takes (funnel counts round up, month by month)"
                                      : x.title;
        if (!title.empty()) check(worksheet_write_string(ws, static_cast<lxw_row_t>(row++), 0, title.c_str(), f.title));
        check(write_xlsx_table(ws, row, workbook_table(all, x), tables, total));
        ++row;
    };
    const std::vector<SheetSection> sections = sheet_sections(all, s);
    auto each = [&](SheetSection::Kind kind, const std::function<void(const SheetSection&)>& write) {
        for (const auto& x : sections)
            if (x.kind == kind) write(x);
    };
    each(SheetSection::Kind::target, [&](const SheetSection& x) { section(x, XlsxTotal::none); });
    // "Total" under rows top…row-1: a SUM formula per column, its exact value cached.
    auto total_row = [&](int top, std::initializer_list<std::pair<int, double>> columns, lxw_format* format) {
        check(worksheet_write_string(ws, static_cast<lxw_row_t>(row), 0, "Total", f.bold));
        for (auto [col, cached] : columns) {
            std::string formula = fmt::format("=SUM({}:{})", cell_name(top, col), cell_name(row - 1, col));
            check(worksheet_write_formula_num(ws, static_cast<lxw_row_t>(row), static_cast<lxw_col_t>(col),
                                              formula.c_str(), format, cached));
        }
    };
    if (s.progress) write_progress(ws, f, all, *s.progress, row, check, total_row);
    for (auto kind :
         {SheetSection::Kind::quarters, SheetSection::Kind::months, SheetSection::Kind::weeks, SheetSection::Kind::mix})
        each(kind, [&](const SheetSection& x) { section(x, XlsxTotal::sums); });
    if (!s.activity.empty())
        each(SheetSection::Kind::activity, [&](const SheetSection& x) { section(x, XlsxTotal::sums); });
    each(SheetSection::Kind::tiers, [&](const SheetSection& x) { section(x, XlsxTotal::sums); });
    for (const auto& note : s.notes)
        check(worksheet_write_string(ws, static_cast<lxw_row_t>(row++), 0, ("• " + note).c_str(), nullptr));
    return failed;
}

}  // namespace

void write_xlsx(const std::string& path, const Sheets& all, const std::vector<const QuotaSheet*>& sheets) {
    std::vector<std::string> ids;
    for (const QuotaSheet* s : sheets)
        ids.push_back(s->id);
    const std::vector<SheetName> names = names_among(all.level_ids, ids, worksheet_names);
    // Excel's rules, checked here too: libxlsxwriter answers a name it refuses with a null worksheet.
    for (const auto& name : names)
        if (!valid_worksheet_name(name.name))
            throw Error::io(path, fmt::format("\"{}\" is not a worksheet name Excel takes", name.name));
    // Until it is closed, the workbook is freed without writing anything (on any failure).
    std::unique_ptr<lxw_workbook, void (*)(lxw_workbook*)> wb(workbook_new(path.c_str()), lxw_workbook_free);
    if (!wb) throw Error::io(path, "cannot create the workbook");
    Formats f = make_formats(wb.get(), all);
    XlsxFormats tables(wb.get());
    for (std::size_t i = 0; i < sheets.size(); ++i) {
        lxw_worksheet* ws = workbook_add_worksheet(wb.get(), names[i].name.c_str());
        if (!ws) throw Error::io(path, fmt::format("cannot add the worksheet \"{}\"", names[i].name));
        if (lxw_error error = write_sheet(ws, f, tables, all, *sheets[i]); error != LXW_NO_ERROR)
            throw Error::io(path, fmt::format("cannot write the sheet of {}: {}", sheets[i]->id, lxw_strerror(error)));
    }
    lxw_error error = workbook_close(wb.release());
    if (error != LXW_NO_ERROR) {
        std::remove(path.c_str());  // whatever part of it was written
        throw Error::io(path, fmt::format("cannot write: {}", lxw_strerror(error)));
    }
}

#else

void write_xlsx(const std::string& path, const Sheets&, const std::vector<const QuotaSheet*>&) {
    throw Error::io(path, "this tgt was built without libxlsxwriter: XLSX is not available");
}

#endif

}  // namespace tgt
