// Rebalance: periods that are over held at their actuals, the rest of each node's target re-spread
// by its original curve; written as a plan that splits back to exactly those figures.
#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>

#include "temp_dir.hpp"
#include "tgt/progress.hpp"
#include "tgt/rebalance.hpp"

using namespace tgt;
namespace fs = std::filesystem;

namespace {

// A unique folder per test, removed when it ends.
test::TempDir scratch_dir(const std::string& name) {
    return test::TempDir("tgt-rebalance-" + name + "-");
}

void write(const fs::path& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
}

Rebalance run(const std::string& plan_text, const fs::path& plan_path, const fs::path& actuals, Date as_of,
              const std::string& output = {}) {
    write(plan_path, plan_text);
    Plan plan = parse_plan(plan_text, plan_path.string());
    Decomposition d(plan);
    RebalanceRequest request;
    request.as_of = as_of;
    request.actuals = {actuals.string()};
    request.output_path = output;
    return rebalance(d, plan_text, request);
}

Date date(const char* text) {
    return *parse_date(text);
}

}  // namespace

TEST_CASE("rebalance: DOMAIN.md example 9 re-spreads the last two weeks") {
    std::ifstream in(std::string(TGT_EXAMPLES_DIR) + "/weekly-tracking.json");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto dir = scratch_dir("weekly");
    Rebalance r =
        run(text, dir / "plan.json", fs::path(TGT_EXAMPLES_DIR) / "data" / "actuals-weekly.csv", date("2027-03-14"));
    REQUIRE(r.nodes.size() == 1);
    REQUIRE(r.periods.size() == 4);
    CHECK(r.closed == 2);
    CHECK(r.after == std::vector<Minor>{10000, 13000, 12500, 12500});  // 480 − 230 = 250 over two equal weeks
    CHECK(r.unplanned_actual == 2000);                                 // 王五 is not in the plan
    CHECK(r.raised.empty());
}

TEST_CASE("rebalance: relative files of the plan still resolve from where the new plan is written") {
    auto dir = scratch_dir("paths");
    fs::create_directories(dir / "in" / "data");
    fs::create_directories(dir / "out");
    write(dir / "in" / "data" / "months.csv", "month,weight\n2027-01,1\n2027-02,1\n2027-03,2\n");
    write(dir / "in" / "calendar.json", R"({"holidays": ["2027-01-04"]})");
    write(dir / "actuals.csv", "date,rep,sales\n2027-01-20,a,10\n");
    std::string plan = R"({"period": {"start": "2027-01-01", "end": "2027-03-31"}, "calendar": "calendar.json",
        "metrics": [{"id": "sales", "total": 400}], "dimensions": [{"id": "rep", "members": ["a", "b"]}],
        "split": [{"level": "rep"}, {"level": "month", "by": "history", "file": "data/months.csv",
                   "key": "month", "column": "weight"}, {"level": "day", "by": "working_days"}]})";
    Rebalance r = run(plan, dir / "in" / "plan.json", dir / "actuals.csv", date("2027-01-31"),
                      (dir / "out" / "new.json").string());
    CHECK(r.plan_json.find("\"calendar\": \"../in/calendar.json\"") != std::string::npos);
    CHECK(r.plan_json.find("\"file\": \"../in/data/months.csv\"") != std::string::npos);
    write(dir / "out" / "new.json", r.plan_json);
    Plan again = load_plan((dir / "out" / "new.json").string());
    CHECK(again.calendar.working_days(date("2027-01-04"), date("2027-01-04")) == 0);  // the holiday came along
    // a: 200 for the quarter, 10 sold in January; 190 over February and March as 1 : 2.
    CHECK(r.after[0] == 1000);
    CHECK(r.after[1] + r.after[2] == 19000);
    CHECK(r.after[2] == 2 * r.after[1] + 1);  // 63.33 and 126.67: the odd cent to the larger remainder
}

TEST_CASE("rebalance: plans it cannot rebalance say why") {
    auto dir = scratch_dir("errors");
    write(dir / "actuals.csv", "date,rep,sales\n2027-01-20,a,10\n");
    std::string two_metrics = R"({"period": "2027", "metrics": [{"id": "sales", "total": 10}, {"id": "units",
        "kind": "count", "total": 5}], "dimensions": [{"id": "rep", "members": ["a"]}],
        "split": [{"level": "rep"}, {"level": "month", "by": "equal"}]})";
    CHECK_THROWS_WITH(run(two_metrics, dir / "p1.json", dir / "actuals.csv", date("2027-03-31")),
                      Catch::Contains("2 metrics (sales, units)"));
    std::string no_time = R"({"period": "2027", "metrics": [{"id": "sales", "total": 10}],
        "dimensions": [{"id": "rep", "members": ["a"]}], "split": [{"level": "rep"}]})";
    CHECK_THROWS_WITH(run(no_time, dir / "p2.json", dir / "actuals.csv", date("2027-03-31")),
                      Catch::Contains("no time level"));
    std::string fine = R"({"period": "2027", "metrics": [{"id": "sales", "total": 10}],
        "dimensions": [{"id": "rep", "members": ["a"]}], "split": [{"level": "rep"}, {"level": "month", "by": "equal"}]})";
    CHECK_THROWS_WITH(run(fine, dir / "p3.json", dir / "actuals.csv", date("2027-12-31")),
                      Catch::Contains("nothing is left to re-spread"));
}

TEST_CASE("rebalance: random organisations and sales are held, re-spread and raised exactly, and the plan agrees") {
    std::mt19937 random(2027);
    auto dir = scratch_dir("random");
    for (int round = 0; round < 60; ++round) {
        INFO("round " << round);
        // region → rep, months by random weights or working days, sometimes days below.
        int regions = 1 + static_cast<int>(random() % 3);
        std::string members;
        std::vector<std::string> reps;
        for (int g = 0; g < regions; ++g) {
            members += (g ? ", " : "") + std::string("{\"id\": \"G") + std::to_string(g) + "\", \"members\": [";
            int n = 1 + static_cast<int>(random() % 4);
            for (int i = 0; i < n; ++i) {
                std::string id = "r" + std::to_string(g) + std::to_string(i);
                reps.push_back(id);
                members += (i ? ", " : "") + std::string("{\"id\": \"") + id +
                           "\", \"weight\": " + std::to_string(random() % 4) + "}";
            }
            members += "]}";
        }
        std::string months = random() % 2 ? "\"by\": \"working_days\"" : "\"weights\": [";
        if (months.back() == '[') {
            for (int m = 0; m < 6; ++m)
                months += (m ? ", " : "") + std::to_string(random() % 5);
            months += "], \"if_all_zero\": \"equal\"";
        }
        std::string plan =
            R"({"period": {"start": "2027-01-01", "end": "2027-06-30"},
            "metrics": [{"id": "sales", "total": ")" +
            std::to_string(1000 + random() % 100000) + "." + std::to_string(10 + random() % 90) +
            R"("}], "dimensions": [{"id": "org", "levels": ["region", "rep"], "members": [)" + members +
            R"(]}], "split": [{"level": "region", "if_all_zero": "equal"}, {"level": "rep", "if_all_zero": "equal"},
                {"level": "month", )" +
            months + "}" + (random() % 2 ? R"(, {"level": "day", "by": "working_days"})" : "") + "]}";
        std::string actuals = "date,rep,sales\n";
        int rows = static_cast<int>(random() % 40);
        for (int i = 0; i < rows; ++i) {
            int month = 1 + static_cast<int>(random() % 6), day = 1 + static_cast<int>(random() % 28);
            std::string rep = random() % 15 == 0 ? "ghost" : reps[random() % reps.size()];
            long cents = static_cast<long>(random() % 3000000) - (random() % 10 == 0 ? 3000000 : 0);
            actuals +=
                fmt::format("2027-{:02d}-{:02d},{},{}.{:02d}\n", month, day, rep, cents / 100, std::abs(cents % 100));
        }
        write(dir / "actuals.csv", actuals);
        const char* ends[] = {"2027-01-31", "2027-02-28", "2027-03-31", "2027-04-30", "2027-05-31"};
        Date as_of = date(ends[random() % 5]);
        Rebalance r = run(plan, dir / "plan.json", dir / "actuals.csv", as_of);

        const std::size_t periods = r.periods.size();
        Minor grand = 0;
        for (std::size_t n = 0; n < r.nodes.size(); ++n) {
            Minor target = 0, held = 0, open_weight = 0, total = 0;
            std::vector<std::int64_t> weights;
            for (std::size_t p = 0; p < periods; ++p) {
                target += r.at(r.before, n, p);
                total += r.at(r.after, n, p);
                if (p < r.closed) {
                    held += std::max<Minor>(r.at(r.actual, n, p), 0);
                } else {
                    open_weight += r.at(r.before, n, p);
                    weights.push_back(r.at(r.before, n, p));
                }
            }
            grand += total;
            if (open_weight == 0) {  // nothing to re-spread by: as it was
                for (std::size_t p = 0; p < periods; ++p)
                    CHECK(r.at(r.after, n, p) == r.at(r.before, n, p));
                continue;
            }
            for (std::size_t p = 0; p < r.closed; ++p)
                CHECK(r.at(r.after, n, p) == std::max<Minor>(r.at(r.actual, n, p), 0));
            CHECK(total == std::max(target, held));
            // The open periods: what is left, by largest remainder over the original targets.
            std::vector<std::int64_t> expected(weights.size(), 0);
            if (held < target) expected = apportion(target - held, WeightSet::from(weights));
            for (std::size_t p = r.closed; p < periods; ++p)
                CHECK(r.at(r.after, n, p) == expected[p - r.closed]);
        }
        // The plan itself: it splits to the same total, and progress on it is on pace to the day.
        Plan again = parse_plan(r.plan_json, (dir / "new.json").string());
        Decomposition d(again);
        Minor split_total = 0;
        SplitRequest whole;
        d.run(whole, [&](const SplitRow& row) { split_total += row.amounts[0]; });
        CHECK(split_total == grand);
        ProgressRequest request;
        request.by = {"rep"};
        request.as_of = as_of;
        request.actuals = {(dir / "actuals.csv").string()};
        ProgressReport report = progress(d, request);
        for (const auto& row : report.rows) {
            if (!row.planned) continue;
            auto it = std::find_if(r.nodes.begin(), r.nodes.end(), [&](const auto& k) { return k[1] == row.keys[1]; });
            REQUIRE(it != r.nodes.end());
            auto n = static_cast<std::size_t>(it - r.nodes.begin());
            if (std::find(r.unchanged.begin(), r.unchanged.end(), n) != r.unchanged.end()) continue;
            Minor held = 0;
            for (std::size_t p = 0; p < r.closed; ++p)
                held += std::max<Minor>(r.at(r.actual, n, p), 0);
            bool has_open_weight = false;
            for (std::size_t p = r.closed; p < periods; ++p)
                has_open_weight = has_open_weight || r.at(r.before, n, p) > 0;
            if (has_open_weight) CHECK(row.target_to_date == held);
        }
    }
}

TEST_CASE("overrides naming the same levels are found through an index, the first one winning") {
    // Ten overrides (an index is built from eight), one of them twice: the first applies.
    std::string overrides;
    for (int i = 0; i < 10; ++i)
        overrides +=
            fmt::format(R"({{"where": {{"rep": "r{}"}}, "weights": {{"2027-01": 1, "2027-02": {}}}}}, )", i, i + 1);
    overrides += R"({"where": {"rep": "r3"}, "weights": {"2027-01": 1, "2027-02": 0}})";
    std::string reps;
    for (int i = 0; i < 11; ++i)
        reps += fmt::format("{}\"r{}\"", i ? ", " : "", i);
    Plan plan = parse_plan(R"({"period": {"start": "2027-01-01", "end": "2027-02-28"}, "metrics": [{"id": "s",
        "total": 1100}], "dimensions": [{"id": "rep", "members": [)" +
                               reps + R"(]}], "split": [{"level": "rep"}, {"level": "month", "by": "equal",
        "overrides": [)" + overrides +
                               "]}]}",
                           "index.json");
    Decomposition d(plan);
    SplitRequest request;
    request.by = {"rep"};
    request.period = TimeLevel::month;
    std::map<std::string, std::vector<Minor>> got;
    d.run(request, [&](const SplitRow& row) { got[std::string(row.keys[0])].push_back(row.amounts[0]); });
    CHECK(got["r3"] == std::vector<Minor>{2000, 8000});   // 1 : 4, the first r3 override
    CHECK(got["r9"] == std::vector<Minor>{909, 9091});    // 1 : 10
    CHECK(got["r10"] == std::vector<Minor>{5000, 5000});  // no override: equal
}

TEST_CASE("rebalance: actuals that are not whole quanta cannot be held, and every one is said") {
    auto dir = scratch_dir("quanta");
    // Quantum 1 (100 minor units): A's 10.50 in January and B's 20.25 in February are not whole;
    // A's 3 in February is. Exit 1 (bad data), both named.
    write(dir / "actuals.csv", "date,rep,sales\n2027-01-10,A,10.50\n2027-02-10,A,3\n2027-02-10,B,20.25\n");
    std::string plan = R"({"period": {"start": "2027-01-01", "end": "2027-06-30"}, "metrics": [{"id": "sales",
        "total": "600", "quantum": "1"}], "dimensions": [{"id": "rep", "members": ["A", "B"]}],
        "split": [{"level": "rep"}, {"level": "month", "by": "equal"}]})";
    try {
        run(plan, dir / "plan.json", dir / "actuals.csv", date("2027-02-28"));
        FAIL("no error");
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::bad_input);
        REQUIRE(e.diagnostics().size() == 2);
        CHECK(e.diagnostics()[0].message ==
              "rebalance: A sold 10.50 in 2027-01, not a multiple of metric \"sales\"'s "
              "quantum 1.00");
        CHECK(e.diagnostics()[1].message ==
              "rebalance: B sold 20.25 in 2027-02, not a multiple of metric \"sales\"'s "
              "quantum 1.00");
    }
}

TEST_CASE("rebalance: actuals by rep alone find their region, files add up, unknown reps and later rows are said") {
    auto dir = scratch_dir("actuals");
    write(dir / "one.csv", "date,rep,sales\n2027-01-10,a,30\n2027-01-20,a,40\n2027-01-15,zed,5\n2027-02-03,b,99\n");
    write(dir / "two.csv", "date,rep,sales\n2027-01-05,c,20\n");
    std::string text = R"({"period": {"start": "2027-01-01", "end": "2027-03-31"},
        "metrics": [{"id": "sales", "total": 600}],
        "dimensions": [{"id": "org", "levels": ["region", "rep"], "members": [
            {"id": "N", "members": ["a", "b"]}, {"id": "S", "members": ["c"]}]}],
        "split": [{"level": "region", "weights": {"N": "50%", "S": "50%"}}, {"level": "rep"},
                  {"level": "month", "by": "equal"}]})";
    write(dir / "plan.json", text);
    Plan plan = parse_plan(text, (dir / "plan.json").string());
    Decomposition d(plan);
    RebalanceRequest request;
    request.as_of = date("2027-01-31");
    request.actuals = {(dir / "one.csv").string(), (dir / "two.csv").string()};
    request.threads = 2;
    Rebalance r = rebalance(d, text, request);
    REQUIRE(r.nodes == std::vector<std::vector<std::string>>{{"N", "a"}, {"N", "b"}, {"S", "c"}});
    REQUIRE(r.closed == 1);
    // Targets: N and S 300 each; a and b 150 each (50 a month), c 300 (100 a month).
    CHECK(r.before == std::vector<Minor>{5000, 5000, 5000, 5000, 5000, 5000, 10000, 10000, 10000});
    // January: a sold 30 + 40, b nothing, c 20 (from the second file); zed is no rep of the plan.
    CHECK(r.actual == std::vector<Minor>{7000, 0, 0, 0, 0, 0, 2000, 0, 0});
    CHECK(r.unplanned_actual == 500);
    CHECK(r.after_as_of == 1);  // b's February row
    CHECK(r.actuals.rows == 5);
    CHECK(r.actuals.unknown.at("rep=zed") == 1);
    // What is left goes to February and March equally (their old targets are equal):
    // a 150 − 70 = 80 → 40 + 40; b 150 → 75 + 75; c 300 − 20 = 280 → 140 + 140.
    CHECK(r.after == std::vector<Minor>{7000, 4000, 4000, 0, 7500, 7500, 2000, 14000, 14000});
}
