#include "tgt/capacity.hpp"

#include <algorithm>
#include <stdexcept>

namespace tgt {

namespace {

using namespace std::chrono;

int month_key(const year_month_day& ymd) {
    return static_cast<int>(ymd.year()) * 12 + static_cast<int>(static_cast<unsigned>(ymd.month())) - 1;
}

}  // namespace

int CapacityCalendar::working_days_of_month(int y, unsigned m) const {
    int key = y * 12 + static_cast<int>(m) - 1;
    auto it = month_days_.find(key);
    if (it != month_days_.end()) return it->second;
    Date month_first = sys_days{year{y} / month{m} / 1};
    Date month_last = sys_days{year{y} / month{m} / std::chrono::last};
    int n = calendar_.working_days(month_first, month_last);
    month_days_.emplace(key, n);
    return n;
}

Fraction CapacityCalendar::months(Date first, Date last, const Availability& a, bool with_ramp) const {
    Date from = a.start ? std::max(first, *a.start) : first;
    Date to = a.end ? std::min(last, *a.end) : last;
    Fraction total;
    if (to < from) return total;
    Date cursor = from;
    while (cursor <= to) {
        year_month_day ymd{cursor};
        Date month_first = sys_days{ymd.year() / ymd.month() / 1};
        Date month_last = sys_days{ymd.year() / ymd.month() / std::chrono::last};
        Date piece_last = std::min(month_last, to);
        int days_in_month = working_days_of_month(static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()));
        Fraction share;
        if (days_in_month > 0)
            share = Fraction(calendar_.working_days(cursor, piece_last), days_in_month);
        else
            share = Fraction((piece_last - cursor).count() + 1, (month_last - month_first).count() + 1);
        if (with_ramp && a.start && !a.ramp.empty()) {
            int tenure = tenure_month(a, cursor);
            if (tenure >= 0 && static_cast<std::size_t>(tenure) < a.ramp.size())
                share = share * Fraction::of(a.ramp[static_cast<std::size_t>(tenure)]);
        }
        total = total + share;
        cursor = piece_last + days{1};
    }
    return total;
}

Fraction CapacityCalendar::coverage(Date first, Date last, const Availability& a) const {
    if (inactive_over(a, first, last)) return Fraction(0);
    // Fast path: a period inside one calendar month that the member covers completely is worth
    // the month's ramp step (1 once ramped up). Days and whole months of a long plan are all here.
    year_month_day f{first}, l{last};
    bool one_month = f.year() == l.year() && f.month() == l.month();
    bool covered = (!a.start || *a.start <= first) && (!a.end || *a.end >= last);
    if (one_month && covered) {
        int tenure = tenure_month(a, first);
        if (a.start && tenure >= 0 && static_cast<std::size_t>(tenure) < a.ramp.size())
            return Fraction::of(a.ramp[static_cast<std::size_t>(tenure)]);
        return Fraction(1);
    }
    Fraction full = months(first, last, Availability{}, false);
    if (!full.is_zero()) return months(first, last, a, true) / full;
    Date from = a.start ? std::max(first, *a.start) : first;
    Date to = a.end ? std::min(last, *a.end) : last;
    if (to < from) return Fraction(0);
    Fraction share((to - from).count() + 1, (last - first).count() + 1);
    int tenure = tenure_month(a, from);
    if (a.start && tenure >= 0 && static_cast<std::size_t>(tenure) < a.ramp.size())
        share = share * Fraction::of(a.ramp[static_cast<std::size_t>(tenure)]);
    return share;
}

Fraction CapacityCalendar::active_share(Date first, Date last, const Availability& a, bool capacity_weighted) const {
    if (last < first || !limited_within(a, first, last)) return Fraction(1);
    Fraction ramped = months(first, last, a, true);
    Fraction whole = capacity_weighted ? months(first, last, a, false) : months(first, last, Availability{}, false);
    if (whole.is_zero()) return Fraction(capacity_weighted ? 1 : 0);
    return ramped / whole;
}

std::pair<Date, Date> active_window(const Availability& a, Date first, Date last) {
    return {a.start ? std::max(first, *a.start) : first, a.end ? std::min(last, *a.end) : last};
}

bool limited_within(const Availability& a, Date first, Date last) {
    return (a.start && *a.start > first) || (a.end && *a.end < last) || !a.ramp.empty();
}

int tenure_month(const Availability& a, Date d) {
    if (!a.start) return 0;
    return month_key(year_month_day{d}) - month_key(year_month_day{*a.start});
}

bool steady_over(const Availability& a, Date first, Date last) {
    if (a.start && *a.start > first) return false;
    if (a.end && *a.end < last) return false;
    return !(a.start && tenure_month(a, first) < static_cast<int>(a.ramp.size()));
}

bool inactive_over(const Availability& a, Date first, Date last) {
    return (a.start && *a.start > last) || (a.end && *a.end < first);
}

Minor grown_amount(Minor baseline, const Decimal& growth, Minor quantum) {
    Fraction factor = Fraction(1) + Fraction::of(growth);
    if (factor.num < 0) throw std::domain_error("growth below -100% gives a negative amount");
    return round_to_quantum(Fraction(baseline) * factor, quantum);
}

}  // namespace tgt
