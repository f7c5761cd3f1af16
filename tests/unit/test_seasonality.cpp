// Per-member seasonality: a time step's history keyed by member × period ("per": level), so each
// member follows its own curve; missing, all-zero and unknown members reported together.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <map>

#include "plan_problems.hpp"
#include "temp_dir.hpp"
#include "tgt/decompose.hpp"
#include "tgt/explain.hpp"
#include "tgt/plan.hpp"

using namespace tgt;

namespace {

// (product, month) → cents.
std::map<std::pair<std::string, std::string>, Minor> product_months(const Plan& plan) {
    Decomposition d(plan);
    SplitRequest r;
    r.by = {"product"};
    r.period = TimeLevel::month;
    std::map<std::pair<std::string, std::string>, Minor> out;
    d.run(r, [&](const SplitRow& row) { out[{std::string(row.keys[0]), std::string(row.keys[1])}] = row.amounts[0]; });
    return out;
}

std::string plan_text(const std::string& step_extra) {
    return R"({"period": "2027", "metrics": [{"id": "sales", "unit": "元", "total": 1000}],
        "dimensions": [{"id": "product", "members": [{"id": "P", "amount": 600}, {"id": "Q", "amount": 400}]}],
        "split": [{"level": "product"},
                  {"level": "month", "by": "history", "file": "h.csv", "key": "month", "column": "sales",
                   "per": "product")" +
           step_extra + "}]}";
}

}  // namespace

TEST_CASE("seasonality per product: each product's months follow its own history") {
    test::TempDir dir("tgt-season-");
    // P: Jan 3, Feb 1, no other rows. Q: 1 every month, and two rows for December (1 + 2 = 3, summed).
    std::string csv = "month,product,sales\n2026-01,P,3\n2026-02,P,1\n";
    for (int m = 1; m <= 12; ++m)
        csv += fmt::format("2026-{:02},Q,1\n", m);
    csv += "2026-12,Q,2\n";
    dir.write("h.csv", csv);
    Plan plan = parse_plan(plan_text(""), (dir / "plan.json").string());
    auto cells = product_months(plan);
    // P 600 by 3 : 1 → Jan 450, Feb 150, the other months 0 (they have no row).
    CHECK(cells[{"P", "2027-01"}] == 45000);
    CHECK(cells[{"P", "2027-02"}] == 15000);
    CHECK(cells[{"P", "2027-03"}] == 0);
    // Q 400 = 40000 cents by weights 1 × 11 and 3 (of 14): 2857.142857… each and 8571.428571…;
    // floors 2857 × 11 + 8571 = 39998, the two cents left go to the largest remainders: December
    // (.43), then January (.14, ties to the earlier month).
    CHECK(cells[{"Q", "2027-01"}] == 2858);
    CHECK(cells[{"Q", "2027-02"}] == 2857);
    CHECK(cells[{"Q", "2027-11"}] == 2857);
    CHECK(cells[{"Q", "2027-12"}] == 8572);
    Minor q = 0;
    for (int m = 1; m <= 12; ++m)
        q += cells[{"Q", fmt::format("2027-{:02}", m)}];
    CHECK(q == 40000);
    // P's ten months without a row weigh nothing, said once.
    CHECK(mentions(plan.warnings, "10 product × month pair(s) have no row"));

    Decomposition d(plan);
    auto e = explain(d, {{"product", "Q"}, {"period", "2027-12"}}, "sales");
    REQUIRE(e.steps.size() == 2);
    // 3 of 14 = 21.428…% → 21.43 %; the first December row is line 15 (header, P × 2, Q Jan–Nov × 11 before it).
    CHECK(e.steps[1].rule == "Q: 2027-12 3 of 14 (h.csv line 15) = 21.43 %");
    CHECK(e.steps[1].share == Fraction(3, 14));
}

TEST_CASE("seasonality per product: a product without rows, an all-zero one and an unknown one") {
    test::TempDir dir("tgt-season-");
    dir.write("h.csv", "month,product,sales\n2026-01,P,0\n2026-02,P,0\n2026-05,X,7\n");
    std::string all = plan_problems(plan_text(""), (dir / "plan.json").string());
    CHECK_THAT(all, Catch::Contains("product \"P\": every month of its history in column \"sales\" is 0"));
    CHECK_THAT(all, Catch::Contains("1 product(s) have no row in"));
    CHECK_THAT(all, Catch::Contains(": Q |"));

    // "if_all_zero": "equal": both split equally; the unknown product is a warning with its line.
    Plan plan = parse_plan(plan_text(R"(, "if_all_zero": "equal")"), (dir / "plan.json").string());
    auto cells = product_months(plan);
    CHECK(cells[{"P", "2027-07"}] == 5000);  // 600 ÷ 12 = 50.00
    Minor q = 0;
    for (int m = 1; m <= 12; ++m)
        q += cells[{"Q", fmt::format("2027-{:02}", m)}];
    CHECK(q == 40000);
    CHECK(cells[{"Q", "2027-01"}] == 3334);  // 400 ÷ 12 = 33.333…: 33.34 × 4 (Jan–Apr) + 33.33 × 8
    CHECK(cells[{"Q", "2027-05"}] == 3333);
    bool found = false;
    for (const auto& w : plan.warnings)
        if (w.message.find("no product \"X\"") != std::string::npos) found = w.where.line == 4;
    CHECK(found);
}

TEST_CASE("seasonality per product: \"per\" names a dimension level split before the time step") {
    test::TempDir dir("tgt-season-");
    dir.write("h.csv", "month,product,sales\n2026-01,P,1\n");
    std::string text = R"({"period": "2027", "metrics": [{"id": "sales", "total": 1000}],
        "dimensions": [{"id": "product", "members": ["P"]}],
        "split": [{"level": "month", "by": "history", "file": "h.csv", "key": "month", "column": "sales",
                   "per": "product"}, {"level": "product"}]})";
    CHECK_THAT(plan_problems(text, (dir / "plan.json").string()),
               Catch::Contains("\"per\": level \"product\" is not split before \"month\""));
}

TEST_CASE("seasonality per region: every rep of a region follows the region's curve, within each quarter") {
    test::TempDir dir("tgt-season-");
    // Region A: 1000, 1000, 1200 in Q1; region B: 0, 0, 500. One row per region and month of Q1 only:
    // the other quarters have no rows, so "if_all_zero": "equal" splits them equally.
    dir.write("h.csv",
              "month,region,sales\n2026-01,A,1000\n2026-02,A,1000\n2026-03,A,1200\n2026-01,B,0\n2026-02,B,0\n"
              "2026-03,B,500\n");
    Plan plan = parse_plan(R"({"period": "2027", "metrics": [{"id": "sales", "unit": "元", "total": 2740000}],
        "dimensions": [{"id": "org", "levels": ["region", "rep"], "members": [
            {"id": "A", "amount": 1440000, "members": ["a1", "a2"]}, {"id": "B", "amount": 1300000, "members": ["b1"]}]}],
        "split": [{"level": "region"}, {"level": "rep", "by": "equal"}, {"level": "quarter", "by": "equal"},
                  {"level": "month", "by": "history", "file": "h.csv", "key": "month", "column": "sales",
                   "per": "region", "if_all_zero": "equal"}]})",
                           (dir / "plan.json").string());
    Decomposition d(plan);
    SplitRequest r;
    r.by = {"rep"};
    r.period = TimeLevel::month;
    std::map<std::pair<std::string, std::string>, Minor> cells;
    d.run(r, [&](const SplitRow& row) {
        cells[{std::string(row.keys[1]), std::string(row.keys[2])}] = row.amounts[0];
    });
    // a1: 1,440,000 ÷ 2 reps ÷ 4 quarters = 180,000 in Q1, by 1000 : 1000 : 1200 (of 3200):
    // Jan 56,250, Feb 56,250, Mar 67,500; Q2 equally (no rows): 60,000 a month.
    CHECK(cells[{"a1", "2027-01"}] == 5625000);
    CHECK(cells[{"a2", "2027-02"}] == 5625000);
    CHECK(cells[{"a1", "2027-03"}] == 6750000);
    CHECK(cells[{"a1", "2027-05"}] == 6000000);
    // b1: 325,000 in Q1, all of it in March (B's 0, 0, 500).
    CHECK(cells[{"b1", "2027-01"}] == 0);
    CHECK(cells[{"b1", "2027-03"}] == 32500000);
}
