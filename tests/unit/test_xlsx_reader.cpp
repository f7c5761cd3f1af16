// .xlsx actuals as CSV text: shared and inline strings, numbers, dates as serials or text, gaps.

#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include "../../src/xlsx_reader.hpp"
#include "temp_dir.hpp"
#include "tgt/error.hpp"
#include "tgt/report.hpp"
#include "tgt/sheet.hpp"

#if __has_include(<xlsxwriter.h>)
#include <xlsxwriter.h>
#define TGT_TEST_XLSXWRITER 1
#endif

namespace {

std::string text_of(std::FILE* f) {
    std::string out;
    char buffer[4096];
    while (std::size_t n = std::fread(buffer, 1, sizeof buffer, f))
        out.append(buffer, n);
    return out;
}

}  // namespace

TEST_CASE("xlsx actuals: the example workbook reads as its CSV twin", "[xlsx]") {
    if (!tgt::xlsx_reader_available()) return;
    // examples/data/sales-org-h1.xlsx holds examples/data/sales-org-h1.csv's rows: dates as date cells
    // styled yyyy/m/d (serials) except every third, typed as text; amounts as numbers, 1,200,000.00 as
    // the text it is in the CSV; regions and reps as shared strings; a second sheet of notes.
    tgt::XlsxCsv sheet(TGT_EXAMPLES_DIR "/data/sales-org-h1.xlsx", "");
    CHECK(sheet.sheet() == "销售");
    CHECK(sheet.offset() == 0);
    CHECK(text_of(sheet.stream()) ==
          "date,region,rep,revenue\n"
          "2027-01-20,华东,张伟,\"1,200,000.00\"\n"  // a comma: quoted as CSV quotes it
          "2027-02-15,华北,赵磊,800000\n"
          "2027-03-10,华北,孙丽,450000.5\n"  // the number 450000.50: its shortest form
          "2027-03-25,华南,陈静,900000\n"
          "2027-04-12,华北,赵磊,650000\n"
          "2027-04-30,华东,王芳,700000\n"
          "2027-05-18,华北,孙莉,120000\n"
          "2027-05-20,华东,张玮,300000\n"
          "2027-06-08,西部,周洁,210000\n"
          "2027-06-15,华北,赵磊,330000.25\n"
          "2027-06-28,西部,周杰,400000\n"
          "2027-07-02,华北,赵磊,999999\n");
    CHECK(sheet.cell(3, 3) == "销售!D3");
    CHECK(sheet.cell(12, -1) == "销售!12:12");
}

TEST_CASE("xlsx actuals: --sheet picks a sheet by name, and an unknown name lists the sheets", "[xlsx]") {
    if (!tgt::xlsx_reader_available()) return;
    tgt::XlsxCsv notes(TGT_EXAMPLES_DIR "/data/sales-org-h1.xlsx", "说明");
    CHECK(text_of(notes.stream()) == "\"actuals for examples/sales-org.json, as a CRM exports them\"\n");
    try {
        tgt::XlsxCsv missing(TGT_EXAMPLES_DIR "/data/sales-org-h1.xlsx", "Sheet9");
        FAIL("no error");
    } catch (const tgt::Error& e) {
        REQUIRE(e.diagnostics().size() == 1);
        CHECK(e.diagnostics()[0].message == "no sheet named \"Sheet9\"");
        CHECK(e.diagnostics()[0].hint == "its sheets: 销售, 说明");
    }
    try {
        tgt::XlsxCsv not_zip(TGT_EXAMPLES_DIR "/data/sales-org-h1.csv", "");
        FAIL("no error");
    } catch (const tgt::Error& e) {
        CHECK(e.diagnostics()[0].message == "not an .xlsx workbook (it does not open as a zip file)");
    }
}

#if TGT_TEST_XLSXWRITER
TEST_CASE("xlsx actuals: inline strings, date serials, doubles and rows left out", "[xlsx]") {
    if (!tgt::xlsx_reader_available()) return;
    const auto path = std::filesystem::temp_directory_path() / "tgt-xlsx-reader-test.xlsx";
    // constant_memory: libxlsxwriter writes strings inline (<is><t>), as many exporters do.
    lxw_workbook_options options{LXW_TRUE, nullptr, LXW_FALSE};
    lxw_workbook* wb = workbook_new_opt(path.c_str(), &options);
    lxw_worksheet* ws = workbook_add_worksheet(wb, "Data");
    lxw_format* date = workbook_add_format(wb);
    format_set_num_format(date, "yyyy-mm-dd");
    // Row 1 left empty: the header is on row 2, so CSV line n is worksheet row n + 1.
    worksheet_write_string(ws, 1, 0, "date", nullptr);
    worksheet_write_string(ws, 1, 1, "rep", nullptr);
    worksheet_write_string(ws, 1, 2, "amount", nullptr);
    // 45658 is 2025-01-01, so 46394 = 45658 + 365 (2025) + 365 (2026) + 6 is 2027-01-07.
    worksheet_write_number(ws, 2, 0, 46394, date);
    worksheet_write_string(ws, 2, 1, "张伟", nullptr);
    worksheet_write_number(ws, 2, 2, 608294.93, nullptr);  // not exact as a double: read back as typed
    // Row 4 left out; row 5: a date typed as text, a whole number, the rep's cell empty.
    worksheet_write_string(ws, 4, 0, "2027-01-08", nullptr);
    worksheet_write_number(ws, 4, 2, 1500, nullptr);
    // 0.1 + 0.2 is 0.30000000000000004 as a double; Excel shows 15 digits: 0.3.
    worksheet_write_number(ws, 5, 0, 46395, date);  // 2027-01-08
    worksheet_write_string(ws, 5, 1, "a \"quoted\", name", nullptr);
    worksheet_write_number(ws, 5, 2, 0.1 + 0.2, nullptr);
    REQUIRE(workbook_close(wb) == LXW_NO_ERROR);
    {
        tgt::XlsxCsv sheet(path.string(), "");
        CHECK(sheet.offset() == 1);
        CHECK(text_of(sheet.stream()) ==
              "date,rep,amount\n"
              "2027-01-07,张伟,608294.93\n"
              "\n"  // row 4, left out: a blank line keeps the numbering
              "2027-01-08,,1500\n"
              "2027-01-08,\"a \"\"quoted\"\", name\",0.3\n");
        CHECK(sheet.cell(4, 2) == "Data!C5");
    }
    std::filesystem::remove(path);
}

TEST_CASE("xlsx actuals: a row whose last cells are empty has the header's width", "[xlsx]") {
    if (!tgt::xlsx_reader_available()) return;
    tgt::test::TempDir dir("tgt-xlsx-width-");
    const std::string path = (dir / "notes.xlsx").string();
    lxw_workbook* wb = workbook_new(path.c_str());
    lxw_worksheet* ws = workbook_add_worksheet(wb, "Data");
    // Header date,rep,amount,备注; Excel stores no cell for an empty 备注 (row 2) or an empty amount
    // and 备注 (row 3): both rows still have four fields, the missing ones empty.
    const char* header[] = {"date", "rep", "amount", "备注"};
    for (lxw_col_t c = 0; c < 4; ++c)
        worksheet_write_string(ws, 0, c, header[c], nullptr);
    worksheet_write_string(ws, 1, 0, "2027-01-07", nullptr);
    worksheet_write_string(ws, 1, 1, "张伟", nullptr);
    worksheet_write_number(ws, 1, 2, 200, nullptr);
    worksheet_write_string(ws, 2, 0, "2027-01-08", nullptr);
    worksheet_write_string(ws, 2, 1, "李娜", nullptr);
    worksheet_write_string(ws, 3, 0, "2027-01-09", nullptr);
    worksheet_write_string(ws, 3, 1, "王芳", nullptr);
    worksheet_write_number(ws, 3, 2, 5, nullptr);
    worksheet_write_string(ws, 3, 3, "退货", nullptr);
    REQUIRE(workbook_close(wb) == LXW_NO_ERROR);
    tgt::XlsxCsv sheet(path, "");
    CHECK(text_of(sheet.stream()) ==
          "date,rep,amount,备注\n"
          "2027-01-07,张伟,200,\n"
          "2027-01-08,李娜,,\n"
          "2027-01-09,王芳,5,退货\n");
}
#endif

TEST_CASE("xlsx round trip: -o FILE.xlsx's workbook read back as actuals are", "[xlsx]") {
    if (!tgt::xlsx_reader_available() || !tgt::xlsx_available()) return;
    using tgt::Column;
    tgt::Table table;
    table.columns = {Column{"rep", false, 0}, Column{"amount", true, 2}, Column{"rate", true, 1, false, false}};
    table.rows = {{tgt::text_cell("张伟"), tgt::amount_cell(110), tgt::amount_cell(405)},
                  {tgt::text_cell("王芳"), tgt::amount_cell(225), tgt::amount_cell(600)}};
    const auto path = std::filesystem::temp_directory_path() / "tgt-xlsx-round-trip.xlsx";
    {
        std::unique_ptr<std::FILE, int (*)(std::FILE*)> out(std::fopen(path.c_str(), "wb"), std::fclose);
        REQUIRE(out);
        auto writer = tgt::make_writer(tgt::Format::xlsx, out.get());
        tgt::write_table(table, *writer);
    }
    {
        tgt::XlsxCsv sheet(path.string(), "");
        // 1.10 + 2.25 = 3.35, the totals row's SUM formula's cached value; a rate has no total (and
        // the row's empty last cell, left out of the sheet, is read as the header's third field).
        CHECK(text_of(sheet.stream()) ==
              "rep,amount,rate\n"
              "张伟,1.1,40.5\n"
              "王芳,2.25,60\n"
              "Total,3.35,\n");
    }
    std::filesystem::remove(path);
}

TEST_CASE("Excel number text is rounded to 15 significant digits on the decimal text", "[xlsx]") {
    using tgt::excel_number_text;
    // 17 digits as Excel writes 1234.56: the 16th digit (9) rounds the 15th up, carrying through the 9s.
    CHECK(excel_number_text("1234.5599999999999") == "1234.56");
    CHECK(excel_number_text("0.10000000000000001") == "0.1");
    CHECK(excel_number_text("1.5E-3") == "0.0015");
    CHECK(excel_number_text("1.2345E+2") == "123.45");
    CHECK(excel_number_text("-2.5e1") == "-25");
    CHECK(excel_number_text("86000000") == "86000000");
    CHECK(excel_number_text("000.00") == "0");
    // All nines past 15 digits carry into a new leading digit: 0.999999999999999 9 → 1.
    CHECK(excel_number_text("0.9999999999999999") == "1");
    // Exactly half at the 16th digit rounds away from zero, on both signs.
    CHECK(excel_number_text("1.000000000000005") == "1.00000000000001");
    CHECK(excel_number_text("-1.000000000000005") == "-1.00000000000001");
    // A 15-digit value is kept exactly, with no binary noise.
    CHECK(excel_number_text("123456789012.345") == "123456789012.345");
    // Not a number: given back for the reader to report.
    CHECK(excel_number_text("12abc") == "12abc");
    CHECK(excel_number_text("1e") == "1e");
}
