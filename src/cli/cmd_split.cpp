// tgt split: the allocation at the grain asked for, in the format the next tool wants.

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <memory>
#include <optional>
#include <thread>
#include <tuple>
#include <utility>

#include "cmd_split.hpp"
#include "tgt/activity.hpp"
#include "tgt/cross_tab.hpp"
#include "tgt/decompose.hpp"
#include "tgt/display.hpp"
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
    add_format_option(app, o.format, "table, csv, tsv, json, ndjson, markdown or xlsx (default: table, or from -o)");
    app.add_option("-o,--output", o.output, "Write to this file (atomically) instead of standard output");
    add_force_flag(app, o.force);
    add_display_flags(app, o.display);
    add_threads_option(app, o.threads,
                       "Threads to compute on (default: the cores, at least 2; the output is the same)");
    app.add_flag_callback(
        "--single-thread", [&o] { o.threads = 1; }, "The same as --threads 1");
    app.add_flag("--show-task", o.show_task,
                 "Also show each row's task before over-assignment (\"allocate\"), beside what was handed out");
    app.add_option("--shard", o.shard,
                   "Compute share K of N (e.g. 2/4): the N outputs in order are one run's (csv, tsv, ndjson)")
        ->type_name("K/N");
    app.add_option("--across", o.across,
                   "A cross table: one column per member of LEVEL (a dimension level not in --by, or month, "
                   "quarter…), with row and column totals, for one --metric (held whole in memory: no --shard)")
        ->type_name("LEVEL");
    app.add_flag("--no-activity", o.no_activity,
                 "Leave out the activity columns (the funnel's stages, visits, activity quotas) a plan adds");
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

// --shard K/N → (K − 1, N): 1 ≤ K ≤ N, both plain decimal numbers.
std::pair<std::size_t, std::size_t> parse_shard(const std::string& text) {
    auto number = [](std::string_view digits) -> std::optional<std::size_t> {
        if (digits.empty() || digits.size() > 6) return std::nullopt;
        std::size_t value = 0;
        for (char c : digits) {
            if (c < '0' || c > '9') return std::nullopt;
            value = value * 10 + static_cast<std::size_t>(c - '0');
        }
        return value;
    };
    auto slash = text.find('/');
    auto k = slash == std::string::npos ? std::nullopt : number(std::string_view(text).substr(0, slash));
    auto n = slash == std::string::npos ? std::nullopt : number(std::string_view(text).substr(slash + 1));
    if (!k || !n || *k < 1 || *k > *n)
        throw Error::usage(fmt::format("--shard {}: expected K/N, share K (1 … N) of N", text),
                           "e.g. --shard 2/4 for the second of four shares");
    return {*k - 1, *n};
}

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
    if (activity.has_quotas())
        note += std::string(note.empty() ? "" : " ") +
                "Activity quotas: owed on each person's active working days; a week's or month's quota falls on "
                "its working days (the first k of n owe count × k ÷ n, rounded).";
    return note + "\n\n";
}

// What a metric's rows and their sums can reach: its total, padded by every over-assignment that
// pads it (rounded up), with 1 % and a hundred quanta as slack for each padded parent's rounding.
Minor amount_bound(const Plan& plan, const Metric& metric, bool task) {
    Wide bound = metric.total < 0 ? -static_cast<Wide>(metric.total) : metric.total;
    bool padded = false;
    for (const auto& step : plan.steps) {
        if (task || !step.allocate || metric.budget) continue;
        Wide scale = pow10_wide(step.allocate->scale);
        bound = (bound * step.allocate->mantissa + scale - 1) / scale;
        padded = true;
        if (bound > std::numeric_limits<Minor>::max() / 20) return std::numeric_limits<Minor>::max();
    }
    if (padded) bound += bound / 100 + 100 * static_cast<Wide>(metric.quantum);
    return static_cast<Minor>(bound);
}

// A rate's percentage at most: its target or a member's own rate, whichever is furthest from zero.
Minor rate_bound(const Plan& plan, int metric_index, int decimals) {
    const Metric& metric = plan.metrics[static_cast<std::size_t>(metric_index)];
    auto percent = [&](const Decimal& rate) {
        Wide hundred = rate.mantissa * 100;
        Wide value = hundred < 0 ? -hundred : hundred;
        auto p = divide_rounded(value, pow10_wide(rate.scale), decimals);
        return p.value_or(0);
    };
    Minor bound = percent(metric.rate_target);
    for (const auto& dim : plan.dimensions)
        for (const auto& level : dim.members)
            for (const auto& member : level)
                if (static_cast<std::size_t>(metric_index) < member.rates().size() &&
                    member.rates()[static_cast<std::size_t>(metric_index)])
                    bound = std::max(bound, percent(*member.rates()[static_cast<std::size_t>(metric_index)]));
    return bound;
}

// Table and markdown: the widths each column can reach, from what is known before any row: the
// ids of each key level, the period labels, each amount's padded total, each rate's largest
// target, each ratio of the totals. Activity counts are not known (0): the first block tells.
std::vector<std::size_t> known_widths(const Plan& plan, const SplitLayout& layout,
                                      const std::vector<ValueColumn>& values, std::size_t activity_columns,
                                      const std::optional<TimeLevel>& period, bool markdown,
                                      const RenderOptions& options) {
    const int power = options.unit_power;
    std::vector<std::size_t> out;
    auto text_width = [markdown](std::string_view text) {
        return display_width(text) +
               (markdown ? static_cast<std::size_t>(std::count(text.begin(), text.end(), '|')) : 0);
    };
    for (const auto& key : layout.key_columns) {
        std::size_t width = 0;
        if (key == "period") {
            for (const auto& p : periods_between(*period, plan.first, plan.last, plan.fiscal_start_month))
                width = std::max(width, text_width(p.label));
        } else {
            const Step& step = plan.steps[static_cast<std::size_t>(plan.step_index(key))];
            for (const auto& member : plan.dimensions[static_cast<std::size_t>(step.dimension)]
                                          .members[static_cast<std::size_t>(step.depth)])
                width = std::max(width, text_width(member.id));
        }
        out.push_back(width);
    }
    std::size_t n = layout.metrics.size();
    for (const auto& v : values) {
        auto channel = static_cast<std::size_t>(v.channel);
        int metric_index = layout.metrics[channel % n];
        const Metric& metric = plan.metrics[static_cast<std::size_t>(metric_index)];
        Minor bound = 0;
        if (v.kind == ValueColumn::Kind::amount) {
            bound = amount_bound(plan, metric, channel >= n);
        } else if (v.kind == ValueColumn::Kind::rate) {
            bound = rate_bound(plan, metric_index, v.column.decimals);
        } else {
            const Metric& commit = plan.metrics[static_cast<std::size_t>(metric.stretch_of)];
            bound = divide_rounded(metric.total, commit.total, v.column.decimals).value_or(0);
            if (bound < 0) bound = -bound;
        }
        int unit = v.column.scaled ? power : 0;
        bool rounded = v.column.scaled && options.places >= 0;
        std::string widest = rounded ? format_display(bound, v.column.decimals, unit, options.places)
                                     : format_grouped(bound, v.column.decimals, unit);
        std::size_t width = widest.size();
        if (unit > 0 && !rounded)  // in 万, a row's amount can keep every digit below the unit: 0.140625
            width = std::min(widest.find('.'), widest.size()) + 1 + static_cast<std::size_t>(v.column.decimals + unit);
        out.push_back(width + (metric.total < 0 ? 1 : 0));
    }
    out.resize(out.size() + activity_columns, 0);
    return out;
}

}  // namespace

std::vector<ValueColumn> value_columns(const Plan& plan, const SplitLayout& layout, Lang lang) {
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
            // People read the plan's name (销售额), machines the id (revenue).
            auto title = [&](std::string_view what) {
                if (metric.name.empty()) return std::string();
                std::string t = metric.name;
                if (!suffix.empty()) t += fmt::format(" {}", label(lang, "task"));
                if (!what.empty()) t += what;
                return t;
            };
            if (metric.rate) {
                // Σ(weight × rate millionths) ÷ Σ weight, shown as a percentage.
                v.column = Column{metric.id + suffix + "_pct", true, metric.decimals, false, false};
                v.column.title = title(" %");
                v.base = channel_of(metric.weighted_by, offset);
                v.kind = ValueColumn::Kind::rate;
            } else {
                // --unit 万 scales money only: a count (orders, units) stays a count.
                v.column = Column{metric.id + suffix, true, metric.decimals, true, metric.money};
                v.column.title = title({});
            }
            out.push_back(v);
            if (metric.stretch_of >= 0) {
                int commit = channel_of(metric.stretch_of, offset);
                if (commit >= 0) {
                    ValueColumn r;
                    r.column = Column{metric.id + suffix + "_ratio", true, 4, false, false};
                    r.column.title = title(fmt::format(" {}", label(lang, "ratio")));
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

namespace {

// --across: the split as one cross table, built whole by the library.
int run_cross_tab(const SplitOptions& o, const Io& io, Format format, SplitRequest request) {
    Plan plan = read_plan(o.plan, io);
    print_diagnostics(io, plan.warnings);
    Decomposition decomposition(plan);
    RenderOptions options = display_options(o.display, format, plan.locale);
    options.totals = false;  // the cross table has its own total row
    Table table = cross_tab(decomposition, request, o.across, options.lang);
    Output output(o.output, io, plan_inputs(o.plan, plan), o.force);
    write_table(table, *make_writer(format, output.stream(), options));
    output.commit();
    return exit_ok;
}

}  // namespace

int run_split(const SplitOptions& o, const Io& io) {
    Format format = choose_format(o.format, o.output, Format::table);
    display_options(o.display, format, {});  // a --unit for csv is a usage error before the plan is read
    SplitRequest request;
    request.by = split_commas(o.by);
    request.period = o.period;
    request.metrics = split_commas(o.metrics);
    request.where = parse_filters(o.where);
    request.with_task = o.show_task;
    if (!o.across.empty()) {
        if (!o.shard.empty())
            throw Error::usage(fmt::format("--across {} with --shard: a cross table needs the whole split", o.across),
                               "leave out --shard, or print the long rows without --across");
        request.threads =
            o.threads > 0 ? o.threads : static_cast<int>(std::max(2u, std::thread::hardware_concurrency()));
        return run_cross_tab(o, io, format, request);
    }
    if (!o.shard.empty()) {
        std::tie(request.shard, request.shards) = parse_shard(o.shard);
        if (format != Format::csv && format != Format::tsv && format != Format::ndjson)
            throw Error::usage(fmt::format("--shard: {} output is one document; shards' outputs must concatenate",
                                           format_name(format)),
                               "use --format csv, tsv or ndjson (csv and tsv print the header with share 1 only)");
    }

    Plan plan = read_plan(o.plan, io);
    print_diagnostics(io, plan.warnings);
    Decomposition decomposition(plan);
    SplitLayout layout = decomposition.layout(request);

    RenderOptions options = display_options(o.display, format, plan.locale);
    std::vector<Column> columns;
    for (const auto& k : layout.key_columns) {
        columns.push_back(Column{k, false, 0});
        if (k == "period") columns.back().title = label(options.lang, "period");
    }
    std::vector<ValueColumn> values = value_columns(plan, layout, options.lang);
    for (const auto& v : values)
        columns.push_back(v.column);
    std::optional<ActivityColumns> activity;
    if (!o.no_activity) activity.emplace(plan, layout, request.period);
    if (activity && activity->empty()) activity.reset();
    if (activity)
        for (const auto& name : activity->names())
            columns.push_back(Column{name, true, 0, true, false});  // counts: never in 万

    options.stable_text = true;  // row keys are views into the plan and its periods
    Output output(o.output, io, plan_inputs(o.plan, plan), o.force);
    auto writer = make_writer(format, output.stream(), options);
    request.threads = o.threads > 0 ? o.threads : static_cast<int>(std::max(2u, std::thread::hardware_concurrency()));
    if (activity && (format == Format::table || format == Format::markdown))
        fmt::print(output.stream(), "{}", activity_note(*activity));
    if (format == Format::table || format == Format::markdown)
        writer->stream_widths(known_widths(plan, layout, values, activity ? activity->names().size() : 0,
                                           request.period, format == Format::markdown, options));
    if (request.shard > 0) writer->omit_header();
    writer->begin(columns);
    // A row's cells: its keys, its values, its activity counts.
    auto fill_cells = [&](const SplitRow& row, std::vector<Cell>& cells, std::vector<std::int64_t>& counts) {
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
    };
    if (writer->row_formatter()) {
        // csv, tsv, ndjson: rows formatted on the threads that compute them, written here in order.
        SplitText text;
        text.make_format = [&]() -> std::function<void(const SplitRow&, std::string&)> {
            struct State {
                std::unique_ptr<RowFormatter> format;
                std::vector<Cell> cells;
                std::vector<std::int64_t> counts;
            };
            auto state = std::make_shared<State>(State{writer->row_formatter(), std::vector<Cell>(columns.size()), {}});
            return [state, &fill_cells](const SplitRow& row, std::string& out) {
                fill_cells(row, state->cells, state->counts);
                state->format->append(out, state->cells);
            };
        };
        text.write = [&](std::string_view rows) { writer->write_rows(rows); };
        decomposition.run(request, text);
    } else {
        std::vector<Cell> cells(columns.size());
        std::vector<std::int64_t> counts;
        decomposition.run(request, [&](const SplitRow& row) {
            fill_cells(row, cells, counts);
            writer->row(cells);
        });
    }
    writer->end();
    output.commit();
    return exit_ok;
}

}  // namespace tgt::cli
