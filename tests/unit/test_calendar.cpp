#include <catch2/catch.hpp>

#include "tgt/calendar.hpp"
#include "tgt/plan.hpp"

using namespace tgt;

static Date d(const char* s) {
    return *parse_date(s);
}

TEST_CASE("period labels follow ISO forms") {
    CHECK(period_containing(TimeLevel::quarter, d("2027-05-17")).label == "2027-Q2");
    CHECK(period_containing(TimeLevel::half, d("2027-07-01")).label == "2027-H2");
    CHECK(period_containing(TimeLevel::month, d("2027-03-31")).label == "2027-03");
    CHECK(period_containing(TimeLevel::day, d("2027-03-01")).label == "2027-03-01");
    // ISO weeks: 2027-01-04 is the Monday of week 1; 2027-01-01 (a Friday) is in 2026-W53.
    CHECK(period_containing(TimeLevel::week, d("2027-01-04")).label == "2027-W01");
    CHECK(period_containing(TimeLevel::week, d("2027-01-01")).label == "2026-W53");
    CHECK(period_containing(TimeLevel::week, d("2027-03-01")).label == "2027-W09");
}

TEST_CASE("fiscal years start in any month") {
    auto q = period_containing(TimeLevel::quarter, d("2028-02-10"), 4);
    CHECK(q.label == "FY2027-Q4");
    CHECK(format_date(q.first) == "2028-01-01");
    CHECK(format_date(q.last) == "2028-03-31");
    CHECK(period_containing(TimeLevel::year, d("2027-03-31"), 4).label == "FY2026");
}

TEST_CASE("periods are clipped to the range they are asked for") {
    auto quarters = periods_between(TimeLevel::quarter, d("2027-06-01"), d("2027-12-31"), 1);
    REQUIRE(quarters.size() == 3);
    CHECK(format_date(quarters[0].first) == "2027-06-01");
    CHECK(quarters[0].label == "2027-Q2");
}

TEST_CASE("keys name periods in full or short form") {
    auto m = period_containing(TimeLevel::month, d("2027-03-05"));
    CHECK(period_matches(m, "2027-03"));
    CHECK(period_matches(m, "03"));
    CHECK(period_matches(m, "3"));
    CHECK_FALSE(period_matches(m, "13"));
    CHECK(period_matches(period_containing(TimeLevel::quarter, d("2027-03-05")), "Q1"));
}

TEST_CASE("the mainland China 2027 calendar has 249 working days") {
    WorkCalendar cal = load_calendar(std::string(TGT_EXAMPLES_DIR) + "/china-2027.json");
    CHECK(cal.working_days(d("2027-01-01"), d("2027-12-31")) == 249);
    CHECK_FALSE(cal.is_working(d("2027-10-01")));  // National Day
    CHECK(cal.is_working(d("2027-10-09")));        // a Saturday made a working day (调休)
    CHECK_FALSE(cal.is_working(d("2027-03-06")));  // an ordinary Saturday
    CHECK(cal.provisional.count(d("2027-02-05")) == 1);
}

TEST_CASE("dates are checked") {
    CHECK_FALSE(parse_date("2027-02-29"));
    CHECK_FALSE(parse_date("2027-2-1"));
    CHECK(parse_date("2028-02-29"));
}
