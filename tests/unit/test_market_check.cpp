// Market share and implied price checks: the plan's and members' targets against stated market
// sizes and price bands. Every figure below is worked by hand.
#include <catch2/catch.hpp>

#include "plan_problems.hpp"
#include "tgt/checks.hpp"

using namespace tgt;

namespace {

// 1亿 元 and 5万 台: 2,000 元 a unit. 华东 holds 6000万 and 2.5万 (2,400 a unit); 华南 the rest,
// 4000万 and 2.5万 (1,600 a unit).
std::string plan_with(const std::string& market) {
    return R"({
  "period": "2027",
  "metrics": [{"id": "sales", "unit": "元", "total": "1亿"},
              {"id": "units", "unit": "台", "decimals": 0, "total": "5万"}],
  "dimensions": [{"id": "geo", "levels": ["region"], "members": [
    {"id": "华东", "amount": {"sales": "6000万", "units": "2.5万"}},
    {"id": "华南", "weight": 1}
  ]}],
  "split": [{"level": "region"}],
  "market": )" +
           market + "\n}";
}

std::vector<CheckRow> rows_of(const std::string& market) {
    Plan plan = parse_plan(plan_with(market), "plan.json");
    Decomposition d(plan);
    return market_check_rows(d);
}

}  // namespace

TEST_CASE("market: the plan's share of a market in units and its implied price") {
    auto rows = rows_of(R"({"size": {"units": "50万"}, "share": {"min": "5%", "max": "15%"},
      "prices": [{"amount": "sales", "per": "units", "min": 1500, "max": 2500}]})");
    REQUIRE(rows.size() == 2);
    // 5万 of 50万 units = 10 %, inside 5–15 %.
    CHECK(rows[0].kind == CheckRow::Kind::market_share);
    CHECK(rows[0].node == "(total)");
    CHECK(rows[0].target == 500000);
    CHECK(rows[0].handed_down == 50000);
    CHECK(rows[0].ratio() == std::optional<Fraction>(Fraction(1, 10)));
    CHECK_FALSE(rows[0].flagged);
    CHECK(rows[0].note == "50,000 台 of a 500,000 台 market: share 10.00%, within the band 5%–15%");
    // 100,000,000.00 元 ÷ 50,000 台 = 2,000 元 a 台, inside 1,500–2,500.
    CHECK(rows[1].kind == CheckRow::Kind::implied_price);
    CHECK(rows[1].metric == "sales ÷ units");
    CHECK_FALSE(rows[1].flagged);
    CHECK(rows[1].note == "100,000,000.00 元 ÷ 50,000 台 = 2,000.00 元 a 台, within the band 1500–2500");
}

TEST_CASE("market: members with their own sizes and bands are checked on their own targets") {
    auto rows = rows_of(R"({"size": {"units": "50万"}, "share": {"min": "5%", "max": "15%"},
      "prices": [{"amount": "sales", "per": "units", "min": 1500, "max": 2500}],
      "members": {
        "华东": {"size": {"units": "20万"}, "share": {"min": "8%", "max": "12%"}},
        "华南": {"size": {"sales": "3亿"}, "prices": [{"amount": "sales", "per": "units", "min": 1800}]}
      }})");
    REQUIRE(rows.size() == 6);
    // 华东: 2.5万 of 20万 = 12.5 %, above its own 12 %: flagged, both numbers named.
    CHECK(rows[2].node == "华东");
    CHECK(rows[2].level == "region");
    CHECK(rows[2].handed_down == 25000);
    CHECK(rows[2].flagged);
    CHECK(rows[2].note == "25,000 台 of a 200,000 台 market: share 12.50%, outside the band 8%–12%");
    // 华东's price is 6000万 ÷ 2.5万 = 2,400, inside the plan's 1,500–2,500 it inherits.
    CHECK(rows[3].node == "华东");
    CHECK_FALSE(rows[3].flagged);
    // 华南: 4000万 of a 3亿 market = 13 1/3 %, exact fraction shown; inside the plan's 5–15 %.
    CHECK(rows[4].node == "华南");
    CHECK(rows[4].handed_down == 4000000000);
    CHECK_FALSE(rows[4].flagged);
    CHECK(rows[4].note ==
          "40,000,000.00 元 of a 300,000,000.00 元 market: share 13.33% (exactly 40/3%), within the "
          "band 5%–15%");
    // 华南's price 4000万 ÷ 2.5万 = 1,600, below its own minimum 1,800.
    CHECK(rows[5].flagged);
    CHECK(rows[5].band_label == "≥ 1800");
    CHECK(rows[5].note == "40,000,000.00 元 ÷ 25,000 台 = 1,600.00 元 a 台, outside the band ≥ 1800");
}

TEST_CASE("market: mistakes in the market section are reported together") {
    std::string all = plan_problems(plan_with(R"({"size": {"unit": "50万", "sales": 0},
      "share": {"min": "20%", "max": "10%"},
      "prices": [{"amount": "sales", "per": "sales"}],
      "members": {"华西": {}}})"),
                                    "plan.json");
    CHECK(all.find("\"unit\" is not a money or count metric of the plan | did you mean \"units\"?") !=
          std::string::npos);
    CHECK(all.find("a market size must be above 0") != std::string::npos);
    CHECK(all.find("\"max\" (10%) is below \"min\" (20%)") != std::string::npos);
    CHECK(all.find("a price band needs \"min\", \"max\" or both") != std::string::npos);
    CHECK(all.find("\"amount\" and \"per\" are the same") != std::string::npos);
    CHECK(all.find("no member \"华西\" in the plan") != std::string::npos);
}

TEST_CASE("market: --metric keeps the rows of that metric and the prices that divide by it") {
    auto rows = rows_of(R"({"size": {"units": "50万", "sales": "10亿"},
      "prices": [{"amount": "sales", "per": "units", "max": 2500}]})");
    REQUIRE(rows.size() == 3);  // units share, sales share (1亿 of 10亿 = 10 %), the price
    CHECK(check_row_selected(rows[0], {"units"}));
    CHECK_FALSE(check_row_selected(rows[1], {"units"}));
    CHECK(check_row_selected(rows[2], {"units"}));
    CHECK(check_row_selected(rows[2], {"sales"}));
    CHECK(check_row_selected(rows[1], {}));
    CheckRow bands;
    bands.kind = CheckRow::Kind::pay_bands;
    CHECK(check_row_selected(bands, {"sales"}));
}

TEST_CASE("market: a member at a level the split does not reach has no target to check") {
    std::string all = plan_problems(R"({
  "period": "2027",
  "metrics": [{"id": "sales", "total": "100"}],
  "dimensions": [{"id": "org", "levels": ["region", "rep"], "members": [{"id": "E", "members": ["a", "b"]}]}],
  "split": [{"level": "region", "by": "equal"}],
  "market": {"members": {"a": {"size": {"sales": "1000"}}}}
})",
                                    "plan.json");
    CHECK(all.find("member \"a\" is at level \"rep\", which the split does not reach") != std::string::npos);
    CHECK(all.find("add {\"level\": \"rep\"} to \"split\"") != std::string::npos);
}
