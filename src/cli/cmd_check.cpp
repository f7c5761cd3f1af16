// tgt check: over-assignment per manager against the plan's bands, top-down vs bottom-up, capacity vs quota.

#include <fmt/format.h>

#include <algorithm>

#include "cmd_check.hpp"
#include "tgt/checks.hpp"

namespace tgt::cli {

void setup_check(CLI::App& app, CheckOptions& o) {
    app.add_option("plan", o.plan, "Plan file (JSON), or - for standard input")->required();
    app.add_option("--metric", o.metrics, "Only these metrics (repeat or separate with commas)");
    add_format_option(app, o.format, "table, csv, tsv, json, ndjson, markdown or xlsx (default: table, or from -o)");
    app.add_option("-o,--output", o.output, "Write to this file (atomically) instead of standard output");
    add_force_flag(app, o.force);
    add_display_flags(app, o.display);
}

int run_check(const CheckOptions& o, const Io& io) {
    Format format = choose_format(o.format, o.output, Format::table);
    display_options(o.display, format, {});  // a --unit for csv is a usage error before the plan is read
    Plan plan = read_plan(o.plan, io);
    print_diagnostics(io, plan.warnings);
    Decomposition decomposition(plan);
    std::vector<std::string> metrics = split_commas(o.metrics);
    for (const auto& id : metrics)
        if (plan.metric_index(id) < 0) {
            std::string guess = did_you_mean(id, plan.metric_ids());
            throw Error::usage(fmt::format("--metric {}: no such metric", id),
                               guess.empty() ? std::string() : fmt::format("did you mean \"{}\"?", guess));
        }
    std::vector<CheckRow> rows = check_plan(decomposition);
    bool flagged = false;
    for (const auto& r : rows)
        if (check_row_selected(r, metrics)) flagged = flagged || r.flagged;
    RenderOptions options = display_options(o.display, format, plan.locale);
    options.totals = false;
    // The amount columns hold every metric shown: 万 only when they are all money.
    if (!o.display.unit.empty() || o.display.decimals >= 0)
        for (const auto& m : plan.metrics)
            if (!m.money && (metrics.empty() || std::find(metrics.begin(), metrics.end(), m.id) != metrics.end()))
                throw Error::usage(
                    fmt::format("--unit: {} is a count, not money; check shows every metric in the "
                                "same columns",
                                m.id),
                    "choose the money metrics with --metric, e.g. --metric " + std::string(plan.metrics.front().id));
    Output output(o.output, io, plan_inputs(o.plan, plan), o.force);
    auto writer = make_writer(format, output.stream(), options);
    write_table(check_table(rows, metrics), *writer);
    output.commit();
    return flagged ? exit_flagged : exit_ok;
}

}  // namespace tgt::cli
