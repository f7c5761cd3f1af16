// The worked examples of DOMAIN.md, computed through the library.
#include <catch2/catch.hpp>
#include <map>

#include "tgt/checks.hpp"
#include "tgt/decompose.hpp"

using namespace tgt;

namespace {

struct Rows {
    std::vector<std::vector<std::string>> keys;
    std::vector<std::vector<Minor>> amounts;
};

Rows split(const std::string& example, SplitRequest request) {
    Plan plan = load_plan(std::string(TGT_EXAMPLES_DIR) + "/" + example);
    Decomposition d(plan);
    Rows rows;
    d.run(request, [&](const SplitRow& row) {
        rows.keys.emplace_back(row.keys.begin(), row.keys.end());
        rows.amounts.emplace_back(row.amounts.begin(), row.amounts.end());
    });
    return rows;
}

SplitRequest by(std::vector<std::string> levels, std::optional<TimeLevel> period = std::nullopt) {
    SplitRequest r;
    r.by = std::move(levels);
    r.period = period;
    return r;
}

std::vector<Minor> column(const Rows& rows, std::size_t c = 0) {
    std::vector<Minor> out;
    for (const auto& a : rows.amounts)
        out.push_back(a[c]);
    return out;
}

constexpr Minor wan = 1'000'000;  // 1万 yuan in cents

}  // namespace

TEST_CASE("example 1: quarters by share") {
    auto rows = split("quarters-by-share.json", by({}, TimeLevel::quarter));
    CHECK(column(rows) == std::vector<Minor>{2000 * wan, 2500 * wan, 3000 * wan, 2500 * wan});
}

TEST_CASE("example 2: equal months rounded along the declared hierarchy") {
    auto rows = split("equal-months.json", by({}, TimeLevel::month));
    Minor big = 833'400'00, small = 833'300'00;
    CHECK(column(rows) ==
          std::vector<Minor>{big, small, small, big, small, small, big, small, small, big, small, small});
}

TEST_CASE("example 3: regions, products and channels by amount") {
    CHECK(column(split("region-product-channel.json", by({"region"}))) ==
          std::vector<Minor>{150 * wan, 200 * wan, 300 * wan, 250 * wan, 100 * wan});
    CHECK(column(split("region-product-channel.json", by({"product"}))) ==
          std::vector<Minor>{300 * wan, 400 * wan, 300 * wan});
    CHECK(column(split("region-product-channel.json", by({"channel"}))) ==
          std::vector<Minor>{300 * wan, 400 * wan, 300 * wan});
}

TEST_CASE("example 4: a store's quarters by amount") {
    CHECK(column(split("store-by-quarter.json", by({}, TimeLevel::quarter))) ==
          std::vector<Minor>{25 * wan, 30 * wan, 30 * wan, 15 * wan});
}

TEST_CASE("example 5: commitment and stretch at whole 万, ties to the earlier month") {
    auto rows = split("commitment-and-stretch.json", by({}, TimeLevel::month));
    for (int m = 0; m < 12; ++m) {
        CHECK(rows.amounts[static_cast<std::size_t>(m)][0] == (m < 8 ? 47 : 46) * wan);
        CHECK(rows.amounts[static_cast<std::size_t>(m)][1] == (m < 4 ? 59 : 58) * wan);
    }
}

TEST_CASE("example 7: a weekday pattern gives more to weekends, nothing to closed holidays") {
    SplitRequest r = by({}, TimeLevel::day);
    r.where = {{"month", "2027-03"}};
    auto rows = split("store-by-quarter.json", r);
    REQUIRE(rows.keys.size() == 31);
    // 2027-03-06 is a Saturday (21000), 2027-03-01 a Monday (12000).
    std::map<std::string, Minor> day;
    for (std::size_t i = 0; i < rows.keys.size(); ++i)
        day[rows.keys[i][0]] = rows.amounts[i][0];
    CHECK(day["2027-03-06"] > day["2027-03-01"]);
    Minor total = 0;
    for (auto& [k, v] : day)
        total += v;
    CHECK(total == split("store-by-quarter.json", by({}, TimeLevel::month)).amounts[2][0]);
    auto feb = split("store-by-quarter.json", [] {
        SplitRequest q = by({}, TimeLevel::day);
        q.where = {{"month", "02"}};
        return q;
    }());
    CHECK(feb.amounts[4][0] == 0);  // 2027-02-05, Spring Festival, closed
}

TEST_CASE("over-assignment: reps carry 110 % of their region and the task column keeps the commitment") {
    SplitRequest r = by({"region"});
    r.with_task = true;
    auto rows = split("over-assignment.json", r);
    CHECK(rows.amounts[0] == std::vector<Minor>{660 * wan, 600 * wan});
    CHECK(rows.amounts[1] == std::vector<Minor>{440 * wan, 400 * wan});
}

TEST_CASE("a per-member override replaces the global mix for that member only") {
    SplitRequest r = by({"rep", "product"});
    r.where = {{"region", "华北"}};
    auto rows = split("sales-org.json", r);
    REQUIRE(rows.keys.size() == 6);
    // 赵磊 follows the global 50/30/20 mix; 孙丽 sells no hardware.
    CHECK(rows.amounts[0][0] == rows.amounts[1][0] * 5 / 3);
    CHECK(rows.keys[3][1] == "孙丽");
    CHECK(rows.amounts[3][0] == 0);
}

TEST_CASE("every grain reconciles to the plan total") {
    for (const char* example : {"sales-org.json", "units-and-amounts.json", "weeks.json", "june-to-december.json",
                                "fiscal-year.json", "fallbacks.json", "reps-from-history.json"}) {
        INFO(example);
        Plan plan = load_plan(std::string(TGT_EXAMPLES_DIR) + "/" + example);
        Decomposition d(plan);
        std::vector<std::string> levels;
        for (const auto& dim : plan.dimensions)
            levels.insert(levels.end(), dim.levels.begin(), dim.levels.end());
        for (auto period : {std::optional<TimeLevel>{}, std::optional<TimeLevel>{TimeLevel::day}}) {
            if (period && std::none_of(plan.steps.begin(), plan.steps.end(), [](const Step& s) {
                    return s.kind == Step::Kind::time && s.time == TimeLevel::day;
                }))
                continue;
            SplitRequest r = by(levels, period);
            std::vector<Minor> sums(plan.metrics.size(), 0);
            d.run(r, [&](const SplitRow& row) {
                for (std::size_t m = 0; m < sums.size(); ++m)
                    sums[m] += row.amounts[m];
            });
            for (std::size_t m = 0; m < sums.size(); ++m)
                CHECK(sums[m] == plan.metrics[m].total);
        }
    }
}

TEST_CASE("an impossible grain is a usage error") {
    Plan plan = load_plan(std::string(TGT_EXAMPLES_DIR) + "/sales-org.json");
    Decomposition d(plan);
    SplitRequest r = by({}, TimeLevel::day);
    try {
        d.run(r, [](const SplitRow&) {});
        FAIL("expected an error");
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::usage);
        CHECK(std::string(e.what()).find("splits time down to month") != std::string::npos);
    }
    CHECK_THROWS_AS(d.layout(by({"regoin"})), Error);
}

TEST_CASE("a parallel walk gives the same rows in the same order, at every grain") {
    Plan plan = load_plan(std::string(TGT_EXAMPLES_DIR) + "/sales-org.json");
    Decomposition d(plan);
    for (auto levels : {std::vector<std::string>{}, std::vector<std::string>{"region"}, std::vector<std::string>{"rep"},
                        std::vector<std::string>{"rep", "product"}, std::vector<std::string>{"product"}}) {
        for (auto period : {std::optional<TimeLevel>{}, std::optional<TimeLevel>{TimeLevel::month}}) {
            SplitRequest r = by(levels, period);
            std::vector<std::pair<std::vector<std::string>, Minor>> one, two;
            d.run(r, [&](const SplitRow& row) {
                one.emplace_back(std::vector<std::string>(row.keys.begin(), row.keys.end()), row.amounts[0]);
            });
            r.threads = 3;
            d.run(r, [&](const SplitRow& row) {
                two.emplace_back(std::vector<std::string>(row.keys.begin(), row.keys.end()), row.amounts[0]);
            });
            CHECK(one == two);
        }
    }
}

TEST_CASE("rows as text are the rows the sink gets, in order, on one thread or several, in shards") {
    Plan plan = load_plan(std::string(TGT_EXAMPLES_DIR) + "/sales-org.json");
    Decomposition d(plan);
    // Each row as "key|key|amount;" - the text a formatter writes must follow the sink's rows exactly.
    auto line = [](const SplitRow& row, std::string& out) {
        for (auto k : row.keys)
            out.append(k).push_back('|');
        out += std::to_string(row.amounts[0]) + "\n";
    };
    for (auto levels : {std::vector<std::string>{"region"}, std::vector<std::string>{"rep", "product"}}) {
        for (auto period : {std::optional<TimeLevel>{}, std::optional<TimeLevel>{TimeLevel::month}}) {
            SplitRequest r = by(levels, period);
            std::string expected;
            d.run(r, [&](const SplitRow& row) { line(row, expected); });
            REQUIRE(!expected.empty());
            for (int threads : {1, 2, 3}) {
                r.threads = threads;
                std::string written;
                SplitText text;
                text.make_format = [&] {
                    return std::function<void(const SplitRow&, std::string&)>(line);
                };  // called on each walking thread
                text.write = [&](std::string_view rows) { written.append(rows); };
                d.run(r, text);
                CHECK(written == expected);
            }
            r.threads = 1;
            r.shards = 2;
            std::string shards;
            for (std::size_t k = 0; k < 2; ++k) {
                r.shard = k;
                SplitText text{[&] { return std::function<void(const SplitRow&, std::string&)>(line); },
                               [&](std::string_view rows) { shards.append(rows); }};
                d.run(r, text);
            }
            CHECK(shards == expected);
        }
    }
}

TEST_CASE("shards concatenated in order give one run's rows, whatever their count") {
    for (const char* example : {"sales-org.json", "reps-joining.json", "region-product-channel.json"}) {
        INFO(example);
        Plan plan = load_plan(std::string(TGT_EXAMPLES_DIR) + "/" + example);
        Decomposition d(plan);
        std::string first = plan.steps[0].level;
        std::string deepest = plan.dimensions[0].levels.back();
        for (auto levels : {std::vector<std::string>{first}, std::vector<std::string>{deepest}}) {
            for (auto period : {std::optional<TimeLevel>{}, std::optional<TimeLevel>{TimeLevel::quarter}}) {
                using Row = std::pair<std::vector<std::string>, std::vector<Minor>>;
                auto collect = [](std::vector<Row>& rows) {
                    return [&rows](const SplitRow& row) {
                        rows.emplace_back(std::vector<std::string>(row.keys.begin(), row.keys.end()),
                                          std::vector<Minor>(row.amounts.begin(), row.amounts.end()));
                    };
                };
                SplitRequest r = by(levels, period);
                std::vector<Row> one;
                d.run(r, collect(one));
                REQUIRE(!one.empty());
                // 1 share (all), fewer shares than nodes, and more shares than nodes (some get none).
                for (std::size_t n : {std::size_t{1}, std::size_t{2}, std::size_t{3}, std::size_t{64}}) {
                    std::vector<Row> joined;
                    for (std::size_t k = 0; k < n; ++k) {
                        r.shard = k;
                        r.shards = n;
                        d.run(r, collect(joined));
                    }
                    CHECK(joined == one);
                }
            }
        }
    }
}

TEST_CASE("a shard out of range, or of a grain without the first level, is a usage error") {
    Plan plan = load_plan(std::string(TGT_EXAMPLES_DIR) + "/sales-org.json");
    Decomposition d(plan);
    SplitRequest r = by({"rep"});
    r.shard = 4;
    r.shards = 4;
    auto kind = [&] {
        try {
            d.run(r, [](const SplitRow&) {});
        } catch (const Error& e) {
            return e.kind();
        }
        return ErrorKind::bad_input;  // no error at all: fails below
    };
    CHECK(kind() == ErrorKind::usage);
    r.shards = 0;
    r.shard = 0;
    CHECK(kind() == ErrorKind::usage);
    // By product only, every row adds up over all regions: no subtree is a shard's alone.
    r = by({"product"});
    r.shard = 0;
    r.shards = 2;
    CHECK(kind() == ErrorKind::usage);
}

TEST_CASE("budget lines split like their metric: held amounts scaled, every level adds up") {
    Plan plan = load_plan(std::string(TGT_EXAMPLES_DIR) + "/budget.json");
    int revenue = plan.metric_index("revenue"), promotion = plan.metric_index("promotion"),
        events = plan.metric_index("events");
    REQUIRE(promotion >= 0);
    CHECK(plan.metrics[static_cast<std::size_t>(promotion)].budget);
    CHECK(plan.metrics[static_cast<std::size_t>(promotion)].total == 300'000'000);  // 3% of 1亿, in cents
    CHECK(plan.metrics[static_cast<std::size_t>(events)].total == 80'000'000);
    Decomposition d(plan);
    for (const char* grain : {"region", "rep"}) {
        SplitRequest request;
        request.by = {grain};
        request.period = TimeLevel::month;
        Minor sums[3] = {0, 0, 0};
        d.run(request, [&](const SplitRow& row) {
            for (int k : {revenue, promotion, events})
                sums[k == revenue ? 0 : k == promotion ? 1 : 2] += row.amounts[static_cast<std::size_t>(k)];
        });
        CHECK(sums[0] == 10'000'000'000);
        CHECK(sums[1] == 300'000'000);
        CHECK(sums[2] == 80'000'000);
    }
    SplitRequest by_rep;
    by_rep.by = {"rep"};
    d.run(by_rep, [&](const SplitRow& row) {
        if (row.keys[1] == "王芳") {  // her held 2000万 carries a held 60万 of promotion (3%)
            CHECK(row.amounts[static_cast<std::size_t>(revenue)] == 2'000'000'000);
            CHECK(row.amounts[static_cast<std::size_t>(promotion)] == 60'000'000);
        }
    });
}

TEST_CASE("over-assignment pads targets only: budget lines, by ratio or fixed, follow the task") {
    // 1000万 to three reps at 110 %: revenue 1100万 in all. The budgets follow the 1000万 task:
    // promotion 3 % = 30万 (not 33万), 10万 a rep; travel 60万 (not 66万), 20万 a rep.
    Plan plan = parse_plan(R"({"period": "2027", "metrics": [{"id": "revenue", "total": "1000万"}],
        "budgets": [{"id": "promotion", "ratio": "3%"}, {"id": "travel", "amount": "60万"}],
        "dimensions": [{"id": "rep", "members": ["A", "B", "C"]}],
        "split": [{"level": "rep", "allocate": "110%", "band": ["100%", "115%"]}]})",
                           "budget-pad.json");
    Decomposition d(plan);
    SplitRequest r;
    r.by = {"rep"};
    r.with_task = true;
    std::vector<std::vector<Minor>> rows;
    d.run(r, [&](const SplitRow& row) { rows.emplace_back(row.amounts.begin(), row.amounts.end()); });
    REQUIRE(rows.size() == 3);
    // Channels: revenue, promotion, travel, then their tasks. 1100万 = 1,100,000,000 cents ÷ 3 =
    // 366,666,666.67 → 366,666,667 cents twice, then 366,666,666 (largest remainder, ties to the first).
    CHECK(rows[0] == std::vector<Minor>{366'666'667, 10'000'000, 20'000'000, 333'333'334, 10'000'000, 20'000'000});
    CHECK(rows[2] == std::vector<Minor>{366'666'666, 10'000'000, 20'000'000, 333'333'333, 10'000'000, 20'000'000});
    // check lists the revenue's over-assignment and no budget line as over-assigned.
    auto checks = check_plan(d);
    REQUIRE(checks.size() == 1);
    CHECK(checks[0].metric == "revenue");
    CHECK(checks[0].handed_down == 1'100'000'000);
    CHECK_FALSE(checks[0].flagged);
}

namespace {

// One level "rep" whose members are `members` (JSON), split from 100万.
std::vector<Minor> rep_split(const std::string& members) {
    Plan plan = parse_plan(R"({"period": "2027", "metrics": [{"id": "s", "total": "100万"}],
        "dimensions": [{"id": "rep", "members": )" +
                               members + R"(}], "split": [{"level": "rep"}]})",
                           "plan.json");
    Decomposition d(plan);
    SplitRequest request = by({"rep"});
    std::vector<Minor> out;
    d.run(request, [&](const SplitRow& row) { out.push_back(row.amounts[0]); });
    return out;
}

}  // namespace

TEST_CASE("weights stated at different scales are brought to the largest") {
    // 1.5, 2 and 0.25 at two decimals: 150, 200 and 25 of 375. 100,000,000 cents × 150 / 375 =
    // 40,000,000; × 200 / 375 = 53,333,333.33; × 25 / 375 = 6,666,666.67: the unit left over goes
    // to the largest remainder (.67).
    CHECK(rep_split(R"([{"id": "a", "weight": 1.5}, {"id": "b", "weight": 2}, {"id": "c", "weight": 0.25}])") ==
          std::vector<Minor>{40'000'000, 53'333'333, 6'666'667});
    // The same scale everywhere: 3, 2 and 5 of 10, so 30万, 20万 and 50万.
    CHECK(rep_split(R"([{"id": "a", "weight": 3}, {"id": "b", "weight": 2}, {"id": "c", "weight": 5}])") ==
          std::vector<Minor>{30 * wan, 20 * wan, 50 * wan});
}

TEST_CASE("percentages at different scales, and members without one sharing the rest") {
    // 12.5 % and 37.50 % (scales 1 and 2) of 100万: 125,000.00 and 375,000.00 yuan; the two
    // members without a percentage share the other 50 %: 250,000.00 each.
    CHECK(rep_split(R"([{"id": "a", "weight": "12.5%"}, {"id": "b", "weight": "37.50%"}, {"id": "c"},
                        {"id": "d"}])") == std::vector<Minor>{12'500'000, 37'500'000, 25'000'000, 25'000'000});
    // 30 % and 20 % (one scale), two members without: 25 % each.
    CHECK(rep_split(R"([{"id": "a", "weight": "30%"}, {"id": "b", "weight": "20%"}, {"id": "c"}, {"id": "d"}])") ==
          std::vector<Minor>{30'000'000, 20'000'000, 25'000'000, 25'000'000});
}
