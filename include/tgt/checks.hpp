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
    enum class Kind {
        over_assignment,
        top_down_vs_bottom_up,
        capacity_vs_quota,
        market_share,   ///< target = the market size, handed_down = the member's target, ratio = the share
        implied_price,  ///< amounts not shown (two metrics); the note names both and the price
        pay_bands,      ///< a gap or overlap in the assessment's pay bands; the note says where
        period_growth,  ///< the annual growth a step's period rates imply against the stated annual rate
    };
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
    std::string band_label;  ///< shown in the band column instead of `band` (a price band, a one-sided band)
    bool amounts = true;     ///< false: target, handed_down, difference and ratio are not shown

    Minor difference() const { return handed_down - target; }
    /// handed_down ÷ target, if the target is not zero.
    std::optional<Fraction> ratio() const;
};

/// Every check over a prepared plan; rows in the plan's order. Levels split after a time level are
/// checked on their yearly sums only where that is exact (see README); they are skipped otherwise.
std::vector<CheckRow> check_plan(const Decomposition& decomposition);

std::string_view check_kind_name(CheckRow::Kind kind);

/// Whether `row` is shown under a --metric selection `metrics` (empty: every row): rows of those
/// metrics, price rows naming one of them, and pay-band rows (they concern no metric) always.
bool check_row_selected(const CheckRow& row, const std::vector<std::string>& metrics);

/// Market-share and implied-price rows for the plan's "market" (none without one): one per market
/// size and price band of the plan and of each member that states its own (market_check.cpp).
std::vector<CheckRow> market_check_rows(const Decomposition& decomposition);

/// A row per gap or overlap in the plan's assessment pay bands (none without an assessment).
std::vector<CheckRow> pay_band_rows(const Plan& plan);

/// The checks as a table (check, level, node, metric, target, handed_down, difference, ratio_pct, band,
/// status, note), only the rows of `metrics` when it is not empty. Amounts share one decimals setting
/// per column, the widest among the rows shown.
Table check_table(const std::vector<CheckRow>& rows, const std::vector<std::string>& metrics = {});

}  // namespace tgt
