#include <catch2/catch.hpp>

#include "tgt/display.hpp"
#include "tgt/labels.hpp"
#include "tgt/report.hpp"

using namespace tgt;

TEST_CASE("display units round to a fixed number of decimals", "[display]") {
    // 11,286,202.10 元 = 1,128.620210 万: two decimals in 万 → 1,128.62.
    CHECK(format_display(1'128'620'210, 2, 4, 2) == "1,128.62");
    // 46,562,599.80 元 = 0.465625998 亿: four decimals → 0.4656 (the fifth digit is 2: down).
    CHECK(format_display(4'656'259'980, 2, 8, 4) == "0.4656");
    // 10,285,714.28 元 = 1,028.5714 万 → 1,028.57; half away from zero: 50.00 元 = 0.005 万 → 0.01.
    CHECK(format_display(1'028'571'428, 2, 4, 2) == "1,028.57");
    CHECK(format_display(5'000, 2, 4, 2) == "0.01");
    CHECK(format_display(-5'000, 2, 4, 2) == "-0.01");
    // 49.99 元 = 0.004999 万 → 0.00, never "-0.00" when negative.
    CHECK(format_display(-4'999, 2, 4, 2) == "0.00");
    // 元 at 0 decimals: 1,234,567.50 元 → 1,234,568; at 4 decimals the cents gain zeros.
    CHECK(format_display(123'456'750, 2, 0, 0) == "1,234,568");
    CHECK(format_display(123'456'750, 2, 0, 4) == "1,234,567.5000");
    CHECK(format_display(123'456'750, 2, 0, 4, false) == "1234567.5000");
    // 9,999,999.99 元 in 万 at 2 decimals carries into a new digit: 1,000.00.
    CHECK(format_display(999'999'999, 2, 4, 2) == "1,000.00");
}

TEST_CASE("display units by name and their default decimals", "[display]") {
    CHECK(unit_power_of("元") == 0);
    CHECK(unit_power_of("万") == 4);
    CHECK(unit_power_of("亿") == 8);
    CHECK(!unit_power_of("k"));
    CHECK(default_places(0) == 2);
    CHECK(default_places(4) == 2);
    CHECK(default_places(8) == 4);
}

TEST_CASE("the label catalog answers in the language asked", "[labels]") {
    CHECK(label(Lang::zh, "Total") == "合计");
    CHECK(label(Lang::en, "Total") == "Total");
    CHECK(label(Lang::zh, "needed per working day") == "每工作日需完成");
    CHECK(label(Lang::zh, "no such label") == "no such label");  // English when the catalog has none
}

TEST_CASE("the language comes from --lang, the plan, then the environment", "[labels]") {
    CHECK(parse_lang("zh-CN") == Lang::zh);
    CHECK(parse_lang("ZH_tw") == Lang::zh);
    CHECK(parse_lang("en") == Lang::en);
    CHECK(!parse_lang("fr"));
    CHECK(!parse_lang("zhx"));
    CHECK(lang_of_locale("zh_CN.UTF-8") == Lang::zh);
    CHECK(lang_of_locale("C.UTF-8") == Lang::en);
    CHECK(lang_of_locale("") == Lang::en);
    CHECK(choose_lang(Lang::en, "zh-CN", "zh_CN.UTF-8") == Lang::en);
    CHECK(choose_lang(std::nullopt, "zh-CN", "C") == Lang::zh);
    CHECK(choose_lang(std::nullopt, "", "zh_CN.GB18030") == Lang::zh);
    CHECK(choose_lang(std::nullopt, "en", "zh_CN.UTF-8") == Lang::en);
}

TEST_CASE("tables show rounded cells under names, and the exact total rounded once", "[display]") {
    Table t;
    t.columns = {Column{"rep", false, 0}, Column{"revenue", true, 2}};
    t.columns[1].title = "销售额";
    // Three reps of 33,333.33 元 (one 33,333.34): 3.33 万 each shown, the exact 10.00 万 total shown.
    // Widths: 合计 is 4 columns, 销售额 (万) 11, so the rules are 4 + 2 + 11 = 17 dashes.
    t.rows = {{text_cell("a"), amount_cell(3'333'333)},
              {text_cell("b"), amount_cell(3'333'333)},
              {text_cell("c"), amount_cell(3'333'334)}};
    RenderOptions options;
    options.unit_power = 4;
    options.unit_label = "万";
    options.places = 2;
    options.lang = Lang::zh;
    CHECK(render_table(t, Format::table, options) ==
          "rep   销售额 (万)\n"
          "-----------------\n"
          "a            3.33\n"
          "b            3.33\n"
          "c            3.33\n"
          "-----------------\n"
          "合计        10.00\n");
    CHECK(render_table(t, Format::csv) == "rep,revenue\na,33333.33\nb,33333.33\nc,33333.34\n");
}

TEST_CASE("every label the sheets and progress reports say has a Chinese text", "[labels]") {
    // The words src/sheet.cpp and src/progress_table.cpp look up: a missing one would show English
    // in the middle of a Chinese sheet.
    for (const char* english : {"Total",
                                "Target",
                                "Team",
                                "By quarter",
                                "By month",
                                "By week",
                                "Mix by",
                                "Customer visits",
                                "Year",
                                "Activity it takes",
                                "Progress as of",
                                "Monthly",
                                "Why these numbers",
                                "quota sheet",
                                "the plan",
                                "the whole plan",
                                "period",
                                "month",
                                "working days",
                                "tier",
                                "how often",
                                "customers",
                                "visits",
                                "target",
                                "task",
                                "target to date",
                                "actual",
                                "achievement",
                                "task achievement",
                                "time elapsed",
                                "pace",
                                "gap",
                                "behind to date",
                                "forecast by pace",
                                "forecast by run rate",
                                "needed per working day",
                                "status",
                                "this month",
                                "this quarter",
                                "task gap",
                                "ahead",
                                "on_track",
                                "behind",
                                "critical",
                                "YTD",
                                "ratio"})
        CHECK(label(Lang::zh, english) != english);
}
