#include <catch2/catch.hpp>

#include "tgt/cross_tab.hpp"
#include "tgt/error.hpp"
#include "tgt/plan.hpp"

using namespace tgt;

namespace {

// examples/crossed-awkward.json: 100 units, three regions 1:1:1 crossed with seven products.
const char* kAwkward = R"({"period": "2027", "metrics": [{"id": "units", "decimals": 0, "total": 100}],
  "dimensions": [{"id": "region", "members": [{"id": "north", "weight": 1}, {"id": "south", "weight": 1},
                                              {"id": "west", "weight": 1}]},
                 {"id": "product", "members": [{"id": "P1"}, {"id": "P2"}, {"id": "P3"}, {"id": "P4"},
                                               {"id": "P5"}, {"id": "P6"}, {"id": "P7"}]}],
  "split": [{"cross": ["region", "product"]}]})";

// Region E (reps a, b) and W (rep c), 90 units: regions 45/45; E's reps 22.5 each, the tie to the
// earlier: a 23, b 22; W's c 45.
const char* kOrg = R"({"period": "2027", "metrics": [{"id": "units", "decimals": 0, "total": 90},
                                                     {"id": "visits", "decimals": 0, "total": 9}],
  "dimensions": [{"id": "org", "levels": ["region", "rep"],
                  "members": [{"id": "E", "members": ["a", "b"]}, {"id": "W", "members": ["c"]}]}],
  "split": [{"level": "region", "by": "equal"}, {"level": "rep", "by": "equal"},
            {"level": "quarter", "by": "equal"}]})";

std::vector<Minor> amounts(const std::vector<TableCell>& row, std::size_t from) {
    std::vector<Minor> out;
    for (std::size_t i = from; i < row.size(); ++i)
        out.push_back(row[i].amount);
    return out;
}

}  // namespace

TEST_CASE("cross tab of 100 units: rows 34/33/33, columns 15/15/14/14/14/14/14", "[cross_tab]") {
    Plan plan = parse_plan(kAwkward, "awkward.json");
    Decomposition d(plan);
    SplitRequest request;
    request.by = {"region"};
    Table t = cross_tab(d, request, "product");
    REQUIRE(t.columns.size() == 1 + 7 + 1);  // region, P1…P7, Total
    CHECK(t.columns[0].name == "region");
    CHECK(!t.columns[0].amount);
    CHECK(t.columns[1].name == "P1");
    CHECK(t.columns[7].name == "P7");
    CHECK(t.columns[8].name == "total");
    CHECK(t.columns[8].heading() == "Total");
    REQUIRE(t.rows.size() == 4);  // north, south, west, Total
    CHECK(t.rows[0][0].text == "north");
    CHECK(t.rows[2][0].text == "west");
    CHECK(t.rows[3][0].text == "Total");
    // 100 ÷ 3 = 33⅓: the remainder unit to the earlier region. 100 ÷ 7 = 14 2/7: two units to P1, P2.
    CHECK(t.rows[0][8].amount == 34);
    CHECK(t.rows[1][8].amount == 33);
    CHECK(t.rows[2][8].amount == 33);
    CHECK(amounts(t.rows[3], 1) == std::vector<Minor>{15, 15, 14, 14, 14, 14, 14, 100});
    // Every cell is its exact value row × column ÷ 100 rounded down or up (34 × 15 ÷ 100 = 5.1 → 5 or 6,
    // 33 × 14 ÷ 100 = 4.62 → 4 or 5), and each row's cells add up to its Total.
    const Minor rows[] = {34, 33, 33}, cols[] = {15, 15, 14, 14, 14, 14, 14};
    for (std::size_t r = 0; r < 3; ++r) {
        Minor sum = 0;
        for (std::size_t c = 0; c < 7; ++c) {
            Minor cell = t.rows[r][1 + c].amount;
            Minor exact_floor = rows[r] * cols[c] / 100;
            CHECK((cell == exact_floor || cell == exact_floor + 1));
            sum += cell;
        }
        CHECK(sum == rows[r]);
    }
}

TEST_CASE("cross tab: a pair the split never reaches is absent, Chinese labels", "[cross_tab]") {
    Plan plan = parse_plan(kOrg, "org.json");
    Decomposition d(plan);
    SplitRequest request;
    request.by = {"rep"};
    request.metrics = {"units"};
    Table t = cross_tab(d, request, "region", Lang::zh);
    REQUIRE(t.columns.size() == 4);  // rep, E, W, 合计
    CHECK(t.columns[0].name == "rep");
    CHECK(t.columns[3].heading() == "合计");
    REQUIRE(t.rows.size() == 4);  // a, b, c, 合计
    CHECK(t.rows[0][1].amount == 23);
    CHECK(!t.rows[0][2].present);  // a is in E, never in W
    CHECK(t.rows[1][1].amount == 22);
    CHECK(!t.rows[2][1].present);
    CHECK(t.rows[2][2].amount == 45);
    CHECK(t.rows[3][0].text == "合计");
    CHECK(amounts(t.rows[3], 1) == std::vector<Minor>{45, 45, 90});
}

TEST_CASE("cross tab across quarters without a grain: one row, no Total row", "[cross_tab]") {
    Plan plan = parse_plan(kOrg, "org.json");
    Decomposition d(plan);
    SplitRequest request;
    request.metrics = {"units"};
    Table t = cross_tab(d, request, "quarter");
    // Quarters are split under each rep, remainders to the earlier quarters: a 23 → 6/6/6/5, b 22 →
    // 6/6/5/5, c 45 → 12/11/11/11; each quarter is their sum: 24, 23, 22, 21.
    REQUIRE(t.rows.size() == 1);
    CHECK(t.columns[0].name == "2027-Q1");
    CHECK(amounts(t.rows[0], 0) == std::vector<Minor>{24, 23, 22, 21, 90});
}

TEST_CASE("cross tab usage errors: level in --by, several metrics, a --period beside a time level", "[cross_tab]") {
    Plan plan = parse_plan(kOrg, "org.json");
    Decomposition d(plan);
    auto kind_of = [&](SplitRequest request, const char* across) {
        try {
            cross_tab(d, request, across);
        } catch (const Error& e) {
            return e.kind();
        }
        return ErrorKind::io;  // no error
    };
    SplitRequest in_by;
    in_by.by = {"region"};
    CHECK(kind_of(in_by, "region") == ErrorKind::usage);
    SplitRequest two;
    two.by = {"region"};
    two.metrics = {"units", "visits"};
    CHECK(kind_of(two, "quarter") == ErrorKind::usage);
    SplitRequest period;
    period.period = TimeLevel::year;
    CHECK(kind_of(period, "quarter") == ErrorKind::usage);
    CHECK(kind_of(SplitRequest{}, "nope") == ErrorKind::usage);
    CHECK(kind_of(SplitRequest{}, "region") == ErrorKind::io);  // the first metric, units
}

TEST_CASE("cross tab of the metric asked for, not the plan's first", "[cross_tab]") {
    Plan plan = parse_plan(kOrg, "org.json");
    Decomposition d(plan);
    SplitRequest request;
    request.metrics = {"visits"};
    Table t = cross_tab(d, request, "region");
    // 9 visits by two equal regions: 4.5 each, the remainder unit to the earlier, E.
    REQUIRE(t.rows.size() == 1);
    CHECK(amounts(t.rows[0], 0) == std::vector<Minor>{5, 4, 9});
}
