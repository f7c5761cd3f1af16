// Quota sheets in the library: one per member of a level, with the team's figures, quarters, months,
// the mix below, progress put on them, and the Markdown, CSV and HTML they render to. Every figure
// below is worked by hand.
#include <catch2/catch.hpp>

#include <algorithm>

#include "tgt/sheet.hpp"

using namespace tgt;

namespace {

// 1200.00: E and W half each; E's reps a and b equal, W's only rep c; then equal quarters and months.
const char* kPlan = R"({
  "name": "Test",
  "period": "2027",
  "metrics": [{"id": "sales", "total": "1200"}],
  "dimensions": [{"id": "org", "levels": ["region", "rep"], "members": [
    {"id": "E", "weight": "50%", "members": ["a", "b"]},
    {"id": "W", "weight": "50%", "members": ["c"]}
  ]}],
  "split": [{"level": "region"}, {"level": "rep"}, {"level": "quarter", "by": "equal"}, {"level": "month", "by": "equal"}]
})";

struct Fixture {
    Plan plan = parse_plan(kPlan, "plan.json");
    Decomposition d{plan};
};

int sum_days(const std::vector<SheetPeriod>& periods) {
    int days = 0;
    for (const auto& p : periods)
        days += p.working_days;
    return days;
}

}  // namespace

TEST_CASE("sheets: one per member of the level, with the team above and the periods below") {
    Fixture f;
    CHECK(default_sheet_level(f.plan) == "rep");
    Sheets all = quota_sheets(f.d, "rep", {});
    CHECK(all.level == "rep");
    CHECK(all.plan_name == "Test");
    CHECK(all.period == "2027-01-01 … 2027-12-31");
    CHECK(all.level_ids == std::vector<std::string>{"a", "b", "c"});
    REQUIRE(all.sheets.size() == 3);
    const QuotaSheet& a = all.sheets[0];
    CHECK(a.id == "a");
    CHECK(a.chain == std::vector<std::pair<std::string, std::string>>{{"region", "E"}, {"rep", "a"}});
    CHECK(a.totals == std::vector<Minor>{30000});  // 1200.00 × ½ × ½
    CHECK(a.team == std::vector<Minor>{60000});    // E's 600.00
    CHECK(a.team_name == "E");
    REQUIRE(a.quarters.size() == 4);
    REQUIRE(a.months.size() == 12);
    CHECK(a.quarters[0].label == "2027-Q1");
    CHECK(a.quarters[0].amounts == std::vector<Minor>{7500});  // 300.00 ÷ 4
    CHECK(a.months[0].label == "2027-01");
    CHECK(a.months[0].amounts == std::vector<Minor>{2500});  // 75.00 ÷ 3
    CHECK(sum_days(a.quarters) == sum_days(a.months));       // the same year, counted two ways
    CHECK(sum_days(a.months) > 0);
    CHECK(a.mix.empty());
    const QuotaSheet& c = all.sheets[2];
    CHECK(c.totals == std::vector<Minor>{60000});  // W's whole 600.00
    CHECK(c.months[11].amounts == std::vector<Minor>{5000});
}

TEST_CASE("sheets: at the top level the team is the whole plan") {
    Fixture f;
    Sheets all = quota_sheets(f.d, "region", {"W"});
    REQUIRE(all.sheets.size() == 1);
    CHECK(all.sheets[0].id == "W");
    CHECK(all.sheets[0].totals == std::vector<Minor>{60000});
    CHECK(all.sheets[0].team == std::vector<Minor>{120000});
    CHECK(all.sheets[0].team_name == "the whole plan");
}

TEST_CASE("sheets: only the members asked for, by id - unknown names and time levels are usage errors") {
    Fixture f;
    Sheets one = quota_sheets(f.d, "rep", {"c"});
    REQUIRE(one.sheets.size() == 1);
    CHECK(one.sheets[0].id == "c");
    CHECK(one.level_ids.size() == 3);  // names are still given among all
    auto usage = [&](const std::string& level, const std::vector<std::string>& who) {
        try {
            quota_sheets(f.d, level, who);
        } catch (const Error& e) {
            return e.kind() == ErrorKind::usage;
        }
        return false;
    };
    CHECK(usage("rep", {"zz"}));
    CHECK(usage("month", {}));
    CHECK(usage("nowhere", {}));
}

TEST_CASE("sheets: the mix below the level, split as the plan splits it") {
    std::string text = kPlan;
    text.replace(text.find(R"(]}],)"), 4, R"(]}, {"id": "product", "members": [{"id": "P", "weight": "25%"},
        {"id": "Q", "weight": "75%"}]}],)");
    text.replace(text.find(R"({"level": "quarter")"), 0, R"({"level": "product"}, )");
    Plan plan = parse_plan(text, "plan.json");
    Decomposition d(plan);
    Sheets all = quota_sheets(d, "rep", {"a"});
    REQUIRE(all.sheets.size() == 1);
    REQUIRE(all.sheets[0].mix.size() == 1);
    const SheetMix& mix = all.sheets[0].mix[0];
    CHECK(mix.level == "product");
    REQUIRE(mix.rows.size() == 2);
    CHECK(mix.rows[0].first == "P");
    CHECK(mix.rows[0].second == std::vector<Minor>{7500});  // 300.00 × 25 %
    CHECK(mix.rows[1].second == std::vector<Minor>{22500});
}

TEST_CASE("sheets: progress is put on the sheet whose chain matches a report row") {
    Fixture f;
    Sheets all = quota_sheets(f.d, "rep", {});
    ProgressReport report;
    report.key_columns = {"region", "rep"};
    report.tracked = "sales";
    report.days_elapsed = 100;
    report.days_total = 200;
    report.grid_periods = {Period{TimeLevel::month, {}, {}, "2027-01"}, Period{TimeLevel::month, {}, {}, "2027-02"}};
    ProgressRow row;
    row.keys = {"E", "a"};
    row.target = 30000;
    row.target_to_date = 15000;
    row.actual = 18000;
    row.days_elapsed = 100;
    row.days_total = 200;
    row.grid_target = {2500, 2500};
    row.grid_actual = {3000, 1000};
    report.rows.push_back(row);
    add_progress(all, report, "2027-06-30");
    CHECK(all.as_of == "2027-06-30");
    CHECK(all.tracked == "sales");
    REQUIRE(all.sheets[0].progress);
    CHECK_FALSE(all.sheets[1].progress);  // b has no row
    const SheetProgress& p = *all.sheets[0].progress;
    CHECK(p.achievement_pct == 6000);    // 180 ÷ 300 = 60.00 %
    CHECK(p.time_progress_pct == 5000);  // 100 of 200 days = 50.00 %
    CHECK(p.pace == 12000);              // 180 ÷ 150 = 1.2000
    CHECK(p.forecast == 36000);          // 300.00 × 1.2
    CHECK(p.gap == 12000);               // 300.00 − 180.00
    CHECK(p.required_daily == 120);      // 120.00 over the 100 days left: 1.20 a day
    CHECK(p.status == "ahead");          // pace 1.2 ≥ 1.05
    REQUIRE(p.months.size() == 2);
    CHECK(p.months[1].first == "2027-02");
    CHECK(p.months[1].second == std::pair<Minor, Minor>{2500, 1000});
}

TEST_CASE("sheets: asked for out of order, they come in the plan's order with their own team and months") {
    Fixture f;
    Sheets two = quota_sheets(f.d, "rep", {"c", "a"});
    REQUIRE(two.sheets.size() == 2);
    CHECK(two.sheets[0].id == "a");  // the plan's order: E's a before W's c
    CHECK(two.sheets[1].id == "c");
    // a: half of E's 600.00; c: all of W's 600.00; each sheet's team is its own region.
    CHECK(two.sheets[0].totals == std::vector<Minor>{30000});
    CHECK(two.sheets[0].team == std::vector<Minor>{60000});
    CHECK(two.sheets[0].team_name == "E");
    CHECK(two.sheets[1].totals == std::vector<Minor>{60000});
    CHECK(two.sheets[1].team_name == "W");
    // c's months: 600.00 in equal quarters (150.00), each in equal months: 50.00.
    REQUIRE(two.sheets[1].months.size() == 12);
    CHECK(two.sheets[1].months[0].amounts == std::vector<Minor>{5000});
}

TEST_CASE("sheets: progress skips unplanned rows and rows of other widths, the first planned row of a chain wins") {
    Fixture f;
    Sheets all = quota_sheets(f.d, "rep", {});
    ProgressReport report;
    report.key_columns = {"region", "rep"};
    report.tracked = "sales";
    report.days_elapsed = 100;
    report.days_total = 200;
    auto add = [&](std::vector<std::string> keys, bool planned, Minor actual) {
        ProgressRow row;
        row.keys = std::move(keys);
        row.planned = planned;
        row.target = 30000;
        row.target_to_date = 15000;
        row.actual = actual;
        row.days_elapsed = 100;
        row.days_total = 200;
        report.rows.push_back(row);
    };
    add({"E", "b"}, false, 1);     // unplanned: not b's
    add({"E"}, true, 2);           // a region's row: no sheet's chain
    add({"E", "b"}, true, 15000);  // b's
    add({"E", "b"}, true, 99999);  // the same chain again: the first one stays
    add({"W", "a"}, true, 3);      // a is E's: no sheet has this chain
    add_progress(all, report, "2027-06-30");
    CHECK_FALSE(all.sheets[0].progress);  // a
    REQUIRE(all.sheets[1].progress);      // b
    CHECK(all.sheets[1].progress->actual == 15000);
    CHECK(all.sheets[1].progress->achievement_pct == 5000);  // 150 ÷ 300 = 50.00 %
    CHECK_FALSE(all.sheets[2].progress);                     // c
}

TEST_CASE("sheets render: Markdown, CSV and HTML carry the same figures") {
    Fixture f;
    Sheets all = quota_sheets(f.d, "rep", {"a"});
    const QuotaSheet& a = all.sheets[0];
    std::string md = sheet_markdown(all, a);
    CHECK(md.starts_with("# a — quota sheet\n\nregion **E** › rep **a** · 2027-01-01 … 2027-12-31 · Test\n\n"));
    CHECK(md.find("| **Target** | 300.00 |\n| Team (E) | 600.00 |\n") != std::string::npos);
    CHECK(md.find("| 2027-Q1 | ") != std::string::npos);
    std::string csv = sheet_csv(all, a);
    CHECK(csv.starts_with("section,label,working_days,sales\ntarget,a,,300.00\nteam,E,,600.00\nquarter,2027-Q1,"));
    CHECK(csv.find(",25.00\n") != std::string::npos);  // a month
    // 1 header + target + team + 4 quarters + 12 months (no weeks in this plan)
    CHECK(std::count(csv.begin(), csv.end(), '\n') == 19);
    std::string html = sheet_html(all, a);
    CHECK(html.starts_with("<!DOCTYPE html>"));
    CHECK(html.find("<title>a — quota sheet</title>") != std::string::npos);
    CHECK(html.find("<tr><th>Target</th><td class=\"n\">300.00</td></tr>") != std::string::npos);
    CHECK(html.find("<script") == std::string::npos);
}

TEST_CASE("sheets render: HTML escapes what a member's name could smuggle in") {
    std::string text = kPlan;
    text.replace(text.find(R"("members": ["c"])"), 16, R"("members": [{"id": "c", "name": "<b>&"}])");
    Plan plan = parse_plan(text, "plan.json");
    Decomposition d(plan);
    Sheets all = quota_sheets(d, "rep", {"c"});
    std::string html = sheet_html(all, all.sheets[0]);
    CHECK(html.find("<h1>&lt;b&gt;&amp;</h1>") != std::string::npos);
    CHECK(html.find("<b>&") == std::string::npos);
}
