// The JSON reader: values, unescaped strings, places and pointers made on demand; problems
// reported as before (the fast reader hands every bad text to the reporting one).
#include <catch2/catch.hpp>

#include <optional>

#include "../../src/json_document.hpp"
#include "temp_dir.hpp"
#include "tgt/plan.hpp"

using tgt::Diagnostic;
using tgt::Error;
using tgt::detail::JsonDocument;
using tgt::detail::JsonValue;

namespace {

std::vector<Diagnostic> problems_of(const std::string& text) {
    try {
        JsonDocument::parse(text, "t.json");
    } catch (const Error& e) {
        return e.diagnostics();
    }
    return {};
}

}  // namespace

TEST_CASE("json values keep their text, unescaped, and their places") {
    // Line 2 is ` {"b~/c": -2.5e3}], …`: the object opens in column 2 and -2.5e3 starts in column 11.
    auto doc = JsonDocument::parse(R"({"a": [1, "x\u00e9y",
 {"b~/c": -2.5e3}], "k\"q": true})",
                                   "t.json");
    const JsonValue& root = doc.root();
    REQUIRE(root.is_object());
    CHECK(root.members().size() == 2);
    const JsonValue* a = root.find("a");
    REQUIRE(a);
    REQUIRE(a->items().size() == 3);
    CHECK(a->items()[0].text == "1");
    CHECK(a->items()[1].text == "x\xC3\xA9y");  // \u00e9 is é, two bytes of UTF-8
    const JsonValue& inner = a->items()[2];
    const JsonValue* number = inner.find("b~/c");
    REQUIRE(number);
    CHECK(number->text == "-2.5e3");
    auto at = doc.locate(*number);
    CHECK(at.file == "t.json");
    CHECK(at.line == 2);
    CHECK(at.column == 11);
    CHECK(at.pointer == "/a/2/b~0~1c");  // ~ is ~0 and / is ~1 in a pointer
    CHECK(doc.locate(inner).column == 2);
    CHECK(doc.locate(inner).pointer == "/a/2");
    const JsonValue* flag = root.find("k\"q");
    REQUIRE(flag);
    CHECK(flag->boolean);
    CHECK(JsonDocument::pointer(*flag) == "/k\"q");
    CHECK(JsonDocument::pointer(root).empty());
}

TEST_CASE("json columns count characters, not bytes") {
    // {"名": [1, 2]}: 名 is one character (three bytes), so [ is column 7 and the 2 column 11.
    auto doc = JsonDocument::parse("{\"\xE5\x90\x8D\": [1, 2]}", "t.json");
    const JsonValue& list = doc.root().members().begin().operator*().second;
    CHECK(doc.locate(list).column == 7);
    auto two = doc.locate(list.items()[1]);
    CHECK(two.column == 11);
    CHECK(two.pointer == "/\xE5\x90\x8D/1");
}

TEST_CASE("json keys spelled two ways are still one key") {
    // The second key's quote is at column 10: {"a": 1, "\u0061": 2}
    auto ds = problems_of(R"({"a": 1, "\u0061": 2})");
    REQUIRE(ds.size() == 1);
    CHECK(ds[0].message == "duplicate key \"a\"");
    CHECK(ds[0].where.column == 10);
    CHECK(ds[0].where.pointer == "/a");
}

TEST_CASE("json strings refuse escaped control characters and lone surrogates") {
    auto ds = problems_of(R"({"a": "x\u0001"})");
    REQUIRE(ds.size() == 1);
    CHECK(ds[0].message == "a control character (U+0001) in a string");
    CHECK(ds[0].where.column == 7);
    CHECK(ds[0].where.pointer == "/a");
    auto lone = problems_of(R"({"a": "\udc00"})");
    REQUIRE(lone.size() == 1);
    CHECK(lone[0].message.rfind("malformed JSON", 0) == 0);
}

TEST_CASE("json numbers beyond a double are refused, large ones kept as written") {
    auto ds = problems_of(R"({"a": 1e400})");
    REQUIRE(ds.size() == 1);
    CHECK(ds[0].message.find("number overflow") != std::string::npos);
    auto doc = JsonDocument::parse(R"({"a": 1e300, "b": 123456789012345678901234567890})", "t.json");
    CHECK(doc.root().find("a")->text == "1e300");
    CHECK(doc.root().find("b")->text == "123456789012345678901234567890");
}

TEST_CASE("json nesting is limited, and a second byte-order mark is skipped as before") {
    CHECK(problems_of(std::string(64, '[') + std::string(64, ']')).empty());
    auto ds = problems_of(std::string(65, '[') + std::string(65, ']'));
    REQUIRE(ds.size() == 1);
    CHECK(ds[0].message == "nesting deeper than 64 levels");
    auto doc = JsonDocument::parse("\xEF\xBB\xBF\xEF\xBB\xBF{\"a\": 1}", "t.json");
    CHECK(doc.locate(*doc.root().find("a")).column == 9);  // the marks are two characters: { is column 3
}

TEST_CASE("a member's place is resolved when asked, and outlives the plan it was read with") {
    // Line 3 is `   {"id": "b", "weight": 3}`: the member opens in column 4, its weight is in column 26.
    std::optional<tgt::Plan> copy;
    {
        tgt::Plan plan = tgt::parse_plan(R"({"period": "2027", "metrics": [{"id": "s", "total": 100}],
 "dimensions": [{"id": "rep", "members": [{"id": "a", "weight": 1},
   {"id": "b", "weight": 3}]}], "split": [{"level": "rep"}]})",
                                         "p.json");
        copy = plan;
    }
    const tgt::Member& b = copy->dimensions[0].members[0][1];
    tgt::SourceLocation member = b.where;
    CHECK(member.file == "p.json");
    CHECK(member.line == 3);
    CHECK(member.column == 4);
    CHECK(member.pointer == "/dimensions/0/members/1");
    tgt::SourceLocation weight = b.share.where;
    CHECK(weight.line == 3);
    CHECK(weight.column == 26);
    CHECK(weight.pointer == "/dimensions/0/members/1/weight");
    CHECK(b.share.where.known());
    CHECK_FALSE(tgt::Share{}.where.known());
    CHECK_FALSE(tgt::PlanPlace(tgt::SourceLocation{"x.csv", 0, 0, ""}).known());
    CHECK(tgt::PlanPlace(tgt::SourceLocation{"x.csv", 7, 0, ""}).resolve().line == 7);
}

namespace {

// Every value of `v`'s subtree, parents before children.
void collect(const JsonValue& v, std::vector<const JsonValue*>& out) {
    out.push_back(&v);
    if (v.is_array())
        for (const auto& item : v.items())
            collect(item, out);
    if (v.is_object())
        for (const auto& [key, value] : v.members())
            collect(value, out);
}

}  // namespace

TEST_CASE("a kept text finds the pointer of the value at an offset, as the document does") {
    // A byte-order mark, escaped keys (\" and \u00e9, and ~ and / that a pointer escapes), empty
    // containers, nested arrays, literals and numbers: the pointer found by reading the text again
    // is the document's own for every value, asked in file order, backwards and twice.
    auto doc = JsonDocument::parse(
        "\xEF\xBB\xBF{\"a\": [1, \"x,]}\\\"\", [], {}, [[true, null], {\"b~/c\": -2.5e3}]],\n"
        " \"k\\\"q\": {\"\\u00e9\": [false]}, \"z\": \"\"}",
        "t.json");
    std::vector<const JsonValue*> values;
    collect(doc.root(), values);
    // The root, a and its 5 items, [true, null] and {"b~/c": …} inside the last (2) with their 3
    // values, then k"q's object, [false], false and "": 1 + 1 + 5 + 2 + 3 + 4 = 16 values.
    REQUIRE(values.size() == 16);
    auto text = doc.text();
    for (const JsonValue* v : values)
        CHECK(text->pointer_at(v->offset) == JsonDocument::pointer(*v));
    for (auto it = values.rbegin(); it != values.rend(); ++it)
        CHECK(text->pointer_at((*it)->offset) == JsonDocument::pointer(**it));
    CHECK(text->pointer_at(values[4]->offset) == "/a/2");
    CHECK(text->pointer_at(values[4]->offset) == "/a/2");
    // The place kept for a value resolves to the document's location of it.
    const JsonValue& deep = *values.back();
    tgt::SourceLocation kept = text->resolve(deep.offset);
    tgt::SourceLocation direct = doc.locate(deep);
    CHECK(kept.pointer == "/z");
    CHECK(kept.line == direct.line);
    CHECK(kept.column == direct.column);
    CHECK(text->pointer_at(values[2]->offset + 1).empty());  // inside a value: none starts there
}

TEST_CASE("a dimension's members of the common shape are kept as text and scanned as values") {
    // Two levels: regions with names and weights or amounts, reps as objects or id strings, on
    // several lines. Read lazily, the members are the eager document's values, at the same places.
    const std::string text = R"({"dimensions": [{"id": "org", "members": [
  {"id": "E", "name": "华东", "weight": 2, "members": [{"id": "a", "weight": "25%"}, "b"]},
  {"members": ["c"], "amount": "5万", "id": "W"}]}]})";
    auto eager = JsonDocument::parse(text, "t.json");
    auto lazy = JsonDocument::parse(text, "t.json", 64, true);
    const JsonValue& list = *lazy.root().find("dimensions")->items()[0].find("members");
    REQUIRE(list.lazy());
    CHECK(list.lazy_size() == 2);
    CHECK(list.items().empty());
    const JsonValue& regions = *eager.root().find("dimensions")->items()[0].find("members");
    CHECK_FALSE(regions.lazy());
    // The same place and pointer for a scanned value as for the eager document's value.
    auto same_place = [&](const JsonValue& scanned, const JsonValue& value) {
        CHECK(scanned.scanned());
        CHECK(scanned.offset == value.offset);
        CHECK(scanned.text == value.text);
        tgt::SourceLocation a = lazy.locate(scanned), b = eager.locate(value);
        CHECK(a.pointer == b.pointer);
        CHECK(a.line == b.line);
        CHECK(a.column == b.column);
    };
    tgt::detail::MemberScan scan(lazy.text()->text(), list);
    tgt::detail::ScannedMember m;
    REQUIRE(scan.next(m));
    same_place(m.item, regions.items()[0]);
    same_place(m.id, *regions.items()[0].find("id"));
    same_place(m.weight, *regions.items()[0].find("weight"));
    CHECK(m.name.text == "华东");
    CHECK_FALSE(m.has_amount);
    REQUIRE(m.has_members);
    CHECK(lazy.locate(m.members).pointer == "/dimensions/0/members/0/members");
    tgt::detail::MemberScan reps(lazy.text()->text(), m.members);
    tgt::detail::ScannedMember r;
    REQUIRE(reps.next(r));
    same_place(r.weight, *regions.items()[0].find("members")->items()[0].find("weight"));
    CHECK(r.weight.text == "25%");
    REQUIRE(reps.next(r));
    same_place(r.item, regions.items()[0].find("members")->items()[1]);  // "b": the item is its id
    CHECK(r.id.text == "b");
    CHECK_FALSE(reps.next(r));
    REQUIRE(scan.next(m));
    same_place(m.amount, *regions.items()[1].find("amount"));  // keys in any order
    CHECK(m.id.text == "W");
    CHECK(lazy.locate(m.id).line == 3);
    CHECK_FALSE(scan.next(m));
}

TEST_CASE("members of another shape are read as values, and bad JSON in them is reported as before") {
    auto members_of = [](const std::string& list) {
        return JsonDocument::parse(R"({"dimensions": [{"id": "d", "members": )" + list + "}]}", "t.json", 64, true);
    };
    // An unknown key, an escaped id, an empty list, a weight that is no number, a key twice, an
    // amount beside a weight: each is the plan reader's to report, so the list is read as values.
    for (std::string list :
         {R"([{"id": "a", "wieght": 1}])", R"([{"id": "a\u0041"}])", R"(["a", {"id": "b", "members": []}])",
          R"([{"id": "a", "weight": true}])", R"([{"id": "a", "id": "b"}])",
          R"([{"id": "a", "weight": 1, "amount": 2}])", R"([{"name": "a"}])", "[]", "[1]"}) {
        INFO(list);
        try {
            auto doc = members_of(list);
            CHECK_FALSE(doc.root().find("dimensions")->items()[0].find("members")->lazy());
        } catch (const Error&) {
            CHECK(list == R"([{"id": "a", "id": "b"}])");  // a duplicate key is the JSON reader's own error
        }
    }
    // A trailing comma inside the members: the same message and place as without lazy members.
    const std::string bad = R"({"dimensions": [{"id": "d", "members": ["a", "b",]}]})";
    std::vector<Diagnostic> eager = problems_of(bad), lazy;
    try {
        JsonDocument::parse(bad, "t.json", 64, true);
    } catch (const Error& e) {
        lazy = e.diagnostics();
    }
    REQUIRE(eager.size() == 1);
    REQUIRE(lazy.size() == 1);
    CHECK(lazy[0].message == eager[0].message);
    CHECK(lazy[0].where.column == eager[0].where.column);
    CHECK(lazy[0].where.pointer == eager[0].where.pointer);
}

namespace {

// A source that says which offset it was asked about, on line 1 of "s.json".
class OffsetSource : public tgt::PlanPlace::Source {
public:
    tgt::SourceLocation resolve(std::uint32_t at) const override { return {"s.json", 1, static_cast<int>(at), ""}; }
};

}  // namespace

TEST_CASE("a place is 8 bytes and keeps its source while some place refers to it") {
    CHECK(sizeof(tgt::PlanPlace) == 8);
    auto source = std::make_shared<OffsetSource>();
    std::weak_ptr<OffsetSource> watch = source;
    std::optional<tgt::PlanPlace> copy;
    {
        tgt::PlanPlace first(std::move(source), 5);
        tgt::PlanPlace other = first.at(9);  // the same source, another offset
        CHECK(first.known());
        CHECK(first.resolve().column == 5);
        CHECK(other.resolve().column == 9);
        tgt::PlanPlace moved(std::move(first));
        CHECK(moved.resolve().column == 5);
        copy = other;
        moved = other;  // the source is still referred to: it stays
        CHECK(moved.resolve().column == 9);
    }
    CHECK_FALSE(watch.expired());  // `copy` still refers to it
    CHECK(copy->resolve().file == "s.json");
    copy.reset();
    CHECK(watch.expired());  // the last place went, and the source with it
    tgt::PlanPlace none;
    CHECK_FALSE(none.known());
    CHECK(none.resolve().file.empty());
}

TEST_CASE("an optional date in 4 bytes reads as std::optional of a date, the epoch and earlier too") {
    CHECK(sizeof(tgt::OptionalDate) == 4);
    tgt::OptionalDate none;
    CHECK_FALSE(none);
    CHECK_FALSE(std::optional<tgt::Date>(none));
    // 1970-01-01 is day 0 and 1969-12-31 day -1: both are dates, not "none".
    for (const char* text : {"1970-01-01", "1969-12-31", "2027-09-01"}) {
        tgt::Date d = *tgt::parse_date(text);
        tgt::OptionalDate od = d;
        REQUIRE(od);
        CHECK(tgt::format_date(*od) == text);
        CHECK(std::optional<tgt::Date>(od) == d);
        CHECK(tgt::OptionalDate(std::optional<tgt::Date>(d)) == od);
    }
    tgt::OptionalDate later = tgt::OptionalDate(*tgt::parse_date("2027-09-01"));
    later = std::optional<tgt::Date>();
    CHECK_FALSE(later);
    CHECK(later.value_or(tgt::Date{}) == tgt::Date{});
}

TEST_CASE("a plan text let go is read again from its file for a place, and a changed file gives no line") {
    tgt::test::TempDir dir("tgt-let-go-");
    // Line 3 is `  {"id": "华", "w": 7}`: two spaces, `{"id":` (6), a space, `"华",` (4), a space,
    // `"w":` (4), a space: 19 characters before the 7, which is in column 20.
    const std::string text = "{\"members\": [\n  {\"id\": \"a\"},\n  {\"id\": \"华\", \"w\": 7}\n]}\n";
    std::string file = dir.write("plan.json", text);
    auto doc = JsonDocument::parse(text, file);
    auto source = doc.text();
    std::uint32_t seven = static_cast<std::uint32_t>(text.find('7'));
    tgt::SourceLocation kept = source->resolve(seven);
    CHECK(kept.line == 3);
    CHECK(kept.column == 20);  // characters, not bytes: 华 is one column
    CHECK(kept.pointer == "/members/1/w");

    tgt::InputLimits limits;
    limits.keep_text_bytes = 1 << 20;
    source->let_go(limits);  // a text under the limit is kept
    CHECK(source->text() == text);
    limits.keep_text_bytes = 0;
    source->let_go(limits);  // now let go, and read again for the first place
    tgt::SourceLocation again = source->resolve(seven);
    CHECK(again.file == kept.file);
    CHECK(again.line == kept.line);
    CHECK(again.column == kept.column);
    CHECK(again.pointer == kept.pointer);

    auto changed_doc = JsonDocument::parse(text, file);
    auto changed = changed_doc.text();
    changed->let_go(limits);
    dir.write("plan.json", "{\"members\": [\"a\", \"b\"]}\n");  // edited since it was read
    tgt::SourceLocation stale = changed->resolve(seven);
    CHECK(stale.file == file);
    CHECK(stale.line == 0);  // the file is named, but no line in a text that is not the one read
}

TEST_CASE("a text from standard input, not a file, is never let go") {
    const std::string text = "{\"a\": 1}";
    auto doc = JsonDocument::parse(text, "<stdin>");
    tgt::InputLimits limits;
    limits.keep_text_bytes = 0;
    doc.text()->let_go(limits);
    CHECK(doc.text()->text() == text);
    CHECK(doc.text()->resolve(6).column == 7);
}
