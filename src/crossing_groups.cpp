// Crossed levels in the walk: the row level's group holds the row totals, and the column level's
// sibling group under each row is that row of the crossed table, every cell held (see crossing.hpp
// and crossing_plan.cpp).

#include "decomposition_impl.hpp"
#include "tgt/crossing.hpp"

namespace tgt {

namespace {

// The row level's totals as holds of its one sibling group (the crossed step comes first).
detail::MetricRule held_rows(const CrossedMetric& cm) {
    detail::MetricRule rule;
    rule.holds.reserve(cm.rows.size());
    for (std::size_t i = 0; i < cm.rows.size(); ++i) {
        rule.holds.emplace_back(static_cast<int>(i), cm.rows[i]);
        rule.held += cm.rows[i];
    }
    return rule;
}

}  // namespace

namespace {

// A sibling group of `children` whose metric m holds cells[first … first + children) (made
// metrics) or keeps the level's own rule (rate metrics: held, not split).
detail::Group held_group(const Crossing& cross, std::size_t children, std::size_t first, bool cube,
                         const detail::Group& plain) {
    detail::Group g;
    g.children = children;
    g.per_metric.reserve(cross.per_metric.size());
    for (std::size_t m = 0; m < cross.per_metric.size(); ++m) {
        const CrossedMetric& cm = cross.per_metric[m];
        if (!cm.made) {
            g.per_metric.push_back(plain.per_metric[m]);
            continue;
        }
        const std::vector<Minor>& cells = cube ? cm.cube : cm.cells;
        detail::MetricRule rule;
        rule.holds.reserve(children);
        for (std::size_t j = 0; j < children; ++j) {
            rule.holds.emplace_back(static_cast<int>(j), cells[first + j]);
            rule.held += cells[first + j];
        }
        g.per_metric.push_back(std::move(rule));
    }
    return g;
}

}  // namespace

void Decomposition::Impl::build_cross_groups() {
    cross_groups.assign(plan.steps.size(), {});
    cross_row_step.assign(plan.steps.size(), -1);
    cross_col_step.assign(plan.steps.size(), -1);
    cross_stride.assign(plan.steps.size(), 0);
    for (std::size_t s = 0; s < plan.steps.size(); ++s) {
        const auto& cross = plan.steps[s].cross;
        if (!cross || cross->steps.empty() || cross->steps[0] != static_cast<int>(s)) continue;
        if (cross->per_metric.size() != metric_count) continue;  // not computed: the plan has errors
        const auto size = [&](std::size_t level) {
            return plan.dimensions[static_cast<std::size_t>(cross->dimensions[level])].members[0].size();
        };
        const std::size_t n = size(0), k = size(1);
        // The row level: one group (the crossed step comes first) holding the row totals.
        auto& top = groups[s];
        for (std::size_t m = 0; m < metric_count && top.size() == 1; ++m)
            if (cross->per_metric[m].made) top[0].per_metric[m] = held_rows(cross->per_metric[m]);
        // The column level under each row.
        auto s1 = static_cast<std::size_t>(cross->steps[1]);
        if (groups[s1].empty()) continue;
        cross_row_step[s1] = static_cast<int>(s);
        cross_stride[s1] = 1;
        for (std::size_t i = 0; i < n; ++i)
            cross_groups[s1].push_back(held_group(*cross, k, i * k, false, groups[s1][0]));
        if (cross->steps.size() < 3) continue;
        // The third level under each (row, column) cell.
        auto s2 = static_cast<std::size_t>(cross->steps[2]);
        if (groups[s2].empty()) continue;
        const std::size_t p = size(2);
        cross_row_step[s2] = static_cast<int>(s);
        cross_col_step[s2] = static_cast<int>(s1);
        cross_stride[s2] = k;
        cross_groups[s2].reserve(n * k);
        for (std::size_t c = 0; c < n * k; ++c)
            cross_groups[s2].push_back(held_group(*cross, p, c * p, true, groups[s2][0]));
    }
}

}  // namespace tgt
