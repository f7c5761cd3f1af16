// tgt rebalance: hold the periods that are over at their actuals and re-spread the rest, as a new plan.

#include <fmt/format.h>

#include <cerrno>
#include <iostream>

#include "cmd_rebalance.hpp"
#include "tgt/csv.hpp"
#include "tgt/rebalance.hpp"

namespace tgt::cli {

void setup_rebalance(CLI::App& app, RebalanceOptions& o) {
    app.add_option("plan", o.plan, "Plan file (JSON)")->required();
    app.add_option("actuals", o.actuals, "Actuals: CSV, TSV, NDJSON or .xlsx files (summed), - for standard input")
        ->required();
    app.add_option("--as-of", o.as_of, "Periods that end on or before this date (YYYY-MM-DD) are held at actuals")
        ->required();
    app.add_option("--metric", o.metric, "The plan's metric (rebalance takes plans with one)");
    add_actuals_flags(app, o.actuals_flags);
    app.add_flag("--dry-run", o.dry_run,
                 "Show before / after / change per node and period instead of writing the plan");
    add_format_option(app, o.format, "With --dry-run: table, csv, tsv, json, ndjson, markdown or xlsx");
    app.add_option("-o,--output", o.output,
                   "Write the new plan (or the dry run) to this file, atomically; default: standard output");
    add_force_flag(app, o.force);
    add_display_flags(app, o.display);
}

namespace {

// Before and after per node and period: what changed, and why (held, re-spread, raised, unchanged).
void write_dry_run(const Rebalance& r, TableWriter& writer) {
    std::vector<Column> columns;
    for (const auto& k : r.key_columns)
        columns.push_back(Column{k, false, 0});
    columns.push_back(Column{r.period_level, false, 0});
    for (const char* name : {"before", "after", "change", "actual"})
        columns.push_back(Column{name, true, r.decimals});
    columns.push_back(Column{"how", false, 0});
    writer.begin(columns);
    std::vector<char> state(r.nodes.size(), 0);
    for (auto n : r.raised)
        state[n] = 'r';
    for (auto n : r.unchanged)
        state[n] = 'u';
    for (std::size_t n = 0; n < r.nodes.size(); ++n)
        for (std::size_t p = 0; p < r.periods.size(); ++p) {
            std::vector<Cell> cells;
            for (const auto& k : r.nodes[n])
                cells.push_back(Cell{k, 0, true});
            cells.push_back(Cell{r.periods[p].label, 0, true});
            Minor before = r.at(r.before, n, p), after = r.at(r.after, n, p);
            bool closed = p < r.closed;
            cells.push_back(Cell{{}, before, true});
            cells.push_back(Cell{{}, after, true});
            cells.push_back(Cell{{}, after - before, true});
            cells.push_back(Cell{{}, r.at(r.actual, n, p), closed});
            std::string_view how = state[n] == 'u'   ? "unchanged: nothing left to re-spread by"
                                   : closed          ? "held at actual"
                                   : state[n] == 'r' ? "ahead: nothing left"
                                                     : "re-spread";
            cells.push_back(Cell{how, 0, true});
            writer.row(cells);
        }
    writer.end();
}

}  // namespace

int run_rebalance(const RebalanceOptions& o, const Io& io) {
    RebalanceRequest request;
    request.as_of = parse_as_of(o.as_of);
    request.metric = o.metric;
    check_distinct_actuals(o.actuals);
    request.actuals = o.actuals;
    request.options = actuals_options(o.actuals_flags, io);
    request.threads = thread_count(o.actuals_flags);
    request.output_path = o.dry_run ? std::string() : o.output;
    if (!o.dry_run && o.format.given() && o.format.format != Format::json)
        throw Error::usage(fmt::format("--format {}: the new plan is JSON", o.format.text),
                           "use --dry-run for a table");
    Format format = Format::json;  // the new plan
    if (o.dry_run)
        format = choose_format(o.format, o.output, Format::table);
    else
        check_output_name(o.output, "a plan (JSON)", "rebalanced.json");
    display_options(o.display, format, {});  // --unit is for the dry run's table: a usage error otherwise

    // The plan's text is kept: the new plan is the old one with the rebalanced steps edited.
    std::string text = read_plan_text(o.plan, io);
    Plan plan = parse_plan(text, o.plan == "-" ? "<stdin>" : o.plan, io.limits);
    print_diagnostics(io, plan.warnings);
    Decomposition decomposition(plan);
    Rebalance r = rebalance(decomposition, text, request, io.in);

    std::vector<Diagnostic> notes = actuals_notes(r.actuals, r.after_as_of, o.as_of);
    if (r.unplanned_actual != 0)
        notes.push_back({Severity::warning,
                         {},
                         fmt::format("{} of actuals belong to members the plan does not have: not re-spread",
                                     format_minor(r.unplanned_actual, r.decimals)),
                         {}});
    if (!r.raised.empty()) {
        Minor before = 0, after = 0;
        for (auto v : r.before)
            before += v;
        for (auto v : r.after)
            after += v;
        std::vector<std::string> some;
        for (std::size_t i = 0; i < r.raised.size() && i < 5; ++i)
            some.push_back(r.node_name(r.raised[i]));
        notes.push_back(
            {Severity::warning,
             {},
             fmt::format("{} node(s) sold more than their whole target ({}{}): their target is now what they sold, "
                         "and the total rises from {} to {}",
                         r.raised.size(), fmt::join(some, ", "), r.raised.size() > some.size() ? ", …" : "",
                         format_grouped(before, r.decimals), format_grouped(after, r.decimals)),
             "targets never go below zero"});
    }
    for (std::size_t i = 0; i < r.unchanged.size() && i < 10; ++i)
        notes.push_back({Severity::warning,
                         {},
                         fmt::format("{}: no target left in the {}s after {} to re-spread by; left as it was",
                                     r.node_name(r.unchanged[i]), r.period_level, o.as_of),
                         {}});
    print_diagnostics(io, notes);

    std::vector<Input> inputs = plan_inputs(o.plan, plan);
    for (const auto& a : o.actuals)
        inputs.push_back({a, "actuals"});
    Output output(o.output, io, inputs, o.force);
    if (o.dry_run) {
        RenderOptions look = display_options(o.display, format, plan.locale);
        const int metric = o.metric.empty() ? -1 : plan.metric_index(o.metric);
        bool money = true;  // the plan's one metric (or --metric): counts stay counts in 万
        for (std::size_t i = 0; i < plan.metrics.size(); ++i)
            if ((metric < 0 || static_cast<int>(i) == metric) && !plan.metrics[i].rate && !plan.metrics[i].money)
                money = false;
        if (!money) look = RenderOptions{0, "", true, false, -1, look.lang};
        auto writer = make_writer(format, output.stream(), look);
        write_dry_run(r, *writer);
    } else {
        if (std::fwrite(r.plan_json.data(), 1, r.plan_json.size(), output.stream()) != r.plan_json.size())
            throw WriteError{errno};
    }
    output.commit();
    return exit_ok;
}

}  // namespace tgt::cli
