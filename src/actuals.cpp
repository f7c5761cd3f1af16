// Streaming actuals: a header matched once, then each row's fields looked up without copying.

#include "tgt/actuals.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <deque>
#include <exception>
#include <limits>
#include <mutex>
#include <thread>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "json_document.hpp"
#include "tgt/csv.hpp"
#include "tgt/encoding.hpp"
#include "tgt/stream_decoder.hpp"
#include "tgt/thread_pool.hpp"
#include "tgt/typed_values.hpp"
#include "xlsx_reader.hpp"

namespace tgt {

namespace {

constexpr std::size_t kKeptProblems = 20;
constexpr std::size_t kKeptNames = 10000;  // distinct unknown or moved values kept in the summary

// Short ids compare faster without a call to memcmp: words of eight (or four) bytes, the last one
// overlapping the one before, so that no byte is compared one at a time past the first three.
inline bool equal(std::string_view a, std::string_view b) {
    const std::size_t n = a.size();
    if (n != b.size()) return false;
    auto same8 = [&](std::size_t i) {
        std::uint64_t x, y;
        std::memcpy(&x, a.data() + i, 8);
        std::memcpy(&y, b.data() + i, 8);
        return x == y;
    };
    auto same4 = [&](std::size_t i) {
        std::uint32_t x, y;
        std::memcpy(&x, a.data() + i, 4);
        std::memcpy(&y, b.data() + i, 4);
        return x == y;
    };
    if (n >= 8) {
        for (std::size_t i = 0; i + 8 < n; i += 8)
            if (!same8(i)) return false;
        return same8(n - 8);
    }
    if (n >= 4) return same4(0) && same4(n - 4);
    for (std::size_t i = 0; i < n; ++i)
        if (a[i] != b[i]) return false;
    return true;
}

// One level's member ids, found by open addressing on an FNV-1a hash: no node to chase per row.
// The views point into the plan, which outlives the reader.
class IdTable {
public:
    explicit IdTable(const std::vector<Member>& members) {
        std::size_t capacity = 16;
        while (capacity < members.size() + members.size() / 2)  // at most two thirds full
            capacity *= 2;
        slots_.assign(capacity, Slot{});
        mask_ = capacity - 1;
        ids_.reserve(members.size());
        for (std::size_t i = 0; i < members.size(); ++i) {
            std::string_view id = members[i].id;
            ids_.push_back(id);
            std::size_t at = hash(id, head_of(id)) & mask_;
            while (slots_[at].index >= 0 && !matches(slots_[at], head_of(id), id))
                at = (at + 1) & mask_;
            if (slots_[at].index < 0)  // the first of two equal ids wins
                slots_[at] = Slot{head_of(id), static_cast<int>(i), static_cast<std::uint32_t>(id.size())};
        }
    }
    int find(std::string_view id) const {
        const std::uint64_t head = head_of(id);
        for (std::size_t at = hash(id, head) & mask_;; at = (at + 1) & mask_) {
            const Slot& slot = slots_[at];
            if (slot.index < 0) return -1;
            if (matches(slot, head, id)) return slot.index;
        }
    }

private:
    // Sixteen bytes a slot, with an id's first eight bytes in it: a short id is found in one cache
    // line, and the whole table stays small enough to live in the cache.
    struct Slot {
        std::uint64_t head = 0;
        int index = -1;
        std::uint32_t length = 0;
    };
    bool matches(const Slot& slot, std::uint64_t head, std::string_view id) const {
        return slot.head == head && slot.length == id.size() &&
               (id.size() <= 8 ||
                equal(std::string_view(ids_[static_cast<std::size_t>(slot.index)]).substr(8), id.substr(8)));
    }
    // The (up to) eight bytes of `s` from `i`, little-endian, without reading past its end:
    // two overlapping loads instead of a loop over the bytes.
    static std::uint64_t word_at(std::string_view s, std::size_t i) {
        const char* p = s.data() + i;
        std::size_t n = std::min<std::size_t>(8, s.size() - i);
        if (n == 8) {
            std::uint64_t w;
            std::memcpy(&w, p, 8);
            return w;
        }
        if (n >= 4) {
            std::uint32_t low, high;
            std::memcpy(&low, p, 4);
            std::memcpy(&high, p + n - 4, 4);
            return low | (std::uint64_t{high} << (8 * (n - 4)));
        }
        if (n == 0) return 0;
        auto byte = [&](std::size_t k) { return std::uint64_t{static_cast<unsigned char>(p[k])} << (8 * k); };
        return byte(0) | byte(n / 2) | byte(n - 1);
    }
    static std::uint64_t head_of(std::string_view s) { return word_at(s, 0); }
    // Eight bytes at a time, then splitmix64's finisher: every byte reaches the low bits that pick
    // the slot (a single multiply leaves them blind to an id's last bytes, and ids that differ only
    // there, R008120 … R008129, would crowd into one run of slots).
    static std::uint64_t hash(std::string_view s, std::uint64_t head) {
        std::uint64_t h = (s.size() * 0x9E3779B97F4A7C15ull) ^ head;
        for (std::size_t i = 8; i < s.size(); i += 8)
            h = (h * 0xBF58476D1CE4E5B9ull) ^ word_at(s, i);
        h ^= h >> 30;
        h *= 0xBF58476D1CE4E5B9ull;
        h ^= h >> 27;
        h *= 0x94D049BB133111EBull;
        return h ^ (h >> 31);
    }
    std::vector<Slot> slots_;
    std::vector<std::string_view> ids_;  // views into the plan, which outlives the reader
    std::size_t mask_ = 0;
};

// "2027-03-01" → a date through a table of the plan's years (±1), since actuals repeat a few
// hundred dates millions of times; anything else (2027/1/7, 2027年1月7日) goes through read_date_cell.
class DateTable {
public:
    DateTable(Date first, Date last) {
        using namespace std::chrono;
        first_year_ = static_cast<int>(year_month_day{first}.year()) - 1;
        int years = static_cast<int>(year_month_day{last}.year()) + 1 - first_year_ + 1;
        days_.assign(static_cast<std::size_t>(years) * 12 * 31, kInvalid);
        for (int y = 0; y < years; ++y)
            for (unsigned m = 1; m <= 12; ++m)
                for (unsigned d = 1; d <= 31; ++d) {
                    year_month_day ymd{year{first_year_ + y}, month{m}, day{d}};
                    if (ymd.ok()) days_[slot(y, m, d)] = static_cast<int>(sys_days{ymd}.time_since_epoch().count());
                }
    }
    std::optional<Date> parse(std::string_view s) const {
        if (s.size() == 10 && s[4] == '-' && s[7] == '-') {
            // The eight digits in one word (YYYY, MM, DD), checked and taken apart together.
            auto byte = [&](std::size_t i, int k) {
                return std::uint64_t{static_cast<unsigned char>(s[i])} << (8 * k);
            };
            const std::uint64_t chars =
                byte(0, 0) | byte(1, 1) | byte(2, 2) | byte(3, 3) | byte(5, 4) | byte(6, 5) | byte(8, 6) | byte(9, 7);
            constexpr std::uint64_t high = 0xF0F0F0F0F0F0F0F0ull, zeros = 0x3030303030303030ull;
            // Each byte 0x30–0x3F, and still so after adding 6: '0'–'9'.
            const bool digits = (chars & high) == zeros && ((chars + 0x0606060606060606ull) & high) == zeros;
            const std::uint64_t v = chars - zeros;
            auto at = [&](int k) { return static_cast<int>((v >> (8 * k)) & 0xFF); };
            int y = at(0) * 1000 + at(1) * 100 + at(2) * 10 + at(3) - first_year_;
            unsigned m = static_cast<unsigned>(at(4) * 10 + at(5)), d = static_cast<unsigned>(at(6) * 10 + at(7));
            if (digits && y >= 0 && static_cast<std::size_t>(y) * 372 < days_.size() && m >= 1 && m <= 12 && d >= 1 &&
                d <= 31) {
                int days = days_[slot(y, m, d)];
                if (days == kInvalid) return std::nullopt;
                return Date{std::chrono::days{days}};
            }
        }
        return read_date_cell(s);
    }

private:
    static constexpr int kInvalid = std::numeric_limits<int>::min();
    static std::size_t slot(int y, unsigned m, unsigned d) {
        return static_cast<std::size_t>(y) * 372 + (m - 1) * 31 + d - 1;
    }
    int first_year_ = 0;
    std::vector<int> days_;
};

// True when every byte is ASCII (then no record needs a UTF-8 check of its own).
bool all_ascii(std::string_view text) {
    std::size_t i = 0;
    bool ascii = true;
#if defined(__SSE2__)
    __m128i high = _mm_setzero_si128();
    for (; i + 16 <= text.size(); i += 16)
        high = _mm_or_si128(high, _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + i)));
    ascii = _mm_movemask_epi8(high) == 0;
#endif
    std::uint64_t high_bits = 0;
    for (; i + 8 <= text.size(); i += 8) {
        std::uint64_t word;
        std::memcpy(&word, text.data() + i, 8);
        high_bits |= word;
    }
    for (; i < text.size(); ++i)
        high_bits |= static_cast<unsigned char>(text[i]);
    return ascii && (high_bits & 0x8080808080808080ull) == 0;
}

// How many '\n' `text` holds, sixteen (or eight) bytes at a time: a chunk's lines are counted
// before it is parsed.
std::size_t count_newlines(std::string_view text) {
    std::size_t n = 0, i = 0;
#if defined(__SSE2__)
    // Each byte lane counts its matches (a match compares as -1) up to 255 times, then the lanes
    // are summed.
    const __m128i newline = _mm_set1_epi8('\n'), zero = _mm_setzero_si128();
    while (i + 16 <= text.size()) {
        __m128i lanes = zero;
        for (int k = 0; k < 255 && i + 16 <= text.size(); ++k, i += 16)
            lanes = _mm_sub_epi8(
                lanes, _mm_cmpeq_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + i)), newline));
        const __m128i sums = _mm_sad_epu8(lanes, zero);  // two 16-bit sums, in the low and the high half
        n += static_cast<std::size_t>(_mm_cvtsi128_si32(sums) + _mm_extract_epi16(sums, 4));
    }
#endif
    const std::uint64_t ones = 0x0101010101010101ull, low7 = 0x7F7F7F7F7F7F7F7Full, newlines = ones * '\n';
    for (; i + 8 <= text.size(); i += 8) {
        std::uint64_t word;
        std::memcpy(&word, text.data() + i, 8);
        const std::uint64_t x = word ^ newlines;
        const std::uint64_t zero_byte = ~(((x & low7) + low7) | x | low7) >> 7;  // 1 in each zero byte
        n += static_cast<std::size_t>((zero_byte * ones) >> 56);                 // their sum, in the top byte
    }
    for (; i < text.size(); ++i)
        n += text[i] == '\n' ? 1 : 0;
    return n;
}

// Where the record starting at `pos` ends (its '\n', or the end of `text`). With quotes, a
// newline inside a quoted field belongs to the record; `spanned` counts those.
std::size_t record_end(std::string_view text, std::size_t pos, bool quotes, int& spanned) {
    spanned = 0;
    if (!quotes) {
        std::size_t end = text.find('\n', pos);
        return end == std::string_view::npos ? text.size() : end;
    }
    bool quoted = false;
    for (std::size_t i = pos; i < text.size(); ++i) {
        if (text[i] == '"') {
            quoted = !quoted;
        } else if (text[i] == '\n') {
            if (!quoted) return i;
            ++spanned;
        }
    }
    return text.size();
}

// True when the first thing in `text` opens a JSON object (NDJSON, whose records are lines).
bool looks_like_json(std::string_view text) {
    std::size_t lead = text.find_first_not_of(" \t\xEF\xBB\xBF");
    return lead != std::string_view::npos && text[lead] == '{';
}

// Where the last complete record ends in a buffer that grows at its end, found by looking at each
// byte once: a record that never ends (one endless line) costs time in proportion to its length,
// not to its square, until the record limit stops it.
class RecordCutter {
public:
    /// `quotes`: a newline inside "…" does not end a record (CSV); NDJSON records are lines.
    explicit RecordCutter(bool quotes) : quotes_(quotes) {}
    /// Changes the mode; only before a quote or a newline was seen (while the text is blank).
    void set_quotes(bool quotes) { quotes_ = quotes; }
    /// One past the last complete record in `text` (0 when there is none yet). `text` is what the
    /// previous call saw, with bytes appended and its first drop()ped bytes removed.
    std::size_t cut(std::string_view text) {
        std::string_view fresh = text.substr(scanned_);
        if (quotes_ && fresh.find('"') != std::string_view::npos) {
            for (std::size_t i = 0; i < fresh.size(); ++i) {
                if (fresh[i] == '"')
                    quoted_ = !quoted_;
                else if (fresh[i] == '\n' && !quoted_)
                    cut_ = scanned_ + i + 1;
            }
        } else if (!quoted_) {  // (inside a quoted field, newlines end nothing)
            std::size_t nl = fresh.rfind('\n');
            if (nl != std::string_view::npos) cut_ = scanned_ + nl + 1;
        }
        scanned_ = text.size();
        return cut_;
    }
    /// The text's first `n` bytes (at most up to the last cut) were taken away.
    void drop(std::size_t n) {
        scanned_ -= std::min(n, scanned_);
        cut_ -= std::min(n, cut_);
    }

private:
    bool quotes_;
    bool quoted_ = false;      // inside a quoted field at scanned_
    std::size_t scanned_ = 0;  // bytes of the text looked at
    std::size_t cut_ = 0;      // one past the last complete record seen
};

// A record that has run past the limit without ending: reading stops here, whatever follows.
Error record_too_long(const std::string& file, int line, const InputLimits& limits) {
    return Error::input({file, line, 0, ""},
                        fmt::format("a record runs past {} without ending (no end of line, or an unclosed quote)",
                                    format_bytes(limits.record_bytes)),
                        limits.record_hint);
}

// What a column is for.
struct ColumnRole {
    enum class Kind { ignored, date, level, metric };
    Kind kind = Kind::ignored;
    int dimension = -1;
    int depth = -1;
    int metric = -1;  // position in metrics()
};

// "1234.56" or "-3.5" with at most `decimals` places → minor units, fast; other forms ("1,234.50",
// "7.5万", "¥1,000.00", "(500.00)") through read_minor_cell. nullopt when it is not an exact amount
// of this precision.
std::optional<Minor> parse_amount(std::string_view s, int decimals) {
    constexpr Minor kLimit = 90'000'000'000'000'000;  // ten times it still fits
    auto digit = [](char c) { return static_cast<unsigned char>(c - '0') < 10; };
    const std::size_t n = s.size();
    std::size_t i = 0;
    bool negative = false;
    if (i < n && (s[i] == '-' || s[i] == '+')) negative = s[i++] == '-';
    if (i < n) {
        Minor value = 0;
        int places = 0;
        for (; i < n && digit(s[i]) && value < kLimit; ++i)  // the whole units
            value = value * 10 + (s[i] - '0');
        if (i < n && s[i] == '.')
            for (++i; i < n && digit(s[i]) && places < decimals && value < kLimit; ++i, ++places)
                value = value * 10 + (s[i] - '0');
        if (i == n) {
            for (int p = places; p < decimals; ++p)
                value *= 10;
            if (value < 0) return std::nullopt;
            return negative ? -value : value;
        }
    }
    return read_minor_cell(s, decimals);
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

// What the header decided, shared read-only by every part.
struct ActualsReader::Impl {
    ActualsReader& r;
    const Plan& plan;
    std::vector<std::vector<IdTable>> ids;  // [dimension][depth]
    DateTable dates;
    std::string file;
    bool ndjson = false;
    char delimiter = ',';
    std::vector<ColumnRole> roles;
    std::vector<std::string> header_names;
    int date_column = -1;
    std::vector<int> member_column;                       // per dimension: the column at depth_, or -1
    std::vector<std::vector<std::pair<int, int>>> above;  // per dimension: (column, depth) of ancestors
    // Per dimension and entry of `above`: the planned ancestor's index for each member at depth_.
    std::vector<std::vector<std::vector<int>>> planned_above;
    std::vector<Metric> counts;  // the count columns, read as whole numbers
    // The metric columns, in header order: where each is, its place in the amounts, its metric.
    struct MetricColumn {
        std::size_t column = 0, position = 0;
        const Metric* metric = nullptr;
    };
    std::vector<MetricColumn> metric_columns;
    // A column above a member column: where it is, its level, per member below the planned
    // ancestor's index there (into planned_above), and that level's members.
    struct AboveColumn {
        std::size_t column = 0;
        int depth = -1;
        const int* planned = nullptr;
        const std::vector<Member>* members = nullptr;
    };
    // Per dimension with a column (in the plan's order): its deepest column, and those above it.
    struct MemberColumn {
        std::size_t dimension = 0, column = 0;
        int depth = -1;
        const IdTable* ids = nullptr;
        std::vector<AboveColumn> above;
    };
    std::vector<MemberColumn> member_columns;

    explicit Impl(ActualsReader& reader) : r(reader), plan(reader.plan_), dates(plan.first, plan.last) {
        for (const auto& dim : plan.dimensions) {
            ids.emplace_back();
            for (const auto& level : dim.members)
                ids.back().emplace_back(level);
        }
        for (const auto& name : r.options_.counts) {
            Metric count;
            count.id = name;
            count.money = false;
            count.decimals = 0;
            counts.push_back(std::move(count));
        }
    }

    const Metric& metric_of(int which) const {
        return which >= 0 ? plan.metrics[static_cast<std::size_t>(which)]
                          : counts[static_cast<std::size_t>(kCountColumn - which)];
    }

    std::string target_of(const std::string& column) const {
        for (const auto& [from, to] : r.options_.map)
            if (from == column) return to;
        return column;
    }

    // Whether a column named `name` (after --map) is read: the date, a metric, a count or a level.
    bool is_read(const std::string& name) const {
        if (name == "date" || plan.metric_index(name) >= 0) return true;
        if (std::find(r.options_.counts.begin(), r.options_.counts.end(), name) != r.options_.counts.end()) return true;
        for (const auto& dimension : plan.dimensions)
            if (std::find(dimension.levels.begin(), dimension.levels.end(), name) != dimension.levels.end())
                return true;
        return false;
    }

    // A header that can be read two ways is refused, every problem at once: a --map naming no column
    // (a typo would leave the column it meant unread), and two columns giving the same date, level or
    // metric ("sales,sales"; or "销售额,sales" with 销售额 mapped to sales).
    void check_header(const std::vector<std::string_view>& header, const SourceLocation& where) const {
        std::vector<Diagnostic> problems;
        for (const auto& [from, to] : r.options_.map)
            if (std::find(header.begin(), header.end(), from) == header.end())
                problems.push_back({Severity::error, where,
                                    fmt::format("{} {}={}: the file has no column \"{}\" (columns: {})",
                                                mention(Field::map), from, to, from, fmt::join(header, ", ")),
                                    "name the column as the header spells it"});
        std::map<std::string, std::size_t> first;  // what a column gives → the first column giving it
        for (std::size_t c = 0; c < header.size(); ++c) {
            const std::string name = target_of(std::string(header[c]));
            if (!is_read(name)) continue;
            auto [it, fresh] = first.emplace(name, c);
            if (fresh) continue;
            problems.push_back(
                {Severity::error, where,
                 fmt::format("columns {} (\"{}\") and {} (\"{}\") both give {}: either could be the one read",
                             it->second + 1, header[it->second], c + 1, header[c], name),
                 fmt::format("keep one: {} COLUMN=unused leaves a column out", mention(Field::map))});
        }
        if (!problems.empty()) throw Error(std::move(problems));
    }

    // Matches a header: which column is the date, which are levels, which are metrics.
    void match_header(const std::vector<std::string_view>& header, int line) {
        check_header(header, SourceLocation{file, line, 0, ""});
        header_names.assign(header.begin(), header.end());
        roles.assign(header.size(), ColumnRole{});
        date_column = -1;
        r.depth_.assign(plan.dimensions.size(), -1);
        r.metrics_.clear();
        member_column.assign(plan.dimensions.size(), -1);
        above.assign(plan.dimensions.size(), {});
        for (std::size_t c = 0; c < header.size(); ++c) {
            std::string name = target_of(std::string(header[c]));
            if (name == "date") {
                roles[c].kind = ColumnRole::Kind::date;
                date_column = static_cast<int>(c);
                continue;
            }
            int m = plan.metric_index(name);
            if (m >= 0 && !plan.metrics[static_cast<std::size_t>(m)].rate &&
                (plan.metrics[static_cast<std::size_t>(m)].stretch_of < 0 ||
                 plan.metrics[static_cast<std::size_t>(m)].budget)) {  // spend is reported against budgets
                roles[c] = ColumnRole{ColumnRole::Kind::metric, -1, -1, static_cast<int>(r.metrics_.size())};
                r.metrics_.push_back(m);
                continue;
            }
            auto count = std::find(r.options_.counts.begin(), r.options_.counts.end(), name);
            if (m < 0 && count != r.options_.counts.end()) {
                roles[c] = ColumnRole{ColumnRole::Kind::metric, -1, -1, static_cast<int>(r.metrics_.size())};
                r.metrics_.push_back(kCountColumn - static_cast<int>(count - r.options_.counts.begin()));
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
        metric_columns.clear();
        for (std::size_t c = 0; c < roles.size(); ++c)
            if (roles[c].kind == ColumnRole::Kind::metric) {
                const auto position = static_cast<std::size_t>(roles[c].metric);
                metric_columns.push_back({c, position, &metric_of(r.metrics_[position])});
            }
        for (std::size_t c = 0; c < roles.size(); ++c)
            if (roles[c].kind == ColumnRole::Kind::level &&
                static_cast<int>(c) != member_column[static_cast<std::size_t>(roles[c].dimension)])
                above[static_cast<std::size_t>(roles[c].dimension)].emplace_back(static_cast<int>(c), roles[c].depth);
        planned_above.assign(plan.dimensions.size(), {});
        for (std::size_t d = 0; d < plan.dimensions.size(); ++d) {
            const auto& levels = plan.dimensions[d].members;
            for (auto [column, depth] : above[d]) {
                auto& ids_above = planned_above[d].emplace_back();
                for (std::size_t i = 0; i < levels[static_cast<std::size_t>(r.depth_[d])].size(); ++i) {
                    int m = static_cast<int>(i);
                    for (int k = r.depth_[d]; k > depth; --k)
                        m = levels[static_cast<std::size_t>(k)][static_cast<std::size_t>(m)].parent;
                    ids_above.push_back(m);
                }
            }
        }
        member_columns.clear();
        for (std::size_t d = 0; d < plan.dimensions.size(); ++d) {
            if (member_column[d] < 0) continue;
            const auto depth = static_cast<std::size_t>(r.depth_[d]);
            MemberColumn& mc = member_columns.emplace_back(
                MemberColumn{d, static_cast<std::size_t>(member_column[d]), r.depth_[d], &ids[d][depth], {}});
            for (std::size_t a = 0; a < above[d].size(); ++a) {
                auto [column, above_depth] = above[d][a];
                mc.above.push_back({static_cast<std::size_t>(column), above_depth, planned_above[d][a].data(),
                                    &plan.dimensions[d].members[static_cast<std::size_t>(above_depth)]});
            }
        }
        SourceLocation where{file, line, 0, ""};
        if (date_column < 0)
            throw Error::input(where, fmt::format("no \"date\" column (columns: {})", fmt::join(header_names, ", ")),
                               "name it \"date\" or map it: " + mention(Field::map) + " COLUMN=date");
        if (r.metrics_.empty()) {
            std::vector<std::string> metric_ids;
            for (const auto& m : plan.metrics)
                if (!m.rate && (m.stretch_of < 0 || m.budget)) metric_ids.push_back(m.id);
            const auto& wanted_counts = r.options_.counts;
            std::string wanted = wanted_counts.empty()
                                     ? fmt::format("the plan's metrics ({})", fmt::join(metric_ids, ", "))
                                     : fmt::format("\"{}\" nor for the plan's metrics ({})",
                                                   fmt::join(wanted_counts, "\", \""), fmt::join(metric_ids, ", "));
            throw Error::input(where,
                               fmt::format("no column for {}; columns: {}", wanted, fmt::join(header_names, ", ")),
                               fmt::format("map one: {} COLUMN={}", mention(Field::map),
                                           !wanted_counts.empty() ? wanted_counts.front()
                                           : metric_ids.empty()   ? std::string("METRIC")
                                                                  : metric_ids[0]));
        }
    }

    // Reads the header from the start of `text` (the first record); returns where the rows begin.
    std::size_t read_header(std::string_view text) {
        int spanned = 0;
        std::size_t end = record_end(text, 0, !looks_like_json(text), spanned);
        std::string_view first = text.substr(0, end);
        if (!first.empty() && first.back() == '\r') first.remove_suffix(1);
        if (first.substr(0, 3) == "\xEF\xBB\xBF") first.remove_prefix(3);
        if (std::size_t bad = 0; !valid_utf8(first, &bad))
            throw Error::input({file, 1, static_cast<int>(bad) + 1, ""}, "invalid UTF-8 in the header",
                               valid_gb18030(first) ? gb18030_hint() : std::string("save the file as UTF-8"));
        std::size_t lead = first.find_first_not_of(" \t");
        ndjson = lead != std::string_view::npos && first[lead] == '{';
        std::vector<std::string_view> fields;
        std::vector<std::string> scratch;
        if (ndjson) {
            // One JSON object per line; its keys are the columns, and it is a row as well.
            try {
                auto doc = detail::JsonDocument::parse(std::string(first), file);
                if (!doc.root().is_object()) throw Error::input({file, 1, 0, ""}, "expected a JSON object");
                for (const auto& m : doc.root().members())
                    scratch.emplace_back(m.first);
            } catch (const Error& e) {
                throw Error::input({file, 1, 0, ""},
                                   e.diagnostics().empty() ? "not JSON" : e.diagnostics().front().message);
            }
            fields.assign(scratch.begin(), scratch.end());
            match_header(fields, 1);
            return 0;
        }
        delimiter =
            first.find('\t') != std::string_view::npos && first.find(',') == std::string_view::npos ? '\t' : ',';
        split_record(first, delimiter, fields, scratch);
        match_header(fields, 1);
        return end < text.size() ? end + 1 : end;
    }
};

namespace {

// One thread's share of the work: its buffers, and what it saw.
struct alignas(64) Part {  // a cache line of its own: parts count rows on different threads
    const ActualsReader::Impl& im;
    const ActualsOptions& options;
    int index = 0;
    ActualsSummary summary;
    std::vector<int> members;
    std::vector<KnownMember> known;  // per dimension, for an unplanned member: its deepest known ancestor
    std::vector<Minor> amounts;
    std::vector<std::string_view> fields;
    std::vector<std::string> scratch;

    Part(const ActualsReader::Impl& impl, const ActualsOptions& o, int i)
        : im(impl),
          options(o),
          index(i),
          members(im.plan.dimensions.size(), -1),
          known(im.plan.dimensions.size()),
          amounts(im.r.metrics().size(), 0) {}

    // A bad row is kept in the summary (the first few) and counted.
    // `column`: the 0-based column at fault, when one is (a workbook's message then names its cell).
    void bad_row(int line, std::string message, std::string hint = {}, int column = -1) {
        ++summary.skipped;
        Severity severity = options.skip_bad_rows ? Severity::warning : Severity::error;
        if (summary.problems.size() < kKeptProblems)
            summary.problems.push_back(
                {severity, {im.file, line, 0, ""}, std::move(message), std::move(hint), Field::none, column});
    }

    // A record that is not UTF-8 (in a file read as UTF-8): where, and whether it looks like GB18030.
    void bad_utf8(int line, std::string_view text) {
        std::size_t bad = 0;
        valid_utf8(text, &bad);
        bad_row(line, fmt::format("invalid UTF-8 (byte {} of the row)", bad + 1),
                valid_gb18030(text) ? gb18030_hint() : std::string());
    }

    // Parses the records of one chunk (whole records only) and delivers them.
    void chunk(std::string_view text, int first_line, const ActualsReader::Sink& sink) {
        const bool quotes = !im.ndjson && text.find('"') != std::string_view::npos;
        const bool ascii = all_ascii(text);
        int line = first_line;
        if (!quotes && !im.ndjson) {
            plain_chunk(text, line, ascii, sink);
            return;
        }
        for (std::size_t pos = 0; pos < text.size();) {
            int spanned = 0;
            std::size_t end = record_end(text, pos, quotes, spanned);
            record(text.substr(pos, end - pos), line, ascii, sink);
            line += 1 + spanned;
            pos = end + 1;
        }
    }

    // The common case (CSV or TSV without quotes), in one pass: separators found sixteen (or
    // eight) bytes at a time, fields cut at each delimiter, a record ended at each newline.
    void plain_chunk(std::string_view text, int line, bool ascii, const ActualsReader::Sink& sink) {
        const char* const base = text.data();
        const char* start = base;
        const char* field = base;
        fields.clear();
        auto end_record = [&](const char* at) {
            std::string_view last(field, static_cast<std::size_t>(at - field));
            if (!last.empty() && last.back() == '\r') last.remove_suffix(1);
            fields.push_back(last);
            bool blank = fields.size() == 1 && last.find_first_not_of(" \t") == std::string_view::npos;
            if (!blank) {
                if (!ascii && !valid_utf8(std::string_view(start, static_cast<std::size_t>(at - start))))
                    bad_utf8(line, std::string_view(start, static_cast<std::size_t>(at - start)));
                else
                    row(fields, line, sink);
            }
            ++line;
            start = field = at + 1;
            fields.clear();
        };
        auto separator = [&](const char* at) {
            if (*at == '\n') {
                end_record(at);
            } else {
                fields.emplace_back(field, static_cast<std::size_t>(at - field));
                field = at + 1;
            }
        };
        const std::uint64_t ones = 0x0101010101010101ull, low7 = 0x7F7F7F7F7F7F7F7Full;
        const std::uint64_t delimiters = ones * static_cast<unsigned char>(im.delimiter), newlines = ones * '\n';
        auto zero_bytes = [&](std::uint64_t x) { return ~(((x & low7) + low7) | x | low7); };  // exact
        std::size_t i = 0;
#if defined(__SSE2__)
        const __m128i delimiter16 = _mm_set1_epi8(im.delimiter), newline16 = _mm_set1_epi8('\n');
        for (; i + 16 <= text.size(); i += 16) {
            const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(base + i));
            auto hits = static_cast<unsigned>(
                _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(bytes, delimiter16), _mm_cmpeq_epi8(bytes, newline16))));
            for (; hits; hits &= hits - 1)
                separator(base + i + static_cast<std::size_t>(__builtin_ctz(hits)));
        }
#endif
        for (; i + 8 <= text.size(); i += 8) {
            std::uint64_t word;
            std::memcpy(&word, base + i, 8);
            std::uint64_t hits = zero_bytes(word ^ delimiters) | zero_bytes(word ^ newlines);
            for (; hits; hits &= hits - 1)
                separator(base + i + static_cast<std::size_t>(__builtin_ctzll(hits) >> 3));
        }
        for (; i < text.size(); ++i)
            if (base[i] == im.delimiter || base[i] == '\n') separator(base + i);
        if (start < base + text.size()) end_record(base + text.size());  // no final newline
    }

    void record(std::string_view text, int line, bool ascii, const ActualsReader::Sink& sink) {
        if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
        if (text.empty() || text.find_first_not_of(" \t") == std::string_view::npos) return;  // blank line
        if (!ascii && !valid_utf8(text)) {
            bad_utf8(line, text);
            return;
        }
        if (im.ndjson) {
            if (!ndjson_fields(text, line)) return;
        } else {
            split_record(text, im.delimiter, fields, scratch);
        }
        row(fields, line, sink);
    }

    bool ndjson_fields(std::string_view text, int line) {
        try {
            auto doc = detail::JsonDocument::parse(std::string(text), im.file);
            const auto& root = doc.root();
            if (!root.is_object()) {
                bad_row(line, "expected a JSON object");
                return false;
            }
            scratch.clear();
            scratch.resize(im.roles.size());
            std::size_t c = 0;
            for (const auto& m : root.members()) {
                if (c < scratch.size()) scratch[c] = m.second.text;
                ++c;
            }
            if (c != im.roles.size()) {
                bad_row(line, fmt::format("{} keys where the first object has {}", c, im.roles.size()));
                return false;
            }
            fields.assign(scratch.begin(), scratch.end());
            return true;
        } catch (const Error& e) {
            bad_row(line, e.diagnostics().empty() ? "not JSON" : e.diagnostics().front().message);
            return false;
        }
    }

    // For a member the plan does not have: the deepest of its ancestor columns that names a planned
    // member of its level ("华北" for an unknown rep under region 华北), or none.
    KnownMember nearest_known(std::size_t d, std::span<const std::string_view> cells) const {
        KnownMember best;
        for (auto [col, depth] : im.above[d]) {
            if (depth <= best.depth) continue;
            int m = im.ids[d][static_cast<std::size_t>(depth)].find(cells[static_cast<std::size_t>(col)]);
            if (m >= 0) best = KnownMember{depth, m};
        }
        return best;
    }

    // Matches one record's fields; delivers it or reports it.
    void row(std::span<const std::string_view> cells, int line, const ActualsReader::Sink& sink) {
        const Plan& plan = im.plan;
        if (cells.size() != im.roles.size()) {
            bad_row(line, fmt::format("{} fields where the header has {}", cells.size(), im.roles.size()));
            return;
        }
        std::string_view date_text = cells[static_cast<std::size_t>(im.date_column)];
        std::optional<Date> date = im.dates.parse(date_text);
        if (!date) {
            ValueProblem why;
            read_date_cell(date_text, &why);
            // Named by its column, as amounts are: a workbook's error then points at the date's cell.
            bad_row(line,
                    fmt::format("column \"{}\": {}", im.header_names[static_cast<std::size_t>(im.date_column)],
                                why.message),
                    why.hint, im.date_column);
            return;
        }
        if (*date < plan.first || *date > plan.last) {
            bad_row(line,
                    fmt::format("{} is outside the plan's period ({} … {})", date_text, format_date(plan.first),
                                format_date(plan.last)),
                    {}, im.date_column);
            return;
        }
        for (const auto& mc : im.metric_columns) {
            std::string_view cell = cells[mc.column];
            // An empty cell records nothing (a spreadsheet's blank): it adds nothing to the sums.
            auto a = cell.empty() ? std::optional<Minor>(0) : parse_amount(cell, mc.metric->decimals);
            if (!a) {
                ValueProblem why;
                read_minor_cell(cell, mc.metric->decimals, &why);
                bad_row(line,
                        fmt::format("column \"{}\": not an amount of \"{}\" ({} decimals): \"{}\"",
                                    im.header_names[mc.column], mc.metric->id, mc.metric->decimals, cell),
                        why.hint, static_cast<int>(mc.column));
                return;
            }
            amounts[mc.position] = *a;
        }
        bool unplanned = false;
        for (const auto& mc : im.member_columns) {
            const std::size_t d = mc.dimension;
            std::string_view value = cells[mc.column];
            int found = mc.ids->find(value);
            if (found < 0) {
                members[d] = kUnplanned;
                unplanned = true;
                known[d] = nearest_known(d, cells);
                if (summary.unknown.size() < kKeptNames)
                    ++summary.unknown[fmt::format(
                        "{}={}", plan.dimensions[d].levels[static_cast<std::size_t>(mc.depth)], value)];
                continue;
            }
            members[d] = found;
            known[d] = KnownMember{};
            // Ancestor columns must agree with the plan; the plan's tree wins, and the difference is
            // reported. The planned ancestor's id is compared as text: the level above has few members,
            // whose ids stay in the cache.
            for (const auto& above : mc.above) {
                std::string_view given = cells[above.column];
                std::string_view planned_id =
                    (*above.members)[static_cast<std::size_t>(above.planned[static_cast<std::size_t>(found)])].id;
                if (equal(given, planned_id)) continue;
                if (summary.moved.size() < kKeptNames) {
                    const auto& levels = plan.dimensions[d].levels;
                    ++summary.moved[fmt::format("{}={} under {}={} (the plan has {})",
                                                levels[static_cast<std::size_t>(mc.depth)], value,
                                                levels[static_cast<std::size_t>(above.depth)], given, planned_id)];
                }
            }
        }
        ++summary.rows;
        if (unplanned) ++summary.unplanned;
        sink(index, ActualRow{*date, members, amounts, line, known});
    }
};

// Whole records, cut from the stream, with the line their first record starts on.
struct Chunk {
    std::string text;
    int first_line = 0;
};

// Chunks handed from the reading thread to the parsing threads, in order; bounded, so memory stays
// a few chunks whatever the file's size.
class ChunkQueue {
public:
    // Buffers grown past `keep_bytes` (by a long record) are not kept for reuse.
    ChunkQueue(std::size_t capacity, std::size_t keep_bytes) : capacity_(capacity), keep_bytes_(keep_bytes) {}
    // False when the queue was stopped (a part failed).
    bool push(Chunk chunk) {
        std::unique_lock lock(mutex_);
        not_full_.wait(lock, [&] { return queue_.size() < capacity_ || stopped_; });
        if (stopped_) return false;
        queue_.push_back(std::move(chunk));
        not_empty_.notify_one();
        return true;
    }
    std::optional<Chunk> pop() {
        std::unique_lock lock(mutex_);
        not_empty_.wait(lock, [&] { return !queue_.empty() || closed_ || stopped_; });
        if (stopped_ || queue_.empty()) return std::nullopt;
        Chunk c = std::move(queue_.front());
        queue_.pop_front();
        not_full_.notify_one();
        return c;
    }
    void close() {
        std::lock_guard lock(mutex_);
        closed_ = true;
        not_empty_.notify_all();
    }
    void stop() {
        std::lock_guard lock(mutex_);
        stopped_ = true;
        not_empty_.notify_all();
        not_full_.notify_all();
    }
    // A free buffer to read into (keeps the capacity of one a part has finished with).
    std::string buffer() {
        std::lock_guard lock(mutex_);
        if (free_.empty()) return {};
        std::string b = std::move(free_.back());
        free_.pop_back();
        return b;
    }
    void recycle(std::string b) {
        std::lock_guard lock(mutex_);
        b.clear();
        if (free_.size() < capacity_ + 2 && b.capacity() <= keep_bytes_) free_.push_back(std::move(b));
    }

private:
    std::mutex mutex_;
    std::condition_variable not_empty_, not_full_;
    std::deque<Chunk> queue_;
    std::vector<std::string> free_;
    std::size_t capacity_, keep_bytes_;
    bool closed_ = false, stopped_ = false;
};

// The data file opened for reading (stdin for "-", which is left open).
class InputFile {
public:
    InputFile(const std::string& path, std::FILE* stdin_stream) : file_(stdin_stream), owned_(path != "-") {
        if (!owned_) return;
        check_data_file(path);
        file_ = std::fopen(path.c_str(), "rb");
        if (!file_) throw Error::unreadable(path, fmt::format("cannot read: {}", std::strerror(errno)));
    }
    InputFile(const InputFile&) = delete;
    InputFile& operator=(const InputFile&) = delete;
    ~InputFile() {
        if (owned_) std::fclose(file_);
    }
    std::FILE* get() const { return file_; }

private:
    std::FILE* file_;
    bool owned_;
};

// The stream cut into its header record, then chunks of whole records, each no larger than a record
// may be (so that the buffer stays within the limit), with the line each chunk starts on.
class ChunkReader {
public:
    ChunkReader(std::FILE* in, const std::string& file, const InputLimits& limits, std::uint64_t chunk_bytes)
        : in_(in),
          file_(file),
          limits_(limits),
          record_limit_(std::max<std::uint64_t>(limits.record_bytes, 1)),
          chunk_bytes_(static_cast<std::size_t>(std::clamp<std::uint64_t>(chunk_bytes, 1, record_limit_))),
          decoder_(limits.encoding, file) {}

    std::size_t chunk_bytes() const { return chunk_bytes_; }

    // The text read so far, the whole header record at its start: read until that record is complete
    // (a CSV header may hold a quoted newline). Until its first byte that is not blank, whether it is
    // CSV or NDJSON is open (and makes no difference).
    const std::string& read_header() {
        RecordCutter header(true);
        std::size_t blank = 0;
        bool decided = false;
        while (!eof_ && header.cut(carry_) == 0) {
            if (carry_.size() > record_limit_) throw record_too_long(file_, 1, limits_);
            fill(carry_);
            if (!decided) {
                blank = std::min(carry_.find_first_not_of(" \t\xEF\xBB\xBF", blank), carry_.size());
                decided = blank < carry_.size();
                header.set_quotes(!decided || carry_[blank] != '{');
            }
        }
        return carry_;
    }

    // The header took the first `body` bytes; the records after it are lines (NDJSON) or CSV records.
    void start_body(std::size_t body, bool ndjson) {
        next_line_ =
            1 + static_cast<int>(std::count(carry_.begin(), carry_.begin() + static_cast<std::ptrdiff_t>(body), '\n'));
        carry_.erase(0, body);
        cutter_.emplace(!ndjson);
    }

    // The next chunk of whole records (into `text`, whose capacity is reused), or nullopt at the end.
    // The cutter carries over what it learnt of the carry, so no byte is scanned twice.
    std::optional<Chunk> next(std::string text) {
        text.assign(carry_);
        carry_.clear();
        std::size_t end = 0;
        while (end == 0) {
            if (!eof_) fill(text);
            end = eof_ ? text.size() : cutter_->cut(text);
            if (eof_ && end == 0) return std::nullopt;
            if (end == 0 && text.size() > record_limit_) throw record_too_long(file_, next_line_, limits_);
        }
        cutter_->drop(end);
        carry_.assign(text, end);
        text.resize(end);
        Chunk c{std::move(text), next_line_};
        next_line_ += static_cast<int>(count_newlines(c.text));
        return c;
    }

private:
    // Appends the next bytes read, as UTF-8: straight from the file once it is known to be UTF-8,
    // else through the decoder (which may hold back a character cut at the end of what was read).
    void fill(std::string& text) {
        const bool direct = decoder_.seen() == Encoding::utf8;
        std::string& into = direct ? text : raw_;
        std::size_t old = direct ? text.size() : 0;
        into.resize(old + chunk_bytes_);
        std::size_t n = std::fread(into.data() + old, 1, chunk_bytes_, in_);
        into.resize(old + n);
        if (n == 0) {
            if (std::ferror(in_)) throw Error::unreadable(file_, "read failed");
            eof_ = true;
        }
        if (!direct) decoder_.feed(raw_, eof_, text);
    }

    std::FILE* in_;
    const std::string& file_;
    const InputLimits& limits_;
    std::uint64_t record_limit_;
    std::size_t chunk_bytes_;
    std::string carry_;  // read but not yet cut into whole records
    bool eof_ = false;
    int next_line_ = 1;
    std::optional<RecordCutter> cutter_;
    StreamDecoder decoder_;  // GB18030 → UTF-8, or found out from the first bytes that are not ASCII
    std::string raw_;        // bytes read, before decoding
};

// The body's chunks parsed by one part on this thread.
void parse_in_turn(Part& part, ChunkReader& reader, const ActualsReader::Sink& sink) {
    std::string buffer;
    while (auto c = reader.next(std::move(buffer))) {
        part.chunk(c->text, c->first_line, sink);
        buffer = std::move(c->text);
    }
}

// The body's chunks parsed by the parts, a thread each, while this thread reads and cuts; each part
// parses whole chunks, so a row is never split.
void parse_in_parallel(std::vector<Part>& parts, ChunkReader& reader, const ActualsReader::Sink& sink) {
    ChunkQueue queue(parts.size() * 2, 4 * reader.chunk_bytes());
    std::exception_ptr failure;
    std::mutex failure_mutex;
    ThreadPool threads(static_cast<int>(parts.size()));  // one worker per part: each waits on the queue
    for (auto& part : parts)
        threads.submit([&, p = &part] {
            try {
                while (auto c = queue.pop()) {
                    p->chunk(c->text, c->first_line, sink);
                    queue.recycle(std::move(c->text));
                }
            } catch (...) {
                std::lock_guard lock(failure_mutex);
                if (!failure) failure = std::current_exception();
                queue.stop();
            }
        });
    try {
        while (auto c = reader.next(queue.buffer()))
            if (!queue.push(std::move(*c))) break;
        queue.close();
    } catch (...) {
        queue.stop();
        throw;  // the pool's destructor waits for the parts, which see the queue stopped
    }
    threads.wait();
    if (failure) std::rethrow_exception(failure);
}

// What the parts saw, merged into `summary`; the bad rows kept are the first ones by line.
// Bad rows of a workbook's sheet located by cell ("Sheet1!C7": the column at fault, or the row
// "Sheet1!7:7" when no one column is) instead of by CSV line.
void locate_cells(std::vector<Diagnostic>& problems, const XlsxCsv& xlsx) {
    for (auto& d : problems) {
        if (d.where.line <= 0) continue;
        d.where.pointer = xlsx.cell(d.where.line, d.table_column);
        d.where.line = 0;
    }
}

void merge_summaries(std::vector<Part>& parts, ActualsSummary& summary) {
    for (const auto& part : parts)
        summary.add(part.summary);
    std::stable_sort(summary.problems.begin(), summary.problems.end(),
                     [](const Diagnostic& a, const Diagnostic& b) { return a.where.line < b.where.line; });
    if (summary.problems.size() > kKeptProblems) summary.problems.resize(kKeptProblems);
}

}  // namespace

void ActualsSummary::add(const ActualsSummary& other) {
    rows += other.rows;
    skipped += other.skipped;
    unplanned += other.unplanned;
    for (const auto& [k, n] : other.unknown)
        unknown[k] += n;
    for (const auto& [k, n] : other.moved)
        moved[k] += n;
    problems.insert(problems.end(), other.problems.begin(), other.problems.end());
}

ActualsReader::ActualsReader(const Plan& plan, ActualsOptions options) : plan_(plan), options_(std::move(options)) {}

int ActualsReader::parts() const {
    return std::max(1, options_.threads);
}

void ActualsReader::read(const std::string& path, const std::function<void(const ActualRow&)>& sink,
                         std::FILE* stdin_stream) {
    read_parts(
        path, [&](int, const ActualRow& row) { sink(row); }, {}, stdin_stream, 1);
}

void ActualsReader::read(const std::string& path, const Sink& sink, const std::function<void()>& on_header,
                         std::FILE* stdin_stream) {
    read_parts(path, sink, on_header, stdin_stream, parts());
}

void ActualsReader::read_parts(const std::string& path, const Sink& sink, const std::function<void()>& on_header,
                               std::FILE* stdin_stream, int part_count) {
    Impl im(*this);
    im.file = path == "-" ? "<stdin>" : path;
    summary_ = {};
    // A workbook's sheet is read as the CSV it holds; bad rows are then located as Sheet1!C7.
    std::optional<XlsxCsv> xlsx;
    if (path != "-" && is_xlsx_path(path)) xlsx.emplace(path, options_.sheet);
    const InputFile in(xlsx ? std::string("-") : path, xlsx ? xlsx->stream() : stdin_stream);
    ChunkReader reader(in.get(), im.file, options_.limits, options_.chunk_bytes);
    const std::string& header = reader.read_header();
    if (header.empty())
        throw Error::input({im.file, 0, 0, ""}, "empty: no header row", "the first row names the columns");
    reader.start_body(im.read_header(header), im.ndjson);
    if (on_header) on_header();

    std::vector<Part> parts;
    for (int p = 0; p < part_count; ++p)
        parts.emplace_back(im, options_, p);
    if (parts.size() == 1)
        parse_in_turn(parts[0], reader, sink);
    else
        parse_in_parallel(parts, reader, sink);
    merge_summaries(parts, summary_);
    if (xlsx) locate_cells(summary_.problems, *xlsx);
    fail_if_bad();
}

void ActualsReader::fail_if_bad() const {
    if (summary_.skipped == 0) return;
    if (options_.skip_bad_rows && summary_.rows > 0) return;
    if (options_.skip_bad_rows) {  // every row bad: skipping them would report a file as empty
        std::vector<Diagnostic> all = summary_.problems;
        for (auto& d : all)
            d.severity = Severity::error;
        all.push_back({Severity::error,
                       {all.empty() ? std::string() : all.front().where.file, 0, 0, ""},
                       fmt::format("every row is bad ({} in all): nothing would be read, so nothing is skipped",
                                   summary_.skipped),
                       fmt::format("{} skips a few bad rows, not a whole file: check the file's columns, dates "
                                   "and encoding ({} gb18030 reads GBK)",
                                   mention(Field::skip_bad_rows), mention(Field::encoding))});
        throw Error(std::move(all));
    }
    std::vector<Diagnostic> all = summary_.problems;
    std::string advice = "fix them, or pass " + mention(Field::skip_bad_rows) + " to report and skip them";
    std::string file = all.empty() ? std::string() : all.front().where.file;
    if (summary_.skipped > all.size())
        all.push_back({Severity::error,
                       {file, 0, 0, ""},
                       fmt::format("{} bad row(s) in all; the first {} are listed", summary_.skipped, all.size()),
                       advice});
    else  // after the last row's own hint, if it has one
        all.back().hint += (all.back().hint.empty() ? "" : "; ") + advice;
    throw Error(std::move(all));
}

}  // namespace tgt
