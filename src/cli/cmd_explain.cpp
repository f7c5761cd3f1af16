// tgt explain: why a cell has its number, one line per split step.

#include <fmt/format.h>

#include "cmd_explain.hpp"
#include "tgt/activity_quota.hpp"
#include "tgt/explain.hpp"

namespace tgt::cli {

void setup_explain(CLI::App& app, ExplainOptions& o) {
    app.add_option("plan", o.plan, "Plan file (JSON), or - for standard input")->required();
    app.add_option("--cell", o.cell, "The cell: LEVEL=VALUE,…,period=P (e.g. rep=吴昊,period=2027-05)")->required();
    app.add_option("--metric", o.metric, "Which metric (default: the first), or an activity quota (calls)");
    add_format_option(app, o.format, "table (default) or json");
    app.add_option("-o,--output", o.output, "Write to this file (atomically) instead of standard output");
    add_force_flag(app, o.force);
}

namespace {

// An activity quota's count for the cell: person by person (and week by week, month by month).
int explain_activity(const Plan& plan, std::size_t quota, const std::vector<Filter>& cell, const ExplainOptions& o,
                     const Io& io, bool json) {
    QuotaExplanation x = explain_quota(plan, quota, cell);
    Output output(o.output, io, plan_inputs(o.plan, plan), o.force);
    if (!json) fmt::print(output.stream(), "{}", x.heading);
    auto writer = make_writer(json ? Format::json : Format::table, output.stream());
    write_table(x.table, *writer);
    output.commit();
    return exit_ok;
}

}  // namespace

int run_explain(const ExplainOptions& o, const Io& io) {
    static constexpr Format formats[] = {Format::table, Format::json};
    const bool json = choose_format(o.format, o.output, Format::table, formats) == Format::json;
    std::vector<Filter> cell;
    for (const auto& part : split_commas(o.cell)) {
        auto eq = part.find('=');
        if (eq == std::string::npos || eq == 0 || eq + 1 == part.size())
            throw Error::usage(fmt::format("--cell {}: expected LEVEL=VALUE", part),
                               "e.g. --cell region=华东,period=2027-Q1");
        cell.push_back({part.substr(0, eq), part.substr(eq + 1)});
    }
    Plan plan = read_plan(o.plan, io);
    print_diagnostics(io, plan.warnings);
    for (std::size_t a = 0; a < plan.activities.size(); ++a)
        if (plan.activities[a].id == o.metric) return explain_activity(plan, a, cell, o, io, json);
    Decomposition decomposition(plan);
    Explanation x = explain(decomposition, cell, o.metric);

    Output output(o.output, io, plan_inputs(o.plan, plan), o.force);
    std::FILE* out = output.stream();
    auto put = [&](const std::string& text) {
        if (std::fwrite(text.data(), 1, text.size(), out) != text.size()) throw WriteError{errno};
    };
    if (json) {
        put(pretty_json(explain_record(x, cell)));
        output.commit();
        return exit_ok;
    }
    put(explain_heading(x, cell));
    RenderOptions options;
    options.totals = false;
    auto writer = make_writer(Format::table, out, options);
    write_table(explain_table(x), *writer);
    put(explain_footer(x));
    output.commit();
    return exit_ok;
}

}  // namespace tgt::cli
