// Every kind of bad plan gets its own clear error, with file, line:column and JSON pointer.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "plan_problems.hpp"
#include "temp_dir.hpp"
#include "tgt/csv.hpp"
#include "tgt/decompose.hpp"
#include "tgt/encoding.hpp"
#include "tgt/plan.hpp"

using namespace tgt;

namespace {

std::vector<Diagnostic> problems(const std::string& text) {
    try {
        Plan plan = parse_plan(text, "plan.json");
        Decomposition d(plan);
        SplitRequest all;
        all.full_depth = true;
        d.run(all, [](const SplitRow&) {});
    } catch (const Error& e) {
        return e.diagnostics();
    }
    return {};
}

const Diagnostic& first(const std::vector<Diagnostic>& ds) {
    REQUIRE_FALSE(ds.empty());
    return ds.front();
}

std::string plan_with_split(const std::string& split, const std::string& dims = "[]",
                            const std::string& metrics = R"([{"id": "revenue", "total": "100万"}])") {
    return R"({"period": "2027", "metrics": )" + metrics + R"(, "dimensions": )" + dims + R"(, "split": )" + split +
           "}";
}

}  // namespace

TEST_CASE("a good plan has no problems") {
    CHECK(problems(plan_with_split(R"([{"level": "month", "by": "equal"}])")).empty());
}

TEST_CASE("malformed JSON points at the line and column") {
    auto ds = problems("{\n  \"period\": \"2027\",\n  \"metrics\": [\n}");
    const auto& d = first(ds);
    CHECK(d.where.line == 4);
    CHECK(d.where.column == 1);
    CHECK(d.message.find("malformed JSON") == 0);
}

TEST_CASE("a wrong type names the key and both types") {
    auto ds = problems(R"({"period": "2027", "metrics": {"id": "x"}, "split": []})");
    CHECK(mentions(ds, "\"metrics\" must be an array, got an object"));
    CHECK(first(ds).where.pointer == "/metrics");
}

TEST_CASE("an unknown key suggests the right one") {
    auto ds = problems(R"({"period": "2027", "metrics": [{"id": "r", "totl": 5}], "split": []})");
    CHECK(mentions(ds, "unknown key \"totl\""));
    CHECK(mentions(ds, "did you mean \"total\"?"));
    const Diagnostic* unknown = nullptr;
    for (const auto& d : ds)
        if (d.message.find("totl") != std::string::npos) unknown = &d;
    REQUIRE(unknown);
    CHECK(unknown->where.pointer == "/metrics/0/totl");
    CHECK(unknown->where.line == 1);
    CHECK(unknown->where.column == 44);
}

TEST_CASE("all problems are reported, not only the first") {
    auto ds = problems(
        R"({"period": "2027", "metrics": [{"id": "r", "total": -5, "decimals": 9}], "split": [{"level": "mnth"}]})");
    CHECK(mentions(ds, "total must be >= 0 (got -5)"));
    CHECK(mentions(ds, "decimals must be a whole number from 0 to 6"));
    CHECK(mentions(ds, "unknown level \"mnth\""));
    CHECK(mentions(ds, "did you mean \"month\"?"));
}

TEST_CASE("a duplicate JSON key is an error") {
    auto ds = problems(R"({"period": "2027", "period": "2028", "metrics": [], "split": []})");
    CHECK(mentions(ds, "duplicate key \"period\""));
    CHECK(first(ds).where.column == 20);
}

TEST_CASE("a duplicate member id is an error") {
    auto ds =
        problems(plan_with_split(R"([{"level": "region"}])", R"([{"id": "region", "members": ["东", "西", "东"]}])"));
    CHECK(mentions(ds, "duplicate member id \"东\""));
    CHECK(first(ds).where.pointer == "/dimensions/0/members/2");
}

TEST_CASE("a dangling reference names what it points at and suggests") {
    auto ds = problems(plan_with_split(R"([{"level": "region", "weights": {"华冬": 1}}])",
                                       R"([{"id": "region", "members": ["华东", "华西"]}])"));
    CHECK(mentions(ds, "no member \"华冬\" at level \"region\""));
    CHECK(mentions(ds, "did you mean"));
    auto ds2 = problems(plan_with_split(
        R"([{"level": "region"}, {"level": "month", "by": "equal", "overrides": [{"where": {"region": "北"}, "weights": {}}]}])",
        R"([{"id": "region", "members": ["东", "西"]}])"));
    CHECK(mentions(ds2, "no member \"北\""));
}

TEST_CASE("a period outside the plan is an error") {
    auto ds = problems(plan_with_split(R"([{"level": "quarter", "weights": {"2028-Q1": "100%"}}])"));
    CHECK(mentions(ds, "no quarter \"2028-Q1\" in the plan's period"));
}

TEST_CASE("weights that are negative, too large or not numbers") {
    auto dims = [](const std::string& weight) {
        return R"([{"id": "r", "members": [{"id": "a", "weight": )" + weight + R"(}, {"id": "b", "weight": 1}]}])";
    };
    CHECK(mentions(problems(plan_with_split(R"([{"level": "r"}])", dims("-5"))), "weight must be >= 0 (got -5)"));
    CHECK(mentions(problems(plan_with_split(R"([{"level": "r"}])", dims("1e30"))), "too large"));
    CHECK(mentions(problems(plan_with_split(R"([{"level": "r"}])", dims("\"lots\""))), "not a weight"));
    CHECK(mentions(problems(plan_with_split(R"([{"level": "r"}])", dims("\"115%\""))), "a percentage above 100"));
}

TEST_CASE("an amount that overflows or is too precise") {
    CHECK(mentions(problems(plan_with_split("[]", "[]", R"([{"id": "r", "total": "1e20"}])")), "too large"));
    CHECK(mentions(problems(plan_with_split("[]", "[]", R"([{"id": "r", "total": "1.005"}])")), "more decimals"));
    CHECK(mentions(problems(plan_with_split("[]", "[]", R"([{"id": "r", "total": "150", "quantum": "100"}])")),
                   "not a multiple"));
}

TEST_CASE("invalid UTF-8 and absurd nesting do not crash") {
    auto ds = problems("{\"name\": \"\xff\xfe\"}");
    CHECK(mentions(ds, "malformed JSON"));
    std::string deep(100000, '[');
    auto ds2 = problems(deep);
    CHECK(mentions(ds2, "nesting deeper than 64 levels"));
}

TEST_CASE("weights a split cannot hold in 64 bits are refused, one by one or in their sum") {
    auto region = [](const std::string& members) { return R"([{"id": "region", "members": )" + members + "}]"; };
    // 9 × 10^17 at 9 decimals (the other weight's scale) is 9 × 10^26: past 64 bits on its own.
    CHECK(mentions(problems(plan_with_split(
                       R"([{"level": "region"}])",
                       region(R"([{"id": "a", "weight": 900000000000000000}, {"id": "b", "weight": 0.000000001}])"))),
                   "weights too large to split exactly (their sum passes 9.2e18)"));
    // 11 × 9 × 10^17 = 9.9 × 10^18: each fits, their sum passes 2^63 - 1 ≈ 9.22 × 10^18.
    std::string eleven;
    for (int i = 0; i < 11; ++i)
        eleven +=
            (i ? ", " : "") + std::string(R"({"id": "m)") + std::to_string(i) + R"(", "weight": 900000000000000000})";
    CHECK(mentions(problems(plan_with_split(R"([{"level": "region"}])", region("[" + eleven + "]"))),
                   "weights too large to split exactly (their sum passes 9.2e18)"));
    // Ten of them (9 × 10^18) still fit: no such problem.
    std::string ten;
    for (int i = 0; i < 10; ++i)
        ten +=
            (i ? ", " : "") + std::string(R"({"id": "m)") + std::to_string(i) + R"(", "weight": 900000000000000000})";
    CHECK(problems(plan_with_split(R"([{"level": "region"}])", region("[" + ten + "]"))).empty());
}

TEST_CASE("arithmetic inconsistencies name the members involved") {
    auto region = [](const std::string& members) { return R"([{"id": "region", "members": )" + members + "}]"; };
    CHECK(mentions(problems(plan_with_split(R"([{"level": "region"}])",
                                            region(R"([{"id": "a", "weight": 0}, {"id": "b", "weight": 0}])"))),
                   "all weights are zero: a, b"));
    CHECK(mentions(problems(plan_with_split(R"([{"level": "region"}])",
                                            region(R"([{"id": "a", "amount": "150万"}, {"id": "b"}])"))),
                   "held amounts of revenue total 1500000.00 but the parent has only 1000000.00"));
    CHECK(mentions(problems(plan_with_split(R"([{"level": "region"}])",
                                            region(R"([{"id": "a", "weight": "60%"}, {"id": "b", "weight": "55%"}])"))),
                   "percentages total 115% (must be 100): a, b"));
    CHECK(
        mentions(problems(plan_with_split(R"([{"level": "region"}])",
                                          region(R"([{"id": "a", "amount": "30万"}, {"id": "b", "amount": "25万"}])"))),
                 "top-down 1000000.00 but the amounts below add up to 550000.00 (difference -450000.00)"));
    // A month's weights that contradict its quarter's explicit amount.
    CHECK(mentions(
        problems(plan_with_split(
            R"([{"level": "quarter", "weights": [{"amount": "25万"}, {"amount": "25万"}, {"amount": "25万"}, {"amount": "25万"}]},
        {"level": "month", "weights": {"01": {"amount": "10万"}, "02": {"amount": "10万"}, "03": {"amount": "10万"}}, "by": "equal"}])")),
        "top-down 250000.00 but the amounts below add up to 300000.00 (difference 50000.00)"));
}

TEST_CASE("CSV problems point at the file and line") {
    test::TempDir dir("tgt-unit-csv-");
    { std::ofstream(dir / "reps.csv") << "region,rep,weight\nN,a,1\nN,b,x\nS,c\n"; }
    std::string plan = R"({"period": "2027", "metrics": [{"id": "r", "total": 100}],
      "dimensions": [{"id": "org", "levels": ["region", "rep"], "members_from": {"file": "reps.csv", "columns": ["region", "rep"], "weight": "weight"}}],
      "split": [{"level": "region"}, {"level": "rep"}]})";
    std::vector<Diagnostic> ds;
    try {
        parse_plan(plan, (dir / "plan.json").string());
    } catch (const Error& e) {
        ds = e.diagnostics();
    }
    REQUIRE_FALSE(ds.empty());
    CHECK(ds[0].where.file == (dir / "reps.csv").string());
    CHECK(ds[0].where.line == 4);
    CHECK(ds[0].message == "expected 3 fields, found 2");
    { std::ofstream(dir / "reps.csv") << "region,rep,weight\nN,a,1\nN,b,x\n"; }
    try {
        parse_plan(plan, (dir / "plan.json").string());
        FAIL("expected an error");
    } catch (const Error& e) {
        CHECK(e.diagnostics()[0].where.line == 3);
        CHECK(e.diagnostics()[0].message.find("not a number \"x\"") != std::string::npos);
    }
    std::filesystem::remove(dir / "reps.csv");
    try {
        parse_plan(plan, (dir / "plan.json").string());
        FAIL("expected an error");
    } catch (const Error& e) {
        CHECK(e.diagnostics()[0].message.find("cannot read") != std::string::npos);
    }
}

namespace {

// A one-level plan whose step carries `step_extra` and whose members carry `member_extra`.
std::string plan_with(const std::string& member_extra, const std::string& step_extra) {
    return R"({"period": "2027", "metrics": [{"id": "s", "total": "100万"}],
               "dimensions": [{"id": "d", "members": [{"id": "a")" +
           member_extra + R"(}, {"id": "b"}]}], "split": [{"level": "d")" + step_extra +
           R"(}, {"level": "month", "by": "equal"}]})";
}

}  // namespace

TEST_CASE("a bare number where a percentage is meant names both readings") {
    // 110 as a percentage is 110 %; as a ratio it is 11000 %.
    auto ds = problems(plan_with("", R"(, "allocate": 110)"));
    REQUIRE(ds.size() == 1);
    CHECK(ds[0].message == "allocate 110 can be read two ways: as a percentage (110%) or as a ratio (11000%)");
    CHECK(ds[0].hint == R"(write the one you mean with a percent sign: "110%" or "11000%")");
    CHECK(mentions(problems(plan_with("", R"(, "allocate": "110")")), "as a ratio (11000%)"));
    // growth 0.2: +0.2 % or +20 %
    ds = problems(plan_with(R"(, "baseline": "40万", "growth": 0.2)", ""));
    REQUIRE(ds.size() == 1);
    CHECK(ds[0].message == "growth 0.2 can be read two ways: as a percentage (0.2%) or as a ratio (20%)");
    CHECK(mentions(problems(plan_with("", R"(, "ramp": [0.5])")), "as a ratio (50%)"));
}

TEST_CASE("percentages with their sign, zero and allocate multipliers from 1 to 2 are taken") {
    CHECK(problems(plan_with(R"(, "baseline": "40万", "growth": "+20%")", "")).empty());
    CHECK(problems(plan_with(R"(, "baseline": "40万", "growth": "-5%")", "")).empty());
    CHECK(problems(plan_with(R"(, "baseline": "40万", "growth": 0)", "")).empty());
    CHECK(problems(plan_with("", R"(, "allocate": 1.1)")).empty());
    CHECK(problems(plan_with("", R"(, "allocate": "110%")")).empty());
    // 2.5 is neither 250 % unambiguously (it could be 2.5 %) nor a multiplier tgt takes bare.
    CHECK(mentions(problems(plan_with("", R"(, "allocate": 2.5)")), "can be read two ways"));
    // A percentage is plain digits.
    CHECK(mentions(problems(plan_with(R"(, "baseline": "40万", "growth": "2万%")", "")), "not growth"));
}

TEST_CASE("bare weights adding up to nearly 100 are refused unless normalize says ratios") {
    std::string near = R"({"period": "2027", "metrics": [{"id": "s", "total": "100万"}],
        "split": [{"level": "quarter", "weights": [20, 25, 30, 20]STEP}]})";
    auto with = [&](const std::string& step) { return near.replace(near.find("STEP"), 4, step); };
    std::string plain = near;
    auto ds = problems(with(""));
    REQUIRE(ds.size() == 1);
    CHECK(ds[0].message.find("add up to 95: percentages that do not total 100, or ratios") != std::string::npos);
    near = plain;
    CHECK(problems(with(R"(, "normalize": true)")).empty());
    near = plain;
    // 3 : 2 : 2 : 1 cannot be percentages that missed 100 by a little.
    near.replace(near.find("20, 25, 30, 20"), 14, "3, 2, 2, 1");
    CHECK(problems(with("")).empty());
}

TEST_CASE("time weights that leave periods out need rest equal") {
    std::string partial = R"({"period": "2027", "metrics": [{"id": "s", "total": "100万"}],
        "split": [{"level": "quarter", "weights": {"Q1": "20%", "Q2": "30%"}}]})";
    auto ds = problems(partial);
    REQUIRE(ds.size() == 1);
    CHECK(ds[0].message == R"(level "quarter": the weights do not list 2027-Q3, 2027-Q4)");
    std::string rest = partial;
    rest.replace(rest.find("}}]"), 3, R"(}, "rest": "equal"}])");
    Plan plan = parse_plan(rest, "plan.json");
    Decomposition d(plan);
    SplitRequest quarters;
    quarters.period = TimeLevel::quarter;
    std::vector<Minor> got;
    d.run(quarters, [&](const SplitRow& row) { got.push_back(row.amounts[0]); });
    // 100万 = 100,000,000 cents: Q1 20 %, Q2 30 %, Q3 and Q4 (100 − 50) / 2 = 25 % each.
    CHECK(got == std::vector<Minor>{20000000, 30000000, 25000000, 25000000});
}

TEST_CASE("a walk reports every amount that contradicts its parent, not only the first") {
    // Quarters 20/25/30/25 % of 1亿; January–March held at 3 × 700万 = 2100万 against Q1's 2000万,
    // April–June at 3 × 800万 = 2400万 against Q2's 2500万.
    std::string text = R"({"period": "2027", "metrics": [{"id": "s", "total": "1亿"}],
        "split": [{"level": "quarter", "weights": ["20%", "25%", "30%", "25%"]},
                  {"level": "month", "by": "working_days", "weights": {
                     "01": {"amount": "700万"}, "02": {"amount": "700万"}, "03": {"amount": "700万"},
                     "04": {"amount": "800万"}, "05": {"amount": "800万"}, "06": {"amount": "800万"}}}]})";
    auto ds = problems(text);
    REQUIRE(ds.size() == 2);
    CHECK(ds[0].message.find("2027-Q1: top-down 20000000.00 but the amounts below add up to 21000000.00") == 0);
    CHECK(ds[1].message.find("2027-Q2: top-down 25000000.00 but the amounts below add up to 24000000.00") == 0);
    // A time level's hint offers nothing that only dimension levels take.
    CHECK(ds[0].hint.find("reconcile") == std::string::npos);
}

TEST_CASE("validation reports a group it cannot split beside the amounts that contradict") {
    // Level d's percentages total 90 % (found before any amount); Q1 held at 200万 of a 100万 year
    // (found by the walk). Below d's group, split equally as a stand-in, nothing more is reported.
    std::string text = R"({"period": "2027", "metrics": [{"id": "s", "total": "100万"}],
        "dimensions": [{"id": "d", "members": [{"id": "a", "weight": "50%"}, {"id": "b", "weight": "40%"}]}],
        "split": [{"level": "quarter", "by": "equal", "weights": {"Q1": {"amount": "200万"}}}, {"level": "d"},
                  {"level": "month", "by": "equal", "weights": {"01": {"amount": "90万"}}}]})";
    Plan plan = parse_plan(text, "plan.json");
    Diagnostics found;
    Decomposition d(plan, found);
    std::vector<SplitProblem> walked;
    SplitRequest all;
    all.full_depth = true;
    all.problems = &walked;
    d.run(all, [](const SplitRow&) {});
    REQUIRE(found.items().size() == 1);
    CHECK(found.items()[0].message == R"(level "d": percentages total 90% (must be 100): a, b)");
    REQUIRE(walked.size() == 1);
    CHECK(walked[0].step == 0);
    CHECK(walked[0].node.empty());
    CHECK(walked[0].diagnostic.message.find("held amounts of s total 2000000") != std::string::npos);
}

TEST_CASE("ids meet nowhere: metrics, budget lines, funnel stages, visits, levels and the columns derived from them") {
    // A count metric "orders" and the funnel's target stage "orders" would print two "orders" columns.
    auto ds = problems(R"({"period": "2027",
  "metrics": [{"id": "orders", "kind": "count", "total": 100}, {"id": "share", "kind": "rate", "target": "30%",
               "weighted_by": "orders"}, {"id": "share_pct", "kind": "count", "total": 1}],
  "dimensions": [{"id": "rep", "members": ["A", "B"]}],
  "split": [{"level": "rep"}],
  "funnel": {"target_stage": "orders", "stages": [{"id": "leads"}, {"id": "orders", "rate": "50%"}]}})");
    REQUIRE(ds.size() == 2);
    CHECK(ds[0].message ==
          "funnel stage \"orders\" is also metric \"orders\" (line 2): both would be the column \"orders\"");
    CHECK(ds[0].where.line == 6);
    CHECK(ds[0].where.pointer == "/funnel/stages/1");
    CHECK(ds[1].message ==
          "the weighted-average column of rate metric \"share\" is also metric \"share_pct\" (line 3): both would be "
          "the column \"share_pct\"");
    // A stretch version's ratio column and a --show-task column are names too; a level is a column.
    ds = problems(R"({"period": "2027",
  "metrics": [{"id": "sales", "total": 100, "stretch": "120%"}, {"id": "sales_stretch_ratio", "total": 1},
              {"id": "sales_task", "total": 1}],
  "dimensions": [{"id": "org", "levels": ["region", "sales"], "members": [{"id": "N", "members": ["a"]}]}],
  "split": [{"level": "region"}, {"level": "sales"}]})");
    REQUIRE(ds.size() == 3);
    CHECK(mentions(ds, "metric \"sales\" is also level \"sales\""));
    CHECK(mentions(
        ds, "the ratio column of the stretch version of metric \"sales\" is also metric \"sales_stretch_ratio\""));
    // The library mentions the request's field; the CLI spells it as its flag (--show-task).
    CHECK(
        mentions(ds, "the " + mention(Field::show_task) + " column of metric \"sales\" is also metric \"sales_task\""));
    // The same names apart are fine.
    CHECK(problems(R"({"period": "2027", "metrics": [{"id": "order_count", "kind": "count", "total": 100}],
  "dimensions": [{"id": "rep", "members": ["A", "B"]}], "split": [{"level": "rep"}],
  "funnel": {"target_stage": "orders", "stages": [{"id": "leads"}, {"id": "orders", "rate": "50%"}]}})")
              .empty());
}

TEST_CASE("locations on one long minified line count characters, across the 64-byte blocks") {
    // 300 members with three-byte ids on one line, then an unknown key: its column is the number of
    // characters before it plus one, counted here from the text itself.
    std::string members;
    for (int i = 0; i < 300; ++i)
        members += std::string(i ? "," : "") + "{\"id\":\"华东" + std::to_string(i) + "\"}";
    std::string text = R"({"period":"2027","metrics":[{"id":"s","total":1}],"dimensions":[{"id":"d","members":[)" +
                       members + R"(]}],"split":[{"level":"d","byy":"equal"}]})";
    std::size_t at = text.find("\"byy\"");
    int characters = 0;
    for (std::size_t i = 0; i < at; ++i)
        characters += (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80 ? 0 : 1;
    auto ds = problems(text);
    REQUIRE(ds.size() == 1);
    CHECK(ds[0].message == R"(unknown key "byy")");
    CHECK(ds[0].where.line == 1);
    CHECK(ds[0].where.column == characters + 1);
    // The same key on line 3 of a pretty plan: columns restart at each line.
    std::string pretty =
        "{\n  \"period\": \"2027\", \"metrics\": [{\"id\": \"华东\", \"total\": 1}],\n"
        "  \"split\": [{\"level\": \"month\", \"by\": \"equal\", \"byy\": 1}]}";
    ds = problems(pretty);
    REQUIRE(ds.size() == 1);
    CHECK(ds[0].where.line == 3);
    // Before "byy": 2 spaces, "split": (9), [{ (2), "level": (9), "month", (9), "by": (6), "equal", (9) = 46.
    CHECK(ds[0].where.column == 47);
}

TEST_CASE("a plan let go is read again as it was first read, whatever the data files' encoding") {
    // A GB18030 plan whose member 北京 starts after the period: finish_plan warns once the text is
    // let go. Line 4 is `  {"id": "北京", "start": "2028-03-01"}` … the warning points at the member.
    test::TempDir dir("tgt-unit-let-go-");
    const std::string utf8 =
        "{\"period\": \"2027\", \"metrics\": [{\"id\": \"s\", \"total\": 100}],\n"
        " \"dimensions\": [{\"id\": \"city\", \"members\": [\n"
        "  {\"id\": \"上海\"},\n"
        "  {\"id\": \"北京\", \"start\": \"2028-03-01\"}]}],\n"
        " \"split\": [{\"level\": \"city\"}]}\n";
    std::string file = dir.write("plan.json", encode_text(utf8, Encoding::gb18030));
    InputLimits data;  // what --encoding says of the data files: not how the plan was read
    data.encoding = Encoding::utf8;
    data.keep_text_bytes = 0;
    InputLimits as_read = data;
    as_read.encoding = Encoding::automatic;
    for (bool from_file : {true, false}) {
        Plan plan = from_file ? parse_plan(read_text_file(file, as_read), file, data, Encoding::automatic)
                              : parse_plan(read_text_file(file, as_read), file, data);  // kept: not let go
        REQUIRE(plan.warnings.size() == 1);
        const Diagnostic& w = plan.warnings.front();
        CHECK(w.where.file == file);
        CHECK(w.where.line == 4);
        CHECK(w.where.column == 3);
        CHECK(w.where.pointer == "/dimensions/0/members/1");
        CHECK(w.message.find("starts after the plan's period ends") != std::string::npos);
    }
}
