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
    int tenure_base = a.start ? month_key(year_month_day{*a.start}) : 0;
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
            int tenure = month_key(ymd) - tenure_base;
            if (tenure >= 0 && static_cast<std::size_t>(tenure) < a.ramp.size())
                share = share * Fraction::of(a.ramp[static_cast<std::size_t>(tenure)]);
        }
        total = total + share;
        cursor = piece_last + days{1};
    }
    return total;
}

Minor grown_amount(Minor baseline, const Decimal& growth_percent, Minor quantum) {
    Fraction factor = Fraction(1) + Fraction::of(growth_percent) * Fraction(1, 100);
    if (factor.num < 0) throw std::domain_error("growth below -100% gives a negative amount");
    return round_to_quantum(Fraction(baseline) * factor, quantum);
}

}  // namespace tgt
