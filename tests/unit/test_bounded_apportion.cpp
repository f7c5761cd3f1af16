// Bounded largest remainder: floors and caps per child, worked by hand.
#include <catch2/catch.hpp>

#include "tgt/bounded_apportion.hpp"
#include "tgt/decompose.hpp"

using namespace tgt;

namespace {
using V = std::vector<std::int64_t>;
}

TEST_CASE("bounded apportionment: floors that do not bind change nothing") {
    // 100 × (1, 2, 3) / 6 = 16.67, 33.33, 50 → 17, 33, 50 (as apportion); floors 10 do not bind.
    V floors{10, 10, 10}, caps{kNoCap, kNoCap, kNoCap};
    CHECK(apportion_bounded(100, WeightSet::from({1, 2, 3}), floors, caps) == V{17, 33, 50});
}

TEST_CASE("bounded apportionment: 7,000 吨 with at least 500 every month") {
    // Last year's months (吨): 200 200 300 500 600 700 700 700 700 600 500 300 = 6,000.
    // Unbounded ×7/6: Jan 233.3, Feb 233.3, Mar 350, Dec 350 fall below 500, nothing above.
    // Pin those four at 500 (2,000); 5,000 is left for Apr–Nov whose weights add up to 5,000:
    // they get exactly last year's 500 600 700 700 700 700 600 500, all >= 500. Σ = 7,000.
    V weights{200, 200, 300, 500, 600, 700, 700, 700, 700, 600, 500, 300};
    V floors(12, 500), caps(12, kNoCap);
    CHECK(apportion_bounded(7000, WeightSet::from(weights), floors, caps) ==
          V{500, 500, 500, 500, 600, 700, 700, 700, 700, 600, 500, 500});
}

TEST_CASE("bounded apportionment: a cap moves the excess to the others by weight") {
    // 100 × (1, 1, 2) / 4 = 25, 25, 50; the third is capped at 30: 70 left over (1, 1) → 35, 35.
    V floors{0, 0, 0}, caps{kNoCap, kNoCap, 30};
    CHECK(apportion_bounded(100, WeightSet::from({1, 1, 2}), floors, caps) == V{35, 35, 30});
}

TEST_CASE("bounded apportionment: floor and cap both violated, the larger side is pinned first") {
    // 100 × (1, 1, 8) / 10 = 10, 10, 80; floors (30, 0, 0), cap 50 on the third.
    // Below floors by 20, above caps by 30: pin the cap (50). 50 left over (1, 1) → 25, 25: the
    // first is below 30, pin it; the second takes 20. Check: the free child's ratio λ = 20 ≤ 30/1
    // (floor child) and 50/8 ≤ 20 (capped child), as the rule demands.
    V floors{30, 0, 0}, caps{kNoCap, kNoCap, 50};
    CHECK(apportion_bounded(100, WeightSet::from({1, 1, 8}), floors, caps) == V{30, 20, 50});
}

TEST_CASE("bounded apportionment: the free children are rounded by largest remainder") {
    // 100 × (1, 4, 5) / 10 = 10, 40, 50; floor 20 on the first (below by 10), cap 45 on the third
    // (above by 5): pin the floor. 80 left over (4, 5): 320/9 = 35.56, 400/9 = 44.44 (≤ 45):
    // floors 35 + 44 = 79, the one unit left goes to the larger remainder 5/9 → 36, 44.
    V floors{20, 0, 0}, caps{kNoCap, kNoCap, 45};
    CHECK(apportion_bounded(100, WeightSet::from({1, 4, 5}), floors, caps) == V{20, 36, 44});
}

TEST_CASE("bounded apportionment: zero weights take their floor, and what caps leave over") {
    // Weight 0 gets 0 unbounded; with a floor of 3 it gets 3, the other 7.
    CHECK(apportion_bounded(10, WeightSet::from({0, 1}), V{3, 0}, V{kNoCap, kNoCap}) == V{3, 7});
    // The only weighted child is capped at 4: the 6 left go to the zero-weight children equally.
    CHECK(apportion_bounded(10, WeightSet::from({1, 0, 0}), V{0, 0, 0}, V{4, kNoCap, kNoCap}) == V{4, 3, 3});
}

TEST_CASE("bounded apportionment: every impossible bound is reported at once") {
    // 12 × 600 = 7,200 > 7,000.
    V floors(12, 600), caps(12, kNoCap);
    auto v = bound_violations(7000, floors, caps);
    REQUIRE(v.size() == 1);
    CHECK(v[0].kind == BoundViolation::Kind::floors_exceed);
    CHECK(v[0].bounds_sum == 7200);
    CHECK(v[0].total == 7000);
    // Floors 5 + 9 = 14 > 10, caps 6 + 2 = 8 < 10 and the second floor 9 > its cap 2: three problems.
    auto all = bound_violations(10, V{5, 9}, V{6, 2});
    REQUIRE(all.size() == 3);
    CHECK(all[0].kind == BoundViolation::Kind::floor_above_cap);
    CHECK(all[0].child == 1);
    CHECK(all[1].kind == BoundViolation::Kind::floors_exceed);
    CHECK(all[1].bounds_sum == 14);
    CHECK(all[2].kind == BoundViolation::Kind::caps_short);
    CHECK(all[2].bounds_sum == 8);
    CHECK_THROWS_AS(apportion_bounded(7000, WeightSet::from(V(12, 1)), floors, caps), std::invalid_argument);
    // 12 × 500 = 6,000 <= 7,000: feasible.
    CHECK(bound_violations(7000, V(12, 500), caps).empty());
}

TEST_CASE("floors through a plan: examples/floors-and-caps.json") {
    // The hand-worked case above, read from the example: 吨 are whole units (decimals 0).
    Plan plan = load_plan(std::string(TGT_EXAMPLES_DIR) + "/floors-and-caps.json");
    Decomposition d(plan);
    SplitRequest request;
    request.period = TimeLevel::month;
    V months;
    d.run(request, [&](const SplitRow& row) { months.push_back(row.amounts[0]); });
    CHECK(months == V{500, 500, 500, 500, 600, 700, 700, 700, 700, 600, 500, 500});
}

TEST_CASE("floors through a plan: 12 × 600 > 7,000 is refused with its arithmetic") {
    std::string json = R"({"period": "2027", "metrics": [{"id": "volume", "kind": "count", "total": 7000}],
                           "split": [{"level": "month", "by": "equal", "floor": "600"}]})";
    Plan plan = parse_plan(json, "floors.json");
    Decomposition d(plan);
    SplitRequest request;
    request.period = TimeLevel::month;
    try {
        d.run(request, [](const SplitRow&) {});
        FAIL("the split should have been refused");
    } catch (const Error& e) {
        CHECK_THAT(std::string(e.what()), Catch::Contains("floors 12 × 600 = 7,200 > 7,000"));
    }
}
