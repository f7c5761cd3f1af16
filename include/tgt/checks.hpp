#pragma once
// Plan checks a manager reads before handing targets down: over-assignment per manager against the
// plan's bands, top-down totals against bottom-up amounts, and quotas against capacity.

#include <optional>
#include <string>
#include <vector>

#include "tgt/decompose.hpp"
#include "tgt/fraction.hpp"
#include "tgt/report.hpp"

namespace tgt {

struct CheckRow {
    enum class Kind { over_assignment, top_down_vs_bottom_up, capacity_vs_quota, period_growth };
    Kind kind = Kind::over_assignment;
    std::string level;  ///< the level handed down to (over-assignment, top-down) or the member's level
    std::string node;   ///< the manager (parent) or the member; "(total)" for the plan's total
    std::string metric;
    int decimals = 2;
    Minor target = 0;       ///< the manager's own target / the top-down amount / the quota
    Minor handed_down = 0;  ///< Σ what the level below carries / Σ bottom-up amounts / the capacity
    std::optional<std::pair<Decimal, Decimal>> band;  ///< accepted handed_down ÷ target, as ratios
    bool flagged = false;
    std::string note;

    Minor difference() const { return handed_down - target; }
    /// handed_down ÷ target, if the target is not zero.
    std::optional<Fraction> ratio() const;
};

/// Every check over a prepared plan; rows in the plan's order. Levels split after a time level are
/// checked on their yearly sums only where that is exact (see README); they are skipped otherwise.
std::vector<CheckRow> check_plan(const Decomposition& decomposition);

std::string_view check_kind_name(CheckRow::Kind kind);

/// The checks as a table (check, level, node, metric, target, handed_down, difference, ratio_pct, band,
/// status, note), only the rows of `metrics` when it is not empty. Amounts share one decimals setting
/// per column, the widest among the rows shown.
Table check_table(const std::vector<CheckRow>& rows, const std::vector<std::string>& metrics = {});

}  // namespace tgt
