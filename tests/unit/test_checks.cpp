// tgt check in the library: over-assignment against bands, top-down against bottom-up amounts,
// capacity against quotas; and the table the CLI renders. Every figure below is worked by hand.
#include <catch2/catch.hpp>

#include "tgt/checks.hpp"

using namespace tgt;

namespace {

std::vector<CheckRow> checks_of(const std::string& text) {
    Plan plan = parse_plan(text, "plan.json");
    Decomposition d(plan);
    return check_plan(d);
}

// 1000.00 to two regions (60 % / 40 %); each hands its reps 120 %, accepted 100–115 %.
const char* kBands = R"({
  "period": "2027",
  "metrics": [{"id": "sales", "total": "1000"}],
  "dimensions": [{"id": "org", "levels": ["region", "rep"], "members": [
    {"id": "E", "weight": "60%", "members": ["a", "b"]},
    {"id": "W", "weight": "40%", "members": ["c"]}
  ]}],
  "split": [
    {"level": "region", "band": ["100%", "100%"]},
    {"level": "rep", "allocate": "120%", "band": ["100%", "115%"]},
    {"level": "month", "by": "equal"}
  ]
})";

}  // namespace

TEST_CASE("check: each manager's hand-out is measured against the band of the level below") {
    auto rows = checks_of(kBands);
    REQUIRE(rows.size() == 3);
    // The plan's total hands its regions exactly 100 %: 600.00 + 400.00 = 1000.00.
    CHECK(rows[0].kind == CheckRow::Kind::over_assignment);
    CHECK(rows[0].level == "region");
    CHECK(rows[0].node == "(total)");
    CHECK(rows[0].target == 100000);
    CHECK(rows[0].handed_down == 100000);
    CHECK_FALSE(rows[0].flagged);
    CHECK(rows[0].note == "within the band");
    // E's 600.00 at 120 % is 720.00 handed to a and b: 120 % is above 115 %.
    CHECK(rows[1].node == "E");
    CHECK(rows[1].level == "rep");
    CHECK(rows[1].target == 60000);
    CHECK(rows[1].handed_down == 72000);
    CHECK(rows[1].difference() == 12000);
    CHECK(rows[1].ratio() == Fraction(6, 5));
    CHECK(rows[1].flagged);
    CHECK(rows[1].note == "outside the band");
    // W's 400.00 at 120 % is 480.00.
    CHECK(rows[2].node == "W");
    CHECK(rows[2].handed_down == 48000);
    CHECK(rows[2].flagged);
}

TEST_CASE("check: a band the hand-out stays within is not flagged") {
    std::string text = kBands;
    text.replace(text.find("\"allocate\": \"120%\""), 18, "\"allocate\": \"110%\"");
    auto rows = checks_of(text);
    REQUIRE(rows.size() == 3);
    // 600.00 × 110 % = 660.00: within 100–115 %.
    CHECK(rows[1].handed_down == 66000);
    CHECK_FALSE(rows[1].flagged);
    CHECK(rows[1].note == "within the band");
}

TEST_CASE("check: bottom-up amounts scaled to a top-down total show the difference, not flagged") {
    // 1000.00 top-down; the regions say 300.00 + 500.00 = 800.00 and are used as weights.
    auto rows = checks_of(R"({
      "period": "2027",
      "metrics": [{"id": "sales", "total": "1000"}],
      "dimensions": [{"id": "region", "members": [{"id": "E", "amount": "300"}, {"id": "W", "amount": "500"}]}],
      "split": [{"level": "region", "reconcile": "scale"}, {"level": "month", "by": "equal"}]
    })");
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].kind == CheckRow::Kind::top_down_vs_bottom_up);
    CHECK(rows[0].node == "(total)");
    CHECK(rows[0].target == 100000);
    CHECK(rows[0].handed_down == 80000);
    CHECK(rows[0].difference() == -20000);
    CHECK(rows[0].ratio() == Fraction(4, 5));
    CHECK_FALSE(rows[0].flagged);
}

TEST_CASE("check: a quota next to a capacity is compared with heads × rate × months") {
    // Three months (July to September): 2 heads × 100.00 × 3 = 600.00, as quoted; 3 × 50.00 × 3 = 450.00
    // against a quota of 500.00: 50.00 apart, flagged.
    auto rows = checks_of(R"({
      "period": {"start": "2027-07-01", "end": "2027-09-30"},
      "metrics": [{"id": "sales"}],
      "dimensions": [{"id": "channel", "members": [
        {"id": "shop", "capacity": {"headcount": 2, "rate": "100"}, "amount": "600"},
        {"id": "key", "capacity": {"headcount": 3, "rate": "50"}, "amount": "500"}
      ]}],
      "split": [{"level": "channel"}, {"level": "month", "by": "equal"}]
    })");
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].kind == CheckRow::Kind::capacity_vs_quota);
    CHECK(rows[0].node == "shop");
    CHECK(rows[0].target == 60000);
    CHECK(rows[0].handed_down == 60000);
    CHECK_FALSE(rows[0].flagged);
    CHECK(rows[1].node == "key");
    CHECK(rows[1].target == 50000);
    CHECK(rows[1].handed_down == 45000);
    CHECK(rows[1].difference() == -5000);
    CHECK(rows[1].flagged);
}

TEST_CASE("check table: one row per check in the plan's order, ratio in % with 2 decimals, band as text") {
    Table table = check_table(checks_of(kBands));
    REQUIRE(table.columns.size() == 11);
    CHECK(table.columns[0].name == "check");
    CHECK(table.columns[table.column("ratio_pct")].decimals == 2);
    REQUIRE(table.rows.size() == 3);
    const auto& e = table.rows[1];
    CHECK(e[0].text == "over-assignment");
    CHECK(e[2].text == "E");
    CHECK(e[table.column("target")].amount == 60000);
    CHECK(e[table.column("difference")].amount == 12000);
    CHECK(e[table.column("ratio_pct")].amount == 12000);  // 720 ÷ 600 = 120.00 %
    CHECK(e[table.column("band")].text == "100.00%–115.00%");
    CHECK(e[table.column("status")].text == "FLAG");
    CHECK(table.rows[0][table.column("status")].text == "ok");
}

TEST_CASE("check table: only the metrics asked for, amounts widened to the widest decimals shown") {
    // sales in whole units (0 decimals) and hours with 2: sales' 1000 is shown as 1000.00.
    auto rows = checks_of(R"({
      "period": "2027",
      "metrics": [{"id": "sales", "total": "1000", "decimals": 0}, {"id": "hours", "total": "10", "decimals": 2}],
      "dimensions": [{"id": "region", "members": ["E", "W"]}],
      "split": [{"level": "region", "band": ["100%", "100%"]}, {"level": "month", "by": "equal"}]
    })");
    REQUIRE(rows.size() == 2);
    Table both = check_table(rows);
    REQUIRE(both.rows.size() == 2);
    CHECK(both.columns[both.column("target")].decimals == 2);
    CHECK(both.rows[0][both.column("target")].amount == 100000);  // 1000 widened to 1000.00
    CHECK(both.rows[1][both.column("target")].amount == 1000);    // 10.00
    Table hours = check_table(rows, {"hours"});
    REQUIRE(hours.rows.size() == 1);
    CHECK(hours.rows[0][3].text == "hours");
    CHECK(check_table(rows, {"nothing"}).rows.empty());
}
