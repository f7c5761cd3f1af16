#pragma once
// Dates, periods (year … day) and working-day calendars.

#include <array>
#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tgt {

/// A calendar date (days since 1970-01-01).
using Date = std::chrono::sys_days;

/// Parses an ISO date "2027-03-01"; nullopt if malformed or not a real date.
std::optional<Date> parse_date(std::string_view text);
/// Formats a date as "2027-03-01".
std::string format_date(Date d);
/// ISO weekday: Monday = 1 … Sunday = 7.
int iso_weekday(Date d);

/// The time levels a plan can split by, coarse to fine.
enum class TimeLevel { year, half, quarter, month, week, day };
/// "year", "half", … as written in plans and on the command line.
std::string_view time_level_name(TimeLevel level);
std::optional<TimeLevel> parse_time_level(std::string_view name);

/// One period of a time level, clipped to a date range: [first, last], with its ISO-style label.
struct Period {
    TimeLevel level = TimeLevel::year;
    Date first{};
    Date last{};
    std::string label;  ///< 2027, 2027-H1, 2027-Q1, 2027-03, 2027-W09, 2027-03-01 (FY2027-… for fiscal years)
};

/// The natural period of `level` that contains `d`. Years, halves and quarters start in
/// `fiscal_start_month` (1 = calendar year); weeks are ISO weeks.
Period period_containing(TimeLevel level, Date d, unsigned fiscal_start_month = 1);

/// Which days are working days: weekend days, holidays, and make-up working days (调休), and which
/// years the calendar speaks for (a plan reaching any other year is an error, not a silent
/// weekends-only split).
struct WorkCalendar {
    std::array<bool, 8> weekend{false, false, false, false, false, false, true, true};  ///< by ISO weekday
    std::map<Date, std::string> holidays;  ///< date → name (may be empty)
    std::map<Date, std::string> workdays;  ///< make-up working days on weekends → name
    std::set<Date> provisional;            ///< dates not yet officially published
    std::string name;
    std::string id;               ///< how it was named: a built-in ("cn"), a file as written, or empty (inline)
    std::set<int> years;          ///< years whose holidays and make-up days it lists in full
    std::set<int> weekends_only;  ///< years it declares to have no holidays: weekends alone ("weekends_only")
    bool every_year = true;       ///< a weekly pattern without dates, or "weekends_only": true: any year is covered

    bool is_working(Date d) const;
    /// Working days in [first, last].
    int working_days(Date first, Date last) const;
    /// Whether the calendar says what `year`'s working days are (listed, weekends only, or any year).
    bool covers(int year) const;
    /// The years touching [first, last] that it does not cover, in order.
    std::vector<int> uncovered_years(Date first, Date last) const;
    /// The years touching [first, last] that have provisional holidays or make-up days, in order
    /// (a year's schedule is published as a whole: one provisional date makes every day uncertain).
    std::vector<int> provisional_years(Date first, Date last) const;
};

/// The calendar `own` on top of `base` ("extends"): `own`'s holidays and make-up days are added and
/// win over `base`'s on the same date, its weekend replaces `base`'s when `own_weekend`, and the
/// years covered are `base`'s plus those `own` declares.
WorkCalendar extend_calendar(WorkCalendar base, const WorkCalendar& own, bool own_weekend);

/// A calendar compiled into tgt (data/calendars/ID.json), named in a plan as "calendar": "ID".
struct BuiltinCalendar {
    std::string_view id;    ///< "cn"; never contains "/" or "."
    std::string_view json;  ///< the same shape as a calendar file
};
/// Every built-in calendar, by id.
std::span<const BuiltinCalendar> builtin_calendars();
/// The built-in calendar called `id`, or nullptr.
const BuiltinCalendar* find_builtin_calendar(std::string_view id);
/// Whether a calendar reference is written as a file path: it contains "/" or "\\", or ends in
/// ".json". Anything else is a built-in calendar's name (or, failing that, a file next to the plan).
bool is_calendar_path(std::string_view reference);
/// Years as people read them: "2024–2027" for a run, "2024, 2026" otherwise.
std::string format_years(const std::vector<int>& years);

}  // namespace tgt

namespace tgt {
/// Whether `key` names period `p`: its full label ("2027-Q1"), the label without the year
/// ("Q1", "03", "W09", "03-01"), or for months the month number ("3").
bool period_matches(const Period& p, std::string_view key);
/// Every period of `level` that overlaps [first, last], clipped to it, in order.
std::vector<Period> periods_between(TimeLevel level, Date first, Date last, unsigned fiscal_start_month);
}  // namespace tgt
