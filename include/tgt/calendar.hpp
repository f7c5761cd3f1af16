#pragma once
// Dates, periods (year … day) and working-day calendars.

#include <array>
#include <chrono>
#include <map>
#include <optional>
#include <set>
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

/// Which days are working days: weekend days, holidays, and make-up working days (调休).
struct WorkCalendar {
    std::array<bool, 8> weekend{false, false, false, false, false, false, true, true};  ///< by ISO weekday
    std::map<Date, std::string> holidays;  ///< date → name (may be empty)
    std::map<Date, std::string> workdays;  ///< make-up working days on weekends → name
    std::set<Date> provisional;            ///< dates not yet officially published
    std::string name;

    bool is_working(Date d) const;
    /// Working days in [first, last].
    int working_days(Date first, Date last) const;
};

}  // namespace tgt

namespace tgt {
/// Whether `key` names period `p`: its full label ("2027-Q1"), the label without the year
/// ("Q1", "03", "W09", "03-01"), or for months the month number ("3").
bool period_matches(const Period& p, std::string_view key);
/// Every period of `level` that overlaps [first, last], clipped to it, in order.
std::vector<Period> periods_between(TimeLevel level, Date first, Date last, unsigned fiscal_start_month);
}  // namespace tgt
