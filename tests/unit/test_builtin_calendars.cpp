// The built-in calendars against the State Council's notices (typed here, not read from the shipped
// file), and what a calendar covers: years, weekends_only, extends, names and paths.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <set>

#include "plan_problems.hpp"
#include "temp_dir.hpp"
#include "tgt/calendar.hpp"
#include "tgt/plan.hpp"

using namespace tgt;

namespace {

Date d(const std::string& s) {
    auto date = parse_date(s);
    REQUIRE(date);
    return *date;
}

// "2024-02-10..2024-02-17" or a single date, expanded.
std::set<Date> dates(std::initializer_list<std::string> items) {
    std::set<Date> out;
    for (const auto& item : items) {
        auto dots = item.find("..");
        Date first = d(item.substr(0, 10)), last = dots == std::string::npos ? first : d(item.substr(dots + 2));
        for (Date x = first; x <= last; x += std::chrono::days{1})
            out.insert(x);
    }
    return out;
}

template <typename Map>
std::set<Date> keys(const Map& m) {
    std::set<Date> out;
    for (const auto& [k, v] : m)
        out.insert(k);
    return out;
}

std::vector<int> months_working_days(const WorkCalendar& cal, int year) {
    std::vector<int> out;
    for (const auto& p :
         periods_between(TimeLevel::month, d(std::to_string(year) + "-01-01"), d(std::to_string(year) + "-12-31"), 1))
        out.push_back(cal.working_days(p.first, p.last));
    return out;
}

std::vector<Diagnostic> problems_of(const std::string& text, const std::string& file = "plan.json",
                                    std::vector<Diagnostic>* warnings = nullptr) {
    try {
        Plan plan = parse_plan(text, file);
        if (warnings) *warnings = plan.warnings;
    } catch (const Error& e) {
        return e.diagnostics();
    }
    return {};
}

std::string plan_on(const std::string& calendar, const std::string& period = "\"2026\"") {
    return R"({"period": )" + period + R"(, "calendar": )" + calendar +
           R"(, "metrics": [{"id": "revenue", "total": "1.2亿"}], "split": [{"level": "month", "by": "working_days"}]})";
}

// A folder of its own for tests that need files next to a plan.
struct TempDir {
    test::TempDir dir;  // unique, removed at the end
    std::filesystem::path path;
    explicit TempDir(const std::string& name) : dir(name + "-"), path(dir.path()) {}
    std::string write(const std::string& name, const std::string& text) const {
        std::ofstream(path / name) << text;
        return (path / name).string();
    }
};

}  // namespace

TEST_CASE("the built-in cn calendar lists exactly the State Council's holidays") {
    // 国务院办公厅关于2024年、2025年、2026年部分节假日安排的通知; 2027 is provisional.
    auto expected =
        dates({// 2024
               "2024-01-01", "2024-02-10..2024-02-17", "2024-04-04..2024-04-06", "2024-05-01..2024-05-05", "2024-06-10",
               "2024-09-15..2024-09-17", "2024-10-01..2024-10-07",
               // 2025
               "2025-01-01", "2025-01-28..2025-02-04", "2025-04-04..2025-04-06", "2025-05-01..2025-05-05",
               "2025-05-31..2025-06-02", "2025-10-01..2025-10-08",
               // 2026
               "2026-01-01..2026-01-03", "2026-02-15..2026-02-23", "2026-04-04..2026-04-06", "2026-05-01..2026-05-05",
               "2026-06-19..2026-06-21", "2026-09-25..2026-09-27", "2026-10-01..2026-10-07",
               // 2027 (provisional)
               "2027-01-01..2027-01-03", "2027-02-05..2027-02-12", "2027-04-03..2027-04-05", "2027-05-01..2027-05-05",
               "2027-06-09", "2027-09-15", "2027-10-01..2027-10-07"});
    WorkCalendar cn = load_builtin_calendar("cn");
    CHECK(keys(cn.holidays) == expected);
}

TEST_CASE("the built-in cn calendar lists exactly the State Council's make-up working days") {
    auto expected = dates({// 2024
                           "2024-02-04", "2024-02-18", "2024-04-07", "2024-04-28", "2024-05-11", "2024-09-14",
                           "2024-09-29", "2024-10-12",
                           // 2025
                           "2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11",
                           // 2026
                           "2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10",
                           // 2027 (provisional)
                           "2027-01-31", "2027-02-20", "2027-04-25", "2027-05-08", "2027-09-26", "2027-10-09"});
    WorkCalendar cn = load_builtin_calendar("cn");
    CHECK(keys(cn.workdays) == expected);
    // Make-up days are weekends made working days: every one is a Saturday or a Sunday.
    for (Date x : expected)
        CHECK(iso_weekday(x) >= 6);
}

TEST_CASE("the built-in cn calendar marks 2027 and only 2027 provisional") {
    WorkCalendar cn = load_builtin_calendar("cn");
    CHECK(cn.years == std::set<int>{2024, 2025, 2026, 2027});
    std::set<Date> dated_2027;
    for (const auto* m : {&cn.holidays, &cn.workdays})
        for (const auto& [x, name] : *m)
            if (x >= d("2027-01-01")) dated_2027.insert(x);
    CHECK(cn.provisional == dated_2027);
    CHECK(cn.provisional_years(d("2024-01-01"), d("2026-12-31")).empty());
    CHECK(cn.provisional_years(d("2026-01-01"), d("2027-03-31")) == std::vector<int>{2027});
}

TEST_CASE("cn gives 2026 the official 248 working days month by month") {
    // January: 22 weekdays − 1-01, 1-02 off + Sunday 1-04 worked = 21; February: 20 weekdays − 2-16…2-20
    // and 2-23 off + Saturdays 2-14 and 2-28 worked = 16; October: 22 weekdays − 10-01, 02, 05, 06, 07
    // off + Saturday 10-10 worked = 18 …
    WorkCalendar cn = load_builtin_calendar("cn");
    CHECK(months_working_days(cn, 2026) == std::vector<int>{21, 16, 22, 21, 19, 21, 23, 21, 22, 18, 21, 23});
    CHECK(cn.working_days(d("2026-01-01"), d("2026-12-31")) == 248);
}

TEST_CASE("cn gives 2025 the official 248 working days month by month") {
    // Weekdays per month, minus holidays on weekdays, plus make-up days:
    // Jan 23 − (1-01, 1-28…1-31) + 1-26 = 19; Feb 20 − (2-03, 2-04) + 2-08 = 19; Mar 21;
    // Apr 22 − 4-04 + 4-27 = 22; May 22 − (5-01, 5-02, 5-05) = 19; Jun 21 − 6-02 = 20; Jul 23; Aug 21;
    // Sep 22 + 9-28 = 23; Oct 23 − (10-01…10-03, 10-06…10-08) + 10-11 = 18; Nov 20; Dec 23. Total 248.
    WorkCalendar cn = load_builtin_calendar("cn");
    CHECK(months_working_days(cn, 2025) == std::vector<int>{19, 19, 21, 22, 19, 20, 23, 21, 23, 18, 20, 23});
    CHECK(cn.working_days(d("2025-01-01"), d("2025-12-31")) == 248);
}

TEST_CASE("built-in names and file paths are told apart by their form") {
    CHECK(is_calendar_path("china-2027.json"));
    CHECK(is_calendar_path("calendars/cn"));
    CHECK(is_calendar_path("./cn"));
    CHECK_FALSE(is_calendar_path("cn"));
    for (const auto& b : builtin_calendars()) {
        CHECK_FALSE(is_calendar_path(b.id));
        CHECK(b.id.find('.') == std::string_view::npos);
    }
    CHECK(find_builtin_calendar("cn"));
    CHECK_FALSE(find_builtin_calendar("china"));
}

TEST_CASE("a plan on cn splits 2026 by the official working days") {
    std::vector<Diagnostic> warnings;
    CHECK(problems_of(plan_on("\"cn\""), "plan.json", &warnings).empty());
    CHECK(warnings.empty());  // 2026 is official: no provisional warning
    Plan plan = parse_plan(plan_on("\"cn\""), "plan.json");
    CHECK(plan.calendar.working_days(d("2026-02-01"), d("2026-02-28")) == 16);
}

TEST_CASE("a plan reaching a year its calendar does not cover is an error") {
    // The calendar lists 2027 only (its years inferred from its dates): a 2026 plan fails.
    auto only_2027 = R"({"holidays": [{"from": "2027-10-01", "to": "2027-10-07"}]})";
    auto ds = problems_of(plan_on(only_2027));
    REQUIRE(ds.size() == 1);
    CHECK(ds[0].message == "the plan's period reaches 2026, which the calendar does not cover (it covers 2027)");
    CHECK(ds[0].where.pointer == "/calendar");
    CHECK(mentions(ds, "\"weekends_only\": [2026]"));
    CHECK(mentions(ds, "use the built-in \"cn\" (2024–2027)"));
    // A fiscal year on cn that runs into 2028.
    ds = problems_of(plan_on("\"cn\"", R"({"year": 2027, "fiscal_year_start": 4})"));
    REQUIRE(ds.size() == 2);  // and the warning that 2027 is provisional
    CHECK(ds[0].severity == Severity::error);
    CHECK(ds[0].message ==
          "the plan's period reaches 2028, which calendar \"cn\" does not cover (it covers 2024–2027)");
    CHECK(mentions(ds, R"("calendar": {"extends": "cn", "weekends_only": [2028]})"));
}

TEST_CASE("weekends_only says a year has no holidays") {
    auto cal = R"({"holidays": ["2027-10-01"], "years": [2027], "weekends_only": [2026]})";
    CHECK(problems_of(plan_on(cal)).empty());
    Plan plan = parse_plan(plan_on(cal), "plan.json");
    // February 2026 by weekends alone: 28 days − 8 weekend days = 20.
    CHECK(plan.calendar.working_days(d("2026-02-01"), d("2026-02-28")) == 20);
    CHECK(problems_of(plan_on(R"({"holidays": ["2027-10-01"], "weekends_only": true})")).empty());
    CHECK(mentions(problems_of(plan_on(R"({"years": [2026], "weekends_only": [2026]})")), "is in \"years\""));
    CHECK(mentions(problems_of(plan_on(R"({"weekends_only": "2026"})")), "a list of years or true"));
    CHECK(mentions(problems_of(plan_on(R"({"extends": "cn", "weekends_only": [2026]})")),
                   "2026 is in \"years\" of the calendar it extends"));
}

TEST_CASE("a calendar without dates is a weekly pattern for any year") {
    CHECK(problems_of(plan_on(R"({"weekend": [7]})")).empty());
    CHECK(problems_of(plan_on("{}")).empty());
    // …unless it lists the years it speaks for.
    CHECK(mentions(problems_of(plan_on(R"({"weekend": [7], "years": [2027]})")), "reaches 2026"));
}

TEST_CASE("a calendar extends cn with company days") {
    // A company day off on a working Monday, and a 调休 Saturday the company does not work.
    auto cal = R"({"extends": "cn", "holidays": ["2026-03-09", "2026-02-28"], "workdays": ["2026-03-14"]})";
    std::vector<Diagnostic> warnings;
    REQUIRE(problems_of(plan_on(cal), "plan.json", &warnings).empty());
    CHECK(warnings.empty());
    Plan plan = parse_plan(plan_on(cal), "plan.json");
    // February: cn's 16 − the Saturday 2-28 the company keeps off = 15; March: 22 − 3-09 + 3-14 = 22.
    CHECK(plan.calendar.working_days(d("2026-02-01"), d("2026-02-28")) == 15);
    CHECK(plan.calendar.working_days(d("2026-03-01"), d("2026-03-31")) == 22);
    CHECK(plan.calendar.working_days(d("2026-01-01"), d("2026-12-31")) == 248 - 2 + 1);
    CHECK(plan.calendar.years == std::set<int>{2024, 2025, 2026, 2027});
    CHECK(plan.calendar.id == "cn");
    // Its own dates do not claim a year cn lacks: a 2028 company day is outside, and 2028 uncovered.
    auto beyond = R"({"extends": "cn", "holidays": ["2028-03-08"]})";
    auto ds = problems_of(plan_on(beyond, "\"2028\""));
    CHECK(mentions(ds, "reaches 2028"));
    CHECK(mentions(ds, "2028 is outside the years this calendar covers (2024–2027)"));
    // Saying so covers it.
    CHECK(
        problems_of(plan_on(R"({"extends": "cn", "years": [2028], "holidays": ["2028-03-08"]})", "\"2028\"")).empty());
}

TEST_CASE("provisional dates make one warning naming the year") {
    std::vector<Diagnostic> warnings;
    REQUIRE(problems_of(plan_on("\"cn\"", "\"2027\""), "plan.json", &warnings).empty());
    REQUIRE(warnings.size() == 1);
    CHECK(warnings[0].message == "the cn calendar's 2027 dates are provisional (not yet officially published)");
    CHECK(warnings[0].hint.empty());
    // A range across both years names only the provisional one.
    warnings.clear();
    REQUIRE(problems_of(plan_on("\"cn\"", R"({"start": "2026-07-01", "end": "2027-06-30"})"), "plan.json", &warnings)
                .empty());
    REQUIRE(warnings.size() == 1);
    CHECK(warnings[0].message.find("the cn calendar's 2027 dates") == 0);
}

TEST_CASE("a date outside the years a calendar claims is a warning at the date") {
    auto cal = R"({"years": [2026], "holidays": ["2026-10-01", {"date": "2027-10-01", "name": "国庆节"}]})";
    std::vector<Diagnostic> warnings;
    REQUIRE(problems_of(plan_on(cal), "plan.json", &warnings).empty());
    REQUIRE(warnings.size() == 1);
    CHECK(warnings[0].message == "2027 is outside the years this calendar covers (2026)");
    CHECK(warnings[0].where.pointer == "/calendar/holidays/1");
}

TEST_CASE("a name that is both a built-in calendar and a file next to the plan is an error naming both") {
    TempDir dir("tgt-test-calendar-ambiguous");
    dir.write("cn", R"({"years": [2026], "holidays": []})");
    std::string plan = dir.write("plan.json", plan_on("\"cn\""));
    auto ds = problems_of(plan_on("\"cn\""), plan);
    REQUIRE(ds.size() == 1);
    CHECK(ds[0].message == "\"cn\" names both the built-in calendar cn and the file " + (dir.path / "cn").string());
    CHECK(ds[0].hint.find("\"./cn\"") != std::string::npos);
    // Written as a path it is the file.
    CHECK(problems_of(plan_on("\"./cn\""), plan).empty());
}

TEST_CASE("calendar names that are neither built-in nor a file, and extends loops, are errors") {
    auto ds = problems_of(plan_on("\"cnn\""));
    REQUIRE(ds.size() == 1);
    CHECK(ds[0].message.find("no built-in calendar \"cnn\" and no file") == 0);
    CHECK(ds[0].hint == "did you mean \"cn\"?");
    TempDir dir("tgt-test-calendar-loop");
    dir.write("a.json", R"({"extends": "b.json"})");
    dir.write("b.json", R"({"extends": "a.json"})");
    std::string plan = dir.write("plan.json", "");
    ds = problems_of(plan_on("\"a.json\""), plan);
    CHECK(mentions(ds, "the calendar extends itself"));
}

TEST_CASE("a file calendar extends a built-in one relative to its own folder") {
    TempDir dir("tgt-test-calendar-extends");
    std::filesystem::create_directories(dir.path / "calendars");
    dir.write("calendars/company.json",
              R"({"name": "Company", "extends": "cn", "holidays": [{"date": "2026-03-09", "name": "company day"}]})");
    std::string plan = dir.write("plan.json", "");
    std::vector<Diagnostic> warnings;
    REQUIRE(problems_of(plan_on("\"calendars/company.json\""), plan, &warnings).empty());
    Plan p = parse_plan(plan_on("\"calendars/company.json\""), plan);
    CHECK(p.calendar.name == "Company");
    CHECK(p.calendar.id == "calendars/company.json");
    CHECK(p.calendar.working_days(d("2026-03-01"), d("2026-03-31")) == 21);  // 22 − the company day
}
