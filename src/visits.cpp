// Visit plans: whole visits per tier and month, spread over the month's working days.

#include "tgt/visits.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "tgt/plan.hpp"

namespace tgt {

std::string CustomerTier::frequency() const {
    if (separate) return "arranged separately";
    if (per_month > 1) return fmt::format("{} a month", per_month);
    switch (every_months) {
        case 1:
            return "monthly";
        case 3:
            return "quarterly";
        case 6:
            return "half-yearly";
        case 12:
            return "yearly";
        default:
            return fmt::format("every {} months", every_months);
    }
}

std::int64_t tier_visits_in_month(const CustomerTier& tier, std::int64_t customers, int month) {
    if (customers <= 0 || month < 0 || tier.separate) return 0;
    if (tier.every_months <= 1) return customers * std::max(1, tier.per_month);
    std::int64_t slot = month % tier.every_months;  // customers i ≡ slot (mod N), i < customers
    if (slot >= customers) return 0;
    return (customers - slot + tier.every_months - 1) / tier.every_months;
}

namespace {

// The first k of n days' share of `count`, spread evenly with the odd ones to the earlier days.
std::int64_t first_days(std::int64_t count, int n, int k) {
    if (n <= 0) return 0;
    std::int64_t q = count / n, r = count % n;
    return q * k + std::min<std::int64_t>(k, r);
}

}  // namespace

VisitSchedule::VisitSchedule(const Plan& plan)
    : plan_(plan), months_(periods_between(TimeLevel::month, plan.first, plan.last, plan.fiscal_start_month)) {
    // Working days before each day of the plan: any span's count is then one subtraction.
    working_before_.push_back(0);
    for (Date d = plan.first; d <= plan.last; d += std::chrono::days{1})
        working_before_.push_back(working_before_.back() + (plan.calendar.is_working(d) ? 1 : 0));
}

int VisitSchedule::days_between(Date first, Date last, bool working) const {
    if (last < first) return 0;
    if (!working) return static_cast<int>((last - first).count() + 1);
    auto at = [&](Date d) { return static_cast<std::size_t>((d - plan_.first).count()); };
    return working_before_[at(last) + 1] - working_before_[at(first)];
}

void VisitSchedule::add_own(int depth, int member, Date first, Date last, std::vector<std::int64_t>& out) const {
    const VisitPlan& visits = *plan_.visits;
    const Member& m = plan_.dimensions[static_cast<std::size_t>(visits.dimension)]
                          .members[static_cast<std::size_t>(depth)][static_cast<std::size_t>(member)];
    if (m.customers().empty()) return;
    // Cycles start in the member's first month (a rep joining in April sees the odd ones then).
    std::size_t first_month = 0;
    while (m.availability().start && first_month + 1 < months_.size() &&
           months_[first_month].last < *m.availability().start)
        ++first_month;
    for (std::size_t i = first_month; i < months_.size(); ++i) {
        const Period& month = months_[i];
        if (month.last < first || month.first > last) continue;
        // The days the month's visits fall on: the month, within the plan and the member's dates.
        Date window_first = std::max(month.first, plan_.first), window_last = std::min(month.last, plan_.last);
        if (m.availability().start) window_first = std::max(window_first, *m.availability().start);
        if (m.availability().end) window_last = std::min(window_last, *m.availability().end);
        if (window_last < window_first) continue;
        bool working = days_between(window_first, window_last, true) > 0;
        int n = days_between(window_first, window_last, working);
        Date from = std::max(first, window_first), to = std::min(last, window_last);
        int before = days_between(window_first, from - std::chrono::days{1}, working);
        int inside = days_between(from, to, working);
        for (std::size_t t = 0; t < visits.tiers.size(); ++t) {
            std::int64_t due =
                tier_visits_in_month(visits.tiers[t], m.customers()[t], static_cast<int>(i - first_month));
            out[t] += first_days(due, n, before + inside) - first_days(due, n, before);
        }
    }
}

// Calls visit(depth, index) for `member` at `depth` of the visit dimension and every member below it.
template <typename Visit>
void VisitSchedule::each_below(int depth, int member, const Visit& visit) const {
    visit(depth, member);
    const Dimension& dim = plan_.dimensions[static_cast<std::size_t>(plan_.visits->dimension)];
    for (int child : dim.members[static_cast<std::size_t>(depth)][static_cast<std::size_t>(member)].children())
        each_below(depth + 1, child, visit);
}

std::vector<std::int64_t> VisitSchedule::visits(int depth, int member, Date first, Date last) const {
    std::vector<std::int64_t> out(plan_.visits ? plan_.visits->tiers.size() : 0, 0);
    if (plan_.visits && plan_.visits->dimension >= 0)
        each_below(depth, member, [&](int d, int m) { add_own(d, m, first, last, out); });
    return out;
}

std::vector<std::int64_t> VisitSchedule::visits_all(Date first, Date last) const {
    std::vector<std::int64_t> out(plan_.visits ? plan_.visits->tiers.size() : 0, 0);
    if (!plan_.visits || plan_.visits->dimension < 0) return out;
    const Dimension& dim = plan_.dimensions[static_cast<std::size_t>(plan_.visits->dimension)];
    for (std::size_t i = 0; i < dim.members[0].size(); ++i)
        each_below(0, static_cast<int>(i), [&](int d, int m) { add_own(d, m, first, last, out); });
    return out;
}

std::vector<std::int64_t> VisitSchedule::customers(int depth, int member) const {
    std::vector<std::int64_t> out(plan_.visits ? plan_.visits->tiers.size() : 0, 0);
    if (!plan_.visits || plan_.visits->dimension < 0) return out;
    const Dimension& dim = plan_.dimensions[static_cast<std::size_t>(plan_.visits->dimension)];
    each_below(depth, member, [&](int d, int m) {
        const auto& own = dim.members[static_cast<std::size_t>(d)][static_cast<std::size_t>(m)].customers();
        for (std::size_t t = 0; t < own.size(); ++t)
            out[t] += own[t];
    });
    return out;
}

}  // namespace tgt
