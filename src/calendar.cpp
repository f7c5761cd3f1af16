#include "tgt/calendar.hpp"

#include <fmt/format.h>

namespace tgt {

using namespace std::chrono;

std::optional<Date> parse_date(std::string_view t) {
    if (t.size() != 10 || t[4] != '-' || t[7] != '-') return std::nullopt;
    auto digits = [&](std::size_t pos, std::size_t len) -> int {
        int v = 0;
        for (std::size_t i = pos; i < pos + len; ++i) {
            if (t[i] < '0' || t[i] > '9') return -1;
            v = v * 10 + (t[i] - '0');
        }
        return v;
    };
    int y = digits(0, 4), m = digits(5, 2), d = digits(8, 2);
    if (y < 0 || m < 0 || d < 0) return std::nullopt;
    year_month_day ymd{year{y}, month{static_cast<unsigned>(m)}, day{static_cast<unsigned>(d)}};
    if (!ymd.ok()) return std::nullopt;
    return sys_days{ymd};
}

std::string format_date(Date d) {
    year_month_day ymd{d};
    return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                       static_cast<unsigned>(ymd.day()));
}

int iso_weekday(Date d) {
    return static_cast<int>(weekday{d}.iso_encoding());
}

std::string_view time_level_name(TimeLevel level) {
    switch (level) {
        case TimeLevel::year:
            return "year";
        case TimeLevel::half:
            return "half";
        case TimeLevel::quarter:
            return "quarter";
        case TimeLevel::month:
            return "month";
        case TimeLevel::week:
            return "week";
        case TimeLevel::day:
            return "day";
    }
    return "?";
}

std::optional<TimeLevel> parse_time_level(std::string_view name) {
    for (auto level :
         {TimeLevel::year, TimeLevel::half, TimeLevel::quarter, TimeLevel::month, TimeLevel::week, TimeLevel::day})
        if (time_level_name(level) == name) return level;
    return std::nullopt;
}

namespace {

// The first day of the fiscal block of `months_per_block` months containing d.
Date block_start(Date d, unsigned fiscal_start_month, unsigned months_per_block, int* fiscal_year, int* index) {
    year_month_day ymd{d};
    int y = static_cast<int>(ymd.year());
    int m = static_cast<int>(static_cast<unsigned>(ymd.month()));
    int offset = (m - static_cast<int>(fiscal_start_month) + 12) % 12;  // months since the fiscal year began
    int fy = m >= static_cast<int>(fiscal_start_month) ? y : y - 1;
    int block = offset / static_cast<int>(months_per_block);
    *fiscal_year = fy;
    *index = block + 1;
    year_month start = year{fy} / month{fiscal_start_month} + months{block * static_cast<int>(months_per_block)};
    return sys_days{start / day{1}};
}

std::string year_label(int fiscal_year, unsigned fiscal_start_month) {
    return fiscal_start_month == 1 ? fmt::format("{}", fiscal_year) : fmt::format("FY{}", fiscal_year);
}

}  // namespace

Period period_containing(TimeLevel level, Date d, unsigned fiscal_start_month) {
    Period p;
    p.level = level;
    int fy = 0, index = 0;
    switch (level) {
        case TimeLevel::year:
        case TimeLevel::half:
        case TimeLevel::quarter: {
            unsigned months_per = level == TimeLevel::year ? 12 : level == TimeLevel::half ? 6 : 3;
            p.first = block_start(d, fiscal_start_month, months_per, &fy, &index);
            year_month_day f{p.first};
            year_month next = year_month{f.year(), f.month()} + months{static_cast<int>(months_per)};
            p.last = sys_days{next / day{1}} - days{1};
            p.label = year_label(fy, fiscal_start_month);
            if (level == TimeLevel::half) p.label += fmt::format("-H{}", index);
            if (level == TimeLevel::quarter) p.label += fmt::format("-Q{}", index);
            break;
        }
        case TimeLevel::month: {
            year_month_day ymd{d};
            p.first = sys_days{ymd.year() / ymd.month() / day{1}};
            p.last = sys_days{ymd.year() / ymd.month() / last};
            p.label = format_date(p.first).substr(0, 7);
            break;
        }
        case TimeLevel::week: {
            p.first = d - days{iso_weekday(d) - 1};
            p.last = p.first + days{6};
            // The ISO week-year is the year of the week's Thursday.
            Date thursday = p.first + days{3};
            year_month_day th{thursday};
            Date jan1 = sys_days{th.year() / January / 1};
            int week = static_cast<int>((thursday - jan1).count() / 7 + 1);
            p.label = fmt::format("{}-W{:02}", static_cast<int>(th.year()), week);
            break;
        }
        case TimeLevel::day:
            p.first = p.last = d;
            p.label = format_date(d);
            break;
    }
    return p;
}

bool WorkCalendar::is_working(Date d) const {
    if (workdays.count(d)) return true;
    if (holidays.count(d)) return false;
    return !weekend[static_cast<std::size_t>(iso_weekday(d))];
}

int WorkCalendar::working_days(Date first, Date last) const {
    int n = 0;
    for (Date d = first; d <= last; d += days{1})
        n += is_working(d) ? 1 : 0;
    return n;
}

namespace {

int year_of(Date d) {
    return static_cast<int>(year_month_day{d}.year());
}

}  // namespace

bool WorkCalendar::covers(int y) const {
    return every_year || years.count(y) > 0 || weekends_only.count(y) > 0;
}

std::vector<int> WorkCalendar::uncovered_years(Date first, Date last) const {
    std::vector<int> out;
    if (last < first) return out;
    for (int y = year_of(first); y <= year_of(last); ++y)
        if (!covers(y)) out.push_back(y);
    return out;
}

std::vector<int> WorkCalendar::provisional_years(Date first, Date last) const {
    std::vector<int> out;
    if (last < first) return out;
    for (int y = year_of(first); y <= year_of(last); ++y) {
        auto it = provisional.lower_bound(sys_days{year{y} / January / 1});
        if (it != provisional.end() && *it <= sys_days{year{y} / December / 31}) out.push_back(y);
    }
    return out;
}

WorkCalendar extend_calendar(WorkCalendar base, const WorkCalendar& own, bool own_weekend) {
    if (own_weekend) base.weekend = own.weekend;
    auto take = [&](const std::map<Date, std::string>& from, std::map<Date, std::string>& into,
                    std::map<Date, std::string>& other) {
        for (const auto& [d, name] : from) {
            other.erase(d);
            into[d] = name;
            if (own.provisional.count(d))
                base.provisional.insert(d);
            else
                base.provisional.erase(d);
        }
    };
    take(own.holidays, base.holidays, base.workdays);
    take(own.workdays, base.workdays, base.holidays);
    if (!own.name.empty()) base.name = own.name;
    if (!own.id.empty()) base.id = own.id;
    base.years.insert(own.years.begin(), own.years.end());
    base.weekends_only.insert(own.weekends_only.begin(), own.weekends_only.end());
    base.every_year = base.every_year || own.every_year;
    return base;
}

const BuiltinCalendar* find_builtin_calendar(std::string_view id) {
    for (const auto& b : builtin_calendars())
        if (b.id == id) return &b;
    return nullptr;
}

bool is_calendar_path(std::string_view reference) {
    if (reference.find('/') != std::string_view::npos || reference.find('\\') != std::string_view::npos) return true;
    return reference.size() >= 5 && reference.substr(reference.size() - 5) == ".json";
}

std::string format_years(const std::vector<int>& list) {
    bool run = list.size() > 2;
    for (std::size_t i = 1; i < list.size(); ++i)
        run = run && list[i] == list[i - 1] + 1;
    if (run) return fmt::format("{}–{}", list.front(), list.back());
    std::string out;
    for (int y : list)
        out += (out.empty() ? "" : ", ") + std::to_string(y);
    return out;
}

}  // namespace tgt

namespace tgt {

bool period_matches(const Period& p, std::string_view key) {
    if (key == p.label) return true;
    std::string_view label = p.label;
    if (auto dash = label.find('-'); dash != std::string_view::npos && key == label.substr(dash + 1)) return true;
    if (p.level == TimeLevel::month) {
        std::string_view mm = label.substr(label.size() - 2);
        if (key.size() == 1 && mm[0] == '0' && key[0] == mm[1]) return true;
    }
    return false;
}

std::vector<Period> periods_between(TimeLevel level, Date first, Date last, unsigned fiscal_start_month) {
    std::vector<Period> out;
    for (Date d = first; d <= last;) {
        Period p = period_containing(level, d, fiscal_start_month);
        p.first = std::max(p.first, first);
        p.last = std::min(p.last, last);
        d = p.last + std::chrono::days{1};
        out.push_back(std::move(p));
    }
    return out;
}

}  // namespace tgt
