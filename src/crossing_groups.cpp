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

void Decomposition::Impl::build_cross_groups() {
    cross_groups.assign(plan.steps.size(), {});
    cross_row_step.assign(plan.steps.size(), -1);
    for (std::size_t s = 0; s < plan.steps.size(); ++s) {
        const auto& cross = plan.steps[s].cross;
        if (!cross || cross->steps.size() != 2 || cross->steps[1] != static_cast<int>(s) || groups[s].empty()) continue;
        if (cross->per_metric.size() != metric_count) continue;  // not computed: the plan has errors
        const std::size_t cols = cross->per_metric.empty() ? 0 : groups[s][0].children;
        const auto& row_level = plan.dimensions[static_cast<std::size_t>(cross->dimensions[0])].members[0];
        cross_row_step[s] = cross->steps[0];
        auto& top = groups[static_cast<std::size_t>(cross->steps[0])];
        for (std::size_t m = 0; m < metric_count && top.size() == 1; ++m)
            if (cross->per_metric[m].made) top[0].per_metric[m] = held_rows(cross->per_metric[m]);
        auto& out = cross_groups[s];
        out.reserve(row_level.size());
        for (std::size_t i = 0; i < row_level.size(); ++i) {
            detail::Group g;
            g.children = cols;
            g.per_metric.reserve(metric_count);
            for (std::size_t m = 0; m < metric_count; ++m) {
                const CrossedMetric& cm = cross->per_metric[m];
                if (!cm.made) {  // a rate metric: held, not split; its rule as the level states it
                    g.per_metric.push_back(groups[s][0].per_metric[m]);
                    continue;
                }
                detail::MetricRule rule;
                rule.holds.reserve(cols);
                for (std::size_t j = 0; j < cols; ++j)
                    rule.holds.emplace_back(static_cast<int>(j), cm.cells[i * cols + j]);
                rule.held = cm.rows[i];  // every cell held: the rule's holds are its amounts exactly
                g.per_metric.push_back(std::move(rule));
            }
            out.push_back(std::move(g));
        }
    }
}

}  // namespace tgt
