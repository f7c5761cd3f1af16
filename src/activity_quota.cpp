// Activity quotas: whole counts per person, spread over working days so that every sum is exact.

#include "tgt/activity_quota.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "tgt/plan.hpp"

namespace tgt {

std::string_view quota_per_name(QuotaPer per) {
    switch (per) {
        case QuotaPer::working_day:
            return "working day";
        case QuotaPer::week:
            return "week";
        case QuotaPer::month:
            return "month";
    }
    return "working day";
}

std::int64_t first_days_share(std::int64_t count, int n, int k) {
    if (n <= 0) return 0;
    return (2 * count * k + n) / (2 * static_cast<std::int64_t>(n));
}

QuotaSchedule::QuotaSchedule(const Plan& plan)
    : plan_(plan),
      weeks_(periods_between(TimeLevel::week, plan.first, plan.last, plan.fiscal_start_month)),
      months_(periods_between(TimeLevel::month, plan.first, plan.last, plan.fiscal_start_month)) {
    // Whole weeks and months: a plan starting on a Wednesday owes that week's Wednesday to Friday.
    for (auto* periods : {&weeks_, &months_}) {
        if (periods->empty()) continue;
        periods->front() = period_containing(periods->front().level, plan.first, plan.fiscal_start_month);
        periods->back() = period_containing(periods->back().level, plan.last, plan.fiscal_start_month);
    }
    working_before_.push_back(0);
    for (Date d = plan.first; d <= plan.last; d += std::chrono::days{1})
        working_before_.push_back(working_before_.back() + (plan.calendar.is_working(d) ? 1 : 0));
}

int QuotaSchedule::working_days(Date first, Date last) const {
    if (last < first) return 0;
    int outside = 0;  // the days of a week or month at the plan's edges that lie outside it
    if (first < plan_.first)
        outside += plan_.calendar.working_days(first, std::min(last, plan_.first - std::chrono::days{1}));
    if (last > plan_.last)
        outside += plan_.calendar.working_days(std::max(first, plan_.last + std::chrono::days{1}), last);
    first = std::max(first, plan_.first);
    last = std::min(last, plan_.last);
    if (last < first) return outside;
    auto at = [&](Date d) { return static_cast<std::size_t>((d - plan_.first).count()); };
    return outside + working_before_[at(last) + 1] - working_before_[at(first)];
}

int QuotaSchedule::active_working_days(const Member& person, Date first, Date last) const {
    first = std::max(first, plan_.first);
    last = std::min(last, plan_.last);
    if (person.availability().start) first = std::max(first, *person.availability().start);
    if (person.availability().end) last = std::min(last, *person.availability().end);
    return working_days(first, last);
}

std::int64_t QuotaSchedule::own(const ActivityQuota& q, const Member& person, Date first, Date last) const {
    first = std::max(first, plan_.first);
    last = std::min(last, plan_.last);
    if (person.availability().start) first = std::max(first, *person.availability().start);
    if (person.availability().end) last = std::min(last, *person.availability().end);
    if (last < first) return 0;
    if (q.per == QuotaPer::working_day) return q.count * working_days(first, last);
    const auto& periods = q.per == QuotaPer::week ? weeks_ : months_;
    auto it =
        std::lower_bound(periods.begin(), periods.end(), first, [](const Period& p, Date d) { return p.last < d; });
    std::int64_t total = 0;
    for (; it != periods.end() && it->first <= last; ++it) {
        int n = working_days(it->first, it->last);
        Date from = std::max(first, it->first), to = std::min(last, it->last);
        int before = working_days(it->first, from - std::chrono::days{1});
        int inside = working_days(from, to);
        total += first_days_share(q.count, n, before + inside) - first_days_share(q.count, n, before);
    }
    return total;
}

std::int64_t QuotaSchedule::count(std::size_t quota, int depth, int member, Date first, Date last) const {
    const ActivityQuota& q = plan_.activities[quota];
    if (depth > q.depth) return 0;
    const Dimension& dim = plan_.dimensions[static_cast<std::size_t>(q.dimension)];
    const Member& m = dim.members[static_cast<std::size_t>(depth)][static_cast<std::size_t>(member)];
    if (m.placeholder || m.unassigned) return 0;
    if (depth == q.depth) return own(q, m, first, last);
    std::int64_t total = 0;
    for (int child : m.children())
        total += count(quota, depth + 1, child, first, last);
    return total;
}

std::int64_t QuotaSchedule::count_all(std::size_t quota, Date first, Date last) const {
    const ActivityQuota& q = plan_.activities[quota];
    const Dimension& dim = plan_.dimensions[static_cast<std::size_t>(q.dimension)];
    std::int64_t total = 0;
    for (std::size_t i = 0; i < dim.members[0].size(); ++i)
        total += count(quota, 0, static_cast<int>(i), first, last);
    return total;
}

QuotaColumns::QuotaColumns(const Plan& plan, const std::vector<std::string>& key_columns, std::size_t dimension_keys)
    : plan_(plan), schedule_(plan), shown_(plan.activities.size()), ids_(plan.dimensions.size()) {
    std::vector<int> id_depth(plan.dimensions.size(), -1);
    for (std::size_t a = 0; a < plan.activities.size(); ++a) {
        const ActivityQuota& q = plan.activities[a];
        const Dimension& dim = plan.dimensions[static_cast<std::size_t>(q.dimension)];
        Shown shown;
        bool fits = true;
        for (std::size_t k = 0; k < dimension_keys && fits; ++k) {
            auto level = std::find(dim.levels.begin(), dim.levels.end(), key_columns[k]);
            fits = level != dim.levels.end() && level - dim.levels.begin() <= q.depth;
            int depth = static_cast<int>(level - dim.levels.begin());
            if (fits && depth > shown.depth) shown = Shown{static_cast<int>(k), depth};
        }
        if (!fits) continue;
        quotas_.push_back(a);
        shown_[a] = shown;
        if (shown.depth >= 0) id_depth[static_cast<std::size_t>(q.dimension)] = shown.depth;
    }
    for (std::size_t d = 0; d < plan.dimensions.size(); ++d) {
        if (id_depth[d] < 0) continue;
        const auto& members = plan.dimensions[d].members[static_cast<std::size_t>(id_depth[d])];
        for (std::size_t i = 0; i < members.size(); ++i)
            ids_[d].emplace(members[i].id, static_cast<int>(i));
    }
}

std::int64_t QuotaColumns::count(std::size_t quota, std::span<const std::string_view> keys, Date first,
                                 Date last) const {
    const Shown& shown = shown_[quota];
    if (shown.key < 0) return schedule_.count_all(quota, first, last);
    const auto& ids = ids_[static_cast<std::size_t>(plan_.activities[quota].dimension)];
    auto it = ids.find(keys[static_cast<std::size_t>(shown.key)]);
    if (it == ids.end()) return 0;
    return schedule_.count(quota, shown.depth, it->second, first, last);
}

namespace {

// The period a cell names ("2027-09", "2027-W37", "2027-Q3"…), or the whole plan.
Period cell_period(const Plan& plan, const std::vector<Filter>& cell) {
    for (const auto& f : cell) {
        if (f.level != "period") continue;
        for (auto level :
             {TimeLevel::month, TimeLevel::week, TimeLevel::quarter, TimeLevel::half, TimeLevel::year, TimeLevel::day})
            for (const auto& p : periods_between(level, plan.first, plan.last, plan.fiscal_start_month))
                if (p.label == f.value) return p;
        throw Error::usage(fmt::format("period={}: not a period of the plan ({} … {})", f.value,
                                       format_date(plan.first), format_date(plan.last)),
                           "e.g. period=2027-09, 2027-W37 or 2027-Q3");
    }
    Period whole;
    whole.first = plan.first;
    whole.last = plan.last;
    whole.label = "(all)";
    return whole;
}

// The people (members at the quota's depth) a cell names: below its deepest member, or all.
std::vector<int> cell_people(const Plan& plan, const ActivityQuota& q, const std::vector<Filter>& cell) {
    const Dimension& dim = plan.dimensions[static_cast<std::size_t>(q.dimension)];
    int depth = -1, member = -1;
    for (const auto& f : cell) {
        if (f.level == "period") continue;
        auto level = std::find(dim.levels.begin(), dim.levels.end(), f.level);
        if (level == dim.levels.end() || level - dim.levels.begin() > q.depth)
            throw Error::usage(fmt::format("{}={}: activity \"{}\" is owed by the members of \"{}\" down to \"{}\"",
                                           f.level, f.value, q.id, dim.id,
                                           dim.levels[static_cast<std::size_t>(q.depth)]));
        int d = static_cast<int>(level - dim.levels.begin());
        const auto& members = dim.members[static_cast<std::size_t>(d)];
        auto it = std::find_if(members.begin(), members.end(), [&](const Member& m) { return m.id == f.value; });
        if (it == members.end()) {
            std::vector<std::string> ids;
            for (const auto& m : members)
                ids.push_back(m.id.str());
            std::string guess = did_you_mean(f.value, ids);
            throw Error::usage(fmt::format("{}={}: no such {}", f.level, f.value, f.level),
                               guess.empty() ? std::string() : fmt::format("did you mean \"{}\"?", guess));
        }
        if (d > depth) std::tie(depth, member) = std::pair{d, static_cast<int>(it - members.begin())};
    }
    std::vector<int> out;
    auto below = [&](auto&& self, int d, int m) -> void {
        if (d == q.depth) {
            out.push_back(m);
            return;
        }
        for (int child : dim.members[static_cast<std::size_t>(d)][static_cast<std::size_t>(m)].children())
            self(self, d + 1, child);
    };
    if (depth >= 0)
        below(below, depth, member);
    else
        for (std::size_t i = 0; i < dim.members[0].size(); ++i)
            below(below, 0, static_cast<int>(i));
    return out;
}

}  // namespace

QuotaExplanation explain_quota(const Plan& plan, std::size_t quota, const std::vector<Filter>& cell) {
    const ActivityQuota& q = plan.activities[quota];
    const Dimension& dim = plan.dimensions[static_cast<std::size_t>(q.dimension)];
    const Period period = cell_period(plan, cell);
    QuotaSchedule schedule(plan);
    QuotaExplanation x;
    x.table.columns = {Column{dim.levels[static_cast<std::size_t>(q.depth)], false, 0}, Column{"period", false, 0},
                       Column{"rule", false, 0}, Column{q.id, true, 0, true, false, false}};
    auto add = [&](const Member& person, const std::string& label, std::string rule, std::int64_t count) {
        x.table.rows.push_back({TableCell{person.id.str(), 0, true}, TableCell{label, 0, true},
                                TableCell{std::move(rule), 0, true}, TableCell{{}, count, true}});
        x.total += count;
    };
    for (int index : cell_people(plan, q, cell)) {
        const Member& person = dim.members[static_cast<std::size_t>(q.depth)][static_cast<std::size_t>(index)];
        if (person.placeholder || person.unassigned) continue;
        std::string dates;
        if (person.availability().start && *person.availability().start > period.first)
            dates += fmt::format(" from {}", format_date(*person.availability().start));
        if (person.availability().end && *person.availability().end < period.last)
            dates += fmt::format(" to {}", format_date(*person.availability().end));
        if (q.per == QuotaPer::working_day) {
            int days = schedule.active_working_days(person, period.first, period.last);
            add(person, period.label,
                fmt::format("{} × {} working day{}{}", q.count, days, days == 1 ? "" : "s",
                            dates.empty() ? "" : " (" + dates.substr(1) + ")"),
                schedule.count(quota, q.depth, index, period.first, period.last));
            continue;
        }
        TimeLevel level = q.per == QuotaPer::week ? TimeLevel::week : TimeLevel::month;
        for (const auto& p : periods_between(level, period.first, period.last, plan.fiscal_start_month)) {
            Period whole = period_containing(level, p.first, plan.fiscal_start_month);
            int n = plan.calendar.working_days(whole.first, whole.last);
            int mine = schedule.active_working_days(person, p.first, p.last);
            if (mine == 0) continue;  // not active then: nothing owed, nothing to explain
            std::string why = person.availability().start && *person.availability().start > p.first
                                  ? fmt::format("from {}", format_date(*person.availability().start))
                              : person.availability().end && *person.availability().end < p.last
                                  ? fmt::format("to {}", format_date(*person.availability().end))
                                  : fmt::format("{} … {}", format_date(p.first), format_date(p.last));
            std::string rule = mine == n ? fmt::format("{} a {}, {} working days", q.count, quota_per_name(q.per), n)
                                         : fmt::format("{} a {}, {} of its {} working days ({})", q.count,
                                                       quota_per_name(q.per), mine, n, why);
            add(person, whole.label, std::move(rule), schedule.count(quota, q.depth, index, p.first, p.last));
        }
    }
    std::string who;
    for (const auto& f : cell)
        who += fmt::format("{}{}={}", who.empty() ? "" : ", ", f.level, f.value);
    x.heading = fmt::format("{}{} ({} a {} per {}){}: {}\n\n", q.id, q.name.empty() ? "" : " " + q.name, q.count,
                            quota_per_name(q.per), dim.levels[static_cast<std::size_t>(q.depth)],
                            who.empty() ? "" : " for " + who, x.total);
    return x;
}

}  // namespace tgt
