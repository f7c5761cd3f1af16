#pragma once
// Activity quotas: "30 calls a working day", "10 visits a week" per person, turned into the whole
// counts each person owes in any span of the plan, on the person's own active working days.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "tgt/calendar.hpp"
#include "tgt/decompose.hpp"
#include "tgt/plan_model.hpp"
#include "tgt/report.hpp"

namespace tgt {

struct Plan;
struct Member;

/// What the first k of a period's n (working) days owe of its `count`: count × k ÷ n rounded to the
/// nearest whole, halves up (0 when n is 0). Day k owes the step from day k − 1, so any run of days
/// owes its proportional share within one, and the n days owe exactly `count`.
std::int64_t first_days_share(std::int64_t count, int n, int k);

/// "working day", "week", "month": how a quota reads in a sentence.
std::string_view quota_per_name(QuotaPer per);

/// The counts the people of a plan owe. A working-day quota is owed on every working day a person
/// is active (within the plan, from their start to their end). A week's (Monday to Sunday) or a
/// month's quota falls on that week's or month's working days: the first k of n days owe
/// count × k ÷ n rounded to the nearest whole, so a run of days owes its share within one; a
/// person owes the days they are active on that lie in the plan. So days add up to weeks and
/// months exactly, and a week across a month boundary gives each month its own days' counts.
/// Ramps do not lower a quota: a new rep makes the same calls; ramps lower what they should sell.
class QuotaSchedule {
public:
    explicit QuotaSchedule(const Plan& plan);

    /// What member `member` at `depth` of quota `quota`'s dimension owes in [first, last]: its own
    /// count when it is at the quota's level, the sum of its people's when above, 0 below it.
    std::int64_t count(std::size_t quota, int depth, int member, Date first, Date last) const;
    /// What all the quota's people owe in [first, last].
    std::int64_t count_all(std::size_t quota, Date first, Date last) const;
    /// A person's active working days in [first, last] (within the plan and their own dates).
    int active_working_days(const Member& person, Date first, Date last) const;

private:
    std::int64_t own(const ActivityQuota& q, const Member& person, Date first, Date last) const;
    /// Working days in [first, last] (also outside the plan: a week or month at its edges).
    int working_days(Date first, Date last) const;

    const Plan& plan_;
    std::vector<Period> weeks_, months_;  ///< those the plan touches, whole
    std::vector<int> working_before_;     ///< working days before each day of the plan (and after the last)
};

/// The quota columns of a split's rows: one a quota whose dimension holds every dimension key of the
/// rows, at or above the quota's level (a product row has no calls of its own).
class QuotaColumns {
public:
    /// For rows keyed by `key_columns`, of which the first `dimension_keys` are dimension levels.
    QuotaColumns(const Plan& plan, const std::vector<std::string>& key_columns, std::size_t dimension_keys);

    /// The quotas shown, as indexes into plan.activities.
    const std::vector<std::size_t>& quotas() const { return quotas_; }
    /// Quota `quota`'s count for a row's dimension keys in [first, last]; 0 for a key the plan does
    /// not have (such as "(unassigned)").
    std::int64_t count(std::size_t quota, std::span<const std::string_view> keys, Date first, Date last) const;

private:
    struct Shown {
        int key = -1;    ///< the key column naming the deepest member, or -1 (all the quota's people)
        int depth = -1;  ///< that member's depth
    };
    const Plan& plan_;
    QuotaSchedule schedule_;
    std::vector<std::size_t> quotas_;
    std::vector<Shown> shown_;                                    ///< per quota of plan.activities
    std::vector<std::unordered_map<std::string_view, int>> ids_;  ///< per dimension: id at the shown depth → index
};

/// Why a cell owes the count it does: one line per person (and, for a week's or month's quota, per
/// week or month): "30 × 14 working days (from 2027-09-13)" = 420.
struct QuotaExplanation {
    std::string heading;  ///< "calls (30 a working day) for rep=李娜, period=2027-09: 420"
    Table table;          ///< person, period, rule, count
    std::int64_t total = 0;
};

/// Explains quota `quota` for the cell `cell` (level = value pairs of the quota's dimension and
/// "period" = a period label of the plan; none: the whole plan and all its people). Throws
/// Error(usage) for a level, member or period the plan does not have.
QuotaExplanation explain_quota(const Plan& plan, std::size_t quota, const std::vector<Filter>& cell);

}  // namespace tgt
