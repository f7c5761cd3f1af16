#pragma once
// 滚动调整: after some periods are over, hold them at what was actually sold and re-spread what is
// left of each node's target over the periods still to come, in proportion to their original
// targets (the plan's own curve), as a new plan that split and progress accept.

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "tgt/actuals.hpp"
#include "tgt/decompose.hpp"

namespace tgt {

struct RebalanceRequest {
    Date as_of{};                      ///< periods that end on or before it are over
    std::string metric;                ///< empty: the plan's one money or count metric
    std::vector<std::string> actuals;  ///< files, "-" for standard input; summed
    ActualsOptions options;
    int threads = 1;
    /// Where the new plan will be written ("" or "-": standard output); its relative file
    /// references (calendar, history, members) are rewritten to resolve from there.
    std::string output_path;
};

/// The plan before and after, per node (every dimension level split before the re-spread time
/// level) and period of that level, exact.
struct Rebalance {
    std::vector<std::string> key_columns;  ///< the node's levels
    std::string period_level;              ///< the time level re-spread ("month")
    std::vector<std::vector<std::string>> nodes;
    std::vector<Period> periods;
    std::size_t closed = 0;  ///< periods [0, closed) are over by the as-of date: held at their actuals
    int decimals = 2;
    std::vector<Minor> before, after, actual;  ///< node × period (actual: up to the as-of date)
    /// Nodes ahead of their whole target: nothing is left for their open periods, so their target
    /// rises to what they sold (never below zero), and so do their ancestors' and the total.
    std::vector<std::size_t> raised;
    /// Nodes whose open periods had no target to re-spread by: left as they were.
    std::vector<std::size_t> unchanged;
    Minor unplanned_actual = 0;  ///< actuals of members the plan does not have (not re-spread)
    std::size_t after_as_of = 0;
    ActualsSummary actuals;
    std::string plan_json;  ///< the new plan, checked: split gives exactly `after`
    Plan plan;              ///< the new plan in memory: what plan_json reads back as (locations aside)

    Minor at(const std::vector<Minor>& v, std::size_t node, std::size_t period) const {
        return v[node * periods.size() + period];
    }
    /// "华东 / 张伟" (or "the plan" when nodes have no keys), for messages.
    std::string node_name(std::size_t node) const;
};

/// Builds the rebalanced plan from the original plan's text (kept as written: only the steps that
/// change are touched, with a note saying why). Throws Error for input it cannot use: a plan with
/// more than one money/count metric (or rate or stretch metrics), no time level after its
/// dimension levels, an as-of date with no period left after it, bad actuals.
Rebalance rebalance(const Decomposition& decomposition, std::string_view plan_text, const RebalanceRequest& request,
                    std::FILE* stdin_stream = stdin);

}  // namespace tgt
