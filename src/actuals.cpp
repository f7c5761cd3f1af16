// Streaming actuals: a header matched once, then each row's fields looked up without copying.

#include "tgt/actuals.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <unordered_map>

#include "json_document.hpp"
#include "tgt/csv.hpp"

namespace tgt {

namespace {

constexpr std::size_t kChunk = 1 << 22;  // bytes read at a time
constexpr std::size_t kKeptProblems = 20;

struct TransparentHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
using IdIndex = std::unordered_map<std::string, int, TransparentHash, std::equal_to<>>;

// What a column is for.
struct ColumnRole {
    enum class Kind { ignored, date, level, metric };
    Kind kind = Kind::ignored;
    int dimension = -1;
    int depth = -1;
    int metric = -1;  // position in metrics()
};

// "2027-03-01" → a date, fast; anything else goes through parse_date.
std::optional<Date> fast_date(std::string_view s) {
    if (s.size() == 10 && s[4] == '-' && s[7] == '-') {
        int v[8];
        const int pos[8] = {0, 1, 2, 3, 5, 6, 8, 9};
        bool digits = true;
        for (int i = 0; i < 8; ++i) {
            char c = s[static_cast<std::size_t>(pos[i])];
            digits = digits && c >= '0' && c <= '9';
            v[i] = c - '0';
        }
        if (digits) {
            using namespace std::chrono;
            year_month_day ymd{year{v[0] * 1000 + v[1] * 100 + v[2] * 10 + v[3]},
                               month{static_cast<unsigned>(v[4] * 10 + v[5])},
                               day{static_cast<unsigned>(v[6] * 10 + v[7])}};
            if (!ymd.ok()) return std::nullopt;
            return sys_days{ymd};
        }
    }
    return parse_date(s);
}

// "1234.56" or "-3.5" with at most `decimals` places → minor units, fast; other forms ("1,234.50",
// "7.5万") through parse_decimal. nullopt when it is not an exact amount of this precision.
std::optional<Minor> parse_amount(std::string_view s, int decimals) {
    std::size_t i = 0;
    bool negative = false;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) negative = s[i++] == '-';
    Minor value = 0;
    int places = -1;
    bool ok = i < s.size();
    for (; ok && i < s.size(); ++i) {
        char c = s[i];
        if (c == '.' && places < 0) {
            places = 0;
        } else if (c >= '0' && c <= '9' && (places < 0 || places < decimals) && value < 90'000'000'000'000'000) {
            value = value * 10 + (c - '0');
            if (places >= 0) ++places;
        } else {
            ok = false;
        }
    }
    if (ok) {
        for (int p = std::max(places, 0); p < decimals; ++p)
            value *= 10;
        if (value < 0) return std::nullopt;
        return negative ? -value : value;
    }
    auto d = parse_decimal(s);
    if (!d) return std::nullopt;
    return to_minor(*d, decimals);
}

// Splits one CSV/TSV record into fields; quoted fields are unquoted into `scratch`.
void split_record(std::string_view line, char delimiter, std::vector<std::string_view>& fields,
                  std::vector<std::string>& scratch) {
    fields.clear();
    if (line.find('"') == std::string_view::npos) {
        std::size_t start = 0;
        while (true) {
            std::size_t end = line.find(delimiter, start);
            fields.push_back(line.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
            if (end == std::string_view::npos) break;
            start = end + 1;
        }
        return;
    }
    scratch.clear();
    scratch.reserve(line.size());  // views into scratch must stay valid
    std::string field;
    bool quoted = false;
    std::vector<std::size_t> ends;
    for (std::size_t i = 0; i < line.size(); ++i) {
        char c = line[i];
        if (quoted) {
            if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
                field.push_back('"');
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                field.push_back(c);
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == delimiter) {
            scratch.push_back(std::move(field));
            field.clear();
        } else {
            field.push_back(c);
        }
    }
    scratch.push_back(std::move(field));
    for (const auto& f : scratch)
        fields.emplace_back(f);
}

}  // namespace

struct ActualsReader::Impl {
    ActualsReader& r;
    const Plan& plan;
    std::vector<std::vector<IdIndex>> ids;  // [dimension][depth] id → member index
    std::string file;
    std::vector<ColumnRole> roles;
    std::vector<std::string> header_names;
    int date_column = -1;
    std::vector<int> member_column;                       // per dimension: the column at depth_, or -1
    std::vector<std::vector<std::pair<int, int>>> above;  // per dimension: (column, depth) of ancestors
    std::vector<int> members;
    std::vector<Minor> amounts;
    std::vector<std::string_view> fields;
    std::vector<std::string> scratch;
    std::string last_date_text;
    std::optional<Date> last_date;

    Impl(ActualsReader& reader) : r(reader), plan(reader.plan_) {
        for (const auto& dim : plan.dimensions) {
            ids.emplace_back(dim.members.size());
            for (std::size_t d = 0; d < dim.members.size(); ++d)
                for (std::size_t i = 0; i < dim.members[d].size(); ++i)
                    ids.back()[d].emplace(dim.members[d][i].id, static_cast<int>(i));
        }
    }

    std::string target_of(const std::string& column) const {
        for (const auto& [from, to] : r.options_.map)
            if (from == column) return to;
        return column;
    }

    // Matches a header: which column is the date, which are levels, which are metrics.
    void match_header(const std::vector<std::string_view>& header, int line) {
        header_names.assign(header.begin(), header.end());
        roles.assign(header.size(), ColumnRole{});
        date_column = -1;
        r.depth_.assign(plan.dimensions.size(), -1);
        r.metrics_.clear();
        member_column.assign(plan.dimensions.size(), -1);
        above.assign(plan.dimensions.size(), {});
        std::vector<std::vector<int>> level_columns(plan.dimensions.size());
        for (std::size_t c = 0; c < header.size(); ++c) {
            std::string name = target_of(std::string(header[c]));
            if (name == "date") {
                roles[c].kind = ColumnRole::Kind::date;
                date_column = static_cast<int>(c);
                continue;
            }
            int m = plan.metric_index(name);
            if (m >= 0 && !plan.metrics[static_cast<std::size_t>(m)].rate &&
                plan.metrics[static_cast<std::size_t>(m)].stretch_of < 0) {
                roles[c] = ColumnRole{ColumnRole::Kind::metric, -1, -1, static_cast<int>(r.metrics_.size())};
                r.metrics_.push_back(m);
                continue;
            }
            for (std::size_t d = 0; d < plan.dimensions.size(); ++d)
                for (std::size_t k = 0; k < plan.dimensions[d].levels.size(); ++k)
                    if (plan.dimensions[d].levels[k] == name) {
                        roles[c] = ColumnRole{ColumnRole::Kind::level, static_cast<int>(d), static_cast<int>(k), -1};
                        if (static_cast<int>(k) > r.depth_[d]) {
                            r.depth_[d] = static_cast<int>(k);
                            member_column[d] = static_cast<int>(c);
                        }
                    }
        }
        for (std::size_t c = 0; c < roles.size(); ++c)
            if (roles[c].kind == ColumnRole::Kind::level &&
                static_cast<int>(c) != member_column[static_cast<std::size_t>(roles[c].dimension)])
                above[static_cast<std::size_t>(roles[c].dimension)].emplace_back(static_cast<int>(c), roles[c].depth);
        SourceLocation where{file, line, 0, ""};
        std::vector<std::string> names(header.begin(), header.end());
        if (date_column < 0)
            throw Error::input(where, fmt::format("no \"date\" column (columns: {})", fmt::join(names, ", ")),
                               "name it \"date\" or map it: --map COLUMN=date");
        if (r.metrics_.empty()) {
            std::vector<std::string> metric_ids;
            for (const auto& m : plan.metrics)
                if (!m.rate && m.stretch_of < 0) metric_ids.push_back(m.id);
            throw Error::input(where,
                               fmt::format("no column for the plan's metrics ({}); columns: {}",
                                           fmt::join(metric_ids, ", "), fmt::join(names, ", ")),
                               fmt::format("map one: --map COLUMN={}", metric_ids.empty() ? "METRIC" : metric_ids[0]));
        }
        members.assign(plan.dimensions.size(), -1);
        amounts.assign(r.metrics_.size(), 0);
    }

    // A bad row is kept in the summary (the first few) and counted; without skip_bad_rows the read
    // fails at the end, naming every bad row it kept, so that one run shows them all.
    void bad_row(int line, std::string message, std::string hint = {}) {
        SourceLocation where{file, line, 0, ""};
        ++r.summary_.skipped;
        Severity severity = r.options_.skip_bad_rows ? Severity::warning : Severity::error;
        if (r.summary_.problems.size() < kKeptProblems)
            r.summary_.problems.push_back({severity, where, std::move(message), std::move(hint)});
    }

    void fail_if_bad() const {
        if (r.options_.skip_bad_rows || r.summary_.skipped == 0) return;
        std::vector<Diagnostic> all = r.summary_.problems;
        std::string advice = "fix them, or pass --skip-bad-rows to report and skip them";
        if (r.summary_.skipped > all.size())
            all.push_back({Severity::error,
                           {file, 0, 0, ""},
                           fmt::format("{} bad row(s) in all; the first {} are listed", r.summary_.skipped, all.size()),
                           advice});
        else if (all.back().hint.empty())
            all.back().hint = advice;
        throw Error(std::move(all));
    }

    // Matches one record's fields; delivers it or reports it.
    void row(int line, const std::function<void(const ActualRow&)>& sink) {
        if (fields.size() != roles.size()) {
            bad_row(line, fmt::format("{} fields where the header has {}", fields.size(), roles.size()));
            return;
        }
        std::string_view date_text = fields[static_cast<std::size_t>(date_column)];
        if (date_text != last_date_text || !last_date) {
            last_date_text.assign(date_text);
            last_date = fast_date(date_text);
        }
        if (!last_date) {
            bad_row(line, fmt::format("not a date: \"{}\"", date_text), "write dates as YYYY-MM-DD");
            return;
        }
        if (*last_date < plan.first || *last_date > plan.last) {
            bad_row(line, fmt::format("{} is outside the plan's period ({} … {})", date_text, format_date(plan.first),
                                      format_date(plan.last)));
            return;
        }
        for (std::size_t c = 0; c < roles.size(); ++c) {
            if (roles[c].kind != ColumnRole::Kind::metric) continue;
            const Metric& metric =
                plan.metrics[static_cast<std::size_t>(r.metrics_[static_cast<std::size_t>(roles[c].metric)])];
            auto a = parse_amount(fields[c], metric.decimals);
            if (!a) {
                bad_row(line, fmt::format("column \"{}\": not an amount of \"{}\" ({} decimals): \"{}\"",
                                          header_names[c], metric.id, metric.decimals, fields[c]));
                return;
            }
            amounts[static_cast<std::size_t>(roles[c].metric)] = *a;
        }
        bool unplanned = false;
        for (std::size_t d = 0; d < plan.dimensions.size(); ++d) {
            int column = member_column[d];
            if (column < 0) continue;
            std::string_view value = fields[static_cast<std::size_t>(column)];
            const auto& index = ids[d][static_cast<std::size_t>(r.depth_[d])];
            auto it = index.find(value);
            if (it == index.end()) {
                members[d] = kUnplanned;
                unplanned = true;
                if (r.summary_.unknown.size() < 10000)
                    ++r.summary_.unknown[fmt::format(
                        "{}={}", plan.dimensions[d].levels[static_cast<std::size_t>(r.depth_[d])], value)];
                continue;
            }
            members[d] = it->second;
            // Ancestor columns must agree with the plan; the plan's tree wins, and the difference is reported.
            for (auto [col, depth] : above[d]) {
                int m = it->second;
                for (int k = r.depth_[d]; k > depth; --k)
                    m = plan.dimensions[d].members[static_cast<std::size_t>(k)][static_cast<std::size_t>(m)].parent;
                const std::string& planned =
                    plan.dimensions[d].members[static_cast<std::size_t>(depth)][static_cast<std::size_t>(m)].id;
                std::string_view given = fields[static_cast<std::size_t>(col)];
                if (given != planned && r.summary_.moved.size() < 10000)
                    ++r.summary_.moved[fmt::format("{}={} under {}={} (the plan has {})",
                                                   plan.dimensions[d].levels[static_cast<std::size_t>(r.depth_[d])],
                                                   value, plan.dimensions[d].levels[static_cast<std::size_t>(depth)],
                                                   given, planned)];
            }
        }
        ++r.summary_.rows;
        if (unplanned) ++r.summary_.unplanned;
        sink(ActualRow{*last_date, members, amounts, line});
    }
};

ActualsReader::ActualsReader(const Plan& plan, ActualsOptions options) : plan_(plan), options_(std::move(options)) {}

void ActualsReader::read(const std::string& path, const std::function<void(const ActualRow&)>& sink,
                         std::FILE* stdin_stream) {
    Impl im(*this);
    im.file = path == "-" ? "<stdin>" : path;
    std::FILE* in = stdin_stream;
    if (path != "-") {
        check_data_file(path);
        in = std::fopen(path.c_str(), "rb");
        if (!in) throw Error::io(path, fmt::format("cannot read: {}", std::strerror(errno)));
    }
    struct Closer {
        std::FILE* f;
        bool owned;
        ~Closer() {
            if (owned) std::fclose(f);
        }
    } closer{in, path != "-"};

    std::string buffer;
    std::vector<char> chunk(kChunk);
    int line = 0;
    bool header_done = false, ndjson = false;
    char delimiter = ',';
    std::string pending;  // a quoted field that spans lines
    int pending_line = 0;
    int physical = 0;  // lines read so far; a record's line is where it starts
    auto handle = [&](std::string_view text, int record_line) {
        line = record_line;
        if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
        if (line == 1 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
        if (!valid_utf8(text)) {
            if (!header_done) throw Error::input({im.file, line, 0, ""}, "invalid UTF-8", "save the file as UTF-8");
            im.bad_row(line, "invalid UTF-8");
            return;
        }
        if (!header_done) {
            std::size_t first = text.find_first_not_of(" \t");
            ndjson = first != std::string_view::npos && text[first] == '{';
            if (!ndjson) {
                delimiter =
                    text.find('\t') != std::string_view::npos && text.find(',') == std::string_view::npos ? '\t' : ',';
                split_record(text, delimiter, im.fields, im.scratch);
                im.match_header(im.fields, line);
                header_done = true;
                return;
            }
        }
        if (text.find_first_not_of(" \t") == std::string_view::npos) return;  // blank line
        if (ndjson) {
            // One JSON object per line; keys are the columns (matched on the first object).
            try {
                auto doc = detail::JsonDocument::parse(std::string(text), im.file);
                const auto& root = doc.root();
                if (!root.is_object()) {
                    im.bad_row(line, "expected a JSON object");
                    return;
                }
                if (!header_done) {
                    std::vector<std::string_view> keys;
                    for (const auto& m : root.members)
                        keys.push_back(m.first);
                    im.match_header(keys, line);
                    header_done = true;
                }
                im.scratch.clear();
                im.scratch.resize(im.roles.size());
                std::size_t c = 0;
                for (const auto& m : root.members) {
                    if (c < im.scratch.size()) im.scratch[c] = m.second.text;
                    ++c;
                }
                if (c != im.roles.size()) {
                    im.bad_row(line, fmt::format("{} keys where the first object has {}", c, im.roles.size()));
                    return;
                }
                im.fields.assign(im.scratch.begin(), im.scratch.end());
            } catch (const Error& e) {
                im.bad_row(line, e.diagnostics().empty() ? "not JSON" : e.diagnostics().front().message);
                return;
            }
        } else {
            split_record(text, delimiter, im.fields, im.scratch);
        }
        im.row(line, sink);
    };
    std::size_t n;
    while ((n = std::fread(chunk.data(), 1, chunk.size(), in)) > 0) {
        buffer.append(chunk.data(), n);
        std::size_t start = 0, end;
        while ((end = buffer.find('\n', start)) != std::string::npos) {
            std::string_view text(buffer.data() + start, end - start);
            ++physical;
            // A quoted field may hold a newline: keep reading until the quotes balance.
            if (!pending.empty() ||
                (text.find('"') != std::string_view::npos && std::count(text.begin(), text.end(), '"') % 2 == 1)) {
                if (pending.empty()) pending_line = physical;
                pending.append(text);
                if (std::count(pending.begin(), pending.end(), '"') % 2 == 1) {
                    pending.push_back('\n');
                    start = end + 1;
                    continue;
                }
                handle(pending, pending_line);
                pending.clear();
            } else {
                handle(text, physical);
            }
            start = end + 1;
        }
        buffer.erase(0, start);
    }
    if (std::ferror(in)) throw Error::io(im.file, "read failed");
    if (!pending.empty()) {
        handle(pending + buffer, pending_line);
    } else if (!buffer.empty()) {
        handle(buffer, physical + 1);
    }
    if (!header_done)
        throw Error::input({im.file, 0, 0, ""}, "empty: no header row", "the first row names the columns");
    im.fail_if_bad();
}

}  // namespace tgt
