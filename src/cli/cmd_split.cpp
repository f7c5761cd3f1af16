// tgt split: the allocation at the grain asked for, in the format the next tool wants.

#include <fmt/format.h>

#include <algorithm>
#include <thread>

#include "cmd_split.hpp"
#include "tgt/activity.hpp"
#include "tgt/decompose.hpp"
#include "tgt/fraction.hpp"
#include "tgt/report.hpp"

namespace tgt::cli {

void setup_split(CLI::App& app, SplitOptions& o) {
    app.add_option("plan", o.plan, "Plan file (JSON), or - for standard input")->required();
    app.add_option("--by", o.by, "Dimension levels to keep, e.g. region,rep (ancestors come along)");
    add_time_level_option(app, "--period", o.period, "Time grain: year, half, quarter, month, week or day",
                          {"year", "half", "quarter", "month", "week", "day"});
    app.add_option("--metric", o.metrics, "Only these metrics (repeat or separate with commas)");
    app.add_option("--where", o.where, "Only cells where LEVEL=VALUE (repeatable; same level = any of)");
    add_format_option(app, o.format, "table, csv, tsv, json, ndjson or markdown (default: table, or from -o)");
    app.add_option("-o,--output", o.output, "Write to this file (atomically) instead of standard output");
    add_force_flag(app, o.force);
    app.add_option("--unit", o.unit, "Show money amounts in 万 or 亿 (table and markdown; counts stay as they are)")
        ->check(CLI::IsMember({"", "万", "亿", "千"}));
    add_threads_option(app, o.threads,
                       "Threads to compute on (default: the cores, at least 2; the output is the same)");
    app.add_flag_callback(
        "--single-thread", [&o] { o.threads = 1; }, "The same as --threads 1");
    app.add_flag("--show-task", o.show_task,
                 "Also show each row's task before over-assignment (\"allocate\"), beside what was handed out");
    app.add_flag("--no-activity", o.no_activity,
                 "Leave out the activity columns (the funnel's stages, visits) a plan with a funnel or visits adds");
}

std::vector<Filter> parse_filters(const std::vector<std::string>& where) {
    std::vector<Filter> filters;
    for (const auto& w : where) {
        auto eq = w.find('=');
        if (eq == std::string::npos || eq == 0 || eq + 1 == w.size())
            throw Error::usage(fmt::format("--where {}: expected LEVEL=VALUE", w), "e.g. --where region=华东");
        filters.push_back({w.substr(0, eq), w.substr(eq + 1)});
    }
    return filters;
}

namespace {

// Above a table with activity: how the counts come about, and why their total may exceed the plan's.
std::string activity_note(const ActivityColumns& activity) {
    std::string note;
    if (activity.has_funnel())
        note +=
            "Funnel counts round up in each row (see `tgt funnel` for the rule), so a column's total can "
            "exceed the count the plan's total takes.";
    if (activity.has_visits())
        note += std::string(note.empty() ? "" : " ") +
                "Visits: each customer once per its tier's interval, staggered, spread over a month's working days.";
    return note + "\n\n";
}

int unit_power(const std::string& unit) {
    if (unit == "万") return 4;
    if (unit == "亿") return 8;
    if (unit == "千") return 3;
    return 0;
}

}  // namespace

std::vector<ValueColumn> value_columns(const Plan& plan, const SplitLayout& layout) {
    std::vector<ValueColumn> out;
    std::size_t n = layout.metrics.size();
    auto channel_of = [&](int metric, std::size_t offset) -> int {
        for (std::size_t i = 0; i < n; ++i)
            if (layout.metrics[i] == metric) return static_cast<int>(offset + i);
        return -1;
    };
    auto add_block = [&](std::size_t offset, const std::string& suffix) {
        for (std::size_t i = 0; i < n; ++i) {
            const Metric& metric = plan.metrics[static_cast<std::size_t>(layout.metrics[i])];
            ValueColumn v;
            v.channel = static_cast<int>(offset + i);
            if (metric.rate) {
                // Σ(weight × rate millionths) ÷ Σ weight, shown as a percentage.
                v.column = Column{metric.id + suffix + "_pct", true, metric.decimals, false, false};
                v.base = channel_of(metric.weighted_by, offset);
                v.kind = ValueColumn::Kind::rate;
            } else {
                // --unit 万 scales money only: a count (orders, units) stays a count.
                v.column = Column{metric.id + suffix, true, metric.decimals, true, metric.money};
            }
            out.push_back(v);
            if (metric.stretch_of >= 0) {
                int commit = channel_of(metric.stretch_of, offset);
                if (commit >= 0) {
                    ValueColumn r;
                    r.column = Column{metric.id + suffix + "_ratio", true, 4, false, false};
                    r.kind = ValueColumn::Kind::ratio;
                    r.channel = v.channel;
                    r.base = commit;
                    out.push_back(r);
                }
            }
        }
    };
    add_block(0, "");
    if (layout.with_task) add_block(n, "_task");
    return out;
}

Cell ValueColumn::cell(std::span<const Minor> amounts) const {
    Minor value = amounts[static_cast<std::size_t>(channel)];
    switch (kind) {
        case Kind::amount:
            return Cell{{}, value, true};
        case Kind::rate: {
            Minor weight = amounts[static_cast<std::size_t>(base)];
            auto pct = rate_percent(value, weight, column.decimals);
            return Cell{{}, pct.value_or(0), pct.has_value()};
        }
        case Kind::ratio: {
            auto r = divide_rounded(value, amounts[static_cast<std::size_t>(base)], column.decimals);
            return Cell{{}, r.value_or(0), r.has_value()};
        }
    }
    return Cell{};
}

int run_split(const SplitOptions& o, const Io& io) {
    Format format = choose_format(o.format, o.output, Format::table);
    if (!o.unit.empty() && format != Format::table && format != Format::markdown)
        throw Error::usage("--unit applies to table and markdown output",
                           "csv, tsv and json always carry exact amounts in the metric's own unit");
    SplitRequest request;
    request.by = split_commas(o.by);
    request.period = o.period;
    request.metrics = split_commas(o.metrics);
    request.where = parse_filters(o.where);
    request.with_task = o.show_task;

    Plan plan = read_plan(o.plan, io);
    print_diagnostics(io, plan.warnings);
    Decomposition decomposition(plan);
    SplitLayout layout = decomposition.layout(request);

    std::vector<Column> columns;
    for (const auto& k : layout.key_columns)
        columns.push_back(Column{k, false, 0});
    std::vector<ValueColumn> values = value_columns(plan, layout);
    for (const auto& v : values)
        columns.push_back(v.column);
    std::optional<ActivityColumns> activity;
    if (!o.no_activity) activity.emplace(plan, layout, request.period);
    if (activity && activity->empty()) activity.reset();
    if (activity)
        for (const auto& name : activity->names())
            columns.push_back(Column{name, true, 0, true, false});  // counts: never in 万

    RenderOptions options;
    options.unit_power = unit_power(o.unit);
    options.unit_label = o.unit;
    options.stable_text = true;  // row keys are views into the plan and its periods
    Output output(o.output, io, plan_inputs(o.plan, plan), o.force);
    auto writer = make_writer(format, output.stream(), options);
    request.threads = o.threads > 0 ? o.threads : static_cast<int>(std::max(2u, std::thread::hardware_concurrency()));
    if (activity && (format == Format::table || format == Format::markdown))
        fmt::print(output.stream(), "{}", activity_note(*activity));
    writer->begin(columns);
    std::vector<Cell> cells(columns.size());
    std::vector<std::int64_t> counts;
    decomposition.run(request, [&](const SplitRow& row) {
        std::size_t i = 0;
        for (auto key : row.keys)
            cells[i++] = Cell{key, 0, true};
        for (const auto& v : values)
            cells[i++] = v.cell(row.amounts);
        if (activity) {
            activity->fill(row, counts);
            for (auto c : counts)
                cells[i++] = Cell{{}, c, true};
        }
        writer->row(cells);
    });
    writer->end();
    output.commit();
    return exit_ok;
}

}  // namespace tgt::cli
