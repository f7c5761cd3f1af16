// Capacity, ramps, growth, bottom-up totals, stretch and rates: unit tests of the arithmetic, the
// worked examples, and a property test over random organisations checked against a plain reference.
#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <map>
#include <random>

#include "tgt/capacity.hpp"
#include "tgt/checks.hpp"
#include "tgt/decompose.hpp"
#include "tgt/explain.hpp"

using namespace tgt;

namespace {

Date day(const char* text) {
    return *parse_date(text);
}

// Rows of a split keyed by their joined keys; the first metric's amounts.
std::map<std::string, Minor> split_rows(const Decomposition& d, std::vector<std::string> by,
                                        std::optional<TimeLevel> period = std::nullopt, std::size_t channel = 0) {
    SplitRequest request;
    request.by = std::move(by);
    request.period = period;
    std::map<std::string, Minor> out;
    d.run(request, [&](const SplitRow& row) {
        std::string key;
        for (auto k : row.keys)
            key += std::string(k) + "|";
        out[key] += row.amounts[channel];
    });
    return out;
}

Minor sum_of(const std::map<std::string, Minor>& rows) {
    Minor s = 0;
    for (const auto& [k, v] : rows)
        s += v;
    return s;
}

}  // namespace

TEST_CASE("fractions stay exact and reduced") {
    Fraction a(6, 8), b(1, 3);
    CHECK(a == Fraction(3, 4));
    CHECK(a + b == Fraction(13, 12));
    CHECK(a - b == Fraction(5, 12));
    CHECK(a * b == Fraction(1, 4));
    CHECK(a / b == Fraction(9, 4));
    CHECK(b < a);
    CHECK(Fraction(-2, -4) == Fraction(1, 2));
    CHECK(round_to_quantum(Fraction(5, 2), 1) == 3);  // halves away from zero
    CHECK(round_to_quantum(Fraction(-5, 2), 1) == -3);
    CHECK(round_to_quantum(Fraction(149, 1), 100) == 100);
    CHECK(round_to_quantum(Fraction(150, 1), 100) == 200);
    CHECK(divide_rounded(1, 3, 4) == 3333);
    CHECK(divide_rounded(2, 3, 4) == 6667);
    CHECK_FALSE(divide_rounded(1, 0, 2).has_value());
    CHECK(format_fraction_decimal(Fraction(94, 11), 4) == "8.5455");
    CHECK_THROWS_AS(Fraction(1, 0), std::domain_error);
}

TEST_CASE("capacity months: whole months, joiners pro rata by working days, ramps") {
    WorkCalendar calendar;  // Monday to Friday
    CapacityCalendar clock(calendar);
    Date first = day("2027-01-01"), last = day("2027-12-31");
    CHECK(clock.months(first, last, Availability{}) == Fraction(12));
    Availability september{day("2027-09-01"), std::nullopt, {}};
    CHECK(clock.months(first, last, september) == Fraction(4));
    // Joining Thursday 15 April: 12 of April's 22 working days, then 8 whole months.
    Availability april{day("2027-04-15"), std::nullopt, {}};
    CHECK(calendar.working_days(day("2027-04-01"), day("2027-04-30")) == 22);
    CHECK(clock.months(first, last, april) == Fraction(12, 22) + Fraction(8));
    // Leaving on 30 June: six months.
    Availability leaver{std::nullopt, day("2027-06-30"), {}};
    CHECK(clock.months(first, last, leaver) == Fraction(6));
    // A 25/50/75 % ramp from 1 September: 0.25 + 0.5 + 0.75 + 1.
    Availability ramped{day("2027-09-01"), std::nullopt, {Decimal{25, 2}, Decimal{50, 2}, Decimal{75, 2}}};
    CHECK(clock.months(first, last, ramped) == Fraction(5, 2));
    CHECK(clock.months(first, last, ramped, false) == Fraction(4));
    // The ramp counts tenure months from the joining month, also when the join is mid-month.
    Availability mid{day("2027-04-15"), std::nullopt, {Decimal{5, 1}}};
    CHECK(clock.months(first, last, mid) == Fraction(12, 22) * Fraction(1, 2) + Fraction(8));
}

TEST_CASE("active share of the period: weight x active months (ramp at its steps) over the window's months") {
    WorkCalendar calendar;  // Monday to Friday
    CapacityCalendar clock(calendar);
    Date first = day("2027-01-01"), last = day("2027-12-31");
    const std::vector<Decimal> ramp{Decimal{25, 2}, Decimal{50, 2}, Decimal{75, 2}};
    // DOMAIN.md example 10: from 1 July, 25/50/75 %: (0.25 + 0.5 + 0.75 + 3) / 12 = 4.5/12 = 3/8.
    Availability july{day("2027-07-01"), std::nullopt, ramp};
    CHECK(clock.active_share(first, last, july, false) == Fraction(3, 8));
    // Capacity weights already count active months: only the ramp is taken off, 4.5 of 6.
    CHECK(clock.active_share(first, last, july, true) == Fraction(3, 4));
    // Dates alone: a leaver on 30 June keeps 6 of 12; a joiner on Thursday 15 April keeps
    // (12/22 of April + 8 months) / 12 (April has 22 working days, 12 of them from the 15th).
    CHECK(clock.active_share(first, last, Availability{std::nullopt, day("2027-06-30"), {}}, false) == Fraction(1, 2));
    CHECK(clock.active_share(first, last, Availability{day("2027-04-15"), std::nullopt, {}}, false) ==
          (Fraction(12, 22) + Fraction(8)) / Fraction(12));
    CHECK(clock.active_share(first, last, Availability{day("2027-04-15"), std::nullopt, {}}, true) == Fraction(1));
    // Measured against the parent's window: a rep joining with his region on 1 July keeps all of
    // the region's half year; one joining on 1 October keeps 3 of its 6 months.
    Date july_first = day("2027-07-01");
    CHECK(clock.active_share(july_first, last, Availability{july_first, std::nullopt, {}}, false) == Fraction(1));
    CHECK(clock.active_share(july_first, last, Availability{day("2027-10-01"), std::nullopt, {}}, false) ==
          Fraction(1, 2));
    // Never active inside the window: nothing.
    CHECK(clock.active_share(first, day("2027-06-30"), Availability{july_first, std::nullopt, {}}, false) ==
          Fraction(0));
    CHECK(active_window(july, first, last) == std::pair{july_first, last});
    CHECK_FALSE(limited_within(Availability{}, first, last));
    CHECK(limited_within(Availability{std::nullopt, std::nullopt, ramp}, first, last));
}

TEST_CASE("a joiner without a ramp gets his weight x the part of the year he is active") {
    // Percentages 60/40 of 120万; 孙丽 joins on 1 October: 40 % × 3/12 = 12万 (48万 × 1/4). What
    // that frees (36万) goes to 赵磊 by default: 72万 + 36万 = 108万.
    Plan plan = parse_plan(R"({"period": "2027", "metrics": [{"id": "s", "total": "120万"}],
        "dimensions": [{"id": "rep", "members": [{"id": "赵磊", "weight": "60%"},
                                                 {"id": "孙丽", "weight": "40%", "start": "2027-10-01"}]}],
        "split": [{"level": "rep"}, {"level": "month", "by": "equal"}]})",
                           "joiner.json");
    Decomposition d(plan);
    auto reps = split_rows(d, {"rep"});
    CHECK(reps["孙丽|"] == 12'0000'00);
    CHECK(reps["赵磊|"] == 108'0000'00);
    // Her months: 4万 each from October, what a 40 % rep gets a month (48万 ÷ 12).
    auto months = split_rows(d, {"rep"}, TimeLevel::month);
    CHECK(months["孙丽|2027-09|"] == 0);
    CHECK(months["孙丽|2027-10|"] == 4'0000'00);
    CHECK(months["孙丽|2027-12|"] == 4'0000'00);
}

TEST_CASE("sub-members are prorated against their parent's active time, not the year") {
    // A region opening on 1 July takes 6/12 of its equal half (30万 of 60万; 30万 go to the other).
    // Its first rep shares its dates (all of the region's time); its second joins on 1 October,
    // 3 of the region's 6 months: weights 1 and 1/2 of the region's 30万, the freed 7.5万 to the
    // first rep: 15万 + 7.5万 = 22.5万 and 7.5万.
    Plan plan = parse_plan(R"({"period": "2027", "metrics": [{"id": "s", "total": "120万"}],
        "dimensions": [{"id": "org", "levels": ["region", "rep"], "members": [
            {"id": "老", "members": ["a"]},
            {"id": "新", "start": "2027-07-01", "members": ["b", {"id": "c", "start": "2027-10-01"}]}]}],
        "split": [{"level": "region"}, {"level": "rep"}, {"level": "month", "by": "equal"}]})",
                           "window.json");
    Decomposition d(plan);
    auto reps = split_rows(d, {"rep"});
    CHECK(reps["老|a|"] == 90'0000'00);
    CHECK(reps["新|b|"] == 22'5000'00);
    CHECK(reps["新|c|"] == 7'5000'00);
}

TEST_CASE("growth over a baseline rounds once, to the quantum") {
    CHECK(grown_amount(833300000000, Decimal{20, 2}, 1) == 999960000000);  // 8333万 +20 % = 9999.6万
    CHECK(grown_amount(1833333333, Decimal{2, 1}, 1) == 2200000000);       // 18,333,333.33 × 1.2 = 21,999,999.996
    CHECK(grown_amount(80000000, Decimal{-5, 2}, 1) == 76000000);
    CHECK(grown_amount(100, Decimal{5, 3}, 1) == 101);  // 100.5 → 101 (half away from zero)
    CHECK_THROWS_AS(grown_amount(100, Decimal{-15, 1}, 1), std::domain_error);
}

TEST_CASE("DOMAIN.md example 6: channels by capacity add up to 942万") {
    Plan plan = load_plan(std::string(TGT_EXAMPLES_DIR) + "/capacity.json");
    CHECK(plan.metrics[0].bottom_up);
    CHECK(plan.metrics[0].total == 942'0000'00);
    Decomposition d(plan);
    auto rows = split_rows(d, {"channel"});
    CHECK(rows["直营店|"] == 192'0000'00);
    CHECK(rows["大客户|"] == 750'0000'00);
    auto months = split_rows(d, {"channel"}, TimeLevel::month);
    CHECK(months["直营店|2027-07|"] == 32'0000'00);
}

TEST_CASE("a joiner has no target before joining, and ramps free target for the others or leave it unassigned") {
    Plan plan = load_plan(std::string(TGT_EXAMPLES_DIR) + "/ramps.json");
    Decomposition d(plan);
    auto days = split_rows(d, {"rep"}, TimeLevel::month);
    Minor before = 0, after = 0;
    for (const auto& [key, amount] : days) {
        if (key.rfind("北区|孙杰|", 0) != 0) continue;
        (key < "北区|孙杰|2027-09|" ? before : after) += amount;
    }
    CHECK(before == 0);
    CHECK(after > 0);
    CHECK(sum_of(days) == plan.metrics[0].total);

    Plan unassigned = load_plan(std::string(TGT_EXAMPLES_DIR) + "/ramps-unassigned.json");
    Decomposition u(unassigned);
    auto reps = split_rows(u, {"rep"});
    // DOMAIN.md example 10: equal thirds of 600万 (200万); the joiner is active 0.25 + 0.5 + 0.75 + 3
    // = 4.5 of the year's 12 months: 200万 × 4.5/12 = 75万, and the other 125万 stay unassigned.
    CHECK(reps["李雷|"] == 200'0000'00);
    CHECK(reps["新人|"] == 75'0000'00);
    CHECK(reps["(unassigned)|"] == 125'0000'00);
    // His Q3 is 25万 (1.5 of his 4.5 months) and his Q4 50万, a tenured rep's Q4 (200万 ÷ 4).
    auto quarters = split_rows(u, {"rep"}, TimeLevel::quarter);
    CHECK(quarters["新人|2027-Q2|"] == 0);
    CHECK(quarters["新人|2027-Q3|"] == 25'0000'00);
    CHECK(quarters["新人|2027-Q4|"] == 50'0000'00);
    CHECK(quarters["李雷|2027-Q4|"] == 50'0000'00);
}

TEST_CASE("a joiner's months follow the overrides of its region, reshaped by its dates") {
    Plan plan = parse_plan(R"({"period": "2027", "metrics": [{"id": "s", "total": "120万"}],
        "dimensions": [{"id": "org", "levels": ["region", "rep"], "members": [
            {"id": "北", "members": ["a", {"id": "b", "start": "2027-07-01"}]},
            {"id": "南", "members": ["c", {"id": "d", "start": "2027-07-01"}]}]}],
        "split": [{"level": "region"}, {"level": "rep", "ramp": ["50%"]},
                  {"level": "month", "by": "equal", "overrides": [
                     {"where": {"region": "南"}, "weights": {"12": 0, "11": 2, "01": 1, "02": 1, "03": 1, "04": 1,
                                                           "05": 1, "06": 1, "07": 1, "08": 1, "09": 1, "10": 1}}]}]})",
                           "override.json");
    Decomposition d(plan);
    auto months = split_rows(d, {"rep"}, TimeLevel::month);
    CHECK(months["南|d|2027-12|"] == 0);  // the override's zero December holds for the joiner too
    CHECK(months["南|d|2027-06|"] == 0);  // and it has nothing before July
    CHECK(months["南|d|2027-07|"] * 4 == months["南|d|2027-11|"]);  // July at half ramp, November weighs 2
    CHECK(months["北|b|2027-12|"] > 0);
    CHECK(sum_of(months) == plan.metrics[0].total);
}

TEST_CASE("an (unassigned) row carries its amount through the levels below it, whatever their rule") {
    // Accounts split by capacity below reps: the (unassigned) rep has no accounts with a capacity.
    Plan plan = parse_plan(R"({"period": "2027", "metrics": [{"id": "s", "total": "120万"}],
        "dimensions": [{"id": "org", "levels": ["rep", "account"], "members": [
            {"id": "a", "members": [{"id": "a1", "capacity": {"headcount": 1, "rate": "1万"}}]},
            {"id": "b", "start": "2027-07-01", "members": [{"id": "b1", "capacity": {"headcount": 1, "rate": "1万"}}]}]}],
        "split": [{"level": "rep", "by": "equal", "ramp": ["50%"], "ramp_rest": "unassigned"},
                  {"level": "account", "by": "capacity"}]})",
                           "placeholder.json");
    Decomposition d(plan);
    auto accounts = split_rows(d, {"account"});
    // b is active 0.5 + 5 = 5.5 of the year's 12 months (July at 50 %) of an equal half:
    // 60万 × 5.5/12 = 27.5万; the other 32.5万 stay unassigned. b1 shares b's dates, so the account
    // level (by capacity) does not prorate it again.
    CHECK(accounts["a|a1|"] == 60'0000'00);
    CHECK(accounts["b|b1|"] == 27'5000'00);
    CHECK(accounts["(unassigned)|(unassigned)|"] == 32'5000'00);
}

TEST_CASE("bottom-up totals, stretch versions and their ratio") {
    Plan plan = load_plan(std::string(TGT_EXAMPLES_DIR) + "/bottom-up.json");
    int stretch = plan.metric_index("sales_stretch");
    REQUIRE(stretch >= 0);
    CHECK(plan.metrics[0].total == 1000'0000'00);  // 300 + 250 + 280 + 20 × 8.5 (万)
    CHECK(plan.metrics[static_cast<std::size_t>(stretch)].total == 1200'0000'00);
    Decomposition d(plan);
    auto months = split_rows(d, {"rep"}, TimeLevel::month, static_cast<std::size_t>(stretch));
    CHECK(sum_of(months) == 1200'0000'00);

    Plan top = load_plan(std::string(TGT_EXAMPLES_DIR) + "/stretch.json");
    Decomposition t(top);
    auto commit = split_rows(t, {"team"});
    auto aim = split_rows(t, {"team"}, std::nullopt, 1);
    CHECK(commit["三组|"] == 112'0000'00);
    CHECK(aim["三组|"] == 140'0000'00);  // the hold scaled by 700/560
    CHECK(sum_of(aim) == 700'0000'00);
}

TEST_CASE("a member without a share stands for the sum of its sub-members' amounts, at any level") {
    auto plan_with = [](const char* total) {
        return fmt::format(R"({{"period": "2027", "metrics": [{{"id": "s", "total": "{}"}}],
            "dimensions": [{{"id": "org", "levels": ["region", "rep"], "members": [
                {{"id": "北", "members": [{{"id": "a", "amount": "300万"}}, {{"id": "b", "amount": "200万"}}]}},
                {{"id": "南", "members": [{{"id": "c", "amount": "400万"}}, {{"id": "d", "amount": "100万"}}]}}]}}],
            "split": [{{"level": "region"}}, {{"level": "rep"}}, {{"level": "quarter", "by": "equal"}}]}})",
                           total);
    };
    Plan agree = parse_plan(plan_with("1000万"), "agree.json");
    Decomposition d(agree);
    auto regions = split_rows(d, {"region"});
    CHECK(regions["北|"] == 500'0000'00);
    CHECK(regions["南|"] == 500'0000'00);
    // A top-down total that the amounts below do not reach: reported per level, never picked silently.
    Plan disagree = parse_plan(plan_with("1200万"), "disagree.json");
    Decomposition e(disagree);
    auto rows = check_plan(e);
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].kind == CheckRow::Kind::top_down_vs_bottom_up);
    CHECK(rows[0].difference() == -200'0000'00);
    CHECK_THROWS_AS(split_rows(e, {"region"}), Error);
}

TEST_CASE("rates are held and aggregate as weighted averages") {
    Plan plan = load_plan(std::string(TGT_EXAMPLES_DIR) + "/rates.json");
    Decomposition d(plan);
    SplitRequest request;
    request.metrics = {"share"};
    std::vector<Minor> amounts;
    d.run(request, [&](const SplitRow& row) { amounts.assign(row.amounts.begin(), row.amounts.end()); });
    REQUIRE(amounts.size() == 2);  // the weighting metric comes along
    // Σ market × rate (millionths) ÷ Σ market = 0.4 × 30 % + 0.35 × 35 % + 0.25 × 30 % = 31.75 %.
    CHECK(Fraction(amounts[1], amounts[0]) == Fraction(317500));
    // explain names the rate in force and what split shows.
    Explanation x = explain(d, {Filter{"region", "华南"}}, "share");
    REQUIRE(x.rate.has_value());
    CHECK(x.rate->source == "华南's own rate");
    CHECK(x.rate->shown == 3500);
    CHECK(x.metric == "market");
    CHECK(x.value == 3500'0000'00);
}

TEST_CASE("checks: bands, top-down vs bottom-up, capacity vs quota") {
    auto rows_of = [](const char* example) {
        Plan plan = load_plan(std::string(TGT_EXAMPLES_DIR) + "/" + example);
        Decomposition d(plan);
        return check_plan(d);
    };
    auto bands = rows_of("bands.json");
    int flagged = 0;
    for (const auto& r : bands) {
        if (r.level == "store") {
            CHECK(r.flagged);
            CHECK(*r.ratio() == Fraction(5, 4));
        }
        flagged += r.flagged;
    }
    CHECK(flagged == 4);
    auto reconcile = rows_of("reconcile.json");
    REQUIRE(reconcile.size() == 1);
    CHECK(reconcile[0].difference() == 200'0000'00);
    CHECK_FALSE(reconcile[0].flagged);  // "reconcile": "scale" says what to do
    auto quota = rows_of("capacity-vs-quota.json");
    REQUIRE(quota.size() == 2);
    CHECK(quota[0].flagged);
    CHECK(quota[0].difference() == -8'0000'00);
}

TEST_CASE("explain follows the same path as split, step by step") {
    Plan plan = load_plan(std::string(TGT_EXAMPLES_DIR) + "/ramps.json");
    Decomposition d(plan);
    auto months = split_rows(d, {"rep"}, TimeLevel::month);
    for (const auto& [key, amount] : months) {
        auto team_end = key.find('|'), rep_end = key.find('|', team_end + 1);
        std::string rep = key.substr(team_end + 1, rep_end - team_end - 1);
        std::string period = key.substr(rep_end + 1, key.size() - rep_end - 2);
        Explanation x = explain(d, {Filter{"rep", rep}, Filter{"period", period}}, "");
        CHECK(x.value == amount);
        REQUIRE(x.steps.size() == 3);
        for (const auto& s : x.steps)
            if (s.ramp.empty()) CHECK(Fraction(s.value) - s.exact == s.adjustment);
    }
    CHECK_THROWS_AS(explain(d, {Filter{"rep", "nobody"}}, ""), Error);
}

// ---------------------------------------------------------------- property test
namespace {

// Working days Monday to Friday in [a, b] (the generated plans have no holidays).
int weekdays(Date a, Date b) {
    int n = 0;
    for (Date d = a; d <= b; d += std::chrono::days{1})
        n += iso_weekday(d) <= 5;
    return n;
}

// Capacity months written out plainly, day by day: the reference for CapacityCalendar.
Fraction reference_months(Date start, Date end, const std::vector<int>& ramp_pct) {
    using namespace std::chrono;
    Fraction total;
    for (unsigned m = 1; m <= 12; ++m) {
        Date mf = sys_days{year{2027} / month{m} / 1}, ml = sys_days{year{2027} / month{m} / last};
        Date a = std::max(mf, start), b = std::min(ml, end);
        if (b < a) continue;
        Fraction share(weekdays(a, b), weekdays(mf, ml));
        int tenure = static_cast<int>(m) - static_cast<int>(static_cast<unsigned>(year_month_day{start}.month()));
        if (start > day("2027-01-01") && tenure >= 0 && static_cast<std::size_t>(tenure) < ramp_pct.size())
            share = share * Fraction(ramp_pct[static_cast<std::size_t>(tenure)], 100);
        total = total + share;
    }
    return total;
}

// Largest remainder, plainly.
std::vector<Minor> reference_split(Minor total, const std::vector<Fraction>& w) {
    Fraction sum;
    for (const auto& x : w)
        sum = sum + x;
    std::vector<Minor> out(w.size());
    std::vector<std::pair<Fraction, std::size_t>> rem;
    Minor given = 0;
    for (std::size_t i = 0; i < w.size(); ++i) {
        Fraction exact = Fraction(total) * w[i] / sum;
        out[i] = static_cast<Minor>(exact.num / exact.den);
        given += out[i];
        rem.emplace_back(exact - Fraction(out[i]), i);
    }
    std::stable_sort(rem.begin(), rem.end(), [](const auto& a, const auto& b) { return b.first < a.first; });
    for (Minor k = 0; k < total - given; ++k)
        ++out[rem[static_cast<std::size_t>(k)].second];
    return out;
}

}  // namespace

TEST_CASE("random organisations with capacity, dates and ramps reconcile and match a plain reference") {
    std::mt19937_64 rng(20270101);
    auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    for (int round = 0; round < 60; ++round) {
        int teams = pick(1, 3);
        bool unassigned = pick(0, 1) == 1;
        std::vector<int> ramp;
        for (int k = pick(0, 3); k > 0; --k)
            ramp.push_back(pick(1, 100));
        std::string ramp_json;
        for (int r : ramp)
            ramp_json += fmt::format("{}\"{}%\"", ramp_json.empty() ? "" : ", ", r);
        std::string members;
        struct Rep {
            std::string team, id;
            int heads, rate;
            Date start, end;
        };
        std::vector<Rep> reps;
        for (int t = 0; t < teams; ++t) {
            std::string list;
            for (int r = pick(1, 4); r > 0; --r) {
                Rep rep{fmt::format("t{}", t), fmt::format("t{}r{}", t, r), pick(1, 5),
                        pick(1, 300) * 100,    day("2027-01-01"),           day("2027-12-31")};
                if (pick(0, 2) == 0) rep.start = day("2027-01-01") + std::chrono::days{pick(1, 300)};
                if (pick(0, 4) == 0) rep.end = rep.start + std::chrono::days{pick(30, 200)};
                if (rep.end > day("2027-12-31")) rep.end = day("2027-12-31");
                reps.push_back(rep);
                list += fmt::format(
                    "{}{{\"id\": \"{}\", \"capacity\": {{\"headcount\": {}, \"rate\": {}}}, "
                    "\"start\": \"{}\", \"end\": \"{}\"}}",
                    list.empty() ? "" : ", ", rep.id, rep.heads, rep.rate, format_date(rep.start),
                    format_date(rep.end));
            }
            members += fmt::format("{}{{\"id\": \"t{}\", \"members\": [{}]}}", members.empty() ? "" : ", ", t, list);
        }
        Minor total = pick(1, 1000000) * 100;
        std::string text = fmt::format(
            R"({{"period": "2027", "metrics": [{{"id": "s", "total": {}}}],
                "dimensions": [{{"id": "org", "levels": ["team", "rep"], "members": [{}]}}],
                "split": [{{"level": "team", "by": "equal"}},
                          {{"level": "rep", "by": "capacity", "ramp": [{}], "ramp_rest": "{}"}},
                          {{"level": "month", "by": "working_days"}}, {{"level": "day", "by": "working_days", "if_all_zero": "equal"}}]}})",
            total, members, ramp_json, unassigned ? "unassigned" : "others");
        INFO(text);
        Plan plan = parse_plan(text, "random.json");
        total = plan.metrics[0].total;  // the plan states 元; amounts are in cents
        Decomposition d(plan);
        auto by_rep = split_rows(d, {"rep"});
        auto by_day = split_rows(d, {"rep"}, TimeLevel::day);
        CHECK(sum_of(by_rep) == total);
        CHECK(sum_of(by_day) == total);
        // The reference: equal teams; reps by headcount × rate × active months; a ramped rep keeps
        // ramped ÷ active months of its share (rounded half up), and what ramps free goes to the
        // (unassigned) row or to the reps without a ramp by their weights.
        auto team_amounts = reference_split(total, std::vector<Fraction>(static_cast<std::size_t>(teams), Fraction(1)));
        for (int t = 0; t < teams; ++t) {
            std::vector<const Rep*> in_team;
            for (const auto& r : reps)
                if (r.team == fmt::format("t{}", t)) in_team.push_back(&r);
            std::vector<Fraction> w;
            for (const auto* r : in_team)
                w.push_back(Fraction(r->heads * r->rate) * reference_months(r->start, r->end, {}));
            auto parts = reference_split(team_amounts[static_cast<std::size_t>(t)], w);
            Minor freed = 0;
            std::vector<Fraction> others;
            bool any_ramp = false;
            for (std::size_t i = 0; i < in_team.size(); ++i) {
                const Rep& r = *in_team[i];
                bool ramps = !ramp.empty() && r.start > day("2027-01-01");
                any_ramp = any_ramp || ramps;
                Fraction full = reference_months(r.start, r.end, {});
                Fraction keep = ramps && !full.is_zero() ? reference_months(r.start, r.end, ramp) / full : Fraction(1);
                others.push_back(keep == Fraction(1) ? w[i] : Fraction(0));
                if (keep == Fraction(1)) continue;
                Fraction exact = Fraction(parts[i]) * keep;
                Minor kept = static_cast<Minor>((2 * exact.num + exact.den) / (2 * exact.den));
                freed += parts[i] - kept;
                parts[i] = kept;
            }
            if (freed > 0 && !unassigned) {
                bool any_other = false;
                for (const auto& o : others)
                    any_other = any_other || !o.is_zero();
                if (!any_other)
                    for (std::size_t i = 0; i < parts.size(); ++i)
                        others[i] = Fraction(parts[i]);
                auto extra = reference_split(freed, others);
                for (std::size_t i = 0; i < parts.size(); ++i)
                    parts[i] += extra[i];
            }
            for (std::size_t i = 0; i < in_team.size(); ++i)
                CHECK(by_rep[fmt::format("t{}|{}|", t, in_team[i]->id)] == parts[i]);
            if (unassigned && any_ramp) CHECK(by_rep[fmt::format("t{}|(unassigned)|", t)] == freed);
        }
        // Nobody has target on a day they are not active.
        for (const auto& r : reps)
            for (const auto& [key, amount] : by_day) {
                std::string prefix = fmt::format("{}|{}|", r.team, r.id);
                if (key.rfind(prefix, 0) != 0 || amount == 0) continue;
                Date d0 = day(key.substr(prefix.size(), 10).c_str());
                CHECK((d0 >= r.start && d0 <= r.end));
            }
    }
}

TEST_CASE("a joiner's equal fallback over all-zero weights stays inside his active months") {
    // Quarters 0/50/50/0 % with "if_all_zero": "equal": a rep starting 1 November has no weight in
    // the quarters he works in, so his quarters fall back to equal — but only where he is active:
    // nothing before November. His year: 10万 ÷ 2 reps × 2/12 active months = 8,333.33.
    Plan plan = parse_plan(R"({"period": "2027", "metrics": [{"id": "s", "total": "10万"}],
        "dimensions": [{"id": "rep", "members": [{"id": "early"}, {"id": "late", "start": "2027-11-01"}]}],
        "split": [{"level": "rep"}, {"level": "quarter", "weights": ["0%", "50%", "50%", "0%"], "if_all_zero": "equal"},
                  {"level": "month", "by": "equal"}]})",
                           "late.json");
    Decomposition d(plan);
    auto months = split_rows(d, {"rep"}, TimeLevel::month);
    for (int m = 1; m <= 10; ++m)
        CHECK(months[fmt::format("late|2027-{:02}|", m)] == 0);
    CHECK(months["late|2027-11|"] + months["late|2027-12|"] == 8333'33);
}
