// tgt validate: every problem in one or more plans, at once.

#include <fmt/format.h>

#include <set>

#include "cmd_validate.hpp"
#include "tgt/checks.hpp"
#include "tgt/decompose.hpp"

namespace tgt::cli {

void setup_validate(CLI::App& app, ValidateOptions& o) {
    app.add_option("plans", o.plans, "Plan files (JSON), or - for standard input")->required();
    app.add_flag("--strict", o.strict, "Fail on warnings too (e.g. members with zero weight)");
}

int run_validate(const ValidateOptions& o, const Io& io) {
    bool failed = false;
    for (const auto& path : o.plans) {
        try {
            Plan plan = read_plan(path, io);
            print_diagnostics(io, plan.warnings);
            // Every contradiction at once: sibling groups that cannot be split are recorded and split
            // equally, so that the checks and the walk below still find the rest.
            Diagnostics found;
            Decomposition decomposition(plan, found);
            // Top-down totals against bottom-up amounts, level by level (once per node, not once per
            // period below it); bands on over-assignment are warnings.
            std::set<std::pair<std::string, std::string>> reported;  // (level, node) the check flagged
            for (const auto& row : check_plan(decomposition)) {
                if (!row.flagged ||
                    (row.kind != CheckRow::Kind::over_assignment && row.kind != CheckRow::Kind::top_down_vs_bottom_up))
                    continue;  // capacity, market, pay-band and growth rows are check's (pay bands and growth warn when
                               // read)
                int s = plan.step_index(row.level);
                SourceLocation where = s >= 0 ? plan.steps[static_cast<std::size_t>(s)].where : SourceLocation{};
                if (row.kind == CheckRow::Kind::top_down_vs_bottom_up) {
                    reported.emplace(row.level, row.node);
                    found.error(where,
                                fmt::format("level \"{}\" under {}: top-down {} {} but the amounts below add up to {} "
                                            "(difference {})",
                                            row.level, row.node, row.metric, format_minor(row.target, row.decimals),
                                            format_minor(row.handed_down, row.decimals),
                                            format_minor(row.difference(), row.decimals)),
                                "correct the amounts, drop the total (bottom-up), or set \"reconcile\": \"scale\"");
                } else {
                    auto ratio = row.ratio();
                    found.warning(
                        where,
                        fmt::format("level \"{}\" under {}: hands out {}% of {} {}, outside the band {}%–{}%",
                                    row.level, row.node,
                                    ratio ? format_fraction_decimal(*ratio * Fraction(100), 2) : "—", row.metric,
                                    format_minor(row.target, row.decimals),
                                    format_fraction_decimal(Fraction::of(row.band->first) * Fraction(100), 2),
                                    format_fraction_decimal(Fraction::of(row.band->second) * Fraction(100), 2)),
                        "`tgt check` lists every manager");
                }
            }
            // Walk every cell: holds that exceed their parent, at time levels too, only show up with
            // real amounts. The walk records every contradiction and goes on.
            std::vector<SplitProblem> walked;
            SplitRequest all;
            all.full_depth = true;
            all.problems = &walked;
            decomposition.run(all, [](const SplitRow&) {});
            for (auto& p : walked) {
                std::string level = p.step < plan.steps.size() ? plan.steps[p.step].level : std::string();
                if (reported.count({level, p.node.empty() ? std::string("(total)") : p.node})) continue;
                found.add(std::move(p.diagnostic));
            }
            print_diagnostics(io, found.items());
            plan.warnings.insert(plan.warnings.end(), found.items().begin(), found.items().end());
            if (found.has_errors()) {
                failed = true;
                continue;
            }
            bool warned = !plan.warnings.empty();
            if (o.strict && warned) {
                failed = true;
                say(io.err,
                    fmt::format("tgt: {}: {} warning(s), failing because of --strict\n", path, plan.warnings.size()));
                continue;
            }
            fmt::print(io.out, "{}: ok ({} metric(s), {} split step(s){})\n", path, plan.metrics.size(),
                       plan.steps.size(), warned ? fmt::format(", {} warning(s)", plan.warnings.size()) : "");
        } catch (const Error& e) {
            if (e.kind() == ErrorKind::usage) throw;
            print_diagnostics(io, e.diagnostics());
            failed = true;
        }
    }
    return failed ? exit_bad_input : exit_ok;
}

}  // namespace tgt::cli
