#pragma once
// The activity a target takes: back through a sales funnel's conversion rates (线索 → 商机 → 草签 →
// 订单 → 交车), per lead source where the rates differ. Exact rationals throughout; counts of
// activity round up, because nobody makes 0.4 of a visit.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "tgt/error.hpp"
#include "tgt/fraction.hpp"
#include "tgt/money.hpp"
#include "tgt/plan_model.hpp"

namespace tgt {

struct Plan;

/// The counts for one target: per stage, what is needed at and above the target stage (rounded up)
/// and what that yields below it (rounded down: deliveries expected from the orders).
struct FunnelCounts {
    std::vector<std::int64_t> stages;
};

/// Counts for a target of `target` minor units at `decimals` places, one per lead source (one in
/// all without sources). The target stage's count is ⌈target ÷ order value⌉ (or ⌈target⌉); it is
/// shared among sources by largest remainder; each stage above is ⌈count ÷ the product of the
/// rates between⌉, computed from the target stage, not stage by stage (DOMAIN.md example 8: 10
/// orders at 85 % · 30 % · 40 % take 99 leads). Each stage below is the exact yield over all
/// sources rounded down once, shared by largest remainder. Negative targets need no activity.
std::vector<FunnelCounts> funnel_counts(const Funnel& funnel, Minor target, int decimals);

/// The rate of stage `s` for source `source` (the stage's own when the source does not set one).
Decimal funnel_rate(const Funnel& funnel, std::size_t source, std::size_t s);

/// The exact rate of stage `s` for source `source`: the source's own, else the observed counts'
/// ratio (30 appointments of 200 prospects: 3/20) when the plan gives counts, else the stage's rate.
Fraction funnel_fraction(const Funnel& funnel, std::size_t source, std::size_t s);

/// The problems with a funnel's observed stage counts, one a stage (its index and the message):
/// none given (fine: rates are given), some stages without a count, a count below 1, a stage
/// larger than the one before it. Empty when the counts are usable.
std::vector<std::pair<std::size_t, std::string>> observed_count_problems(const Funnel& funnel);

/// Sets each stage's `rate` from the observed counts (count ÷ the count before, to 4 decimal
/// places of a percentage for display; the exact ratio is funnel_fraction's). Call once the counts
/// are usable (observed_count_problems is empty) and given.
void derive_funnel_rates(Funnel& funnel);

/// Whether the funnel's rates come from observed counts.
bool funnel_observed(const Funnel& funnel);

/// A funnel's counts at a grain finer than the plan splits (prospects per week or working day):
/// each row's counts, at the plan's finest time level, fall on that period's working days like an
/// activity quota's (first_days_share; calendar days for a period without working days), and add
/// up by the finer period, so a week across a month edge takes each month's days' counts and the
/// finer periods add up to the row's counts exactly.
class FunnelSpread {
public:
    /// Rows come at `coarse` periods; counts go out at `fine` ones.
    FunnelSpread(const Plan& plan, TimeLevel coarse, TimeLevel fine);

    /// Adds one row's counts (for lead source `source`) of the coarse period labelled `label`.
    void add(std::string_view label, std::size_t source, const std::vector<std::int64_t>& counts);

    /// The finer periods gathered since the last flush, in order, each source's counts:
    /// emit(label, source, counts); then forgets them (call when the rows' member changes).
    template <typename Emit>
    void flush(const Emit& emit) {
        for (const auto& [key, cell] : cells_)
            emit(cell.first, key.second, cell.second);
        cells_.clear();
    }

private:
    const Plan& plan_;
    TimeLevel fine_;
    std::unordered_map<std::string, Period> coarse_;
    std::map<std::pair<Date, std::size_t>, std::pair<std::string, std::vector<std::int64_t>>> cells_;
};

}  // namespace tgt
