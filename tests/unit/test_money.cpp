#include <catch2/catch.hpp>

#include "tgt/money.hpp"

using namespace tgt;

static Minor cents(std::string_view text) {
    auto d = parse_decimal(text);
    REQUIRE(d);
    auto m = to_minor(*d, 2);
    REQUIRE(m);
    return *m;
}

TEST_CASE("amounts parse exactly the way people write them") {
    CHECK(cents("1234.56") == 123456);
    CHECK(cents("1亿") == 10'000'000'000);
    CHECK(cents("2500万") == 2'500'000'000);
    CHECK(cents("7.5万") == 7'500'000);
    CHECK(cents("1.2e6") == 120'000'000);
    CHECK(cents("1,000,000.00") == 100'000'000);
    CHECK(cents("-3") == -300);
    CHECK(cents(" 42 ") == 4200);
    CHECK(cents("0.01万") == 10000);
    CHECK(cents("1.5E-1") == 15);
}

TEST_CASE("numbers we do not accept say why") {
    ParseProblem problem;
    for (const char* bad : {"", "abc", "1.2.3", "1,00", "12,3456", "1e", "--1", "1万万", "1 2"}) {
        INFO(bad);
        CHECK_FALSE(parse_decimal(bad, &problem));
        CHECK_FALSE(problem.message.empty());
    }
}

TEST_CASE("too precise or too large is an error, never a rounding") {
    auto d = parse_decimal("0.001");
    REQUIRE(d);
    CHECK_FALSE(to_minor(*d, 2));
    CHECK(to_minor(*d, 3) == 1);
    auto huge = parse_decimal("1e30");
    REQUIRE(huge);
    CHECK_FALSE(to_minor(*huge, 2));
    CHECK_FALSE(parse_decimal("1e100000"));
}

TEST_CASE("minor units format back exactly") {
    CHECK(format_minor(123456, 2) == "1234.56");
    CHECK(format_minor(5, 2) == "0.05");
    CHECK(format_minor(-5, 2) == "-0.05");
    CHECK(format_minor(0, 2) == "0.00");
    CHECK(format_minor(7, 0) == "7");
    CHECK(format_minor(std::numeric_limits<Minor>::min(), 2) == "-92233720368547758.08");
    CHECK(format_grouped(10'000'000'000, 2) == "100,000,000.00");
    CHECK(format_grouped(833'400'00, 2, 4) == "83.34");
    CHECK(format_grouped(102'857'142'8, 2, 4) == "1,028.571428");
    CHECK(format_grouped(-1'234'567, 2) == "-12,345.67");
}

TEST_CASE("decimals compare exactly") {
    CHECK(*parse_decimal("1.50") == *parse_decimal("1.5"));
    CHECK(*parse_decimal("0.1") < *parse_decimal("0.11"));
    CHECK(format_decimal(*parse_decimal("012.500")) == "12.5");
}

TEST_CASE("checked arithmetic refuses to wrap") {
    CHECK_THROWS_AS(checked_add(std::numeric_limits<Minor>::max(), 1), std::overflow_error);
    CHECK_THROWS_AS(checked_mul(std::numeric_limits<Minor>::max() / 2, 3), std::overflow_error);
    CHECK(checked_add(2, 3) == 5);
}
