// Dates and amounts as people type them: each expected value worked out by hand in the comment.

#include <catch2/catch.hpp>

#include "tgt/typed_values.hpp"

using namespace tgt;

namespace {

std::string date_text(std::string_view text) {
    auto d = read_date_cell(text);
    return d ? format_date(*d) : std::string("none");
}

std::string minor_text(std::string_view text, int decimals = 2) {
    auto m = read_minor_cell(text, decimals);
    return m ? std::to_string(*m) : std::string("none");
}

}  // namespace

TEST_CASE("dates as typed: year first with - / . or 年月日", "[typed_values]") {
    CHECK(date_text("2027-01-07") == "2027-01-07");
    CHECK(date_text("2027/1/7") == "2027-01-07");
    CHECK(date_text("2027-1-8") == "2027-01-08");
    CHECK(date_text("2027.12.31") == "2027-12-31");
    CHECK(date_text("2027年1月7日") == "2027-01-07");
    CHECK(date_text(" 2027/1/7 ") == "2027-01-07");
    // Excel's exports add a time of day; the day is what counts.
    CHECK(date_text("2027/1/7 0:00") == "2027-01-07");
    CHECK(date_text("2027-01-07 09:30:15") == "2027-01-07");
    CHECK(date_text("2027-01-07T00:00:00") == "2027-01-07");
}

TEST_CASE("dates that are not read", "[typed_values]") {
    CHECK(date_text("2027/2/29") == "none");  // 2027 is not a leap year
    CHECK(date_text("2027-1") == "none");
    CHECK(date_text("2027/1-7") == "none");  // two different separators
    CHECK(date_text("2027-01-07 25:00") == "none");
    CHECK(date_text("27/1/7") == "none");
    CHECK(date_text("") == "none");
    ValueProblem why;
    CHECK_FALSE(read_date_cell("2027/2/30", &why));
    CHECK(why.message == "not a date: \"2027/2/30\"");  // 2027 is not a leap year
}

TEST_CASE("day-first or month-first dates are refused, naming both readings", "[typed_values]") {
    ValueProblem why;
    // 1/7/2027: 1 July day first, 7 January month first.
    CHECK_FALSE(read_date_cell("1/7/2027", &why));
    CHECK(why.message ==
          "\"1/7/2027\" puts the year last: it could mean 2027-07-01 (day first) or 2027-01-07 (month first)");
    CHECK(why.hint == "write the date as YYYY-MM-DD (year first), so that it has one reading");
    // 13/1/2027 has one reading (no 13th month), and is still refused: the file's order is unknown.
    CHECK_FALSE(read_date_cell("13/1/2027", &why));
    CHECK(why.message == "\"13/1/2027\" puts the year last: it could mean 2027-01-13 (day first)");
}

TEST_CASE("amounts as typed, exact in minor units", "[typed_values]") {
    CHECK(minor_text("1234.5") == "123450");
    CHECK(minor_text("¥1,000.00") == "100000");   // 1000 yuan = 100000 fen
    CHECK(minor_text("￥1,000.00") == "100000");  // the full-width sign
    CHECK(minor_text("1,000.00元") == "100000");
    CHECK(minor_text("(500.00)") == "-50000");  // brackets: a negative
    CHECK(minor_text("(¥500)") == "-50000");
    CHECK(minor_text("-¥500") == "-50000");
    CHECK(minor_text("¥-500") == "-50000");
    CHECK(minor_text("86000万元") == "86000000000");  // 86000 × 10^4 yuan = 8.6e8 yuan = 8.6e10 fen
    CHECK(minor_text("1.5亿元") == "15000000000");    // 1.5 × 10^8 yuan = 1.5e10 fen
    CHECK(minor_text("7.5万", 0) == "75000");
    CHECK(minor_text("0.001") == "none");  // three places where the metric has two
    CHECK(minor_text("(-5)") == "none");
    CHECK(minor_text("¥") == "none");
    CHECK(minor_text("--5") == "none");
    CHECK(minor_text("1,00.00") == "none");
    // Excel's scientific notation has lost digits (123,456,789,012 shown as 1.23457E+11): refused.
    ValueProblem why;
    CHECK_FALSE(read_minor_cell("1.23457E+11", 2, &why));
    CHECK(why.message == "\"1.23457E+11\" is in scientific notation, rounded as Excel shows it");
    CHECK_FALSE(read_minor_cell("5e3", 0, &why));
}

TEST_CASE("weights as typed: percentages", "[typed_values]") {
    auto w = read_weight_cell("12.5%");
    REQUIRE(w);
    CHECK(*w == Decimal{125, 3});  // 12.5 / 100 = 0.125
    w = read_weight_cell("40");
    REQUIRE(w);
    CHECK(*w == Decimal{40, 0});
    w = read_weight_cell("3,000");
    REQUIRE(w);
    CHECK(*w == Decimal{3000, 0});
    CHECK_FALSE(read_weight_cell("%"));
    CHECK_FALSE(read_weight_cell("abc%"));
}
