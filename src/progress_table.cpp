// A progress report as a table, the one step from report to rows that the CLI and the sheets share.

#include <fmt/format.h>

#include "tgt/fraction.hpp"
#include "tgt/progress.hpp"

namespace tgt {

namespace {

std::vector<Column> key_columns(const ProgressReport& report) {
    std::vector<Column> columns;
    for (const auto& k : report.key_columns)
        columns.push_back(Column{k, false, 0});
    return columns;
}

Cell optional_amount(std::optional<Minor> v) {
    return Cell{{}, v.value_or(0), v.has_value()};
}

std::optional<Minor> grid_pct(Minor actual, Minor target) {
    return divide_rounded(static_cast<Wide>(actual) * 100, target, 1);
}

}  // namespace

void progress_table(const ProgressReport& report, TableWriter& writer) {
    const int dec = report.decimals;
    std::vector<Column> columns = key_columns(report);
    for (const char* name : {"target", "target_to_date", "actual"})
        columns.push_back(Column{name, true, dec});
    columns.push_back(Column{"achievement_pct", true, 2, false, false});
    columns.push_back(Column{"time_progress_pct", true, 2, false, false});
    columns.push_back(Column{"pace", true, 4, false, false});
    columns.push_back(Column{"gap", true, dec});
    columns.push_back(Column{"forecast_by_pace", true, dec, false});
    columns.push_back(Column{"forecast_run_rate", true, dec, false});
    columns.push_back(Column{"required_daily", true, dec, false});
    columns.push_back(Column{"status", false, 0});
    writer.begin(columns);

    // One row's cells; the Total row goes through the same measures, from its sums. The unplanned
    // row's target is 0 (nothing was planned for it): its gap is −actual, so gaps add up to the Total's.
    std::vector<Cell> cells;
    auto cells_of = [&](const ProgressRow& r, std::span<const std::string_view> keys) {
        Status s = report.status(r);
        cells.clear();
        for (const auto& k : keys)
            cells.push_back(Cell{k, 0, true});
        cells.push_back(Cell{{}, r.target, true});
        cells.push_back(Cell{{}, r.target_to_date, true});
        cells.push_back(Cell{{}, r.actual, true});
        cells.push_back(optional_amount(r.planned ? report.achievement_pct(r) : std::nullopt));
        cells.push_back(optional_amount(report.time_progress_pct(r)));
        cells.push_back(optional_amount(r.planned ? report.pace(r) : std::nullopt));
        cells.push_back(Cell{{}, report.gap(r), true});
        cells.push_back(optional_amount(r.planned ? report.forecast_by_pace(r) : std::nullopt));
        cells.push_back(optional_amount(report.forecast_run_rate(r)));
        cells.push_back(optional_amount(r.planned ? report.required_daily(r) : std::nullopt));
        cells.push_back(Cell{status_name(s), 0, s != Status::none});
        return std::span<const Cell>(cells);
    };
    std::vector<std::string_view> keys;
    for (const auto& r : report.rows) {
        keys.assign(r.keys.begin(), r.keys.end());
        writer.row(cells_of(r, keys));
    }
    keys.assign(report.key_columns.size(), std::string_view());
    if (!keys.empty()) keys[0] = "Total";
    writer.total(cells_of(report.total(), keys));
    writer.end();
}

void progress_grid_rows(const ProgressReport& report, TableWriter& writer) {
    const int dec = report.decimals;
    std::vector<Column> columns = key_columns(report);
    columns.push_back(Column{"period", false, 0});
    columns.push_back(Column{"target", true, dec});
    columns.push_back(Column{"actual", true, dec});
    columns.push_back(Column{"achievement_pct", true, 1, false, false});
    writer.begin(columns);
    std::vector<Cell> cells;
    for (const auto& r : report.rows)
        for (std::size_t g = 0; g < report.grid_periods.size(); ++g) {
            cells.clear();
            for (const auto& k : r.keys)
                cells.push_back(Cell{k, 0, true});
            cells.push_back(Cell{report.grid_periods[g].label, 0, true});
            cells.push_back(Cell{{}, r.grid_target[g], true});
            cells.push_back(Cell{{}, r.grid_actual[g], true});
            cells.push_back(optional_amount(r.planned ? grid_pct(r.grid_actual[g], r.grid_target[g]) : std::nullopt));
            writer.row(cells);
        }
    writer.end();
}

void progress_grid_columns(const ProgressReport& report, TableWriter& writer, Date as_of, const GridMark& mark) {
    const int dec = report.decimals;
    std::vector<Column> columns = key_columns(report);
    for (const auto& p : report.grid_periods)
        columns.push_back(Column{p.label, false, 0});
    writer.begin(columns);
    std::vector<Minor> total_target(report.grid_periods.size(), 0), total_actual(report.grid_periods.size(), 0);
    // "actual / target  pct%"; a finished period's percentage goes through `mark`, the current one is
    // still running, so it is not judged.
    auto cell_text = [&](Minor actual, Minor target, bool planned, const Period& period) {
        auto p = planned ? grid_pct(actual, target) : std::nullopt;
        std::string text = format_grouped(actual, dec);
        if (planned) text += " / " + format_grouped(target, dec);
        if (p) {
            std::string percent = fmt::format("{}%", format_minor(*p, 1));
            if (mark && period.last <= as_of) percent = mark(percent, report.status_of(actual, target));
            text += "  " + percent;
        }
        return text;
    };
    std::vector<std::string> texts;
    std::vector<Cell> cells;
    auto put = [&](std::span<const std::string_view> keys) {
        cells.clear();
        for (const auto& k : keys)
            cells.push_back(Cell{k, 0, true});
        for (const auto& t : texts)
            cells.push_back(Cell{t, 0, true});
        writer.row(cells);
    };
    std::vector<std::string_view> keys;
    for (const auto& r : report.rows) {
        texts.clear();
        for (std::size_t g = 0; g < report.grid_periods.size(); ++g) {
            texts.push_back(cell_text(r.grid_actual[g], r.grid_target[g], r.planned, report.grid_periods[g]));
            total_target[g] += r.grid_target[g];
            total_actual[g] += r.grid_actual[g];
        }
        keys.assign(r.keys.begin(), r.keys.end());
        put(keys);
    }
    if (!report.key_columns.empty()) {  // without keys, one row, the plan's own: a total would repeat it
        texts.clear();
        for (std::size_t g = 0; g < report.grid_periods.size(); ++g)
            texts.push_back(cell_text(total_actual[g], total_target[g], true, report.grid_periods[g]));
        keys.assign(report.key_columns.size(), std::string_view());
        keys[0] = "Total";
        put(keys);
    }
    writer.end();
}

}  // namespace tgt
