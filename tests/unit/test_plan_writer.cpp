// The plan writer: read → write → read gives the same Plan, for every example plan and for
// rebalanced plans; edits land where an author would look for them.
//
// "The same Plan" is compared through a canonical dump (canonical() below): every field of the
// model that a split, progress or check reads, written out in order, leaving out source locations
// (they name lines of the text, which the layout moves), file names (a moved reference names the
// same file by another path), warnings and the working-day calendar (read from the same files).
#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "tgt/plan_writer.hpp"
#include "tgt/rebalance.hpp"

using namespace tgt;
namespace fs = std::filesystem;

namespace {

std::string text_of(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string dec(const Decimal& d) {
    auto hi = static_cast<std::int64_t>(d.mantissa >> 64);
    auto lo = static_cast<std::uint64_t>(d.mantissa);
    return fmt::format("{}:{}e-{}", hi, lo, d.scale);
}

template <class T, class F>
std::string opt(const std::optional<T>& v, F f) {
    return v ? f(*v) : std::string("-");
}

template <class T, class F>
std::string opt(const Boxed<T>& v, F f) {
    return v ? f(*v) : std::string("-");
}

template <class F>
std::string opt(const tgt::OptionalDate& v, F f) {
    return v ? f(*v) : std::string("-");
}

std::string date_text(Date d) {
    return format_date(d);
}

std::string share(const Share& s) {
    std::string out = fmt::format("{}/{}/{}[", static_cast<int>(s.kind), dec(s.value), s.bare);
    for (const auto& a : s.amounts)
        out += opt(a, [](Minor m) { return std::to_string(m); }) + ",";
    return out + "]";
}

template <typename Keyed>  // std::map<std::string, Share> or KeyedShares
std::string shares(const Keyed& keyed) {
    std::string out;
    for (const auto& [k, v] : keyed)
        out += std::string(k) + "=" + share(v) + " ";
    return out;
}

std::string decimals(const std::vector<Decimal>& v) {
    std::string out;
    for (const auto& d : v)
        out += dec(d) + ",";
    return out;
}

std::string member(const Member& m) {
    std::string out = fmt::format("  member {} '{}' parent {} children {} share {}", m.id, m.name(), m.parent,
                                  fmt::join(m.children(), ","), share(m.share));
    if (m.capacity()) {
        out += " capacity " + dec(m.capacity()->headcount) + " ";
        for (const auto& r : m.capacity()->rate)
            out += opt(r, [](Minor x) { return std::to_string(x); }) + ",";
    }
    const Availability& a = m.availability();
    out += fmt::format(" active {}..{} ramp {}", opt(a.start, date_text), opt(a.end, date_text), decimals(a.ramp));
    out += fmt::format(" baseline {} growth {} own_ramp {} unassigned {} placeholder {} customers {}", m.baseline,
                       opt(m.growth(), dec), m.own_ramp(), m.unassigned, m.placeholder, fmt::join(m.customers(), ","));
    for (const auto& r : m.rates())
        out += " rate " + opt(r, dec);
    return out + "\n";
}

std::string step(const Step& s) {
    std::string out =
        fmt::format("step {} kind {} dim {} depth {} time {} basis {}\n", s.level, static_cast<int>(s.kind),
                    s.dimension, s.depth, static_cast<int>(s.time), static_cast<int>(s.basis));
    out += "  positional ";
    for (const auto& p : s.positional)
        out += share(p) + " ";
    out += "\n  keyed " + shares(s.keyed) + "\n  weekday ";
    for (const auto& w : s.weekday)
        out += dec(w) + ",";
    out += fmt::format(
        "\n  holidays {} normalize {} if_all_zero {} rest {} allocate {} band {} ramp {} ramp_rest {} "
        "scale {}\n",
        s.closed_on_holidays, s.normalize, s.equal_if_all_zero, s.rest_equal, opt(s.allocate, dec),
        opt(s.band, [](const auto& b) { return dec(b.first) + ".." + dec(b.second); }), decimals(s.ramp),
        s.ramp_rest_unassigned, s.scale_holds);
    if (s.history) {
        out += fmt::format("  history {} {}:", s.history->key_column, s.history->weight_column);
        for (const auto& [k, v] : s.history->rows)
            out += " " + k + "=" + dec(v.first);
        out += "\n";
    }
    for (const auto& o : s.overrides) {
        out += "  override";
        for (const auto& [level, id] : o.when)
            out += " " + level + "=" + id;
        out += ": " + shares(o.weights) + "\n";
    }
    return out;
}

// The model, field by field (see the comment at the top of the file for what is left out).
std::string canonical(const Plan& p) {
    std::string out = fmt::format("plan '{}' {}..{} fiscal {}\n", p.name, format_date(p.first), format_date(p.last),
                                  p.fiscal_start_month);
    for (const auto& m : p.metrics)
        out += fmt::format(
            "metric {} '{}' {} money {} decimals {} quantum {} total {} origin '{}' bottom_up {} "
            "stretch {}/{} {} budget {} rate {} {} by {}\n",
            m.id, m.name, m.unit, m.money, m.decimals, m.quantum, m.total, m.origin, m.bottom_up, m.stretch,
            m.stretch_of, opt(m.stretch_ratio, dec), m.budget, m.rate, dec(m.rate_target), m.weighted_by);
    for (const auto& d : p.dimensions) {
        out += fmt::format("dimension {} levels {}\n", d.id, fmt::join(d.levels, ","));
        for (const auto& level : d.members)
            for (const auto& m : level)
                out += member(m);
    }
    for (const auto& s : p.steps)
        out += step(s);
    out += fmt::format("status {} {} {}\n", dec(p.status.ahead), dec(p.status.on_track), dec(p.status.behind));
    out += fmt::format("funnel {} visits {}\n", p.funnel ? p.funnel->stages.size() : 0,
                       p.visits ? p.visits->tiers.size() : 0);
    return out;
}

bool is_plan_example(const fs::path& path) {
    return path.extension() == ".json" && looks_like_plan(text_of(path));
}

}  // namespace

TEST_CASE("plan writer: every example plan laid out by the writer reads back as the same Plan") {
    int plans = 0;
    for (const auto& entry : fs::directory_iterator(TGT_EXAMPLES_DIR)) {
        if (!is_plan_example(entry.path())) continue;
        INFO(entry.path().string());
        std::string text = text_of(entry.path());
        Plan first = parse_plan(text, entry.path().string());
        std::string written = format_plan(text);
        Plan again = parse_plan(written, entry.path().string());
        CHECK(canonical(again) == canonical(first));
        CHECK(format_plan(written) == written);  // the layout is a fixed point
        ++plans;
    }
    CHECK(plans >= 25);
}

TEST_CASE("plan writer: a plan nothing edits is written as its author wrote it") {
    std::string text =
        "{\"period\": \"2027\",   \"metrics\": [{\"id\": \"s\", \"total\": \"1万\"}],\n"
        "  \"dimensions\": [], \"split\": [{\"level\": \"month\", \"by\": \"equal\"}]}";
    CHECK(PlanWriter(text).text() == text);
}

TEST_CASE("plan writer: edits stay where the author put the keys, added keys go last") {
    std::string text = R"({"name": "Q", "period": "2027", "metrics": [{"id": "s", "total": "120万"}],
        "dimensions": [{"id": "rep", "members": ["a", "b"]}],
        "split": [{"level": "rep", "note": "n"}, {"level": "month", "by": "equal"}]})";
    PlanWriter w(text);
    w.append_to_name(" — again");
    w.set_total(0, 123456, 2);
    w.prepend_overrides(1, {WrittenOverride{{{"rep", "a"}}, {{"2027-01", 150, true}, {"2027-02", 7, false}}}}, 2);
    w.set_normalize(1, true);
    w.add_note(0, "more");
    w.add_note(1, "why");
    // Worked by hand: "total" keeps its place and is written as a plain amount; the month step's
    // override is on a line of its own (1.50 held, 0.07 a weight), "normalize" and "note" are added
    // after the step's own keys; the rep step's note is extended after a space.
    CHECK(w.text() == R"({
  "name": "Q — again",
  "period": "2027",
  "metrics": [{"id": "s", "total": "1234.56"}],
  "dimensions": [{"id": "rep", "members": ["a", "b"]}],
  "split": [
    {"level": "rep", "note": "n more"},
    {
      "level": "month",
      "by": "equal",
      "overrides": [
        {"where": {"rep": "a"}, "weights": {"2027-01": {"amount": "1.50"}, "2027-02": "0.07"}}
      ],
      "normalize": true,
      "note": "why"
    }
  ]
}
)");
    // And it reads back as a plan with that override first.
    Plan p = parse_plan(w.text(), "edited.json");
    REQUIRE(p.steps[1].overrides.size() == 1);
    CHECK(p.steps[1].overrides[0].weights.at("2027-01").amounts[0] == 150);
    CHECK(p.metrics[0].total == 123456);
}

TEST_CASE("plan writer: dropping a level's rules keeps its level, note and fallback, then new weights go last") {
    std::string text = R"({"period": "2027", "metrics": [{"id": "s", "total": 1}],
        "dimensions": [{"id": "rep", "members": [{"id": "a", "start": "2027-03-01"}, "b"]}],
        "split": [{"level": "rep", "by": "equal", "ramp": ["50%"], "note": "x", "if_all_zero": "equal",
                   "overrides": [], "band": ["90%", "110%"]}, {"level": "month", "by": "equal"}]})";
    PlanWriter w(text);
    w.prepend_overrides(0, {WrittenOverride{{{"rep", "a"}}, {{"2027-01", 1, true}}}}, 2);
    w.drop_rules(0);  // the override just added goes too
    CHECK_FALSE(w.has_overrides(0));
    w.set_weights(0, {{"a", 100, true}, {"b", 250, true}}, 2);
    w.add_note(0, "y");
    // Worked by hand: "by", "ramp", "overrides" and "band" go; "level", "note" (extended) and
    // "if_all_zero" keep their places; "weights" is added last, each amount written with 2 decimals;
    // on one line the step takes 118 columns, more than the 96 left at indent 4: broken, key by key.
    CHECK(w.text() == R"({
  "period": "2027",
  "metrics": [{"id": "s", "total": 1}],
  "dimensions": [{"id": "rep", "members": [{"id": "a", "start": "2027-03-01"}, "b"]}],
  "split": [
    {
      "level": "rep",
      "note": "x y",
      "if_all_zero": "equal",
      "weights": {"a": {"amount": "1.00"}, "b": {"amount": "2.50"}}
    },
    {"level": "month", "by": "equal"}
  ]
}
)");
    CHECK_FALSE(w.has_overrides(1));
}

TEST_CASE("plan writer: an added override is laid out as the same override written in the plan") {
    // Steps of growing length around the 100-column line: inline while they fit, broken after.
    for (int weights = 1; weights <= 4; ++weights) {
        for (bool hold : {false, true}) {
            INFO(weights << " weights, hold " << hold);
            WrittenOverride o{{{"r", "a"}}, {}};
            std::string json = R"({"where": {"r": "a"}, "weights": {)";
            for (int i = 0; i < weights; ++i) {
                std::string label = fmt::format("2027-{:02d}", i + 1);
                o.weights.push_back({label, 1, hold});
                json += fmt::format("{}\"{}\": {}", i ? ", " : "", label, hold ? R"({"amount": "0.01"})" : R"("0.01")");
            }
            json += "}}";
            std::string head =
                R"({"period": "2027", "metrics": [{"id": "s", "total": 1}], "split": [{"level": "month")";
            std::string written_in = head + R"(, "overrides": [)" + json + "]}]}";
            PlanWriter added(head + "}]}");
            added.prepend_overrides(0, {o}, 2);
            CHECK(added.formatted() == format_plan(written_in));
            CHECK(added.has_overrides(0));
        }
    }
}

TEST_CASE("plan writer: relative file references are moved to resolve from the new folder") {
    std::string text = R"({"period": "2027", "calendar": "cal/c.json", "metrics": [{"id": "s", "total": 1}],
        "split": [{"level": "month", "by": "history", "file": "data/m.csv", "key": "month", "column": "w"}]})";
    PlanWriter w(text);
    w.move_references("/a/in", "/a/out");
    std::string out = w.text();
    CHECK(out.find(R"("calendar": "../in/cal/c.json")") != std::string::npos);
    CHECK(out.find(R"("file": "../in/data/m.csv")") != std::string::npos);
    PlanWriter builtin(R"({"period": "2027", "calendar": "cn", "metrics": [], "split": []})");
    builtin.move_references("/a/in", "/a/out");
    CHECK(builtin.text().find(R"("calendar": "cn")") != std::string::npos);  // a built-in calendar is no path
}

namespace {

Rebalance rebalance_file(const fs::path& plan_path, const fs::path& actuals, const char* as_of) {
    std::string text = text_of(plan_path);
    Plan plan = parse_plan(text, plan_path.string());
    Decomposition d(plan);
    RebalanceRequest request;
    request.as_of = *parse_date(as_of);
    request.actuals = {actuals.string()};
    request.output_path = plan_path.string();  // beside the old plan: its references stay as written
    return rebalance(d, text, request);
}

}  // namespace

TEST_CASE("plan writer: a rebalanced plan reads back as the plan rebalance kept in memory") {
    fs::path examples(TGT_EXAMPLES_DIR);
    std::vector<Rebalance> runs;
    runs.push_back(rebalance_file(examples / "rebalance.json", examples / "data" / "actuals-q1.csv", "2027-03-31"));
    runs.push_back(
        rebalance_file(examples / "weekly-tracking.json", examples / "data" / "actuals-weekly.csv", "2027-03-14"));
    // Random organisations and sales, some reps ahead of their whole target (levels above raised).
    std::mt19937 random(13);
    auto dir = fs::temp_directory_path() / fmt::format("tgt-plan-writer-{}", random());
    fs::create_directories(dir);
    for (int round = 0; round < 20; ++round) {
        std::string reps, actuals = "date,rep,sales\n";
        int n = 1 + static_cast<int>(random() % 6);
        for (int i = 0; i < n; ++i) {
            reps += fmt::format("{}{{\"id\": \"r{}\", \"weight\": {}}}", i ? ", " : "", i, 1 + random() % 3);
            for (int m = 1; m <= 3; ++m)
                actuals += fmt::format("2027-0{}-15,r{},{}\n", m, i, random() % (round % 2 ? 900 : 300));
        }
        std::string months = random() % 2 ? R"("by": "working_days")" : R"("weights": [1, 2, 3, 1, 2, 3])";
        std::string plan =
            fmt::format(R"({{"name": "round {}", "period": {{"start": "2027-01-01", "end": "2027-06-30"}},
            "metrics": [{{"id": "sales", "total": 3000}}], "dimensions": [{{"id": "org", "levels": ["region", "rep"],
            "members": [{{"id": "G", "members": [{}]}}]}}], "split": [{{"level": "region"}}, {{"level": "rep"}},
            {{"level": "month", {}}}]}})",
                        round, reps, months);
        std::ofstream(dir / "plan.json", std::ios::binary) << plan;
        std::ofstream(dir / "actuals.csv", std::ios::binary) << actuals;
        runs.push_back(rebalance_file(dir / "plan.json", dir / "actuals.csv", "2027-03-31"));
        // Each run is checked now: the next round writes over its files.
        const Rebalance& r = runs.back();
        INFO("round " << round << ", " << r.raised.size() << " raised\n" << r.plan_json);
        CHECK(canonical(parse_plan(r.plan_json, (dir / "plan.json").string())) == canonical(r.plan));
    }
    auto raised = std::count_if(runs.begin(), runs.end(), [](const Rebalance& r) { return !r.raised.empty(); });
    CHECK(raised >= 3);                                   // levels raised in memory, compared too
    CHECK(raised <= static_cast<long>(runs.size()) - 3);  // and plain re-spreads
    for (std::size_t i = 0; i < 2; ++i) {
        fs::path file = examples / (i == 0 ? "rebalance.json" : "weekly-tracking.json");
        CHECK(canonical(parse_plan(runs[i].plan_json, file.string())) == canonical(runs[i].plan));
    }
    fs::remove_all(dir);
}

TEST_CASE("KeyedShares: sorted by key whatever the order added, the first share of a key kept") {
    auto ratio = [](Wide v) {
        Share s;
        s.kind = Share::Kind::ratio;
        s.value = Decimal{v, 0};
        return s;
    };
    KeyedShares k;
    CHECK(k.empty());
    CHECK(k.emplace("2027-03", ratio(3)));
    CHECK(k.emplace("2027-01", ratio(1)));
    CHECK(k.emplace("2027-02", ratio(2)));
    CHECK_FALSE(k.emplace("2027-01", ratio(9)));  // taken: the first stays
    REQUIRE(k.size() == 3);
    std::string order;
    for (const auto& [key, share] : k)
        order += std::string(key) + "=" + std::to_string(static_cast<long long>(share.value.get().mantissa)) + " ";
    CHECK(order == "2027-01=1 2027-02=2 2027-03=3 ");
    CHECK(k.find("2027-02")->second.value.get().mantissa == 2);
    CHECK(k.find("2027-04") == k.end());
    CHECK(k.count("2027-03") == 1);
    CHECK(k.count("2027") == 0);
    CHECK(k.at("2027-01").value.get().mantissa == 1);
    CHECK_THROWS_AS(k.at("2027-13"), std::out_of_range);

    std::map<std::string, Share> map;  // a map's entries come over in its order
    map.emplace("b", ratio(2));
    map.emplace("a", ratio(1));
    KeyedShares from(std::move(map));
    REQUIRE(from.size() == 2);
    CHECK(from.begin()->first == "a");
    CHECK(from.at("b").value.get().mantissa == 2);
}

TEST_CASE("KeyedShares: long keys, whole shares and places come back as they went in") {
    Share percent;  // 12.5 %: a slot's number 125 at scale 1
    percent.kind = Share::Kind::percent;
    percent.value = Decimal{125, 1};
    Share second;  // an amount of the second of two metrics: a slot's number, metric 1 of 2
    second.kind = Share::Kind::amount;
    second.amounts = {std::nullopt, Minor{700}};
    Share both = second;  // amounts of two metrics: kept whole
    both.amounts[0] = 300;
    Share derived = percent;  // an origin: kept whole
    derived.edit_origins() = {"Σ region"};
    Share placed;  // a place: kept beside the slots, and only then
    placed.kind = Share::Kind::ratio;
    placed.value = Decimal{3, 0};
    placed.bare = true;
    placed.where = SourceLocation{"plan.json", 3, 5, "/split/0/weights/aa"};

    KeyedShares k;
    CHECK(k.emplace("short", second));
    CHECK(k.emplace("b-also-a-long-key", both));  // longer than the 8 bytes a slot holds
    CHECK(k.emplace("a-very-long-member-id", percent));
    CHECK(k.emplace("c", derived));
    CHECK(k.emplace("aa", placed));
    CHECK_FALSE(k.emplace("b-also-a-long-key", percent));
    // Byte order: "a-very-…" < "aa" ('-' before 'a') < "b-also-…" < "c" < "short".
    std::vector<std::string> keys;
    for (const auto& [key, share] : k)
        keys.emplace_back(key);
    CHECK(keys == std::vector<std::string>{"a-very-long-member-id", "aa", "b-also-a-long-key", "c", "short"});

    Share p = k.at("a-very-long-member-id");
    CHECK(p.kind == Share::Kind::percent);
    CHECK(p.value == Decimal{125, 1});
    CHECK_FALSE(p.where.known());
    Share s = k.at("short");
    CHECK(s.kind == Share::Kind::amount);
    REQUIRE(s.amounts.size() == 2);
    CHECK_FALSE(s.amounts[0]);
    CHECK(s.amounts[1] == Minor{700});
    Share b = k.at("b-also-a-long-key");
    REQUIRE(b.amounts.size() == 2);
    CHECK(b.amounts[0] == Minor{300});
    CHECK(b.amounts[1] == Minor{700});
    CHECK(k.at("c").origins() == std::vector<std::string>{"Σ region"});
    Share a = k.at("aa");
    CHECK(a.kind == Share::Kind::ratio);
    CHECK(a.bare);
    CHECK(a.value == Decimal{3, 0});
    REQUIRE(a.where.known());
    CHECK(a.where.resolve().line == 3);
    CHECK(a.where.resolve().pointer == "/split/0/weights/aa");
    CHECK(k.find("b-also-a-long-key")->first == "b-also-a-long-key");
    CHECK(k.find("b-also-a-long-ke") == k.end());

    KeyedShares copy = k;  // a plan is copied whole (rebalance edits a copy)
    CHECK(copy.at("short").amounts[1] == Minor{700});
    CHECK(copy.key(2) == "b-also-a-long-key");
}

TEST_CASE("plan writer: overrides made as they are written read as the same overrides listed") {
    std::string text = R"({"period": "2027", "metrics": [{"id": "s", "total": 1}], "split": [{"level": "month",
        "overrides": [{"where": {"r": "z"}, "weights": {"2027-01": "1"}}]}]})";
    std::vector<WrittenOverride> list;
    for (const char* rep : {"a", "b", "c"})
        list.push_back({{{"r", rep}}, {{"2027-01", 150, true}, {"2027-02", 5, false}}});
    PlanWriter listed(text), made(text);
    listed.prepend_overrides(0, list, 2);
    int calls = 0;
    made.prepend_overrides(
        0, 2,
        [&](std::size_t i, WrittenOverride& o) {
            ++calls;
            o = list[i + 1];  // b and c
        },
        2);
    made.prepend_overrides(0, {list[0]}, 2);  // a goes in front of them
    CHECK(made.has_overrides(0));
    // By hand: the three added overrides first (amounts at 2 decimals: 150 → "1.50", 5 → "0.05"),
    // the plan's own last, one a line.
    const std::string expected = R"({
  "period": "2027",
  "metrics": [{"id": "s", "total": 1}],
  "split": [
    {
      "level": "month",
      "overrides": [
        {"where": {"r": "a"}, "weights": {"2027-01": {"amount": "1.50"}, "2027-02": "0.05"}},
        {"where": {"r": "b"}, "weights": {"2027-01": {"amount": "1.50"}, "2027-02": "0.05"}},
        {"where": {"r": "c"}, "weights": {"2027-01": {"amount": "1.50"}, "2027-02": "0.05"}},
        {"where": {"r": "z"}, "weights": {"2027-01": "1"}}
      ]
    }
  ]
}
)";
    CHECK(made.text() == expected);
    CHECK(listed.text() == expected);
    CHECK(calls > 0);
}
