// Growth per period over last year's history, and the annual growth it implies (worked by hand).
#include <catch2/catch.hpp>

#include "tgt/checks.hpp"
#include "tgt/decompose.hpp"
#include "tgt/period_growth.hpp"

using namespace tgt;

namespace {

PeriodGrowth quarters(std::vector<Decimal> rates, std::optional<Decimal> annual = std::nullopt) {
    // Last year's quarters: 2000, 2500, 3000, 2500 (万), 10000 in all.
    PeriodGrowth g;
    const char* labels[] = {"2027-Q1", "2027-Q2", "2027-Q3", "2027-Q4"};
    Wide history[] = {2000, 2500, 3000, 2500};
    for (std::size_t i = 0; i < 4; ++i) {
        g.last_year[labels[i]] = Decimal{history[i], 0};
        g.rates[labels[i]] = rates[i];
    }
    g.annual = annual;
    return g;
}

}  // namespace

TEST_CASE("growth by period: each quarter +5 % implies +5 %, not +21.55 % or +20 %") {
    Decimal five{5, 2};
    auto r = growth_readings(quarters({five, five, five, five}, Decimal{25, 2}));
    // Σ history × 1.05 = 10500; 10500 / 10000 − 1 = 0.05.
    CHECK(r.grown == Fraction(10500));
    CHECK(r.implied == Fraction(5, 100));
    // 1.05⁴ = 1.21550625; 4 × 5 % = 20 %.
    CHECK(r.compounded == Fraction(21550625, 100000000));
    CHECK(r.summed == Fraction(20, 100));
    CHECK(contradicts(r, Decimal{25, 2}));
    CHECK_FALSE(contradicts(r, Decimal{5, 2}));
    CHECK(describe_growth(r, "quarter", Decimal{25, 2}) ==
          "quarters at +5 % imply +5 % for the year (Σ history × (1 + g) ÷ Σ history − 1); read as compounding "
          "1.05⁴ = +21.55 %, as a sum 4 × 5 % = +20 %; the plan states +25 %");
}

TEST_CASE("growth by period: different rates weigh by last year's quarters") {
    // 2000 × 1.04 + 2500 × 1.05 + 3000 × 1.06 + 2500 × 1.05 = 2080 + 2625 + 3180 + 2625 = 10510:
    // +5.1 % for the year. Compounding 1.04 × 1.05 × 1.06 × 1.05 = 1.215396; summing 20 %.
    auto r = growth_readings(quarters({Decimal{4, 2}, Decimal{5, 2}, Decimal{6, 2}, Decimal{5, 2}}));
    CHECK(r.grown == Fraction(10510));
    CHECK(r.implied == Fraction(51, 1000));
    CHECK(r.compounded == Fraction(215396, 1000000));
    CHECK(r.summed == Fraction(20, 100));
    CHECK_FALSE(r.uniform);
}

TEST_CASE("growth by period through a plan: examples/growth-by-quarter.json") {
    Plan plan = load_plan(std::string(TGT_EXAMPLES_DIR) + "/growth-by-quarter.json");
    // The contradiction is a warning: the plan still splits.
    REQUIRE(plan.warnings.size() == 1);
    CHECK_THAT(plan.warnings[0].message, Catch::Contains("the plan states +25 %"));
    Decomposition d(plan);
    SplitRequest request;
    request.period = TimeLevel::quarter;
    std::vector<Minor> q;
    d.run(request, [&](const SplitRow& row) { q.push_back(row.amounts[0]); });
    // 1.25亿 by last year × 1.05 (uniform: the same shape as last year): 2500万, 3125万, 3750万, 3125万.
    constexpr Minor wan = 1'000'000;  // 1万 yuan in cents
    CHECK(q == std::vector<Minor>{2500 * wan, 3125 * wan, 3750 * wan, 3125 * wan});
    // tgt check: last year × 1.25 = 1.25亿 against the grown quarters 1.05亿.
    auto rows = check_plan(d);
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].kind == CheckRow::Kind::period_growth);
    CHECK(rows[0].target == 12500 * wan);
    CHECK(rows[0].handed_down == 10500 * wan);
    CHECK(rows[0].flagged);
}

TEST_CASE("growth by period: every reader problem at once") {
    // Growth per period needs last year's history; a list needs one rate per quarter (4, not 3);
    // annual_growth needs growth beside it.
    std::string json = R"({"period": "2027", "metrics": [{"id": "sales", "total": 100}],
        "dimensions": [{"id": "region", "members": [{"id": "A"}, {"id": "B"}]}],
        "split": [{"level": "region", "annual_growth": "5%"},
                  {"level": "quarter", "by": "equal", "growth": "5%"},
                  {"level": "month", "by": "history", "file": "none.csv", "key": "m", "column": "v",
                   "growth": ["5%", "5%", "5%"]}]})";
    try {
        parse_plan(json, "growth.json");
        FAIL("the plan should have been refused");
    } catch (const Error& e) {
        std::string all;
        for (const auto& d : e.diagnostics())
            all += d.message + "\n";
        CHECK_THAT(all, Catch::Contains("\"annual_growth\" goes beside growth per period, on a time level"));
        CHECK_THAT(all, Catch::Contains("growth per quarter grows last year's history: it needs \"by\": \"history\""));
        CHECK_THAT(all, Catch::Contains("3 growth rates listed, but the plan's period has 12 month(s)"));
    }
}
