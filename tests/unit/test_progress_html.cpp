// The HTML progress report: the burn-up's exact curves, the chart's integer geometry, the members'
// order and the page's parts. Every expected number below is worked out by hand.
#include <catch2/catch.hpp>

#include <string>

#include "temp_dir.hpp"
#include "tgt/progress_html.hpp"

using namespace tgt;

namespace {

Date day(int y, unsigned m, unsigned d) {
    return Date{std::chrono::year{y} / std::chrono::month{m} / std::chrono::day{d}};
}

// 1200.00 = 120,000 cents: region A weight 2 (80,000), B weight 1 (40,000); months equal, the
// remainder to the first months: A 6,667 in January to August, then 6,666; B 3,334 in January to
// April, then 3,333. The team's months: 10,001 (Jan–Apr), 10,000 (May–Aug), 9,999 (Sep–Dec).
constexpr const char* kPlan = R"({"period": "2027", "metrics": [{"id": "revenue", "name": "销售额", "total": "1200"}],
    "dimensions": [{"id": "region", "members": [{"id": "A", "weight": 2}, {"id": "B", "weight": 1}]}],
    "split": [{"level": "region"}, {"level": "month", "by": "equal"}]})";

// A's 100.00 in January, C's 7.00 in February (a region the plan lacks: unplanned), B's 50.50 on
// the as-of date, A's 999 after it (not counted).
constexpr const char* kActuals =
    "date,region,revenue\n"
    "2027-01-05,A,100.00\n"
    "2027-02-01,C,7.00\n"
    "2027-03-31,B,50.50\n"
    "2027-04-01,A,999\n";

struct Fixture {
    test::TempDir dir{"tgt-progress-html-"};
    Plan plan = parse_plan(kPlan, "plan.json");
    Decomposition decomposition{plan};
    ProgressRequest request;
    Fixture() {
        request.actuals = {dir.write("actuals.csv", kActuals)};
        request.as_of = day(2027, 3, 31);
        request.by = {"region"};
        request.grid = TimeLevel::month;
    }
};

}  // namespace

TEST_CASE("burnup: the plan's cumulative months to year end, the actual's to the as-of date", "[progress_html]") {
    Fixture f;
    const ProgressReport report = progress(f.decomposition, f.request);
    const Burnup b = burnup(f.decomposition, f.request, report);
    CHECK(b.first == day(2027, 1, 1));
    CHECK(b.last == day(2027, 12, 31));
    REQUIRE(b.plan.size() == 13);  // the day before the plan, then each month's end
    CHECK(b.plan[0].date == day(2026, 12, 31));
    CHECK(b.plan[0].amount == 0);
    CHECK(b.plan[1].date == day(2027, 1, 31));
    CHECK(b.plan[1].amount == 10'001);
    CHECK(b.plan[3].amount == 30'003);    // March ends on the as-of date: no point of its own
    CHECK(b.plan[5].amount == 50'004);    // + May's 10,000
    CHECK(b.plan[9].amount == 90'003);    // + September's 9,999
    CHECK(b.plan[12].amount == 120'000);  // the whole target
    REQUIRE(b.actual.size() == 4);
    CHECK(b.actual[1].date == day(2027, 1, 31));
    CHECK(b.actual[1].amount == 10'000);
    CHECK(b.actual[2].date == day(2027, 2, 28));
    CHECK(b.actual[2].amount == 10'700);  // the unplanned 7.00 counts in the team's actual
    CHECK(b.actual[3].date == day(2027, 3, 31));
    CHECK(b.actual[3].amount == 15'750);
    CHECK(b.periods.size() == 12);
}

TEST_CASE("burnup: an as-of date inside a month puts the target to date between its ends", "[progress_html]") {
    Fixture f;
    f.request.as_of = day(2027, 3, 15);
    const ProgressReport report = progress(f.decomposition, f.request);
    const Burnup b = burnup(f.decomposition, f.request, report);
    REQUIRE(b.plan.size() == 14);
    CHECK(b.plan[2].amount == 20'002);  // February's end
    CHECK(b.plan[3].date == day(2027, 3, 15));
    CHECK(b.plan[3].amount == report.total().target_to_date);
    CHECK(b.plan[3].amount > 20'002);
    CHECK(b.plan[3].amount < 30'003);
    CHECK(b.plan[4].amount == 30'003);
    REQUIRE(b.actual.size() == 4);        // January, February, then March 15
    CHECK(b.actual[3].amount == 10'700);  // B's sale on the 31st is after the as-of date
}

TEST_CASE("burnup without a grid: straight through the target to date", "[progress_html]") {
    Fixture f;
    f.request.grid.reset();
    const ProgressReport report = progress(f.decomposition, f.request);
    const Burnup b = burnup(f.decomposition, f.request, report);
    CHECK(b.periods.empty());
    REQUIRE(b.plan.size() == 3);  // 0 the day before, 30,003 by 31 March (January to March), 120,000
    CHECK(b.plan[1].date == day(2027, 3, 31));
    CHECK(b.plan[1].amount == 30'003);
    CHECK(b.plan[2].date == day(2027, 12, 31));
    CHECK(b.plan[2].amount == 120'000);
    REQUIRE(b.actual.size() == 2);
    CHECK(b.actual[1].amount == 15'750);  // 100.00 + 7.00 + 50.50
}

TEST_CASE("axis_ticks: the smallest 1, 2 or 5 step reaching the maximum in at most 5 ticks", "[progress_html]") {
    CHECK(axis_ticks(48'000).step == 10'000);  // 4.8 steps → 5 ticks, top 50,000
    CHECK(axis_ticks(48'000).count == 5);
    CHECK(axis_ticks(50'000).top() == 50'000);  // exactly 5 × 10,000
    CHECK(axis_ticks(50'001).step == 20'000);   // 6 steps of 10,000 is too many: 3 × 20,000
    CHECK(axis_ticks(50'001).top() == 60'000);
    CHECK(axis_ticks(120'000).step == 50'000);  // 12 × 10⁴ and 6 × 2·10⁴ too many: 3 × 5·10⁴
    CHECK(axis_ticks(120'000).top() == 150'000);
    CHECK(axis_ticks(1).top() == 1);
    CHECK(axis_ticks(0).top() == 1);
    CHECK(axis_ticks(-5).top() == 1);
}

TEST_CASE("ChartScale: x by days, y by amounts, rounded half up and clamped to the box", "[progress_html]") {
    const ChartScale s{62, 22, 526, 146, day(2027, 1, 1), day(2027, 12, 31), 150'000};
    CHECK(s.x(day(2026, 12, 31)) == 62);   // the day before the plan: the left edge
    CHECK(s.x(day(2027, 12, 31)) == 588);  // 62 + 526
    CHECK(s.x(day(2027, 1, 31)) == 107);   // 526 × 31 ÷ 365 = 44.68 → 45
    CHECK(s.x(day(2027, 3, 31)) == 192);   // 526 × 90 ÷ 365 = 129.70 → 130
    CHECK(s.x(day(2028, 2, 1)) == 588);    // clamped
    CHECK(s.x(day(2026, 6, 1)) == 62);
    CHECK(s.y(0) == 168);       // 22 + 146: the bottom edge
    CHECK(s.y(150'000) == 22);  // the top
    CHECK(s.y(30'003) == 139);  // 146 × 30,003 ÷ 150,000 = 29.20 → 29
    CHECK(s.y(15'750) == 153);  // 15.33 → 15
    CHECK(s.y(-500) == 168);    // clamped
    CHECK(s.y(200'000) == 22);
    const ChartScale half{0, 0, 10, 146, day(2027, 1, 1), day(2027, 1, 4), 4};
    CHECK(half.y(1) == 146 - 37);         // 146 ÷ 4 = 36.5 → 37 (half up)
    CHECK(half.x(day(2027, 1, 2)) == 5);  // 10 × 2 ÷ 4
}

TEST_CASE("rows_by_pace: most behind first, rows without a pace last", "[progress_html]") {
    Fixture f;
    const ProgressReport report = progress(f.decomposition, f.request);
    // A: 10,000 of 20,001 to date (pace 0.4999); B: 5,050 of 10,002 (0.5049); (unplanned): none.
    const auto rows = rows_by_pace(report);
    REQUIRE(rows.size() == 3);
    CHECK(rows[0]->keys[0] == "A");
    CHECK(rows[1]->keys[0] == "B");
    CHECK(rows[2]->keys[0] == "(unplanned)");
}

TEST_CASE("progress_html: one self-contained page whose curves are drawn from the exact amounts", "[progress_html]") {
    Fixture f;
    const ProgressReport report = progress(f.decomposition, f.request);
    ProgressPageOptions options;
    options.title = "Plan";
    options.metric = "销售额";
    const std::string page = progress_html(report, burnup(f.decomposition, f.request, report), options);
    CHECK(page.find("@page { size: A4 landscape") != std::string::npos);
    CHECK(page.find(kChineseFonts) != std::string::npos);
    CHECK(page.find("<script") == std::string::npos);
    CHECK(page.find("http") == std::string::npos);
    // The axis reaches 1500.00 (3 × 500.00 above the 1200.00 target and the 642.30 forecast), so
    // the scale above: plan Jan 10,001 → (107, 158), Feb 20,002 → (147, 149), Mar 30,003 → (192, 139);
    // actual Jan 10,000 → (107, 158), Feb 10,700 → (147, 158), Mar 31 15,750 → (192, 153).
    CHECK(page.find("<polyline class=\"plan\" points=\"62,168 107,158 147,149 192,139 ") != std::string::npos);
    CHECK(page.find("<polyline class=\"actual\" points=\"62,168 107,158 147,158 192,153\"/>") != std::string::npos);
    CHECK(page.find(">1,500</text>") != std::string::npos);  // the top tick: steps of whole 500, no decimals
    // A (most behind) before B before (unplanned); the Total row last.
    const auto a = page.find("<td>A</td>"), b = page.find("<td>B</td>"), u = page.find("<td>(unplanned)</td>"),
               total = page.find("<tr class=\"total\"><td>Total</td>");
    REQUIRE(a != std::string::npos);
    CHECK(a < b);
    CHECK(b < u);
    CHECK(u < total);
    CHECK(page.find("Progress report") != std::string::npos);
}

TEST_CASE("progress_html: labels in Chinese, amounts in 万", "[progress_html]") {
    Fixture f;
    const ProgressReport report = progress(f.decomposition, f.request);
    ProgressPageOptions options;
    options.metric = "销售额";
    options.lang = Lang::zh;
    options.unit = DisplayUnit{4, 2, "万"};
    const std::string page = progress_html(report, burnup(f.decomposition, f.request, report), options);
    CHECK(page.find("<html lang=\"zh\">") != std::string::npos);
    CHECK(page.find("进度报告") != std::string::npos);
    CHECK(page.find("每工作日需完成 (万)") != std::string::npos);
    CHECK(page.find("<tr class=\"total\"><td>合计</td>") != std::string::npos);
    // The target 1,200.00 元 is 0.12 万; the axis top 1,500.00 元 is 0.15 万, shown with 2 places.
    CHECK(page.find("<td class=\"n\">0.12</td>") != std::string::npos);
    CHECK(page.find(">0.15</text>") != std::string::npos);
}

TEST_CASE("progress: days under weeks give no month or quarter column (and no error) where weeks cross months",
          "[progress_html]") {
    // The store template's shape: weeks by their days, then days. 2027-03-01 … 2027-04-30 is 61 days,
    // 610.00 at 10.00 a day; W13 (03-29 … 04-04) crosses into April, so neither March nor Q1 is a sum
    // of weeks, and the split cannot give months. To 31 March: 31 days, 310.00.
    test::TempDir dir{"tgt-progress-weeks-"};
    const Plan plan = parse_plan(R"({"period": {"start": "2027-03-01", "end": "2027-04-30"},
        "metrics": [{"id": "takings", "total": "610"}],
        "split": [{"level": "week", "by": "days"}, {"level": "day", "by": "equal"}]})",
                                 "weeks.json");
    const Decomposition decomposition(plan);
    ProgressRequest request;
    request.actuals = {dir.write("a.csv", "date,takings\n2027-03-02,12\n")};
    request.as_of = day(2027, 3, 31);
    request.grid = TimeLevel::week;
    const ProgressReport report = progress(decomposition, request);
    CHECK_FALSE(report.month);
    CHECK_FALSE(report.quarter);
    REQUIRE(report.rows.size() == 1);
    CHECK(report.rows[0].target == 61'000);
    CHECK(report.rows[0].target_to_date == 31'000);
    const Burnup b = burnup(decomposition, request, report);
    CHECK(b.plan.size() == 11);  // before the plan, W09 … W13 with 31 March inside W13, W14 … W17
    CHECK(b.plan[5].date == day(2027, 3, 31));
    CHECK(b.plan[5].amount == 31'000);
    CHECK(b.plan.back().amount == 61'000);
}

TEST_CASE("progress page defaults: the team's members and the plan's finest time level", "[progress_html]") {
    // Regions then months: the rows are the regions, the grid is by month.
    Plan months = parse_plan(kPlan, "plan.json");
    ProgressPageDefaults d = progress_page_defaults(months);
    CHECK(d.members == "region");
    CHECK(d.grid == TimeLevel::month);

    // One store above two categories, weeks then days: the store level has one member, so the rows are
    // the categories; days under weeks are gridded by week.
    Plan store = parse_plan(R"({"period": "2027", "metrics": [{"id": "sales", "total": "100"}],
        "dimensions": [{"id": "org", "levels": ["store", "category"],
          "members": [{"id": "S1", "members": [{"id": "food"}, {"id": "toys"}]}]}],
        "split": [{"level": "store"}, {"level": "category"}, {"level": "week", "by": "equal"},
                  {"level": "day", "by": "equal"}]})",
                            "store.json");
    d = progress_page_defaults(store);
    CHECK(d.members == "category");
    CHECK(d.grid == TimeLevel::week);

    // Days alone over a year: by month (a week grid would be 53 columns); no time step: no grid.
    Plan days = parse_plan(R"({"period": "2027", "metrics": [{"id": "sales", "total": "100"}],
        "dimensions": [], "split": [{"level": "day", "by": "equal"}]})",
                           "days.json");
    CHECK(progress_page_defaults(days).grid == TimeLevel::month);
    CHECK(progress_page_defaults(days).members.empty());
    Plan flat = parse_plan(R"({"period": "2027", "metrics": [{"id": "sales", "total": "100"}],
        "dimensions": [{"id": "region", "members": [{"id": "A"}, {"id": "B"}]}], "split": [{"level": "region"}]})",
                           "flat.json");
    CHECK_FALSE(progress_page_defaults(flat).grid.has_value());
    CHECK(progress_page_defaults(flat).members == "region");
}
