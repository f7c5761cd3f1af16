// Visit plans: staggered visits per tier and month, spread over working days, adding up at every
// grain and level; and the plan errors around them.
#include <unistd.h>
#include <catch2/catch.hpp>

#include <filesystem>

#include <fstream>
#include <random>

#include "plan_problems.hpp"
#include "temp_dir.hpp"
#include "tgt/activity.hpp"
#include "tgt/funnel.hpp"
#include "tgt/plan.hpp"
#include "tgt/progress.hpp"
#include "tgt/visits.hpp"

using namespace tgt;

namespace {

Plan visit_plan(const std::string& reps) {
    return parse_plan(R"({"period": "2027", "metrics": [{"id": "sales", "total": 1200}],
        "visits": {"tiers": [{"id": "vip", "every": "month"}, {"id": "t1", "every": "2 months"},
                             {"id": "t2", "every": "quarter"}, {"id": "key", "per_month": 3}]},
        "dimensions": [{"id": "org", "levels": ["region", "rep"], "members": [)" +
                          reps + R"(]}],
        "split": [{"level": "region"}, {"level": "rep"}, {"level": "month", "by": "working_days"}]})",
                      "visits.json");
}

const char* kTwoRegions = R"(
    {"id": "N", "members": [{"id": "a", "customers": {"vip": 3, "t1": 7, "t2": 20}},
                            {"id": "b", "start": "2027-04-10", "customers": {"t1": 5, "key": 1}}]},
    {"id": "S", "members": [{"id": "c", "customers": {"t2": 1}}, {"id": "d"}]})";

Date day(int y, unsigned m, unsigned d) {
    return Date{std::chrono::year{y} / std::chrono::month{m} / std::chrono::day{d}};
}

}  // namespace

TEST_CASE("visits: each customer is seen once in every N consecutive months, the odd ones early") {
    std::mt19937 rng(5);
    for (int round = 0; round < 500; ++round) {
        CustomerTier tier;
        tier.every_months = 1 + static_cast<int>(rng() % 12);
        std::int64_t customers = static_cast<std::int64_t>(rng() % 40);
        std::vector<std::int64_t> months;
        for (int m = 0; m < 36; ++m)
            months.push_back(tier_visits_in_month(tier, customers, m));
        for (int start = 0; start + tier.every_months <= 36; ++start) {
            std::int64_t window = 0;
            for (int m = start; m < start + tier.every_months; ++m)
                window += months[static_cast<std::size_t>(m)];
            REQUIRE(window == customers);  // any N consecutive months see every customer once
        }
        for (int m = 0; m + 1 < tier.every_months; ++m) {  // within a cycle: never more later, at most one apart
            REQUIRE(months[static_cast<std::size_t>(m)] >= months[static_cast<std::size_t>(m + 1)]);
            REQUIRE(months[0] - months[static_cast<std::size_t>(m + 1)] <= 1);
        }
    }
    CustomerTier often;
    often.per_month = 3;
    CHECK(tier_visits_in_month(often, 4, 7) == 12);
    CustomerTier two;
    two.every_months = 2;
    CHECK(tier_visits_in_month(two, 7, 0) == 4);
    CHECK(tier_visits_in_month(two, 7, 1) == 3);
    CHECK(two.frequency() == "every 2 months");
    CHECK(often.frequency() == "3 a month");
}

TEST_CASE("visits: periods of any cut add up to the year, members to their region, nothing before a start") {
    Plan plan = visit_plan(kTwoRegions);
    VisitSchedule schedule(plan);
    // a: 3 vip × 12 + 7 t1 × 6 + 20 t2 × 4 = 36 + 42 + 80; b from 10 April: t1 over Apr–Dec (5 × ⌈9 / 2⌉
    // staggered = 3+2+3+2+3+2+3+2+3 = 23) and 1 key customer × 3 × 9 months = 27.
    auto a = schedule.visits(1, 0, plan.first, plan.last);
    CHECK(a == std::vector<std::int64_t>{36, 42, 80, 0});
    auto b = schedule.visits(1, 1, plan.first, plan.last);
    CHECK(b == std::vector<std::int64_t>{0, 23, 0, 27});
    CHECK(schedule.visits(1, 1, plan.first, day(2027, 4, 9)) == std::vector<std::int64_t>{0, 0, 0, 0});
    auto north = schedule.visits(0, 0, plan.first, plan.last);
    for (std::size_t t = 0; t < 4; ++t)
        CHECK(north[t] == a[t] + b[t]);
    CHECK(schedule.customers(0, 0) == std::vector<std::int64_t>{3, 12, 20, 1});
    auto all = schedule.visits_all(plan.first, plan.last);
    CHECK(all[2] == 80 + 4);  // c's one tier-2 customer, four times

    // Random cuts of the year into consecutive periods: the pieces always add up to the whole.
    std::mt19937 rng(11);
    for (int round = 0; round < 40; ++round) {
        std::vector<std::int64_t> sum(4, 0);
        Date first = plan.first;
        while (first <= plan.last) {
            Date last = std::min(plan.last, first + std::chrono::days{static_cast<int>(rng() % 40)});
            auto piece = schedule.visits(0, 0, first, last);
            for (std::size_t t = 0; t < 4; ++t) {
                REQUIRE(piece[t] >= 0);
                sum[t] += piece[t];
            }
            first = last + std::chrono::days{1};
        }
        REQUIRE(sum == north);
    }
    // Days of a month: evenly over its working days, the odd ones first.
    std::int64_t january = schedule.visits(1, 0, day(2027, 1, 1), day(2027, 1, 31))[2];  // 20 t2: 7 in month 0
    CHECK(january == 7);
    CHECK(schedule.visits(1, 0, day(2027, 1, 2), day(2027, 1, 3))[2] == 0);  // a weekend
}

TEST_CASE("visits: split rows carry visits where the rows are members of the customers' dimension") {
    Plan plan = visit_plan(kTwoRegions);
    Decomposition decomposition(plan);
    SplitRequest by_rep;
    by_rep.by = {"rep"};
    by_rep.period = TimeLevel::quarter;
    ActivityColumns activity(plan, decomposition.layout(by_rep), by_rep.period);
    REQUIRE(activity.names() == std::vector<std::string>{"visits"});
    std::int64_t total = 0;
    std::vector<std::int64_t> counts;
    decomposition.run(by_rep, [&](const SplitRow& row) {
        activity.fill(row, counts);
        total += counts[0];
    });
    VisitSchedule schedule(plan);
    std::int64_t expected = 0;
    for (auto v : schedule.visits_all(plan.first, plan.last))
        expected += v;
    CHECK(total == expected);
}

TEST_CASE("visits: bad visit plans and customer counts are all reported, with hints") {
    std::string all = plan_problems(R"({"period": "2027", "metrics": [{"id": "sales", "total": 100}],
            "visits": {"tiers": [{"id": "vip", "every": "2 weeks"}, {"id": "t1", "every": "month", "per_month": 2},
                                 {"id": "t2"}, {"id": "vip", "every": "year"}]},
            "dimensions": [{"id": "org", "levels": ["region", "rep"], "members": [
                {"id": "N", "customers": {"vip": 1}, "members": [{"id": "a", "customers": {"vipp": 2, "t1": -1}}]}]},
              {"id": "product", "members": [{"id": "p", "customers": {"vip": 1}}]}],
            "split": [{"level": "region"}, {"level": "rep"}]})",
                                    "visits.json");
    REQUIRE_FALSE(all.empty());
    CHECK_THAT(all, Catch::Contains("\"every\" is \"month\", \"quarter\", \"half year\", \"year\" or \"N months\""));
    CHECK_THAT(all, Catch::Contains("give \"every\" or \"per_month\", not both"));
    CHECK_THAT(all, Catch::Contains("tier \"t2\" needs how often its customers are visited"));
    CHECK_THAT(all, Catch::Contains("tier \"vip\" appears twice"));
    CHECK_THAT(all, Catch::Contains("customers belong to members of \"rep\""));
    CHECK_THAT(all, Catch::Contains("no customer tier \"vipp\" (member \"a\") | did you mean \"vip\"?"));
    CHECK_THAT(all, Catch::Contains("a customer count is a whole number from 0 to 1000000 (got -1)"));
    CHECK_THAT(all, Catch::Contains("customers are already counted in dimension \"org\""));
    CHECK_THAT(plan_problems(R"({"period": "2027", "metrics": [{"id": "sales", "total": 100}],
            "dimensions": [{"id": "rep", "members": [{"id": "a", "customers": {"vip": 1}}]}],
            "split": [{"level": "rep"}]})",
                             "visits.json"),
               Catch::Contains("\"customers\" needs the plan's customer tiers"));
}

namespace {

// Progress by rep as of the end of Q1 on an activity, from an examples/data file.
ProgressRequest activity_request(const std::string& metric, const std::string& file) {
    ProgressRequest request;
    request.by = {"rep"};
    request.as_of = *parse_date("2027-03-31");
    request.metric = metric;
    request.actuals = {std::string(TGT_EXAMPLES_DIR) + "/data/" + file};
    return request;
}

}  // namespace

TEST_CASE("visits and funnel stages are tracked by progress like a metric") {
    const std::string examples = TGT_EXAMPLES_DIR;
    {
        Plan plan = load_plan(examples + "/customer-visits.json");
        Decomposition d(plan);
        ProgressRequest request = activity_request("visits", "visits-q1.csv");
        request.grid = TimeLevel::month;
        ProgressReport report = progress(d, request);
        REQUIRE(report.activity);
        CHECK(report.decimals == 0);
        VisitSchedule schedule(plan);
        // 王芳: VIP 3 monthly, 7 tier-1 every two months (4, 3, 4), 20 tier-2 quarterly (7, 7, 6).
        const ProgressRow& wang = report.rows[1];
        REQUIRE(wang.keys.back() == "王芳");
        CHECK(wang.target_to_date == (3 + 4 + 7) + (3 + 3 + 7) + (3 + 4 + 6));
        CHECK(wang.grid_target == std::vector<Minor>{14, 13, 13});
        std::int64_t year = 0;
        for (auto v : schedule.visits(1, 1, plan.first, plan.last))
            year += v;
        CHECK(wang.target == year);
        // Its actuals: the visits column summed over the rows of the quarter.
        std::ifstream in(examples + "/data/visits-q1.csv");
        std::string line;
        Minor sum = 0;
        while (std::getline(in, line))
            if (line.find(",王芳,") != std::string::npos) sum += std::stoll(line.substr(line.rfind(',') + 1));
        CHECK(wang.actual == sum);
        CHECK(report.rows[2].target_to_date == 0);  // 李娜 starts in July
    }
    {
        Plan plan = load_plan(examples + "/dealer-funnel.json");
        Decomposition d(plan);
        ProgressRequest request = activity_request("leads", "leads-q1.csv");
        ProgressReport report = progress(d, request);
        ProgressRequest money = request;
        money.metric.clear();
        money.actuals.clear();
        ProgressReport amounts = progress(d, money);
        REQUIRE(report.rows.size() == amounts.rows.size());
        for (std::size_t i = 0; i < report.rows.size(); ++i) {
            std::int64_t leads = 0, to_date = 0;
            for (const auto& c : funnel_counts(*plan.funnel, amounts.rows[i].target, 2))
                leads += c.stages[0];
            for (const auto& c : funnel_counts(*plan.funnel, amounts.rows[i].target_to_date, 2))
                to_date += c.stages[0];
            CHECK(report.rows[i].target == leads);
            CHECK(report.rows[i].target_to_date == to_date);
        }
    }
}

TEST_CASE("visits: customer counts come from members_from columns too, checked like the JSON ones") {
    test::TempDir dir("tgt-visits-");
    {
        std::ofstream csv(dir / "reps.csv");
        csv << "region,rep,vip,t1\nN,a,3,7\nN,b,,5\nS,c,1,x\nS,d,2.5,1\n";
    }
    const std::string plan_text = R"({"period": "2027", "metrics": [{"id": "sales", "total": 1200}],
        "visits": {"tiers": [{"id": "vip", "every": "month"}, {"id": "t1", "every": "2 months"}]},
        "dimensions": [{"id": "org", "levels": ["region", "rep"],
                        "members_from": {"file": "reps.csv", "columns": ["region", "rep"],
                                         "customers": {"vip": "vip", "t1": "t1"}}}],
        "split": [{"level": "region"}, {"level": "rep"}]})";
    {
        std::string all = plan_problems(plan_text, (dir / "plan.json").string());
        CHECK_THAT(all,
                   Catch::Contains("column \"t1\": a customer count is a whole number from 0 to 1000000 (got \"x\")"));
        CHECK_THAT(
            all, Catch::Contains("column \"vip\": a customer count is a whole number from 0 to 1000000 (got \"2.5\")"));
    }
    {
        std::ofstream csv(dir / "reps.csv");
        csv << "region,rep,vip,t1\nN,a,3,7\nN,b,,5\nS,c,1,0\n";
    }
    Plan plan = parse_plan(plan_text, (dir / "plan.json").string());
    REQUIRE(plan.visits->dimension == 0);
    const auto& reps = plan.dimensions[0].members[1];
    CHECK(reps[0].customers() == std::vector<std::int64_t>{3, 7});
    CHECK(reps[1].customers() == std::vector<std::int64_t>{0, 5});  // an empty cell: none of that tier
    CHECK(plan.dimensions[0].members[0][0].customers().empty());    // regions hold none of their own
    VisitSchedule schedule(plan);
    CHECK(schedule.visits(0, 0, plan.first, plan.last) == std::vector<std::int64_t>{36, 42 + 30});
}
