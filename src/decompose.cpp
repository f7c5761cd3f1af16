#include "tgt/decompose.hpp"

#include "decomposition_impl.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <map>
#include <set>

#include "tgt/capacity.hpp"

namespace tgt {

namespace detail {

std::string join_ids(const std::vector<std::string>& ids, std::size_t limit) {
    std::string out;
    for (std::size_t i = 0; i < ids.size() && i < limit; ++i)
        out += (i ? ", " : "") + ids[i];
    if (ids.size() > limit) out += fmt::format(", … ({} in all)", ids.size());
    return out;
}

std::optional<Minor> padded_pool(Minor pool, const Decimal& allocate, Minor quantum) {
    Wide scaled = static_cast<Wide>(pool) * allocate.mantissa;
    Wide unit = pow10_wide(allocate.scale) * quantum;
    Wide padded = (scaled + unit / 2) / unit * quantum;
    if (padded > std::numeric_limits<Minor>::max()) return std::nullopt;
    return static_cast<Minor>(padded);
}

void apportion_in_quanta(Minor total, const WeightSet& set, Minor quantum, std::span<std::int64_t> parts) {
    if (quantum == 1) {
        apportion(total, set, parts);
        return;
    }
    apportion(total / quantum, set, parts);
    for (auto& p : parts)
        p *= quantum;
}

PoolSplit split_pool(const MetricRule& rule, Minor pool, Minor quantum, bool holds_are_weights,
                     std::span<std::int64_t> parts) {
    Minor rest = pool - rule.held;
    bool exact = rule.held <= pool && (rule.has_free || rest == 0);
    if (!exact) {
        if (!holds_are_weights || rule.held == 0)
            return rule.held > pool ? PoolSplit::holds_exceed : PoolSplit::not_assigned;
        apportion_in_quanta(pool, rule.holds_as_weights, quantum, parts);
        return PoolSplit::ok;
    }
    if (rule.has_free && !rule.floor.empty()) {
        if (!apportion_bounded_in_quanta(rest, rule, quantum, parts)) return PoolSplit::bounds_infeasible;
    } else if (rule.has_free) {
        apportion_in_quanta(rest, rule.free, quantum, parts);
    } else
        std::fill(parts.begin(), parts.end(), 0);
    if (!rule.keep.empty()) apply_ramps(rule, quantum, parts);
    for (auto [i, a] : rule.holds)
        parts[static_cast<std::size_t>(i)] += a;
    return PoolSplit::ok;
}

Minor ramp_freed(const MetricRule& rule, Minor quantum, std::span<std::int64_t> parts) {
    Minor freed = 0;
    for (const auto& [i, keep] : rule.keep) {
        auto& part = parts[static_cast<std::size_t>(i)];
        Minor kept = round_to_quantum(Fraction(part) * keep, quantum);
        freed += part - kept;
        part = kept;
    }
    return freed;
}

void apply_ramps(const MetricRule& rule, Minor quantum, std::span<std::int64_t> parts) {
    Minor freed = ramp_freed(rule, quantum, parts);
    if (freed == 0) return;
    if (rule.unassigned >= 0) {
        parts[static_cast<std::size_t>(rule.unassigned)] += freed;
        return;
    }
    std::vector<std::int64_t> extra(parts.size());
    if (!rule.others.weights.empty()) {
        apportion_in_quanta(freed, rule.others, quantum, extra);
    } else {
        // Everyone ramps: the freed amount goes back by what each kept.
        std::vector<std::int64_t> kept(parts.begin(), parts.end());
        apportion_in_quanta(freed, WeightSet::from(std::move(kept)), quantum, extra);
    }
    for (std::size_t i = 0; i < parts.size(); ++i)
        parts[i] += extra[i];
}

}  // namespace detail

namespace {

using detail::Group;
using detail::join_ids;
using detail::MetricRule;
using detail::TimeNode;

// The share of a child whose share is not stated (equal shares, or an override that leaves it out).
const Share& no_share() {
    static const Share none;
    return none;
}

Wide scale_up(const Decimal& d, int scale) {
    return d.mantissa * pow10_wide(scale - d.scale);
}

// Applies capacity weights and time factors (a member's coverage of each period) to one metric's
// integer weights, exactly: fractions brought to a common denominator, then divided by their
// greatest common divisor so that they stay small.
template <typename Fail>
bool reshape(const detail::Shaping& shaping, std::size_t metric, const MetricRule& rule, std::vector<Wide>& weights,
             Fail&& fail) {
    try {
        std::size_t n = weights.size();
        std::vector<Fraction> f(n);
        std::vector<bool> held(n, false);
        for (auto [i, a] : rule.holds)
            held[static_cast<std::size_t>(i)] = true;
        bool by_capacity = shaping.capacity.size() > metric && !shaping.capacity[metric].empty();
        for (std::size_t i = 0; i < n; ++i) {
            if (held[i] || static_cast<int>(i) == shaping.unassigned) continue;
            f[i] = by_capacity ? shaping.capacity[metric][i] : Fraction(weights[i]);
            if (!shaping.factor.empty()) f[i] = f[i] * shaping.factor[i];
        }
        Wide common = 1;
        for (const auto& x : f)
            common = lcm_wide(common, x.den);
        Wide divisor = 0;
        for (std::size_t i = 0; i < n; ++i) {
            weights[i] = f[i].num * (common / f[i].den);
            divisor = gcd_wide(divisor, weights[i]);
        }
        if (divisor > 1)
            for (auto& w : weights)
                w /= divisor;
        return true;
    } catch (const std::exception&) {
        fail("capacity or date weights too large to split exactly", "use fewer decimals in rates and headcounts");
        return false;
    }
}

}  // namespace

int Decomposition::Impl::dim_step(int dimension, int depth) const {
    return step_of_dim_level[dim_level_base[static_cast<std::size_t>(dimension)] + static_cast<std::size_t>(depth)];
}

void Decomposition::Impl::build_time_tree() {
    time_levels.push_back({TimeNode{Period{TimeLevel::year, plan.first, plan.last, "(period)"}, -1, 0, 0}});
    for (std::size_t s = 0; s < plan.steps.size(); ++s) {
        const Step& step = plan.steps[s];
        if (step.kind != Step::Kind::time) {
            time_level_of_step.push_back(-1);
            continue;
        }
        std::vector<TimeNode> next;
        auto& parents = time_levels.back();
        for (std::size_t p = 0; p < parents.size(); ++p) {
            parents[p].child_begin = static_cast<int>(next.size());
            for (auto& period :
                 periods_between(step.time, parents[p].period.first, parents[p].period.last, plan.fiscal_start_month))
                next.push_back(TimeNode{std::move(period), static_cast<int>(p), 0, 0});
            parents[p].child_end = static_cast<int>(next.size());
        }
        time_levels.push_back(std::move(next));
        time_level_of_step.push_back(static_cast<int>(time_levels.size()) - 1);
    }
}

void Decomposition::Impl::index_dimension_steps() {
    std::size_t total = 0;
    for (const auto& d : plan.dimensions) {
        dim_level_base.push_back(total);
        total += d.levels.size();
        auto& facts = level_facts.emplace_back(d.members.size());
        for (std::size_t depth = 0; depth < d.members.size(); ++depth) {
            LevelFacts& f = facts[depth];
            for (const Member& m : d.members[depth]) {
                f.placeholders = f.placeholders || m.placeholder;
                f.unassigned = f.unassigned || m.unassigned;
                f.dated = f.dated || m.availability().limited();
                f.rates = f.rates || !m.rates().empty();
                f.capacity = f.capacity || m.capacity().has_value();
            }
        }
    }
    step_of_dim_level.assign(total, -1);
    for (std::size_t s = 0; s < plan.steps.size(); ++s) {
        const Step& step = plan.steps[s];
        if (step.kind == Step::Kind::dimension)
            step_of_dim_level[dim_level_base[static_cast<std::size_t>(step.dimension)] +
                              static_cast<std::size_t>(step.depth)] = static_cast<int>(s);
    }
}

detail::ChildIndices Decomposition::Impl::member_children(const Step& step, int parent) const {
    const Dimension& dim = plan.dimensions[static_cast<std::size_t>(step.dimension)];
    if (step.depth == 0) return detail::ChildIndices(dim.members[0].size());
    const Member& m = dim.members[static_cast<std::size_t>(step.depth - 1)][static_cast<std::size_t>(parent)];
    return detail::ChildIndices(std::span<const int>(m.children().data(), m.children().size()));
}

std::size_t Decomposition::Impl::parent_count(std::size_t s) const {
    const Step& step = plan.steps[s];
    if (step.kind == Step::Kind::dimension) {
        if (step.depth == 0) return 1;
        return plan.dimensions[static_cast<std::size_t>(step.dimension)]
            .members[static_cast<std::size_t>(step.depth - 1)]
            .size();
    }
    return time_levels[static_cast<std::size_t>(time_level_of_step[s] - 1)].size();
}

detail::ChildNames Decomposition::Impl::basis_shares(const Step& step, std::size_t s, int parent,
                                                     SiblingShares& out) const {
    out.made.clear();
    out.refs.clear();
    auto ratio = [&](Wide value, int scale) {
        Share& sh = out.made.emplace_back();
        sh.kind = Share::Kind::ratio;
        sh.value = Decimal{value, scale};
        sh.where = step.where;
        return &sh;
    };
    auto& shares = out.refs;
    // A history weight; a member or period without a row weighs nothing (the reader warned).
    auto from_history = [&](std::string_view key) {
        auto it = detail::find_key(step.history->rows, key, out.key);
        return it == step.history->rows.end() ? ratio(0, 0) : ratio(it->second.first.mantissa, it->second.first.scale);
    };
    if (step.kind == Step::Kind::dimension) {
        const Dimension& dim = plan.dimensions[static_cast<std::size_t>(step.dimension)];
        const detail::ChildIndices children = member_children(step, parent);
        const auto& level = dim.members[static_cast<std::size_t>(step.depth)];
        // Room for the shares a basis makes (placeholders, capacity and history weights): most
        // children's shares are their own, referenced.
        std::size_t made = 0;
        if (step.basis == Basis::capacity || step.basis == Basis::history)
            made = children.size();
        else if (facts(step).placeholders)
            for (int child : children)
                made += level[static_cast<std::size_t>(child)].placeholder ? 1 : 0;
        out.made.reserve(made);
        shares.reserve(children.size());
        if (made == 0 && step.basis != Basis::equal) {  // every child's own share (no member read)
            for (int child : children)
                shares.push_back(&level[static_cast<std::size_t>(child)].share);
            return detail::ChildNames(level, children);
        }
        for (int child : children) {
            const Member& m = level[static_cast<std::size_t>(child)];
            if (m.placeholder) {
                shares.push_back(ratio(1, 0));  // a placeholder: its weight comes from the shaping
                continue;
            }
            switch (step.basis) {
                case Basis::capacity:
                    if (m.share.kind == Share::Kind::amount)
                        shares.push_back(&m.share);
                    else
                        shares.push_back(ratio(1, 0));  // replaced by the capacity weights
                    break;
                case Basis::equal:
                    shares.push_back(&no_share());
                    break;
                case Basis::history:
                    shares.push_back(from_history(std::string_view(m.id)));
                    break;
                default:
                    shares.push_back(&m.share);
                    break;
            }
        }
        return detail::ChildNames(level, children);
    }
    const auto& level = time_levels[static_cast<std::size_t>(time_level_of_step[s])];
    const auto& parent_node =
        time_levels[static_cast<std::size_t>(time_level_of_step[s] - 1)][static_cast<std::size_t>(parent)];
    int pattern_scale = 0;
    for (const auto& d : step.weekday)
        pattern_scale = std::max(pattern_scale, d.scale);
    out.made.reserve(static_cast<std::size_t>(parent_node.child_end - parent_node.child_begin));
    shares.reserve(static_cast<std::size_t>(parent_node.child_end - parent_node.child_begin));
    for (int c = parent_node.child_begin; c < parent_node.child_end; ++c) {
        const Period& p = level[static_cast<std::size_t>(c)].period;
        switch (step.basis) {
            case Basis::equal:
                shares.push_back(ratio(1, 0));
                break;
            case Basis::working_days:
                shares.push_back(ratio(plan.calendar.working_days(p.first, p.last), 0));
                break;
            case Basis::calendar_days:
                shares.push_back(ratio((p.last - p.first).count() + 1, 0));
                break;
            case Basis::weekday_pattern: {
                Wide sum = 0;
                for (Date d = p.first; d <= p.last; d += std::chrono::days{1}) {
                    if (step.closed_on_holidays && plan.calendar.holidays.count(d)) continue;
                    sum += scale_up(step.weekday[static_cast<std::size_t>(iso_weekday(d))], pattern_scale);
                }
                shares.push_back(ratio(sum, pattern_scale));
                break;
            }
            case Basis::history:
                shares.push_back(from_history(p.label));
                break;
            case Basis::capacity:  // rejected by the reader for time levels
                shares.push_back(ratio(1, 0));
                break;
            case Basis::members: {
                std::size_t position = static_cast<std::size_t>(c - parent_node.child_begin);
                if (!step.positional.empty() && position < step.positional.size())
                    shares.push_back(&step.positional[position]);
                else
                    shares.push_back(&no_share());
                break;
            }
        }
    }
    return detail::ChildNames(level, parent_node.child_begin, parent_node.child_end);
}

namespace {

// How a free child of one sibling group states its share for one metric (none: held, or the
// unassigned child).
enum ShareClass : std::uint8_t { kNotFree, kPercent, kRatio, kUnset };

// The free children of one sibling group by how they state their shares for one metric: a class
// per child (in the resolve scratch, reused) and how many of each.
struct ShareClasses {
    std::span<const std::uint8_t> of;  // per child: a ShareClass
    std::size_t percent = 0, ratio = 0, unset = 0;
    int scale = 0;  // the largest decimal scale among the percentages and ratios
};

// Sorts the children by how their share is stated, into `classes` (one per child); held amounts go
// straight into `rule`.
ShareClasses classify(std::span<const Share* const> shares, std::size_t m, const detail::Shaping* shaping,
                      MetricRule& rule, std::vector<std::uint8_t>& classes) {
    classes.assign(shares.size(), kNotFree);
    ShareClasses c;
    c.of = classes;
    for (std::size_t i = 0; i < shares.size(); ++i) {
        const Share& sh = *shares[i];
        if (shaping && shaping->unassigned == static_cast<int>(i)) continue;  // weighs what the others free
        if (sh.holds(m)) {
            rule.holds.emplace_back(static_cast<int>(i), *sh.amounts[m]);
            rule.held = checked_add(rule.held, *sh.amounts[m]);
        } else if (sh.kind == Share::Kind::percent) {
            classes[i] = kPercent;
            ++c.percent;
            c.scale = std::max(c.scale, sh.value.get().scale);
        } else if (sh.kind == Share::Kind::ratio) {
            classes[i] = kRatio;
            ++c.ratio;
            c.scale = std::max(c.scale, sh.value.get().scale);
        } else {
            classes[i] = kUnset;
            ++c.unset;
        }
    }
    return c;
}

// The names of the children `pick` accepts, joined for a message as join_ids does: "a, b, c, …
// (12 in all)".
template <typename Pick>
std::string name_list(const detail::ChildNames& names, Pick&& pick) {
    constexpr std::size_t kLimit = 8;
    std::string out;
    std::size_t count = 0;
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (!pick(i)) continue;
        if (count < kLimit) {
            if (count) out += ", ";
            out += names[i];
        }
        ++count;
    }
    if (count > kLimit) out += fmt::format(", … ({} in all)", count);
    return out;
}

// The names of the children of one class, joined for a message.
std::string name_list(const detail::ChildNames& names, const ShareClasses& c, ShareClass kind) {
    return name_list(names, [&](std::size_t i) { return c.of[i] == kind; });
}

// Percentages: they total 100 (or are normalized), or the children without one share the rest.
template <typename Store, typename Fail>
bool weigh_percentages(const Step& step, std::span<const Share* const> shares, const detail::ChildNames& names,
                       const ShareClasses& c, Store&& store, Fail&& fail) {
    bool ok = true;
    Wide hundred = 100 * pow10_wide(c.scale), total = 0;
    for (std::size_t i = 0; i < shares.size(); ++i)
        if (c.of[i] == kPercent) total += scale_up(shares[i]->value, c.scale);
    Decimal total_pct{total, c.scale};
    if (c.unset == 0) {
        if (total != hundred && !step.normalize) {
            fail(fmt::format("percentages total {}% (must be 100): {}", format_decimal(total_pct),
                             name_list(names, c, kPercent)),
                 total < hundred ? (step.kind == Step::Kind::time
                                        ? "add the missing share, or set \"normalize\": true to scale them"
                                        : "add the missing share, add a member without a weight to take the rest, "
                                          "or set \"normalize\": true")
                                 : "lower some shares, or set \"normalize\": true to scale them");
            ok = false;
        }
        for (std::size_t i = 0; i < shares.size(); ++i)
            if (c.of[i] == kPercent) store(i, scale_up(shares[i]->value, c.scale));
        return ok;
    }
    if (total > hundred) {
        fail(fmt::format("percentages total {}% before the members without one ({}) get anything",
                         format_decimal(total_pct), name_list(names, c, kUnset)));
        ok = false;
    }
    // Members without a percentage share what is left equally.
    Wide count = static_cast<Wide>(c.unset);
    for (std::size_t i = 0; i < shares.size(); ++i) {
        if (c.of[i] == kPercent)
            store(i, scale_up(shares[i]->value, c.scale) * count);
        else if (c.of[i] == kUnset)
            store(i, hundred - total);
    }
    return ok;
}

// Ratios: shares of their sum, unless bare numbers look like percentages or fractions gone wrong.
template <typename Store, typename Fail>
bool weigh_ratios(const Step& step, std::span<const Share* const> shares, const detail::ChildNames& names,
                  const ShareClasses& c, Store&& store, Fail&& fail) {
    Wide total = 0;
    bool all_bare = true;
    for (std::size_t i = 0; i < shares.size(); ++i) {
        if (c.of[i] != kRatio) continue;
        const Wide weight = scale_up(shares[i]->value, c.scale);
        store(i, weight);
        total += weight;
        all_bare = all_bare && shares[i]->bare;
    }
    // Bare numbers that add up to nearly 100 read like percentages that miss 100 %: which
    // was meant (shares of their sum, or a mistake in the percentages) is the author's call.
    // (20, 25, 30, 20) or (0.2, 0.25, 0.3, 0.2): the author's call too.
    const Wide one = pow10_wide(c.scale);
    auto nearly = [&](Wide whole) { return total != whole && total * 10 >= whole * 9 && total * 10 <= whole * 11; };
    if (all_bare && c.ratio > 1 && !step.normalize && (nearly(100 * one) || nearly(one))) {
        bool of_one = nearly(one);
        fail(fmt::format("the weights of {} add up to {}: {} that do not total {}, or ratios (shares of {})?",
                         name_list(names, c, kRatio), format_decimal(Decimal{total, c.scale}),
                         of_one ? "fractions" : "percentages", of_one ? "1" : "100",
                         format_decimal(Decimal{total, c.scale})),
             "write percentages with \"%\" and make them total 100%, or set \"normalize\": true to use "
             "them as ratios");
        return false;
    }
    return true;
}

// The children's integer weights for one metric, from how their shares are stated: store(i, weight)
// for each child that weighs something.
template <typename Store, typename Fail>
bool weigh(const Step& step, std::span<const Share* const> shares, const detail::ChildNames& names,
           const ShareClasses& c, Store&& store, Fail&& fail) {
    if (c.percent > 0 && c.ratio > 0) {
        fail(fmt::format("percentages ({}) mixed with ratios ({})", name_list(names, c, kPercent),
                         name_list(names, c, kRatio)),
             "state every sibling's share the same way");
        return false;
    }
    if (c.ratio > 0 && c.unset > 0) {
        fail(fmt::format("{} have a weight but {} do not", name_list(names, c, kRatio), name_list(names, c, kUnset)),
             "give every sibling a weight, or none (equal shares)");
        return false;
    }
    if (c.percent > 0) return weigh_percentages(step, shares, names, c, store, fail);
    if (c.ratio > 0) return weigh_ratios(step, shares, names, c, store, fail);
    for (std::size_t i = 0; i < shares.size(); ++i)
        if (c.of[i] == kUnset) store(i, 1);
    return true;
}

// Dates and ramps: such members keep their active share; the rest goes to the others by their
// weights, or to the unassigned member.
void keep_active_shares(const detail::Shaping& shaping, const std::vector<Wide>& weights, MetricRule& rule) {
    std::vector<std::int64_t> others(weights.size(), 0);
    bool any_other = false;
    for (std::size_t i = 0; i < weights.size(); ++i) {
        if (!(shaping.keep[i] == Fraction(1))) {
            rule.keep.emplace_back(static_cast<int>(i), shaping.keep[i]);
        } else if (static_cast<int>(i) != shaping.unassigned && weights[i] > 0 &&
                   weights[i] <= std::numeric_limits<std::int64_t>::max() / static_cast<Wide>(weights.size())) {
            others[i] = static_cast<std::int64_t>(weights[i]);
            any_other = true;
        }
    }
    rule.unassigned = shaping.unassigned;
    if (any_other) rule.others = WeightSet::from(std::move(others));
}

// All weights zero: equal shares where the step allows it (the caller keeps them to where a member
// is active).
template <typename Store, typename Fail>
bool settle_all_zero(const Step& step, std::span<const Share* const> shares, const detail::ChildNames& names,
                     std::size_t m, Store&& store, Fail&& fail) {
    if (!step.equal_if_all_zero) {
        fail(fmt::format("all weights are zero: {}", name_list(names, [](std::size_t) { return true; })),
             "give some member a weight, or set \"if_all_zero\": \"equal\" to split equally");
        return false;
    }
    for (std::size_t i = 0; i < shares.size(); ++i)
        if (!shares[i]->holds(m)) store(i, 1);
    return true;
}

// A group's weights that a split cannot hold exactly: one past 64 bits, or their sum.
template <typename Fail>
void fail_too_large(Fail&& fail) {
    fail("weights too large to split exactly (their sum passes 9.2e18)",
         "use fewer decimals or smaller units for the weights");
}

// The free weights as 64-bit integers, or a failure when they pass what a split can hold exactly.
template <typename Fail>
bool narrow_free(const std::vector<Wide>& weights, MetricRule& rule, Fail&& fail) {
    std::vector<std::int64_t> narrow(weights.size());
    Wide sum = 0;
    for (std::size_t i = 0; i < weights.size(); ++i) {
        sum += weights[i];
        if (weights[i] > std::numeric_limits<std::int64_t>::max() || sum > std::numeric_limits<std::int64_t>::max()) {
            fail_too_large(fail);
            return false;
        }
        narrow[i] = static_cast<std::int64_t>(weights[i]);
    }
    rule.free = WeightSet::from(std::move(narrow));
    return true;
}

// The free weights of a group that nothing reshapes (no capacity, dates or ramps): written in 64
// bits straight into what becomes rule.free, with no wider copy on the way.
template <typename Fail>
bool weigh_plain(const Step& step, std::span<const Share* const> shares, const detail::ChildNames& names,
                 const ShareClasses& c, std::size_t m, MetricRule& rule, Fail&& fail) {
    std::vector<std::int64_t> narrow(shares.size(), 0);
    bool too_large = false;  // a weight past 64 bits: the group fails below, as narrow_free would
    auto store = [&](std::size_t i, Wide weight) {
        if (weight > std::numeric_limits<std::int64_t>::max() || weight < std::numeric_limits<std::int64_t>::min())
            too_large = true;
        else
            narrow[i] = static_cast<std::int64_t>(weight);
    };
    if (!weigh(step, shares, names, c, store, fail)) return false;
    if (!rule.has_free) return true;
    // The sum as narrow_free adds it up: every partial sum must stay in 64 bits too.
    auto fits = [&] {
        Wide sum = 0;
        for (auto w : narrow) {
            sum += w;
            if (sum > std::numeric_limits<std::int64_t>::max()) return false;
        }
        return !too_large;
    };
    if (!too_large && std::all_of(narrow.begin(), narrow.end(), [](std::int64_t w) { return w == 0; }) &&
        !settle_all_zero(step, shares, names, m, store, fail))
        return false;
    if (!fits()) {
        fail_too_large(fail);
        return false;
    }
    rule.free = WeightSet::from(std::move(narrow));
    return true;
}

// The free weights of a group that capacity, dates or ramps reshape: exact (wide) weights, reshaped,
// then narrowed to 64 bits. `weights` is working space.
template <typename Fail>
bool weigh_shaped(const Step& step, std::span<const Share* const> shares, const detail::ChildNames& names,
                  const ShareClasses& c, std::size_t m, const detail::Shaping& shaping, MetricRule& rule,
                  std::vector<Wide>& weights, Fail&& fail) {
    weights.assign(shares.size(), 0);
    auto store = [&](std::size_t i, Wide weight) { weights[i] = weight; };
    bool ok = weigh(step, shares, names, c, store, fail);
    if (ok && rule.has_free && (!shaping.factor.empty() || !shaping.capacity.empty()))
        ok = reshape(shaping, m, rule, weights, fail);
    if (ok && !shaping.keep.empty()) keep_active_shares(shaping, weights, rule);
    if (ok && rule.has_free) {
        Wide sum = 0;
        for (auto w : weights)
            sum += w;
        if (sum == 0) {
            ok = settle_all_zero(step, shares, names, m, store, fail);
            // Equal, but still only where the member is active (a joiner's months before his start stay empty).
            if (ok && !shaping.factor.empty()) {
                detail::Shaping coverage;
                coverage.factor = shaping.factor;
                coverage.unassigned = shaping.unassigned;
                ok = reshape(coverage, m, rule, weights, fail);
            }
        }
    }
    if (ok && rule.has_free) ok = narrow_free(weights, rule, fail);
    return ok;
}

}  // namespace

detail::Group Decomposition::Impl::resolve(const Step& step, std::span<const Share* const> shares,
                                           const detail::ChildNames& names, const std::string& context,
                                           Diagnostics& problems, ResolveScratch& scratch,
                                           const detail::Shaping* shaping, const SourceLocation* at) const {
    Group group;
    group.children = shares.size();
    const SourceLocation& where = at ? *at : step.where;
    auto fail = [&](std::string message, std::string hint = {}) {
        problems.error(where, fmt::format("{}{}", context.empty() ? "" : context + ": ", message), std::move(hint));
    };
    // Capacity, dates and ramps reshape the weights (an unassigned child alone only stays out of them).
    const bool reshaped = shaping && (!shaping->factor.empty() || !shaping->capacity.empty() || !shaping->keep.empty());
    group.per_metric.reserve(metric_count);
    for (std::size_t m = 0; m < metric_count; ++m) {
        MetricRule rule;
        const ShareClasses classes = classify(shares, m, shaping, rule, scratch.classes);
        rule.has_free = classes.percent + classes.ratio + classes.unset > 0;
        bool ok = reshaped ? weigh_shaped(step, shares, names, classes, m, *shaping, rule, scratch.weights, fail)
                           : weigh_plain(step, shares, names, classes, m, rule, fail);
        if (!ok && lenient) {
            // Reported; split the rest equally so that a validating walk can go on to the problems
            // that only amounts show.
            std::vector<std::int64_t> equal(shares.size(), 0);
            bool any = false;
            for (std::size_t i = 0; i < shares.size(); ++i)
                if (!shares[i]->holds(m)) equal[i] = any = true;
            rule.keep.clear();
            rule.has_free = any;
            group.unsplittable = true;
            if (any) rule.free = WeightSet::from(std::move(equal));
        }
        if (ok && (!step.floor.empty() || !step.cap.empty()))
            detail::attach_bounds(step, names, m, plan.metrics[m], rule, fail);
        if (!rule.holds.empty()) {
            std::vector<std::int64_t> hw(shares.size(), 0);
            for (auto [i, a] : rule.holds)
                hw[static_cast<std::size_t>(i)] = a;
            if (rule.held > 0) rule.holds_as_weights = WeightSet::from(std::move(hw));
        }
        group.per_metric.push_back(std::move(rule));
    }
    return group;
}

std::string Decomposition::Impl::parent_context(std::size_t s, int parent) const {
    const Step& step = plan.steps[s];
    if (step.kind == Step::Kind::dimension) {
        if (step.depth == 0) return fmt::format("level \"{}\"", step.level);
        const auto& m = plan.dimensions[static_cast<std::size_t>(step.dimension)]
                            .members[static_cast<std::size_t>(step.depth - 1)][static_cast<std::size_t>(parent)];
        return fmt::format("level \"{}\" under \"{}\"", step.level, m.id);
    }
    const auto& node =
        time_levels[static_cast<std::size_t>(time_level_of_step[s] - 1)][static_cast<std::size_t>(parent)];
    if (time_level_of_step[s] == 1) return fmt::format("level \"{}\"", step.level);
    return fmt::format("level \"{}\" in {}", step.level, node.period.label);
}

void Decomposition::Impl::apply_keyed(const std::map<std::string, Share>& keyed, const detail::ChildNames& names,
                                      std::vector<const Share*>& shares, bool replace, std::string& key) {
    if (keyed.empty() && !replace) return;
    for (std::size_t i = 0; i < shares.size(); ++i) {
        auto it = keyed.empty() ? keyed.end() : detail::find_key(keyed, names[i], key);
        if (it != keyed.end())
            shares[i] = &it->second;
        else if (replace)
            shares[i] = &no_share();
    }
}

void Decomposition::Impl::apply_keyed(const KeyedShares& keyed, const detail::ChildNames& names,
                                      std::vector<const Share*>& shares, bool replace, OverrideShares& out) {
    // The children the override names first, then room for exactly their shares: no reallocation
    // once the pointers are taken, and none for the children it does not name.
    out.made.clear();
    out.named.clear();
    for (std::size_t i = 0; i < shares.size(); ++i) {
        auto it = keyed.find(names[i]);
        if (it != keyed.end())
            out.named.emplace_back(i, it.index());
        else if (replace)
            shares[i] = &no_share();
    }
    out.made.reserve(out.named.size());
    for (auto [i, entry] : out.named)
        shares[i] = &out.made.emplace_back(keyed.share(entry));
}

namespace {

// Whether a keyed map lists `name` (`key`: a lookup buffer for maps keyed by std::string).
bool lists(const std::map<std::string, Share>& keyed, std::string_view name, std::string& key) {
    return detail::find_key(keyed, name, key) != keyed.end();
}
bool lists(const KeyedShares& keyed, std::string_view name, std::string&) {
    return keyed.count(name) > 0;
}

}  // namespace

void Decomposition::Impl::build_groups(Diagnostics& problems) {
    groups.resize(plan.steps.size());
    override_groups.resize(plan.steps.size());
    override_conditions.resize(plan.steps.size());
    for (std::size_t s = 0; s < plan.steps.size(); ++s)
        build_step_groups(s, problems);
}

void Decomposition::Impl::build_step_groups(std::size_t s, Diagnostics& problems) {
    const Step& step = plan.steps[s];
    std::size_t parents = parent_count(s);
    override_groups[s].resize(step.overrides.size());
    for (std::size_t o = 0; o < step.overrides.size(); ++o) {
        std::vector<std::pair<int, std::string>> conditions;
        for (const auto& [level, value] : step.overrides[o].when)
            conditions.emplace_back(plan.step_index(level), value);
        override_conditions[s].push_back(std::move(conditions));
    }
    index_overrides(s);
    if (step.kind == Step::Kind::time && !step.positional.empty()) {
        const auto& parent_level = time_levels[static_cast<std::size_t>(time_level_of_step[s] - 1)];
        for (std::size_t p = 0; p < parent_level.size(); ++p) {
            int n = parent_level[p].child_end - parent_level[p].child_begin;
            if (n != static_cast<int>(step.positional.size())) {
                problems.error(step.where,
                               fmt::format("{} weights listed, but {} has {} {}(s)", step.positional.size(),
                                           parent_level[p].period.label == "(period)" ? "the plan's period"
                                                                                      : parent_level[p].period.label,
                                           n, step.level),
                               "list one weight per period, or key them by label: {\"2027-Q1\": \"20%\", …}");
                break;
            }
        }
    }
    // Time weights keyed by period and no rule for the rest: the unlisted periods would share what
    // is left equally without the plan saying so.
    bool keyed_only =
        step.kind == Step::Kind::time && step.basis == Basis::members && step.positional.empty() && !step.rest_equal;
    std::vector<std::string> unlisted;
    std::size_t unlisted_count = 0;
    std::string key;  // a lookup buffer
    auto note_unlisted = [&](const auto& keyed, const detail::ChildNames& names) {
        if (!keyed_only || keyed.empty()) return;
        for (std::size_t i = 0; i < names.size(); ++i) {
            if (lists(keyed, names[i], key)) continue;
            if (unlisted.size() < 6) unlisted.emplace_back(names[i]);
            ++unlisted_count;
        }
    };
    // Reused from parent to parent: the basis shares, the default rule's copy of them (when overrides
    // need them unchanged after it), an override's, and resolve's working space.
    SiblingShares base;
    std::vector<const Share*> shares;
    OverrideShares made;
    ResolveScratch scratch;
    groups[s].reserve(parents);
    for (auto& o : override_groups[s])
        o.reserve(parents);
    for (std::size_t p = 0; p < parents; ++p) {
        const detail::ChildNames names = basis_shares(step, s, static_cast<int>(p), base);
        note_unlisted(step.keyed, names);
        for (const auto& o : step.overrides)
            note_unlisted(o.weights, names);
        if (names.empty()) {
            problems.error(step.where,
                           fmt::format("{}: nothing to split into", parent_context(s, static_cast<int>(p))));
            groups[s].emplace_back().per_metric.resize(metric_count);
            continue;
        }
        std::vector<const Share*>* own = &base.refs;
        if (!step.overrides.empty()) {
            shares.assign(base.refs.begin(), base.refs.end());
            own = &shares;
        }
        apply_keyed(step.keyed, names, *own, false, key);
        detail::Shaping shaping;
        if (step.kind == Step::Kind::dimension) shaping = dimension_shaping(step, static_cast<int>(p));
        const std::string context = parent_context(s, static_cast<int>(p));
        groups[s].push_back(
            resolve(step, *own, names, context, problems, scratch, shaping.empty() ? nullptr : &shaping));
        for (std::size_t o = 0; o < step.overrides.size(); ++o) {
            shares.assign(base.refs.begin(), base.refs.end());
            apply_keyed(step.overrides[o].weights, names, shares, true, made);
            // Messages point at the override (no copy of the step: a rebalanced plan has an
            // override per node).
            override_groups[s][o].push_back(resolve(step, shares, names, context + " (override)", problems, scratch,
                                                    shaping.empty() ? nullptr : &shaping, &step.overrides[o].where));
        }
    }
    if (unlisted_count > 0)
        problems.error(
            step.where,
            fmt::format("level \"{}\": the weights do not list {}{}", step.level, join_ids(unlisted),
                        unlisted_count > unlisted.size() ? fmt::format(" and {} more", unlisted_count - unlisted.size())
                                                         : std::string()),
            "give every period a weight, or add \"rest\": \"equal\" so that the unlisted ones share "
            "what is left equally");
}

std::pair<Date, Date> Decomposition::Impl::parent_window(const Step& step, int parent) const {
    if (step.depth == 0 || parent < 0) return {plan.first, plan.last};
    const Dimension& dim = plan.dimensions[static_cast<std::size_t>(step.dimension)];
    return active_window(
        dim.members[static_cast<std::size_t>(step.depth - 1)][static_cast<std::size_t>(parent)].availability(),
        plan.first, plan.last);
}

detail::Shaping Decomposition::Impl::dimension_shaping(const Step& step, int parent) const {
    detail::Shaping shaping;
    const Dimension& dim = plan.dimensions[static_cast<std::size_t>(step.dimension)];
    const auto& level = dim.members[static_cast<std::size_t>(step.depth)];
    const detail::ChildIndices children = member_children(step, parent);
    // Members with dates or a ramp keep their weight × the part of the parent's active time they
    // are active (ramp months at their step); what that frees goes to the others or "(unassigned)".
    auto [first, last] = parent_window(step, parent);
    bool limited = false;
    const LevelFacts& f = facts(step);
    for (std::size_t i = 0; (f.unassigned || f.dated) && i < children.size(); ++i) {
        const Member& m = level[static_cast<std::size_t>(children[i])];
        if (m.unassigned) shaping.unassigned = static_cast<int>(i);
        if (!m.placeholder && limited_within(m.availability(), first, last)) limited = true;
    }
    if (limited) {
        shaping.keep.assign(children.size(), Fraction(1));
        for (std::size_t i = 0; i < children.size(); ++i) {
            const Member& m = level[static_cast<std::size_t>(children[i])];
            if (!m.placeholder)
                shaping.keep[i] = clock.active_share(first, last, m.availability(), step.basis == Basis::capacity);
        }
    }
    if (step.basis == Basis::capacity) {
        shaping.capacity.resize(metric_count);
        for (std::size_t k = 0; k < metric_count; ++k) {
            const Metric& metric = plan.metrics[k];
            std::size_t rated = metric.stretch_of >= 0 ? static_cast<std::size_t>(metric.stretch_of) : k;
            auto& weights = shaping.capacity[k];
            weights.assign(children.size(), Fraction(0));
            bool any = false;
            for (std::size_t i = 0; i < children.size(); ++i) {
                const Member& m = level[static_cast<std::size_t>(children[i])];
                if (m.placeholder) {  // the only child of an "(unassigned)" member: it takes all
                    weights[i] = Fraction(1);
                    continue;
                }
                if (!m.capacity() || m.capacity()->rate.size() <= rated || !m.capacity()->rate[rated]) continue;
                weights[i] = Fraction::of(m.capacity()->headcount) * Fraction(*m.capacity()->rate[rated]) *
                             clock.months(plan.first, plan.last, m.availability(), false);
                any = true;
            }
            if (!any) weights.clear();
        }
    }
    return shaping;
}

void Decomposition::Impl::build_profile_groups(Diagnostics& problems) {
    profile_step.assign(plan.steps.size(), -1);
    profiled.assign(plan.steps.size(), {});
    profile_groups.resize(plan.steps.size());
    int last_profiled = -1;
    for (std::size_t s = 0; s < plan.steps.size(); ++s) {
        const Step& step = plan.steps[s];
        if (step.kind == Step::Kind::dimension) {
            if (!facts(step).dated) continue;  // no member with dates or a ramp: none to mark
            const auto& level =
                plan.dimensions[static_cast<std::size_t>(step.dimension)].members[static_cast<std::size_t>(step.depth)];
            std::vector<char> marks(level.size(), 0);
            bool any = false;
            for (std::size_t i = 0; i < level.size(); ++i) {
                const Availability& a = level[i].availability();
                bool limited = (a.start && *a.start > plan.first) || (a.end && *a.end < plan.last) || !a.ramp.empty();
                marks[i] = limited ? 1 : 0;
                any = any || limited;
            }
            if (any) {
                profiled[s] = std::move(marks);
                last_profiled = static_cast<int>(s);
            }
            continue;
        }
        profile_step[s] = last_profiled;
    }
    // Reused from group to group (see build_step_groups).
    SiblingShares base;
    std::vector<const Share*> shares;
    OverrideShares made;
    ResolveScratch scratch;
    for (std::size_t s = 0; s < plan.steps.size(); ++s) {
        int owner = profile_step[s];
        if (owner < 0) continue;
        const Step& step = plan.steps[s];
        const Step& owner_step = plan.steps[static_cast<std::size_t>(owner)];
        const auto& members = plan.dimensions[static_cast<std::size_t>(owner_step.dimension)]
                                  .members[static_cast<std::size_t>(owner_step.depth)];
        const auto& parents = time_levels[static_cast<std::size_t>(time_level_of_step[s] - 1)];
        const auto& level = time_levels[static_cast<std::size_t>(time_level_of_step[s])];
        if (members.size() >= (std::size_t{1} << 24) || step.overrides.size() >= (std::size_t{1} << 20) - 1) {
            problems.error(step.where, "too many members or overrides for members with dates or ramps (profile_key)");
            continue;
        }
        for (std::size_t mi = 0; mi < members.size(); ++mi) {
            if (!profiled[static_cast<std::size_t>(owner)][mi]) continue;
            const Availability& a = members[mi].availability();
            for (std::size_t p = 0; p < parents.size(); ++p) {
                const Period& pp = parents[p].period;
                // Only parents where the member's coverage changes need their own weights.
                if (steady_over(a, pp.first, pp.last) || inactive_over(a, pp.first, pp.last)) continue;
                detail::Shaping shaping;
                bool uniform = true;
                for (int c = parents[p].child_begin; c < parents[p].child_end; ++c) {
                    const Period& child = level[static_cast<std::size_t>(c)].period;
                    shaping.factor.push_back(clock.coverage(child.first, child.last, a));
                    uniform = uniform && shaping.factor.back() == shaping.factor.front();
                }
                if (uniform) continue;
                const detail::ChildNames names = basis_shares(step, s, static_cast<int>(p), base);
                // The level's own weights, and each override's, reshaped for this member.
                for (int o = -1; o < static_cast<int>(step.overrides.size()); ++o) {
                    shares.assign(base.refs.begin(), base.refs.end());
                    if (o < 0)
                        apply_keyed(step.keyed, names, shares, false, base.key);
                    else
                        apply_keyed(step.overrides[static_cast<std::size_t>(o)].weights, names, shares, true, made);
                    std::string context = fmt::format("{} for \"{}\"{}", parent_context(s, static_cast<int>(p)),
                                                      std::string_view(members[mi].id), o < 0 ? "" : " (override)");
                    detail::Group g = resolve(step, shares, names, context, problems, scratch, &shaping);
                    profile_groups[s].emplace(profile_key(mi, o, p), std::move(g));
                }
            }
        }
    }
}

std::string_view Decomposition::Impl::chosen_key(std::size_t s, int index) const {
    const Step& step = plan.steps[s];
    if (step.kind == Step::Kind::dimension)
        return plan.dimensions[static_cast<std::size_t>(step.dimension)]
            .members[static_cast<std::size_t>(step.depth)][static_cast<std::size_t>(index)]
            .id;
    return time_levels[static_cast<std::size_t>(time_level_of_step[s])][static_cast<std::size_t>(index)].period.label;
}

std::uint64_t Decomposition::Impl::profile_key(std::size_t member, int override_index, std::size_t parent) {
    // member (24 bits) | override + 1 (20 bits) | parent time node (20 bits; a plan has < 4000 days)
    return (static_cast<std::uint64_t>(member) << 40) | (static_cast<std::uint64_t>(override_index + 1) << 20) |
           static_cast<std::uint64_t>(parent);
}

const detail::Group& Decomposition::Impl::group_at(std::size_t s, int parent, std::span<const int> chosen) const {
    if (!cross_groups[s].empty()) {  // a crossed level: its row of the table (or (row, column) cell)
        int row = chosen[static_cast<std::size_t>(cross_row_step[s])];
        int col = cross_col_step[s] >= 0 ? chosen[static_cast<std::size_t>(cross_col_step[s])] : 0;
        if (row >= 0 && col >= 0)
            return cross_groups[s][static_cast<std::size_t>(row) * cross_stride[s] + static_cast<std::size_t>(col)];
    }
    int o = matching_override(s, chosen);
    int owner = profile_step[s];
    if (owner >= 0) {
        int member = chosen[static_cast<std::size_t>(owner)];
        if (member >= 0 && profiled[static_cast<std::size_t>(owner)][static_cast<std::size_t>(member)]) {
            auto it = profile_groups[s].find(
                profile_key(static_cast<std::size_t>(member), o, static_cast<std::size_t>(parent)));
            if (it != profile_groups[s].end()) return it->second;
        }
    }
    if (o >= 0) return override_groups[s][static_cast<std::size_t>(o)][static_cast<std::size_t>(parent)];
    return groups[s][static_cast<std::size_t>(parent)];
}

void Decomposition::Impl::index_overrides(std::size_t s) {
    override_index_steps.resize(plan.steps.size());
    override_index.resize(plan.steps.size());
    const auto& conditions = override_conditions[s];
    if (conditions.size() < 8) return;  // a scan is as fast
    std::vector<int> levels;
    for (const auto& [t, key] : conditions[0])
        levels.push_back(t);
    for (int t : levels)
        if (t < 0 || static_cast<std::size_t>(t) >= s) return;
    std::unordered_map<std::string, int> index;
    for (std::size_t o = 0; o < conditions.size(); ++o) {
        if (conditions[o].size() != levels.size()) return;
        std::string joined;
        for (std::size_t i = 0; i < levels.size(); ++i) {
            if (conditions[o][i].first != levels[i]) return;
            joined += conditions[o][i].second;
            joined.push_back('\x1f');
        }
        index.emplace(std::move(joined), static_cast<int>(o));  // the first one wins, as in a scan
    }
    override_index_steps[s] = std::move(levels);
    override_index[s] = std::move(index);
}

int Decomposition::Impl::matching_override(std::size_t s, std::span<const int> chosen) const {
    if (!override_index_steps[s].empty()) {
        std::string joined;
        for (int t : override_index_steps[s]) {
            joined += chosen_key(static_cast<std::size_t>(t), chosen[static_cast<std::size_t>(t)]);
            joined.push_back('\x1f');
        }
        auto it = override_index[s].find(joined);
        return it == override_index[s].end() ? -1 : it->second;
    }
    const auto& conditions = override_conditions[s];
    for (std::size_t o = 0; o < conditions.size(); ++o) {
        bool match = true;
        for (const auto& [t, key] : conditions[o]) {
            if (t < 0 || static_cast<std::size_t>(t) >= s ||
                chosen_key(static_cast<std::size_t>(t), chosen[static_cast<std::size_t>(t)]) != key) {
                match = false;
                break;
            }
        }
        if (match) return static_cast<int>(o);
    }
    return -1;
}

Decomposition::Decomposition(const Plan& plan) : plan_(plan), impl_(std::make_unique<Impl>(plan)) {
    Diagnostics problems;
    prepare(problems);
    problems.throw_if_errors();
}

Decomposition::Decomposition(const Plan& plan, Diagnostics& problems)
    : plan_(plan), impl_(std::make_unique<Impl>(plan)) {
    impl_->lenient = true;
    prepare(problems);
}

void Decomposition::prepare(Diagnostics& problems) {
    const Plan& plan = plan_;
    impl_->build_time_tree();
    impl_->index_dimension_steps();
    impl_->build_groups(problems);
    impl_->build_cross_groups();
    if (impl_->lenient || !problems.has_errors()) impl_->build_profile_groups(problems);
    if (problems.has_errors() && !impl_->lenient) return;
    for (std::size_t s = 0; s < plan.steps.size(); ++s) {
        bool holds = false;
        auto scan = [&](const std::vector<Group>& groups) {
            for (const auto& g : groups)
                for (const auto& rule : g.per_metric)
                    holds = holds || !rule.holds.empty();
        };
        scan(impl_->groups[s]);
        for (const auto& o : impl_->override_groups[s])
            scan(o);
        impl_->has_holds.push_back(holds);
        const Step& step = plan.steps[s];
        impl_->has_rate_overrides.push_back(step.kind == Step::Kind::dimension && impl_->facts(step).rates);
    }
}

Decomposition::~Decomposition() = default;

SplitLayout Decomposition::layout(const SplitRequest& request) const {
    SplitLayout out;
    std::set<std::string> keep;
    for (const auto& level : request.by) {
        int s = plan_.step_index(level);
        if (s < 0 || plan_.steps[static_cast<std::size_t>(s)].kind != Step::Kind::dimension) {
            std::vector<std::string> names;
            for (const auto& d : plan_.dimensions)
                names.insert(names.end(), d.levels.begin(), d.levels.end());
            std::string guess = did_you_mean(level, names);
            if (parse_time_level(level))
                throw Error::usage(Field::by,
                                   fmt::format("{}: a time level; use {} {}", level, mention(Field::period), level));
            throw Error::usage(
                Field::by, fmt::format("{}: no such dimension level", level),
                guess.empty() ? "levels: " + join_ids(names, 50) : fmt::format("did you mean \"{}\"?", guess));
        }
        const Step& step = plan_.steps[static_cast<std::size_t>(s)];
        const auto& dim = plan_.dimensions[static_cast<std::size_t>(step.dimension)];
        for (int d = 0; d <= step.depth; ++d)
            keep.insert(dim.levels[static_cast<std::size_t>(d)]);
    }
    for (const auto& step : plan_.steps)
        if (step.kind == Step::Kind::dimension && keep.count(step.level)) out.key_columns.push_back(step.level);
    if (request.period) out.key_columns.emplace_back("period");
    if (request.metrics.empty()) {
        for (std::size_t m = 0; m < plan_.metrics.size(); ++m)
            out.metrics.push_back(static_cast<int>(m));
    } else {
        for (const auto& id : request.metrics) {
            int m = plan_.metric_index(id);
            if (m < 0) {
                std::vector<std::string> ids = plan_.metric_ids();
                std::string guess = did_you_mean(id, ids);
                throw Error::usage(
                    Field::metric, fmt::format("{}: no such metric", id),
                    guess.empty() ? "metrics: " + join_ids(ids) : fmt::format("did you mean \"{}\"?", guess));
            }
            out.metrics.push_back(m);
        }
    }
    // A weighted average needs its weights: a rate brings the metric that weights it.
    for (std::size_t i = 0; i < out.metrics.size(); ++i) {
        const Metric& metric = plan_.metrics[static_cast<std::size_t>(out.metrics[i])];
        if (metric.rate && std::find(out.metrics.begin(), out.metrics.end(), metric.weighted_by) == out.metrics.end())
            out.metrics.insert(out.metrics.begin() + static_cast<std::ptrdiff_t>(i), metric.weighted_by);
    }
    out.with_task = request.with_task;
    return out;
}

}  // namespace tgt
