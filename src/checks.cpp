// Over-assignment, top-down vs bottom-up and capacity vs quota, computed on the plan's own tree.

#include "tgt/checks.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <functional>

#include "decomposition_impl.hpp"
#include "plan_finish.hpp"
#include "tgt/period_growth.hpp"

namespace tgt {

std::optional<Fraction> CheckRow::ratio() const {
    if (target == 0) return std::nullopt;
    return Fraction(handed_down, target);
}

std::string_view check_kind_name(CheckRow::Kind kind) {
    switch (kind) {
        case CheckRow::Kind::over_assignment:
            return "over-assignment";
        case CheckRow::Kind::top_down_vs_bottom_up:
            return "top-down vs bottom-up";
        case CheckRow::Kind::capacity_vs_quota:
            return "capacity vs quota";
        case CheckRow::Kind::market_share:
            return "market share";
        case CheckRow::Kind::implied_price:
            return "implied price";
        case CheckRow::Kind::pay_bands:
            return "pay bands";
        case CheckRow::Kind::period_growth:
            return "growth by period";
    }
    return {};
}

namespace {

class Checker {
public:
    explicit Checker(const Decomposition& d) : plan_(d.plan()), im_(d.internals()), clock_(plan_.calendar) {}

    std::vector<CheckRow> run() {
        // The leading run of dimension steps: their nodes have one amount each for the whole period.
        std::size_t prefix = 0;
        while (prefix < plan_.steps.size() && plan_.steps[prefix].kind == Step::Kind::dimension)
            ++prefix;
        // Only as deep as a level that pads, has a band or holds amounts.
        std::size_t needed = 0;
        for (std::size_t s = 0; s < prefix; ++s)
            if (plan_.steps[s].allocate || plan_.steps[s].band || im_.has_holds[s]) needed = s + 1;
        prefix = needed;
        chosen_.assign(plan_.steps.size(), -1);
        parts_.resize(plan_.steps.size());  // sized once: visit holds references into it
        for (std::size_t k = 0; k < plan_.metrics.size(); ++k) {
            if (plan_.metrics[k].rate) continue;
            metric_ = k;
            visit(0, plan_.metrics[k].total, prefix);
        }
        capacity_rows();
        growth_rows();
        return std::move(rows_);
    }

private:
    // Visits the node reached by chosen_[0, s) with `amount`; checks the split at step s.
    void visit(std::size_t s, Minor amount, std::size_t prefix) {
        if (s >= prefix) return;
        const Step& step = plan_.steps[s];
        const Metric& metric = plan_.metrics[metric_];
        int parent =
            step.depth == 0 ? 0 : chosen_[static_cast<std::size_t>(im_.dim_step(step.dimension, step.depth - 1))];
        const auto& group = im_.group_at(s, parent, chosen_);
        if (group.unsplittable) return;  // reported already; amounts below it would be stand-ins
        const auto& rule = group.per_metric[metric_];
        Minor pool = amount;
        if (detail::pads(step, metric))
            pool = detail::padded_pool(amount, *step.allocate, metric.quantum).value_or(amount);
        // A budget line under a padding step follows the task: not over-assigned, its holds weigh.
        const bool follows_task = step.allocate && !detail::pads(step, metric);
        // The node's path, made only for a row.
        auto node = [&] {
            std::string path;
            for (std::size_t t = 0; t < s; ++t) {
                if (!path.empty()) path += " / ";
                path += im_.chosen_key(t, chosen_[t]);
            }
            return path.empty() ? std::string("(total)") : path;
        };
        // One buffer per depth, reused by every node there: the children's parts stay put while
        // the levels below are visited.
        std::vector<std::int64_t>& parts = parts_[s];
        parts.assign(group.children, 0);
        auto outcome = detail::split_pool(rule, pool, metric.quantum, step.scale_holds || follows_task, parts);
        if (!rule.has_free && !rule.holds.empty() && rule.held != pool && !follows_task) {
            CheckRow row = base_row(CheckRow::Kind::top_down_vs_bottom_up, step, node());
            row.target = pool;
            row.handed_down = rule.held;
            row.flagged = !step.scale_holds;
            row.note = step.scale_holds ? "reconcile: scale (the amounts weigh the top-down target)"
                                        : "the amounts below do not add up to the target above";
            rows_.push_back(row);
        }
        if (outcome != detail::PoolSplit::ok) return;  // split reports it; nothing below is meaningful
        Minor handed = 0;
        for (auto p : parts)
            handed += p;
        if ((step.allocate || step.band) && !metric.budget) {
            CheckRow row = base_row(CheckRow::Kind::over_assignment, step, node());
            row.target = amount;
            row.handed_down = handed;
            row.band = step.band;
            if (step.band && amount > 0) {
                Fraction r(handed, amount);
                row.flagged = r < Fraction::of(step.band->first) || Fraction::of(step.band->second) < r;
                row.note = row.flagged ? "outside the band" : "within the band";
            } else if (step.band && handed > 0) {
                row.flagged = true;
                row.note = "hands out amounts under a zero target";
            }
            rows_.push_back(row);
        }
        const detail::ChildIndices children = im_.member_children(step, parent);
        for (std::size_t i = 0; i < children.size(); ++i) {
            chosen_[s] = children[i];
            visit(s + 1, parts[i], prefix);
        }
        chosen_[s] = -1;
    }

    CheckRow base_row(CheckRow::Kind kind, const Step& step, std::string node) const {
        CheckRow row;
        row.kind = kind;
        row.level = step.level;
        row.node = std::move(node);
        row.metric = plan_.metrics[metric_].id;
        row.decimals = plan_.metrics[metric_].decimals;
        return row;
    }

    // Members with both a capacity and an amount: how far apart they are.
    // Growth per period beside an annual rate: last year × (1 + the annual rate) against what the
    // grown periods add up to (period_growth.hpp); without an annual rate, against last year.
    void growth_rows() {
        for (const auto& step : plan_.steps) {
            if (!step.period_growth) continue;
            const PeriodGrowth& g = *step.period_growth;
            GrowthReadings readings = growth_readings(g);
            auto k = std::find_if(plan_.metrics.begin(), plan_.metrics.end(),
                                  [](const Metric& m) { return !m.rate && m.stretch_of < 0; });
            if (k == plan_.metrics.end()) continue;
            Fraction unit(pow10_wide(k->decimals));
            CheckRow row;
            row.kind = CheckRow::Kind::period_growth;
            row.level = step.level;
            row.node = "(total)";
            row.metric = k->id;
            row.decimals = k->decimals;
            Fraction stated = readings.history * (Fraction(1) + (g.annual ? Fraction::of(*g.annual) : Fraction(0)));
            row.target = round_to_quantum(stated * unit, 1);
            row.handed_down = round_to_quantum(readings.grown * unit, 1);
            row.flagged = g.annual && contradicts(readings, *g.annual);
            row.note = describe_growth(readings, step.level, g.annual);
            rows_.push_back(row);
        }
    }

    void capacity_rows() {
        for (const auto& step : plan_.steps) {
            if (step.kind != Step::Kind::dimension || !im_.facts(step).capacity) continue;
            const auto& level = plan_.dimensions[static_cast<std::size_t>(step.dimension)]
                                    .members[static_cast<std::size_t>(step.depth)];
            for (const auto& m : level) {
                if (!m.capacity() || m.share.kind != Share::Kind::amount) continue;
                Fraction months = clock_.months(plan_.first, plan_.last, m.availability(), true);
                for (std::size_t k = 0; k < plan_.metrics.size(); ++k) {
                    const Metric& metric = plan_.metrics[k];
                    if (metric.rate || metric.stretch_of >= 0 || !m.share.holds(k) || m.capacity()->rate.size() <= k ||
                        !m.capacity()->rate[k])
                        continue;
                    if (m.share.origins().size() > k && m.share.origins()[k].rfind("capacity", 0) == 0) continue;
                    Minor capacity = round_to_quantum(
                        Fraction::of(m.capacity()->headcount) * Fraction(*m.capacity()->rate[k]) * months,
                        metric.quantum);
                    CheckRow row;
                    row.kind = CheckRow::Kind::capacity_vs_quota;
                    row.level = step.level;
                    row.node = m.id;
                    row.metric = metric.id;
                    row.decimals = metric.decimals;
                    row.target = *m.share.amounts[k];
                    row.handed_down = capacity;
                    row.flagged = capacity != row.target;
                    row.note = "capacity " + detail::describe_capacity(plan_, m, k, months);
                    rows_.push_back(row);
                }
            }
        }
    }

    const Plan& plan_;
    const Decomposition::Impl& im_;
    CapacityCalendar clock_;
    std::vector<int> chosen_;
    std::vector<std::vector<std::int64_t>> parts_;  // per depth: the children's parts at the node visited there
    std::size_t metric_ = 0;
    std::vector<CheckRow> rows_;
};

}  // namespace

std::vector<CheckRow> check_plan(const Decomposition& decomposition) {
    std::vector<CheckRow> rows = Checker(decomposition).run();
    for (auto& r : market_check_rows(decomposition))
        rows.push_back(std::move(r));
    for (auto& r : pay_band_rows(decomposition.plan()))
        rows.push_back(std::move(r));
    return rows;
}

Table check_table(const std::vector<CheckRow>& rows, const std::vector<std::string>& metrics) {
    // One decimals setting per column: use the widest among the rows shown.
    int decimals = 0;
    for (const auto& r : rows)
        decimals = std::max(decimals, r.decimals);
    Table table;
    table.columns = {{"check", false, 0},
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
    for (const auto& r : rows) {
        if (!check_row_selected(r, metrics)) continue;
        auto widen = [&](Minor v) { return v * static_cast<Minor>(pow10_wide(decimals - r.decimals)); };
        auto ratio = r.ratio();
        auto pct = ratio ? divide_rounded(ratio->num * 100, ratio->den, 2) : std::nullopt;
        std::string band =
            r.band ? fmt::format("{}%–{}%", format_fraction_decimal(Fraction::of(r.band->first) * Fraction(100), 2),
                                 format_fraction_decimal(Fraction::of(r.band->second) * Fraction(100), 2))
                   : std::string();
        if (!r.band_label.empty()) band = r.band_label;
        const bool banded = !band.empty();
        auto shown = [&](Minor v) { return r.amounts ? amount_cell(widen(v)) : TableCell{{}, 0, false}; };
        if (!r.amounts) pct.reset();
        table.rows.push_back({text_cell(std::string(check_kind_name(r.kind))), text_cell(r.level), text_cell(r.node),
                              text_cell(r.metric), shown(r.target), shown(r.handed_down), shown(r.difference()),
                              optional_cell(pct), TableCell{std::move(band), 0, banded},
                              text_cell(r.flagged ? "FLAG" : "ok"), text_cell(r.note)});
    }
    return table;
}

bool check_row_selected(const CheckRow& row, const std::vector<std::string>& metrics) {
    if (metrics.empty() || row.kind == CheckRow::Kind::pay_bands) return true;
    for (const auto& id : metrics) {
        if (row.metric == id) return true;
        if (row.kind == CheckRow::Kind::implied_price &&
            (row.metric.starts_with(id + " ÷ ") || row.metric.ends_with(" ÷ " + id)))
            return true;
    }
    return false;
}

std::vector<CheckRow> pay_band_rows(const Plan& plan) {
    std::vector<CheckRow> rows;
    if (!plan.assessment) return rows;
    for (const auto& p : pay_band_problems(*plan.assessment)) {
        CheckRow row;
        row.kind = CheckRow::Kind::pay_bands;
        row.node = "(assessment)";
        row.decimals = 0;
        row.amounts = false;
        row.flagged = true;
        row.band_label = p.kind == PayBandProblem::Kind::gap ? "gap" : "overlap";
        row.note = p.message;
        if (p.where.line > 0) row.note += fmt::format(" — {}:{}:{}", p.where.file, p.where.line, p.where.column);
        if (!p.where.pointer.empty()) row.note += " " + p.where.pointer;
        rows.push_back(std::move(row));
    }
    return rows;
}

}  // namespace tgt
