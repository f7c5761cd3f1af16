#pragma once
// Capacity arithmetic: active months of a member (joining or leaving mid-period, ramping up),
// capacity = headcount × rate × months, and growth over a baseline. Exact; no I/O.

#include <optional>
#include <unordered_map>
#include <utility>
#include <vector>

#include "tgt/calendar.hpp"
#include "tgt/fraction.hpp"
#include "tgt/plan_model.hpp"

namespace tgt {

/// Working days per calendar month, cached, for the capacity sums below.
class CapacityCalendar {
public:
    explicit CapacityCalendar(const WorkCalendar& calendar) : calendar_(calendar) {}

    /// Capacity months within [first, last]: over every calendar month m that overlaps it,
    /// Σ ramp(m) × active working days of m inside [first, last] ÷ working days of m.
    /// A month without working days counts calendar days instead. `with_ramp` = false ignores the ramp.
    Fraction months(Date first, Date last, const Availability& availability, bool with_ramp = true) const;

    /// How much of period [first, last] a member covers compared with one active throughout, ramp
    /// included (1 for a full, ramped-up member; 0 before it starts). A period without working days
    /// counts calendar days.
    Fraction coverage(Date first, Date last, const Availability& availability) const;

    /// The part of its share a member with dates or a ramp keeps, under a parent active over
    /// [first, last] (the plan's period, or the parent's own dates within it): its capacity months
    /// there (ramp months at their step) ÷ the window's months — a joiner on 1 July with a 25/50/75 %
    /// ramp keeps (0.25 + 0.5 + 0.75 + 3) ÷ 12. A capacity-weighted member's weight already counts
    /// its active months, so it keeps its ramped ÷ active months only. 1 for a member not limited
    /// inside the window.
    Fraction active_share(Date first, Date last, const Availability& availability, bool capacity_weighted) const;

private:
    int working_days_of_month(int year, unsigned month) const;

    const WorkCalendar& calendar_;
    mutable std::unordered_map<int, int> month_days_;
};

/// Months since the member's first month (0 in the month it starts); 0 without a start date.
int tenure_month(const Availability& availability, Date d);

/// Whether the member covers all of [first, last] at one steady rate (no start, end or ramp step inside).
bool steady_over(const Availability& availability, Date first, Date last);
/// [first, last] narrowed to a member's active dates (empty, last < first, when it is never active there).
std::pair<Date, Date> active_window(const Availability& availability, Date first, Date last);
/// Whether a member is active for less than [first, last] at full rate: it starts after `first`, ends
/// before `last`, or ramps.
bool limited_within(const Availability& availability, Date first, Date last);
/// Whether the member is inactive throughout [first, last].
bool inactive_over(const Availability& availability, Date first, Date last);

/// baseline × (1 + growth), growth a ratio such as 0.2 (for +20 %), rounded to the quantum
/// (halves away from zero). Throws std::domain_error when the result would be negative.
Minor grown_amount(Minor baseline, const Decimal& growth, Minor quantum);

}  // namespace tgt
