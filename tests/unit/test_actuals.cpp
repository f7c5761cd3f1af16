// The actuals reader: columns matched to the plan, exact amounts, unplanned and moved members
// counted, bad rows named by file and line (or skipped and summarised), CSV, TSV and NDJSON.
#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "tgt/actuals.hpp"
#include "tgt/progress.hpp"

using namespace tgt;

namespace {

const char* kPlan = R"({"period": "2027", "metrics": [{"id": "sales", "total": "100万"}],
    "dimensions": [{"id": "org", "levels": ["region", "rep"], "members": [
        {"id": "North", "members": ["a", "b"]}, {"id": "South", "members": ["c"]}]},
        {"id": "product", "members": ["P1", "P2"]}],
    "split": [{"level": "region"}, {"level": "rep"}, {"level": "product"}, {"level": "month", "by": "equal"}]})";

std::string write_temp(const std::string& name, const std::string& text) {
    auto path = std::filesystem::temp_directory_path() / ("tgt-actuals-" + name);
    std::ofstream(path, std::ios::binary) << text;
    return path.string();
}

struct Read {
    std::vector<Minor> amounts;
    std::vector<std::vector<int>> members;
    std::vector<int> lines;
    ActualsSummary summary;
};

Read read_all(const Plan& plan, const std::string& path, ActualsOptions options = {}) {
    ActualsReader reader(plan, std::move(options));
    Read out;
    reader.read(path, [&](const ActualRow& row) {
        out.amounts.push_back(row.amounts[0]);
        out.members.emplace_back(row.members.begin(), row.members.end());
        out.lines.push_back(row.line);
    });
    out.summary = reader.summary();
    return out;
}

}  // namespace

TEST_CASE("actuals: columns by name or --map, exact amounts, members matched") {
    Plan plan = parse_plan(kPlan, "plan.json");
    std::string csv = write_temp("a.csv",
                                 "date,region,rep,product,amount\n"
                                 "2027-01-05,North,a,P1,100.50\n"
                                 "2027-01-06,North,b,P2,\"1,234.50\"\n"
                                 "2027-02-01,South,c,P1,-20\n"
                                 "2027-02-02,South,zz,P1,5\n"
                                 "2027-02-03,South,a,P2,7\n");
    Read r = read_all(plan, csv, ActualsOptions{{{"amount", "sales"}}, false});
    REQUIRE(r.amounts.size() == 5);
    CHECK(r.amounts == std::vector<Minor>{10050, 123450, -2000, 500, 700});
    CHECK(r.members[0] == std::vector<int>{0, 0});  // rep a, product P1
    CHECK(r.members[2] == std::vector<int>{2, 0});
    CHECK(r.members[3][0] == kUnplanned);
    CHECK(r.summary.unplanned == 1);
    CHECK(r.summary.unknown.at("rep=zz") == 1);
    CHECK(r.summary.moved.at("rep=a under region=South (the plan has North)") == 1);
    CHECK(r.lines == std::vector<int>{2, 3, 4, 5, 6});
}

TEST_CASE("actuals: bad rows fail with file and line, or are skipped and summarised") {
    Plan plan = parse_plan(kPlan, "plan.json");
    std::string csv = write_temp("b.csv",
                                 "date,rep,sales\n"
                                 "2027-01-05,a,1\n"
                                 "2026-12-31,a,1\n"
                                 "2027-02-30,a,1\n"
                                 "2027-03-01,a,1.234\n"
                                 "2027-03-02,a\n"
                                 "2027-03-03,b,2\n");
    try {
        read_all(plan, csv);
        FAIL("expected an error");
    } catch (const Error& e) {
        REQUIRE(e.diagnostics().size() == 4);  // every bad row, not only the first
        CHECK(e.diagnostics().back().where.line == 6);
        CHECK(e.diagnostics().front().where.line == 3);
        CHECK(e.diagnostics().front().message.find("outside the plan's period") != std::string::npos);
    }
    Read r = read_all(plan, csv, ActualsOptions{{}, true});
    CHECK(r.amounts == std::vector<Minor>{100, 200});
    CHECK(r.summary.skipped == 4);
    REQUIRE(r.summary.problems.size() == 4);
    CHECK(r.summary.problems[1].message == "not a date: \"2027-02-30\"");
    CHECK(r.summary.problems[2].message.find("not an amount of \"sales\" (2 decimals)") != std::string::npos);
    CHECK(r.summary.problems[3].where.line == 6);
}

TEST_CASE("actuals: a header without a date or a metric says what it found") {
    Plan plan = parse_plan(kPlan, "plan.json");
    CHECK_THROWS_WITH(read_all(plan, write_temp("c.csv", "day,rep,sales\n2027-01-01,a,1\n")),
                      Catch::Contains("no \"date\" column"));
    CHECK_THROWS_WITH(read_all(plan, write_temp("d.csv", "date,rep,amount\n2027-01-01,a,1\n")),
                      Catch::Contains("no column for the plan's metrics (sales)"));
}

TEST_CASE("actuals: TSV, NDJSON and quoted fields spanning lines") {
    Plan plan = parse_plan(kPlan, "plan.json");
    Read tsv = read_all(plan, write_temp("e.tsv", "date\trep\tsales\n2027-01-05\tc\t3.5\n"));
    CHECK(tsv.amounts == std::vector<Minor>{350});
    Read nd = read_all(plan, write_temp("f.ndjson",
                                        "{\"date\": \"2027-01-05\", \"rep\": \"b\", \"sales\": 12.25}\n"
                                        "\n"
                                        "{\"date\": \"2027-01-06\", \"rep\": \"b\", \"sales\": \"7.5万\"}\n"));
    CHECK(nd.amounts == std::vector<Minor>{1225, 7500000});
    CHECK(nd.lines == std::vector<int>{1, 3});
    Read quoted =
        read_all(plan, write_temp("g.csv", "date,rep,note,sales\n2027-01-05,a,\"two\nlines\",1\n2027-01-06,a,x,2\n"));
    CHECK(quoted.amounts == std::vector<Minor>{100, 200});
    CHECK(quoted.lines == std::vector<int>{2, 4});
}

namespace {

// DOMAIN.md example 9 as of the end of week 2, by rep.
ProgressRequest weekly_request() {
    ProgressRequest request;
    request.by = {"rep"};
    request.as_of = *parse_date("2027-03-14");
    request.actuals = {std::string(TGT_EXAMPLES_DIR) + "/data/actuals-weekly.csv"};
    return request;
}

}  // namespace

TEST_CASE("progress: DOMAIN.md example 9, weekly tracking") {
    Plan plan = load_plan(std::string(TGT_EXAMPLES_DIR) + "/weekly-tracking.json");
    Decomposition d(plan);
    ProgressRequest request = weekly_request();
    ProgressReport report = progress(d, request);
    REQUIRE(report.rows.size() == 2);
    const ProgressRow& rep = report.rows[0];
    CHECK(rep.target == 48000);
    CHECK(rep.target_to_date == 24000);  // two of four equal weeks
    CHECK(rep.actual == 23000);          // 100 + 130; the row after the as-of date is not counted
    CHECK(report.pace(rep) == 9583);     // 230 / 240 = 95.83 %
    CHECK(report.time_progress_pct() == 5000);
    CHECK(report.required_daily(rep) == 2500);  // 250 over 10 working days: 125 a week
    CHECK(report.status(rep) == Status::on_track);
    CHECK_FALSE(report.rows[1].planned);  // 王五 is not in the plan: counted, not dropped
    CHECK(report.rows[1].actual == 2000);
    CHECK(report.after_as_of == 1);
    CHECK_FALSE(report.achievement_pct(report.rows[1]).has_value());
}

TEST_CASE("progress: the weekly grid of DOMAIN.md example 9") {
    Plan plan = load_plan(std::string(TGT_EXAMPLES_DIR) + "/weekly-tracking.json");
    Decomposition d(plan);
    ProgressRequest request = weekly_request();
    request.grid = TimeLevel::week;
    ProgressReport report = progress(d, request);
    REQUIRE(report.grid_periods.size() == 2);  // the weeks up to the one holding the as-of date
    CHECK(report.rows[0].grid_target == std::vector<Minor>{12000, 12000});
    CHECK(report.rows[0].grid_actual == std::vector<Minor>{10000, 13000});  // 83.3 % and 108.3 %
    CHECK(report.rows[1].grid_actual == std::vector<Minor>{0, 2000});
}
