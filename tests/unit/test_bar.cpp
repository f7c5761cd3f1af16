// Terminal bars and colour: presentation, which lives in the CLI (src/cli/bar.hpp).
#include <catch2/catch.hpp>
#include <cstdio>

#include "bar.hpp"
#include "render_text.hpp"
#include "tgt/report.hpp"

using namespace tgt;
using namespace tgt::cli;

namespace {
using test::render;
const std::vector<Column> kColumns{{"region"}, {"revenue", true, 2}};
}  // namespace

TEST_CASE("display width ignores colour escapes, so painted cells stay aligned") {
    CHECK(display_width(paint("华东", Paint::red)) == 4);
    CHECK(display_width(paint("on track", Paint::cyan)) == 8);
    CHECK(paint("x", Paint::none) == "x");
    auto out = render(Format::table, kColumns, {{{paint("华东", Paint::green)}, {{}, 100}}, {{"West"}, {{}, 200}}});
    // Both rows put their amount in the same terminal column.
    auto first = out.find('\n', out.find('\n') + 1) + 1;
    auto line1 = out.substr(first, out.find('\n', first) - first);
    auto second = out.find('\n', first) + 1;
    auto line2 = out.substr(second, out.find('\n', second) - second);
    CHECK(display_width(line1) == display_width(line2));
}

TEST_CASE("percent bars fill eighths of a cell, are full at 100 % and say when they overflow") {
    CHECK(percent_bar(0, 4) == "     ");
    CHECK(percent_bar(10000, 4) == "████ ");
    CHECK(percent_bar(12000, 4) == "████+");
    CHECK(percent_bar(5000, 4) == "██   ");
    CHECK(percent_bar(3125, 4) == "█▎   ");  // 1.25 cells: one and two eighths
    CHECK(percent_bar(-500, 4) == "     ");  // returns beyond sales: an empty bar
    CHECK(percent_bar(std::nullopt, 4) == "     ");
    for (Minor p = 0; p <= 13000; p += 37)
        CHECK(display_width(percent_bar(p, 10)) == 11);
}
