#pragma once
// The precomputed side of a Decomposition (time tree, resolved sibling groups), shared by the
// rule resolution (decompose.cpp) and the walk that produces rows (walk.cpp). Internal.

#include <cstdint>
#include <functional>
#include <iterator>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "tgt/capacity.hpp"
#include "tgt/fraction.hpp"

#include "tgt/decompose.hpp"

namespace tgt {

namespace detail {

// One resolved sibling group for one metric: fixed holds plus weights for the rest.
struct MetricRule {
    std::vector<std::pair<int, Minor>> holds;  // child index → amount
    Minor held = 0;
    bool has_free = false;
    WeightSet free;              // weights over all children; held children weigh 0
    WeightSet holds_as_weights;  // used by the task channel when holds exceed an un-padded parent
    // Dates and ramps: (child, share of its amount it keeps); what they free goes to `unassigned`
    // if >= 0, else to the children kept whole by `others`.
    std::vector<std::pair<int, Fraction>> keep;
    int unassigned = -1;
    WeightSet others;
    // Floors and caps per child (held children 0 and 0), see step_bounds.cpp; empty: none.
    std::vector<Minor> floor;
    std::vector<Minor> cap;
};

struct Group {
    std::size_t children = 0;
    std::vector<MetricRule> per_metric;
    bool unsplittable = false;  // a lenient Decomposition reported it and splits it equally
};

// A period piece in the time tree; children of a piece are a contiguous range in the next level.
struct TimeNode {
    Period period;
    int parent = -1;
    int child_begin = 0;
    int child_end = 0;
};

// What reshapes a sibling group's weights beyond its shares: ramps and active dates (a factor per
// child), a child that takes what the factors free up, and capacity weights per metric.
struct Shaping {
    std::vector<Fraction> factor;                 // per child: coverage of a period (time steps); empty = none
    std::vector<Fraction> keep;                   // per child: its active share (dates, ramp); empty = none
    int unassigned = -1;                          // child index, or -1
    std::vector<std::vector<Fraction>> capacity;  // [metric][child]; empty = not by capacity
    bool empty() const { return factor.empty() && keep.empty() && unassigned < 0 && capacity.empty(); }
};

/// The members of one sibling group: positions in their level, either listed (a parent member's
/// children) or, at a dimension's first level, every member 0 … n-1 (no table of them is kept).
class ChildIndices {
public:
    /// Every member of a first level: 0 … count-1.
    explicit ChildIndices(std::size_t count) : count_(count) {}
    /// Positions listed by a parent member.
    explicit ChildIndices(std::span<const int> listed) : listed_(listed.data()), count_(listed.size()) {}

    /// How many children.
    std::size_t size() const { return count_; }
    /// Whether there is none.
    bool empty() const { return count_ == 0; }
    /// Child i's position in its level.
    int operator[](std::size_t i) const { return listed_ ? listed_[i] : static_cast<int>(i); }
    /// The listed positions, or nullptr when child i is member i.
    const int* listed() const { return listed_; }

    /// Walks the positions in order.
    class iterator {
    public:
        using iterator_category = std::forward_iterator_tag;
        using value_type = int;
        using difference_type = std::ptrdiff_t;
        using pointer = void;
        using reference = int;
        iterator() = default;
        iterator(const ChildIndices* owner, std::size_t i) : owner_(owner), i_(i) {}
        int operator*() const { return (*owner_)[i_]; }
        iterator& operator++() {
            ++i_;
            return *this;
        }
        iterator operator++(int) {
            iterator before = *this;
            ++i_;
            return before;
        }
        friend bool operator==(const iterator& a, const iterator& b) { return a.i_ == b.i_; }
        friend difference_type operator-(const iterator& a, const iterator& b) {
            return static_cast<difference_type>(a.i_) - static_cast<difference_type>(b.i_);
        }

    private:
        const ChildIndices* owner_ = nullptr;
        std::size_t i_ = 0;
    };
    iterator begin() const { return {this, 0}; }
    iterator end() const { return {this, count_}; }

private:
    const int* listed_ = nullptr;
    std::size_t count_ = 0;
};

/// The names of one sibling group's children (member ids or period labels), read from the plan and
/// the time tree when asked for: nothing is copied, however large the group.
class ChildNames {
public:
    ChildNames() = default;
    /// Members `children` (positions in `level`) of a dimension level.
    ChildNames(const std::vector<Member>& level, ChildIndices children)
        : level_(&level), children_(children), count_(children.size()) {}
    /// Time nodes [begin, end) of a time level.
    ChildNames(const std::vector<TimeNode>& nodes, int begin, int end)
        : nodes_(&nodes), begin_(static_cast<std::size_t>(begin)), count_(static_cast<std::size_t>(end - begin)) {}

    /// How many children the group has.
    std::size_t size() const { return count_; }
    /// Whether the group has no child.
    bool empty() const { return count_ == 0; }
    /// Child i's id or label.
    std::string_view operator[](std::size_t i) const {
        if (level_) return std::string_view((*level_)[static_cast<std::size_t>(children_[i])].id);
        return (*nodes_)[begin_ + i].period.label;
    }

private:
    const std::vector<Member>* level_ = nullptr;
    ChildIndices children_{0};
    const std::vector<TimeNode>* nodes_ = nullptr;
    std::size_t begin_ = 0;
    std::size_t count_ = 0;
};

/// The entry of `key` in a map keyed by std::string, looked up without allocating a key per call:
/// `scratch` holds a copy of the key (its buffer reused from one call to the next).
template <class Map>
auto find_key(const Map& map, std::string_view key, std::string& scratch) {
    scratch.assign(key);
    return map.find(scratch);
}

/// Whether a step's over-assignment ("allocate") pads `metric`: targets are padded, budget lines
/// follow the task (the parent's amount before padding), as the task channel does.
inline bool pads(const Step& step, const Metric& metric) {
    return step.allocate.has_value() && !metric.budget;
}

/// A parent padded by over-assignment ("allocate"), rounded half up to the quantum; nullopt on overflow.
std::optional<Minor> padded_pool(Minor pool, const Decimal& allocate, Minor quantum);

/// Splits `total` in whole quanta by a weight set.
void apportion_in_quanta(Minor total, const WeightSet& set, Minor quantum, std::span<std::int64_t> parts);

enum class PoolSplit { ok, holds_exceed, not_assigned, bounds_infeasible };
/// One sibling group, one metric: holds first, the rest by the free weights. When holds cannot be
/// met exactly (they exceed the pool, or nothing takes the rest) and `holds_are_weights`, the holds
/// become weights of the whole pool; otherwise the outcome says what is wrong and `parts` is unset.
PoolSplit split_pool(const MetricRule& rule, Minor pool, Minor quantum, bool holds_are_weights,
                     std::span<std::int64_t> parts);

/// Ramped children keep round(part × keep) (to the quantum); returns what they freed.
Minor ramp_freed(const MetricRule& rule, Minor quantum, std::span<std::int64_t> parts);
/// Applies a rule's ramps to a split: what they free goes to the unassigned child or the others.
void apply_ramps(const MetricRule& rule, Minor quantum, std::span<std::int64_t> parts);

/// Resolves a step's floors and caps for metric m over one sibling group (children `names`) into
/// `rule`; reports a floor above its cap, a hold outside its bounds, and bounds beside ramps.
void attach_bounds(const Step& step, const ChildNames& names, std::size_t m, const Metric& metric, MetricRule& rule,
                   const std::function<void(std::string, std::string)>& fail);
/// Splits `total` by the rule's free weights within its floors and caps, in whole quanta; false
/// (and `parts` unset) when the bounds cannot be met.
bool apportion_bounded_in_quanta(Minor total, const MetricRule& rule, Minor quantum, std::span<std::int64_t> parts);
/// Every bound that `rest` (the pool less the holds) cannot meet, with its arithmetic
/// ("floors 12 × 600 = 7,200 > 7,000"); `name` names child i.
std::string bound_problems(const MetricRule& rule, Minor rest, const Metric& metric,
                           const std::function<std::string(int)>& name);

/// "a, b, c, … (12 in all)" for messages.
std::string join_ids(const std::vector<std::string>& ids, std::size_t limit = 8);

}  // namespace detail

struct Decomposition::Impl {
    const Plan& plan;
    std::size_t metric_count = 0;
    bool lenient = false;  // groups with a problem split equally instead of stopping (validate)
    // time_levels[0] is the root (the plan period); time_levels[t + 1] belongs to the t-th time step.
    std::vector<std::vector<detail::TimeNode>> time_levels;
    std::vector<int> time_level_of_step;  // step → index into time_levels, or -1
    std::vector<int> step_of_dim_level;   // flattened: dimension, depth → step
    std::vector<std::size_t> dim_level_base;
    // groups[step][parent] — the default rule; override_groups[step][override][parent]
    std::vector<std::vector<detail::Group>> groups;
    std::vector<std::vector<std::vector<detail::Group>>> override_groups;
    std::vector<std::vector<std::vector<std::pair<int, std::string>>>>
        override_conditions;  // step, override → (step, key)
    // Per step whose overrides all name the same levels: those levels, and the joined keys → the
    // first override with them (a plan rebalanced per rep has one override per rep).
    std::vector<std::vector<int>> override_index_steps;
    std::vector<std::unordered_map<std::string, int>> override_index;
    std::vector<bool> has_holds;  // per step: some group holds amounts, which can fail against a real parent
    // Members with start/end dates or ramps reshape the time split below them.
    std::vector<int> profile_step;            // per time step: the dimension step whose members shape it, or -1
    std::vector<std::vector<char>> profiled;  // per dimension step: member index → has a profile
    std::vector<std::unordered_map<std::uint64_t, detail::Group>> profile_groups;  // per time step: member<<32|parent
    // Rate metrics: per dimension step, whether some member there overrides a rate.
    std::vector<bool> has_rate_overrides;

    CapacityCalendar clock;  // working days per month, cached across every sibling group's capacity sums

    explicit Impl(const Plan& p) : plan(p), metric_count(p.metrics.size()), clock(p.calendar) {}

    int dim_step(int dimension, int depth) const;

    void build_time_tree();

    void index_dimension_steps();

    // What a dimension level's members have at all, found in one pass over them when prepared, so
    // that the passes looking for these (shaping, profiles, rates, capacity checks) skip a level
    // without any: a level of a million members is read once, not once per question.
    struct LevelFacts {
        bool placeholders = false;  // made for "(unassigned)"
        bool unassigned = false;    // takes what ramps free up
        bool dated = false;         // start or end dates, or a ramp
        bool rates = false;         // its own rate targets
        bool capacity = false;      // headcount × rate
    };
    std::vector<std::vector<LevelFacts>> level_facts;  // [dimension][depth]
    const LevelFacts& facts(const Step& step) const {
        return level_facts[static_cast<std::size_t>(step.dimension)][static_cast<std::size_t>(step.depth)];
    }

    // The children of a dimension step's parent: member indices at step.depth (a view into the plan;
    // at the first level, every member).
    detail::ChildIndices member_children(const Step& step, int parent) const;

    std::size_t parent_count(std::size_t s) const;

    // The shares of one sibling group: pointers into the plan (a member's share, a keyed weight)
    // or into `made`, the shares a basis computes (reserved up front, so the pointers stay valid).
    // One is reused from group to group: its buffers grow to the largest group and stay.
    struct SiblingShares {
        std::vector<Share> made;
        std::vector<const Share*> refs;
        std::string key;  // a lookup key's buffer (history rows)
    };

    // The basis-derived share of each child, before keyed weights or overrides, into `out`
    // (refilled); returns the children's names.
    detail::ChildNames basis_shares(const Step& step, std::size_t s, int parent, SiblingShares& out) const;

    // Working space of resolve, reused from metric to metric and group to group.
    struct ResolveScratch {
        std::vector<Wide> weights;          // per child: its exact weight for one metric (reshaped groups)
        std::vector<std::uint8_t> classes;  // per child: how its share is stated (decompose.cpp)
    };

    // Resolves one sibling group's shares into exact rules, one per metric.
    detail::Group resolve(const Step& step, std::span<const Share* const> shares, const detail::ChildNames& names,
                          const std::string& context, Diagnostics& problems, ResolveScratch& scratch,
                          const detail::Shaping* shaping = nullptr,
                          const SourceLocation* at = nullptr) const;  ///< at: where messages point (default: the step)

    // Ramps, the unassigned child and capacity weights of a dimension step's sibling group.
    detail::Shaping dimension_shaping(const Step& step, int parent) const;
    // The dates a dimension step's parent member is active within the plan's period (the whole
    // period at the first level): the window its children's active share is measured against.
    std::pair<Date, Date> parent_window(const Step& step, int parent) const;
    // Time groups reshaped by members with start/end dates or ramps.
    void build_profile_groups(Diagnostics& problems);

    // The rule for step s under `parent`, given the choices made at the steps above (overrides,
    // member profiles).
    const detail::Group& group_at(std::size_t s, int parent, std::span<const int> chosen) const;
    // The key of a member's reshaped time group: the member, the override in force (-1: none), the parent.
    static std::uint64_t profile_key(std::size_t member, int override_index, std::size_t parent);
    // The override of step s whose conditions the choices above meet, or -1.
    void index_overrides(std::size_t s);
    int matching_override(std::size_t s, std::span<const int> chosen) const;
    // The id or label of the child chosen at step s.
    std::string_view chosen_key(std::size_t s, int index) const;

    std::string parent_context(std::size_t s, int parent) const;

    // Applies a keyed map (member id / period label → share) over basis shares; `key` is a lookup buffer.
    static void apply_keyed(const std::map<std::string, Share>& keyed, const detail::ChildNames& names,
                            std::vector<const Share*>& shares, bool replace, std::string& key);
    // An override's shares, made for one resolve at a time (kept while the shares are used), and
    // the children it names: (child, entry). Reused from group to group.
    struct OverrideShares {
        std::vector<Share> made;
        std::vector<std::pair<std::size_t, std::size_t>> named;
    };
    // The same for an override's weights, whose shares are made in `out`.
    static void apply_keyed(const KeyedShares& keyed, const detail::ChildNames& names,
                            std::vector<const Share*>& shares, bool replace, OverrideShares& out);

    void build_groups(Diagnostics& problems);
    // The default and override rules of step s, one per parent.
    void build_step_groups(std::size_t s, Diagnostics& problems);

    // Crossed levels (crossing_groups.cpp): the column level's rule under each row is that row of
    // the crossed table, held; cross_groups[step][row], empty for other steps.
    std::vector<std::vector<detail::Group>> cross_groups;
    std::vector<int> cross_row_step;        // per step: the crossed row level's step, or -1
    std::vector<int> cross_col_step;        // per step: a third crossed level's column step (-1: two levels)
    std::vector<std::size_t> cross_stride;  // the column level's size (three levels)
    void build_cross_groups();
};

}  // namespace tgt
