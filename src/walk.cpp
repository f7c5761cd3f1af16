// The walk: from a prepared Decomposition and a request to rows, on one thread or several.

#include <fmt/format.h>

#include <algorithm>
#include <deque>
#include <future>
#include <limits>
#include <map>
#include <mutex>
#include <set>

#include "decomposition_impl.hpp"
#include "tgt/decompose.hpp"
#include "tgt/fraction.hpp"
#include "tgt/thread_pool.hpp"

namespace tgt {

using Impl = Decomposition::Impl;
using detail::Group;
using detail::join_ids;
using detail::MetricRule;

namespace {

// Everything one run needs: grain, filters, channels and scratch space.
struct Walk {
    std::size_t step_count = 0;  // steps actually walked
    std::size_t prefix = 0;      // steps [0, prefix) are all in the grain
    std::vector<bool> in_grain;
    std::vector<int> channel_metric;        // channel → metric index
    std::vector<bool> channel_task;         // channel is a task (no over-assignment)
    std::vector<int> channel_base;          // rate channels: the channel of the metric that weights them; else -1
    std::vector<std::int64_t> rate_target;  // per channel: a rate metric's target in millionths
    bool has_rates = false;
    std::size_t channels = 0;
    // Output keys: per key column, the step whose choice names it (or -1 for the period).
    std::vector<int> key_steps;
    std::vector<int> key_position;  // per step: its key column, or -1
    int period_position = -1;       // the period's key column, or -1
    bool has_period = false;
    std::vector<Period> grain_periods;
    int last_time_level = 0;          // index into time_levels of the deepest walked time step
    int last_time_step = -1;          // the deepest walked time step, or -1
    std::vector<int> prev_time_step;  // per step: the nearest time step before it, or -1
    std::vector<int> node_period;     // deepest time node → grain period index
    // Dense accumulation beyond the prefix: slot = Σ coordinate × stride.
    std::vector<std::size_t> stride;  // per step (0 when the step adds no coordinate)
    std::size_t period_stride = 0;
    std::vector<Minor> accumulator;
    std::vector<std::uint32_t> touched;
    std::vector<char> is_touched;
    // Filters: allowed[step][child index]; all empty (every child allowed) when there is none.
    std::vector<std::vector<char>> allowed;
    // Current choice per step and scratch buffers per step.
    std::vector<int> chosen;
    std::vector<std::vector<Minor>> scratch;
    std::vector<std::int64_t> parts;  // one sibling group's shares for one channel (several channels only)
    std::vector<std::string_view> keys;
    std::vector<Minor> row_amounts;
    const std::function<void(const SplitRow&)>* sink = nullptr;
    std::function<void(const SplitRow&, std::string&)> format;  // parallel text runs: this copy's formatter
    std::vector<SplitProblem>* problems = nullptr;              // a collecting walk (validate)
    std::size_t problems_dropped = 0;
    int unsplittable_above = 0;  // groups on the current path that a lenient Decomposition split equally
    std::size_t last_chunk_keys = 0, last_chunk_amounts = 0, last_chunk_text = 0;  // parallel runs: sizes to reserve
};

// A rate as an integer number of millionths (30 % → 300000); the reader keeps rates that precise.
std::int64_t rate_millionths(const Decimal& rate) {
    return static_cast<std::int64_t>(rate.mantissa * pow10_wide(kRateDigits - std::min(rate.scale, kRateDigits)) /
                                     pow10_wide(std::max(rate.scale - kRateDigits, 0)));
}

void emit_row(Walk& w, const Minor* amounts) {
    for (std::size_t c = 0; c < w.channels; ++c)
        w.row_amounts[c] = amounts[c];
    (*w.sink)(SplitRow{w.keys, w.row_amounts});
}

// The request's where: marks which children each step may descend into. Filters on one level are alternatives;
// on different levels all must hold; a member filter also keeps only its ancestors above it.
void restrict_to(Walk& w, const Impl& im, const Plan& plan, const std::vector<Filter>& where) {
    const auto& steps = plan.steps;
    w.allowed.resize(steps.size());
    if (where.empty()) return;  // no marks: a byte a member for nothing
    for (std::size_t s = 0; s < steps.size(); ++s) {
        const Step& step = steps[s];
        std::size_t n = step.kind == Step::Kind::dimension
                            ? plan.dimensions[static_cast<std::size_t>(step.dimension)]
                                  .members[static_cast<std::size_t>(step.depth)]
                                  .size()
                            : im.time_levels[static_cast<std::size_t>(im.time_level_of_step[s])].size();
        w.allowed[s].assign(n, 1);
    }
    std::map<int, std::vector<const Filter*>> by_step;
    for (const auto& f : where) {
        int s = plan.step_index(f.level);
        if (s < 0) {
            std::vector<std::string> names;
            for (const auto& st : steps)
                names.push_back(st.level);
            std::string guess = did_you_mean(f.level, names);
            throw Error::usage(
                Field::where, fmt::format("{}={}: no level \"{}\" in the split", f.level, f.value, f.level),
                guess.empty() ? "levels: " + join_ids(names, 50) : fmt::format("did you mean \"{}\"?", guess));
        }
        by_step[s].push_back(&f);
    }
    for (const auto& [s, filters] : by_step) {
        const Step& step = steps[static_cast<std::size_t>(s)];
        std::vector<char> match(w.allowed[static_cast<std::size_t>(s)].size(), 0);
        for (const Filter* f : filters) {
            bool found = false;
            if (step.kind == Step::Kind::dimension) {
                const auto& level = plan.dimensions[static_cast<std::size_t>(step.dimension)]
                                        .members[static_cast<std::size_t>(step.depth)];
                std::vector<std::string> ids;
                for (std::size_t i = 0; i < level.size(); ++i) {
                    if (level[i].id == f->value || (!level[i].name().empty() && level[i].name() == f->value)) {
                        match[i] = 1;
                        found = true;
                    }
                    ids.push_back(level[i].id.str());
                }
                if (!found) {
                    std::string guess = did_you_mean(f->value, ids);
                    throw Error::usage(Field::where, fmt::format("{}={}: no such member", f->level, f->value),
                                       guess.empty() ? std::string() : fmt::format("did you mean \"{}\"?", guess));
                }
            } else {
                const auto& level =
                    im.time_levels[static_cast<std::size_t>(im.time_level_of_step[static_cast<std::size_t>(s)])];
                for (std::size_t i = 0; i < level.size(); ++i)
                    if (period_matches(level[i].period, f->value)) {
                        match[i] = 1;
                        found = true;
                    }
                if (!found)
                    throw Error::usage(Field::where,
                                       fmt::format("{}={}: no such period in the plan", f->level, f->value));
            }
        }
        auto& allowed = w.allowed[static_cast<std::size_t>(s)];
        for (std::size_t i = 0; i < allowed.size(); ++i)
            allowed[i] = allowed[i] && match[i];
        // A member filter also restricts the levels above it to its ancestors.
        if (step.kind == Step::Kind::dimension) {
            const auto& dim = plan.dimensions[static_cast<std::size_t>(step.dimension)];
            for (int depth = step.depth; depth > 0; --depth) {
                int up = im.dim_step(step.dimension, depth - 1);
                std::vector<char> ancestors(dim.members[static_cast<std::size_t>(depth - 1)].size(), 0);
                int here = im.dim_step(step.dimension, depth);
                const auto& level = dim.members[static_cast<std::size_t>(depth)];
                for (std::size_t i = 0; i < level.size(); ++i)
                    if (w.allowed[static_cast<std::size_t>(here)][i])
                        ancestors[static_cast<std::size_t>(level[i].parent)] = 1;
                auto& above = w.allowed[static_cast<std::size_t>(up)];
                for (std::size_t i = 0; i < above.size(); ++i)
                    above[i] = above[i] && ancestors[i];
            }
        }
    }
}

// Sets up a walk: channels, which steps the grain needs, how periods map to the grain, the dense
// slots that add up rows below the prefix, filters and scratch space.
// The channels: the selected metrics, then (optionally) their tasks; rates and their weights.
void set_channels(Walk& w, const Plan& plan, const SplitRequest& request, const SplitLayout& lay) {
    // Channels: the selected metrics, then (optionally) their tasks.
    for (int m : lay.metrics) {
        w.channel_metric.push_back(m);
        w.channel_task.push_back(false);
    }
    if (request.with_task)
        for (int m : lay.metrics) {
            w.channel_metric.push_back(m);
            w.channel_task.push_back(true);
        }
    w.channels = w.channel_metric.size();
    w.channel_base.assign(w.channels, -1);
    w.rate_target.assign(w.channels, 0);
    for (std::size_t c = 0; c < w.channels; ++c) {
        const Metric& metric = plan.metrics[static_cast<std::size_t>(w.channel_metric[c])];
        if (!metric.rate) continue;
        w.has_rates = true;
        for (std::size_t b = 0; b < w.channels; ++b)
            if (w.channel_metric[b] == metric.weighted_by && w.channel_task[b] == w.channel_task[c])
                w.channel_base[c] = static_cast<int>(b);
        w.rate_target[c] = rate_millionths(metric.rate_target);
    }
}

// Which steps are in the grain, how many steps are walked, and the prefix of grain steps.
void choose_steps(Walk& w, const Impl& im, const Plan& plan, const SplitRequest& request, const SplitLayout& lay) {
    const auto& steps = plan.steps;
    // Which steps are in the grain.
    std::set<std::string> keep(lay.key_columns.begin(), lay.key_columns.end());
    w.in_grain.resize(steps.size());
    for (std::size_t s = 0; s < steps.size(); ++s) {
        const Step& step = steps[s];
        if (step.kind == Step::Kind::dimension) {
            w.in_grain[s] = keep.count(step.level) > 0;
        } else {
            // A time step is part of the grain when every grain period lies inside one of its
            // periods; ISO weeks cross months, quarters and years, so only weeks hold weeks.
            bool coarser = request.period && static_cast<int>(step.time) <= static_cast<int>(*request.period);
            bool nests = request.period && (*request.period != TimeLevel::week || step.time == TimeLevel::week);
            w.in_grain[s] = coarser && nests;
        }
    }
    // Steps after the last one the grain needs only re-add up to their parent, unless they pad it.
    std::size_t needed = 0;
    for (std::size_t s = 0; s < steps.size(); ++s)
        if (w.in_grain[s] || steps[s].allocate || im.has_holds[s] || request.full_depth ||
            (w.has_rates && im.has_rate_overrides[s]))
            needed = s + 1;
    // A time grain needs the time steps walked down to one at least as fine as the grain.
    if (request.period) {
        for (std::size_t s = 0; s < steps.size(); ++s) {
            if (steps[s].kind != Step::Kind::time) continue;
            needed = std::max(needed, s + 1);
            if (static_cast<int>(steps[s].time) >= static_cast<int>(*request.period)) break;
        }
    }
    // Filters need their levels walked.
    for (const auto& f : request.where) {
        int s = plan.step_index(f.level);
        if (s >= 0) needed = std::max(needed, static_cast<std::size_t>(s) + 1);
    }
    w.step_count = needed;
    w.prefix = 0;
    while (w.prefix < w.step_count && w.in_grain[w.prefix])
        ++w.prefix;
}

// The deepest walked time step and, for a time grain, the grain period of each of its nodes.
void place_time_grain(Walk& w, const Impl& im, const Plan& plan, const SplitRequest& request) {
    const auto& steps = plan.steps;
    // Time grain: every walked leaf piece must sit inside one grain period.
    w.last_time_level = 0;
    w.prev_time_step.assign(steps.size() + 1, -1);
    for (std::size_t s = 0; s < steps.size(); ++s) {
        w.prev_time_step[s + 1] = im.time_level_of_step[s] >= 0 ? static_cast<int>(s) : w.prev_time_step[s];
        if (s < w.step_count && im.time_level_of_step[s] >= 0) {
            w.last_time_level = im.time_level_of_step[s];
            w.last_time_step = static_cast<int>(s);
        }
    }
    if (request.period) {
        w.has_period = true;
        w.grain_periods = periods_between(*request.period, plan.first, plan.last, plan.fiscal_start_month);
        const auto& leaves = im.time_levels[static_cast<std::size_t>(w.last_time_level)];
        for (const auto& node : leaves) {
            auto it = std::upper_bound(w.grain_periods.begin(), w.grain_periods.end(), node.period.first,
                                       [](Date d, const Period& p) { return d < p.first; });
            const Period& gp = *(it - 1);
            if (node.period.last > gp.last) {
                std::string finest = w.last_time_level == 0
                                         ? std::string("the plan does not split by time")
                                         : fmt::format("the plan splits time down to {}, and {} spans {} … {}",
                                                       time_level_name(node.period.level), node.period.label,
                                                       format_date(node.period.first), format_date(node.period.last));
                throw Error::usage(
                    Field::period, fmt::format("{}: {}", time_level_name(*request.period), finest),
                    "choose a period that the plan's time levels nest in, or add that level to the split");
            }
            w.node_period.push_back(static_cast<int>(it - 1 - w.grain_periods.begin()));
        }
    }
}

// Key columns → the steps that name them.
void place_keys(Walk& w, const Plan& plan, const SplitLayout& lay) {
    const auto& steps = plan.steps;
    // Key columns → the steps that name them.
    w.key_position.assign(steps.size(), -1);
    for (const auto& column : lay.key_columns) {
        int s = column == "period" ? -1 : plan.step_index(column);
        if (s >= 0)
            w.key_position[static_cast<std::size_t>(s)] = static_cast<int>(w.key_steps.size());
        else
            w.period_position = static_cast<int>(w.key_steps.size());
        w.key_steps.push_back(s);
    }
    w.keys.resize(lay.key_columns.size());
    w.row_amounts.resize(w.channels);
}

// Dense accumulation slots below the prefix, and one scratch buffer per step.
void size_buffers(Walk& w, const Impl& im, const Plan& plan) {
    const auto& steps = plan.steps;
    // Dense slots for grain coordinates decided below the prefix.
    w.stride.assign(steps.size(), 0);
    std::size_t slots = 1;
    for (std::size_t s = w.prefix; s < w.step_count; ++s) {
        if (!w.in_grain[s] || steps[s].kind != Step::Kind::dimension) continue;
        w.stride[s] = slots;
        const auto& dim = plan.dimensions[static_cast<std::size_t>(steps[s].dimension)];
        slots *= dim.members[static_cast<std::size_t>(steps[s].depth)].size();
    }
    bool period_below_prefix = false;
    for (std::size_t s = w.prefix; s < w.step_count; ++s)
        if (steps[s].kind == Step::Kind::time) period_below_prefix = true;
    if (w.has_period && period_below_prefix) {
        w.period_stride = slots;
        slots *= w.grain_periods.size();
    }
    if (slots > (std::size_t{1} << 27))
        throw Error::usage(
            "this grain needs too many partial sums at once",
            "list the " + mention(Field::by) + " levels in the split's order, or split the plan's order differently");
    if (w.prefix < w.step_count) {
        w.accumulator.assign(slots * w.channels, 0);
        w.is_touched.assign(slots, 0);
    }

    // Scratch: one buffer per step, sized for its largest sibling group.
    w.chosen.assign(steps.size(), -1);
    w.scratch.resize(steps.size());
    for (std::size_t s = 0; s < w.step_count; ++s) {
        std::size_t widest = 0;
        for (const auto& g : im.groups[s])
            widest = std::max(widest, g.children);
        w.scratch[s].assign(widest * w.channels, 0);
        if (w.channels > 1) w.parts.resize(std::max(w.parts.size(), widest));  // one channel splits in place
    }
}

Walk prepare_walk(const Impl& im, const Plan& plan, const SplitRequest& request, const SplitLayout& lay) {
    Walk w;
    set_channels(w, plan, request, lay);
    choose_steps(w, im, plan, request, lay);
    place_time_grain(w, im, plan, request);
    place_keys(w, plan, lay);
    size_buffers(w, im, plan);
    restrict_to(w, im, plan, request.where);
    return w;
}

struct Walker {
    Walk& w;
    const Decomposition::Impl& im;
    const Plan& plan;

    std::string node_path(std::size_t depth) const {
        std::string out;
        for (std::size_t s = 0; s < depth; ++s) {
            if (!out.empty()) out += " / ";
            out += key_of(s);
        }
        return out.empty() ? std::string("the plan total") : out;
    }

    std::string_view key_of(std::size_t s) const {
        const Step& step = plan.steps[s];
        int c = w.chosen[s];
        if (step.kind == Step::Kind::dimension)
            return plan.dimensions[static_cast<std::size_t>(step.dimension)]
                .members[static_cast<std::size_t>(step.depth)][static_cast<std::size_t>(c)]
                .id;
        return im.time_levels[static_cast<std::size_t>(im.time_level_of_step[s])][static_cast<std::size_t>(c)]
            .period.label;
    }

    int parent_index(std::size_t s) const {
        const Step& step = plan.steps[s];
        if (step.kind == Step::Kind::dimension) {
            if (step.depth == 0) return 0;
            return w.chosen[static_cast<std::size_t>(im.dim_step(step.dimension, step.depth - 1))];
        }
        int t = w.prev_time_step[s];
        return t < 0 ? 0 : w.chosen[static_cast<std::size_t>(t)];
    }

    const Group& group_for(std::size_t s, int parent) const { return im.group_at(s, parent, w.chosen); }

    // Splits `amounts` (one per channel) over the children of step s; returns the child count.
    std::size_t split(std::size_t s, const Minor* amounts, Minor* out) const {
        const Step& step = plan.steps[s];
        const Group& group = group_for(s, parent_index(s));
        const std::size_t n = group.children;
        // One channel: child i's share is out[i], split straight into place.
        const bool in_place = w.channels == 1;
        std::span<std::int64_t> parts(in_place ? out : w.parts.data(), n);
        for (std::size_t c = 0; c < w.channels; ++c) {
            if (w.channel_base[c] >= 0) continue;  // rates: below, once their weights are known
            int m = w.channel_metric[c];
            const Metric& metric = plan.metrics[static_cast<std::size_t>(m)];
            const MetricRule& rule = group.per_metric[static_cast<std::size_t>(m)];
            Minor pool = amounts[c];
            // Tasks and budget lines follow the parent's amount before padding; holds that only the
            // padding made room for then weigh instead.
            const bool follows_task = w.channel_task[c] || (step.allocate && !detail::pads(step, metric));
            if (step.allocate && !follows_task) {
                auto padded = detail::padded_pool(pool, *step.allocate, metric.quantum);
                if (!padded) throw Error::input(step.where, fmt::format("{}: over-assignment overflows", node_path(s)));
                pool = *padded;
            }
            bool holds_are_weights = follows_task || step.scale_holds;
            auto outcome = detail::split_pool(rule, pool, metric.quantum, holds_are_weights, parts);
            if (outcome != detail::PoolSplit::ok) {
                Error problem = outcome == detail::PoolSplit::bounds_infeasible
                                    ? bounds_infeasible(s, step, metric, pool, rule)
                                : outcome == detail::PoolSplit::holds_exceed && rule.has_free
                                    ? holds_exceed(s, step, metric, pool, rule)
                                    : top_down_vs_bottom_up(s, step, metric, pool, rule.held);
                if (!w.problems) throw problem;
                // Below a group that could not be split, amounts are stand-ins: nothing to report.
                if (w.unsplittable_above == 0 && !group.unsplittable) record(s, std::move(problem));
                // Go on below with the holds as weights, so that later contradictions show too.
                if (detail::split_pool(rule, pool, metric.quantum, true, parts) != detail::PoolSplit::ok)
                    std::fill(parts.begin(), parts.end(), 0);
            }
            if (in_place) continue;
            Minor* child = out + c;  // child i, channel c lives at out[i * channels + c]
            for (std::size_t i = 0; i < n; ++i)
                child[i * w.channels] = parts[i];
        }
        if (w.has_rates) rate_children(s, out, n);
        return n;
    }

    Error top_down_vs_bottom_up(std::size_t s, const Step& step, const Metric& metric, Minor top, Minor bottom) const {
        // "reconcile" and members without an amount exist on dimension levels only.
        bool dimension = step.kind == Step::Kind::dimension;
        return Error::input(
            step.where,
            fmt::format("{}: top-down {} but the amounts below add up to {} (difference {})", node_path(s),
                        format_minor(top, metric.decimals), format_minor(bottom, metric.decimals),
                        format_minor(bottom - top, metric.decimals)),
            dimension ? "add a member without an amount to take the rest, correct the amounts, drop the parent's total "
                        "(bottom-up), or set \"reconcile\": \"scale\" on the level (top-down wins)"
                      : "correct the amounts or the parent's share, or leave a period without an amount to take "
                        "the rest");
    }

    Error bounds_infeasible(std::size_t s, const Step& step, const Metric& metric, Minor pool,
                            const MetricRule& rule) const {
        auto name = [&](int i) { return child_name(s, i); };
        const SourceLocation& where = !step.floor.empty() ? step.floor.where : step.cap.where;
        return Error::input(where,
                            fmt::format("{}: the floors and caps of {} cannot be met: {}", node_path(s), step.level,
                                        detail::bound_problems(rule, pool - rule.held, metric, name)),
                            "lower the floors, raise the caps, or change the parent's amount");
    }

    Error holds_exceed(std::size_t s, const Step& step, const Metric& metric, Minor pool,
                       const MetricRule& rule) const {
        std::vector<std::string> held;
        for (auto [i, a] : rule.holds)
            held.push_back(fmt::format("{} {}", child_name(s, i), format_minor(a, metric.decimals)));
        bool dimension = step.kind == Step::Kind::dimension;
        return Error::input(
            step.where,
            fmt::format("{}: held amounts of {} total {} but the parent has only {} ({})", node_path(s), metric.id,
                        format_minor(rule.held, metric.decimals), format_minor(pool, metric.decimals), join_ids(held)),
            dimension ? "lower the holds, or set \"allocate\" to hand out more than the parent"
                      : "lower the holds, or raise the parent's amount");
    }

    // A collecting walk: one entry per problem (the first kMaxSplitProblems; then only counted).
    void record(std::size_t s, Error problem) const {
        if (w.problems->size() >= kMaxSplitProblems) {
            ++w.problems_dropped;
            return;
        }
        SplitProblem p;
        p.step = s;
        p.node = s == 0 ? std::string() : node_path(s);
        p.diagnostic = problem.diagnostics().front();
        w.problems->push_back(std::move(p));
    }

    // A rate is held, not split: each child's channel carries weight × rate (in millionths), so that
    // any sum of rows divides back into the weighted average.
    void rate_children(std::size_t s, Minor* out, std::size_t n) const {
        const Step& step = plan.steps[s];
        const std::vector<Member>* level = nullptr;
        detail::ChildIndices members(0);
        if (step.kind == Step::Kind::dimension && im.has_rate_overrides[s]) {
            level = &plan.dimensions[static_cast<std::size_t>(step.dimension)]
                         .members[static_cast<std::size_t>(step.depth)];
            members = im.member_children(step, parent_index(s));
        }
        for (std::size_t c = 0; c < w.channels; ++c) {
            int base = w.channel_base[c];
            if (base < 0) continue;
            auto m = static_cast<std::size_t>(w.channel_metric[c]);
            std::int64_t here = rate_here(s, c, m);
            for (std::size_t i = 0; i < n; ++i) {
                std::int64_t rate = here;
                if (level) {
                    const Member& member = (*level)[static_cast<std::size_t>(members[i])];
                    if (member.rates().size() > m && member.rates()[m]) rate = rate_millionths(*member.rates()[m]);
                }
                Minor numerator;
                if (__builtin_mul_overflow(out[i * w.channels + static_cast<std::size_t>(base)], rate, &numerator))
                    throw Error::input(plan.metrics[m].where,
                                       fmt::format("rate \"{}\": weight × rate overflows 64 bits at {}",
                                                   plan.metrics[m].id, node_path(s)),
                                       "weight the rate by a metric in larger units");
                out[i * w.channels + c] = numerator;
            }
        }
    }

    // The rate in force above step s: the deepest member chosen so far that sets one, else the target.
    std::int64_t rate_here(std::size_t s, std::size_t c, std::size_t m) const {
        for (std::size_t t = s; t-- > 0;) {
            const Step& step = plan.steps[t];
            if (step.kind != Step::Kind::dimension || !im.has_rate_overrides[t]) continue;
            const Member& member =
                plan.dimensions[static_cast<std::size_t>(step.dimension)]
                    .members[static_cast<std::size_t>(step.depth)][static_cast<std::size_t>(w.chosen[t])];
            if (member.rates().size() > m && member.rates()[m]) return rate_millionths(*member.rates()[m]);
        }
        return w.rate_target[c];
    }

    std::string child_name(std::size_t s, int i) const {
        const Step& step = plan.steps[s];
        int parent = parent_index(s);
        if (step.kind == Step::Kind::dimension) {
            int member = im.member_children(step, parent)[static_cast<std::size_t>(i)];
            return plan.dimensions[static_cast<std::size_t>(step.dimension)]
                .members[static_cast<std::size_t>(step.depth)][static_cast<std::size_t>(member)]
                .id.str();
        }
        const auto& node =
            im.time_levels[static_cast<std::size_t>(im.time_level_of_step[s] - 1)][static_cast<std::size_t>(parent)];
        return im
            .time_levels[static_cast<std::size_t>(im.time_level_of_step[s])]
                        [static_cast<std::size_t>(node.child_begin + i)]
            .period.label;
    }

    int current_time_node() const {
        return w.last_time_step < 0 ? 0 : w.chosen[static_cast<std::size_t>(w.last_time_step)];
    }

    void leaf(const Minor* amounts, std::size_t slot) {
        if (w.prefix >= w.step_count) {
            // Dimension keys were set on the way down; only the period needs looking up.
            if (w.period_position >= 0)
                w.keys[static_cast<std::size_t>(w.period_position)] =
                    w.grain_periods[static_cast<std::size_t>(
                                        w.node_period[static_cast<std::size_t>(current_time_node())])]
                        .label;
            emit_row(w, amounts);
            return;
        }
        if (w.has_period && w.period_stride)
            slot += static_cast<std::size_t>(w.node_period[static_cast<std::size_t>(current_time_node())]) *
                    w.period_stride;
        Minor* acc = &w.accumulator[slot * w.channels];
        for (std::size_t c = 0; c < w.channels; ++c)
            acc[c] += amounts[c];
        if (!w.is_touched[slot]) {
            w.is_touched[slot] = 1;
            w.touched.push_back(static_cast<std::uint32_t>(slot));
        }
    }

    // Emits the rows accumulated below a prefix node, in the order they were first touched.
    void flush() {
        // Keys named by steps above the prefix were set on the way down and hold for every row here.
        for (auto slot : w.touched) {
            // Decode the slot into the chosen indices it stands for.
            for (std::size_t s = w.prefix; s < w.step_count; ++s)
                if (w.stride[s]) {
                    const Step& step = plan.steps[s];
                    std::size_t size = plan.dimensions[static_cast<std::size_t>(step.dimension)]
                                           .members[static_cast<std::size_t>(step.depth)]
                                           .size();
                    w.chosen[s] = static_cast<int>((slot / w.stride[s]) % size);
                }
            for (std::size_t k = 0; k < w.key_steps.size(); ++k) {
                int s = w.key_steps[k];
                if (s >= 0) {
                    if (static_cast<std::size_t>(s) >= w.prefix) w.keys[k] = key_of(static_cast<std::size_t>(s));
                } else if (w.period_stride) {
                    w.keys[k] = w.grain_periods[(slot / w.period_stride) % w.grain_periods.size()].label;
                } else {
                    w.keys[k] = w.grain_periods[static_cast<std::size_t>(
                                                    w.node_period[static_cast<std::size_t>(current_time_node())])]
                                    .label;
                }
            }
            Minor* acc = &w.accumulator[static_cast<std::size_t>(slot) * w.channels];
            emit_row(w, acc);
            std::fill(acc, acc + w.channels, 0);
            w.is_touched[slot] = 0;
        }
        w.touched.clear();
    }

    // In a parallel run the main walker stops here and hands the node to a worker.
    std::size_t fork_depth = 0;
    const std::function<void(const Minor*, std::size_t)>* fork = nullptr;
    // In a sharded run: the nodes reached at shard_depth are numbered in walk order, and only those
    // in [shard_begin, shard_end) are walked further (a counting pass sets shard_end to 0).
    std::size_t shard_depth = 0, shard_seen = 0, shard_begin = 0, shard_end = 0;
    bool sharded = false;

    void descend(std::size_t s, const Minor* amounts, std::size_t slot) {
        if (fork && s == fork_depth) {
            (*fork)(amounts, slot);
            return;
        }
        if (sharded && s == shard_depth) {
            std::size_t node = shard_seen++;
            if (node < shard_begin || node >= shard_end) return;
        }
        if (s == w.step_count) {
            leaf(amounts, slot);
            return;
        }
        const Step& step = plan.steps[s];
        Minor* out = w.scratch[s].data();
        std::size_t n = split(s, amounts, out);
        // Children are listed member indices, or a contiguous run: a first level's members (from 0) or
        // a parent period's time nodes.
        const int* listed = nullptr;
        int time_base = 0;
        if (step.kind == Step::Kind::dimension)
            listed = im.member_children(step, parent_index(s)).listed();
        else
            time_base = im.time_levels[static_cast<std::size_t>(im.time_level_of_step[s] - 1)]
                                      [static_cast<std::size_t>(parent_index(s))]
                                          .child_begin;
        const auto& allowed = w.allowed[s];
        auto index_of = [&](std::size_t i) { return listed ? listed[i] : time_base + static_cast<int>(i); };
        if (s + 1 == w.step_count && w.prefix < w.step_count) {
            // The last step: add children straight into their slots (the hot loop at day grain).
            bool time_here = static_cast<int>(s) == w.last_time_step;
            std::size_t fixed = slot;
            if (w.has_period && w.period_stride && !time_here)
                fixed += static_cast<std::size_t>(w.node_period[static_cast<std::size_t>(current_time_node())]) *
                         w.period_stride;
            const std::size_t stride = w.stride[s];
            const std::size_t period_stride = time_here ? w.period_stride : 0;
            const std::size_t channels = w.channels;
            // Raw pointers held in locals: the stores through is_touched (chars) may alias anything,
            // and would otherwise make every vector's data be reloaded for every child.
            Minor* const accumulator = w.accumulator.data();
            char* const is_touched = w.is_touched.data();
            const char* const ok = allowed.empty() ? nullptr : allowed.data();  // null: no filter
            const int* const period_of = w.node_period.data();
            const int* const member_index = listed;
            for (std::size_t i = 0; i < n; ++i) {
                const auto index =
                    static_cast<std::size_t>(member_index ? member_index[i] : time_base + static_cast<int>(i));
                if (ok && !ok[index]) continue;
                std::size_t target = fixed + stride * index;
                if (period_stride) target += static_cast<std::size_t>(period_of[index]) * period_stride;
                Minor* acc = accumulator + target * channels;
                const Minor* add = out + i * channels;
                if (channels == 1) {
                    acc[0] += add[0];
                } else {
                    for (std::size_t c = 0; c < channels; ++c)
                        acc[c] += add[c];
                }
                if (!is_touched[target]) {
                    is_touched[target] = 1;
                    w.touched.push_back(static_cast<std::uint32_t>(target));
                }
            }
            return;
        }
        const int key_position = w.key_position[s];
        const int unsplittable = w.problems && group_for(s, parent_index(s)).unsplittable ? 1 : 0;
        w.unsplittable_above += unsplittable;
        for (std::size_t i = 0; i < n; ++i) {
            int index = index_of(i);
            if (!allowed.empty() && !allowed[static_cast<std::size_t>(index)]) continue;
            w.chosen[s] = index;
            if (key_position >= 0) w.keys[static_cast<std::size_t>(key_position)] = key_of(s);
            std::size_t child_slot = slot + w.stride[s] * static_cast<std::size_t>(index);
            descend(s + 1, out + i * w.channels, child_slot);
            if (s + 1 == w.prefix) flush();
        }
        w.unsplittable_above -= unsplittable;
    }
};

// The first level within the prefix (whose subtrees never share an output row) with at least
// `enough` nodes, else the deepest level of the prefix; 0 when the prefix is empty. Depends only on
// the plan and the request.
std::size_t first_level_with(const Walk& w, const Impl& im, const Plan& plan, std::size_t enough) {
    std::size_t depth = 0;
    for (std::size_t s = 1; s <= w.prefix && s <= w.step_count; ++s) {
        const Step& step = plan.steps[s - 1];
        std::size_t nodes = step.kind == Step::Kind::dimension
                                ? plan.dimensions[static_cast<std::size_t>(step.dimension)]
                                      .members[static_cast<std::size_t>(step.depth)]
                                      .size()
                                : im.time_levels[static_cast<std::size_t>(im.time_level_of_step[s - 1])].size();
        depth = s;
        if (nodes >= enough) break;
    }
    return depth;
}

// Where to fork a parallel run: a level with enough nodes to keep every thread busy.
std::size_t fork_depth_for(const Walk& w, const Impl& im, const Plan& plan) {
    return first_level_with(w, im, plan, 64);
}

// Where to cut a sharded run: a level with enough nodes for every shard to get a fair share (16
// each). Every shard computes the same level.
std::size_t shard_depth_for(const Walk& w, const Impl& im, const Plan& plan, std::size_t shards) {
    return first_level_with(w, im, plan, 16 * shards);
}

// A sharded run: a first pass over the top levels numbers the nodes at the cut; the shard then
// walks its contiguous share of them (shard k of n: nodes [k·total/n, (k+1)·total/n)).
void walk_shard(Walk& w, const Impl& im, const Plan& plan, const SplitRequest& request,
                const std::vector<Minor>& root) {
    if (w.prefix == 0)
        throw Error::usage(
            "a split in shards needs rows keyed by the split's first level",
            fmt::format("at this grain every row adds up across the whole plan; keep \"{}\" in the grain",
                        plan.steps.empty() ? std::string() : plan.steps[0].level));
    if (request.shard >= request.shards)
        throw Error::usage(fmt::format("shard {} of {}: shards are numbered from 1 to their count", request.shard + 1,
                                       request.shards));
    Walker walker{w, im, plan};
    walker.sharded = true;
    walker.shard_depth = shard_depth_for(w, im, plan, request.shards);
    walker.descend(0, root.data(), 0);  // counting: shard_end is 0, nothing below the cut is walked
    const std::size_t total = walker.shard_seen;
    walker.shard_seen = 0;
    walker.shard_begin = total * request.shard / request.shards;
    walker.shard_end = total * (request.shard + 1) / request.shards;
    walker.descend(0, root.data(), 0);
}

void walk_in_parallel(Walk& w, const Impl& im, const Plan& plan, std::size_t fork_depth, int threads,
                      const std::vector<Minor>& root, const std::function<void(const SplitRow&)>& sink,
                      const SplitText* text) {
    Walker walker{w, im, plan};
    // Parallel run: the main thread walks down to the fork depth and packs the nodes it reaches into
    // chunks; workers walk each chunk on their own copy of the walk state and keep its rows (or, for
    // text, the rows formatted); the main thread hands the chunks' rows to the sink (or their text to
    // text->write) in order, so the output is the sequential one.
    struct Job {
        std::vector<int> chosen;
        std::vector<std::string_view> keys;
        std::vector<Minor> amounts;
        std::size_t slot = 0;
    };
    struct ChunkRows {
        std::vector<std::string_view> keys;
        std::vector<Minor> amounts;
        std::string text;
    };
    constexpr std::size_t kJobsPerChunk = 32;
    const std::size_t max_in_flight = static_cast<std::size_t>(threads) * 2;
    std::mutex pool_mutex;
    std::vector<std::unique_ptr<Walk>> pool;
    const Walk& pristine = w;
    auto work = [&, fork_depth](std::vector<Job> chunk) {
        std::unique_ptr<Walk> own;
        {
            std::lock_guard lock(pool_mutex);
            if (!pool.empty()) {
                own = std::move(pool.back());
                pool.pop_back();
            }
        }
        if (!own) own = std::make_unique<Walk>(pristine);
        ChunkRows rows;
        rows.keys.reserve(own->last_chunk_keys);
        rows.amounts.reserve(own->last_chunk_amounts);
        rows.text.reserve(own->last_chunk_text);
        if (text && !own->format) own->format = text->make_format();
        std::function<void(const SplitRow&)> collect = [&rows, &own](const SplitRow& row) {
            if (own->format) {
                own->format(row, rows.text);
                return;
            }
            rows.keys.insert(rows.keys.end(), row.keys.begin(), row.keys.end());
            rows.amounts.insert(rows.amounts.end(), row.amounts.begin(), row.amounts.end());
        };
        own->sink = &collect;
        Walker worker{*own, im, plan};
        for (auto& job : chunk) {
            own->chosen = job.chosen;
            own->keys = job.keys;
            worker.descend(fork_depth, job.amounts.data(), job.slot);
            if (fork_depth == own->prefix) worker.flush();
        }
        own->sink = nullptr;
        own->last_chunk_keys = rows.keys.size();
        own->last_chunk_amounts = rows.amounts.size();
        own->last_chunk_text = rows.text.size();
        std::lock_guard lock(pool_mutex);
        pool.push_back(std::move(own));
        return rows;
    };
    ThreadPool workers(threads);  // after what its tasks use: on an error it finishes them first
    std::deque<std::future<ChunkRows>> in_flight;
    auto deliver_front = [&] {
        ChunkRows rows = in_flight.front().get();
        in_flight.pop_front();
        if (text) {
            if (!rows.text.empty()) text->write(rows.text);
            return;
        }
        std::size_t width = w.keys.size();
        std::size_t count = w.channels ? rows.amounts.size() / w.channels : 0;
        for (std::size_t r = 0; r < count; ++r)
            sink(SplitRow{std::span<const std::string_view>(rows.keys.data() + r * width, width),
                          std::span<const Minor>(rows.amounts.data() + r * w.channels, w.channels)});
    };
    std::vector<Job> chunk;
    auto submit = [&] {
        in_flight.push_back(
            workers.submit([&work, jobs = std::move(chunk)]() mutable { return work(std::move(jobs)); }));
        chunk = {};
        while (in_flight.size() > max_in_flight)
            deliver_front();
    };
    std::function<void(const Minor*, std::size_t)> fork = [&](const Minor* amounts, std::size_t slot) {
        chunk.push_back(Job{w.chosen, w.keys, std::vector<Minor>(amounts, amounts + w.channels), slot});
        if (chunk.size() == kJobsPerChunk) submit();
    };
    walker.fork_depth = fork_depth;
    walker.fork = &fork;
    walker.descend(0, root.data(), 0);
    if (!chunk.empty()) submit();
    while (!in_flight.empty())
        deliver_front();
}

}  // namespace

std::optional<Minor> rate_percent(Minor weighted, Minor weight, int decimals) {
    return divide_rounded(static_cast<Wide>(weighted) * 100, static_cast<Wide>(weight) * pow10_wide(kRateDigits),
                          decimals);
}

namespace {

// Runs `walk_once`; when it stops at an amount that contradicts its parent (and the request does not
// collect problems itself), runs `walk_collecting` on a copy of the request that collects them, and
// reports them all at once.
template <class Once, class Collecting>
void walk_reporting_all(const SplitRequest& request, Once walk_once, Collecting walk_collecting) {
    try {
        walk_once();
    } catch (const Error& first) {
        if (request.problems || first.kind() != ErrorKind::bad_input) throw;
        // Amounts that contradict their parent: walk again, collecting, to report them all at once.
        std::vector<SplitProblem> found;
        SplitRequest collect = request;
        collect.threads = 1;
        collect.shard = 0;  // every shard reports the plan's contradictions alike
        collect.shards = 1;
        collect.problems = &found;
        try {
            walk_collecting(collect);
        } catch (const Error&) {
            throw first;
        }
        if (found.empty()) throw;
        std::vector<Diagnostic> all;
        for (auto& p : found)
            all.push_back(std::move(p.diagnostic));
        throw Error(std::move(all));
    }
}

}  // namespace

void Decomposition::run(const SplitRequest& request, const std::function<void(const SplitRow&)>& sink) const {
    walk_reporting_all(
        request, [&] { walk(request, sink); },
        [&](const SplitRequest& collect) { walk(collect, [](const SplitRow&) {}); });
}

void Decomposition::run(const SplitRequest& request, const SplitText& text) const {
    walk_reporting_all(
        request, [&] { walk(request, {}, &text); },
        [&](const SplitRequest& collect) { walk(collect, [](const SplitRow&) {}); });
}

void Decomposition::walk(const SplitRequest& request, const std::function<void(const SplitRow&)>& sink,
                         const SplitText* text) const {
    const Impl& im = *impl_;
    SplitLayout lay = layout(request);
    Walk w = prepare_walk(im, plan_, request, lay);
    w.sink = &sink;
    // Text on one thread: rows formatted into a buffer that goes out a megabyte at a time.
    constexpr std::size_t kTextBlock = 1 << 20;
    std::string buffer;
    std::function<void(const SplitRow&, std::string&)> format;
    std::function<void(const SplitRow&)> to_text = [&](const SplitRow& row) {
        format(row, buffer);
        if (buffer.size() >= kTextBlock) {
            text->write(buffer);
            buffer.clear();
        }
    };
    auto flush_text = [&] {
        if (text && !buffer.empty()) text->write(buffer);
    };
    // The root amounts.
    std::vector<Minor> root(w.channels);
    for (std::size_t c = 0; c < w.channels; ++c)
        root[c] = plan_.metrics[static_cast<std::size_t>(w.channel_metric[c])].total;
    for (std::size_t c = 0; c < w.channels; ++c)
        if (w.channel_base[c] >= 0 &&
            __builtin_mul_overflow(root[static_cast<std::size_t>(w.channel_base[c])], w.rate_target[c], &root[c]))
            throw Error::input(plan_.metrics[static_cast<std::size_t>(w.channel_metric[c])].where,
                               "weight × rate overflows 64 bits", "weight the rate by a metric in larger units");

    w.problems = request.problems;
    std::size_t fork_depth =
        request.threads > 1 && !w.problems && request.shards == 1 ? fork_depth_for(w, im, plan_) : 0;
    if (fork_depth > 0) {
        walk_in_parallel(w, im, plan_, fork_depth, request.threads, root, sink, text);
        return;
    }
    if (text) {
        buffer.reserve(kTextBlock + (kTextBlock >> 4));
        format = text->make_format();
        w.sink = &to_text;
    }
    if (request.shards != 1) {
        walk_shard(w, im, plan_, request, root);
        flush_text();
        return;
    }
    Walker walker{w, im, plan_};
    walker.descend(0, root.data(), 0);
    if (w.prefix == 0 && w.step_count > 0) walker.flush();
    flush_text();
    if (w.problems && w.problems_dropped > 0) {
        SplitProblem more;
        more.diagnostic.severity = Severity::error;
        more.diagnostic.message = fmt::format("… and {} more contradictions like these", w.problems_dropped);
        w.problems->push_back(std::move(more));
    }
}

}  // namespace tgt
