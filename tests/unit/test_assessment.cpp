// Assessment scores and pay bands: the scheme read from a plan, scores worked by hand as exact
// fractions, gaps and overlaps in the bands, and the score columns progress gets from its hook.
#include <catch2/catch.hpp>

#include "plan_problems.hpp"
#include "temp_dir.hpp"
#include "tgt/assessment_progress.hpp"
#include "tgt/checks.hpp"

using namespace tgt;

namespace {

// Two metrics, five reps with equal targets: sales 400.00 and collected 300.00 each.
std::string plan_with(const std::string& assessment) {
    return R"({
  "period": "2027",
  "metrics": [{"id": "sales", "total": "2000"}, {"id": "collected", "total": "1500"}],
  "dimensions": [{"id": "team", "levels": ["rep"], "members": ["a", "b", "c", "d", "e"]}],
  "split": [{"level": "rep", "by": "equal"}, {"level": "quarter", "by": "equal"}],
  "assessment": )" +
           assessment + "\n}";
}

const char* kScheme = R"({
    "parts": [
      {"id": "duties", "points": 30, "deductions": "duty_deductions"},
      {"id": "tasks", "points": 70, "metrics": {"sales": "60%", "collected": "40%"}, "cap": "120%"}
    ],
    "pay": [
      {"from": 85, "factor": "100%"},
      {"from": 80, "to": 85, "factor": "95%"},
      {"from": 75, "to": 80, "factor": "90%"},
      {"from": 0, "to": 75, "factor": "85%"}
    ]
  })";

AssessmentInput input(Fraction sales, Fraction collected, std::optional<Fraction> deducted) {
    AssessmentInput in;
    in.achievement = {sales, collected};
    in.deductions = {deducted, std::nullopt};
    return in;
}

}  // namespace

TEST_CASE("assessment: the scheme is read with its parts, weights, cap and bands") {
    Plan plan = parse_plan(plan_with(kScheme), "plan.json");
    REQUIRE(plan.assessment);
    const Assessment& a = *plan.assessment;
    REQUIRE(a.parts.size() == 2);
    CHECK(a.parts[0].duty());
    CHECK(a.parts[0].column == "duty_deductions");
    CHECK_FALSE(a.parts[1].duty());
    REQUIRE(a.parts[1].metrics.size() == 2);
    CHECK(a.parts[1].metrics[0].first == 0);
    CHECK(Fraction::of(a.parts[1].metrics[0].second) == Fraction(3, 5));
    CHECK(Fraction::of(a.parts[1].cap) == Fraction(6, 5));
    REQUIRE(a.pay.size() == 4);
    CHECK_FALSE(a.pay[0].to);
    // 30 + 70 × 120 % = 114 is the best score.
    CHECK(max_score(a) == Fraction(114));
    CHECK(plan.warnings.empty());
}

TEST_CASE("assessment: scores are linear in achievement, capped, and exact") {
    Plan plan = parse_plan(plan_with(kScheme), "plan.json");
    const Assessment& a = *plan.assessment;
    // 110 % of sales, 100 % collected, 2 duty points off: 28 + 70 × (0.6 × 1.1 + 0.4 × 1) = 28 + 74.2 = 102.2.
    auto s = assessment_score(a, input(Fraction(11, 10), Fraction(1), Fraction(2)));
    REQUIRE(s);
    CHECK(*s == Fraction(1022, 10));
    CHECK(pay_band(a, *s) == std::optional<std::size_t>(0));
    // 75 % and 2/3, no deductions (full 30): 30 + 70 × (0.45 + 0.4 × 2/3) = 30 + 50 1/6 = 80 1/6.
    s = assessment_score(a, input(Fraction(3, 4), Fraction(2, 3), std::nullopt));
    REQUIRE(s);
    CHECK(*s == Fraction(481, 6));
    CHECK(format_fraction_decimal(*s, 2) == "80.17");
    CHECK(pay_band(a, *s) == std::optional<std::size_t>(1));  // 80 to 85: 95 %
    // 140 % of sales counts as 120 %: 30 + 70 × (0.6 × 1.2 + 0.4 × 1.1) = 30 + 81.2 = 111.2.
    s = assessment_score(a, input(Fraction(7, 5), Fraction(11, 10), Fraction(0)));
    CHECK(*s == Fraction(1112, 10));
    // 45 points off a 30-point part leave 0 (not −15); negative achievement counts as 0:
    // 0 + 70 × (0.6 × 0 + 0.4 × 0.5) = 14.
    s = assessment_score(a, input(Fraction(-1, 10), Fraction(1, 2), Fraction(45)));
    CHECK(*s == Fraction(14));
    CHECK(pay_band(a, *s) == std::optional<std::size_t>(3));
    // Exactly 85 is in the top band (from is included), exactly 80 in the 80–85 band.
    CHECK(pay_band(a, Fraction(85)) == std::optional<std::size_t>(0));
    CHECK(pay_band(a, Fraction(80)) == std::optional<std::size_t>(1));
    // A zero target leaves nothing to score against: no score.
    AssessmentInput missing = input(Fraction(1), Fraction(1), std::nullopt);
    missing.achievement[1].reset();
    CHECK_FALSE(assessment_score(a, missing));
}

TEST_CASE("assessment: pay bands that leave gaps or overlap are listed all at once") {
    // 0–70 at 85 %, 75–90 at 95 %, 88+ at 100 %: scores 70 to 75 have no band, 88 to 90 have two.
    Plan plan = parse_plan(plan_with(R"({
    "parts": [{"id": "tasks", "points": 100, "metrics": {"sales": "100%"}}],
    "pay": [
      {"from": 0, "to": 70, "factor": "85%"},
      {"from": 75, "to": 90, "factor": "95%"},
      {"from": 88, "factor": "100%"}
    ]
  })"),
                           "plan.json");
    auto problems = pay_band_problems(*plan.assessment);
    REQUIRE(problems.size() == 2);
    CHECK(problems[0].kind == PayBandProblem::Kind::gap);
    CHECK(problems[0].from == Fraction(70));
    CHECK(problems[0].to == std::optional<Fraction>(Fraction(75)));
    CHECK(problems[0].message == "scores 70 to 75 fall in no band (below band 2 (75 to 90), above band 1 (0 to 70))");
    CHECK(problems[0].where.pointer == "/assessment/pay/1");
    CHECK(problems[1].kind == PayBandProblem::Kind::overlap);
    CHECK(problems[1].from == Fraction(88));
    CHECK(problems[1].to == std::optional<Fraction>(Fraction(90)));
    CHECK(problems[1].where.pointer == "/assessment/pay/2");
    // The reader warns at each band; check lists them as flagged rows.
    CHECK(mentions(plan.warnings, "scores 70 to 75 fall in no band"));
    CHECK(mentions(plan.warnings, "scores 88 to 90 fall in two bands"));
    auto rows = pay_band_rows(plan);
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].flagged);
    CHECK(rows[0].band_label == "gap");
    CHECK(rows[1].band_label == "overlap");
    CHECK(rows[1].note.find("plan.json:") != std::string::npos);
}

TEST_CASE("assessment: bands that stop below the best score, or start above 0, leave gaps") {
    // Max score 100 (no cap above 100 %): 10–100 leaves 0 to 10 and exactly 100 without a band.
    Plan plan = parse_plan(plan_with(R"({
    "parts": [{"id": "tasks", "points": 100, "metrics": {"sales": "100%"}}],
    "pay": [{"from": 10, "to": 100, "factor": "100%"}]
  })"),
                           "plan.json");
    auto problems = pay_band_problems(*plan.assessment);
    REQUIRE(problems.size() == 2);
    CHECK(problems[0].from == Fraction(0));
    CHECK(problems[0].to == std::optional<Fraction>(Fraction(10)));
    CHECK(problems[1].from == Fraction(100));
    CHECK(problems[1].message.find("the most the scheme gives, included") != std::string::npos);
}

TEST_CASE("assessment: a scheme's mistakes are reported together, each at its place") {
    std::string all = plan_problems(plan_with(R"({
    "parts": [
      {"id": "tasks", "points": 70, "metrics": {"sales": "60%", "colected": "30%"}},
      {"id": "tasks", "points": 0, "deductions": "x", "cap": "110%"}
    ],
    "pay": [{"from": 90, "to": 80, "factor": "100%"}]
  })"),
                                    "plan.json");
    CHECK(all.find("\"colected\" is not a money or count metric of the plan | did you mean \"collected\"?") !=
          std::string::npos);
    CHECK(all.find("part \"tasks\" appears twice") != std::string::npos);
    CHECK(all.find("a part's \"points\" must be above 0") != std::string::npos);
    CHECK(all.find("\"cap\" applies to a part with \"metrics\"") != std::string::npos);
    CHECK(all.find("\"to\" (80) must be above \"from\" (90)") != std::string::npos);
    // Weights must share the part's points: 60 % + 30 % (the misspelt one still counts as written).
    std::string weights = plan_problems(plan_with(R"({
    "parts": [{"id": "tasks", "points": 70, "metrics": {"sales": "60%", "collected": "30%"}}]})"),
                                        "plan.json");
    CHECK(weights.find("the metrics' weights add up to 90.00%, not 100%") != std::string::npos);
}

TEST_CASE("assessment: progress rows get each member's score and band from the actuals") {
    test::TempDir dir("tgt-assessment-");
    // a: sales 440 of 400 (110 %), collected 300 of 300, 1 + 1 points off → 28 + 74.2 = 102.2, 100 %.
    // c: sales 300 (75 %), collected 200 (2/3), no deductions (full 30) → 80 1/6, 95 %.
    // b, d, e: no actuals at all: 0 % of both, full duties → 30, 85 %. A deduction dated after the
    // as-of date (2027-12-31 is the plan's last day, so none can be) is not counted.
    std::string csv = dir.write("actuals.csv",
                                "date,rep,sales,collected,duty_deductions\n"
                                "2027-06-30,a,200,140,1\n"
                                "2027-12-31,a,240,160,1\n"
                                "2027-12-31,c,300,200,\n");
    Plan plan = parse_plan(plan_with(kScheme), "plan.json");
    Decomposition d(plan);
    ProgressRequest request;
    request.by = {"rep"};
    request.as_of = Date{std::chrono::year{2027} / 12 / 31};
    request.actuals = {csv};
    ProgressReport report = progress(d, request);
    AssessmentResults results = assess_progress(d, request, report);
    REQUIRE(results.rows.size() == 5);
    CHECK(results.rows[0].score == std::optional<Fraction>(Fraction(1022, 10)));
    CHECK(results.rows[0].band == std::optional<std::size_t>(0));
    CHECK(results.rows[2].score == std::optional<Fraction>(Fraction(481, 6)));
    CHECK(results.rows[2].band == std::optional<std::size_t>(1));
    CHECK(results.rows[1].score == std::optional<Fraction>(Fraction(30)));
    CHECK(results.rows[1].band == std::optional<std::size_t>(3));
}
