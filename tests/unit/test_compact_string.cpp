// CompactString (a member's id in 16 bytes) and PackedDecimal (a share's value in 24).

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <string>
#include <utility>

#include "tgt/compact_string.hpp"
#include "tgt/money.hpp"
#include "tgt/plan.hpp"

using tgt::CompactString;

TEST_CASE("a compact string keeps 15 bytes in place and longer text on the heap, reading back the same text") {
    CHECK(sizeof(CompactString) == 16);
    for (std::string text : {std::string(), std::string("r1"), std::string(15, 'x'), std::string(16, 'y'),
                             std::string("华南-广州-天河店-一号柜台"), std::string(1000, 'z')}) {
        CompactString s = text;
        CHECK(s.view() == text);
        CHECK(s.size() == text.size());
        CHECK(s.empty() == text.empty());
        CHECK(s.str() == text);
        CHECK(std::string(s.data(), s.size()) == text);
        CHECK(fmt::format("<{}>", s) == "<" + text + ">");
        CHECK(fmt::format("{:>3}", CompactString("a")) == "  a");  // format specs pass through
    }
}

TEST_CASE("a compact string copies deeply and moves without sharing, both in place and on the heap") {
    for (std::string text : {std::string("张伟"), std::string(40, 'k')}) {
        CompactString a = text;
        CompactString b = a;  // copy
        a = "other";
        CHECK(b == text);
        CHECK(a == "other");
        CompactString c = std::move(b);
        CHECK(c == text);
        CHECK(b.empty());  // NOLINT: a moved-from string is empty, by design
        b = c;
        c = std::string(30, 'q');  // heap over whatever was there
        CHECK(b == text);
        CHECK(c.size() == 30);
        c = CompactString("short");  // heap back to in place
        CHECK(c == std::string("short"));
        CompactString& same = c;
        c = same;  // self-assignment keeps the text
        CHECK(c.view() == "short");
    }
}

TEST_CASE("compact strings compare as their text") {
    CompactString a = "S0042", b = "S0043", longer = std::string(20, 'a');
    CHECK(a < b);
    CHECK(b > a);
    CHECK(a == std::string_view("S0042"));
    CHECK(a != b);
    CHECK(longer < CompactString(std::string(21, 'a')));
    CHECK(std::string("id ") + a == "id S0042");
    CHECK(a + "!" == "S0042!");
}

TEST_CASE("a packed decimal reads back every decimal, small, negative and 128-bit wide") {
    CHECK(sizeof(tgt::PackedDecimal) == 24);
    CHECK(alignof(tgt::PackedDecimal) == 8);
    tgt::Wide big = static_cast<tgt::Wide>(1) << 100;  // beyond 64 bits: the high part is kept
    for (tgt::Decimal d : {tgt::Decimal{0, 0}, tgt::Decimal{25, 2}, tgt::Decimal{-7, 1}, tgt::Decimal{big + 3, 20},
                           tgt::Decimal{-big - 1, 5}, tgt::Decimal{-1, 0}}) {
        tgt::PackedDecimal p = d;
        tgt::Decimal back = p;
        CHECK(back.mantissa == d.mantissa);
        CHECK(back.scale == d.scale);
        CHECK(p.is_zero() == (d.mantissa == 0));
        CHECK(p.is_negative() == (d.mantissa < 0));
    }
}

TEST_CASE("a plain member keeps its rarer parts in one pointer, and reads them as empty until one is written") {
    tgt::Member m;
    m.id = "r1";
    CHECK(m.name().empty());
    CHECK(m.children().empty());
    CHECK_FALSE(m.capacity());
    CHECK_FALSE(m.availability().limited());
    m.edit_details().name = "李娜";
    tgt::Member copy = m;
    m.edit_details().children.push_back(3);
    CHECK(copy.name() == "李娜");
    CHECK(copy.children().empty());  // the copy has its own details
    CHECK(m.children() == std::vector<int>{3});
    CHECK(sizeof(tgt::Member) <= 88);
    CHECK(sizeof(tgt::Share) <= 48);
}
