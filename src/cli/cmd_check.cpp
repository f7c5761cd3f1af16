// tgt check: over-assignment per manager against the plan's bands, top-down vs bottom-up, capacity vs quota.

#include <fmt/format.h>

#include "cmd_check.hpp"
#include "tgt/checks.hpp"

namespace tgt::cli {

void setup_check(CLI::App& app, CheckOptions& o) {
    app.add_option("plan", o.plan, "Plan file (JSON), or - for standard input")->required();
    app.add_option("--metric", o.metrics, "Only these metrics (repeat or separate with commas)");
    add_format_option(app, o.format, "table, csv, tsv, json, ndjson or markdown (default: table, or from -o)");
    app.add_option("-o,--output", o.output, "Write to this file (atomically) instead of standard output");
    add_force_flag(app, o.force);
}

int run_check(const CheckOptions& o, const Io& io) {
    Format format = choose_format(o.format, o.output, Format::table);
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

    // One decimals setting per column: use the widest among the rows shown.
    int decimals = 0;
    for (const auto& r : rows)
        decimals = std::max(decimals, r.decimals);
    std::vector<Column> columns{{"check", false, 0},
                                {"level", false, 0},
                                {"node", false, 0},
                                {"metric", false, 0},
                                {"target", true, decimals, false},
                                {"handed_down", true, decimals, false},
                                {"difference", true, decimals, false},
                                {"ratio_pct", true, 2, false, false},
                                {"band", false, 0},
                                {"status", false, 0},
                                {"note", false, 0}};
    RenderOptions options;
    options.totals = false;
    Output output(o.output, io, plan_inputs(o.plan, plan), o.force);
    auto writer = make_writer(format, output.stream(), options);
    writer->begin(columns);
    bool flagged = false;
    for (const auto& r : rows) {
        if (!metrics.empty() && std::find(metrics.begin(), metrics.end(), r.metric) == metrics.end()) continue;
        auto widen = [&](Minor v) { return v * static_cast<Minor>(pow10_wide(decimals - r.decimals)); };
        auto ratio = r.ratio();
        auto pct = ratio ? divide_rounded(ratio->num * 100, ratio->den, 2) : std::nullopt;
        std::string band =
            r.band ? fmt::format("{}%–{}%", format_fraction_decimal(Fraction::of(r.band->first) * Fraction(100), 2),
                                 format_fraction_decimal(Fraction::of(r.band->second) * Fraction(100), 2))
                   : std::string();
        std::string status = r.flagged ? "FLAG" : "ok";
        std::string kind(check_kind_name(r.kind));
        std::vector<Cell> cells{{kind, 0, true},
                                {r.level, 0, true},
                                {r.node, 0, true},
                                {r.metric, 0, true},
                                {{}, widen(r.target), true},
                                {{}, widen(r.handed_down), true},
                                {{}, widen(r.difference()), true},
                                {{}, pct.value_or(0), pct.has_value()},
                                {band, 0, !band.empty()},
                                {status, 0, true},
                                {r.note, 0, true}};
        writer->row(cells);
        flagged = flagged || r.flagged;
    }
    writer->end();
    output.commit();
    return flagged ? exit_flagged : exit_ok;
}

}  // namespace tgt::cli
