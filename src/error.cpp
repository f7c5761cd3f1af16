#include "tgt/error.hpp"

#include <algorithm>
#include <iterator>

namespace tgt {

namespace {

std::string first_message(const std::vector<Diagnostic>& ds) {
    return ds.empty() ? std::string("error") : message_text(ds.front());
}

// A mention is the field's library name between two of these (record separator): no text a person
// writes holds one, and a front end that does not spell it still shows something readable.
constexpr char kMention = '\x1e';

constexpr Field kFields[] = {Field::by,       Field::period,        Field::metric,    Field::where,
                             Field::as_of,    Field::cell,          Field::level,     Field::who,
                             Field::map,      Field::skip_bad_rows, Field::show_task, Field::list_builtin,
                             Field::encoding, Field::format,        Field::output};

}  // namespace

std::string_view field_name(Field field) {
    switch (field) {
        case Field::none:
            return "";
        case Field::by:
            return "by";
        case Field::period:
            return "period";
        case Field::metric:
            return "metric";
        case Field::where:
            return "where";
        case Field::as_of:
            return "as_of";
        case Field::cell:
            return "cell";
        case Field::level:
            return "level";
        case Field::who:
            return "who";
        case Field::map:
            return "map";
        case Field::skip_bad_rows:
            return "skip_bad_rows";
        case Field::show_task:
            return "show_task";
        case Field::list_builtin:
            return "list_builtin";
        case Field::encoding:
            return "encoding";
        case Field::format:
            return "format";
        case Field::output:
            return "output";
    }
    return "";
}

std::string mention(Field field) {
    std::string out(1, kMention);
    out += field_name(field);
    out += kMention;
    return out;
}

std::string spell(std::string_view text, FieldNames names) {
    std::string out;
    out.reserve(text.size());
    std::size_t at = 0;
    while (at < text.size()) {
        std::size_t open = text.find(kMention, at);
        std::size_t close = open == std::string_view::npos ? open : text.find(kMention, open + 1);
        if (close == std::string_view::npos) break;
        out.append(text.substr(at, open - at));
        std::string_view name = text.substr(open + 1, close - open - 1);
        const Field* field =
            std::find_if(std::begin(kFields), std::end(kFields), [&](Field f) { return field_name(f) == name; });
        if (field == std::end(kFields)) {  // not a mention: kept as it is
            out.append(text.substr(open, close - open));
            at = close;
            continue;
        }
        out.append(names(*field));
        at = close + 1;
    }
    out.append(text.substr(at));
    return out;
}

std::string message_text(const Diagnostic& d, FieldNames names) {
    std::string text = spell(d.message, names);
    return d.field == Field::none ? text : std::string(names(d.field)) + " " + text;
}

std::string hint_text(const Diagnostic& d, FieldNames names) {
    return spell(d.hint, names);
}

Error::Error(std::vector<Diagnostic> diagnostics, ErrorKind kind)
    : std::runtime_error(first_message(diagnostics)), diagnostics_(std::move(diagnostics)), kind_(kind) {}

Error Error::usage(std::string message, std::string hint) {
    return Error({Diagnostic{Severity::error, {}, std::move(message), std::move(hint)}}, ErrorKind::usage);
}

Error Error::usage(Field field, std::string message, std::string hint) {
    return Error({Diagnostic{Severity::error, {}, std::move(message), std::move(hint), field}}, ErrorKind::usage);
}

Error Error::io(std::string file, std::string message) {
    SourceLocation where;
    where.file = std::move(file);
    return Error({Diagnostic{Severity::error, std::move(where), std::move(message), {}}}, ErrorKind::io);
}

Error Error::unreadable(std::string file, std::string message, std::string hint) {
    SourceLocation where;
    where.file = std::move(file);
    return Error({Diagnostic{Severity::error, std::move(where), std::move(message), std::move(hint)}},
                 ErrorKind::bad_input);
}

Error Error::input(SourceLocation where, std::string message, std::string hint) {
    return Error({Diagnostic{Severity::error, std::move(where), std::move(message), std::move(hint)}});
}

void Diagnostics::error(SourceLocation where, std::string message, std::string hint) {
    // One rule checked once per metric finds the same problem once per metric: say it once.
    std::string key =
        where.file + '\x1f' + std::to_string(where.line) + ':' + std::to_string(where.column) + '\x1f' + message;
    if (!errors_seen_.insert(std::move(key)).second) return;
    items_.push_back({Severity::error, std::move(where), std::move(message), std::move(hint)});
}

void Diagnostics::warning(SourceLocation where, std::string message, std::string hint) {
    items_.push_back({Severity::warning, std::move(where), std::move(message), std::move(hint)});
}

bool Diagnostics::has_errors() const {
    return std::any_of(items_.begin(), items_.end(), [](const Diagnostic& d) { return d.severity == Severity::error; });
}

void Diagnostics::throw_if_errors() const {
    if (has_errors()) throw Error(items_);
}

namespace {
// Code points, so that a mistyped Chinese character counts as one edit, not three.
std::u32string code_points(std::string_view s) {
    std::u32string out;
    for (std::size_t i = 0; i < s.size();) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        std::size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
        char32_t cp = len == 1 ? c : (c & (0x7F >> len));
        for (std::size_t k = 1; k < len && i + k < s.size(); ++k)
            cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
        out.push_back(cp);
        i += len;
    }
    return out;
}

std::size_t edit_distance(std::u32string_view a, std::u32string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j)
        row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            std::size_t above = row[j];
            std::size_t cost = (a[i - 1] == b[j - 1]) ? 0 : 1;
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + cost});
            diagonal = above;
        }
    }
    return row[b.size()];
}
}  // namespace

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
    std::string best;
    std::size_t best_distance = 0;
    std::u32string w = code_points(word);
    for (const auto& c : candidates) {
        std::size_t d = edit_distance(w, code_points(c));
        if (best.empty() || d < best_distance) {
            best = c;
            best_distance = d;
        }
    }
    // Close enough: at most a third of the word differs (at least one edit for short words).
    std::size_t limit = std::max<std::size_t>(w.size() <= 3 ? 1 : 2, w.size() / 3);
    if (best.empty() || best_distance > limit || best_distance == 0) return {};
    return best;
}

}  // namespace tgt
