#pragma once
// A JSON tree that remembers where every value came from and keeps numbers as their original
// text, so amounts are never rounded through a double. Compact: the values sit in one flat array
// (an array's or object's children side by side), strings are views into the kept text (or into
// a side store when they had escapes), and a value's line:column and JSON pointer are made only
// when a diagnostic asks for them.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <iterator>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tgt/error.hpp"
#include "tgt/plan.hpp"

namespace tgt::detail {

class JsonValue;

class JsonItems;
class JsonMembers;

/// One value of a JsonDocument (56 bytes). Its children and parent are found by their distance in
/// the document's flat array, so a value is only meaningful where the document keeps it.
class JsonValue {
public:
    enum class Kind : std::uint8_t { null, boolean, number, string, array, object };

    std::string_view text;         ///< string contents, or a number's original text
    std::string_view key;          ///< for object members: the key naming it
    std::uint32_t offset = 0;      ///< byte offset of the value's first character
    std::uint32_t key_offset = 0;  ///< for object members: byte offset of the key's opening quote
    Kind kind = Kind::null;
    bool boolean = false;

    /// A dimension's "members" kept as text (JsonDocument::parse with `lazy_members`): items() is
    /// empty; MemberScan reads the members.
    bool lazy() const { return lazy_; }
    /// How many members a lazy() array holds (0 for one made by a MemberScan: not counted).
    std::size_t lazy_size() const { return lazy_ && !scanned_ ? count_ : 0; }
    /// Made by a MemberScan: not among the document's values, but its offsets are places in its text.
    bool scanned() const { return scanned_; }

    bool is_object() const { return kind == Kind::object; }
    bool is_array() const { return kind == Kind::array; }
    bool is_string() const { return kind == Kind::string; }
    bool is_number() const { return kind == Kind::number; }
    /// An array's items (none for other kinds).
    JsonItems items() const;
    /// An object's members in file order (none for other kinds).
    JsonMembers members() const;
    /// The member called `key`, or nullptr.
    const JsonValue* find(std::string_view name) const;
    /// The array or object holding this value, or nullptr for the root.
    const JsonValue* parent() const { return parent_ == 0 ? nullptr : this + parent_; }
    /// Its place among its parent's children (0 for the root).
    std::size_t index_in_parent() const {
        const JsonValue* p = parent();
        return p ? static_cast<std::size_t>(this - (p + p->first_)) : 0;
    }

private:
    friend class JsonDocument;
    friend class JsonParser;
    friend class MemberScan;
    bool lazy_ = false;
    bool scanned_ = false;
    std::int32_t first_ = 0;   // children start at this + first_
    std::uint32_t count_ = 0;  // number of children
    std::int32_t parent_ = 0;  // the parent is this + parent_ (0: none)
};

/// An array's items: a contiguous run of values.
class JsonItems {
public:
    JsonItems(const JsonValue* first, std::size_t count) : first_(first), count_(count) {}
    const JsonValue* begin() const { return first_; }
    const JsonValue* end() const { return first_ + count_; }
    std::size_t size() const { return count_; }
    bool empty() const { return count_ == 0; }
    const JsonValue& operator[](std::size_t i) const { return first_[i]; }

private:
    const JsonValue* first_;
    std::size_t count_;
};

/// An object's members in file order, as (key, value) pairs.
class JsonMembers {
public:
    class iterator {
    public:
        using iterator_category = std::forward_iterator_tag;
        using value_type = std::pair<std::string_view, const JsonValue&>;
        using difference_type = std::ptrdiff_t;
        explicit iterator(const JsonValue* at) : at_(at) {}
        value_type operator*() const;
        iterator& operator++() {
            ++at_;
            return *this;
        }
        bool operator==(const iterator& o) const { return at_ == o.at_; }
        bool operator!=(const iterator& o) const { return at_ != o.at_; }

    private:
        const JsonValue* at_;
    };
    JsonMembers(const JsonValue* first, std::size_t count) : first_(first), count_(count) {}
    iterator begin() const { return iterator(first_); }
    iterator end() const { return iterator(first_ + count_); }
    std::size_t size() const { return count_; }
    bool empty() const { return count_ == 0; }

private:
    const JsonValue* first_;
    std::size_t count_;
};

inline JsonItems JsonValue::items() const {
    return {this + first_, kind == Kind::array && !lazy_ ? count_ : 0};
}
inline JsonMembers JsonValue::members() const {
    return {this + first_, kind == Kind::object ? count_ : 0};
}
inline JsonMembers::iterator::value_type JsonMembers::iterator::operator*() const {
    return {at_->key, *at_};
}

/// The text of a JSON file and what turns a byte offset in it into a place: line:column (an index
/// built once) and the JSON pointer of the value starting there (found by reading the text again,
/// when a message asks). A plan's members keep their places in it (PlanPlace) once the document
/// itself is gone, so a plan keeps the text, not the tree.
class JsonText : public PlanPlace::Source {
public:
    JsonText(std::string text, std::string file);

    /// The text (read again from the file if it was let go).
    const std::string& text() const {
        if (let_go_) read_again();
        return text_;
    }
    /// Lets go of the text when it is the whole of a regular file: a large plan then keeps only
    /// its places. A place resolved later reads the file again, decoded by `limits` as before;
    /// if the file changed since, places name the file without a line. Call it before places are
    /// resolved from other threads (it is not synchronised with them).
    void let_go(const InputLimits& limits) const;
    const std::string& file() const { return file_; }
    /// `offset` as file:line:col, with `pointer`.
    SourceLocation locate_offset(std::size_t offset, std::string pointer) const;
    /// The JSON pointer of the value whose first character is at `offset` ("" when none starts
    /// there). The text must be valid JSON. Cheapest when asked in file order.
    std::string pointer_at(std::size_t offset) const;
    /// Where the value starting at byte `offset` sits.
    SourceLocation resolve(std::uint32_t offset) const override { return locate_offset(offset, pointer_at(offset)); }

private:
    void index_text() const;

    mutable std::string text_;  // mutable: let go and read again (see let_go)
    std::string file_;
    // Offsets where lines begin, and per block of kBlock bytes the number of UTF-8 continuation
    // bytes before it, so that a column is found in O(1) (a minified plan is one long line).
    static constexpr std::size_t kBlock = 64;
    void read_again() const;
    // The text is a copy of the file's: let go, it is read again once (from any thread).
    mutable bool let_go_ = false;
    mutable InputLimits limits_;
    mutable std::uint64_t size_ = 0, fingerprint_ = 0;
    mutable std::once_flag read_again_;
    mutable std::once_flag indexed_;
    mutable std::vector<std::uint32_t> line_starts_;
    mutable std::vector<std::uint32_t> continuations_before_block_;
    // pointer_at resumes where it stopped when asked about a later offset.
    struct Frame {
        bool object = false;
        std::size_t index = 0;  // arrays: the item being read
        std::string_view key;   // objects: the key being read, as written (escapes kept)
    };
    struct Scan {
        std::vector<Frame> stack;
        std::size_t pos = 0;
        bool want_value = true;
    };
    mutable std::mutex scan_mutex_;
    mutable Scan scan_;
};

/// The parsed file plus what is needed to turn offsets into line:column.
class JsonDocument {
public:
    /// Parses `text`; on failure throws Error with every problem found (syntax, duplicate keys,
    /// nesting deeper than `max_depth`, control characters in strings). `file` is used in messages only.
    /// With `lazy_members`, each /dimensions/N/members array of the common shape (see MemberScan)
    /// is checked but kept as text: a lazy() value with no items, read by a MemberScan.
    static JsonDocument parse(std::string text, std::string file, int max_depth = 64, bool lazy_members = false);

    const JsonValue& root() const { return nodes_.back(); }
    const std::string& file() const { return text_->file(); }
    /// Where a value sits, for diagnostics.
    SourceLocation locate(const JsonValue& value) const;
    /// Where an object member's key sits (for "unknown key" and the like).
    SourceLocation locate_key(const JsonValue& value) const;
    SourceLocation locate_offset(std::size_t offset, std::string pointer) const {
        return text_->locate_offset(offset, std::move(pointer));
    }
    /// The JSON pointer of a value of this document, e.g. /split/2/weights.
    static std::string pointer(const JsonValue& value);
    /// Whether `value` is one of this document's values.
    bool holds(const JsonValue& value) const;
    /// The text, which outlives the document when kept: PlanPlace(text(), value.offset) resolves
    /// to the place locate(value) gives.
    std::shared_ptr<const JsonText> text() const { return text_; }

private:
    std::shared_ptr<const JsonText> text_;  // on the heap: values view into it, and documents move
    std::vector<JsonValue> nodes_;          // children before their parent; the root last
    std::deque<std::string> unescaped_;     // strings and keys that had escapes
};

/// One member of a lazy() members array, as values that point into the text (each scanned()).
struct ScannedMember {
    JsonValue item;     ///< the member's object, or its id string
    JsonValue id;       ///< the id (the item itself when the member is a string)
    JsonValue name;     ///< kind null when absent (likewise below)
    JsonValue weight;   ///< a number or a string
    JsonValue amount;   ///< a number or a string
    JsonValue members;  ///< a lazy() array
    bool has_name = false, has_weight = false, has_amount = false, has_members = false;
};

/// Reads the members of a lazy() array, one at a time. The array's shape was checked when the
/// document was parsed: items are id strings or objects with a string "id" and at most "name" (a
/// string), one of "weight" and "amount" (a number or a string) and "members" (such an array, not
/// empty), each key once; strings without escapes. Anything else is parsed into values as usual.
class MemberScan {
public:
    /// The members of `list` (a lazy() value of a document whose text is `text`).
    MemberScan(const std::string& text, const JsonValue& list);
    /// The next member into `out`; false after the last.
    bool next(ScannedMember& out);

private:
    void skip_space();
    JsonValue scalar(std::size_t key_offset, std::string_view key);
    std::size_t skip_array(std::size_t pos) const;

    std::string_view s_;
    std::size_t pos_;
    bool done_ = false;
};

/// A human name for a JSON kind ("a string", "an object").
std::string_view describe_kind(JsonValue::Kind kind);

/// Escapes a JSON pointer token (~ → ~0, / → ~1).
std::string pointer_token(std::string_view key);

/// Line and 1-based character column of a byte offset in UTF-8 text.
std::pair<int, int> line_column(std::string_view text, std::size_t offset);

}  // namespace tgt::detail
