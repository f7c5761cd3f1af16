#include <catch2/catch.hpp>
#include <numeric>

#include "tgt/apportion.hpp"

using namespace tgt;

TEST_CASE("largest remainder hands out every unit, ties to the earlier child") {
    auto w = WeightSet::from({1, 1, 1});
    CHECK(apportion(100, w) == std::vector<std::int64_t>{34, 33, 33});
    CHECK(apportion(2, w) == std::vector<std::int64_t>{1, 1, 0});
    // 10 split 1:1:1:1 with remainders all tied: the first two get the extra units.
    CHECK(apportion(10, WeightSet::from({1, 1, 1, 1})) == std::vector<std::int64_t>{3, 3, 2, 2});
}

TEST_CASE("the largest remainder wins over the earlier child") {
    // 10 × (1, 2, 3) / 6 = 1.67, 3.33, 5 → floors 1, 3, 5; one unit left goes to the .67.
    CHECK(apportion(10, WeightSet::from({1, 2, 3})) == std::vector<std::int64_t>{2, 3, 5});
}

TEST_CASE("zero weights get zero, even when units are left over") {
    auto parts = apportion(7, WeightSet::from({0, 1, 0, 1, 0}));
    CHECK(parts == std::vector<std::int64_t>{0, 4, 0, 3, 0});
}

TEST_CASE("amounts whose products pass 64 bits are still exact") {
    std::int64_t total = 100'000'000'000;  // 1e9 yuan in cents
    auto w = WeightSet::from({3'000'000'000'000'000, 7'000'000'000'000'000, 1});
    auto parts = apportion(total, w);
    CHECK(std::accumulate(parts.begin(), parts.end(), std::int64_t{0}) == total);
    // Exact shares: 29,999,999,999.997…, 69,999,999,999.993…, 0.00001…: the two units left over
    // go to the two largest remainders.
    CHECK(parts[0] == 30'000'000'000);
    CHECK(parts[1] == 70'000'000'000);
    CHECK(parts[2] == 0);
}

TEST_CASE("bad weight sets are refused") {
    CHECK_THROWS_AS(WeightSet::from({0, 0}), std::invalid_argument);
    CHECK_THROWS_AS(WeightSet::from({1, -1}), std::invalid_argument);
    CHECK_THROWS_AS(WeightSet::from({std::numeric_limits<std::int64_t>::max(), 1}), std::invalid_argument);
    CHECK_THROWS_AS(apportion(-1, WeightSet::from({1})), std::invalid_argument);
}

TEST_CASE("uniform weights take the fast path with the same answer as the general rule") {
    auto fast = WeightSet::from({0, 5, 5, 0, 5});
    CHECK(fast.uniform);
    CHECK(apportion(11, fast) == std::vector<std::int64_t>{0, 4, 4, 0, 3});
}
