// tgt validate: every problem in one or more plans, at once.

#include <fmt/format.h>

#include "commands.hpp"
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
            Plan plan = read_plan(path);
            print_diagnostics(io, plan.warnings);
            Decomposition decomposition(plan);
            // Walk every cell: holds that exceed their parent only show up with real amounts.
            SplitRequest all;
            all.full_depth = true;
            std::size_t cells = 0;
            decomposition.run(all, [&](const SplitRow&) { ++cells; });
            bool warned = !plan.warnings.empty();
            if (o.strict && warned) {
                failed = true;
                fmt::print(io.err, "tgt: {}: {} warning(s), failing because of --strict\n", path, plan.warnings.size());
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
