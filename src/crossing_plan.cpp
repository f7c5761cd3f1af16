// Crossed split steps → holds the walk splits by (see crossing_plan.hpp).

#include "crossing_plan.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <stdexcept>

#include "tgt/apportion.hpp"
#include "tgt/crossing.hpp"
#include "tgt/fraction.hpp"

namespace tgt::detail {

namespace {

// A member's weight for metric m when it holds no amount of it: its percentage or ratio, or the
// amount it holds of another metric; nullopt when it states nothing.
std::optional<Decimal> free_weight(const Share& s, std::size_t m) {
    if (s.kind == Share::Kind::percent || s.kind == Share::Kind::ratio) return s.value;
    if (s.kind == Share::Kind::amount)
        for (std::size_t k = 0; k < s.amounts.size(); ++k)
            if (k != m && s.amounts[k]) return Decimal{*s.amounts[k], 0};
    return std::nullopt;
}

// "1,000,000.00".
std::string money(Minor amount, const Metric& metric) {
    return format_grouped(amount, metric.decimals);
}

// The stated totals of a crossed level for one metric: held amounts, the rest by the others'
// weights (equal when none states one), largest remainder in whole quanta. nullopt (reported by
// `fail`) when they cannot add up to the metric's total.
std::optional<std::vector<Minor>> level_totals(const std::vector<Member>& level, std::size_t m, const Metric& metric,
                                               const std::string& name,
                                               const std::function<void(std::string, std::string)>& fail,
                                               std::vector<Fraction>& exact) {
    std::vector<Minor> out(level.size(), 0);
    exact.assign(level.size(), Fraction(0));
    std::vector<std::size_t> free;
    std::vector<std::optional<Decimal>> weights;
    Minor held = 0;
    bool percent = false;
    int scale = 0;
    for (std::size_t i = 0; i < level.size(); ++i) {
        const Share& s = level[i].share;
        if (s.holds(m)) {
            out[i] = *s.amounts[m];
            exact[i] = Fraction(out[i]);
            held = checked_add(held, out[i]);
            continue;
        }
        free.push_back(i);
        weights.push_back(free_weight(s, m));
        if (weights.back()) scale = std::max(scale, weights.back()->scale);
        percent = percent || s.kind == Share::Kind::percent;
    }
    if (held > metric.total || (free.empty() && held != metric.total)) {
        Minor gap = metric.total - held;
        fail(fmt::format("{}: the {} amounts add up to {}, {} {} the total {}", metric.id, name, money(held, metric),
                         money(gap < 0 ? -gap : gap, metric), gap < 0 ? "over" : "short of",
                         money(metric.total, metric)),
             free.empty() ? "make the amounts add up to the total" : "lower the amounts");
        return std::nullopt;
    }
    if (free.empty()) return out;
    std::vector<std::int64_t> w(free.size(), 1);
    bool any = std::any_of(weights.begin(), weights.end(), [](const auto& x) { return x.has_value(); });
    Wide sum = 0;
    for (std::size_t k = 0; k < free.size() && any; ++k) {
        if (!weights[k]) {
            fail(fmt::format("{}: \"{}\" states no share, but other {} members do", metric.id, level[free[k]].id, name),
                 "give every member of a crossed level an amount or a share");
            return std::nullopt;
        }
        Wide v = weights[k]->mantissa * pow10_wide(scale - weights[k]->scale);
        sum += v;
        if (sum > std::numeric_limits<std::int64_t>::max()) {
            fail(fmt::format("{}: the {} weights are too large to split exactly", metric.id, name), "");
            return std::nullopt;
        }
        w[k] = static_cast<std::int64_t>(v);
    }
    if (percent && held == 0 && sum != 100 * pow10_wide(scale)) {
        fail(fmt::format("{}: the {} percentages total {}%", metric.id, name, format_decimal(Decimal{sum, scale})),
             "make them total 100%");
        return std::nullopt;
    }
    if (sum == 0) std::fill(w.begin(), w.end(), 1);
    Wide wsum = 0;
    for (auto x : w)
        wsum += x;
    for (std::size_t k = 0; k < free.size(); ++k)
        exact[free[k]] = Fraction(metric.total - held) * Fraction(w[k], wsum);
    auto parts = apportion((metric.total - held) / metric.quantum, WeightSet::from(std::move(w)));
    for (std::size_t k = 0; k < free.size(); ++k)
        out[free[k]] = parts[k] * metric.quantum;
    return out;
}

// "a, b, c and 4 more".
std::string some(const std::vector<std::string>& items) {
    std::string out;
    for (std::size_t i = 0; i < items.size() && i < 6; ++i)
        out += (i ? ", " : "") + items[i];
    if (items.size() > 6) out += fmt::format(" and {} more", items.size() - 6);
    return out;
}

// The history table with its zero rows and columns handled as the plan says; false (reported)
// when the plan says "error".
bool settle_zero_lines(Crossing& cross, std::vector<double>& h, const std::vector<Minor>& rows,
                       const std::vector<Minor>& cols, const std::vector<std::string>& row_ids,
                       const std::vector<std::string>& col_ids, const Step& step, Diagnostics& problems) {
    const std::size_t n = rows.size(), m = cols.size();
    std::vector<std::string> zero;
    for (std::size_t i = 0; i < n; ++i) {
        bool all = rows[i] > 0;
        for (std::size_t j = 0; j < m && all; ++j)
            all = h[i * m + j] == 0.0;
        if (!all) continue;
        zero.push_back(fmt::format("{} \"{}\"", cross.levels[0], row_ids[i]));
        if (cross.equal_if_all_zero)
            for (std::size_t j = 0; j < m; ++j)
                h[i * m + j] = 1.0;
    }
    for (std::size_t j = 0; j < m; ++j) {
        bool all = cols[j] > 0;
        for (std::size_t i = 0; i < n && all; ++i)
            all = h[i * m + j] == 0.0;
        if (!all) continue;
        zero.push_back(fmt::format("{} \"{}\"", cross.levels[1], col_ids[j]));
        if (cross.equal_if_all_zero)
            for (std::size_t i = 0; i < n; ++i)
                h[i * m + j] = 1.0;
    }
    if (zero.empty() || cross.equal_if_all_zero) return true;
    problems.error(step.where, fmt::format("the history in {} is all zero for {}", cross.history_file, some(zero)),
                   "add their history, or set \"if_all_zero\": \"equal\" to weigh their cells equally");
    return false;
}

std::vector<std::string> ids_of(const std::vector<Member>& level) {
    std::vector<std::string> ids;
    for (const auto& mb : level)
        ids.push_back(mb.id.str());
    return ids;
}

}  // namespace

namespace {

// Three levels: the two-way totals with the third level (Σ over the second or the first level of
// the cube) that fall outside ⌊exact⌋ … ⌈exact⌉, reported as one warning per pair of levels with
// how many, the largest deviation and where.
void report_two_way(const Plan& plan, const Crossing& cross, std::size_t m, Diagnostics& problems) {
    const Metric& metric = plan.metrics[m];
    const CrossedMetric& cm = cross.per_metric[m];
    const std::size_t n = cm.rows.size(), k = cm.cols.size(), p = cm.third.size();
    const auto id = [&](std::size_t level, std::size_t i) {
        return plan.dimensions[static_cast<std::size_t>(cross.dimensions[level])].members[0][i].id;
    };
    for (std::size_t by : {0u, 1u}) {  // region × channel (Σ over products), product × channel (Σ over regions)
        const std::vector<Minor>& outer = by == 0 ? cm.rows : cm.cols;
        std::size_t count = 0;
        Fraction largest(0);
        std::string where;
        for (std::size_t a = 0; a < outer.size(); ++a)
            for (std::size_t l = 0; l < p; ++l) {
                Minor sum = 0;
                for (std::size_t b = 0; b < (by == 0 ? k : n); ++b)
                    sum += by == 0 ? cm.cube[(a * k + b) * p + l] : cm.cube[(b * k + a) * p + l];
                Fraction exact = Fraction(outer[a]) * Fraction(cm.third[l], metric.total);
                Fraction in_quanta = exact / Fraction(metric.quantum);
                Minor low = static_cast<Minor>(in_quanta.num / in_quanta.den) * metric.quantum;
                Minor high = in_quanta.den == 1 ? low : low + metric.quantum;
                if (sum >= low && sum <= high) continue;
                Fraction off = sum < low ? Fraction(low - sum) : Fraction(sum - high);
                ++count;
                if (largest < off) {
                    largest = off;
                    where = fmt::format(
                        "{} × {}: {} for exact {}", id(by, a), id(2, l), money(sum, metric),
                        format_fraction_decimal(exact / Fraction(pow10_wide(metric.decimals)), metric.decimals + 2));
                }
            }
        if (count == 0) continue;
        problems.warning(
            plan.steps[static_cast<std::size_t>(cross.steps[0])].where,
            fmt::format("{}: {} {} × {} total(s) cannot be met within a quantum; the largest is {} off ({})", metric.id,
                        count, cross.levels[by], cross.levels[2],
                        money(static_cast<Minor>(largest.num / largest.den), metric), where),
            fmt::format("every one-way total and the {} × {} table hold exactly; a three-way table cannot "
                        "always round every two-way total as well",
                        cross.levels[0], cross.levels[1]));
    }
}

// One metric's crossed table: totals, exact values, controlled rounding. False when reported.
bool cross_metric(const Plan& plan, Crossing& cross, std::size_t m, Diagnostics& problems) {
    const Metric& metric = plan.metrics[m];
    const Step& step = plan.steps[static_cast<std::size_t>(cross.steps[0])];
    const auto& row_level = plan.dimensions[static_cast<std::size_t>(cross.dimensions[0])].members[0];
    const auto& col_level = plan.dimensions[static_cast<std::size_t>(cross.dimensions[1])].members[0];
    auto fail = [&](std::string message, std::string hint) {
        problems.error(step.where, std::move(message), std::move(hint));
    };
    CrossedMetric& out = cross.per_metric[m];
    auto rows = level_totals(row_level, m, metric, cross.levels[0], fail, out.row_exact);
    auto cols = level_totals(col_level, m, metric, cross.levels[1], fail, out.col_exact);
    std::optional<std::vector<Minor>> third;
    if (cross.levels.size() == 3) {
        const auto& level = plan.dimensions[static_cast<std::size_t>(cross.dimensions[2])].members[0];
        third = level_totals(level, m, metric, cross.levels[2], fail, out.third_exact);
        if (!third) return false;
    }
    if (!rows || !cols) return false;
    out.rows = *rows;
    out.cols = *cols;
    std::vector<Minor> rq(rows->size()), cq(cols->size());
    for (std::size_t i = 0; i < rq.size(); ++i)
        rq[i] = (*rows)[i] / metric.quantum;
    for (std::size_t j = 0; j < cq.size(); ++j)
        cq[j] = (*cols)[j] / metric.quantum;
    if (metric.total == 0) {
        out.exact = independence_table(rq, cq);
    } else if (!cross.history_file.empty()) {
        std::vector<double> h = cross.history;
        if (!settle_zero_lines(cross, h, *rows, *cols, ids_of(row_level), ids_of(col_level), step, problems))
            return false;
        out.exact = rake_table(h, rq, cq, out.rake);
        if (out.exact.rows == 0) {
            fail(fmt::format(
                     "{}: the history in {} cannot be raked to these totals (after {} passes the largest "
                     "deviation is {:.6g} {})",
                     metric.id, cross.history_file, out.rake.iterations,
                     out.rake.largest_deviation * static_cast<double>(metric.quantum) / std::pow(10.0, metric.decimals),
                     metric.unit),
                 "its zero cells leave no table with these totals; fill them, or drop \"history\"");
            return false;
        }
    } else {
        out.exact = independence_table(rq, cq);
    }
    out.cells = controlled_round(out.exact, rq, cq);
    if (third) {
        std::vector<Minor> kq(third->size());
        for (std::size_t l = 0; l < kq.size(); ++l)
            kq[l] = (*third)[l] / metric.quantum;
        out.third = *third;
        out.cube = round_cube(rq, cq, kq, out.cells, out.by_pairs);
        for (auto& c : out.cube)
            c *= metric.quantum;
    }
    for (auto& c : out.cells)
        c *= metric.quantum;
    out.made = true;
    if (third) report_two_way(plan, cross, m, problems);
    return true;
}

}  // namespace

namespace {

// Dates and ramps shape a level's split over time; a crossed level's members are cells of a table
// with fixed totals, so they would be dropped without a word: refused instead.
bool plain_members(const Plan& plan, const Crossing& cross, Diagnostics& problems) {
    bool ok = true;
    for (std::size_t k = 0; k < cross.levels.size(); ++k) {
        std::vector<std::string> dated;
        for (const auto& m : plan.dimensions[static_cast<std::size_t>(cross.dimensions[k])].members[0])
            if (m.availability().limited() || m.unassigned || m.placeholder) dated.push_back(m.id.str());
        if (dated.empty()) continue;
        problems.error(
            plan.steps[static_cast<std::size_t>(cross.steps[0])].where,
            fmt::format("crossed level \"{}\": {} have start or end dates or a ramp", cross.levels[k], some(dated)),
            "a crossed level's members state totals only; give dates and ramps to a level split after "
            "the crossed step");
        ok = false;
    }
    return ok;
}

}  // namespace

void apply_crossings(Plan& plan, Diagnostics& problems) {
    for (std::size_t s = 0; s < plan.steps.size(); ++s) {
        auto cross = plan.steps[s].cross;
        if (!cross || cross->steps.empty() || cross->steps[0] != static_cast<int>(s)) continue;
        cross->per_metric.assign(plan.metrics.size(), CrossedMetric{});
        if (!plain_members(plan, *cross, problems)) continue;
        for (std::size_t m = 0; m < plan.metrics.size(); ++m)
            if (!plan.metrics[m].rate) cross_metric(plan, *cross, m, problems);  // each reports its own problems
    }
}

}  // namespace tgt::detail
