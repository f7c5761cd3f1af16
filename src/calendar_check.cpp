// Whether a calendar can be trusted for a range of dates: every year covered, and which years are
// provisional. Shared by the plan reader and `tgt calendar`.

#include <fmt/format.h>

#include "tgt/plan.hpp"

namespace tgt {

namespace {

std::string json_years(const std::vector<int>& years) {
    std::string out = "[";
    for (std::size_t i = 0; i < years.size(); ++i)
        out += (i ? ", " : "") + std::to_string(years[i]);
    return out + "]";
}

std::vector<int> declared_years(const WorkCalendar& cal) {
    std::set<int> all = cal.years;
    all.insert(cal.weekends_only.begin(), cal.weekends_only.end());
    return {all.begin(), all.end()};
}

std::string coverage_hint(const WorkCalendar& cal, const std::vector<int>& missing) {
    std::string ys = format_years(missing), list = json_years(missing);
    std::vector<std::string> ways;
    if (find_builtin_calendar(cal.id))
        ways.push_back(
            fmt::format("add {}'s holidays and make-up days in a calendar that extends it "
                        "({{\"extends\": \"{}\", \"years\": {}, \"holidays\": […], \"workdays\": […]}})",
                        ys, cal.id, list));
    else
        ways.push_back(fmt::format("add {}'s holidays and make-up days to it (and {} to its \"years\")", ys, ys));
    for (const auto& b : builtin_calendars()) {
        if (b.id == cal.id) continue;
        WorkCalendar other = load_builtin_calendar(b.id);
        bool all = true;
        for (int y : missing)
            all = all && other.covers(y);
        if (all) ways.push_back(fmt::format("use the built-in \"{}\" ({})", b.id, format_years(declared_years(other))));
    }
    if (cal.id.empty())
        ways.push_back(fmt::format("add \"weekends_only\": {} to it to split {} by weekends alone", list, ys));
    else
        ways.push_back(
            fmt::format("split {} by weekends alone: \"calendar\": {{\"extends\": \"{}\", \"weekends_only\": {}}}", ys,
                        cal.id, list));
    std::string hint;
    for (std::size_t i = 0; i < ways.size(); ++i)
        hint += (i == 0 ? "" : i + 1 == ways.size() ? "; or " : "; ") + ways[i];
    return hint;
}

}  // namespace

void check_calendar_use(const WorkCalendar& cal, Date first, Date last, const PlanPlace& where, Diagnostics& problems,
                        std::string_view what) {
    std::string called = cal.id.empty() ? "the calendar" : fmt::format("calendar \"{}\"", cal.id);
    if (auto missing = cal.uncovered_years(first, last); !missing.empty()) {
        auto covered = declared_years(cal);
        problems.error(where,
                       fmt::format("{} {}, which {} does not cover (it covers {})", what, format_years(missing), called,
                                   covered.empty() ? std::string("no year") : format_years(covered)),
                       coverage_hint(cal, missing));
    }
    if (auto provisional = cal.provisional_years(first, last); !provisional.empty())
        problems.warning(where, fmt::format("the {} calendar's {} dates are provisional (not yet officially published)",
                                            cal.id.empty() ? "inline" : cal.id, format_years(provisional)));
}

}  // namespace tgt
