// Customer classes: threshold rules over a customers CSV put each customer in one visit tier;
// overlaps and gaps name the rows; a tier arranged separately (另行安排) is counted, never visited.
#include <catch2/catch.hpp>

#include "plan_problems.hpp"
#include "temp_dir.hpp"
#include "tgt/customer_classes.hpp"
#include "tgt/plan.hpp"
#include "tgt/visits.hpp"

using namespace tgt;

namespace {

const char* kPlan = R"({"period": "2027", "metrics": [{"id": "sales", "total": 1200}],
    "visits": {"tiers": [{"id": "A", "per_month": 2}, {"id": "B", "every": "month"},
                         {"id": "C", "every": "quarter"}, {"id": "D", "every": "另行安排"}],
               "customers_from": {"file": "c.csv", "level": "rep", "rules": [
                   {"tier": "A", "when": "demand >= 5万 and close_days <= 15"},
                   {"tier": "B", "when": "demand >= 5万 and close_days > 15"},
                   {"tier": "C", "when": "demand < 5万 and close_days <= 15"},
                   {"tier": "D", "when": "demand < 5万 and close_days > 15"}]}},
    "dimensions": [{"id": "org", "levels": ["rep"], "members": ["a", "b"]}],
    "split": [{"level": "rep", "by": "equal"}, {"level": "month", "by": "equal"}]})";

}  // namespace

TEST_CASE("customer classes: a rule is thresholds joined by and, compared exactly") {
    std::string problem;
    auto rule = parse_class_rule("demand >= 5万 and close_days <= 15", &problem);
    REQUIRE(rule);
    REQUIRE(rule->size() == 2);
    CHECK((*rule)[0].column == "demand");
    CHECK((*rule)[0].op == ClassCondition::Op::ge);
    CHECK((*rule)[0].value == Decimal{50000, 0});
    CHECK((*rule)[1].column == "close_days");
    CHECK((*rule)[1].op == ClassCondition::Op::le);
    // The boundaries: 5万 itself meets ">= 5万"; 49,999.99 does not; 15 days meets "<= 15".
    CHECK(meets((*rule)[0], Decimal{50000, 0}));
    CHECK_FALSE(meets((*rule)[0], Decimal{4999999, 2}));
    CHECK(meets((*rule)[1], Decimal{15, 0}));
    CHECK_FALSE(meets((*rule)[1], Decimal{151, 1}));
    auto cn = parse_class_rule("月需求 ≥ 5万 且 成交天数 < 15", &problem);
    REQUIRE(cn);
    CHECK((*cn)[1].column == "成交天数");
    CHECK((*cn)[1].op == ClassCondition::Op::lt);
    CHECK_FALSE(parse_class_rule("demand 5万", &problem));
    CHECK_THAT(problem, Catch::Contains("no comparison"));
    CHECK_FALSE(parse_class_rule("demand >= lots", &problem));
    CHECK_THAT(problem, Catch::Contains("not a number (\"lots\")"));
}

TEST_CASE("customer classes: the 2x2 classes from a customers file, visits per class, 另行安排 counted only") {
    test::TempDir dir("tgt-classes-");
    // a: A (80000, 10), A (50000, 15: both boundaries), B (120000, 30), C (20000, 7), D (30000, 45), D (49999, 20)
    // b: B (60000, 20), C (10000, 10), C (10000, 14), D (5000, 60)
    dir.write("c.csv",
              "customer,rep,demand,close_days\n1,a,80000,10\n2,a,50000,15\n3,a,120000,30\n4,a,20000,7\n"
              "5,a,30000,45\n6,a,49999,20\n7,b,60000,20\n8,b,10000,10\n9,b,10000,14\n10,b,5000,60\n");
    Plan plan = parse_plan(kPlan, (dir / "plan.json").string());
    REQUIRE(plan.visits->dimension == 0);
    const auto& reps = plan.dimensions[0].members[0];
    CHECK(reps[0].customers() == std::vector<std::int64_t>{2, 1, 1, 2});
    CHECK(reps[1].customers() == std::vector<std::int64_t>{0, 1, 2, 1});
    CHECK(plan.visits->tiers[3].frequency() == "arranged separately");
    VisitSchedule schedule(plan);
    // a's year: A 2 customers × 2 a month × 12 = 48, B 12, C one customer once a quarter = 4, D none.
    CHECK(schedule.visits(0, 0, plan.first, plan.last) == std::vector<std::int64_t>{48, 12, 4, 0});
    // b's year: B 12; C two customers every quarter: each once a quarter, 2 × 4 = 8.
    CHECK(schedule.visits(0, 1, plan.first, plan.last) == std::vector<std::int64_t>{0, 12, 8, 0});
    // b's January: B 1, C the first of the two (staggered: Jan 1, Feb 1, Mar 0).
    Date jan1{std::chrono::year{2027} / 1 / 1}, jan31{std::chrono::year{2027} / 1 / 31};
    CHECK(schedule.visits(0, 1, jan1, jan31) == std::vector<std::int64_t>{0, 1, 1, 0});
    // The separately arranged customers are still counted, per rep.
    CHECK(schedule.customers(0, 0)[3] == 2);
}

TEST_CASE("customer classes: overlaps, gaps, unknown reps and bad numbers are all reported, by row") {
    test::TempDir dir("tgt-classes-");
    dir.write("c.csv", "customer,rep,demand,close_days\n1,a,50000,5\n2,a,100,20\n3,z,1,1\n4,b,x,1\n5,b,70000,12\n");
    std::string plan = R"({"period": "2027", "metrics": [{"id": "sales", "total": 1200}],
        "visits": {"tiers": [{"id": "A", "per_month": 2}, {"id": "B", "every": "month"}],
                   "customers_from": {"file": "c.csv", "level": "rep", "rules": [
                       {"tier": "A", "when": "demand >= 5万"},
                       {"tier": "B", "when": "demand <= 5万 and close_days < 10"}]}},
        "dimensions": [{"id": "org", "levels": ["rep"], "members": ["a", "b"]}],
        "split": [{"level": "rep", "by": "equal"}]})";
    std::string all = plan_problems(plan, (dir / "plan.json").string());
    // Row 2 (50000, 5) meets both rules; row 3 (100, 20) neither; row 4 names no rep; row 5 no number.
    CHECK_THAT(all, Catch::Contains("customer row (close_days 5, demand 50000) matches rule 1 (tier \"A\") and "
                                    "rule 2 (tier \"B\")"));
    CHECK_THAT(all, Catch::Contains("customer row (close_days 20, demand 100) matches no rule"));
    CHECK_THAT(all, Catch::Contains("no rep \"z\" in the plan"));
    CHECK_THAT(all, Catch::Contains("column \"demand\": not a number (\"x\")"));
}

TEST_CASE("customer classes: a rep counted in the plan and in the file is an error, once") {
    test::TempDir dir("tgt-classes-");
    dir.write("c.csv", "customer,rep,demand,close_days\n1,a,80000,10\n2,a,100,20\n3,b,60000,20\n");
    std::string plan = kPlan;
    plan.replace(plan.find(R"("members": ["a", "b"])"), std::string(R"("members": ["a", "b"])").size(),
                 R"("members": [{"id": "a", "customers": {"A": 1}}, "b"])");
    std::string all = plan_problems(plan, (dir / "plan.json").string());
    CHECK_THAT(all, Catch::Contains("rep \"a\" has \"customers\" in the plan and rows in"));
    // Reported at a's first row only, not at each of its rows.
    CHECK(all.find("has \"customers\" in the plan") == all.rfind("has \"customers\" in the plan"));
}
