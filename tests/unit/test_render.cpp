#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdio>

#include "render_text.hpp"
#include "tgt/report.hpp"

using namespace tgt;

namespace {
using test::render;
const std::vector<Column> kColumns{{"region"}, {"revenue", true, 2}};
}  // namespace

TEST_CASE("display width counts CJK characters as two columns") {
    CHECK(display_width("abc") == 3);
    CHECK(display_width("华东") == 4);
    CHECK(display_width("合作伙伴A") == 9);
}

TEST_CASE("csv quotes what needs quoting and prints exact amounts") {
    auto out = render(Format::csv, kColumns, {{{"East, \"big\""}, {{}, 123456}}, {{"West"}, {{}, -5}}});
    CHECK(out == "region,revenue\n\"East, \"\"big\"\"\",1234.56\nWest,-0.05\n");
}

TEST_CASE("tsv keeps one record per line") {
    auto out = render(Format::tsv, kColumns, {{{"a\tb"}, {{}, 100}}});
    CHECK(out == "region\trevenue\na b\t1.00\n");
}

TEST_CASE("json carries a total that is the sum of the rows and absent values are null") {
    auto out = render(Format::json, kColumns, {{{"华东"}, {{}, 150}}, {{"华南"}, {{}, 0, false}}});
    CHECK(out ==
          "{\"columns\":[\"region\",\"revenue\"],\n\"rows\":[\n{\"region\":\"华东\",\"revenue\":1.50},\n"
          "{\"region\":\"华南\",\"revenue\":null}\n],\n\"total\":{\"revenue\":1.50}}\n");
}

TEST_CASE("json rows and pretty_json escape text the same way, as nlohmann does") {
    // A quote, a backslash, the five short escapes (\b \f \n \r \t) and one other control byte.
    const std::string text = "q\"s\\\b\f\n\r\t\x01";
    const std::string escaped = "\"q\\\"s\\\\\\b\\f\\n\\r\\t\\u0001\"";
    CHECK(render(Format::ndjson, kColumns, {{{text}, {{}, 1}}}) == "{\"region\":" + escaped + ",\"revenue\":0.01}\n");
    CHECK(pretty_json(Nested::of(text)) == escaped + "\n");
}

TEST_CASE("ndjson is one object per line") {
    auto out = render(Format::ndjson, kColumns, {{{"x"}, {{}, 1}}, {{"y"}, {{}, 2}}});
    CHECK(out == "{\"region\":\"x\",\"revenue\":0.01}\n{\"region\":\"y\",\"revenue\":0.02}\n");
}

TEST_CASE("the table aligns Chinese names and adds a totals row") {
    auto out = render(Format::table, kColumns, {{{"华东"}, {{}, 100000}}, {{"West"}, {{}, 5}}});
    CHECK(out ==
          "region   revenue\n"
          "----------------\n"
          "华东    1,000.00\n"
          "West        0.05\n"
          "----------------\n"
          "Total   1,000.05\n");
}

TEST_CASE("formats are parsed once, from a name or a file extension") {
    CHECK(parse_format("ndjson") == Format::ndjson);
    CHECK_FALSE(parse_format("xml"));
    CHECK(format_for_path("out/q.csv") == Format::csv);
    CHECK(format_for_path("report.md") == Format::markdown);
    CHECK_FALSE(format_for_path("noext"));
    CHECK(format_for_path("Q.CSV") == Format::csv);  // extensions ignore case
    CHECK(format_for_path("notes.txt") == Format::table);
    CHECK_FALSE(format_for_path("dir.v2/noext"));  // a dot in a folder is not an extension
}

TEST_CASE("an output name's extension says whether tgt can write that file") {
    CHECK(file_type("out.xlsx").kind == FileType::Kind::format);  // -o out.xlsx writes a workbook
    CHECK(file_type("OUT.XLSX").format == Format::xlsx);
    CHECK(file_type("old.xls").kind == FileType::Kind::foreign);
    CHECK(file_type("OUT.PDF").kind == FileType::Kind::foreign);
    CHECK(file_type("OUT.PDF").extension == "pdf");
    CHECK(file_type("page.html").kind == FileType::Kind::foreign);
    CHECK(file_type("rows.jsonl").format == Format::ndjson);
    CHECK(file_type("rows.jsonl").kind == FileType::Kind::format);
    CHECK(file_type("notes.txt").kind == FileType::Kind::text);
    CHECK(file_type("tgt.1").kind == FileType::Kind::unknown);
    CHECK(file_type(".hidden").kind == FileType::Kind::unknown);
    CHECK(file_type("a.table").kind == FileType::Kind::unknown);  // a format's name, not an extension
}

TEST_CASE("csv never reuses stale text when a caller rewrites the same buffer") {
    std::FILE* f = std::tmpfile();
    auto writer = make_writer(Format::csv, f);
    writer->begin({{"date"}});
    std::string date = "2027-03-01";
    writer->row(std::vector<Cell>{{date}});
    date = "2027-03-08";  // same address, same length, new text
    writer->row(std::vector<Cell>{{date}});
    writer->end();
    std::rewind(f);
    char buf[128] = {};
    std::size_t n = std::fread(buf, 1, sizeof buf - 1, f);
    std::fclose(f);
    CHECK(std::string(buf, n) == "date\n2027-03-01\n2027-03-08\n");
}

namespace {
const auto& contents = test::file_text;
}  // namespace

TEST_CASE("a table with known widths streams past its first block, aligned to those widths") {
    std::FILE* f = std::tmpfile();
    auto writer = make_writer(Format::table, f);
    writer->stream_widths({4, 8});  // the widest id, 华东 (only after the block), and the total 1,025.75
    writer->begin(kColumns);
    // 4,096 rows of 0.25 are held; the 4,097th lays the table out and everything so far goes out.
    for (int i = 0; i < 4096; ++i)
        writer->row(std::vector<Cell>{{"r"}, {{}, 25}});
    CHECK(contents(f).empty());
    writer->row(std::vector<Cell>{{"r"}, {{}, 25}});
    std::string top = contents(f);
    // Widths: region max(4 known, 6 header, 5 "Total") = 6; revenue max(8 known, 7 header, 4 "0.25") = 8.
    CHECK(top.rfind("region   revenue\n----------------\nr           0.25\n", 0) == 0);
    CHECK(std::count(top.begin(), top.end(), '\n') == 2 + 4097);
    // A later id within the known width lines up; the total 4,097 × 0.25 + 1.50 = 1,025.75 fits 8.
    writer->row(std::vector<Cell>{{"华东"}, {{}, 150}});
    writer->end();
    std::string out = contents(f);
    std::fclose(f);
    CHECK(out.find("\n华东        1.50\n") != std::string::npos);
    CHECK(out.size() >= 34);
    CHECK(out.substr(out.size() - 34) == "----------------\nTotal   1,025.75\n");
}

TEST_CASE("a table without known widths, or no longer than its first block, is measured whole") {
    auto rows = std::vector<std::vector<Cell>>{{{"华东"}, {{}, 123456}}, {{"West"}, {{}, 200}}};
    std::FILE* f = std::tmpfile();
    auto writer = make_writer(Format::table, f);
    writer->stream_widths({40, 40});  // far wider than needed: unused while every row fits the block
    writer->begin(kColumns);
    for (const auto& r : rows)
        writer->row(r);
    writer->end();
    CHECK(contents(f) == render(Format::table, kColumns, rows));
    std::fclose(f);
}

TEST_CASE("a Table goes through any writer, and a collector makes a streamed table whole again") {
    Table t;
    t.columns = kColumns;
    t.rows.push_back({text_cell("East"), amount_cell(123456)});
    t.rows.push_back({text_cell("West"), optional_cell(std::nullopt)});
    // 1234.56 and no value: csv leaves the field empty.
    CHECK(render_table(t, Format::csv) == "region,revenue\nEast,1234.56\nWest,\n");
    CHECK(t.column("revenue") == 1);
    CHECK(t.column("nothing") == 2);
    TableCollector collected;
    write_table(t, collected);
    REQUIRE(collected.table.rows.size() == 2);
    CHECK(collected.table.rows[0][0].text == "East");
    CHECK(collected.table.rows[0][1].amount == 123456);
    CHECK_FALSE(collected.table.rows[1][1].present);
    CHECK(render_table(collected.table, Format::csv) == render_table(t, Format::csv));
}

TEST_CASE("markdown_table: compact, amounts and right-aligned text get ---:, headed rows and totals in bold") {
    Table t;
    Column days{"days", true, 0};
    days.grouped = false;
    Column note{"note", false, 0};
    note.right = true;
    t.columns = {Column{"", false, 0}, days, Column{"revenue", true, 2}, note};
    t.rows.push_back({text_cell("Target"), amount_cell(1234), amount_cell(123456), text_cell("x")});
    t.rows.push_back({text_cell("Team"), amount_cell(5), amount_cell(-5), text_cell("")});
    t.headed_rows = 1;
    t.total = {text_cell("Year"), amount_cell(1239), amount_cell(123451), text_cell("")};
    // Days bare (1234, not 1,234), revenue grouped; an empty cell stays empty even in bold.
    CHECK(markdown_table(t) ==
          "|  | days | revenue | note |\n"
          "|---|---:|---:|---:|\n"
          "| **Target** | 1234 | 1,234.56 | x |\n"
          "| Team | 5 | -0.05 |  |\n"
          "| **Year** | **1239** | **1,234.51** |  |\n");
}

TEST_CASE("pretty_json: two-space indent, keys in order, empty containers inline, control bytes escaped") {
    Nested doc;
    doc.add("name", Nested::of("a\"b\\c\nd\x01"));
    doc.add("n", Nested::number("42"));
    doc.add("ok", Nested::boolean(true));
    doc.add("empty", Nested::list());
    doc.add("none", Nested::record());
    Nested list = Nested::list();
    list.push(Nested::of("华东"));
    list.push(Nested::boolean(false));
    doc.add("items", std::move(list));
    CHECK(pretty_json(doc) ==
          "{\n"
          "  \"name\": \"a\\\"b\\\\c\\nd\\u0001\",\n"
          "  \"n\": 42,\n"
          "  \"ok\": true,\n"
          "  \"empty\": [],\n"
          "  \"none\": {},\n"
          "  \"items\": [\n"
          "    \"华东\",\n"
          "    false\n"
          "  ]\n"
          "}\n");
}
