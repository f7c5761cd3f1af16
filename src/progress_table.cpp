// A progress report as a table, the one step from report to rows that the CLI and the sheets share.

#include <fmt/format.h>

#include <algorithm>
#include <functional>

#include "tgt/display.hpp"
#include "tgt/fraction.hpp"
#include "tgt/labels.hpp"
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

// One measure of the progress table: its column, where people read it (right after the column
// named `after`; nullptr: in list order), and its cell for a row, the Total's from its sums.
struct Measure {
    Column column;
    const char* after = nullptr;
    std::function<Cell(const ProgressRow&)> cell;
};

// Every measure, in the stable (machine) order: the one place a column is added. New columns go
// at the end, so that a script's column positions hold. The unplanned row's target is 0 (nothing
// was planned for it): its gap is −actual, so gaps add up to the Total's; its ratios are empty.
std::vector<Measure> measures(const ProgressReport& report, Lang lang) {
    const int dec = report.decimals;
    auto amount = [](Minor v) { return Cell{{}, v, true}; };
    auto planned = [](const ProgressRow& r, std::optional<Minor> v) {
        return optional_amount(r.planned ? v : std::nullopt);
    };
    const Column pct2{"", true, 2, false, false};
    auto named = [](Column c, const char* name) {
        c.name = name;
        return c;
    };
    std::vector<Measure> out{
        {Column{"target", true, dec}, nullptr, [=](const ProgressRow& r) { return amount(r.target); }},
        {Column{"target_to_date", true, dec}, nullptr, [=](const ProgressRow& r) { return amount(r.target_to_date); }},
        {Column{"actual", true, dec}, nullptr, [=](const ProgressRow& r) { return amount(r.actual); }},
        {named(pct2, "achievement_pct"), nullptr,
         [&, planned](const ProgressRow& r) { return planned(r, report.achievement_pct(r)); }},
        {named(pct2, "time_progress_pct"), nullptr,
         [&](const ProgressRow& r) { return optional_amount(report.time_progress_pct(r)); }},
        {Column{"pace", true, 4, false, false}, nullptr,
         [&, planned](const ProgressRow& r) { return planned(r, report.pace(r)); }},
        {Column{"gap", true, dec}, nullptr, [&, amount](const ProgressRow& r) { return amount(report.gap(r)); }},
        {Column{"forecast_by_pace", true, dec, false}, nullptr,
         [&, planned](const ProgressRow& r) { return planned(r, report.forecast_by_pace(r)); }},
        {Column{"forecast_run_rate", true, dec, false}, nullptr,
         [&](const ProgressRow& r) { return optional_amount(report.forecast_run_rate(r)); }},
        {Column{"required_daily", true, dec, false}, nullptr,
         [&, planned](const ProgressRow& r) { return planned(r, report.required_daily(r)); }},
        {Column{"status", false, 0}, nullptr,
         [&, lang](const ProgressRow& r) {
             Status st = report.status(r);
             return Cell{label(lang, status_name(st)), 0, st != Status::none};
         }},
        {Column{"behind_to_date", true, dec}, "gap",
         [&, amount](const ProgressRow& r) { return amount(report.behind_to_date(r)); }},
        {named(pct2, "month_pct"), "pace", [&](const ProgressRow& r) { return optional_amount(report.month_pct(r)); }},
        {named(pct2, "quarter_pct"), "month_pct",
         [&](const ProgressRow& r) { return optional_amount(report.quarter_pct(r)); }},
    };
    if (report.has_task) {
        out.push_back(
            {Column{"task", true, dec}, "target", [](const ProgressRow& r) { return optional_amount(r.task); }});
        out.push_back({named(pct2, "task_achievement_pct"), "achievement_pct",
                       [&](const ProgressRow& r) { return optional_amount(report.task_achievement_pct(r)); }});
        out.push_back({Column{"task_gap", true, dec}, "behind_to_date",
                       [&](const ProgressRow& r) { return optional_amount(report.task_gap(r)); }});
    }
    return out;
}

// The measures in `order`: reading order moves each one with an `after` right behind that column.
std::vector<Measure> in_order(std::vector<Measure> list, ProgressOrder order) {
    if (order == ProgressOrder::stable) return list;
    std::vector<Measure> out;
    for (auto& m : list)
        if (!m.after) out.push_back(std::move(m));
    for (auto& m : list) {
        if (!m.after) continue;
        auto at = std::find_if(out.begin(), out.end(), [&](const Measure& o) { return o.column.name == m.after; });
        out.insert(at == out.end() ? at : at + 1, std::move(m));
    }
    return out;
}

// The words a column's id stands for, looked up in the label catalog for Lang::zh headers.
std::string_view words_for(std::string_view id) {
    static constexpr std::pair<std::string_view, std::string_view> kWords[] = {
        {"target_to_date", "target to date"},
        {"achievement_pct", "achievement"},
        {"time_progress_pct", "time elapsed"},
        {"forecast_by_pace", "forecast by pace"},
        {"forecast_run_rate", "forecast by run rate"},
        {"required_daily", "needed per working day"},
        {"behind_to_date", "behind to date"},
        {"month_pct", "this month"},
        {"quarter_pct", "this quarter"},
        {"task_achievement_pct", "task achievement"},
        {"task_gap", "task gap"},
    };
    for (const auto& [from, to] : kWords)
        if (from == id) return to;
    return id;
}

// Headers people read in `lang`: English keeps the ids (what scripts and goldens know).
void title_columns(std::vector<Column>& columns, Lang lang) {
    if (lang == Lang::en) return;
    for (auto& c : columns)
        c.title = std::string(label(lang, words_for(c.name)));
}

}  // namespace

void progress_table(const ProgressReport& report, TableWriter& writer, ProgressOrder order, Lang lang) {
    const std::vector<Measure> list = in_order(measures(report, lang), order);
    std::vector<Column> columns = key_columns(report);
    for (const auto& m : list)
        columns.push_back(m.column);
    title_columns(columns, lang);
    writer.begin(columns);

    std::vector<Cell> cells;
    auto cells_of = [&](const ProgressRow& r, std::span<const std::string_view> keys) {
        cells.clear();
        for (const auto& k : keys)
            cells.push_back(Cell{k, 0, true});
        for (const auto& m : list)
            cells.push_back(m.cell(r));
        return std::span<const Cell>(cells);
    };
    std::vector<std::string_view> keys;
    for (const auto& r : report.rows) {
        keys.assign(r.keys.begin(), r.keys.end());
        writer.row(cells_of(r, keys));
    }
    keys.assign(report.key_columns.size(), std::string_view());
    if (!keys.empty()) keys[0] = label(lang, "Total");
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

void progress_grid_columns(const ProgressReport& report, TableWriter& writer, Date as_of, const GridMark& mark,
                           const DisplayUnit& unit, Lang lang) {
    const int dec = report.decimals;
    std::vector<Column> columns = key_columns(report);
    for (const auto& p : report.grid_periods)
        columns.push_back(Column{p.label, false, 0});
    // After the periods: this month and this quarter (unless they are the grid's own periods), the
    // year to date (actual ÷ the whole target: 达成率) and pace (actual ÷ target to date).
    auto grid_is = [&](TimeLevel level) {
        return !report.grid_periods.empty() && report.grid_periods[0].level == level;
    };
    const bool month = report.month && !grid_is(TimeLevel::month);
    const bool quarter = report.quarter && !grid_is(TimeLevel::quarter);
    if (month) columns.push_back(Column{report.month->label, false, 0});
    if (quarter) columns.push_back(Column{report.quarter->label, false, 0});
    columns.push_back(Column{"YTD", false, 0});
    columns.push_back(Column{"pace", true, 4, false, false});
    title_columns(columns, lang);
    if (!unit.label.empty())
        columns[columns.size() - 2].title = fmt::format("{} ({})", columns[columns.size() - 2].heading(), unit.label);
    writer.begin(columns);
    std::vector<Minor> total_target(report.grid_periods.size(), 0), total_actual(report.grid_periods.size(), 0);
    // "actual / target  pct%"; a finished period's percentage goes through `mark`, the current one is
    // still running, so it is not judged.
    auto cell_text = [&](Minor actual, Minor target, bool planned, const Period& period) {
        auto p = planned ? grid_pct(actual, target) : std::nullopt;
        std::string text = unit.format(actual, dec);
        if (planned) text += " / " + unit.format(target, dec);
        if (p) {
            std::string percent = fmt::format("{}%", format_minor(*p, 1));
            if (mark && period.last <= as_of) percent = mark(percent, report.status_of(actual, target));
            text += "  " + percent;
        }
        return text;
    };
    std::vector<std::string> texts;
    std::vector<Cell> cells;
    // The columns after the periods, for a row (the Total's from its sums); not judged by `mark`.
    const Period whole{TimeLevel::year, Date::max(), Date::max(), ""};
    auto summary = [&](const ProgressRow& r) {
        if (month) texts.push_back(cell_text(r.month_actual, r.month_target, r.planned, whole));
        if (quarter) texts.push_back(cell_text(r.quarter_actual, r.quarter_target, r.planned, whole));
        texts.push_back(cell_text(r.actual, r.target, r.planned, whole));
    };
    auto put = [&](std::span<const std::string_view> keys, const ProgressRow& r) {
        cells.clear();
        for (const auto& k : keys)
            cells.push_back(Cell{k, 0, true});
        for (const auto& t : texts)
            cells.push_back(Cell{t, 0, true});
        cells.push_back(optional_amount(r.planned ? report.pace(r) : std::nullopt));
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
        summary(r);
        keys.assign(r.keys.begin(), r.keys.end());
        put(keys, r);
    }
    if (!report.key_columns.empty()) {  // without keys, one row, the plan's own: a total would repeat it
        texts.clear();
        for (std::size_t g = 0; g < report.grid_periods.size(); ++g)
            texts.push_back(cell_text(total_actual[g], total_target[g], true, report.grid_periods[g]));
        ProgressRow total = report.total();
        total.planned = true;
        summary(total);
        keys.assign(report.key_columns.size(), std::string_view());
        keys[0] = label(lang, "Total");
        put(keys, total);
    }
    writer.end();
}

}  // namespace tgt
