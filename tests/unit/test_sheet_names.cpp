// Sheet names: files every system takes and worksheets Excel takes, unique ignoring case, the same
// on every run; and a property test over random ids made of the characters that cause trouble.
#include <catch2/catch.hpp>

#include <random>
#include <set>

#include "tgt/sheet_names.hpp"

using namespace tgt;

namespace {

std::string file_of(const std::string& id, const std::string& ext = "html") {
    return sheet_file_names({id}, ext).front().name;
}

std::string worksheet_of(const std::string& id) {
    return worksheet_names({id}).front().name;
}

// The name without its `~` and four hex digits (and extension), checked to be there.
std::string before_suffix(const std::string& name, const std::string& ending) {
    REQUIRE(name.size() >= 5 + ending.size());
    std::string tail = name.substr(name.size() - ending.size() - 5);
    REQUIRE(tail.substr(5) == ending);
    REQUIRE(tail[0] == '~');
    for (char c : tail.substr(1, 4))
        REQUIRE(((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')));
    return name.substr(0, name.size() - ending.size() - 5);
}

std::size_t utf8_chars(const std::string& s) {
    std::size_t n = 0;
    for (char c : s)
        n += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
    return n;
}

}  // namespace

TEST_CASE("an id every system takes is its own file name, unchanged") {
    for (std::string id : {"张伟", "华东 张伟", "a.b", "it's", "O'Brien", "CONSOLE", "COM10", "LPTX", "-x", "a~1"}) {
        auto names = sheet_file_names({id}, "html");
        CHECK(names[0].name == id + ".html");
        CHECK_FALSE(names[0].changed);
    }
}

TEST_CASE("characters Windows refuses, controls and bytes that are not UTF-8 become _ and the name gets a suffix") {
    CHECK(before_suffix(file_of("华东/张伟"), ".html") == "华东_张伟");
    CHECK(before_suffix(file_of("a\\b:c*d?e\"f<g>h|i"), ".html") == "a_b_c_d_e_f_g_h_i");
    CHECK(before_suffix(file_of("a\tb\x7f"
                                "c"),
                        ".html") == "a_b_c");
    CHECK(before_suffix(file_of("x\xff"
                                "y"),
                        ".html") == "x_y");  // a byte that starts nothing
    CHECK(before_suffix(file_of("x\xe5\xbc"
                                "y"),
                        ".html") == "x__y");  // 张 cut short: two stray bytes
    CHECK(before_suffix(file_of("x\xc0\xaf"
                                "y"),
                        ".html") == "x__y");  // an overlong "/"
    CHECK(before_suffix(file_of("x\xed\xa0\x80"
                                "y"),
                        ".html") == "x___y");  // a surrogate
    CHECK(sheet_file_names({"a:b"}, "html")[0].changed);
}

TEST_CASE("leading dots, trailing dots and spaces are replaced") {
    CHECK(before_suffix(file_of(".hidden", "csv"), ".csv") == "_.hidden");
    CHECK(before_suffix(file_of("..", "csv"), ".csv") == "___");  // "_" + "..", whose dots then trail
    CHECK(before_suffix(file_of("dot.", "csv"), ".csv") == "dot_");
    CHECK(before_suffix(file_of("a. . ", "csv"), ".csv") == "a____");
    CHECK(before_suffix(file_of("", "csv"), ".csv") == "_");
}

TEST_CASE("Windows device names get a _ before them, whatever their case and extension") {
    for (std::string id : {"CON", "con", "Prn", "AUX", "nul", "COM1", "com9", "COM0", "LPT1", "lpt5", "CON.txt",
                           "nul.tar.gz", "CONIN$", "conout$", "COM\u00b9", "LPT\u00b3"})
        CHECK(before_suffix(file_of(id), ".html") == "_" + id);
    CHECK(before_suffix(file_of("AUX .x"), ".html") == "_AUX .x");  // Windows drops the space before the dot
    CHECK_FALSE(portable_file_name("CON.html"));
    CHECK_FALSE(portable_file_name("com1.tar.gz"));
    CHECK(portable_file_name("CONSOLE.html"));
}

TEST_CASE("names fit in 255 bytes with their extension, cut between characters") {
    // 250 ASCII bytes + ".html" is 255: as it is. One more byte: cut to 245 + "~hhhh" + ".html".
    CHECK(file_of(std::string(250, 'x')) == std::string(250, 'x') + ".html");
    std::string cut = file_of(std::string(251, 'x'));
    CHECK(cut.size() == 255);
    CHECK(before_suffix(cut, ".html") == std::string(245, 'x'));
    // 100 × 张 is 300 bytes; 245 bytes take 81 whole characters (243 bytes): 243 + 5 + 5 = 253.
    std::string zhang;
    for (int i = 0; i < 100; ++i)
        zhang += "张";
    std::string name = file_of(zhang);
    CHECK(name.size() == 253);
    CHECK(before_suffix(name, ".html") == zhang.substr(0, 243));
    CHECK(portable_file_name(name));
}

TEST_CASE("the suffix is a hash of the id: FNV-1a's published vectors give it") {
    // FNV-1a 64 of "a" is af63dc4c8601ec8c and of "foobar" 85944171f73967e8 (the FNV test suite):
    // the suffix is its last 4 hex digits. Equal ignoring case, "a" and "A" both take a suffix.
    auto names = sheet_file_names({"a", "A"}, "md");
    CHECK(names[0].name == "a~ec8c.md");
    CHECK(names[0].changed);
    CHECK(before_suffix(names[1].name, ".md") == "A");
    CHECK(sheet_file_names({"Foobar", "foobar"}, "md")[1].name == "foobar~67e8.md");
    // A suffix that is some other id's own name: the id keeps it, the suffix grows to 8 digits.
    auto taken = sheet_file_names({"a", "A", "a~ec8c"}, "md");
    CHECK(taken[0].name == "a~8601ec8c.md");
    CHECK(taken[2].name == "a~ec8c.md");
    CHECK_FALSE(taken[2].changed);
}

TEST_CASE("ids that would share a file all get one of their own") {
    // "/" and "_": the id that is already safe keeps its name.
    auto names = sheet_file_names({"华东/张伟", "华东_张伟"}, "html");
    CHECK(before_suffix(names[0].name, ".html") == "华东_张伟");
    CHECK(names[1].name == "华东_张伟.html");
    CHECK_FALSE(names[1].changed);
    // Case only, in the alphabets case_fold knows.
    auto twins = sheet_file_names({"Ärger", "äRGER", "Σοφία", "ΣΟΦΊΑ", "Москва", "МОСКВА", "Ｔｏｍ", "ｔｏｍ"}, "csv");
    for (const auto& n : twins)
        CHECK(n.changed);
    // Long ids equal for 300 bytes, cut to the same prefix: their hashes tell them apart.
    std::string prefix(300, 'q');
    auto cut = sheet_file_names({prefix + "1", prefix + "2"}, "csv");
    CHECK(case_fold(cut[0].name) != case_fold(cut[1].name));
    // The same id twice (never in a plan: ids are unique per level) still gets two names.
    auto same = sheet_file_names({"a:b", "a:b", "a:b"}, "csv");
    CHECK(std::set<std::string>{same[0].name, same[1].name, same[2].name}.size() == 3);
}

TEST_CASE("a name depends on its own id, not on the other members or the run") {
    CHECK(sheet_file_names({"a:b"}, "html") == sheet_file_names({"a:b"}, "html"));
    CHECK(sheet_file_names({"x", "a:b", "y"}, "html")[1].name == file_of("a:b"));
    CHECK(sheet_file_names({"华东_张伟", "华东/张伟"}, "html")[1].name == file_of("华东/张伟"));
}

TEST_CASE("the sheets of some members are named as they are among all of the level") {
    const std::vector<std::string> level = {"Anna", "ANNA", "a:b", "张伟"};
    auto files = [](const std::vector<std::string>& ids) { return sheet_file_names(ids, "html"); };
    const auto all = files(level);
    CHECK(names_among(level, {"Anna"}, files)[0] == all[0]);  // suffixed: ANNA is in the level too
    CHECK(names_among(level, {"张伟", "a:b"}, files) == std::vector<SheetName>{all[3], all[2]});
    CHECK(names_among(level, {"Anna"}, worksheet_names)[0] == worksheet_names(level)[0]);
    // An id the level does not have, or one asked for twice: named among the ids given.
    CHECK(names_among(level, {"Anna", "x"}, files) == files({"Anna", "x"}));
    CHECK(names_among(level, {"Anna", "Anna"}, files) == files({"Anna", "Anna"}));
    CHECK(names_among({}, {"Anna"}, files)[0].name == "Anna.html");
}

TEST_CASE("case_fold lowers Latin, Greek, Cyrillic, Armenian and full-width letters and leaves the rest") {
    CHECK(case_fold("ABC xyz") == "abc xyz");
    CHECK(case_fold("ÀÉÎÕÜÝÞ×") == "àéîõüýþ×");  // × is not a letter
    CHECK(case_fold("ĀĆĹŇŊŸŹŽ") == "āćĺňŋÿźž");
    CHECK(case_fold("Straße STRAẞE") == "strasse strasse");
    CHECK(case_fold("ΆΈΣΩΪ ς") == "άέσωϊ σ");
    CHECK(case_fold("ЁЖЯ Ӂ") == "ёжя ӂ");
    CHECK(case_fold("ԱԲ") == "աբ");
    CHECK(case_fold("ẠỆ") == "ạệ");
    CHECK(case_fold("ＡＺ") == "ａｚ");
    CHECK(case_fold("华东张伟 😀") == "华东张伟 😀");
    CHECK(case_fold("x\xff"
                    "Y") ==
          "x\xff"
          "y");
}

TEST_CASE("worksheet names follow Excel's rules") {
    CHECK(worksheet_of("张伟") == "张伟");
    CHECK(worksheet_of("it's") == "it's");
    CHECK(before_suffix(worksheet_of("'quoted'"), "") == "_quoted_");
    CHECK(before_suffix(worksheet_of("'lead"), "") == "_lead");
    CHECK(before_suffix(worksheet_of("[a]:b*c?d/e\\f"), "") == "_a__b_c_d_e_f");
    CHECK(before_suffix(worksheet_of("a\nb"), "") == "a_b");
    CHECK(before_suffix(worksheet_of("History"), "") == "History");
    CHECK(before_suffix(worksheet_of("HISTORY"), "") == "HISTORY");
    CHECK(worksheet_of("Historyx") == "Historyx");
    CHECK(worksheet_of("a.b CON") == "a.b CON");  // file rules are not worksheet rules
    // 31 UTF-16 units as they are; 32 are cut to 26 + "~hhhh".
    CHECK(worksheet_of(std::string(31, 'w')) == std::string(31, 'w'));
    CHECK(before_suffix(worksheet_of(std::string(32, 'w')), "") == std::string(26, 'w'));
    std::string zhang;
    for (int i = 0; i < 32; ++i)
        zhang += "张";
    CHECK(worksheet_of(zhang.substr(0, 31 * 3)) == zhang.substr(0, 31 * 3));
    CHECK(before_suffix(worksheet_of(zhang), "") == zhang.substr(0, 26 * 3));
    // 😀 is two UTF-16 units: 15 of them and "a" are 31 units; 16 are 32, cut to 13 (26 units).
    std::string smile;
    for (int i = 0; i < 16; ++i)
        smile += "😀";
    CHECK(worksheet_of(smile.substr(0, 15 * 4) + "a") == smile.substr(0, 15 * 4) + "a");
    std::string cut = before_suffix(worksheet_of(smile), "");
    CHECK(cut == smile.substr(0, 13 * 4));
    // Unique ignoring case.
    auto names = worksheet_names({"Anna", "ANNA", "anna"});
    CHECK(std::set<std::string>{case_fold(names[0].name), case_fold(names[1].name), case_fold(names[2].name)}.size() ==
          3);
    CHECK(valid_worksheet_name("Sheet1"));
    CHECK_FALSE(valid_worksheet_name("history"));
    CHECK_FALSE(valid_worksheet_name("a'"));
    CHECK_FALSE(valid_worksheet_name(std::string(32, 'w')));
    CHECK_FALSE(valid_worksheet_name(""));
}

TEST_CASE("random ids of troublesome characters always get valid unique names, the same each time") {
    // Pieces that cause trouble somewhere: refused characters, controls, broken UTF-8, dots and
    // spaces, quotes, device names, letters in two cases, wide characters, a long run.
    // clang-format off
    const std::vector<std::string> pieces = {
        "a", "A", "z", "Z", "é", "É", "ß", "σ", "Σ", "ж", "Ж", "ａ", "Ａ", "张", "伟", "😀",
        "/", "\\", ":", "*", "?", "\"", "<", ">", "|", ".", " ", "'", "[", "]",
        "\t", "\x01", "\x7f", "\xc2\x85", "\xff", "\xc3", "\xe5\xbc", "\xed\xa0\x80",
        "~", "-", "_", "CON", "nul", "com1", "LPT9", "History", "~ec8c",
        std::string(100, 'x'), std::string(60, '.'), "华东/张伟"};
    // clang-format on
    std::mt19937 random(20270101);
    auto pick = [&](std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(random); };
    for (int round = 0; round < 300; ++round) {
        std::vector<std::string> ids;
        std::size_t count = 1 + pick(25);
        for (std::size_t i = 0; i < count; ++i) {
            std::string id;
            if (!ids.empty() && pick(4) == 0) {  // a case variant (or a copy) of an earlier id
                id = ids[pick(ids.size())];
                for (char& c : id)
                    if (pick(2) == 0 && c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
            } else {
                for (std::size_t k = pick(12); k > 0; --k)
                    id += pieces[pick(pieces.size())];
            }
            ids.push_back(id);
        }
        for (std::string ext : {"html", "xlsx", "md"}) {
            auto names = sheet_file_names(ids, ext);
            REQUIRE(names.size() == ids.size());
            std::set<std::string> keys;
            for (std::size_t i = 0; i < ids.size(); ++i) {
                INFO("id " << ids[i] << " → " << names[i].name);
                CHECK(portable_file_name(names[i].name));
                CHECK(names[i].name.size() <= max_file_name_bytes);
                CHECK(names[i].name.ends_with("." + ext));
                CHECK(names[i].changed == (names[i].name != ids[i] + "." + ext));
                keys.insert(case_fold(names[i].name));
            }
            CHECK(keys.size() == ids.size());
            CHECK(sheet_file_names(ids, ext) == names);
        }
        auto sheets = worksheet_names(ids);
        std::set<std::string> keys;
        for (std::size_t i = 0; i < ids.size(); ++i) {
            INFO("id " << ids[i] << " → " << sheets[i].name);
            CHECK(valid_worksheet_name(sheets[i].name));
            CHECK(utf8_chars(sheets[i].name) <= max_worksheet_name_units);
            CHECK(sheets[i].changed == (sheets[i].name != ids[i]));
            keys.insert(case_fold(sheets[i].name));
        }
        CHECK(keys.size() == ids.size());
        CHECK(worksheet_names(ids) == sheets);
    }
}
