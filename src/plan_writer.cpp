// The plan writer: the author's JSON (nlohmann::ordered_json keeps their keys in the order written)
// plus typed edits. Added overrides stay typed until they are written: a rebalanced plan has one
// per node, and as JSON values 100,000 of them would cost far more than their text.

#include "tgt/plan_writer.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "tgt/calendar.hpp"
#include "tgt/error.hpp"

namespace tgt {

namespace {

using Json = nlohmann::ordered_json;

// A string as JSON writes it (UTF-8 kept as is).
void append_quoted(std::string& out, std::string_view s) {
    bool plain = true;
    for (unsigned char c : s)
        if (c < 0x20 || c == '"' || c == '\\') plain = false;
    if (plain) {
        out.push_back('"');
        out.append(s);
        out.push_back('"');
    } else {
        out += Json(std::string(s)).dump(-1, ' ', false);
    }
}

std::string quoted(std::string_view s) {
    std::string out;
    append_quoted(out, s);
    return out;
}

// A relative file reference of the plan, made to resolve from the new plan's folder.
std::string moved_reference(const std::string& reference, const std::filesystem::path& from,
                            const std::filesystem::path& to) {
    std::filesystem::path p(reference);
    if (p.is_absolute()) return reference;
    auto target = std::filesystem::absolute(from / p).lexically_normal();
    auto relative = target.lexically_relative(std::filesystem::absolute(to).lexically_normal());
    return relative.empty() ? target.string() : relative.string();
}

void move_references(Json& node, const std::filesystem::path& from, const std::filesystem::path& to, bool root) {
    if (node.is_object()) {
        for (auto& [key, value] : node.items()) {
            // A built-in calendar's name ("cn") is no path; an inline calendar's "extends" may be one.
            bool calendar = root && key == "calendar";
            if (value.is_string() && (key == "file" || calendar)) {
                if (!calendar || is_calendar_path(value.get<std::string>()) ||
                    !find_builtin_calendar(value.get<std::string>()))
                    value = moved_reference(value.get<std::string>(), from, to);
            } else if (calendar && value.is_object() && value.contains("extends") && value["extends"].is_string()) {
                Json& base = value["extends"];
                if (is_calendar_path(base.get<std::string>()) || !find_builtin_calendar(base.get<std::string>()))
                    base = moved_reference(base.get<std::string>(), from, to);
                move_references(value, from, to, false);
            } else
                move_references(value, from, to, false);
        }
    } else if (node.is_array()) {
        for (auto& value : node)
            move_references(value, from, to, false);
    }
}

// Overrides added to one step, typed, with the decimals their amounts are written with: lists,
// and runs made one at a time as they are written (none of them held), in order.
class AddedOverrides {
public:
    int decimals = 2;

    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    /// Override i: a listed one, or one made in `scratch`.
    const WrittenOverride& at(std::size_t i, WrittenOverride& scratch) const {
        for (const Part& part : parts_) {
            std::size_t n = part.make ? part.count : part.list.size();
            if (i >= n) {
                i -= n;
                continue;
            }
            if (!part.make) return part.list[i];
            part.make(i, scratch);
            return scratch;
        }
        throw std::out_of_range("AddedOverrides::at");
    }
    /// Calls `f` with every override, in order.
    template <typename F>
    void each(F&& f) const {
        WrittenOverride scratch;
        for (std::size_t i = 0; i < size_; ++i)
            f(at(i, scratch));
    }
    void prepend(std::vector<WrittenOverride> list) {
        size_ += list.size();
        parts_.insert(parts_.begin(), Part{std::move(list), 0, {}});
    }
    void prepend(std::size_t count, PlanWriter::MakeOverride make) {
        size_ += count;
        parts_.insert(parts_.begin(), Part{{}, count, std::move(make)});
    }

private:
    struct Part {
        std::vector<WrittenOverride> list;
        std::size_t count = 0;  // made: how many
        PlanWriter::MakeOverride make;
    };
    std::vector<Part> parts_;
    std::size_t size_ = 0;
};

// A value on one line, with a space after each colon and comma, as people write JSON.
void append_inline(const Json& v, std::string& out) {
    if (v.is_object()) {
        out += "{";
        for (auto it = v.begin(); it != v.end(); ++it) {
            if (it != v.begin()) out += ", ";
            append_quoted(out, it.key());
            out += ": ";
            append_inline(it.value(), out);
        }
        out += "}";
    } else if (v.is_array()) {
        out += "[";
        for (std::size_t i = 0; i < v.size(); ++i) {
            if (i) out += ", ";
            append_inline(v[i], out);
        }
        out += "]";
    } else {
        out += v.dump(-1, ' ', false);
    }
}

// An added override on one line, exactly as append_inline writes the same override made a Json value.
void append_inline(const WrittenOverride& o, int decimals, std::string& out) {
    out += "{\"where\": {";
    for (std::size_t i = 0; i < o.where.size(); ++i) {
        if (i) out += ", ";
        append_quoted(out, o.where[i].first);
        out += ": ";
        append_quoted(out, o.where[i].second);
    }
    out += "}, \"weights\": {";
    for (std::size_t i = 0; i < o.weights.size(); ++i) {
        const WrittenWeight& w = o.weights[i];
        if (i) out += ", ";
        append_quoted(out, w.key);
        out += w.hold ? ": {\"amount\": \"" : ": \"";
        append_minor(out, w.value, decimals);
        out += w.hold ? "\"}" : "\"";
    }
    out += "}}";
}

// Whether `v` written on one line takes at most `budget` characters (stops counting once it does
// not). Keys count as their length plus 6, values as written: the measure the layout has always used.
bool fits(const Json& v, std::ptrdiff_t& budget);

// The same measure for an added override.
void fits(const WrittenOverride& o, int decimals, std::ptrdiff_t& budget) {
    auto scalar = [](std::string_view text) { return static_cast<std::ptrdiff_t>(quoted(text).size()); };
    budget -= 2 + 5 + 6 + 2;  // {"where": {
    for (std::size_t i = 0; i < o.where.size() && budget >= 0; ++i)
        budget -= static_cast<std::ptrdiff_t>(o.where[i].first.size()) + 6 + scalar(o.where[i].second);
    budget -= 7 + 6 + 2;  // "weights": {
    for (std::size_t i = 0; i < o.weights.size() && budget >= 0; ++i) {
        const WrittenWeight& w = o.weights[i];
        budget -= static_cast<std::ptrdiff_t>(w.key.size()) + 6 + scalar(format_minor(w.value, decimals));
        if (w.hold) budget -= 2 + 6 + 6;  // {"amount": …}
    }
}

bool fits(const Json& v, std::ptrdiff_t& budget) {
    if (v.is_object()) {
        budget -= 2;
        for (auto it = v.begin(); it != v.end() && budget >= 0; ++it) {
            budget -= static_cast<std::ptrdiff_t>(it.key().size()) + 6;
            fits(it.value(), budget);
        }
    } else if (v.is_array()) {
        budget -= 2;
        for (std::size_t i = 0; i < v.size() && budget >= 0; ++i) {
            budget -= 2;
            fits(v[i], budget);
        }
    } else {
        budget -= static_cast<std::ptrdiff_t>(v.dump(-1, ' ', false).size());
    }
    return budget >= 0;
}

// Two-space indentation, with what fits in 100 columns on one line, and every override on a line
// of its own however long (a rebalanced plan has one per node: a line each keeps it readable and
// diffable). `added` is the overrides added to the step `v` is (null for any other value).
class Layout {
public:
    explicit Layout(const std::map<std::size_t, AddedOverrides>& added) : added_(added) {}

    /// The whole plan.
    void plan(const Json& doc, std::string& out) const { value(doc, 0, &root_, out); }

private:
    // Where a value sits decides what was added to it: the root's "split" list holds the steps,
    // and a step's "overrides" start with the ones added to it.
    const AddedOverrides* child(const AddedOverrides* at, std::string_view key, std::size_t index) const {
        if (at == &root_) return key == "split" ? &split_ : nullptr;
        if (at == &split_) {
            auto found = added_.find(index);
            return found == added_.end() ? &none_ : &found->second;
        }
        return nullptr;
    }
    bool is_step(const AddedOverrides* at) const { return at && at != &root_ && at != &split_; }

    void value(const Json& v, std::size_t indent, const AddedOverrides* at, std::string& out) const {
        std::ptrdiff_t budget = 100 - static_cast<std::ptrdiff_t>(indent);
        bool scalar = !(v.is_object() || v.is_array()) || v.empty();
        if (scalar || fits(v, at, budget)) {
            append_inline(v, at, out);
            return;
        }
        std::string pad(indent + 2, ' ');
        out += v.is_object() ? "{\n" : "[\n";
        std::size_t i = 0;
        for (auto it = v.begin(); it != v.end(); ++it, ++i) {
            out += pad;
            std::string_view key;
            if (v.is_object()) {
                key = it.key();
                append_quoted(out, key);
                out += ": ";
            }
            const AddedOverrides* mine = is_step(at) && key == "overrides" ? at : nullptr;
            std::size_t count = it.value().is_array() ? it.value().size() + (mine ? mine->size() : 0) : 0;
            if (key == "overrides" && it.value().is_array() && count > 0)
                one_per_line(it.value(), mine, pad, out);
            else
                value(it.value(), indent + 2, child(at, key, i), out);
            out += i + 1 < v.size() ? ",\n" : "\n";
        }
        out += std::string(indent, ' ') + (v.is_object() ? "}" : "]");
    }

    void one_per_line(const Json& list, const AddedOverrides* mine, const std::string& pad, std::string& out) const {
        out += "[\n";
        std::size_t count = list.size() + (mine ? mine->size() : 0), k = 0;
        auto end_line = [&] { out += ++k < count ? ",\n" : "\n"; };
        const std::string line_pad = pad + "  ";
        if (mine)
            mine->each([&](const WrittenOverride& o) {
                out += line_pad;
                tgt::append_inline(o, mine->decimals, out);
                end_line();
            });
        for (const auto& o : list) {
            out += line_pad;
            tgt::append_inline(o, out);
            end_line();
        }
        out += pad + "]";
    }

    // The layout's measure (see tgt::fits), counting what was added in front of a step's overrides.
    bool fits(const Json& v, const AddedOverrides* at, std::ptrdiff_t& budget) const {
        if (!at || !(v.is_object() || v.is_array())) return tgt::fits(v, budget);
        budget -= 2;
        std::size_t i = 0;
        for (auto it = v.begin(); it != v.end() && budget >= 0; ++it, ++i) {
            std::string_view key = v.is_object() ? std::string_view(it.key()) : std::string_view();
            budget -= v.is_object() ? static_cast<std::ptrdiff_t>(key.size()) + 6 : 2;
            if (is_step(at) && key == "overrides" && it.value().is_array()) {
                budget -= 2;
                WrittenOverride scratch;
                for (std::size_t k = 0; k < at->size() && budget >= 0; ++k) {
                    budget -= 2;
                    tgt::fits(at->at(k, scratch), at->decimals, budget);
                }
                for (std::size_t k = 0; k < it.value().size() && budget >= 0; ++k) {
                    budget -= 2;
                    tgt::fits(it.value()[k], budget);
                }
            } else {
                fits(it.value(), child(at, key, i), budget);
            }
        }
        return budget >= 0;
    }

    void append_inline(const Json& v, const AddedOverrides* at, std::string& out) const {
        if (!at || !(v.is_object() || v.is_array())) {
            tgt::append_inline(v, out);
            return;
        }
        out += v.is_object() ? "{" : "[";
        std::size_t i = 0;
        for (auto it = v.begin(); it != v.end(); ++it, ++i) {
            if (i) out += ", ";
            std::string_view key;
            if (v.is_object()) {
                key = it.key();
                append_quoted(out, key);
                out += ": ";
            }
            if (is_step(at) && key == "overrides" && it.value().is_array()) {
                out += "[";
                std::size_t k = 0;
                at->each([&](const WrittenOverride& o) {
                    if (k++) out += ", ";
                    tgt::append_inline(o, at->decimals, out);
                });
                for (const auto& o : it.value()) {
                    if (k++) out += ", ";
                    tgt::append_inline(o, out);
                }
                out += "]";
            } else {
                append_inline(it.value(), child(at, key, i), out);
            }
        }
        out += v.is_object() ? "}" : "]";
    }

    const std::map<std::size_t, AddedOverrides>& added_;
    AddedOverrides root_;   // by address: the value is the plan
    AddedOverrides split_;  // by address: the value is the "split" list
    AddedOverrides none_;   // a step nothing was added to
};
}  // namespace

struct PlanWriter::Impl {
    std::string original;  // written as it is while nothing is edited
    bool edited = false;
    Json doc;
    std::map<std::size_t, AddedOverrides> added;  // by split step

    Json& step(std::size_t s) {
        edited = true;
        return doc.at("split").at(s);
    }

    // Step s's added overrides, to be written with `decimals` decimals; makes room for them in the plan.
    AddedOverrides& added_to(std::size_t s, int decimals) {
        Json& json = step(s);
        if (!json.contains("overrides")) json["overrides"] = Json::array();  // where an added key goes: last
        AddedOverrides& list = added[s];
        if (!list.empty() && list.decimals != decimals)
            throw Error::usage("plan writer: overrides of one step are written with one number of decimals");
        list.decimals = decimals;
        return list;
    }
};

PlanWriter::PlanWriter(std::string_view text) : impl_(std::make_unique<Impl>()) {
    impl_->original = std::string(text);
    try {
        impl_->doc = Json::parse(text);
    } catch (const Json::exception& e) {
        throw Error::usage(fmt::format("plan writer: the plan is not JSON ({})", e.what()));
    }
    if (!impl_->doc.is_object()) throw Error::usage("plan writer: the plan is not a JSON object");
}

PlanWriter::~PlanWriter() = default;
PlanWriter::PlanWriter(PlanWriter&&) noexcept = default;
PlanWriter& PlanWriter::operator=(PlanWriter&&) noexcept = default;

void PlanWriter::append_to_name(std::string_view suffix) {
    Json& doc = impl_->doc;
    impl_->edited = true;
    if (doc.contains("name") && doc["name"].is_string())
        doc["name"] = doc["name"].get<std::string>() + std::string(suffix);
}

void PlanWriter::set_total(std::size_t metric, Minor total, int decimals) {
    impl_->edited = true;
    impl_->doc.at("metrics").at(metric)["total"] = format_minor(total, decimals);
}

void PlanWriter::drop_rules(std::size_t step) {
    Json& s = impl_->step(step);
    for (const char* key :
         {"by", "weights", "file", "key", "column", "pattern", "normalize", "closed_on_holidays", "rest", "allocate",
          "band", "ramp", "ramp_rest", "reconcile", "baseline", "growth", "overrides", "per"})
        s.erase(key);
    impl_->added.erase(step);
}

void PlanWriter::set_weights(std::size_t step, std::vector<WrittenWeight> weights, int decimals) {
    Json map = Json::object();
    for (const auto& w : weights) {
        std::string amount = format_minor(w.value, decimals);
        map[w.key] = w.hold ? Json{{"amount", amount}} : Json(amount);
    }
    impl_->step(step)["weights"] = std::move(map);
}

void PlanWriter::prepend_overrides(std::size_t step, std::vector<WrittenOverride> overrides, int decimals) {
    impl_->added_to(step, decimals).prepend(std::move(overrides));
}

void PlanWriter::prepend_overrides(std::size_t step, std::size_t count, MakeOverride make, int decimals) {
    impl_->added_to(step, decimals).prepend(count, std::move(make));
}

bool PlanWriter::has_overrides(std::size_t step) const {
    const Json& s = impl_->doc.at("split").at(step);
    auto found = impl_->added.find(step);
    bool own = s.contains("overrides") && s["overrides"].is_array() && !s["overrides"].empty();
    return own || (found != impl_->added.end() && !found->second.empty());
}

void PlanWriter::set_normalize(std::size_t step, bool normalize) {
    impl_->step(step)["normalize"] = normalize;
}

void PlanWriter::add_note(std::size_t step, std::string_view note) {
    Json& s = impl_->step(step);
    if (s.contains("note") && s["note"].is_string())
        s["note"] = s["note"].get<std::string>() + " " + std::string(note);
    else
        s["note"] = std::string(note);
}

void PlanWriter::move_references(const std::filesystem::path& from, const std::filesystem::path& to) {
    impl_->edited = true;
    tgt::move_references(impl_->doc, from, to, true);
}

std::string PlanWriter::text() const {
    return impl_->edited ? formatted() : impl_->original;
}

std::string PlanWriter::formatted() const {
    // Room for the text at once: a rebalanced plan's added overrides are most of it, and growing
    // tens of megabytes by doubling would hold two copies for a moment.
    // The room per override is the longest of a sample's, with a margin: overrides differ in length
    // (a node ahead of target holds zeros), and a text one byte over the room would double it.
    std::size_t room = impl_->original.size() + 1;
    for (const auto& [step, added] : impl_->added) {
        std::size_t longest = 0;
        std::string one;
        WrittenOverride scratch;
        for (std::size_t i = 0; i < added.size() && i < 64; ++i) {
            one.clear();
            append_inline(added.at(i * (added.size() / 64 + 1) % added.size(), scratch), added.decimals, one);
            longest = std::max(longest, one.size());
        }
        room += added.size() * (longest + 24);
    }
    room += room / 16;
    std::string out;
    out.reserve(room);
    Layout(impl_->added).plan(impl_->doc, out);
    out += "\n";
    if (out.capacity() > out.size() + out.size() / 8) out.shrink_to_fit();  // the estimate fell short
    return out;
}

std::string format_plan(std::string_view text) {
    return PlanWriter(text).formatted();
}

}  // namespace tgt
