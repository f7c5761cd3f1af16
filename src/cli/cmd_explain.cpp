// tgt explain: why a cell has its number, one line per split step.

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "cmd_explain.hpp"
#include "tgt/explain.hpp"

namespace tgt::cli {

void setup_explain(CLI::App& app, ExplainOptions& o) {
    app.add_option("plan", o.plan, "Plan file (JSON), or - for standard input")->required();
    app.add_option("--cell", o.cell, "The cell: LEVEL=VALUE,…,period=P (e.g. rep=吴昊,period=2027-05)")->required();
    app.add_option("--metric", o.metric, "Which metric (default: the first)");
    add_format_option(app, o.format, "table (default) or json");
    app.add_option("-o,--output", o.output, "Write to this file (atomically) instead of standard output");
    add_force_flag(app, o.force);
}

namespace {

std::string share_text(const ExplainStep& e) {
    if (e.is_hold) return "fixed";
    std::string pct = format_exact(e.share * Fraction(100), 0);
    return fmt::format("{} = {}%", format_fraction(e.share), pct);
}

nlohmann::ordered_json to_json(const Explanation& x, const std::vector<Filter>& cell) {
    nlohmann::ordered_json j;
    nlohmann::ordered_json c = nlohmann::ordered_json::object();
    for (const auto& f : cell)
        c[f.level] = f.value;
    j["cell"] = c;
    j["metric"] = x.metric;
    j["total"] = format_minor(x.total, x.decimals);
    if (!x.total_origin.empty()) j["total_origin"] = x.total_origin;
    j["steps"] = nlohmann::ordered_json::array();
    for (const auto& e : x.steps) {
        nlohmann::ordered_json s;
        s["level"] = e.level;
        s["value"] = e.child;
        s["rule"] = e.rule;
        s["parent"] = format_minor(e.parent, x.decimals);
        if (!e.padding.empty()) s["padding"] = e.padding;
        if (e.held) s["held_by_siblings"] = format_minor(e.held, x.decimals);
        s["siblings"] = e.siblings;
        s["hold"] = e.is_hold;
        if (!e.is_hold) {
            s["share"] = format_fraction(e.share);
            s["share_pct"] = format_exact(e.share * Fraction(100), 0);
        }
        s["exact"] = format_exact(e.exact, x.decimals);
        s["amount"] = format_minor(e.value, x.decimals);
        s["adjustment"] = format_exact(e.adjustment, x.decimals, true);
        if (!e.ramp.empty()) s["ramp"] = e.ramp;
        j["steps"].push_back(s);
    }
    j["amount"] = format_minor(x.value, x.decimals);
    if (x.rate) {
        nlohmann::ordered_json r;
        r["metric"] = x.rate->metric;
        r["held_pct"] = format_fraction_decimal(Fraction::of(x.rate->held) * Fraction(100), 4);
        r["source"] = x.rate->source;
        r["weighted_by"] = x.rate->weighted_by;
        if (x.rate->shown) r["shown_pct"] = format_minor(*x.rate->shown, 2);
        j["rate"] = r;
    }
    if (!x.notes.empty()) j["notes"] = x.notes;
    return j;
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
    Decomposition decomposition(plan);
    Explanation x = explain(decomposition, cell, o.metric);

    Output output(o.output, io, plan_inputs(o.plan, plan), o.force);
    std::FILE* out = output.stream();
    if (json) {
        std::string text = to_json(x, cell).dump(2) + "\n";
        if (std::fwrite(text.data(), 1, text.size(), out) != text.size()) throw WriteError{errno};
        output.commit();
        return exit_ok;
    }
    std::string head;
    for (const auto& f : cell)
        head += (head.empty() ? "" : ", ") + f.level + "=" + f.value;
    if (x.rate) {
        const RateExplanation& r = *x.rate;
        fmt::print(out, "{} for {}: {}\n", r.metric, head,
                   r.shown ? format_minor(*r.shown, 2) + "%" : std::string("– (no weight here)"));
        fmt::print(out, "a rate is held, not split: {}% here ({}); any row shows Σ {} × rate ÷ Σ {}\n\n",
                   format_fraction_decimal(Fraction::of(r.held) * Fraction(100), 2), r.source, r.weighted_by,
                   r.weighted_by);
        fmt::print(out, "its weight, ");
    }
    fmt::print(out, "{} for {}: {}\n", x.metric, head, format_grouped(x.value, x.decimals));
    fmt::print(out, "total {}{}\n\n", format_grouped(x.total, x.decimals),
               x.total_origin.empty() ? std::string() : " = " + x.total_origin);
    RenderOptions options;
    options.totals = false;
    auto writer = make_writer(Format::table, out, options);
    std::vector<Column> columns{
        {"level", false, 0}, {"value", false, 0}, {"rule", false, 0},           {"of", false, 0},
        {"share", false, 0}, {"exact", false, 0}, {"amount", true, x.decimals}, {"adjustment", false, 0}};
    writer->begin(columns);
    for (const auto& e : x.steps) {
        std::string of = format_grouped(e.parent - (e.is_hold ? 0 : e.held), x.decimals);
        if (!e.padding.empty()) of += " (" + e.padding + ")";
        if (e.held && !e.is_hold) of += fmt::format(" after holds {}", format_grouped(e.held, x.decimals));
        std::string share = share_text(e), exact = format_exact(e.exact, x.decimals),
                    adjustment = format_exact(e.adjustment, x.decimals, true);
        std::string rule = e.ramp.empty() ? e.rule : e.rule + "; " + e.ramp;
        std::vector<Cell> cells{{e.level, 0, true}, {e.child, 0, true}, {rule, 0, true},     {of, 0, true},
                                {share, 0, true},   {exact, 0, true},   {{}, e.value, true}, {adjustment, 0, true}};
        writer->row(cells);
    }
    writer->end();
    for (const auto& note : x.notes)
        fmt::print(out, "\nnote: {}\n", note);
    fmt::print(out,
               "\nshares are exact fractions of what the step splits; each level rounds by largest remainder "
               "(ties to the earlier member), so the adjustments at a level sum to zero.\n");
    output.commit();
    return exit_ok;
}

}  // namespace tgt::cli
