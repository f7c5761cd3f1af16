// Progress views: task beside target (任务达成率 / 目标达成率), this month's and this quarter's
// 达成率, behind to date, and the rows --fail-on names. Every expected number is worked by hand.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "tgt/progress.hpp"

using namespace tgt;
namespace fs = std::filesystem;

namespace {

fs::path scratch_dir() {
    std::random_device random;
    auto dir = fs::temp_directory_path() / ("tgt-views-" + std::to_string(random()) + std::to_string(random()));
    fs::create_directories(dir);
    return dir;
}

// A plan and its actuals in a folder of their own.
struct Views {
    fs::path dir = scratch_dir();
    Plan plan;
    Decomposition decomposition;
    std::string actuals = (dir / "actuals.csv").string();
    Views(const char* plan_json, const char* csv) : plan(parse_plan(plan_json, "views.json")), decomposition(plan) {
        std::ofstream(actuals, std::ios::binary) << csv;
    }
    ~Views() {
        std::error_code ignored;
        fs::remove_all(dir, ignored);
    }
    ProgressReport run(int month, int day, std::vector<std::string> by = {}, std::vector<Filter> where = {}) const {
        ProgressRequest r;
        r.as_of = Date{std::chrono::year{2027} / month / day};
        r.actuals = {actuals};
        r.by = std::move(by);
        r.where = std::move(where);
        return progress(decomposition, r);
    }
};

// DOMAIN.md example 11: the team's task is 10 orders, its reps' targets add up to 11 (4 + 4 + 3,
// bottom-up). Quarters equal, largest remainder to the earlier: 4 → 1, 1, 1, 1; 3 → 1, 1, 1, 0.
constexpr const char* kTeam = R"({"period": "2027",
    "metrics": [{"id": "orders", "kind": "count", "task": 10}],
    "dimensions": [{"id": "rep", "members": [{"id": "张伟", "amount": 4}, {"id": "王芳", "amount": 4},
                                             {"id": "李娜", "amount": 3}]}],
    "split": [{"level": "rep"}, {"level": "quarter", "by": "equal"}]})";
// 6 orders by 30 June: 张伟 1 (Q1) + 2 (Q2), 王芳 1 (Q1) + 1 (Q2), 李娜 1 (Q2).
constexpr const char* kTeamActuals =
    "date,rep,orders\n2027-02-10,张伟,1\n2027-05-12,张伟,2\n2027-03-15,王芳,1\n2027-04-20,王芳,1\n"
    "2027-06-08,李娜,1\n";

}  // namespace

TEST_CASE("progress views: a stated task beside targets that add up to more", "[progress][views]") {
    Views v(kTeam, kTeamActuals);
    ProgressReport report = v.run(6, 30, {"rep"});
    REQUIRE(report.has_task);
    REQUIRE(report.stated_task == 10);
    REQUIRE(report.rows.size() == 3);
    CHECK_FALSE(report.rows[0].task);  // a rep has a target, not a task of his own
    ProgressRow total = report.total();
    CHECK(total.target == 11);
    CHECK(total.actual == 6);
    CHECK(total.task == 10);
    // 6 ÷ 10 = 60.00 % of the task; 6 ÷ 11 = 54.5454… → 54.55 % of the targets.
    CHECK(report.task_achievement_pct(total) == 6000);
    CHECK(report.achievement_pct(total) == 5455);
    CHECK(report.task_gap(total) == 4);
    CHECK(report.gap(total) == 5);
}

TEST_CASE("progress views: a where narrows the report, so the plan's stated task is not its Total's",
          "[progress][views]") {
    Views v(kTeam, kTeamActuals);
    ProgressReport report = v.run(6, 30, {}, {{"rep", "张伟"}});
    CHECK_FALSE(report.stated_task);
    CHECK_FALSE(report.has_task);
    CHECK_FALSE(report.total().task);
}

TEST_CASE("progress views: this quarter's achievement, behind to date, and no month for a quarterly plan",
          "[progress][views]") {
    Views v(kTeam, kTeamActuals);
    ProgressReport report = v.run(6, 30, {"rep"});
    REQUIRE(report.quarter);
    CHECK(report.quarter->label == "2027-Q2");
    CHECK_FALSE(report.month);  // quarters do not nest in months: the plan cannot say a month's target
    const ProgressRow& zhang = report.rows[0];
    // Q2: target 1, actual 2 (12 May) → 200.00 %; to date Q1 + Q2 = 2 against 3 done: 1 ahead.
    CHECK(zhang.quarter_target == 1);
    CHECK(zhang.quarter_actual == 2);
    CHECK(report.quarter_pct(zhang) == 20000);
    CHECK(zhang.target_to_date == 2);
    CHECK(report.behind_to_date(zhang) == -1);
    CHECK_FALSE(report.month_pct(zhang));
    const ProgressRow& li = report.rows[2];
    // 李娜: Q2 target 1, actual 1 → 100.00 %; to date 2, actual 1: behind by 1, pace 0.5: critical.
    CHECK(report.quarter_pct(li) == 10000);
    CHECK(report.behind_to_date(li) == 1);
    CHECK(report.status(li) == Status::critical);
    ProgressRow total = report.total();
    // Q2 targets 1 + 1 + 1 = 3, actuals 2 + 1 + 1 = 4 → 133.33 %.
    CHECK(total.quarter_target == 3);
    CHECK(total.quarter_actual == 4);
    CHECK(report.quarter_pct(total) == 13333);
    CHECK(report.behind_to_date(total) == 0);  // 6 to date, 6 done
}

TEST_CASE("progress views: --fail-on names every row at the status or worse", "[progress][views]") {
    Views v(kTeam, kTeamActuals);
    ProgressReport report = v.run(6, 30, {"rep"});
    // Paces: 张伟 3 ÷ 2 = 1.5 ahead, 王芳 2 ÷ 2 = 1 on track, 李娜 1 ÷ 2 = 0.5 critical.
    auto behind = rows_at_or_worse(report, Status::behind);
    REQUIRE(behind.size() == 1);
    CHECK(behind[0]->keys == std::vector<std::string>{"李娜"});
    CHECK(rows_at_or_worse(report, Status::on_track).size() == 2);
    CHECK(rows_at_or_worse(report, Status::none).empty());
}

namespace {

// Over-assignment: regions 60/40 of 1000万, reps get 110 % of their region; quarters 20/25/30/25 %.
// Region tasks 600万 and 400万, targets 660万 and 440万. Months (equal in each quarter) give the
// month: June's target is a third of Q2's 25 %: 华东 660万 × 25 % = 165万 → 55万 a month.
constexpr const char* kPadded = R"({"period": "2027", "metrics": [{"id": "revenue", "total": "1000万"}],
    "dimensions": [{"id": "org", "levels": ["region", "rep"], "members": [
        {"id": "华东", "weight": "60%", "members": ["张伟", "王芳"]},
        {"id": "华南", "weight": "40%", "members": ["陈静", "刘洋"]}]}],
    "split": [{"level": "region"}, {"level": "rep", "allocate": "110%"},
              {"level": "quarter", "weights": ["20%", "25%", "30%", "25%"]}, {"level": "month", "by": "equal"}]})";
// 华东 180万 (100万 in February, 80万 in June), 华南 120万 (in June).
constexpr const char* kPaddedActuals =
    "date,region,rep,revenue\n2027-02-18,华东,张伟,1000000\n2027-06-20,华东,王芳,800000\n"
    "2027-06-12,华南,陈静,1200000\n";

}  // namespace

TEST_CASE("progress views: allocate gives every row its task before the padding", "[progress][views]") {
    Views v(kPadded, kPaddedActuals);
    ProgressReport report = v.run(6, 30, {"region"});
    REQUIRE(report.has_task);
    CHECK_FALSE(report.stated_task);
    REQUIRE(report.rows.size() == 2);
    const ProgressRow& east = report.rows[0];
    CHECK(east.target == 660'000'000);  // 660万 in cents
    CHECK(east.task == 600'000'000);
    // 180 ÷ 660 = 27.2727… → 27.27 %; 180 ÷ 600 = 30.00 %.
    CHECK(report.achievement_pct(east) == 2727);
    CHECK(report.task_achievement_pct(east) == 3000);
    CHECK(report.task_gap(east) == 420'000'000);
    // June: 55万 target, 80万 done → 145.45 %; Q2: 165万, 80万 → 48.48 %.
    REQUIRE(report.month);
    CHECK(report.month->label == "2027-06");
    CHECK(east.month_target == 55'000'000);
    CHECK(report.month_pct(east) == 14545);
    CHECK(east.quarter_target == 165'000'000);
    CHECK(report.quarter_pct(east) == 4848);
    ProgressRow total = report.total();
    CHECK(total.task == 1'000'000'000);
    CHECK(report.task_achievement_pct(total) == 3000);  // 300万 of 1000万
    CHECK(report.achievement_pct(total) == 2727);       // 300万 of 1100万
}

TEST_CASE("progress views: tracking a stretch version takes its commitment as the task", "[progress][views]") {
    // 任务 560万, 目标 700万 (125 %); equal quarters: 目标 175万, 任务 140万 a quarter.
    constexpr const char* plan = R"({"period": "2027",
        "metrics": [{"id": "sales", "total": "560万", "stretch": "700万"}],
        "split": [{"level": "quarter", "by": "equal"}]})";
    Views v(plan, "date,sales\n2027-02-01,1400000\n");  // one set of sales: the commitment's column
    ProgressRequest r;
    r.as_of = Date{std::chrono::year{2027} / 3 / 31};
    r.actuals = {v.actuals};
    r.metric = "sales_stretch";
    ProgressReport report = progress(v.decomposition, r);
    REQUIRE(report.has_task);
    REQUIRE(report.rows.size() == 1);
    CHECK(report.rows[0].target == 700'000'000);
    CHECK(report.rows[0].task == 560'000'000);
    // 140万 done: 20.00 % of the 目标, 25.00 % of the 任务.
    CHECK(report.achievement_pct(report.rows[0]) == 2000);
    CHECK(report.task_achievement_pct(report.rows[0]) == 2500);
}

TEST_CASE("progress views: machines keep the old column positions, people read new columns beside their kin",
          "[progress][views]") {
    Views v(kPadded, kPaddedActuals);
    ProgressReport report = v.run(6, 30, {"region"});
    auto names = [&](ProgressOrder order) {
        TableCollector collected;
        progress_table(report, collected, order);
        std::vector<std::string> out;
        for (const auto& c : collected.table.columns)
            out.push_back(c.name);
        return out;
    };
    // The twelve columns scripts know, in their places, then the new ones.
    CHECK(names(ProgressOrder::stable) ==
          std::vector<std::string>{"region", "target", "target_to_date", "actual", "achievement_pct",
                                   "time_progress_pct", "pace", "gap", "forecast_by_pace", "forecast_run_rate",
                                   "required_daily", "status", "behind_to_date", "month_pct", "quarter_pct", "task",
                                   "task_achievement_pct", "task_gap"});
    CHECK(names(ProgressOrder::reading) ==
          std::vector<std::string>{"region", "target", "task", "target_to_date", "actual", "achievement_pct",
                                   "task_achievement_pct", "time_progress_pct", "pace", "month_pct", "quarter_pct",
                                   "gap", "behind_to_date", "task_gap", "forecast_by_pace", "forecast_run_rate",
                                   "required_daily", "status"});
    // The Total row's cells: 300万 of 1100万 (27.27 %), of the task 1000万 (30.00 %).
    TableCollector collected;
    progress_table(report, collected);
    const Table& t = collected.table;
    CHECK(t.total[t.column("achievement_pct")].amount == 2727);
    CHECK(t.total[t.column("task")].amount == 1'000'000'000);
    CHECK(t.total[t.column("task_achievement_pct")].amount == 3000);
}
