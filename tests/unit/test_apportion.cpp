#include <algorithm>
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

TEST_CASE("groups of more than 64 children: largest remainder first, ties to the earlier child") {
    // 100 children: child 0 weighs 3, the other 99 weigh 1 (Σ 102). 50 units: child 0 gets
    // 150 / 102 = 1 (remainder 48), the others 50 / 102 = 0 (remainder 50 each); 49 units are left,
    // and they go to the larger remainders 50, tied, so to the earliest: children 1 … 49.
    std::vector<std::int64_t> weights(100, 1);
    weights[0] = 3;
    std::vector<std::int64_t> expected(100, 0);
    for (std::size_t i = 0; i < 50; ++i)
        expected[i] = 1;
    CHECK(apportion(50, WeightSet::from(weights)) == expected);
    // The same weights × 10^10 (Σ past 2^32, remainders past 32 bits): the same split.
    for (auto& w : weights)
        w *= 10'000'000'000;
    CHECK(apportion(50, WeightSet::from(weights)) == expected);
    // 99 children weigh 1 and the last 2 (Σ 101): 100 units give the last 200 / 101 = 1 (remainder
    // 99) and the others 0 (remainder 100): the 99 units left go to the larger remainders, so every
    // child gets 1.
    std::vector<std::int64_t> last_heavy(100, 1);
    last_heavy[99] = 2;
    CHECK(apportion(100, WeightSet::from(last_heavy)) == std::vector<std::int64_t>(100, 1));
}

TEST_CASE("large groups agree with the largest-remainder rule written out") {
    // The rule itself, slowly: floors, then one unit each to the largest remainders (earlier child
    // first among equals).
    auto by_rule = [](std::int64_t total, const std::vector<std::int64_t>& w) {
        std::int64_t sum = std::accumulate(w.begin(), w.end(), std::int64_t{0});
        std::vector<std::int64_t> out(w.size());
        std::vector<std::pair<std::int64_t, std::size_t>> remainders;
        std::int64_t given = 0;
        for (std::size_t i = 0; i < w.size(); ++i) {
            out[i] = total * w[i] / sum;
            given += out[i];
            remainders.emplace_back(-(total * w[i] % sum), i);
        }
        std::sort(remainders.begin(), remainders.end());
        for (std::int64_t k = 0; k < total - given; ++k)
            ++out[remainders[static_cast<std::size_t>(k)].second];
        return out;
    };
    std::uint64_t state = 12345;
    auto next = [&] {
        state = state * 6364136223846793005u + 1442695040888963407u;
        return static_cast<std::int64_t>(state >> 40);
    };
    for (int round = 0; round < 20; ++round) {
        std::vector<std::int64_t> w(static_cast<std::size_t>(65 + next() % 500));
        for (auto& x : w)
            x = next() % 9;  // zeros and ties among them
        w[0] = 1 + next() % 9;
        std::int64_t total = next() % 100'000;
        CHECK(apportion(total, WeightSet::from(w)) == by_rule(total, w));
    }
}
