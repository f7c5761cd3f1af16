#include "json_document.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <nlohmann/json.hpp>
#include <set>

namespace tgt::detail {

const JsonValue* JsonValue::find(std::string_view key) const {
    for (const auto& [k, v] : members)
        if (k == key) return &v;
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

std::string pointer_token(std::string_view key) {
    std::string out;
    for (char c : key) {
        if (c == '~')
            out += "~0";
        else if (c == '/')
            out += "~1";
        else
            out += c;
    }
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

bool is_number_char(char c) {
    return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
}

// Builds JsonValues from SAX events; the lexer position tells where each token ended, from which
// the token's start is recovered by scanning back over the source text.
class Builder : public nlohmann::json_sax<nlohmann::json> {
public:
    Builder(const JsonDocument& doc, const std::string& text, const std::size_t& consumed, Diagnostics& problems,
            int max_depth)
        : doc_(doc), text_(text), consumed_(consumed), problems_(problems), max_depth_(max_depth) {}

    JsonValue result;

    bool null() override { return scalar(JsonValue::Kind::null, literal_start()); }
    bool boolean(bool v) override {
        JsonValue value;
        value.kind = JsonValue::Kind::boolean;
        value.boolean = v;
        value.offset = literal_start();
        return place(std::move(value));
    }
    bool number_integer(number_integer_t) override { return number(); }
    bool number_unsigned(number_unsigned_t) override { return number(); }
    bool number_float(number_float_t, const string_t&) override { return number(); }
    bool string(string_t& s) override {
        check_characters(s, string_start(), current_pointer());
        JsonValue value;
        value.kind = JsonValue::Kind::string;
        value.text = std::move(s);
        value.offset = string_start();
        return place(std::move(value));
    }
    bool binary(binary_t&) override { return false; }
    bool start_object(std::size_t) override { return open(JsonValue::Kind::object); }
    bool key(string_t& k) override {
        Frame& top = stack_.back();
        if (!top.keys.insert(k).second) {
            problems_.error(doc_.locate_offset(string_start(), top.value.pointer + "/" + pointer_token(k)),
                            fmt::format("duplicate key \"{}\"", k),
                            "each key may appear once in an object; remove or rename one of them");
        }
        check_characters(k, string_start(), top.value.pointer + "/" + pointer_token(k));
        pending_key_ = std::move(k);
        pending_key_offset_ = string_start();
        return true;
    }
    bool end_object() override { return close(); }
    bool start_array(std::size_t) override { return open(JsonValue::Kind::array); }
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
    // JSON can escape any character into a string (\u0000); a plan has no use for control
    // characters other than tab and line breaks, and a NUL would cut an id short in C APIs.
    void check_characters(const std::string& s, std::size_t offset, const std::string& pointer) {
        for (unsigned char c : s) {
            if ((c >= 0x20 && c != 0x7f) || c == '\t' || c == '\n' || c == '\r') continue;
            problems_.error(doc_.locate_offset(offset, pointer),
                            fmt::format("a control character (U+{:04X}) in a string", static_cast<unsigned>(c)),
                            "remove it; ids and names are printable text");
            return;
        }
    }

    struct Frame {
        JsonValue value;
        std::set<std::string> keys;
        std::string key_in_parent;  // restored when the frame closes
        std::size_t key_offset = 0;
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

    std::size_t literal_start() const {
        std::size_t p = end();
        while (p > 0 && !(text_[p - 1] >= 'a' && text_[p - 1] <= 'z'))
            --p;
        while (p > 0 && text_[p - 1] >= 'a' && text_[p - 1] <= 'z')
            --p;
        return p;
    }

    bool number() {
        // Numbers end one character late (the lexer looked ahead); skip that, then the digits.
        std::size_t p = end();
        while (p > 0 && !is_number_char(text_[p - 1]))
            --p;
        std::size_t stop = p;
        while (p > 0 && is_number_char(text_[p - 1]))
            --p;
        JsonValue value;
        value.kind = JsonValue::Kind::number;
        value.text = text_.substr(p, stop - p);
        value.offset = p;
        return place(std::move(value));
    }

    bool scalar(JsonValue::Kind kind, std::size_t offset) {
        JsonValue value;
        value.kind = kind;
        value.offset = offset;
        return place(std::move(value));
    }

    std::string current_pointer() const {
        if (stack_.empty()) return "";
        const Frame& top = stack_.back();
        if (top.value.kind == JsonValue::Kind::object)
            return pending_key_.empty() ? top.value.pointer : top.value.pointer + "/" + pointer_token(pending_key_);
        return top.value.pointer + "/" + std::to_string(top.value.items.size());
    }

    bool open(JsonValue::Kind kind) {
        if (static_cast<int>(stack_.size()) >= max_depth_) {
            problems_.error(doc_.locate_offset(end() - 1, current_pointer()),
                            fmt::format("nesting deeper than {} levels", max_depth_),
                            "a plan never needs this depth; check for runaway brackets");
            return false;
        }
        Frame frame;
        frame.value.kind = kind;
        frame.value.offset = end() > 0 ? end() - 1 : 0;
        frame.value.pointer = current_pointer();
        frame.key_in_parent = std::move(pending_key_);
        frame.key_offset = pending_key_offset_;
        pending_key_.clear();
        stack_.push_back(std::move(frame));
        return true;
    }

    bool close() {
        JsonValue done = std::move(stack_.back().value);
        pending_key_ = std::move(stack_.back().key_in_parent);
        pending_key_offset_ = stack_.back().key_offset;
        stack_.pop_back();
        return attach(std::move(done));
    }

    bool place(JsonValue value) {
        value.pointer = current_pointer();
        return attach(std::move(value));
    }

    bool attach(JsonValue value) {
        if (stack_.empty()) {
            result = std::move(value);
            return true;
        }
        JsonValue& parent = stack_.back().value;
        if (parent.kind == JsonValue::Kind::object) {
            value.key_offset = pending_key_offset_;
            parent.members.push_back(JsonMember{std::move(pending_key_), std::move(value)});
            pending_key_.clear();
        } else {
            parent.items.push_back(std::move(value));
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
    std::size_t pending_key_offset_ = 0;
};

}  // namespace

JsonDocument JsonDocument::parse(std::string text, std::string file, int max_depth) {
    JsonDocument doc;
    doc.text_ = std::move(text);
    doc.file_ = std::move(file);
    // A UTF-8 byte-order mark is harmless; skip it by blanking it out (offsets stay the same).
    std::size_t start = 0;
    if (doc.text_.rfind("\xEF\xBB\xBF", 0) == 0) start = 3;
    Diagnostics problems;
    // A NUL byte ends the text for the JSON reader: what follows would be ignored unseen.
    if (auto nul = doc.text_.find('\0'); nul != std::string::npos) {
        problems.error(doc.locate_offset(nul, ""), "a NUL byte in the file",
                       "a plan is UTF-8 text; is this file UTF-16, or not a plan?");
        problems.throw_if_errors();
    }
    std::size_t consumed = start;
    Builder builder(doc, doc.text_, consumed, problems, max_depth);
    CountingIterator first{doc.text_.data() + start, &consumed};
    CountingIterator last{doc.text_.data() + doc.text_.size(), &consumed};
    bool ok = nlohmann::json::sax_parse(first, last, &builder, nlohmann::json::input_format_t::json, true);
    if (!ok && !problems.has_errors()) problems.error(doc.locate_offset(consumed, ""), "malformed JSON");
    problems.throw_if_errors();
    doc.root_ = std::move(builder.result);
    return doc;
}

SourceLocation JsonDocument::locate(const JsonValue& value) const {
    return locate_offset(value.offset, value.pointer);
}

SourceLocation JsonDocument::locate_key(const JsonValue& value) const {
    return locate_offset(value.key_offset, value.pointer);
}

void JsonDocument::index_text() const {
    line_starts_.push_back(0);
    continuations_before_block_.reserve(text_.size() / kBlock + 1);
    std::uint32_t continuations = 0;
    for (std::size_t i = 0; i < text_.size(); ++i) {
        if (i % kBlock == 0) continuations_before_block_.push_back(continuations);
        unsigned char c = static_cast<unsigned char>(text_[i]);
        if (c == '\n') line_starts_.push_back(i + 1);
        if ((c & 0xC0) == 0x80) ++continuations;
    }
    if (text_.size() % kBlock == 0) continuations_before_block_.push_back(continuations);
}

SourceLocation JsonDocument::locate_offset(std::size_t offset, std::string pointer) const {
    if (line_starts_.empty()) index_text();
    offset = std::min(offset, text_.size());
    auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset) - 1;
    // Columns count characters: bytes since the line began, less the continuation bytes among them.
    auto continuations_before = [&](std::size_t at) -> std::size_t {
        if (at >= text_.size()) at = text_.size();
        std::size_t block = at / kBlock;
        std::size_t n = block < continuations_before_block_.size() ? continuations_before_block_[block] : 0;
        for (std::size_t i = block * kBlock; i < at; ++i)
            n += (static_cast<unsigned char>(text_[i]) & 0xC0) == 0x80 ? 1 : 0;
        return n;
    };
    std::size_t start = *it;
    std::size_t column = offset - start - (continuations_before(offset) - continuations_before(start)) + 1;
    return {file_, static_cast<int>(it - line_starts_.begin()) + 1, static_cast<int>(column), std::move(pointer)};
}

}  // namespace tgt::detail
