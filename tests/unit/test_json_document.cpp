// The JSON reader: values, unescaped strings, places and pointers made on demand; problems
// reported as before (the fast reader hands every bad text to the reporting one).
#include <catch2/catch.hpp>

#include <optional>

#include "../../src/json_document.hpp"
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
