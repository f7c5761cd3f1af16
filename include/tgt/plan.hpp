#pragma once
// The plan model: what is to be split, by which rules, in which order. No JSON in here.

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "tgt/assessment.hpp"
#include "tgt/calendar.hpp"
#include "tgt/compact_string.hpp"
#include "tgt/error.hpp"
#include "tgt/input_limits.hpp"
#include "tgt/market_check.hpp"
#include "tgt/money.hpp"
#include "tgt/plan_model.hpp"
#include "tgt/seasonality.hpp"

namespace tgt {

struct Crossing;

/// A quantity the plan targets: money (2 decimals unless set), whole units, or a rate.
struct Metric {
    std::string id;
    std::string name;
    std::string unit;
    bool money = true;
    int decimals = 2;
    Minor quantum = 1;       ///< rounding step in minor units (1 = a cent for money)
    Minor total = 0;         ///< the target, in minor units
    std::string origin;      ///< how the total was stated when it is derived ("8333万 × (1 + 20%)", "Σ region")
    bool bottom_up = false;  ///< no total given: it is the sum of the first split level's amounts
    /// The stated task (任务) when the targets add up to more (an over-assignment no "allocate"
    /// declares: reps' amounts summing to 11 for a team's task of 10); progress reports against both.
    std::optional<Minor> task;

    /// Commitment and stretch: the stretch version is a metric of its own, split by the same rules.
    int stretch = -1;                      ///< this metric's stretch version, or -1
    int stretch_of = -1;                   ///< this metric is the stretch version of that one, or -1
    std::optional<Decimal> stretch_ratio;  ///< stretch stated as a share of the commitment ("125%")
    /// A budget line (销售预算): an expense split like its stretch_of metric (as a stretch version
    /// is), stated as a ratio of it (stretch_ratio) or an amount; its ratio column is cost ÷ sales.
    bool budget = false;

    /// Rate metrics (market share, 回款率) are held, not split, and aggregate as weighted averages.
    bool rate = false;
    Decimal rate_target;   ///< as a ratio (0.3 for 30 %)
    int weighted_by = -1;  ///< the metric whose amounts weight the average
    SourceLocation where;
};

/// Where a part of the plan was written, kept small (8 bytes: a plan holds two for each member): a
/// SourceLocation (file:line:column and JSON pointer) is made from it only when a message asks.
/// Converts to SourceLocation implicitly. Its source is kept in a process-wide table of sources
/// (plan.cpp), alive while some place refers to it.
class PlanPlace {
public:
    /// What a kept position is resolved against (the plan reader's document).
    class Source {
    public:
        virtual ~Source() = default;
        /// The location of the value kept as `at`.
        virtual SourceLocation resolve(std::uint32_t at) const = 0;
    };

    PlanPlace() = default;
    /// A location known in full (a CSV row, a derived part); implicit, as a SourceLocation was before.
    PlanPlace(const SourceLocation& where);
    /// Value `at` of `source`, which it keeps alive. Each call enters `source` in the table anew:
    /// make one place per source, and the others from it with at().
    PlanPlace(std::shared_ptr<const Source> source, std::uint32_t at);
    PlanPlace(const PlanPlace& o);
    PlanPlace(PlanPlace&& o) noexcept : source_(o.source_), at_(o.at_) { o.source_ = 0; }
    PlanPlace& operator=(const PlanPlace& o);
    PlanPlace& operator=(PlanPlace&& o) noexcept {
        if (this != &o) {
            release();
            source_ = o.source_;
            at_ = o.at_;
            o.source_ = 0;
        }
        return *this;
    }
    ~PlanPlace() { release(); }

    /// Value `at` of the same source.
    PlanPlace at(std::uint32_t at) const;
    /// Whether it names a line (as `where.line > 0` did): a default share has none.
    bool known() const { return (source_ & kLined) != 0; }
    SourceLocation resolve() const;
    operator SourceLocation() const { return resolve(); }

private:
    static constexpr std::uint32_t kLined = 0x80000000u;
    void release() {
        if (source_ & ~kLined) drop();
        source_ = 0;
    }
    void drop();  // tells the table this place no longer refers to its source

    std::uint32_t source_ = 0;  // the source's entry in the table + 1 (0: none), with kLined
    std::uint32_t at_ = 0;
};

/// How one member or period's share is stated.
/// (Fields ordered widest first: a member holds one, and a plan may hold millions of members.)
struct Share {
    enum class Kind : std::uint8_t { unset, percent, ratio, amount };
    PackedDecimal value;  ///< the percentage or ratio
    /// kind == amount: a hold per metric (minor units); beside them, per metric, how a derived hold
    /// came about (origins(), may be empty), in the same block: one pointer for both.
    RareVector<std::optional<Minor>, std::vector<std::string>> amounts;
    PlanPlace where;
    Kind kind = Kind::unset;
    /// A ratio written in the plan as a bare number: it could also be a percentage missing its "%".
    bool bare = false;

    /// Per metric, how a derived hold came about ("8333万 × (1 + 20%)"; may be empty).
    const std::vector<std::string>& origins() const { return amounts.companion(); }
    std::vector<std::string>& edit_origins() { return amounts.edit_companion(); }
    /// Whether this share holds an amount of `metric`.
    bool holds(std::size_t metric) const { return kind == Kind::amount && amounts.size() > metric && amounts[metric]; }
};

/// Headcount × rate per head-month: what a team of people, stores or dealers can carry.
struct Capacity {
    Decimal headcount;
    std::vector<std::optional<Minor>> rate;  ///< per metric, per head and month (minor units)
    SourceLocation where;
};

/// An optional value kept on the heap: one pointer in the struct that holds it, for parts most
/// members never have (a capacity, a growth rate). Reads like std::optional; copies deeply.
template <typename T>
class Boxed {
public:
    Boxed() = default;
    // Implicit, as std::optional's: `member.capacity = cap;`, `member.growth = std::nullopt;`.
    Boxed(const T& value) : p_(std::make_unique<T>(value)) {}
    Boxed(T&& value) : p_(std::make_unique<T>(std::move(value))) {}
    Boxed(std::nullopt_t) {}
    Boxed(const std::optional<T>& value) : p_(value ? std::make_unique<T>(*value) : nullptr) {}
    Boxed(const Boxed& o) : p_(o.p_ ? std::make_unique<T>(*o.p_) : nullptr) {}
    Boxed(Boxed&&) noexcept = default;
    Boxed& operator=(const Boxed& o) {
        if (this != &o) p_ = o.p_ ? std::make_unique<T>(*o.p_) : nullptr;
        return *this;
    }
    Boxed& operator=(Boxed&&) noexcept = default;

    explicit operator bool() const { return p_ != nullptr; }
    bool has_value() const { return p_ != nullptr; }
    T& operator*() { return *p_; }
    const T& operator*() const { return *p_; }
    T* operator->() { return p_.get(); }
    const T* operator->() const { return p_.get(); }
    T value_or(T fallback) const { return p_ ? *p_ : fallback; }
    void reset() { p_.reset(); }

private:
    std::unique_ptr<T> p_;
};

/// What few members have (a display name, members below it, a capacity, dates and ramp, growth,
/// rate targets, customers): kept behind one pointer, so that a level of plain members (an id and
/// a weight) stays small.
struct MemberDetails {
    std::string name;                           ///< display name, when the plan gives one
    std::vector<int> children;                  ///< positions in the level below (none at the last level)
    std::optional<Capacity> capacity;           ///< headcount × rate, when the plan gives one
    Availability availability;                  ///< active dates (inherited from the parent) and ramp
    std::optional<Decimal> growth;              ///< growth over the baseline as a ratio (0.2 = +20 %)
    std::vector<std::optional<Decimal>> rates;  ///< per metric: the member's own rate target (ratio)
    std::vector<std::int64_t> customers;        ///< per VisitPlan tier (empty: none of its own)
    bool own_ramp = false;                      ///< the ramp was set on the member, not taken from its split step
};

/// One member of a dimension level; `parent` indexes the level above in the same dimension.
/// (Kept small: a plan may hold millions. The rarer parts are read through details() and written
/// through edit_details().)
struct Member {
    Share share;
    CompactString id;
    PlanPlace where;
    int parent = -1;
    bool baseline = false;     ///< the hold is last year's amount, grown by `growth`
    bool unassigned = false;   ///< stands for what ramps free up ("ramp_rest": "unassigned")
    bool placeholder = false;  ///< made by tgt for "(unassigned)" (at the ramp's level and each level below)

    /// The rarer parts (all empty when the plan gives none).
    const MemberDetails& details() const { return details_ ? *details_ : no_details(); }
    /// The rarer parts, for writing (allocated now if need be).
    MemberDetails& edit_details() {
        if (!details_) details_ = MemberDetails{};
        return *details_;
    }
    const std::string& name() const { return details().name; }
    const std::vector<int>& children() const { return details().children; }
    const std::optional<Capacity>& capacity() const { return details().capacity; }
    const Availability& availability() const { return details().availability; }
    const std::optional<Decimal>& growth() const { return details().growth; }
    const std::vector<std::optional<Decimal>>& rates() const { return details().rates; }
    const std::vector<std::int64_t>& customers() const { return details().customers; }
    bool own_ramp() const { return details().own_ramp; }

private:
    static const MemberDetails& no_details();
    Boxed<MemberDetails> details_;
};

/// A business dimension: a tree of members, one vector per level (region → rep).
struct Dimension {
    std::string id;
    std::vector<std::string> levels;
    std::vector<std::vector<Member>> members;  ///< members[depth]
    SourceLocation where;
};

/// How the weights of a split step are found.
enum class Basis {
    members,          ///< each member's own share (dimensions) or the step's `weights` (time)
    equal,            ///< every child the same
    working_days,     ///< working days in each period
    calendar_days,    ///< calendar days in each period
    weekday_pattern,  ///< a weight per weekday, summed over each period's dates
    history,          ///< a column of a CSV file
    capacity,         ///< each member's headcount × rate × active months
};

/// Weights taken from a CSV file of history: key → weight, remembering the source line.
struct HistoryWeights {
    std::string file;
    std::string key_column;
    std::string weight_column;
    std::map<std::string, std::pair<Decimal, int>> rows;  ///< key → (weight, line)
    std::optional<MemberCurves> per_member;               ///< "per": a curve per member (rows: their sum)
};

/// Shares by member id or period label, sorted by key: a compact map (a rebalanced plan holds one
/// per node, in its overrides). Keys sit in one arena; a share is kept as 24 bytes when it is what
/// an override weight usually is (a ratio or percentage, or one metric's amount), else whole; a
/// place only when some share has one. Iterates as std::map<std::string_view, Share> would: each
/// entry's Share is made when it is read (so `&it->second` outlives nothing: use share(i)).
class KeyedShares {
public:
    using value_type = std::pair<std::string_view, Share>;

    /// Walks the entries in key order; dereferencing makes the entry's Share.
    class const_iterator {
    public:
        using iterator_category = std::forward_iterator_tag;
        using value_type = KeyedShares::value_type;
        using difference_type = std::ptrdiff_t;
        using reference = value_type;
        using pointer = void;

        /// An entry made once, for `it->first` and `it->second`.
        struct Arrow {
            value_type entry;
            const value_type* operator->() const { return &entry; }
        };

        const_iterator() = default;
        const_iterator(const KeyedShares* owner, std::size_t index) : owner_(owner), index_(index) {}
        value_type operator*() const { return {owner_->key(index_), owner_->share(index_)}; }
        Arrow operator->() const { return Arrow{**this}; }
        const_iterator& operator++() {
            ++index_;
            return *this;
        }
        const_iterator operator++(int) {
            const_iterator before = *this;
            ++index_;
            return before;
        }
        /// The entry's position (for KeyedShares::key and share).
        std::size_t index() const { return index_; }
        friend bool operator==(const const_iterator& a, const const_iterator& b) { return a.index_ == b.index_; }

    private:
        const KeyedShares* owner_ = nullptr;
        std::size_t index_ = 0;
    };

    KeyedShares() = default;
    /// The entries of `map`, in its order.
    KeyedShares(std::map<std::string, Share>&& map);  // NOLINT: converts as the reader's maps are assigned

    const_iterator begin() const { return {this, 0}; }
    const_iterator end() const { return {this, slots_.size()}; }
    bool empty() const { return slots_.empty(); }
    std::size_t size() const { return slots_.size(); }
    /// Room for `n` entries.
    void reserve(std::size_t n) { slots_.reserve(n); }

    /// The entry of `key`, or end().
    const_iterator find(std::string_view key) const;
    /// 1 if `key` has a share, else 0.
    std::size_t count(std::string_view key) const { return find(key) == end() ? 0 : 1; }
    /// The share of `key`; throws std::out_of_range when there is none.
    Share at(std::string_view key) const;
    /// Adds `share` under `key` unless the key has one; cheapest when keys come in order.
    bool emplace(std::string_view key, const Share& share);
    /// Entry `i`'s key and share (in key order).
    std::string_view key(std::size_t i) const;
    /// Entry `i`'s share, made whole.
    Share share(std::size_t i) const;

private:
    // One entry in 24 bytes: a share as a ratio or percentage (number at scale), as one metric's
    // amount (number), or whole (rich: number indexes rich_); a key of up to 8 bytes in `key`,
    // a longer one in keys_ (`key` holds its offset and size).
    struct Slot {
        std::int64_t number = 0;
        char key[8] = {};
        std::int16_t scale = 0;     // a ratio's scale, or the metric an amount is held for
        std::uint8_t metrics = 0;   // Kind::amount: how many metrics the share has amounts for
        std::uint8_t key_size = 0;  // kLongKey: the key is in keys_
        std::uint8_t kind = 0;
        bool bare = false;
        bool rich = false;
    };
    static constexpr std::uint8_t kLongKey = 255;
    Slot slot_of(const Share& share);
    std::size_t lower_bound(std::string_view key) const;

    std::string keys_;  // keys longer than a slot holds
    std::vector<Slot> slots_;
    std::vector<Share> rich_;        // shares that fit no slot
    std::vector<PlanPlace> places_;  // per entry, once some entry has a place; else empty
};

/// A different set of weights for the children of cells that match `when` (level name → value).
struct Override {
    std::vector<std::pair<std::string, std::string>> when;
    KeyedShares weights;
    SourceLocation where;
};

/// Floors or caps of a step's children ("at least 500 吨 every month"): an amount for every child,
/// and amounts per member id or period label that replace it; amounts are holds (one per metric).
struct StepBound {
    std::optional<Share> every;          ///< "*" (or a bare amount): every child
    std::map<std::string, Share> keyed;  ///< member id / period label → amount
    SourceLocation where;

    bool empty() const { return !every && keyed.empty(); }
};

/// Growth rates of a time step's periods over last year's history for the same period, and the
/// annual rate the plan states beside them (period_growth.hpp reads what they imply).
struct PeriodGrowth {
    std::map<std::string, Decimal> rates;      ///< period label → growth as a ratio (0.05 for +5 %)
    std::map<std::string, Decimal> last_year;  ///< period label → last year's history, before growing
    std::optional<Decimal> annual;             ///< "annual_growth": the year's rate as the plan states it
    SourceLocation where;
};

/// One step of the split order: a dimension level or a time level and how its children are weighted.
struct Step {
    enum class Kind { dimension, time };
    Kind kind = Kind::dimension;
    std::string level;   ///< the level's name ("rep", "month")
    int dimension = -1;  ///< Kind::dimension: index into Plan::dimensions
    int depth = -1;      ///< Kind::dimension: level within that dimension
    TimeLevel time = TimeLevel::year;

    Basis basis = Basis::members;
    std::vector<Share> positional;          ///< time weights by position within each parent
    std::map<std::string, Share> keyed;     ///< weights by member id or period label
    std::array<Decimal, 8> weekday{};       ///< Basis::weekday_pattern, by ISO weekday
    bool closed_on_holidays = false;        ///< weekday pattern: holidays weigh nothing
    std::optional<HistoryWeights> history;  ///< Basis::history
    bool normalize = false;                 ///< percentages need not total 100
    bool equal_if_all_zero = false;         ///< declared fallback instead of an error
    bool rest_equal = false;          ///< time weights keyed for some periods: the unlisted share the rest equally
    std::optional<Decimal> allocate;  ///< over-assignment: children share parent × allocate
    std::optional<std::pair<Decimal, Decimal>> band;  ///< accepted Σ children ÷ parent (ratios), for checks
    std::vector<Decimal> ramp;                        ///< ramp schedule for members that join in the period
    bool ramp_rest_unassigned = false;  ///< what ramps free up stays unassigned instead of going to the others
    bool scale_holds = false;           ///< "reconcile": "scale": all-held siblings are weights of the parent
    std::vector<Override> overrides;
    StepBound floor;                            ///< the least each child gets (see bounded_apportion.hpp)
    StepBound cap;                              ///< the most each child gets
    std::optional<PeriodGrowth> period_growth;  ///< time steps by history: growth per period over last year
    std::shared_ptr<Crossing> cross;  ///< the crossed split ("cross": […]) this step is a level of, else null
    SourceLocation where;
};

/// Status lines for progress reports: pace (actual ÷ target to date) at or above `ahead` is ahead,
/// at or above `on_track` on track, at or above `behind` behind, below it critical.
struct StatusThresholds {
    Decimal ahead{105, 2};
    Decimal on_track{95, 2};
    Decimal behind{80, 2};
};

/// A whole plan: period, calendar, metrics, dimensions and the split order.
struct Plan {
    std::string name;
    std::string locale;  ///< "locale": the language its tables are read in ("zh-CN", "en"; empty: not set)
    std::string file;
    /// Every file read to make the plan: the plan's own (not "<stdin>"), calendar files and CSV side
    /// files, as the reader opened them (so a command can refuse to write over one of them).
    std::vector<std::string> files;
    Date first{};
    Date last{};
    unsigned fiscal_start_month = 1;
    WorkCalendar calendar;
    std::vector<Metric> metrics;
    std::vector<Dimension> dimensions;
    std::vector<Step> steps;
    StatusThresholds status;               ///< for progress reports ("status": {…} in the plan)
    std::optional<Funnel> funnel;          ///< the activity a target takes ("funnel": {…} in the plan)
    std::optional<VisitPlan> visits;       ///< customer tiers and how often they are visited ("visits": {…})
    std::optional<Assessment> assessment;  ///< scores and pay bands ("assessment": {…})
    std::optional<MarketCheck> market;     ///< market sizes, share and price bands ("market": {…})
    std::vector<Diagnostic> warnings;      ///< problems that only fail a strict validation
    /// Activity quotas: calls, visits… per person and working day, week or month ("activities": […]).
    std::vector<ActivityQuota> activities;

    /// The step that splits by `level`, or -1.
    int step_index(std::string_view level) const;
    /// The metric called `id`, or -1.
    int metric_index(std::string_view id) const;
    /// Every metric's id, in order (for messages and "did you mean").
    std::vector<std::string> metric_ids() const;
};

/// Reads a plan file; throws Error listing every problem.
/// Relative paths inside the plan resolve against the plan file's folder. The plan and every
/// calendar or CSV file it names may hold limits.file_bytes at most.
Plan load_plan(const std::string& file, const InputLimits& limits = {});
/// Parses plan text that came from `file` (used for messages and to resolve relative paths;
/// "<stdin>" resolves against the working directory). `read_as`: the encoding the text was read
/// from the file `file` with, when it was; such a text longer than limits.keep_text_bytes is let go
/// once read, and read again that way when a message needs a place in it. (A text from standard
/// input or made in memory is kept.)
Plan parse_plan(std::string text, const std::string& file, const InputLimits& limits = {},
                std::optional<Encoding> read_as = std::nullopt);

/// Reads a working-day calendar file (the same shape as a plan's "calendar" object), whatever its
/// name looks like; its warnings (dates outside the years it covers) go to `warnings`.
WorkCalendar load_calendar(const std::string& file, std::vector<Diagnostic>* warnings = nullptr,
                           const InputLimits& limits = {});
/// Reads a calendar the way a plan's "calendar": "…" names it: a built-in calendar ("cn") or a
/// calendar file relative to `base_dir` ("" for the working directory); see is_calendar_path.
WorkCalendar load_calendar_reference(const std::string& reference, const std::string& base_dir,
                                     std::vector<Diagnostic>* warnings = nullptr, const InputLimits& limits = {});
/// Reads a built-in calendar by id; throws a usage Error for an unknown one.
WorkCalendar load_builtin_calendar(std::string_view id);
/// What using `calendar` for [first, last] costs: an error for the years it does not cover (with
/// how to add them or opt into weekends alone) and one warning naming the years whose dates are
/// provisional, both at `where` (resolved only then). `what` starts the error: "the plan's period reaches".
void check_calendar_use(const WorkCalendar& calendar, Date first, Date last, const PlanPlace& where,
                        Diagnostics& problems, std::string_view what);

}  // namespace tgt

namespace tgt {
/// Whether a JSON file's text is a plan (it has "metrics" or "split") rather than a calendar.
bool looks_like_plan(const std::string& text);
}  // namespace tgt
