// Activity quotas (calls a working day, visits a week, proposals a month per person) and funnels
// from observed stage counts: hand-worked counts, exact sums, and every problem reported at once.
#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <fstream>
#include <random>
#include <sstream>

#include "plan_problems.hpp"
#include "tgt/activity_quota.hpp"
#include "tgt/funnel.hpp"
#include "tgt/plan.hpp"

using namespace tgt;

namespace {

Date day(int y, unsigned m, unsigned d) {
    return Date{std::chrono::year{y} / std::chrono::month{m} / std::chrono::day{d}};
}

std::string read_text(const std::string& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// examples/activity-quotas.json: September–October 2027, 中秋 15 Sep, 国庆 1–7 Oct, make-up days
// Sun 26 Sep and Sat 9 Oct; 张伟 and 王芳 all along, 李娜 from Mon 13 Sep.
Plan example() {
    return parse_plan(read_text(std::string(TGT_EXAMPLES_DIR) + "/activity-quotas.json"), "activity-quotas.json");
}

int rep(const Plan& plan, const std::string& id) {
    const auto& reps = plan.dimensions[0].members[0];
    for (std::size_t i = 0; i < reps.size(); ++i)
        if (reps[i].id == id) return static_cast<int>(i);
    FAIL("no rep " << id);
    return -1;
}

}  // namespace

TEST_CASE("activity quotas: 30 calls a working day on each rep's own working days") {
    Plan plan = example();
    REQUIRE(plan.activities.size() == 3);
    QuotaSchedule s(plan);
    // September: 22 weekdays − 中秋 (Wed 15) + make-up Sun 26 = 22 working days → 30 × 22 = 660.
    CHECK(s.count(0, 0, rep(plan, "张伟"), day(2027, 9, 1), day(2027, 9, 30)) == 660);
    // October: 21 weekdays − 国庆 on Fri 1, Mon 4 … Thu 7 (5) + make-up Sat 9 = 17 → 510.
    CHECK(s.count(0, 0, rep(plan, "张伟"), day(2027, 10, 1), day(2027, 10, 31)) == 510);
    // 李娜 from Mon 13 Sep: 13, 14, 16, 17, 20–24, 26, 27–30 = 14 working days → 420.
    CHECK(s.active_working_days(plan.dimensions[0].members[0][static_cast<std::size_t>(rep(plan, "李娜"))],
                                day(2027, 9, 1), day(2027, 9, 30)) == 14);
    CHECK(s.count(0, 0, rep(plan, "李娜"), day(2027, 9, 1), day(2027, 9, 30)) == 420);
    CHECK(s.count(0, 0, rep(plan, "李娜"), day(2027, 9, 1), day(2027, 9, 12)) == 0);
    // The team: 660 + 660 + 420 in September.
    CHECK(s.count_all(0, day(2027, 9, 1), day(2027, 9, 30)) == 1740);
}

TEST_CASE("activity quotas: 10 visits a week fall on the week's working days, weeks across months split by days") {
    Plan plan = example();
    QuotaSchedule s(plan);
    const int zhang = rep(plan, "张伟"), li = rep(plan, "李娜");
    // W35 (Mon 30 Aug – Sun 5 Sep) has 5 working days, 3 in the plan: round(10 × 5/5) − round(10 × 2/5) = 10 − 4 = 6.
    CHECK(s.count(1, 0, zhang, day(2027, 9, 1), day(2027, 9, 5)) == 6);
    // W37 (13–19 Sep) has 4 working days (15 Sep off): all 10 on them; 13–14 Sep owe round(10 × 2/4) = 5.
    CHECK(s.count(1, 0, zhang, day(2027, 9, 13), day(2027, 9, 19)) == 10);
    CHECK(s.count(1, 0, zhang, day(2027, 9, 13), day(2027, 9, 14)) == 5);
    // W39 (27 Sep – 3 Oct): 27–30 Sep work, 1 Oct is 国庆: the whole week's 10 are September's.
    CHECK(s.count(1, 0, zhang, day(2027, 10, 1), day(2027, 10, 3)) == 0);
    // September: 6 + 10 (W36) + 10 (W37) + 10 (W38) + 10 (W39) = 46; October: W40–W43, 4 × 10 = 40.
    CHECK(s.count(1, 0, zhang, day(2027, 9, 1), day(2027, 9, 30)) == 46);
    CHECK(s.count(1, 0, zhang, day(2027, 10, 1), day(2027, 10, 31)) == 40);
    // 李娜 from Monday of W37: W37, W38, W39 = 30 in September.
    CHECK(s.count(1, 0, li, day(2027, 9, 1), day(2027, 9, 30)) == 30);

    // A week across a month edge with working days on both sides (weekends only): Mon 29 Nov – Sun
    // 5 Dec 2027, 2 days in November: round(10 × 2/5) = 4, December 6.
    Plan weekly = parse_plan(R"({"period": "2027", "metrics": [{"id": "sales", "total": 100}],
        "dimensions": [{"id": "team", "levels": ["rep"], "members": ["a"]}],
        "activities": [{"id": "visits", "count": 10, "per": "week"}],
        "split": [{"level": "rep"}, {"level": "month", "by": "working_days"}]})",
                             "weekly.json");
    QuotaSchedule w(weekly);
    CHECK(w.count(0, 0, 0, day(2027, 11, 29), day(2027, 11, 30)) == 4);
    CHECK(w.count(0, 0, 0, day(2027, 12, 1), day(2027, 12, 5)) == 6);
    // The year: W53 of 2026 (28 Dec – 3 Jan) has 4 working days in 2026 and Fri 1 Jan in the plan:
    // round(10 × 5/5) − round(10 × 4/5) = 2; then 51 whole weeks (4 Jan – 26 Dec) and 27–31 Dec: 2 + 510 + 10.
    CHECK(w.count(0, 0, 0, day(2027, 1, 1), day(2027, 12, 31)) == 522);
}

TEST_CASE("activity quotas: a month's quota is owed by the days, a joiner owes his days' share") {
    Plan plan = example();
    QuotaSchedule s(plan);
    // 8 proposals over September's 22 working days; 李娜 misses the first 8 (1–3, 6–10 Sep):
    // 8 − round(8 × 8/22) = 8 − round(2.91) = 5.
    CHECK(s.count(2, 0, rep(plan, "李娜"), day(2027, 9, 1), day(2027, 9, 30)) == 5);
    CHECK(s.count(2, 0, rep(plan, "张伟"), day(2027, 9, 1), day(2027, 9, 30)) == 8);
    CHECK(s.count_all(2, day(2027, 9, 1), day(2027, 10, 31)) == 8 + 8 + 5 + 3 * 8);
}

TEST_CASE("activity quotas: days add up to weeks, months and the period for every quota and rep") {
    Plan plan = example();
    QuotaSchedule s(plan);
    for (std::size_t q = 0; q < plan.activities.size(); ++q)
        for (int r = 0; r < 3; ++r) {
            std::int64_t days = 0;
            for (Date d = plan.first; d <= plan.last; d += std::chrono::days{1})
                days += s.count(q, 0, r, d, d);
            CHECK(days == s.count(q, 0, r, plan.first, plan.last));
            CHECK(s.count(q, 0, r, day(2027, 9, 1), day(2027, 9, 30)) +
                      s.count(q, 0, r, day(2027, 10, 1), day(2027, 10, 31)) ==
                  days);
        }
}

TEST_CASE("activity quotas: the plan's errors are all reported at once") {
    std::string problems = plan_problems(R"({"period": "2027", "metrics": [{"id": "calls", "total": 100}],
        "dimensions": [{"id": "team", "levels": ["rep"], "members": ["a"]}],
        "activities": [{"id": "calls", "count": 30, "per": "working_day"},
                       {"id": "visits", "count": -1, "per": "fortnight"},
                       {"id": "visits", "count": 2, "per": "week", "level": "reps"},
                       {"id": "mails", "per": "month"}],
        "split": [{"level": "rep"}]})",
                                         "bad.json");
    CHECK(problems.find("activity \"calls\" is also metric \"calls\"") != std::string::npos);
    CHECK(problems.find("an activity quota is a whole number of at least 0 (got -1)") != std::string::npos);
    CHECK(problems.find("\"per\" is \"working_day\", \"week\" or \"month\" (got \"fortnight\")") != std::string::npos);
    CHECK(problems.find("activity \"visits\" appears twice") != std::string::npos);
    CHECK(problems.find("no dimension level \"reps\" for activity \"visits\" | did you mean \"rep\"?") !=
          std::string::npos);
    CHECK(problems.find("activity \"mails\" needs a \"count\"") != std::string::npos);
}

namespace {

std::string observed_funnel(const std::string& stages) {
    return R"({"period": "2027", "metrics": [{"id": "policies", "kind": "count", "total": 240}],
        "dimensions": [{"id": "team", "levels": ["rep"], "members": ["a", "b"]}],
        "split": [{"level": "rep"}],
        "funnel": {"stages": [)" +
           stages + "]}}";
}

}  // namespace

TEST_CASE("funnel from observed counts: 200 prospects → 30 appointments → 12 signed gives 15 % and 40 %") {
    Plan plan = parse_plan(observed_funnel(R"({"id": "prospects", "count": 200},
        {"id": "appointments", "count": 30}, {"id": "signed", "count": 12})"),
                           "observed.json");
    const Funnel& f = *plan.funnel;
    CHECK(funnel_observed(f));
    CHECK(f.stages[1].rate == Decimal{15, 2});  // 30 ÷ 200
    CHECK(f.stages[2].rate == Decimal{4, 1});   // 12 ÷ 30
    // 240 policies: ⌈240 ÷ 0.4⌉ = 600 appointments, ⌈240 ÷ (0.15 × 0.4)⌉ = ⌈240 ÷ 0.06⌉ = 4000 prospects.
    CHECK(funnel_counts(f, 240, 0)[0].stages == std::vector<std::int64_t>{4000, 600, 240});
    // 7 policies: ⌈7 × 30/12⌉ = ⌈17.5⌉ = 18 appointments, ⌈7 × 200/12⌉ = ⌈116.67⌉ = 117 prospects.
    CHECK(funnel_counts(f, 7, 0)[0].stages == std::vector<std::int64_t>{117, 18, 7});
}

TEST_CASE("funnel from observed counts: a rate that does not end is used exactly, not rounded") {
    Plan plan = parse_plan(observed_funnel(R"({"id": "prospects", "count": 200},
        {"id": "appointments", "count": 30}, {"id": "signed", "count": 7})"),
                           "observed.json");
    const Funnel& f = *plan.funnel;
    CHECK(f.stages[2].rate == Decimal{233333, 6});  // shown as 23.3333 %; used as 7/30
    // 7 signed take exactly 30 appointments (7 ÷ 7/30), where 23.3333 % would ask for ⌈30.00004⌉ = 31.
    CHECK(funnel_counts(f, 7, 0)[0].stages == std::vector<std::int64_t>{200, 30, 7});
    // A rate beside the counts that says the same is fine: 30 of 200 is 15 %.
    CHECK(plan_problems(observed_funnel(R"({"id": "prospects", "count": 200},
        {"id": "appointments", "count": 30, "rate": "15%"}, {"id": "signed", "count": 7})"),
                        "ok.json")
              .empty());
}

TEST_CASE("funnel from observed counts: every inconsistency is reported at once") {
    std::string problems = plan_problems(observed_funnel(R"({"id": "prospects", "count": 200},
        {"id": "appointments", "count": 300}, {"id": "meetings", "count": 0}, {"id": "quotes", "rate": "50%"},
        {"id": "signed", "count": 12, "rate": "20%"}, {"id": "paid", "count": 10, "rate": "80%"})"),
                                         "bad.json");
    CHECK(problems.find("stage \"appointments\" counts 300, more than the 200 of \"prospects\" before it") !=
          std::string::npos);
    CHECK(problems.find("an observed count is a whole number of at least 1 (got 0)") != std::string::npos);
    CHECK(problems.find("stage \"meetings\" has no observed count") == std::string::npos);  // its 0 is the problem
    CHECK(problems.find("stage \"quotes\" has no observed count") != std::string::npos);
    // 10 of 12 is 83.3333 %, not 80 %.
    CHECK(problems.find("stage \"paid\" has rate 80% but its counts give 10 of 12 = 83.3333%") != std::string::npos);
}

TEST_CASE("funnel spread: a month's counts fall on its working days and add up by ISO week across months") {
    Plan plan = parse_plan(R"({"period": "2027", "metrics": [{"id": "orders", "kind": "count", "total": 100}],
        "dimensions": [{"id": "team", "levels": ["rep"], "members": ["a"]}],
        "split": [{"level": "rep"}, {"level": "month", "by": "working_days"}],
        "funnel": {"stages": [{"id": "leads"}, {"id": "won", "rate": "10%"}]}})",
                           "spread.json");
    FunnelSpread spread(plan, TimeLevel::month, TimeLevel::week);
    // November 2027 (weekends only): 22 working days, Mon 1 … Tue 30; 10 leads. The first k days owe
    // round(10k/22): after W44 (5 days) 2, W45 (10) 5, W46 (15) 7, W47 (20) 9, Nov 29–30 (22) 10.
    spread.add("2027-11", 0, {10});
    // December: 23 working days, Wed 1 … Fri 31; 23 leads, one a day: W48 gets Dec 1–3, 3 more.
    spread.add("2027-12", 0, {23});
    std::vector<std::pair<std::string, std::int64_t>> weeks;
    spread.flush([&](const std::string& label, std::size_t, const std::vector<std::int64_t>& counts) {
        weeks.emplace_back(label, counts[0]);
    });
    CHECK(weeks == std::vector<std::pair<std::string, std::int64_t>>{{"2027-W44", 2},
                                                                     {"2027-W45", 3},
                                                                     {"2027-W46", 2},
                                                                     {"2027-W47", 2},
                                                                     {"2027-W48", 1 + 3},
                                                                     {"2027-W49", 5},
                                                                     {"2027-W50", 5},
                                                                     {"2027-W51", 5},
                                                                     {"2027-W52", 5}});
    CHECK(first_days_share(10, 22, 5) == 2);  // 50/22 = 2.27
    CHECK(first_days_share(8, 22, 8) == 3);   // 64/22 = 2.91
    CHECK(first_days_share(10, 4, 2) == 5);   // a half rounds up: 5.0 exactly here
    CHECK(first_days_share(5, 2, 1) == 3);    // 2.5 → 3
}

TEST_CASE("activity quotas: random quotas and join dates add up day → week → month → year and rep → team") {
    std::mt19937 rng(14);
    const char* pers[] = {"working_day", "week", "month"};
    for (int round = 0; round < 20; ++round) {
        std::string reps;
        for (int r = 0; r < 3; ++r) {
            unsigned month = 1 + static_cast<unsigned>(rng() % 12), dom = 1 + static_cast<unsigned>(rng() % 28);
            reps += fmt::format(R"({}{{"id": "r{}"{}}})", r ? ", " : "", r,
                                rng() % 2 ? fmt::format(R"(, "start": "2027-{:02}-{:02}")", month, dom) : "");
        }
        const std::int64_t count = static_cast<std::int64_t>(rng() % 40);
        const char* per = pers[rng() % 3];
        Plan plan = parse_plan(fmt::format(R"({{"period": "2027", "calendar": "cn",
            "metrics": [{{"id": "sales", "total": 100}}],
            "dimensions": [{{"id": "org", "levels": ["team", "rep"], "members": [{{"id": "t", "members": [{}]}}]}}],
            "activities": [{{"id": "calls", "count": {}, "per": "{}"}}],
            "split": [{{"level": "team"}}, {{"level": "rep"}}, {{"level": "month", "by": "working_days"}}]}})",
                                           reps, count, per),
                               "random.json");
        QuotaSchedule s(plan);
        std::int64_t reps_total = 0;
        for (int r = 0; r < 3; ++r) {
            const std::int64_t year = s.count(0, 1, r, plan.first, plan.last);
            std::int64_t days = 0, weeks = 0, months = 0;
            for (Date d = plan.first; d <= plan.last; d += std::chrono::days{1})
                days += s.count(0, 1, r, d, d);
            for (const auto& w : periods_between(TimeLevel::week, plan.first, plan.last, 1))
                weeks += s.count(0, 1, r, w.first, w.last);
            for (const auto& m : periods_between(TimeLevel::month, plan.first, plan.last, 1))
                months += s.count(0, 1, r, m.first, m.last);
            REQUIRE(days == year);
            REQUIRE(weeks == year);
            REQUIRE(months == year);
            reps_total += year;
        }
        REQUIRE(s.count(0, 0, 0, plan.first, plan.last) == reps_total);
        REQUIRE(s.count_all(0, plan.first, plan.last) == reps_total);
    }
}
