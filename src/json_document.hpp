#pragma once
// A JSON tree that remembers where every value came from (line, column, JSON pointer) and keeps
// numbers as their original text, so amounts are never rounded through a double.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tgt/error.hpp"

namespace tgt::detail {

struct JsonMember;

struct JsonValue {
    enum class Kind { null, boolean, number, string, array, object };
    Kind kind = Kind::null;
    bool boolean = false;
    std::string text;  ///< string contents, or a number's original text
    std::vector<JsonValue> items;
    std::vector<JsonMember> members;  ///< object members in file order
    std::size_t offset = 0;           ///< byte offset of the value's first character
    std::size_t key_offset = 0;       ///< for object members: byte offset of the key's opening quote
    std::string pointer;              ///< JSON pointer, e.g. /split/2/weights

    bool is_object() const { return kind == Kind::object; }
    bool is_array() const { return kind == Kind::array; }
    bool is_string() const { return kind == Kind::string; }
    bool is_number() const { return kind == Kind::number; }
    /// The member called `key`, or nullptr.
    const JsonValue* find(std::string_view key) const;
};

/// One "key": value of an object (a named pair, so that JsonValue can hold a vector of them).
struct JsonMember {
    std::string first;
    JsonValue second;
};

/// The parsed file plus what is needed to turn offsets into line:column.
class JsonDocument {
public:
    /// Parses `text`; on failure throws Error with every problem found (syntax, duplicate keys,
    /// nesting deeper than `max_depth`). `file` is used in messages only.
    static JsonDocument parse(std::string text, std::string file, int max_depth = 64);

    const JsonValue& root() const { return root_; }
    const std::string& file() const { return file_; }
    /// Where a value sits, for diagnostics.
    SourceLocation locate(const JsonValue& value) const;
    /// Where an object member's key sits (for "unknown key" and the like).
    SourceLocation locate_key(const JsonValue& value) const;
    SourceLocation locate_offset(std::size_t offset, std::string pointer) const;

private:
    void index_text() const;

    std::string text_;
    std::string file_;
    // Built on first use, in one pass: offsets where lines begin, and per block of kBlock bytes the
    // number of UTF-8 continuation bytes before it, so that a column is found in O(1) (a plan
    // locates every value it reads; a minified plan is one long line).
    static constexpr std::size_t kBlock = 64;
    mutable std::vector<std::size_t> line_starts_;
    mutable std::vector<std::uint32_t> continuations_before_block_;
    JsonValue root_;
};

/// A human name for a JSON kind ("a string", "an object").
std::string_view describe_kind(JsonValue::Kind kind);

/// Escapes a JSON pointer token (~ → ~0, / → ~1).
std::string pointer_token(std::string_view key);

/// Line and 1-based character column of a byte offset in UTF-8 text.
std::pair<int, int> line_column(std::string_view text, std::size_t offset);

}  // namespace tgt::detail
