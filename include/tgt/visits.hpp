#pragma once
// Visit plans: customer tiers (VIP, tier 1, tier 2…) with how often each is visited, and each
// rep's customer counts, turned into the visits a rep owes per period. Whole visits throughout.

#include <cstdint>
#include <string>
#include <vector>

#include "tgt/calendar.hpp"
#include "tgt/error.hpp"
#include "tgt/plan_model.hpp"

namespace tgt {

struct Plan;

/// Visits `customers` of one tier need in month number `month` of their cycle (0 = the plan's
/// first month, or the member's first when it starts later).
/// Customers every N months are staggered so each is seen once in every N consecutive months:
/// month m sees the customers i with i ≡ m (mod N), so the earlier months of a cycle take the odd
/// ones (7 customers every 2 months: 4, 3, 4, 3…). A tier arranged separately (另行安排) needs none.
std::int64_t tier_visits_in_month(const CustomerTier& tier, std::int64_t customers, int month);

/// The visits members owe per period. A month's visits fall on its working days (those a member
/// is active on, within the plan), spread as the plan spreads days: evenly, the odd ones to the
/// earlier days; so days add up to weeks, weeks and months to quarters, and members to the levels
/// above them, exactly.
class VisitSchedule {
public:
    explicit VisitSchedule(const Plan& plan);

    /// Per tier: visits owed in [first, last] by member `member` at `depth` of the visit dimension
    /// and every member below it.
    std::vector<std::int64_t> visits(int depth, int member, Date first, Date last) const;
    /// Per tier: the customers of that member and those below it.
    std::vector<std::int64_t> customers(int depth, int member) const;
    /// Per tier: the visits owed in [first, last] across the whole plan.
    std::vector<std::int64_t> visits_all(Date first, Date last) const;

private:
    void add_own(int depth, int member, Date first, Date last, std::vector<std::int64_t>& out) const;
    template <typename Visit>
    void each_below(int depth, int member, const Visit& visit) const;

    /// Days in [first, last] (within the plan): working days, or calendar days when `working` is false.
    int days_between(Date first, Date last, bool working) const;

    const Plan& plan_;
    std::vector<Period> months_;
    std::vector<int> working_before_;  ///< working days before each day of the plan (and after the last)
};

}  // namespace tgt
