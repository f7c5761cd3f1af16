// Plan diff: two versions of a plan compared per node and period; changes add up to the totals' change.
#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

#include "plan_problems.hpp"
#include "tgt/plan_diff.hpp"

using namespace tgt;

namespace {

// Old: 1000.00 (100,000 cents), 东 60 % (甲 and 乙 equal: 300.00 each), 西 40 % (丙 400.00).
constexpr const char* kOld = R"({"period": "2027", "metrics": [{"id": "sales", "unit": "元", "total": "1000"}],
    "dimensions": [{"id": "org", "levels": ["region", "rep"], "members": [
        {"id": "东", "members": [{"id": "甲", "weight": 1}, {"id": "乙", "weight": 1}]},
        {"id": "西", "members": [{"id": "丙", "weight": 1}]}]}],
    "split": [{"level": "region", "weights": {"东": "60%", "西": "40%"}}, {"level": "rep"}]})";

// New: 1200.00, 东 and 西 50 % each (600.00); 乙 left, 丁 joined 东 (甲 and 丁 300.00 each); 丙 600.00.
constexpr const char* kNew = R"({"period": "2027", "metrics": [{"id": "sales", "unit": "元", "total": "1200"}],
    "dimensions": [{"id": "org", "levels": ["region", "rep"], "members": [
        {"id": "东", "members": [{"id": "甲", "weight": 1}, {"id": "丁", "weight": 1}]},
        {"id": "西", "members": [{"id": "丙", "weight": 1}]}]}],
    "split": [{"level": "region", "weights": {"东": "50%", "西": "50%"}}, {"level": "rep"}]})";

// A region's quarters by share: equal (250.00 each of 1000.00), or 10/20/30/40 % (100, 200, 300, 400).
std::string quarters(const char* weights) {
    return fmt::format(R"({{"period": "2027", "metrics": [{{"id": "sales", "total": "1000"}}],
        "dimensions": [{{"id": "region", "members": ["北"]}}],
        "split": [{{"level": "region"}}, {{"level": "quarter", "weights": {}}}]}})",
                       weights);
}

PlanDiff diff_texts(const std::string& old_text, const std::string& new_text, DiffRequest request = {}) {
    Plan was = parse_plan(old_text, "old.json"), is = parse_plan(new_text, "new.json");
    Decomposition a(was), b(is);
    return diff_plans(a, b, request);
}

std::vector<Diagnostic> diff_problems(const std::string& old_text, const std::string& new_text,
                                      DiffRequest request = {}) {
    try {
        diff_texts(old_text, new_text, std::move(request));
    } catch (const Error& e) {
        return e.diagnostics();
    }
    return {};
}

std::string who(const PlanDiff& d, const DiffCell& c) {
    std::string out;
    for (const auto& id : d.nodes[c.node])
        out += (out.empty() ? "" : "/") + id;
    return out;
}

}  // namespace

TEST_CASE("plan diff: added, removed, changed and unchanged reps, largest change first", "[plan_diff]") {
    PlanDiff d = diff_texts(kOld, kNew);
    CHECK(d.key_columns == std::vector<std::string>{"region", "rep"});
    CHECK(d.period_level.empty());
    CHECK(d.old_total == 100000);
    CHECK(d.new_total == 120000);
    REQUIRE(d.cells.size() == 4);
    // |change|: 乙 300 (removed) and 丁 300 (added) tie, 乙 first (the old plan's nodes come first);
    // then 丙 +200; then 甲 0.
    CHECK(who(d, d.cells[0]) == "东/乙");
    CHECK(d.cells[0].status == DiffStatus::removed);
    CHECK(d.cells[0].old_amount == 30000);
    CHECK_FALSE(d.cells[0].new_amount);
    CHECK(d.cells[0].change() == -30000);
    CHECK(who(d, d.cells[1]) == "东/丁");
    CHECK(d.cells[1].status == DiffStatus::added);
    CHECK_FALSE(d.cells[1].old_amount);
    CHECK(d.cells[1].new_amount == 30000);
    CHECK(who(d, d.cells[2]) == "西/丙");
    CHECK(d.cells[2].status == DiffStatus::changed);
    CHECK(d.cells[2].change() == 20000);
    CHECK(who(d, d.cells[3]) == "东/甲");
    CHECK(d.cells[3].status == DiffStatus::unchanged);
    CHECK(d.counts == std::array<std::size_t, 4>{1, 1, 1, 1});
    CHECK(d.changed());
    // −300 + 300 + 200 + 0 = 200 = 1200 − 1000.
    Minor sum = 0;
    for (const auto& c : d.cells)
        sum += c.change();
    CHECK(sum == d.total_change());
    CHECK(d.total_change() == 20000);
}

TEST_CASE("plan diff: by region the reps are added up", "[plan_diff]") {
    DiffRequest request;
    request.by = {"region"};
    PlanDiff d = diff_texts(kOld, kNew, request);
    REQUIRE(d.cells.size() == 2);
    // 西 400 → 600 (+200, +50 %); 东 600 → 600.
    CHECK(who(d, d.cells[0]) == "西");
    CHECK(d.cells[0].change() == 20000);
    CHECK(change_pct(d.cells[0].old_amount, d.cells[0].change()) == 5000);
    CHECK(who(d, d.cells[1]) == "东");
    CHECK(d.cells[1].status == DiffStatus::unchanged);
}

TEST_CASE("plan diff: a rep who moved region is removed there, added here, and named as a move", "[plan_diff]") {
    // 丙 moves from 西 to 东 (the old plan otherwise): 东 600.00 over 甲, 乙, 丙 (200.00 each), 西 400.00 to
    // 戊 alone. Nodes: 东/甲, 东/乙, 西/丙 (old), then 东/丙, 西/戊 (new only).
    std::string moved = kOld;
    const std::string old_west = R"({"id": "西", "members": [{"id": "丙", "weight": 1}]})";
    moved.replace(moved.find(old_west), old_west.size(), R"({"id": "西", "members": [{"id": "戊", "weight": 1}]})");
    const std::string yi = R"({"id": "乙", "weight": 1})";
    moved.replace(moved.find(yi), yi.size(), yi + R"(, {"id": "丙", "weight": 1})");
    PlanDiff d = diff_texts(kOld, moved);
    REQUIRE(d.nodes.size() == 5);
    CHECK(d.nodes[3] == NodeKey{"东", "丙"});
    REQUIRE(d.moves.size() == 1);
    CHECK(d.moves[0].from == 2);  // 西/丙
    CHECK(d.moves[0].to == 3);    // 东/丙
    // 西/丙 −400 and 西/戊 +400 tie (old node first), then 甲 and 乙 −100 each, then 东/丙 +200:
    // Σ = −400 + 400 − 100 − 100 + 200 = 0.
    std::vector<std::string> order;
    for (const auto& c : d.cells)
        order.push_back(who(d, c) + " " + std::string(diff_status_name(c.status)));
    CHECK(order ==
          std::vector<std::string>{"西/丙 removed", "西/戊 added", "东/丙 added", "东/甲 changed", "东/乙 changed"});
    CHECK(d.total_change() == 0);
}

TEST_CASE("plan diff: a plan against itself has no change", "[plan_diff]") {
    PlanDiff d = diff_texts(kOld, kOld);
    CHECK_FALSE(d.changed());
    CHECK(d.counts[static_cast<std::size_t>(DiffStatus::unchanged)] == 3);
    CHECK(d.total_change() == 0);
}

TEST_CASE("plan diff: per quarter, ties keep the earlier quarter", "[plan_diff]") {
    DiffRequest request;
    request.period = TimeLevel::quarter;
    PlanDiff d = diff_texts(quarters("[1, 1, 1, 1]"), quarters("[\"10%\", \"20%\", \"30%\", \"40%\"]"), request);
    CHECK(d.period_level == "quarter");
    REQUIRE(d.cells.size() == 4);
    // 250 → 100, 200, 300, 400: −150, −50, +50, +150; |150| ties Q1 before Q4, |50| Q2 before Q3.
    std::vector<std::string> order;
    std::vector<Minor> changes, pcts;
    for (const auto& c : d.cells) {
        order.push_back(d.periods[c.period].label);
        changes.push_back(c.change());
        pcts.push_back(*change_pct(c.old_amount, c.change()));
    }
    CHECK(order == std::vector<std::string>{"2027-Q1", "2027-Q4", "2027-Q2", "2027-Q3"});
    CHECK(changes == std::vector<Minor>{-15000, 15000, -5000, 5000});
    CHECK(pcts == std::vector<Minor>{-6000, 6000, -2000, 2000});  // ±150/250 = 60 %, ±50/250 = 20 %
    CHECK(d.total_change() == 0);
}

TEST_CASE("plan diff: change % rounds halves away from zero and is absent from nothing", "[plan_diff]") {
    CHECK(change_pct(300, 100) == 3333);         // 33.333… %
    CHECK(change_pct(300, 200) == 6667);         // 66.666… %
    CHECK(change_pct(800, 1) == 13);             // 0.125 % → 0.13
    CHECK(change_pct(800, -1) == -13);           // −0.125 % → −0.13
    CHECK(change_pct(30000, -30000) == -10000);  // removed: −100 %
    CHECK_FALSE(change_pct(0, 500));             // new from zero: no %
    CHECK_FALSE(change_pct(std::nullopt, 500));  // added: no %
}

TEST_CASE("plan diff: the table lists what changed and totals the plans", "[plan_diff]") {
    PlanDiff d = diff_texts(kOld, kNew);
    Table t = diff_table(d);
    std::vector<std::string> names;
    for (const auto& c : t.columns)
        names.push_back(c.name);
    CHECK(names == std::vector<std::string>{"region", "rep", "old", "new", "change", "change_pct", "status"});
    REQUIRE(t.rows.size() == 3);  // 甲 is unchanged: left out
    CHECK(t.rows[0][1].text == "乙");
    CHECK(t.rows[0][6].text == "removed");
    CHECK_FALSE(t.rows[0][3].present);     // no new amount
    CHECK(t.rows[0][5].amount == -10000);  // −100.00 %
    CHECK(t.rows[1][6].text == "added");
    CHECK_FALSE(t.rows[1][2].present);  // no old amount
    CHECK_FALSE(t.rows[1][5].present);  // and no %
    REQUIRE(t.total.size() == 7);
    CHECK(t.total[0].text == "Total");
    CHECK(t.total[2].amount == 100000);
    CHECK(t.total[3].amount == 120000);
    CHECK(t.total[4].amount == 20000);
    CHECK(t.total[5].amount == 2000);  // +200 of 1000: 20.00 %
    Table all = diff_table(d, DiffTableOptions{true, Lang::zh});
    CHECK(all.rows.size() == 4);
    CHECK(all.rows[3][6].text == "未变");
    CHECK(all.total[0].text == "合计");
    CHECK(all.columns[4].heading() == "变动");
}

TEST_CASE("plan diff: plans that cannot be compared say every difference, naming both files", "[plan_diff]") {
    std::string renamed = kNew;
    renamed.replace(renamed.find("\"sales\""), 7, "\"revenue\"");
    auto problems = diff_problems(kOld, renamed);
    REQUIRE(problems.size() == 2);
    CHECK(problems[0].message == "metric \"sales\" is not in new.json");
    CHECK(problems[0].where.file == "old.json");
    CHECK(problems[1].message == "metric \"revenue\" is not in old.json");
    CHECK(problems[1].where.file == "new.json");

    std::string whole = kNew;
    const std::string yuan = "\"unit\": \"元\"";
    whole.replace(whole.find(yuan), yuan.size(), "\"unit\": \"万\", \"decimals\": 0");
    problems = diff_problems(kOld, whole);
    REQUIRE(problems.size() == 2);
    CHECK(problems[0].message == "metric \"sales\": decimals 0 here, 2 in old.json");
    CHECK(problems[1].message == "metric \"sales\": unit \"万\" here, \"元\" in old.json");

    std::string coarser = kNew;  // rounded to whole 元: a quantum of 100 cents
    coarser.replace(coarser.find(yuan), yuan.size(), yuan + ", \"quantum\": \"1\"");
    problems = diff_problems(kOld, coarser);
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].message == "metric \"sales\": quantum 1.00 here, 0.01 in old.json");

    std::string next_year = kNew;
    next_year.replace(next_year.find("2027"), 4, "2028");
    problems = diff_problems(kOld, next_year);
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].message ==
          "the plans cover different periods: old.json 2027-01-01 … 2027-12-31, new.json 2028-01-01 … 2028-12-31");

    DiffRequest by_product;
    by_product.by = {"rep", "product"};
    problems = diff_problems(kOld, kNew, by_product);
    REQUIRE(problems.size() == 1);  // a level neither plan has: the split's own usage error
    CHECK(mentions(problems, "no such dimension level"));
}

TEST_CASE("plan diff: random plan pairs reconcile exactly", "[plan_diff][property]") {
    std::mt19937 rng(20261129);
    auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    // A plan of regions × reps with random weights, drawn from `seed` so that both versions draw the
    // same; the new version (1) of a perturbed pair takes another draw for about half of them (the
    // total, region, rep and month weights), and each rep is left out of a version with probability
    // 1/5 (removed or added). Unperturbed pairs are one plan twice: every cell unchanged.
    auto plan = [](int version, int regions, int reps, unsigned seed, bool perturb) {
        std::mt19937 draw(seed), other(seed ^ 0x9e3779b9u);
        auto weight = [&](int lo, int hi) {
            std::uniform_int_distribution<int> u(lo, hi);
            const int base = u(draw), alt = u(other);
            const bool flip = other() % 2 == 0;
            return version == 1 && perturb && flip ? alt : base;
        };
        std::string dims;
        for (int r = 0; r < regions; ++r) {
            std::string list;
            for (int p = 0; p < reps; ++p) {
                const bool in_old = draw() % 5 != 0, in_new = draw() % 5 != 0;
                const bool in = version == 0 || !perturb ? in_old : in_new;
                const int w = weight(0, 9) + (p == 0 ? 1 : 0);
                if (!in && p > 0) continue;  // the first rep always stays
                list += fmt::format("{}{{\"id\": \"r{}p{}\", \"weight\": {}}}", list.empty() ? "" : ", ", r, p, w);
            }
            dims += fmt::format("{}{{\"id\": \"R{}\", \"weight\": {}, \"members\": [{}]}}", r ? ", " : "", r,
                                weight(1, 20), list);
        }
        std::string months;
        for (int m = 0; m < 12; ++m)
            months += fmt::format("{}{}", m ? ", " : "", weight(201, 230));  // never near 100: not percentages
        const int units = weight(0, 5000000), cents = weight(0, 99);
        return fmt::format(R"({{"period": "2027", "metrics": [{{"id": "sales", "total": "{}.{:02}"}}],
            "dimensions": [{{"id": "org", "levels": ["region", "rep"], "members": [{}]}}],
            "split": [{{"level": "region"}}, {{"level": "rep"}}, {{"level": "month", "weights": [{}]}}]}})",
                           units, cents, dims, months);
    };
    std::array<std::size_t, 4> seen{};  // cells of each status over all rounds: every kind is exercised
    for (int round = 0; round < 40; ++round) {
        const int regions = pick(1, 4), reps = pick(1, 6);
        const unsigned seed = static_cast<unsigned>(rng());
        const bool perturb = round % 4 != 0;
        const std::string old_text = plan(0, regions, reps, seed, perturb);
        const std::string new_text = plan(1, regions, reps, seed, perturb);
        Plan was = parse_plan(old_text, "old.json"), is = parse_plan(new_text, "new.json");
        Decomposition a(was), b(is);
        for (std::optional<TimeLevel> period : {std::optional<TimeLevel>{}, std::optional<TimeLevel>{TimeLevel::month},
                                                std::optional<TimeLevel>{TimeLevel::quarter}}) {
            DiffRequest request;
            request.period = period;
            PlanDiff d = diff_plans(a, b, request);
            INFO("round " << round << "\n" << old_text << "\n" << new_text);
            CHECK(d.old_total == was.metrics[0].total);
            CHECK(d.new_total == is.metrics[0].total);
            Minor sum = 0, old_sum = 0, new_sum = 0;
            for (std::size_t i = 0; i < d.cells.size(); ++i) {
                const DiffCell& c = d.cells[i];
                sum += c.change();
                old_sum += c.old_amount.value_or(0);
                new_sum += c.new_amount.value_or(0);
                if (i > 0) {
                    const Minor before = d.cells[i - 1].change(), now = c.change();
                    CHECK((before < 0 ? -before : before) >= (now < 0 ? -now : now));
                }
            }
            CHECK(sum == d.new_total - d.old_total);
            CHECK(old_sum == d.old_total);
            CHECK(new_sum == d.new_total);
            CHECK(d.cells.size() == d.nodes.size() * d.periods.size());
            for (std::size_t k = 0; k < seen.size(); ++k)
                seen[k] += d.counts[k];
        }
    }
    for (std::size_t k = 0; k < seen.size(); ++k)
        CHECK(seen[k] > 0);
}
