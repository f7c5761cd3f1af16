// An explanation as the renderers take it: a heading, the steps as a table, notes; or one JSON record.

#include <fmt/format.h>

#include <algorithm>

#include "tgt/explain.hpp"

namespace tgt {

namespace {

std::string share_text(const ExplainStep& e) {
    if (e.is_hold) return "fixed";
    std::string pct = format_exact(e.share * Fraction(100), 0);
    return fmt::format("{} = {}%", format_fraction(e.share), pct);
}

std::string cell_words(const std::vector<Filter>& cell) {
    std::string head;
    for (const auto& f : cell)
        head += (head.empty() ? "" : ", ") + f.level + "=" + f.value;
    return head;
}

Nested step_record(const ExplainStep& e, int decimals) {
    Nested s;
    s.add("level", Nested::of(e.level));
    s.add("value", Nested::of(e.child));
    s.add("rule", Nested::of(e.rule));
    s.add("parent", Nested::of(format_minor(e.parent, decimals)));
    if (!e.padding.empty()) s.add("padding", Nested::of(e.padding));
    if (e.held) s.add("held_by_siblings", Nested::of(format_minor(e.held, decimals)));
    s.add("siblings", Nested::number(std::to_string(e.siblings)));
    s.add("hold", Nested::boolean(e.is_hold));
    if (!e.is_hold) {
        s.add("share", Nested::of(format_fraction(e.share)));
        s.add("share_pct", Nested::of(format_exact(e.share * Fraction(100), 0)));
    }
    s.add("exact", Nested::of(format_exact(e.exact, decimals)));
    s.add("amount", Nested::of(format_minor(e.value, decimals)));
    s.add("adjustment", Nested::of(format_exact(e.adjustment, decimals, true)));
    if (!e.ramp.empty()) s.add("ramp", Nested::of(e.ramp));
    if (!e.bound.empty()) s.add("bound", Nested::of(e.bound));
    return s;
}

// The rule, then what a ramp or a bound did ("working days 21 of 249; floor 500 (…)").
std::string rule_text(const ExplainStep& e) {
    std::string out = e.rule;
    for (const auto* extra : {&e.ramp, &e.bound})
        if (!extra->empty()) out += "; " + *extra;
    return out;
}

}  // namespace

Table explain_table(const Explanation& x) {
    Table table;
    table.columns = {{"level", false, 0}, {"value", false, 0}, {"rule", false, 0},           {"of", false, 0},
                     {"share", false, 0}, {"exact", false, 0}, {"amount", true, x.decimals}, {"adjustment", false, 0}};
    for (const auto& e : x.steps) {
        std::string of = format_grouped(e.parent - (e.is_hold ? 0 : e.held), x.decimals);
        if (!e.padding.empty()) of += " (" + e.padding + ")";
        if (e.held && !e.is_hold) of += fmt::format(" after holds {}", format_grouped(e.held, x.decimals));
        table.rows.push_back({text_cell(e.level), text_cell(e.child), text_cell(rule_text(e)), text_cell(std::move(of)),
                              text_cell(share_text(e)), text_cell(format_exact(e.exact, x.decimals)),
                              amount_cell(e.value), text_cell(format_exact(e.adjustment, x.decimals, true))});
    }
    return table;
}

std::string explain_heading(const Explanation& x, const std::vector<Filter>& cell) {
    const std::string head = cell_words(cell);
    std::string out;
    if (x.rate) {
        const RateExplanation& r = *x.rate;
        out += fmt::format("{} for {}: {}\n", r.metric, head,
                           r.shown ? format_minor(*r.shown, 2) + "%" : std::string("– (no weight here)"));
        out += fmt::format("a rate is held, not split: {}% here ({}); any row shows Σ {} × rate ÷ Σ {}\n\n",
                           format_fraction_decimal(Fraction::of(r.held) * Fraction(100), 2), r.source, r.weighted_by,
                           r.weighted_by);
        out += "its weight, ";
    }
    out += fmt::format("{} for {}: {}\n", x.metric, head, format_grouped(x.value, x.decimals));
    out += fmt::format("total {}{}\n\n", format_grouped(x.total, x.decimals),
                       x.total_origin.empty() ? std::string() : " = " + x.total_origin);
    return out;
}

std::string explain_footer(const Explanation& x) {
    std::string out;
    for (const auto& note : x.notes)
        out += fmt::format("\nnote: {}\n", note);
    out +=
        "\nshares are exact fractions of what the step splits; each level rounds by largest remainder "
        "(ties to the earlier member), so the adjustments at a level sum to zero.\n";
    return out;
}

Nested explain_record(const Explanation& x, const std::vector<Filter>& cell) {
    Nested j;
    Nested c;
    for (const auto& f : cell) {  // a level named twice keeps its first place and its last value
        auto same = std::find_if(c.items.begin(), c.items.end(), [&](const auto& i) { return i.first == f.level; });
        if (same != c.items.end())
            same->second = Nested::of(f.value);
        else
            c.add(f.level, Nested::of(f.value));
    }
    j.add("cell", std::move(c));
    j.add("metric", Nested::of(x.metric));
    j.add("total", Nested::of(format_minor(x.total, x.decimals)));
    if (!x.total_origin.empty()) j.add("total_origin", Nested::of(x.total_origin));
    Nested steps = Nested::list();
    for (const auto& e : x.steps)
        steps.push(step_record(e, x.decimals));
    j.add("steps", std::move(steps));
    j.add("amount", Nested::of(format_minor(x.value, x.decimals)));
    if (x.rate) {
        Nested r;
        r.add("metric", Nested::of(x.rate->metric));
        r.add("held_pct", Nested::of(format_fraction_decimal(Fraction::of(x.rate->held) * Fraction(100), 4)));
        r.add("source", Nested::of(x.rate->source));
        r.add("weighted_by", Nested::of(x.rate->weighted_by));
        if (x.rate->shown) r.add("shown_pct", Nested::of(format_minor(*x.rate->shown, 2)));
        j.add("rate", std::move(r));
    }
    if (!x.notes.empty()) {
        Nested notes = Nested::list();
        for (const auto& n : x.notes)
            notes.push(Nested::of(n));
        j.add("notes", std::move(notes));
    }
    return j;
}

}  // namespace tgt
