// tgt explain in the library: the chain of steps from the total to a cell, exact shares and the
// rounding each level made; and what the renderers get (heading, steps table, JSON record).
// Every figure below is worked by hand.
#include <catch2/catch.hpp>

#include "tgt/explain.hpp"

using namespace tgt;

namespace {

// 1000.00 to E (weight 1) and W (weight 2), then four equal quarters.
const char* kPlan = R"({
  "period": "2027",
  "metrics": [{"id": "sales", "total": "1000"}],
  "dimensions": [{"id": "region", "members": [{"id": "E", "weight": 1}, {"id": "W", "weight": 2}]}],
  "split": [{"level": "region"}, {"level": "quarter", "by": "equal"}]
})";

struct Fixture {
    Plan plan = parse_plan(kPlan, "plan.json");
    Decomposition d{plan};
};

}  // namespace

TEST_CASE("explain: a third of 1000.00 is 333.333… and largest remainder gives the spare cent to W") {
    Fixture f;
    // 100000 minor units × 1/3 = 33333.33…, × 2/3 = 66666.66…: floors 33333 + 66666 = 99999, the
    // last cent goes to the larger remainder (W's .66…).
    Explanation e = explain(f.d, {Filter{"region", "E"}}, "");
    CHECK(e.metric == "sales");
    CHECK(e.total == 100000);
    REQUIRE(e.steps.size() == 1);
    const ExplainStep& s = e.steps[0];
    CHECK(s.level == "region");
    CHECK(s.child == "E");
    CHECK(s.parent == 100000);
    CHECK(s.siblings == 2);
    CHECK_FALSE(s.is_hold);
    CHECK(s.share == Fraction(1, 3));
    CHECK(s.exact == Fraction(100000, 3));
    CHECK(s.value == 33333);
    CHECK(s.adjustment == Fraction(-1, 3));  // 33333 − 33333⅓
    CHECK(e.value == 33333);

    Explanation w = explain(f.d, {Filter{"region", "W"}}, "");
    CHECK(w.steps[0].value == 66667);
    CHECK(w.steps[0].adjustment == Fraction(1, 3));  // 66667 − 66666⅔
}

TEST_CASE("explain: a period fixes the time step under the member, ties go to the earlier quarter") {
    Fixture f;
    // E's 333.33 in four: 8333.25 minor each; floors 4 × 8333 = 33332, the spare cent to the
    // earliest of four equal remainders: Q1 = 83.34.
    Explanation q1 = explain(f.d, {Filter{"region", "E"}, Filter{"period", "2027-Q1"}}, "");
    REQUIRE(q1.steps.size() == 2);
    CHECK(q1.steps[1].level == "quarter");
    CHECK(q1.steps[1].child == "2027-Q1");
    CHECK(q1.steps[1].parent == 33333);
    CHECK(q1.steps[1].share == Fraction(1, 4));
    CHECK(q1.steps[1].exact == Fraction(33333, 4));
    CHECK(q1.steps[1].value == 8334);
    CHECK(q1.value == 8334);
    Explanation q2 = explain(f.d, {Filter{"region", "E"}, Filter{"period", "2027-Q2"}}, "");
    CHECK(q2.value == 8333);
    CHECK(q2.steps[1].adjustment == Fraction(-1, 4));
}

TEST_CASE("explain: a cell the plan does not have is a usage error") {
    Fixture f;
    try {
        explain(f.d, {Filter{"region", "N"}}, "");
        FAIL("no error");
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::usage);
    }
    CHECK_THROWS_AS(explain(f.d, {Filter{"region", "E"}, Filter{"period", "2027-13"}}, ""), Error);
    CHECK_THROWS_AS(explain(f.d, {Filter{"region", "E"}}, "margin"), Error);
}

TEST_CASE("format_exact: the metric's decimals, up to four more, and … when it goes on") {
    CHECK(format_exact(Fraction(100000, 3), 2) == "333.333333…");
    CHECK(format_exact(Fraction(33333, 4), 2) == "83.3325");
    CHECK(format_exact(Fraction(3, 4), 2, true) == "+0.0075");
    CHECK(format_exact(Fraction(-1, 3), 2, true) == "-0.003333…");
    CHECK(format_exact(Fraction(500), 2) == "5.00");
}

TEST_CASE("explain table: one row per step, the share as a fraction and a percentage") {
    Fixture f;
    Explanation e = explain(f.d, {Filter{"region", "E"}, Filter{"period", "2027-Q1"}}, "");
    Table t = explain_table(e);
    REQUIRE(t.columns.size() == 8);
    CHECK(t.columns[6].name == "amount");
    CHECK(t.columns[6].amount);
    REQUIRE(t.rows.size() == 2);
    CHECK(t.rows[0][0].text == "region");
    CHECK(t.rows[0][3].text == "1,000.00");
    CHECK(t.rows[0][4].text == "1/3 = 33.3333…%");
    CHECK(t.rows[0][5].text == "333.333333…");
    CHECK(t.rows[0][6].amount == 33333);
    CHECK(t.rows[0][7].text == "-0.003333…");
    CHECK(t.rows[1][4].text == "1/4 = 25%");
    CHECK(t.rows[1][7].text == "+0.0075");  // 8334 − 8333.25 = 0.75 of a cent
    CHECK(explain_heading(e, {Filter{"region", "E"}, Filter{"period", "2027-Q1"}}) ==
          "sales for region=E, period=2027-Q1: 83.34\ntotal 1,000.00\n\n");
}

TEST_CASE("explain record: the JSON keeps the cell, the steps and the amount in order") {
    Fixture f;
    Explanation e = explain(f.d, {Filter{"region", "W"}}, "");
    std::string json = pretty_json(explain_record(e, {Filter{"region", "W"}}));
    CHECK(json ==
          "{\n"
          "  \"cell\": {\n"
          "    \"region\": \"W\"\n"
          "  },\n"
          "  \"metric\": \"sales\",\n"
          "  \"total\": \"1000.00\",\n"
          "  \"steps\": [\n"
          "    {\n"
          "      \"level\": \"region\",\n"
          "      \"value\": \"W\",\n"
          "      \"rule\": \"weight 2\",\n"
          "      \"parent\": \"1000.00\",\n"
          "      \"siblings\": 2,\n"
          "      \"hold\": false,\n"
          "      \"share\": \"2/3\",\n"
          "      \"share_pct\": \"66.6666…\",\n"
          "      \"exact\": \"666.666666…\",\n"
          "      \"amount\": \"666.67\",\n"
          "      \"adjustment\": \"+0.003333…\"\n"
          "    }\n"
          "  ],\n"
          "  \"amount\": \"666.67\"\n"
          "}\n");
}
