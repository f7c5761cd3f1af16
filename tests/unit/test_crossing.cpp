#include <fmt/format.h>
#include <catch2/catch.hpp>
#include <map>
#include <numeric>
#include <random>

#include "tgt/crossing.hpp"
#include "tgt/decompose.hpp"

using namespace tgt;

namespace {

// Row and column sums of a row-major table.
std::pair<std::vector<Minor>, std::vector<Minor>> margins(const std::vector<Minor>& cells, std::size_t cols) {
    std::vector<Minor> r(cells.size() / cols, 0), c(cols, 0);
    for (std::size_t k = 0; k < cells.size(); ++k) {
        r[k / cols] += cells[k];
        c[k % cols] += cells[k];
    }
    return {r, c};
}

}  // namespace

TEST_CASE("independence table: row × column ÷ total, exactly", "[crossing]") {
    // 1000万 in 万: regions 150/200/300/250/100, products 300/400/300: 东北 × A = 150 × 300 / 1000 = 45.
    std::vector<Minor> rows{150, 200, 300, 250, 100}, cols{300, 400, 300};
    ExactTable t = independence_table(rows, cols);
    CHECK(t.cell(0, 0) == Fraction(45));
    CHECK(t.cell(2, 1) == Fraction(120));  // 300 × 400 / 1000
    auto cells = controlled_round(t, rows, cols);
    CHECK(cells == std::vector<Minor>{45, 60, 45, 60, 80, 60, 90, 120, 90, 75, 100, 75, 30, 40, 30});
}

TEST_CASE("controlled rounding of 100 units: 34/33/33 × 15/15/14/14/14/14/14", "[crossing]") {
    // Exact cells: 34 × 15 / 100 = 5.1, 34 × 14 / 100 = 4.76; 33 × 15 / 100 = 4.95, 33 × 14 / 100 = 4.62.
    // Floors leave north 4 units to place, south and west 5 each; P1, P2 two each, P3…P7 two each.
    // Largest fractions first: .95 (south, west × P1, P2) fill P1 and P2; .76 (north × P3…P6) fill
    // north; .62: south takes P3, P4, P5; west takes P6, P7 and is one short with P7 still needing
    // one: the path west→P3, P3→north (north gives P3 back), north→P7 completes it.
    std::vector<Minor> rows{34, 33, 33}, cols{15, 15, 14, 14, 14, 14, 14};
    auto cells = controlled_round(independence_table(rows, cols), rows, cols);
    CHECK(cells == std::vector<Minor>{5, 5, 4, 5, 5, 5, 5,  //
                                      5, 5, 5, 5, 5, 4, 4,  //
                                      5, 5, 5, 4, 4, 5, 5});
}

TEST_CASE("controlled rounding: ties go to the earlier member", "[crossing]") {
    // 2 × 2, every cell 1.5: rows 3, 3, columns 3, 3. All fractions tie: (0, 0) rounds up first,
    // then (0, 1) is refused (row 0 full)… row 0 gets column 0, row 1 column 1.
    std::vector<Minor> rows{3, 3}, cols{3, 3};
    auto cells = controlled_round(independence_table(rows, cols), rows, cols);
    CHECK(cells == std::vector<Minor>{2, 1, 1, 2});
}

TEST_CASE("raking a history table meets the totals exactly", "[crossing]") {
    // History 2 × 2 of 1, 1 / 1, 3 raked to rows 40, 60 and columns 50, 50.
    std::vector<double> h{1, 1, 1, 3};
    std::vector<Minor> rows{40, 60}, cols{50, 50};
    RakeReport report;
    ExactTable t = rake_table(h, rows, cols, report);
    REQUIRE(t.rows == 2);
    CHECK(report.converged);
    CHECK(report.iterations > 1);
    // Exact margins in fine units.
    std::vector<Minor> fine(t.num.begin(), t.num.end());
    auto [r, c] = margins(fine, 2);
    CHECK(r == std::vector<Minor>{40 * report.fine, 60 * report.fine});
    CHECK(c == std::vector<Minor>{50 * report.fine, 50 * report.fine});
    // The odds ratio of the history (3) is kept: x00 x11 / (x01 x10) = 3 with x00 = a, x01 = 40 − a,
    // x10 = 50 − a, x11 = 10 + a: a(10 + a) = 3(40 − a)(50 − a) → a² − 140a + 3000 = 0 →
    // a = (140 − √7600) / 2 = 26.411; cells 26.41, 13.59 / 23.59, 36.41 round to 26, 14 / 24, 36.
    CHECK(static_cast<double>(t.num[0]) / static_cast<double>(t.den) == Approx(26.4110).epsilon(1e-4));
    auto cells = controlled_round(t, rows, cols);
    CHECK(cells == std::vector<Minor>{26, 14, 24, 36});
}

TEST_CASE("raking stops on a zero pattern the totals cannot meet", "[crossing]") {
    // Row 0 only sells product 0, but product 0's total is below row 0's.
    std::vector<double> h{1, 0, 1, 1};
    std::vector<Minor> rows{60, 40}, cols{50, 50};
    RakeReport report;
    ExactTable t = rake_table(h, rows, cols, report);
    CHECK(t.rows == 0);
    CHECK_FALSE(report.converged);
    CHECK(report.iterations == kMaxRakeIterations);
}

namespace {

// Random totals: `n` parts of `total` quanta, some of them zero.
std::vector<Minor> random_parts(std::mt19937_64& rng, std::size_t n, Minor total) {
    std::vector<Minor> w(n);
    for (auto& x : w)
        x = static_cast<Minor>(rng() % 5 == 0 ? 0 : rng() % 1000);
    if (std::accumulate(w.begin(), w.end(), Minor{0}) == 0) w[0] = 1;
    Minor sum = std::accumulate(w.begin(), w.end(), Minor{0});
    std::vector<Minor> out(n);
    Minor given = 0;
    for (std::size_t i = 0; i + 1 < n; ++i)
        given += out[i] = total * w[i] / sum;
    out[n - 1] = total - given;
    return out;
}

// Every cell ⌊x⌋ or ⌈x⌉ of the exact table, every margin exact.
void check_rounding(const ExactTable& t, const std::vector<Minor>& cells, const std::vector<Minor>& rows,
                    const std::vector<Minor>& cols) {
    auto [r, c] = margins(cells, cols.size());
    CHECK(r == rows);
    CHECK(c == cols);
    for (std::size_t k = 0; k < cells.size(); ++k) {
        Wide floor = t.num[k] / t.den;
        bool whole = t.num[k] % t.den == 0;
        CHECK((cells[k] == floor || (!whole && cells[k] == floor + 1)));
    }
}

}  // namespace

TEST_CASE("property: random crossed tables meet every total, each cell within one quantum", "[crossing][property]") {
    std::mt19937_64 rng(20261129);
    for (int round = 0; round < 300; ++round) {
        std::size_t n = 1 + rng() % 12, m = 1 + rng() % 9;
        Minor total = static_cast<Minor>(1 + rng() % 100000);
        auto rows = random_parts(rng, n, total);
        auto cols = random_parts(rng, m, total);
        INFO("round " << round << ": " << n << " × " << m << ", total " << total);
        ExactTable t = independence_table(rows, cols);
        auto cells = controlled_round(t, rows, cols);
        check_rounding(t, cells, rows, cols);
        CHECK(controlled_round(t, rows, cols) == cells);  // the same every run
        // A positive history raked to the same totals.
        std::vector<double> h(n * m);
        for (auto& x : h)
            x = 1.0 + static_cast<double>(rng() % 10000);
        RakeReport report;
        ExactTable raked = rake_table(h, rows, cols, report);
        REQUIRE(raked.rows == n);
        CHECK(report.converged);
        std::vector<Minor> fine(raked.num.begin(), raked.num.end());
        auto [fr, fc] = margins(fine, m);
        for (std::size_t i = 0; i < n; ++i)
            CHECK(fr[i] == rows[i] * report.fine);
        for (std::size_t j = 0; j < m; ++j)
            CHECK(fc[j] == cols[j] * report.fine);
        auto rounded = controlled_round(raked, rows, cols);
        check_rounding(raked, rounded, rows, cols);
        CHECK(controlled_round(raked, rows, cols) == rounded);
    }
}

TEST_CASE("property: crossed plans split the same on any thread count, totals exact", "[crossing][property]") {
    std::mt19937_64 rng(1129);
    for (int round = 0; round < 40; ++round) {
        std::size_t n = 1 + rng() % 30, m = 1 + rng() % 8;
        std::string regions, products;
        for (std::size_t i = 0; i < n; ++i)
            regions += fmt::format("{}{{\"id\": \"R{}\", \"weight\": {}}}", i ? ", " : "", i, 1000 + rng() % 5000);
        // Regions by weights far from 100 in sum (bare weights near 100 read as percentages missing
        // 100 %, an error anywhere in tgt). Products by amount: random whole-yuan parts of the 100000.00 total.
        auto parts = random_parts(rng, m, 100000);
        for (std::size_t j = 0; j < m; ++j)
            products += fmt::format("{}{{\"id\": \"P{}\", \"amount\": {}}}", j ? ", " : "", j, parts[j]);
        std::string json = fmt::format(
            R"({{"period": "2027", "metrics": [{{"id": "revenue", "total": 100000}}],
                "dimensions": [{{"id": "region", "members": [{}]}}, {{"id": "product", "members": [{}]}}],
                "split": [{{"cross": ["region", "product"]}}, {{"level": "month", "by": "equal"}}]}})",
            regions, products);
        INFO(json);
        Plan plan = parse_plan(json, "cross.json");
        Decomposition d(plan);
        std::vector<std::vector<std::pair<std::string, Minor>>> runs;
        for (int threads : {1, 3}) {
            SplitRequest request;
            request.by = {"region", "product"};
            request.threads = threads;
            auto& rows = runs.emplace_back();
            d.run(request, [&](const SplitRow& row) {
                rows.emplace_back(std::string(row.keys[0]) + "/" + std::string(row.keys[1]), row.amounts[0]);
            });
        }
        CHECK(runs[0] == runs[1]);
        std::map<std::string, Minor> by_product;
        for (const auto& [key, value] : runs[0])
            by_product[key.substr(key.find('/') + 1)] += value;
        for (std::size_t j = 0; j < m; ++j)
            CHECK(by_product[fmt::format("P{}", j)] == parts[j] * 100);  // every column total exactly
    }
}

TEST_CASE("three crossed levels: 100 units, 34/33/33 × 15/15/14×5 × 34/33/33", "[crossing]") {
    // The region × product table is the one above; north × P3 = 4 splits over channels with exact
    // values 34 × 14 × 34 / 100² = 1.6184, 34 × 14 × 33 / 100² = 1.5708 (twice): 4 = 2 + 1 + 1 or
    // 1 + 2 + 1…; every cell is ⌊x⌋ or ⌈x⌉ and every one- and two-way total below holds.
    std::vector<Minor> a{34, 33, 33}, b{15, 15, 14, 14, 14, 14, 14}, c{34, 33, 33};
    auto ab = controlled_round(independence_table(a, b), a, b);
    bool by_pairs = true;
    auto cube = round_cube(a, b, c, ab, by_pairs);
    CHECK_FALSE(by_pairs);
    // North's slice: cells of P3 (4) and the channel totals of north (34 × 34 / 100 = 11.56 → 12,
    // 34 × 33 / 100 = 11.22 → 11, 11).
    Minor north_online = 0;
    for (std::size_t j = 0; j < 7; ++j) {
        Minor pair = 0;
        for (std::size_t l = 0; l < 3; ++l)
            pair += cube[j * 3 + l];
        CHECK(pair == ab[j]);
        north_online += cube[j * 3];
    }
    CHECK(north_online == 12);
}

TEST_CASE("property: random three-way crossings meet every one-way total and the first two-way table",
          "[crossing][property]") {
    std::mt19937_64 rng(3);
    int by_pairs_count = 0;
    for (int round = 0; round < 200; ++round) {
        std::size_t n = 1 + rng() % 6, m = 1 + rng() % 6, p = 1 + rng() % 5;
        Minor total = static_cast<Minor>(1 + rng() % 100000);
        auto a = random_parts(rng, n, total), b = random_parts(rng, m, total), c = random_parts(rng, p, total);
        INFO("round " << round);
        auto ab = controlled_round(independence_table(a, b), a, b);
        bool by_pairs = false;
        auto cube = round_cube(a, b, c, ab, by_pairs);
        CHECK(round_cube(a, b, c, ab, by_pairs) == cube);  // the same every run
        by_pairs_count += by_pairs;
        std::vector<Minor> third(p, 0);
        for (std::size_t q = 0; q < n * m; ++q) {
            Minor pair = 0;
            for (std::size_t l = 0; l < p; ++l) {
                pair += cube[q * p + l];
                third[l] += cube[q * p + l];
                if (!by_pairs) {  // within one quantum of a × b × c ÷ T²
                    Wide num = static_cast<Wide>(a[q / m]) * b[q % m] * c[l], den = static_cast<Wide>(total) * total;
                    Wide fl = num / den;
                    CHECK((cube[q * p + l] == fl || (num % den != 0 && cube[q * p + l] == fl + 1)));
                }
            }
            CHECK(pair == ab[q]);
        }
        CHECK(third == c);
    }
    CHECK(by_pairs_count < 20);  // the fallback is rare
}

TEST_CASE("property: three-way crossed plans split the same on any thread count", "[crossing][property]") {
    std::mt19937_64 rng(33);
    for (int round = 0; round < 15; ++round) {
        auto members = [&](const char* prefix, std::size_t count) {
            std::string out;
            for (std::size_t i = 0; i < count; ++i)
                out += fmt::format("{}{{\"id\": \"{}{}\", \"weight\": {}}}", i ? ", " : "", prefix, i,
                                   1000 + rng() % 5000);
            return out;
        };
        std::string json = fmt::format(
            R"({{"period": "2027", "metrics": [{{"id": "units", "decimals": 0, "total": {}}}],
                "dimensions": [{{"id": "region", "members": [{}]}}, {{"id": "product", "members": [{}]}},
                               {{"id": "channel", "members": [{}]}}],
                "split": [{{"cross": ["region", "product", "channel"]}}, {{"level": "quarter", "by": "equal"}}]}})",
            1 + rng() % 5000, members("R", 1 + rng() % 12), members("P", 1 + rng() % 6), members("C", 1 + rng() % 4));
        INFO(json);
        Plan plan = parse_plan(json, "cross3.json");
        Decomposition d(plan);
        std::vector<std::vector<Minor>> runs;
        for (int threads : {1, 3}) {
            SplitRequest request;
            request.by = {"region", "product", "channel"};
            request.period = TimeLevel::quarter;
            request.threads = threads;
            auto& rows = runs.emplace_back();
            d.run(request, [&](const SplitRow& row) { rows.push_back(row.amounts[0]); });
        }
        CHECK(runs[0] == runs[1]);
        CHECK(std::accumulate(runs[0].begin(), runs[0].end(), Minor{0}) == plan.metrics[0].total);
    }
}
