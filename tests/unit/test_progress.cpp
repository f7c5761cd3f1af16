// progress(): targets per node from the plan's split, actuals streamed into the same nodes.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "tgt/progress.hpp"

using namespace tgt;
namespace fs = std::filesystem;

namespace {

// 1200.00 = 120,000 cents: region A weight 2 (80,000), B weight 1 (40,000); months equal, the
// remainder to the first months: A 80,000 = 12 × 6,666 + 8 → 6,667 in January to August, then 6,666;
// B 40,000 = 12 × 3,333 + 4 → 3,334 in January to April, then 3,333.
constexpr const char* kPlan = R"({"period": "2027", "metrics": [{"id": "revenue", "total": "1200"}],
    "dimensions": [{"id": "region", "members": [{"id": "A", "weight": 2}, {"id": "B", "weight": 1}]}],
    "split": [{"level": "region"}, {"level": "month", "by": "equal"}]})";

// Four sales: A's in January, B's on the as-of date, one after it, one of a region the plan lacks.
constexpr const char* kActuals =
    "date,region,revenue\n"
    "2027-01-05,A,100.00\n"
    "2027-03-31,B,50.50\n"
    "2027-04-01,A,999\n"
    "2027-02-01,C,7.00\n";

// A folder of its own for this run's files.
fs::path scratch_dir() {
    std::random_device random;
    auto dir = fs::temp_directory_path() / ("tgt-progress-" + std::to_string(random()) + std::to_string(random()));
    fs::create_directories(dir);
    return dir;
}

struct Fixture {
    fs::path dir = scratch_dir();
    Plan plan = parse_plan(kPlan, "progress.json");
    Decomposition decomposition{plan};
    std::string actuals = (dir / "actuals.csv").string();
    Fixture() { std::ofstream(actuals, std::ios::binary) << kActuals; }
    ~Fixture() {
        std::error_code ignored;
        fs::remove_all(dir, ignored);
    }
    ProgressRequest request() const {
        ProgressRequest r;
        r.as_of = Date{std::chrono::sys_days{std::chrono::year{2027} / 3 / 31}};
        r.actuals = {actuals};
        return r;
    }
};

}  // namespace

TEST_CASE("progress: targets to date along the plan's months, actuals to their nodes", "[progress]") {
    Fixture f;
    ProgressRequest r = f.request();
    r.by = {"region"};
    ProgressReport report = progress(f.decomposition, r);
    REQUIRE(report.key_columns == std::vector<std::string>{"region"});
    REQUIRE(report.rows.size() == 3);
    const ProgressRow& a = report.rows[0];
    CHECK(a.keys == std::vector<std::string>{"A"});
    CHECK(a.target == 80'000);
    CHECK(a.target_to_date == 3 * 6'667);  // January to March, all over by March 31
    CHECK(a.actual == 10'000);
    const ProgressRow& b = report.rows[1];
    CHECK(b.target == 40'000);
    CHECK(b.target_to_date == 3 * 3'334);
    CHECK(b.actual == 5'050);  // the as-of date counts
    const ProgressRow& unplanned = report.rows[2];
    CHECK_FALSE(unplanned.planned);
    CHECK(unplanned.keys == std::vector<std::string>{"(unplanned)"});
    CHECK(unplanned.target == 0);
    CHECK(unplanned.actual == 700);
    CHECK(report.after_as_of == 1);
    CHECK(report.actuals.rows == 4);
    CHECK(report.actuals.unplanned == 1);
    ProgressRow total = report.total();
    CHECK(total.target == 120'000);
    CHECK(total.actual == 15'750);  // 10,000 + 5,050 + 700
}

TEST_CASE("progress: a where keeps its members, and counts the unplanned it leaves out", "[progress]") {
    Fixture f;
    ProgressRequest r = f.request();
    r.where = {{"region", "A"}};
    ProgressReport report = progress(f.decomposition, r);
    REQUIRE(report.key_columns == std::vector<std::string>{"region"});  // keyed by the filtered level
    REQUIRE(report.rows.size() == 1);
    CHECK(report.rows[0].keys == std::vector<std::string>{"A"});
    CHECK(report.rows[0].actual == 10'000);
    CHECK(report.unplanned_outside == 1);  // C names no planned region: not inside region A
}

TEST_CASE("progress: a month grid up to the as-of month", "[progress]") {
    Fixture f;
    ProgressRequest r = f.request();
    r.by = {"region"};
    r.grid = TimeLevel::month;
    ProgressReport report = progress(f.decomposition, r);
    REQUIRE(report.grid_periods.size() == 3);  // April starts after March 31
    CHECK(report.grid_periods[2].label == "2027-03");
    REQUIRE(report.rows.size() == 3);
    CHECK(report.rows[0].grid_target == std::vector<Minor>{6'667, 6'667, 6'667});
    CHECK(report.rows[0].grid_actual == std::vector<Minor>{10'000, 0, 0});
    CHECK(report.rows[1].grid_target == std::vector<Minor>{3'334, 3'334, 3'334});
    CHECK(report.rows[1].grid_actual == std::vector<Minor>{0, 0, 5'050});
    CHECK(report.rows[2].grid_actual == std::vector<Minor>{0, 700, 0});
}

TEST_CASE("progress: the whole plan is one row without by or where", "[progress]") {
    Fixture f;
    ProgressReport report = progress(f.decomposition, f.request());
    REQUIRE(report.key_columns.empty());
    REQUIRE(report.rows.size() == 1);  // C's sale is the plan's too: the single row takes every sale
    CHECK(report.rows[0].target == 120'000);
    CHECK(report.rows[0].target_to_date == 3 * 6'667 + 3 * 3'334);
    CHECK(report.rows[0].actual == 15'750);
}
