// tgt diff: two versions of a plan compared per node and period (plan_diff.hpp), in any table format.

#include "cmd_diff.hpp"

#include <fmt/format.h>

#include "tgt/plan_diff.hpp"

namespace tgt::cli {

void setup_diff(CLI::App& app, DiffOptions& o) {
    app.add_option("old", o.old_plan, "The plan as it was (JSON), or - for standard input")->required();
    app.add_option("new", o.new_plan, "The plan as it is now (JSON), or - for standard input")->required();
    app.add_option("--by", o.by, "Dimension levels to compare at, e.g. region (default: every level split)");
    add_time_level_option(app, "--period", o.period,
                          "Time grain: year, half, quarter, month, week or day (default: the whole period)",
                          {"year", "half", "quarter", "month", "week", "day"});
    app.add_option("--metric", o.metric, "The metric compared (default: the plans' first)");
    app.add_flag("--all", o.all, "List unchanged cells too (the Total counts them either way)");
    app.add_flag("--fail-on-change", o.fail_on_change,
                 "Exit 3 when any cell changed, was added or removed (the report is printed anyway)");
    add_format_option(app, o.format, "table, csv, tsv, json, ndjson, markdown or xlsx (default: table, or from -o)");
    app.add_option("-o,--output", o.output, "Write to this file (atomically) instead of standard output");
    add_force_flag(app, o.force);
    add_display_flags(app, o.display);
}

int run_diff(const DiffOptions& o, const Io& io) {
    if (o.old_plan == "-" && o.new_plan == "-")
        throw Error::usage("old and new are both standard input", "give at least one of them as a file");
    Format format = choose_format(o.format, o.output, Format::table);
    display_options(o.display, format, {});  // a --unit for csv is a usage error before the plans are read
    Plan old_plan = read_plan(o.old_plan, io);
    print_diagnostics(io, old_plan.warnings);
    Plan new_plan = read_plan(o.new_plan, io);
    print_diagnostics(io, new_plan.warnings);
    Decomposition was(old_plan), is(new_plan);

    DiffRequest request;
    request.by = split_commas(o.by);
    request.period = o.period;
    request.metric = o.metric;
    PlanDiff diff = diff_plans(was, is, request);

    RenderOptions look = display_options(o.display, format, new_plan.locale);
    if (!diff.money && (!o.display.unit.empty() || o.display.decimals >= 0))
        throw Error::usage(fmt::format("--unit: {} is a count, not money", diff.metric),
                           "counts are shown as they are");
    if (o.fail_on_change && diff.changed()) {
        auto count = [&](DiffStatus s) { return diff.counts[static_cast<std::size_t>(s)]; };
        say(io.err,
            fmt::format("tgt: warning: --fail-on-change: {} of {} cells differ ({} changed, {} added, {} "
                        "removed); the total goes from {} to {}\n",
                        diff.cells.size() - count(DiffStatus::unchanged), diff.cells.size(), count(DiffStatus::changed),
                        count(DiffStatus::added), count(DiffStatus::removed),
                        format_grouped(diff.old_total, diff.decimals), format_grouped(diff.new_total, diff.decimals)));
    }

    for (std::size_t i = 0; i < diff.moves.size() && i < 10; ++i) {
        const NodeKey &from = diff.nodes[diff.moves[i].from], &to = diff.nodes[diff.moves[i].to];
        const std::string out_of = fmt::format("{}", fmt::join(from.begin(), from.end() - 1, " / "));
        const std::string into = fmt::format("{}", fmt::join(to.begin(), to.end() - 1, " / "));
        say(io.err, fmt::format("tgt: warning: {} moved from {} to {}: listed as removed under {} and added under {}\n",
                                from.back(), out_of, into, out_of, into));
    }
    if (diff.moves.size() > 10) say(io.err, fmt::format("tgt: warning: … and {} more moves\n", diff.moves.size() - 10));
    if (diff_rows(diff, o.all) == 0)  // the table alone would be a bare header
        say(io.err, fmt::format("tgt: no cell differs ({} cell(s) compared; --all lists them): the total stays {}\n",
                                diff.cells.size(), format_grouped(diff.new_total, diff.decimals)));

    std::vector<Input> inputs = plan_inputs(o.old_plan, old_plan);
    for (auto& input : plan_inputs(o.new_plan, new_plan))
        inputs.push_back(std::move(input));
    Output output(o.output, io, inputs, o.force);
    auto writer = make_writer(format, output.stream(), look);
    write_diff(diff, *writer, DiffTableOptions{o.all, look.lang});
    output.commit();
    return o.fail_on_change && diff.changed() ? exit_flagged : exit_ok;
}

}  // namespace tgt::cli
