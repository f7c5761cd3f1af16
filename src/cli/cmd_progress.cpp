// tgt progress: 达成率 against 时间进度 at any grain, as of a date, from streamed actuals.

#include <fmt/format.h>

#include <algorithm>

#include "cmd_progress.hpp"
#include "tgt/bar.hpp"
#include "tgt/progress.hpp"

namespace tgt::cli {

void setup_progress(CLI::App& app, ProgressOptions& o) {
    app.add_option("plan", o.plan, "Plan file (JSON)")->required();
    app.add_option("actuals", o.actuals, "Actuals: CSV, TSV or NDJSON files (summed), - for standard input")
        ->required();
    app.add_option("--as-of", o.as_of, "Report as of this date (YYYY-MM-DD), included")->required();
    app.add_option("--by", o.by, "Dimension levels to keep, e.g. region,rep");
    app.add_option("--where", o.where, "Only cells where LEVEL=VALUE (dimension levels)");
    app.add_option("--metric", o.metric,
                   "The metric to track (default: the plan's first), or an activity: a funnel stage's id or "
                   "visits, read from the actuals column of that name");
    add_actuals_flags(app, o.actuals_flags);
    app.add_option_function<std::string>(
           "--fail-on",
           [&o](const std::string& status) { o.fail_on = status == "critical" ? FailOn::critical : FailOn::behind; },
           "Exit 3 when a row is at this status or worse: behind or critical")
        ->check(CLI::IsMember({"behind", "critical"}));
    add_time_level_option(app, "--grid", o.grid,
                          "Instead of the report: target / actual / % per member and period (week or month), the "
                          "table sales meetings use",
                          {"week", "month", "quarter"});
    add_format_option(app, o.format, "table, csv, tsv, json, ndjson or markdown (default: table, or from -o)");
    app.add_option("-o,--output", o.output, "Write to this file (atomically) instead of standard output");
    add_force_flag(app, o.force);
}

namespace {

Paint paint_for(Status s) {
    switch (s) {
        case Status::ahead:
            return Paint::green;
        case Status::on_track:
            return Paint::cyan;
        case Status::behind:
            return Paint::yellow;
        case Status::critical:
            return Paint::red;
        case Status::none:
            break;
    }
    return Paint::none;
}

// The grid: for people one column per period ("actual / target  pct%") and a total row; for
// machines one row per member and period.
void write_grid(const ProgressReport& report, Format format, TableWriter& writer, Date as_of, bool colour) {
    const int dec = report.decimals;
    auto pct = [](Minor actual, Minor target) { return divide_rounded(static_cast<Wide>(actual) * 100, target, 1); };
    if (format != Format::table && format != Format::markdown) {
        std::vector<Column> columns;
        for (const auto& k : report.key_columns)
            columns.push_back(Column{k, false, 0});
        columns.push_back(Column{"period", false, 0});
        columns.push_back(Column{"target", true, dec});
        columns.push_back(Column{"actual", true, dec});
        columns.push_back(Column{"achievement_pct", true, 1, false, false});
        writer.begin(columns);
        for (const auto& r : report.rows)
            for (std::size_t g = 0; g < report.grid_periods.size(); ++g) {
                std::vector<Cell> cells;
                for (const auto& k : r.keys)
                    cells.push_back(Cell{k, 0, true});
                cells.push_back(Cell{report.grid_periods[g].label, 0, true});
                cells.push_back(Cell{{}, r.grid_target[g], true});
                cells.push_back(Cell{{}, r.grid_actual[g], true});
                auto p = r.planned ? pct(r.grid_actual[g], r.grid_target[g]) : std::nullopt;
                cells.push_back(Cell{{}, p.value_or(0), p.has_value()});
                writer.row(cells);
            }
        writer.end();
        return;
    }
    std::vector<Column> columns;
    for (const auto& k : report.key_columns)
        columns.push_back(Column{k, false, 0});
    for (const auto& p : report.grid_periods)
        columns.push_back(Column{p.label, false, 0});
    writer.begin(columns);
    std::vector<Minor> total_target(report.grid_periods.size(), 0), total_actual(report.grid_periods.size(), 0);
    // A finished period is coloured by its achievement against the plan's thresholds; the
    // current one is still running, so it is not judged.
    auto cell_text = [&](Minor actual, Minor target, bool planned, const Period& period) {
        auto p = planned ? pct(actual, target) : std::nullopt;
        std::string text = format_grouped(actual, dec);
        if (planned) text += " / " + format_grouped(target, dec);
        if (p) {
            std::string percent = fmt::format("{}%", format_minor(*p, 1));
            if (colour && period.last <= as_of) percent = paint(percent, paint_for(report.status_of(actual, target)));
            text += "  " + percent;
        }
        return text;
    };
    std::vector<std::string> texts;
    for (const auto& r : report.rows) {
        texts.clear();
        for (std::size_t g = 0; g < report.grid_periods.size(); ++g) {
            texts.push_back(cell_text(r.grid_actual[g], r.grid_target[g], r.planned, report.grid_periods[g]));
            total_target[g] += r.grid_target[g];
            total_actual[g] += r.grid_actual[g];
        }
        std::vector<Cell> cells;
        for (const auto& k : r.keys)
            cells.push_back(Cell{k, 0, true});
        for (const auto& t : texts)
            cells.push_back(Cell{t, 0, true});
        writer.row(cells);
    }
    if (report.key_columns.empty()) {  // one row, the plan's own: a total would repeat it
        writer.end();
        return;
    }
    texts.clear();
    for (std::size_t g = 0; g < report.grid_periods.size(); ++g)
        texts.push_back(cell_text(total_actual[g], total_target[g], true, report.grid_periods[g]));
    std::vector<Cell> cells;
    for (std::size_t k = 0; k < report.key_columns.size(); ++k)
        cells.push_back(Cell{k == 0 ? std::string_view("Total") : std::string_view(), 0, true});
    for (const auto& t : texts)
        cells.push_back(Cell{t, 0, true});
    writer.row(cells);
    writer.end();
}

}  // namespace

int run_progress(const ProgressOptions& o, const Io& io) {
    Format format = choose_format(o.format, o.output, Format::table);
    ProgressRequest request;
    request.by = split_commas(o.by);
    request.where = parse_filters(o.where);
    request.as_of = parse_as_of(o.as_of);
    request.metric = o.metric;
    request.actuals = o.actuals;
    request.options = actuals_options(o.actuals_flags, io);
    request.grid = o.grid;
    request.threads = thread_count(o.actuals_flags);

    Plan plan = read_plan(o.plan, io);
    std::vector<Input> inputs = plan_inputs(o.plan, plan);
    for (const auto& a : o.actuals)
        inputs.push_back({a, "actuals"});
    print_diagnostics(io, plan.warnings);
    Decomposition decomposition(plan);
    ProgressReport report = progress(decomposition, request, io.in);

    std::string unplanned_counted = "counted under (unplanned)";
    if (report.key_columns.empty())
        unplanned_counted = "counted in the plan's row (--by LEVEL shows them apart)";
    else if (report.unplanned_outside > 0)
        unplanned_counted =
            fmt::format("counted under (unplanned) where they match --where ({} outside it)", report.unplanned_outside);
    print_diagnostics(io, actuals_notes(report.actuals, report.after_as_of, o.as_of, unplanned_counted));

    Status worst = Status::none;
    for (const auto& r : report.rows) {
        Status st = report.status(r);
        if (static_cast<int>(st) > static_cast<int>(worst)) worst = st;
    }
    int code = exit_ok;
    if (o.fail_on == FailOn::behind && (worst == Status::behind || worst == Status::critical)) code = exit_flagged;
    if (o.fail_on == FailOn::critical && worst == Status::critical) code = exit_flagged;
    const bool colour = format == Format::table && io.color_out && (o.output.empty() || o.output == "-");
    if (request.grid) {
        RenderOptions grid_options;
        grid_options.totals = false;  // the grid writes its own total row
        Output output(o.output, io, inputs, o.force);
        auto writer = make_writer(format, output.stream(), grid_options);
        write_grid(report, format, *writer, request.as_of, colour);
        output.commit();
        return code;
    }
    const int dec = report.decimals;
    std::vector<Column> columns;
    for (const auto& k : report.key_columns)
        columns.push_back(Column{k, false, 0});
    for (const char* name : {"target", "target_to_date", "actual"})
        columns.push_back(Column{name, true, dec});
    // People get a bar beside achievement and pace, and colour by status on a terminal.
    const bool bars = format == Format::table;
    columns.push_back(Column{"achievement_pct", true, 2, false, false});
    if (bars) columns.push_back(Column{"", false, 0});
    columns.push_back(Column{"time_progress_pct", true, 2, false, false});
    columns.push_back(Column{"pace", true, 4, false, false});
    if (bars) columns.push_back(Column{"", false, 0});
    columns.push_back(Column{"gap", true, dec});
    columns.push_back(Column{"forecast_by_pace", true, dec, false});
    columns.push_back(Column{"forecast_run_rate", true, dec, false});
    columns.push_back(Column{"required_daily", true, dec, false});
    columns.push_back(Column{"status", false, 0});

    RenderOptions options;
    Output output(o.output, io, inputs, o.force);
    auto writer = make_writer(format, output.stream(), options);
    writer->begin(columns);

    // One row's cells; the Total row goes through the same measures, from its sums. The unplanned
    // row's target is 0 (nothing was planned for it): its gap is −actual, so gaps add up to the Total's.
    std::string achievement_bar, pace_bar, status_text;
    std::vector<Cell> cells;
    auto cells_of = [&](const ProgressRow& r, std::span<const std::string_view> keys) {
        auto opt = [](std::optional<Minor> v) { return Cell{{}, v.value_or(0), v.has_value()}; };
        Status s = report.status(r);
        Paint status_paint = colour ? paint_for(s) : Paint::none;
        auto achievement = r.planned ? report.achievement_pct(r) : std::nullopt;
        auto pace = r.planned ? report.pace(r) : std::nullopt;
        cells.clear();
        for (const auto& k : keys)
            cells.push_back(Cell{k, 0, true});
        cells.push_back(Cell{{}, r.target, true});
        cells.push_back(Cell{{}, r.target_to_date, true});
        cells.push_back(Cell{{}, r.actual, true});
        cells.push_back(opt(achievement));
        if (bars) {
            achievement_bar = percent_bar(achievement);
            cells.push_back(Cell{achievement_bar, 0, true});
        }
        cells.push_back(opt(report.time_progress_pct(r)));
        cells.push_back(opt(pace));
        if (bars) {
            // pace is held in ten-thousandths, that is hundredths of a percent
            pace_bar = paint(percent_bar(pace), status_paint);
            cells.push_back(Cell{pace_bar, 0, true});
        }
        cells.push_back(Cell{{}, report.gap(r), true});
        cells.push_back(opt(r.planned ? report.forecast_by_pace(r) : std::nullopt));
        cells.push_back(opt(report.forecast_run_rate(r)));
        cells.push_back(opt(r.planned ? report.required_daily(r) : std::nullopt));
        status_text = paint(status_name(s), s == Status::none ? Paint::none : status_paint);
        cells.push_back(Cell{status_text, 0, s != Status::none});
        return std::span<const Cell>(cells);
    };
    std::vector<std::string_view> keys;
    for (const auto& r : report.rows) {
        keys.assign(r.keys.begin(), r.keys.end());
        writer->row(cells_of(r, keys));
    }
    keys.assign(report.key_columns.size(), std::string_view());
    if (!keys.empty()) keys[0] = "Total";
    writer->total(cells_of(report.total(), keys));
    writer->end();
    output.commit();
    return code;
}

}  // namespace tgt::cli
