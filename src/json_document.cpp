#include "json_document.hpp"

#include <fmt/format.h>

#include "tgt/csv.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <iterator>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>

namespace tgt::detail {

const JsonValue* JsonValue::find(std::string_view name) const {
    for (const auto& [k, v] : members())
        if (k == name) return &v;
    return nullptr;
}

std::string_view describe_kind(JsonValue::Kind kind) {
    switch (kind) {
        case JsonValue::Kind::null:
            return "null";
        case JsonValue::Kind::boolean:
            return "a boolean";
        case JsonValue::Kind::number:
            return "a number";
        case JsonValue::Kind::string:
            return "a string";
        case JsonValue::Kind::array:
            return "an array";
        case JsonValue::Kind::object:
            return "an object";
    }
    return "?";
}

namespace {
// A key as one JSON pointer token (~ → ~0, / → ~1), appended to `out`; plain keys whole.
void append_token(std::string& out, std::string_view key) {
    if (key.find_first_of("~/") == std::string_view::npos) {
        out += key;
        return;
    }
    for (char c : key) {
        if (c == '~')
            out += "~0";
        else if (c == '/')
            out += "~1";
        else
            out += c;
    }
}

}  // namespace

std::string pointer_token(std::string_view key) {
    std::string out;
    append_token(out, key);
    return out;
}

std::pair<int, int> line_column(std::string_view text, std::size_t offset) {
    int line = 1, column = 1;
    offset = std::min(offset, text.size());
    for (std::size_t i = 0; i < offset; ++i) {
        unsigned char c = static_cast<unsigned char>(text[i]);
        if (c == '\n') {
            ++line;
            column = 1;
        } else if ((c & 0xC0) != 0x80) {
            ++column;  // count characters, not UTF-8 continuation bytes
        }
    }
    return {line, column};
}

// JSON can escape any character into a string (\u0000); a plan has no use for control characters
// other than tab and line breaks, and a NUL would cut an id short in C APIs.
static bool control_character(unsigned char c) {
    return !((c >= 0x20 && c != 0x7f) || c == '\t' || c == '\n' || c == '\r');
}

// The fast reader: JSON as RFC 8259 and nlohmann's parser take it, into the flat array. It does
// not explain problems: on the first one (a syntax error, a duplicate key, a control character, a
// nesting too deep) it stops, and the document is read again by the reporting reader below,
// which says what nlohmann says, where, for every problem.
class JsonParser {
public:
    JsonParser(std::string_view text, std::size_t start, int max_depth, std::vector<JsonValue>& nodes,
               std::deque<std::string>& unescaped, bool lazy_members)
        : s_(text.data()),
          n_(text.size()),
          pos_(start),
          max_depth_(max_depth),
          lazy_members_(lazy_members),
          nodes_(nodes),
          unescaped_(unescaped) {}

    bool run() {
        // At most one value more than the commas and opening brackets: room for all, so the array
        // never grows by copying.
        std::size_t bound = 1;
        for (std::size_t i = pos_; i < n_; ++i)
            bound += s_[i] == ',' || s_[i] == '[' || s_[i] == '{';
        nodes_.reserve(bound);
        pending_.reserve(64);
        JsonValue root;
        if (!value(0, root, lazy_members_ ? Path::root : Path::other)) return false;
        skip_space();
        if (pos_ != n_) return false;
        nodes_.push_back(root);
        fix_children(nodes_.size() - 1, 1);
        // Lazy members leave most of the room unused: give it back (values hold relative places).
        if (nodes_.capacity() > 2 * nodes_.size() + 4096) nodes_.shrink_to_fit();
        // Children learn where their parent is once every value has its place.
        for (std::size_t i = 0; i < nodes_.size(); ++i) {
            JsonValue& p = nodes_[i];
            if ((p.kind != JsonValue::Kind::array && p.kind != JsonValue::Kind::object) || p.lazy_) continue;
            for (std::uint32_t c = 0; c < p.count_; ++c) {
                std::size_t child = static_cast<std::size_t>(static_cast<std::int64_t>(i) + p.first_ + c);
                nodes_[child].parent_ =
                    static_cast<std::int32_t>(static_cast<std::int64_t>(i) - static_cast<std::int64_t>(child));
            }
        }
        return true;
    }

private:
    // Where a value sits, as far as lazy members care: /dimensions/N/members.
    enum class Path { other, root, dimensions, dimension, members };

    void skip_space() {
        while (pos_ < n_) {
            char c = s_[pos_];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') return;
            ++pos_;
        }
    }

    bool value(int depth, JsonValue& out, Path path = Path::other) {
        skip_space();
        if (pos_ >= n_) return false;
        out.offset = static_cast<std::uint32_t>(pos_);
        char c = s_[pos_];
        switch (c) {
            case '{':
                return container(depth, out, JsonValue::Kind::object, path);
            case '[':
                if (std::size_t items = 0; path == Path::members && skim_members(depth, items)) {
                    out.kind = JsonValue::Kind::array;
                    out.lazy_ = true;
                    out.count_ = static_cast<std::uint32_t>(items);
                    return true;
                }
                pos_ = out.offset;  // not the common shape (or not JSON): read it as values
                return container(depth, out, JsonValue::Kind::array, path);
            case '"':
                out.kind = JsonValue::Kind::string;
                return string(out.text);
            case 't':
                out.kind = JsonValue::Kind::boolean;
                out.boolean = true;
                return literal("true");
            case 'f':
                out.kind = JsonValue::Kind::boolean;
                return literal("false");
            case 'n':
                out.kind = JsonValue::Kind::null;
                return literal("null");
            default:
                out.kind = JsonValue::Kind::number;
                return number(out.text);
        }
    }

    bool literal(std::string_view word) {
        if (std::string_view(s_ + pos_, std::min(word.size(), n_ - pos_)) != word) return false;
        pos_ += word.size();
        return true;
    }

    bool digits() {
        std::size_t from = pos_;
        while (pos_ < n_ && s_[pos_] >= '0' && s_[pos_] <= '9')
            ++pos_;
        return pos_ > from;
    }

    // -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? whose value is finite as a double (nlohmann
    // refuses "1e400": number overflow).
    bool number(std::string_view& text) {
        std::size_t from = pos_;
        if (pos_ < n_ && s_[pos_] == '-') ++pos_;
        if (pos_ >= n_) return false;
        if (s_[pos_] == '0')
            ++pos_;
        else if (!(s_[pos_] >= '1' && s_[pos_] <= '9') || !digits())
            return false;
        std::size_t whole_digits = pos_ - from;
        if (pos_ < n_ && s_[pos_] == '.') {
            ++pos_;
            if (!digits()) return false;
        }
        long exponent = 0;
        if (pos_ < n_ && (s_[pos_] == 'e' || s_[pos_] == 'E')) {
            ++pos_;
            bool minus = false;
            if (pos_ < n_ && (s_[pos_] == '+' || s_[pos_] == '-')) minus = s_[pos_++] == '-';
            std::size_t e = pos_;
            if (!digits()) return false;
            for (std::size_t i = e; i < pos_ && exponent < 100000; ++i)
                exponent = exponent * 10 + (s_[i] - '0');
            if (minus) exponent = -exponent;
        }
        text = std::string_view(s_ + from, pos_ - from);
        if (static_cast<long>(whole_digits) + exponent > 300) {
            std::string copy(text);
            double d = std::strtod(copy.c_str(), nullptr);
            if (std::isinf(d)) return false;
        }
        return true;
    }

    // A UTF-8 sequence after its lead byte at pos_ - 1, as nlohmann's lexer checks it.
    bool utf8_tail(unsigned char lead) {
        auto in = [&](unsigned char lo, unsigned char hi) {
            if (pos_ >= n_) return false;
            auto b = static_cast<unsigned char>(s_[pos_]);
            if (b < lo || b > hi) return false;
            ++pos_;
            return true;
        };
        if (lead >= 0xC2 && lead <= 0xDF) return in(0x80, 0xBF);
        if (lead == 0xE0) return in(0xA0, 0xBF) && in(0x80, 0xBF);
        if ((lead >= 0xE1 && lead <= 0xEC) || lead == 0xEE || lead == 0xEF) return in(0x80, 0xBF) && in(0x80, 0xBF);
        if (lead == 0xED) return in(0x80, 0x9F) && in(0x80, 0xBF);
        if (lead == 0xF0) return in(0x90, 0xBF) && in(0x80, 0xBF) && in(0x80, 0xBF);
        if (lead >= 0xF1 && lead <= 0xF3) return in(0x80, 0xBF) && in(0x80, 0xBF) && in(0x80, 0xBF);
        if (lead == 0xF4) return in(0x80, 0x8F) && in(0x80, 0xBF) && in(0x80, 0xBF);
        return false;
    }

    bool hex4(unsigned& out) {
        if (n_ - pos_ < 4) return false;
        out = 0;
        for (int i = 0; i < 4; ++i) {
            char c = s_[pos_++];
            unsigned v;
            if (c >= '0' && c <= '9')
                v = static_cast<unsigned>(c - '0');
            else if (c >= 'a' && c <= 'f')
                v = static_cast<unsigned>(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F')
                v = static_cast<unsigned>(c - 'A' + 10);
            else
                return false;
            out = out * 16 + v;
        }
        return true;
    }

    static void append_utf8(std::string& out, unsigned cp) {
        if (cp < 0x80) {
            out += static_cast<char>(cp);
        } else if (cp < 0x800) {
            out += static_cast<char>(0xC0 | (cp >> 6));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            out += static_cast<char>(0xE0 | (cp >> 12));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else {
            out += static_cast<char>(0xF0 | (cp >> 18));
            out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        }
    }

    // One escape after its backslash; appends what it stands for when `out` is given.
    bool escape(std::string* out) {
        if (pos_ >= n_) return false;
        char c = s_[pos_++];
        char plain = 0;
        switch (c) {
            case '"':
            case '\\':
            case '/':
                plain = c;
                break;
            case 'b':
                plain = '\b';
                break;
            case 'f':
                plain = '\f';
                break;
            case 'n':
                plain = '\n';
                break;
            case 'r':
                plain = '\r';
                break;
            case 't':
                plain = '\t';
                break;
            case 'u': {
                unsigned cp = 0;
                if (!hex4(cp)) return false;
                if (cp >= 0xDC00 && cp <= 0xDFFF) return false;
                if (cp >= 0xD800 && cp <= 0xDBFF) {
                    unsigned low = 0;
                    if (n_ - pos_ < 2 || s_[pos_] != '\\' || s_[pos_ + 1] != 'u') return false;
                    pos_ += 2;
                    if (!hex4(low) || low < 0xDC00 || low > 0xDFFF) return false;
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                }
                if (out) append_utf8(*out, cp);
                return true;
            }
            default:
                return false;
        }
        if (out) *out += plain;
        return true;
    }

    // A string at pos_ (its opening quote): its contents as a view into the text, or into the
    // side store when it has escapes. Control characters (escaped ones too) stop the reading.
    bool string(std::string_view& text) {
        std::size_t from = ++pos_;
        bool escaped = false;
        while (true) {
            while (pos_ < n_) {
                auto c = static_cast<unsigned char>(s_[pos_]);
                if (c == '"' || c == '\\' || c < 0x20 || c >= 0x7f) break;
                ++pos_;
            }
            if (pos_ >= n_) return false;
            auto c = static_cast<unsigned char>(s_[pos_++]);
            if (c == '"') break;
            if (c == '\\') {
                escaped = true;
                if (!escape(nullptr)) return false;
            } else if (c < 0x20 || c == 0x7f) {
                return false;
            } else if (!utf8_tail(c)) {
                return false;
            }
        }
        std::size_t end = pos_ - 1;
        if (!escaped) {
            text = std::string_view(s_ + from, end - from);
            return true;
        }
        std::string out;
        out.reserve(end - from);
        std::size_t resume = pos_;
        for (pos_ = from; pos_ < end;) {
            if (s_[pos_] == '\\') {
                ++pos_;
                escape(&out);
            } else {
                out += s_[pos_++];
            }
        }
        pos_ = resume;
        for (unsigned char c : out)
            if (control_character(c)) return false;
        unescaped_.push_back(std::move(out));
        text = unescaped_.back();
        return true;
    }

    // A plain string (no escapes) at pos_, into `text`; false (pos_ anywhere) for any other string.
    bool plain_string(std::string_view& text) {
        std::size_t before = unescaped_.size();
        if (!string(text)) return false;
        if (unescaped_.size() == before) return true;
        unescaped_.pop_back();
        return false;
    }

    // A dimension's "members" at pos_ ('[') in the shape MemberScan reads (see json_document.hpp),
    // checked as value() would check it but kept as text: true with pos_ past it; false (pos_
    // anywhere) when it is not of that shape or not JSON, and the caller reads it as values.
    bool skim_members(int depth, std::size_t& items) {
        if (depth >= max_depth_) return false;
        ++pos_;
        skip_space();
        if (pos_ >= n_ || s_[pos_] == ']') return false;  // empty: the reader says so at its place
        while (true) {
            skip_space();
            if (pos_ >= n_) return false;
            std::string_view text;
            if (s_[pos_] == '"') {
                if (!plain_string(text)) return false;
            } else if (s_[pos_] != '{' || !skim_member(depth + 1)) {
                return false;
            }
            ++items;
            skip_space();
            if (pos_ >= n_) return false;
            char c = s_[pos_++];
            if (c == ']') return true;
            if (c != ',') return false;
        }
    }

    // One member object of the common shape at pos_ ('{').
    bool skim_member(int depth) {
        if (depth >= max_depth_) return false;
        ++pos_;
        unsigned seen = 0;  // bit k: kMemberKeys[k] was given
        while (true) {
            skip_space();
            std::string_view key, text;
            if (pos_ >= n_ || s_[pos_] != '"' || !plain_string(key)) return false;
            unsigned k = 0;
            while (k < std::size(kMemberKeys) && kMemberKeys[k] != key)
                ++k;
            if (k == std::size(kMemberKeys) || (seen & (1u << k))) return false;
            seen |= 1u << k;
            skip_space();
            if (pos_ >= n_ || s_[pos_] != ':') return false;
            ++pos_;
            skip_space();
            if (pos_ >= n_) return false;
            char c = s_[pos_];
            if (k == 4) {  // members
                std::size_t items = 0;
                if (c != '[' || !skim_members(depth + 1, items)) return false;
            } else if (c == '"') {
                if (!plain_string(text)) return false;
            } else if (k < 2 || !(c == '-' || (c >= '0' && c <= '9')) || !number(text)) {
                return false;  // an id or name that is not a string; a weight that is not a number
            }
            skip_space();
            if (pos_ >= n_) return false;
            c = s_[pos_++];
            if (c == '}') break;
            if (c != ',') return false;
        }
        return (seen & 1u) && (seen & 12u) != 12u;  // an id; not both a weight and an amount
    }

    static constexpr std::string_view kMemberKeys[] = {"id", "name", "weight", "amount", "members"};

    bool container(int depth, JsonValue& out, JsonValue::Kind kind, Path path) {
        if (depth >= max_depth_) return false;
        out.kind = kind;
        ++pos_;
        std::size_t first = pending_.size();
        char close = kind == JsonValue::Kind::object ? '}' : ']';
        skip_space();
        if (pos_ < n_ && s_[pos_] == close) {
            ++pos_;
        } else {
            while (true) {
                JsonValue item;
                if (kind == JsonValue::Kind::object) {
                    skip_space();
                    if (pos_ >= n_ || s_[pos_] != '"') return false;
                    item.key_offset = static_cast<std::uint32_t>(pos_);
                    if (!string(item.key)) return false;
                    skip_space();
                    if (pos_ >= n_ || s_[pos_] != ':') return false;
                    ++pos_;
                }
                if (!value(depth + 1, item, child_path(path, item.key))) return false;
                pending_.push_back(item);
                skip_space();
                if (pos_ >= n_) return false;
                char c = s_[pos_++];
                if (c == close) break;
                if (c != ',') return false;
            }
        }
        if (kind == JsonValue::Kind::object && has_duplicate_key(first)) return false;
        // The children take their places side by side, before their parent (whose index is known
        // only when its own parent closes): first_ is set relative to the parent's final place
        // by `adopt` below.
        std::size_t count = pending_.size() - first;
        out.count_ = static_cast<std::uint32_t>(count);
        std::size_t at = nodes_.size();
        nodes_.insert(nodes_.end(), pending_.begin() + static_cast<std::ptrdiff_t>(first), pending_.end());
        pending_.resize(first);
        out.first_ = static_cast<std::int32_t>(at);  // absolute for now; made relative when placed
        fix_children(at, count);
        return true;
    }

    static Path child_path(Path parent, std::string_view key) {
        if (parent == Path::root && key == "dimensions") return Path::dimensions;
        if (parent == Path::dimensions) return Path::dimension;
        if (parent == Path::dimension && key == "members") return Path::members;
        return Path::other;
    }

    // The children just placed at [at, at + count) hold absolute child indices; make them relative.
    void fix_children(std::size_t at, std::size_t count) {
        for (std::size_t i = at; i < at + count; ++i) {
            JsonValue& v = nodes_[i];
            if (v.kind == JsonValue::Kind::array || v.kind == JsonValue::Kind::object)
                v.first_ = static_cast<std::int32_t>(v.first_ - static_cast<std::int64_t>(i));
        }
    }

    bool has_duplicate_key(std::size_t first) {
        std::size_t count = pending_.size() - first;
        if (count < 2) return false;
        if (count <= 16) {
            for (std::size_t i = first; i < pending_.size(); ++i)
                for (std::size_t j = first; j < i; ++j)
                    if (pending_[i].key == pending_[j].key) return true;
            return false;
        }
        keys_.clear();
        for (std::size_t i = first; i < pending_.size(); ++i)
            keys_.push_back(pending_[i].key);
        std::sort(keys_.begin(), keys_.end());
        return std::adjacent_find(keys_.begin(), keys_.end()) != keys_.end();
    }

    const char* s_;
    std::size_t n_;
    std::size_t pos_;
    int max_depth_;
    bool lazy_members_;
    std::vector<JsonValue>& nodes_;
    std::deque<std::string>& unescaped_;
    std::vector<JsonValue> pending_;  // values read whose container is still open
    std::vector<std::string_view> keys_;
};

namespace {

// An input iterator over the text that tells the SAX handler how far the lexer has read.
struct CountingIterator {
    using iterator_category = std::input_iterator_tag;
    using value_type = char;
    using difference_type = std::ptrdiff_t;
    using pointer = const char*;
    using reference = const char&;

    const char* at = nullptr;
    std::size_t* consumed = nullptr;

    reference operator*() const { return *at; }
    CountingIterator& operator++() {
        ++at;
        ++*consumed;
        return *this;
    }
    CountingIterator operator++(int) {
        CountingIterator old = *this;
        ++*this;
        return old;
    }
    bool operator==(const CountingIterator& o) const { return at == o.at; }
    bool operator!=(const CountingIterator& o) const { return at != o.at; }
};

// The reporting reader, for a text the fast reader stopped on: nlohmann's SAX events with the
// lexer's position, reporting every problem with its place and JSON pointer. It builds no tree.
class Reporter : public nlohmann::json_sax<nlohmann::json> {
public:
    Reporter(const JsonDocument& doc, const std::string& text, const std::size_t& consumed, Diagnostics& problems,
             int max_depth)
        : doc_(doc), text_(text), consumed_(consumed), problems_(problems), max_depth_(max_depth) {}

    bool null() override { return place(); }
    bool boolean(bool) override { return place(); }
    bool number_integer(number_integer_t) override { return place(); }
    bool number_unsigned(number_unsigned_t) override { return place(); }
    bool number_float(number_float_t, const string_t&) override { return place(); }
    bool string(string_t& s) override {
        check_characters(s, string_start(), current_pointer());
        return place();
    }
    bool binary(binary_t&) override { return false; }
    bool start_object(std::size_t) override { return open(true); }
    bool key(string_t& k) override {
        Frame& top = stack_.back();
        if (!top.keys.insert(k).second) {
            problems_.error(doc_.locate_offset(string_start(), top.pointer + "/" + pointer_token(k)),
                            fmt::format("duplicate key \"{}\"", k),
                            "each key may appear once in an object; remove or rename one of them");
        }
        check_characters(k, string_start(), top.pointer + "/" + pointer_token(k));
        pending_key_ = std::move(k);
        return true;
    }
    bool end_object() override { return close(); }
    bool start_array(std::size_t) override { return open(false); }
    bool end_array() override { return close(); }
    bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& ex) override {
        std::string what = ex.what();
        // nlohmann's message reads "[json.exception.parse_error.101] parse error at line 1, column 2: <detail>".
        if (auto colon = what.find(": "); colon != std::string::npos) what = what.substr(colon + 2);
        // Drop nlohmann's echo of the bytes read: it may be invalid UTF-8 itself.
        if (auto echo = what.find("; last read: "); echo != std::string::npos) what.erase(echo);
        if (what.rfind("syntax error while parsing value - ", 0) == 0)
            what = what.substr(std::string("syntax error while parsing value - ").size());
        std::size_t at = position > 0 ? position - 1 : 0;
        problems_.error(doc_.locate_offset(at, current_pointer()), "malformed JSON: " + what,
                        "check the brackets, commas and quotes near this point");
        return false;
    }

private:
    void check_characters(const std::string& s, std::size_t offset, const std::string& pointer) {
        for (unsigned char c : s) {
            if (!control_character(c)) continue;
            problems_.error(doc_.locate_offset(offset, pointer),
                            fmt::format("a control character (U+{:04X}) in a string", static_cast<unsigned>(c)),
                            "remove it; ids and names are printable text");
            return;
        }
    }

    struct Frame {
        bool object = false;
        std::size_t items = 0;
        std::string pointer;
        std::set<std::string> keys;
        std::string key_in_parent;  // restored when the frame closes
    };

    std::size_t end() const { return std::min(consumed_, text_.size()); }

    std::size_t string_start() const {
        // The lexer stopped right after the closing quote; the opening quote is the first quote
        // going back that is not escaped.
        std::size_t p = end();
        if (p == 0) return 0;
        std::size_t close = p - 1;
        for (std::size_t q = close; q-- > 0;) {
            if (text_[q] != '"') continue;
            std::size_t backslashes = 0;
            for (std::size_t b = q; b-- > 0 && text_[b] == '\\';)
                ++backslashes;
            if (backslashes % 2 == 0) return q;
        }
        return 0;
    }

    std::string current_pointer() const {
        if (stack_.empty()) return "";
        const Frame& top = stack_.back();
        if (top.object) return pending_key_.empty() ? top.pointer : top.pointer + "/" + pointer_token(pending_key_);
        return top.pointer + "/" + std::to_string(top.items);
    }

    bool open(bool object) {
        if (static_cast<int>(stack_.size()) >= max_depth_) {
            problems_.error(doc_.locate_offset(end() - 1, current_pointer()),
                            fmt::format("nesting deeper than {} levels", max_depth_),
                            "a plan never needs this depth; check for runaway brackets");
            return false;
        }
        Frame frame;
        frame.object = object;
        frame.pointer = current_pointer();
        frame.key_in_parent = std::move(pending_key_);
        pending_key_.clear();
        stack_.push_back(std::move(frame));
        return true;
    }

    bool close() {
        pending_key_ = std::move(stack_.back().key_in_parent);
        stack_.pop_back();
        return place();
    }

    bool place() {
        if (!stack_.empty()) {
            if (stack_.back().object)
                pending_key_.clear();
            else
                ++stack_.back().items;
        }
        return true;
    }

    const JsonDocument& doc_;
    const std::string& text_;
    const std::size_t& consumed_;
    Diagnostics& problems_;
    int max_depth_;
    std::vector<Frame> stack_;
    std::string pending_key_;
};

}  // namespace

JsonDocument JsonDocument::parse(std::string text, std::string file, int max_depth, bool lazy_members) {
    JsonDocument doc;
    doc.text_ = std::make_shared<const JsonText>(std::move(text), std::move(file));
    const std::string& t = doc.text_->text();
    // A UTF-8 byte-order mark is harmless; skip it (offsets stay the same).
    std::size_t start = 0;
    if (t.rfind("\xEF\xBB\xBF", 0) == 0) start = 3;
    Diagnostics problems;
    // A NUL byte ends the text for the JSON reader: what follows would be ignored unseen.
    if (auto nul = t.find('\0'); nul != std::string::npos) {
        problems.error(doc.locate_offset(nul, ""), "a NUL byte in the file",
                       "a plan is UTF-8 text; is this file UTF-16, or not a plan?");
        problems.throw_if_errors();
    }
    if (t.size() >= std::numeric_limits<std::uint32_t>::max())
        throw Error::input({doc.file(), 0, 0, ""}, "a JSON file of 4 GiB or more", "split the input");
    // nlohmann skips a second byte-order mark too (and refuses a partial one: the reporter says so).
    std::size_t fast_start = start;
    if (t.compare(fast_start, 3, "\xEF\xBB\xBF") == 0) fast_start += 3;
    JsonParser fast(t, fast_start, max_depth, doc.nodes_, doc.unescaped_, lazy_members);
    if (fast.run()) return doc;
    doc.nodes_.clear();
    doc.unescaped_.clear();
    std::size_t consumed = start;
    Reporter reporter(doc, t, consumed, problems, max_depth);
    CountingIterator first{t.data() + start, &consumed};
    CountingIterator last{t.data() + t.size(), &consumed};
    bool ok = nlohmann::json::sax_parse(first, last, &reporter, nlohmann::json::input_format_t::json, true);
    if (!ok && !problems.has_errors()) problems.error(doc.locate_offset(consumed, ""), "malformed JSON");
    if (!problems.has_errors())  // the two readers disagree: never expected, but never silent
        problems.error(doc.locate_offset(0, ""), "malformed JSON");
    problems.throw_if_errors();
    return doc;
}

namespace {

void append_pointer(std::string& out, const JsonValue& v) {
    const JsonValue* p = v.parent();
    if (!p) return;
    append_pointer(out, *p);
    out += '/';
    if (p->kind == JsonValue::Kind::object) {
        append_token(out, v.key);
    } else {
        char digits[24];
        auto [end, ec] = std::to_chars(digits, digits + sizeof digits, v.index_in_parent());
        out.append(digits, end);
    }
}

}  // namespace

std::string JsonDocument::pointer(const JsonValue& value) {
    std::string out;
    append_pointer(out, value);
    return out;
}

bool JsonDocument::holds(const JsonValue& value) const {
    std::less<const JsonValue*> before;
    return !nodes_.empty() && !before(&value, nodes_.data()) && before(&value, nodes_.data() + nodes_.size());
}

SourceLocation JsonDocument::locate(const JsonValue& value) const {
    return locate_offset(value.offset, value.scanned() ? text_->pointer_at(value.offset) : pointer(value));
}

SourceLocation JsonDocument::locate_key(const JsonValue& value) const {
    return locate_offset(value.key_offset, value.scanned() ? text_->pointer_at(value.offset) : pointer(value));
}

MemberScan::MemberScan(const std::string& text, const JsonValue& list) : s_(text), pos_(list.offset + 1) {}

void MemberScan::skip_space() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\n' || s_[pos_] == '\r' || s_[pos_] == '\t'))
        ++pos_;
}

// The string (no escapes) or number at pos_.
JsonValue MemberScan::scalar(std::size_t key_offset, std::string_view key) {
    JsonValue v;
    v.scanned_ = true;
    v.key = key;
    v.key_offset = static_cast<std::uint32_t>(key_offset);
    v.offset = static_cast<std::uint32_t>(pos_);
    std::size_t end;
    if (s_[pos_] == '"') {
        v.kind = JsonValue::Kind::string;
        end = s_.find('"', pos_ + 1);
        v.text = s_.substr(pos_ + 1, end - pos_ - 1);
        ++end;
    } else {
        v.kind = JsonValue::Kind::number;
        end = s_.find_first_of(",}] \n\r\t", pos_);
        v.text = s_.substr(pos_, end - pos_);
    }
    pos_ = end;
    return v;
}

// Just past the array whose '[' is at `pos` (its strings have no escapes).
std::size_t MemberScan::skip_array(std::size_t pos) const {
    int open = 0;
    for (; pos < s_.size(); ++pos) {
        char c = s_[pos];
        if (c == '"')
            pos = s_.find('"', pos + 1);
        else if (c == '[')
            ++open;
        else if (c == ']' && --open == 0)
            return pos + 1;
    }
    return pos;
}

bool MemberScan::next(ScannedMember& out) {
    if (done_) return false;
    out = ScannedMember{};
    skip_space();
    if (s_[pos_] == '"') {
        out.item = scalar(0, {});
        out.id = out.item;
    } else {
        out.item.kind = JsonValue::Kind::object;
        out.item.scanned_ = true;
        out.item.offset = static_cast<std::uint32_t>(pos_);
        ++pos_;
        while (true) {
            skip_space();
            std::size_t key_offset = pos_;
            std::size_t key_end = s_.find('"', pos_ + 1);
            std::string_view key = s_.substr(pos_ + 1, key_end - pos_ - 1);
            pos_ = key_end + 1;
            skip_space();
            ++pos_;  // ':'
            skip_space();
            if (key == "members") {
                out.has_members = true;
                out.members.kind = JsonValue::Kind::array;
                out.members.lazy_ = out.members.scanned_ = true;
                out.members.key = key;
                out.members.key_offset = static_cast<std::uint32_t>(key_offset);
                out.members.offset = static_cast<std::uint32_t>(pos_);
                pos_ = skip_array(pos_);
            } else {
                JsonValue v = scalar(key_offset, key);
                if (key == "id") {
                    out.id = v;
                } else if (key == "name") {
                    out.name = v;
                    out.has_name = true;
                } else if (key == "weight") {
                    out.weight = v;
                    out.has_weight = true;
                } else {
                    out.amount = v;
                    out.has_amount = true;
                }
            }
            skip_space();
            if (s_[pos_++] == '}') break;
        }
    }
    skip_space();
    done_ = s_[pos_++] == ']';
    return true;
}

JsonText::JsonText(std::string text, std::string file)
    : text_(std::move(text)), file_(std::move(file)), size_(text_.size()) {}

namespace {

// That a file read again is the one read before: a hash of every byte (a change that keeps the
// size and the hash is as unlikely as a collision of 64-bit hashes), the size compared too.
std::uint64_t fingerprint(std::string_view text) {
    return std::hash<std::string_view>{}(text);
}

}  // namespace

void JsonText::let_go(const InputLimits& limits) const {
    std::error_code ec;
    if (let_go_ || text_.size() <= limits.keep_text_bytes || !std::filesystem::is_regular_file(file_, ec)) return;
    limits_ = limits;
    fingerprint_ = fingerprint(text_);
    {
        // pointer_at's walk keeps views into the text (the keys of the open objects): they go with
        // it. (The line index stays: a text read again is the same, or not used.)
        std::lock_guard lock(scan_mutex_);
        scan_ = Scan{};
    }
    std::string().swap(text_);
    let_go_ = true;
}

void JsonText::read_again() const {
    std::call_once(read_again_, [this] {
        try {
            std::error_code ec;
            if (!std::filesystem::is_regular_file(file_, ec)) return;  // a pipe now: never wait on it
            std::string again = read_text_file(file_, limits_);
            if (again.size() == size_ && fingerprint(again) == fingerprint_) text_ = std::move(again);
        } catch (const std::exception&) {
            // gone or unreadable since: places name the file without a line
        }
    });
}

// Built when the first place is resolved (once, from any thread): a plan without problems never
// pays for a pass over its text.
void JsonText::index_text() const {
    // Offsets are 32 bits: the reader refuses a text of 4 GiB or more (past that, places are not exact).
    const std::string_view text = std::string_view(text_).substr(0, std::numeric_limits<std::uint32_t>::max() - 1);
    line_starts_.push_back(0);
    continuations_before_block_.reserve(text.size() / kBlock + 1);
    std::uint32_t continuations = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (i % kBlock == 0) continuations_before_block_.push_back(continuations);
        unsigned char c = static_cast<unsigned char>(text[i]);
        if (c == '\n') line_starts_.push_back(static_cast<std::uint32_t>(i + 1));
        if ((c & 0xC0) == 0x80) ++continuations;
    }
    if (text.size() % kBlock == 0) continuations_before_block_.push_back(continuations);
}

SourceLocation JsonText::locate_offset(std::size_t offset, std::string pointer) const {
    const std::string& text = this->text();
    if (text.size() != size_) return {file_, 0, 0, std::move(pointer)};  // the file changed: no line
    std::call_once(indexed_, [this] { index_text(); });
    offset = std::min(offset, text.size());
    auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset) - 1;
    // Columns count characters: bytes since the line began, less the continuation bytes among them.
    auto continuations_before = [&](std::size_t at) -> std::size_t {
        if (at >= text.size()) at = text.size();
        std::size_t block = at / kBlock;
        std::size_t n = block < continuations_before_block_.size() ? continuations_before_block_[block] : 0;
        for (std::size_t i = block * kBlock; i < at; ++i)
            n += (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80 ? 1 : 0;
        return n;
    };
    std::size_t start = *it;
    std::size_t column = offset - start - (continuations_before(offset) - continuations_before(start)) + 1;
    return {file_, static_cast<int>(it - line_starts_.begin()) + 1, static_cast<int>(column), std::move(pointer)};
}

namespace {

// The end of the string whose opening quote is at `pos` (just past its closing quote).
std::size_t skip_string(const std::string& s, std::size_t pos) {
    for (++pos; pos < s.size(); ++pos) {
        if (s[pos] == '\\')
            ++pos;
        else if (s[pos] == '"')
            return pos + 1;
    }
    return pos;
}

}  // namespace

// A walk over valid JSON that knows, at each value it meets, the path to it: the frames of the
// open arrays (with the item's index) and objects (with the key being read).
std::string JsonText::pointer_at(std::size_t offset) const {
    const std::string& s = text();
    std::lock_guard lock(scan_mutex_);
    if (offset < scan_.pos) scan_ = Scan{};
    Scan& at = scan_;
    while (at.pos < s.size() && at.pos <= offset) {
        char c = s[at.pos];
        if (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\xEF' || c == '\xBB' || c == '\xBF') {
            ++at.pos;  // space, or a byte-order mark before the root (a string's bytes never land here)
            continue;
        }
        if (at.want_value && at.pos == offset) {
            std::string out;
            for (const Frame& f : at.stack) {
                out += '/';
                if (!f.object) {
                    out += std::to_string(f.index);
                } else if (f.key.find('\\') == std::string_view::npos) {
                    append_token(out, f.key);
                } else {  // a key with escapes: the document's reader says what it stands for
                    append_token(out, JsonDocument::parse("\"" + std::string(f.key) + "\"", "").root().text);
                }
            }
            return out;
        }
        if (c == '{' || c == '[') {
            at.stack.push_back({c == '{', 0, {}});
            at.want_value = c == '[';
            ++at.pos;
        } else if (c == '}' || c == ']') {
            at.stack.pop_back();
            at.want_value = false;
            ++at.pos;
        } else if (c == ',') {
            if (!at.stack.empty() && !at.stack.back().object) {
                ++at.stack.back().index;
                at.want_value = true;
            }
            ++at.pos;
        } else if (c == ':') {
            at.want_value = true;
            ++at.pos;
        } else if (c == '"') {
            std::size_t end = skip_string(s, at.pos);
            if (!at.want_value && !at.stack.empty() && at.stack.back().object)
                at.stack.back().key = std::string_view(s).substr(at.pos + 1, end - at.pos - 2);
            at.want_value = false;
            at.pos = end;
        } else {  // a number or a literal
            while (at.pos < s.size() && std::string_view(",]} \n\r\t").find(s[at.pos]) == std::string_view::npos)
                ++at.pos;
            at.want_value = false;
        }
    }
    return {};
}

}  // namespace tgt::detail
