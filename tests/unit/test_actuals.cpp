// The actuals reader: columns matched to the plan, exact amounts, unplanned and moved members
// counted, bad rows named by file and line (or skipped and summarised), CSV, TSV and NDJSON.
#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <tuple>

#include "temp_dir.hpp"
#include "tgt/actuals.hpp"
#include "tgt/progress.hpp"

using namespace tgt;

namespace {

ActualsOptions sales_as_amount() {
    ActualsOptions o;
    o.map = {{"amount", "sales"}};
    return o;
}

ActualsOptions skipping_bad_rows() {
    ActualsOptions o;
    o.skip_bad_rows = true;
    return o;
}

const char* kPlan = R"({"period": "2027", "metrics": [{"id": "sales", "total": "100万"}],
    "dimensions": [{"id": "org", "levels": ["region", "rep"], "members": [
        {"id": "North", "members": ["a", "b"]}, {"id": "South", "members": ["c"]}]},
        {"id": "product", "members": ["P1", "P2"]}],
    "split": [{"level": "region"}, {"level": "rep"}, {"level": "product"}, {"level": "month", "by": "equal"}]})";

std::string write_temp(const std::string& name, const std::string& text) {
    static const test::TempDir dir("tgt-actuals-");  // one unique folder for this file's tests
    return dir.write(name, text);
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
    Read r = read_all(plan, csv, sales_as_amount());
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
    Read r = read_all(plan, csv, skipping_bad_rows());
    CHECK(r.amounts == std::vector<Minor>{100, 200});
    CHECK(r.summary.skipped == 4);
    REQUIRE(r.summary.problems.size() == 4);
    CHECK(r.summary.problems[1].message == "column \"date\": not a date: \"2027-02-30\"");
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

TEST_CASE("progress: --where selects actuals as targets, and unknown members only where their known levels match") {
    Plan plan = parse_plan(kPlan, "plan.json");
    Decomposition d(plan);
    // a and b are North's, c South's; x is unknown under North, y unknown under South, z has no region.
    std::string path = write_temp("filter.csv",
                                  "date,region,rep,sales\n"
                                  "2027-01-10,North,a,100\n2027-01-11,North,b,20\n2027-01-12,South,c,3\n"
                                  "2027-01-13,North,x,4000\n2027-01-14,South,y,50000\n2027-01-15,,z,600000\n");
    ProgressRequest request;
    request.as_of = *parse_date("2027-12-31");
    request.actuals = {path};
    request.where = {{"rep", "a"}};
    // Without --by the rows are keyed by the filtered level: a's own 100.00 against a's target
    // (100万 ÷ 2 regions ÷ 2 reps = 25万), and no unknown rep can be a.
    ProgressReport own = progress(d, request);
    REQUIRE(own.rows.size() == 1);
    CHECK(own.key_columns == std::vector<std::string>{"region", "rep"});
    CHECK(own.rows[0].target == 25'0000'00);
    CHECK(own.rows[0].actual == 100'00);
    CHECK(own.unplanned_outside == 3);
    request.where = {{"region", "North"}};
    request.by = {"region"};
    ProgressReport north = progress(d, request);
    REQUIRE(north.rows.size() == 2);
    CHECK(north.rows[0].actual == 120'00);  // a + b
    CHECK_FALSE(north.rows[1].planned);
    CHECK(north.rows[1].actual == 4000'00);  // x only: y is South's, z's region is unknown
    CHECK(north.unplanned_outside == 2);
    // The Total adds the columns; its gap is Total target − Total actual: 50万 − 4,120.00.
    ProgressRow total = north.total();
    CHECK(total.target == 50'0000'00);
    CHECK(total.actual == 4120'00);
    CHECK(north.gap(total) == 50'0000'00 - 4120'00);
    CHECK(north.gap(north.rows[0]) + north.gap(north.rows[1]) == north.gap(total));
    CHECK(north.achievement_pct(total) == 82);  // 4,120 ÷ 500,000 = 0.824 % → 0.82
}

TEST_CASE("progress: a joiner's time elapsed runs from his start") {
    // DOMAIN.md example 10 on 30 September, Monday to Friday: July to September are 66 of the
    // 132 working days from 1 July; the tenured reps are at 195 of 261.
    Plan plan = load_plan(std::string(TGT_EXAMPLES_DIR) + "/ramps-unassigned.json");
    Decomposition d(plan);
    ProgressRequest request;
    request.as_of = *parse_date("2027-09-30");
    request.by = {"rep"};
    request.actuals = {write_temp("joiner.csv", "date,rep,sales\n2027-08-02,新人,230000\n")};
    ProgressReport report = progress(d, request);
    const ProgressRow* joiner = nullptr;
    for (const auto& r : report.rows)
        if (r.keys[0] == "新人") joiner = &r;
    REQUIRE(joiner);
    CHECK(joiner->days_elapsed == 66);
    CHECK(joiner->days_total == 132);
    CHECK(report.time_progress_pct(*joiner) == 5000);
    CHECK(report.time_progress_pct(report.rows[0]) == 7471);  // 195 ÷ 261 = 74.71 %
    CHECK(report.forecast_run_rate(*joiner) == 460000'00);    // 230,000 ÷ 66 × 132
    CHECK(report.time_progress_pct() == 7471);                // the plan's own
}

namespace {

// Everything a read delivers and reports, in an order that does not depend on threads.
struct Seen {
    std::vector<std::tuple<int, Minor, std::vector<int>, long>> rows;  // line, amount, members, date
    std::size_t delivered = 0, skipped = 0, unplanned = 0;
    std::map<std::string, std::size_t> unknown, moved;
    std::vector<std::pair<int, std::string>> problems;
    std::string error;
    bool operator==(const Seen&) const = default;
};

Seen read_parts(const Plan& plan, const std::string& path, int threads, std::size_t chunk_bytes, bool skip) {
    ActualsOptions options = sales_as_amount();
    options.skip_bad_rows = skip;
    options.threads = threads;
    options.chunk_bytes = chunk_bytes;
    ActualsReader reader(plan, options);
    std::vector<std::vector<std::tuple<int, Minor, std::vector<int>, long>>> per_part;
    Seen seen;
    try {
        reader.read(
            path,
            [&](int part, const ActualRow& row) {
                per_part[static_cast<std::size_t>(part)].emplace_back(
                    row.line, row.amounts[0], std::vector<int>(row.members.begin(), row.members.end()),
                    row.date.time_since_epoch().count());
            },
            [&] { per_part.resize(static_cast<std::size_t>(reader.parts())); });
    } catch (const Error& e) {
        for (const auto& d : e.diagnostics())
            seen.error += std::to_string(d.where.line) + ": " + d.message + "\n";
    }
    for (const auto& p : per_part) {
        CHECK(std::is_sorted(p.begin(), p.end()));  // a part sees its rows in file order
        seen.rows.insert(seen.rows.end(), p.begin(), p.end());
    }
    std::sort(seen.rows.begin(), seen.rows.end());
    const ActualsSummary& s = reader.summary();
    seen.delivered = s.rows;
    seen.skipped = s.skipped;
    seen.unplanned = s.unplanned;
    seen.unknown = s.unknown;
    seen.moved = s.moved;
    for (const auto& d : s.problems)
        seen.problems.emplace_back(d.where.line, d.message);
    return seen;
}

}  // namespace

TEST_CASE("actuals: read on several threads in small chunks, every row and problem is the same as on one") {
    Plan plan = parse_plan(kPlan, "plan.json");
    // Random files mixing good rows, quoted fields across lines, CRLF, blank lines, unknown and
    // moved members, bad dates and amounts; with and without a final newline.
    std::mt19937 random(7);
    const char* reps[] = {"a", "b", "c", "zz", "\"a\"", "\"b\nb\""};
    const char* regions[] = {"North", "South", "\"North\""};
    const char* dates[] = {"2027-01-05", "2027-12-31", "2026-12-31", "2027-02-30", "x"};
    const char* amounts[] = {"1", "-2.50", "\"1,234.50\"", "1.234", "", "7.5万"};
    for (int file = 0; file < 20; ++file) {
        std::string text = file % 2 ? "\xEF\xBB\xBF"
                                      "date,region,rep,amount\n"
                                    : "date,region,rep,amount\r\n";
        int lines = 1 + static_cast<int>(random() % 60);
        for (int i = 0; i < lines; ++i) {
            if (random() % 15 == 0) {
                text += "\n";
                continue;
            }
            text += std::string(dates[random() % (random() % 4 ? 2 : 5)]) + "," + regions[random() % 3] + "," +
                    reps[random() % 6] + "," + amounts[random() % (random() % 4 ? 3 : 6)];
            if (random() % 20 == 0) text += ",extra";
            text += random() % 5 == 0 ? "\r\n" : "\n";
        }
        if (file % 3 == 0 && text.back() == '\n') text.pop_back();
        std::string path = write_temp("parts-" + std::to_string(file) + ".csv", text);
        for (bool skip : {false, true}) {
            Seen one = read_parts(plan, path, 1, std::size_t{1} << 22, skip);
            for (int threads : {1, 2, 3})
                for (std::size_t chunk : {std::size_t{1}, std::size_t{7}, std::size_t{64}}) {
                    INFO("file " << file << ", threads " << threads << ", chunk " << chunk << ", skip " << skip);
                    CHECK(read_parts(plan, path, threads, chunk, skip) == one);
                }
        }
    }
}
