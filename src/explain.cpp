// tgt explain: the chain of split steps from the plan's total to one cell, with exact shares.

#include "tgt/explain.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "decomposition_impl.hpp"
#include "plan_finish.hpp"
#include "tgt/crossing.hpp"

namespace tgt {

namespace {

using detail::Group;
using detail::MetricRule;

// The cell, resolved: per step the index it fixes (member or time node), or -1.
struct CellPath {
    std::vector<int> fixed;
    int period_step = -1;  // the time step whose node the cell's period is
};

int find_member(const Plan& plan, const Step& step, const std::string& value, const std::string& level_name) {
    const auto& level =
        plan.dimensions[static_cast<std::size_t>(step.dimension)].members[static_cast<std::size_t>(step.depth)];
    std::vector<std::string> ids;
    for (std::size_t i = 0; i < level.size(); ++i) {
        if (level[i].id == value || (!level[i].name().empty() && level[i].name() == value)) return static_cast<int>(i);
        ids.push_back(level[i].id.str());
    }
    std::string guess = did_you_mean(value, ids);
    throw Error::usage(Field::cell, fmt::format("{}={}: no such member", level_name, value),
                       guess.empty() ? std::string() : fmt::format("did you mean \"{}\"?", guess));
}

CellPath resolve_cell(const Plan& plan, const Decomposition::Impl& im, const std::vector<Filter>& cell) {
    CellPath path;
    path.fixed.assign(plan.steps.size(), -1);
    std::optional<std::string> period;
    for (const auto& f : cell) {
        int s = plan.step_index(f.level);
        if (f.level == "period" || (s >= 0 && plan.steps[static_cast<std::size_t>(s)].kind == Step::Kind::time) ||
            (s < 0 && parse_time_level(f.level))) {
            if (period && *period != f.value) throw Error::usage(Field::cell, "names two periods", "give one period");
            period = f.value;
            continue;
        }
        if (s < 0) {
            std::vector<std::string> names;
            for (const auto& d : plan.dimensions)
                names.insert(names.end(), d.levels.begin(), d.levels.end());
            std::string guess = did_you_mean(f.level, names);
            throw Error::usage(Field::cell, fmt::format("{}={}: no level \"{}\"", f.level, f.value, f.level),
                               guess.empty() ? "levels: " + detail::join_ids(names, 50) + ", period"
                                             : fmt::format("did you mean \"{}\"?", guess));
        }
        const Step& step = plan.steps[static_cast<std::size_t>(s)];
        int member = find_member(plan, step, f.value, f.level);
        // The member fixes its ancestors too; a second filter on the same dimension must agree.
        const Dimension& dim = plan.dimensions[static_cast<std::size_t>(step.dimension)];
        for (int depth = step.depth; depth >= 0; --depth) {
            int t = im.dim_step(step.dimension, depth);
            int& slot = path.fixed[static_cast<std::size_t>(t)];
            if (slot >= 0 && slot != member)
                throw Error::usage(
                    Field::cell,
                    fmt::format("{}={}: not under {}={}", f.level, f.value, dim.levels[static_cast<std::size_t>(depth)],
                                dim.members[static_cast<std::size_t>(depth)][static_cast<std::size_t>(slot)].id));
            slot = member;
            if (depth > 0)
                member = dim.members[static_cast<std::size_t>(depth)][static_cast<std::size_t>(member)].parent;
        }
    }
    if (!period) return path;
    // The period: a node of one of the plan's time levels; exact labels first, then short forms.
    std::vector<std::pair<std::size_t, int>> hits;
    for (int pass = 0; pass < 2 && hits.empty(); ++pass)
        for (std::size_t s = 0; s < plan.steps.size(); ++s) {
            if (plan.steps[s].kind != Step::Kind::time) continue;
            const auto& level = im.time_levels[static_cast<std::size_t>(im.time_level_of_step[s])];
            for (std::size_t i = 0; i < level.size(); ++i)
                if (pass == 0 ? level[i].period.label == *period : period_matches(level[i].period, *period))
                    hits.emplace_back(s, static_cast<int>(i));
            if (!hits.empty()) break;
        }
    if (hits.empty())
        throw Error::usage(Field::cell, fmt::format("period={}: no such period among the plan's time levels", *period),
                           "use a label as split prints it: 2027, 2027-H1, 2027-Q1, 2027-03, 2027-W09, 2027-03-01");
    if (hits.size() > 1)
        throw Error::usage(Field::cell,
                           fmt::format("period={}: {} pieces of the plan have this label", *period, hits.size()),
                           "a week that straddles two months is split in two: name a day or the month instead");
    auto [s, node] = hits.front();
    path.period_step = static_cast<int>(s);
    // Fix the time node at this step and its ancestors at the earlier time steps.
    for (std::size_t t = s + 1; t-- > 0;) {
        if (plan.steps[t].kind != Step::Kind::time) continue;
        path.fixed[t] = node;
        node =
            im.time_levels[static_cast<std::size_t>(im.time_level_of_step[t])][static_cast<std::size_t>(node)].parent;
    }
    return path;
}

std::string share_words(const Share& share) {
    switch (share.kind) {
        case Share::Kind::percent:
            return format_decimal(share.value) + "%";
        case Share::Kind::ratio:
            return "weight " + format_decimal(share.value);
        case Share::Kind::amount:
            return "hold";
        case Share::Kind::unset:
            return "no weight given (equal share of what is left)";
    }
    return {};
}

class Explainer {
public:
    Explainer(const Decomposition& d, std::size_t metric)
        : plan_(d.plan()), im_(d.internals()), metric_(metric), clock_(plan_.calendar) {}

    // The words for why child `index` (member or time node) at step s weighs what it weighs.
    std::string rule_words(std::size_t s, int index, const Group& group, int parent) const {
        const Step& step = plan_.steps[s];
        const Metric& metric = plan_.metrics[metric_];
        if (step.kind == Step::Kind::dimension) {
            const Member& m = plan_.dimensions[static_cast<std::size_t>(step.dimension)]
                                  .members[static_cast<std::size_t>(step.depth)][static_cast<std::size_t>(index)];
            if (m.unassigned) return "what its siblings' dates and ramps free up";
            std::string words;
            auto keyed = step.keyed.find(m.id.str());
            int o = im_.matching_override(s, chosen_);
            Share own;  // an override replaces the weights: members it does not name have none
            if (o >= 0) {
                auto it = step.overrides[static_cast<std::size_t>(o)].weights.find(m.id);
                if (it != step.overrides[static_cast<std::size_t>(o)].weights.end()) own = it->second;
            }
            switch (step.basis) {
                case Basis::equal:
                    words = "equal";
                    break;
                case Basis::history:
                    words = history_words(step, m.id.str());
                    break;
                case Basis::capacity: {
                    std::size_t rated = metric.stretch_of >= 0 ? static_cast<std::size_t>(metric.stretch_of) : metric_;
                    words = "capacity " +
                            detail::describe_capacity(plan_, m, rated,
                                                      clock_.months(plan_.first, plan_.last, m.availability(), false));
                    break;
                }
                default: {
                    const Share& share = o >= 0 ? own : keyed != step.keyed.end() ? keyed->second : m.share;
                    words = share_words(share);
                    // Weights read from a members_from CSV name their line.
                    const SourceLocation share_where = share.where;
                    if (share.kind == Share::Kind::ratio && share_where.line > 0 && share_where.file != plan_.file &&
                        share_where.file.ends_with(".csv"))
                        words = m.children().empty()
                                    ? fmt::format("{} line {}: weight {}",
                                                  std::filesystem::path(share_where.file).filename().string(),
                                                  share_where.line, format_decimal(share.value))
                                    : fmt::format("weight {} (its rows in {}, summed)", format_decimal(share.value),
                                                  std::filesystem::path(share_where.file).filename().string());
                    break;
                }
            }
            if (o >= 0) words += " (override)";
            auto [first, last] = im_.parent_window(step, parent);
            if (!m.placeholder && limited_within(m.availability(), first, last)) {
                // Its active share: capacity months (ramp months at their step) of the parent's.
                Fraction ramped = clock_.months(first, last, m.availability(), true);
                if (step.basis == Basis::capacity) {
                    if (!m.availability().ramp.empty())
                        words += fmt::format(
                            ", ramp: {} of {} active months count", format_fraction_decimal(ramped, 4),
                            format_fraction_decimal(clock_.months(first, last, m.availability(), false), 4));
                } else {
                    Fraction window = clock_.months(first, last, Availability{}, false);
                    words += fmt::format(", active {} of {} months{}", format_fraction_decimal(ramped, 4),
                                         window.den == 1 ? format_fraction(window) : format_fraction_decimal(window, 4),
                                         m.availability().ramp.empty() ? "" : " (ramp months at their %)");
                }
            }
            return words;
        }
        const Period& p =
            im_.time_levels[static_cast<std::size_t>(im_.time_level_of_step[s])][static_cast<std::size_t>(index)]
                .period;
        std::string words;
        switch (step.basis) {
            case Basis::equal:
                words = "equal";
                break;
            case Basis::working_days:
                words = fmt::format("working days: {}", plan_.calendar.working_days(p.first, p.last));
                break;
            case Basis::calendar_days:
                words = fmt::format("days: {}", (p.last - p.first).count() + 1);
                break;
            case Basis::weekday_pattern:
                words = "weekday pattern";
                break;
            case Basis::history:
                words = member_curve_words(s, parent, p.label);
                if (words.empty()) words = history_words(step, p.label);
                break;
            default: {
                auto keyed = step.keyed.find(p.label);
                const auto& parent_node = im_.time_levels[static_cast<std::size_t>(im_.time_level_of_step[s] - 1)]
                                                         [static_cast<std::size_t>(parent)];
                auto position = static_cast<std::size_t>(index - parent_node.child_begin);
                if (keyed != step.keyed.end())
                    words = share_words(keyed->second);
                else if (position < step.positional.size())
                    words = share_words(step.positional[position]);
                else
                    words = "equal";
                break;
            }
        }
        int owner = im_.profile_step[s];
        if (owner >= 0 && &group != &im_.groups[s][static_cast<std::size_t>(parent)]) {
            const Step& os = plan_.steps[static_cast<std::size_t>(owner)];
            int member = chosen_[static_cast<std::size_t>(owner)];
            const Member& m = plan_.dimensions[static_cast<std::size_t>(os.dimension)]
                                  .members[static_cast<std::size_t>(os.depth)][static_cast<std::size_t>(member)];
            words += fmt::format(", × {}'s coverage {}", m.id,
                                 format_fraction_decimal(clock_.coverage(p.first, p.last, m.availability()), 4));
        }
        return words;
    }

    // A period on the chosen member's own curve ("per"), or "" when no curve of its own applies.
    std::string member_curve_words(std::size_t s, int parent, const std::string& label) const {
        const Step& step = plan_.steps[s];
        if (!step.history || !step.history->per_member) return {};
        int o = im_.matching_override(s, chosen_);
        if (o < 0 || static_cast<std::size_t>(o) < step.history->per_member->first_override) return {};
        const auto& level = im_.time_levels[static_cast<std::size_t>(im_.time_level_of_step[s])];
        const auto& parent_node =
            im_.time_levels[static_cast<std::size_t>(im_.time_level_of_step[s] - 1)][static_cast<std::size_t>(parent)];
        std::vector<std::string> siblings;
        for (int c = parent_node.child_begin; c < parent_node.child_end; ++c)
            siblings.push_back(level[static_cast<std::size_t>(c)].period.label);
        return describe_member_curve(*step.history->per_member,
                                     std::filesystem::path(step.history->file).filename().string(),
                                     step.overrides[static_cast<std::size_t>(o)].when.front().second, label, siblings);
    }

    std::string history_words(const Step& step, const std::string& key) const {
        auto it = step.history->rows.find(key);
        std::string file = std::filesystem::path(step.history->file).filename().string();
        if (it == step.history->rows.end()) return fmt::format("{}: no row (weight 0)", file);
        return fmt::format("{} line {}: {} {}", file, it->second.second, step.history->weight_column,
                           format_decimal(it->second.first));
    }

    Explanation run(const std::vector<Filter>& cell) {
        CellPath path = resolve_cell(plan_, im_, cell);
        const Metric& metric = plan_.metrics[metric_];
        Explanation out;
        out.metric = metric.id;
        out.decimals = metric.decimals;
        out.total = metric.total;
        out.total_origin = metric.origin;
        chosen_.assign(plan_.steps.size(), -1);
        Minor amount = metric.total;
        std::size_t stop = plan_.steps.size();
        for (std::size_t s = 0; s < plan_.steps.size(); ++s) {
            if (path.fixed[s] < 0) {
                stop = s;
                break;
            }
            out.steps.push_back(step(s, path.fixed[s], amount));
            amount = out.steps.back().value;
            chosen_[s] = path.fixed[s];
        }
        for (std::size_t s = stop; s < plan_.steps.size(); ++s)
            if (path.fixed[s] >= 0)
                throw Error::usage(Field::cell,
                                   fmt::format("names a {} but not the {} split before it", plan_.steps[s].level,
                                               plan_.steps[stop].level),
                                   fmt::format("add {}=… to the cell", plan_.steps[stop].level));
        out.value = amount;
        return out;
    }

private:
    ExplainStep step(std::size_t s, int index, Minor amount) {
        const Step& st = plan_.steps[s];
        const Metric& metric = plan_.metrics[metric_];
        int parent = parent_of(s);
        const Group& group = im_.group_at(s, parent, chosen_);
        const MetricRule& rule = group.per_metric[metric_];
        ExplainStep e;
        e.level = st.level;
        e.child = std::string(im_.chosen_key(s, index));
        e.siblings = group.children;
        Minor pool = amount;
        const bool follows_task = st.allocate && !detail::pads(st, metric);  // a budget line: not padded
        if (follows_task) {
            e.padding = fmt::format("budget lines follow the task: allocate {} pads targets only",
                                    format_percent(*st.allocate));
        } else if (st.allocate) {
            auto padded = detail::padded_pool(pool, *st.allocate, metric.quantum);
            if (!padded) throw Error::input(st.where, "over-assignment overflows");
            e.padding =
                fmt::format("allocate {} of {}", format_percent(*st.allocate), format_minor(pool, metric.decimals));
            pool = *padded;
        }
        e.parent = pool;
        e.held = rule.held;
        std::size_t position = position_of(s, index, parent);
        std::vector<std::int64_t> parts(group.children);
        auto outcome = detail::split_pool(rule, pool, metric.quantum, st.scale_holds || follows_task, parts);
        if (outcome == detail::PoolSplit::bounds_infeasible)
            throw Error::input(st.where, fmt::format("level \"{}\": its floors and caps cannot be met under {}; "
                                                     "`tgt validate` says more",
                                                     st.level, format_minor(pool, metric.decimals)));
        if (outcome != detail::PoolSplit::ok)
            throw Error::input(st.where,
                               fmt::format("level \"{}\": the amounts below do not add up to {}; `tgt validate` "
                                           "says more",
                                           st.level, format_minor(pool, metric.decimals)));
        e.value = parts[position];
        Minor stage_one = e.value;
        if (!rule.floor.empty()) stage_one = bound_moved(rule, pool, st.scale_holds || follows_task, position, e);
        if (!rule.keep.empty()) {
            // Before dates and ramps: the share by the level's rule; then what its active share keeps or adds.
            MetricRule plain = rule;
            plain.keep.clear();
            std::vector<std::int64_t> before(group.children);
            detail::split_pool(plain, pool, metric.quantum, st.scale_holds || follows_task, before);
            stage_one = before[position];
            auto own = std::find_if(rule.keep.begin(), rule.keep.end(),
                                    [&](const auto& k) { return k.first == static_cast<int>(position); });
            std::vector<std::int64_t> kept = before;
            Minor freed = detail::ramp_freed(rule, metric.quantum, kept);
            if (own != rule.keep.end())
                e.ramp = fmt::format("keeps {} of {}: {}", format_fraction_decimal(own->second, 4),
                                     format_minor(stage_one, metric.decimals), format_minor(e.value, metric.decimals));
            else if (e.value != stage_one)
                e.ramp = fmt::format(
                    "{} + {} of the {} that dates and ramps freed{}", format_minor(stage_one, metric.decimals),
                    format_minor(e.value - stage_one, metric.decimals), format_minor(freed, metric.decimals),
                    rule.unassigned == static_cast<int>(position) ? "" : ", by weight");
        }
        auto hold = std::find_if(rule.holds.begin(), rule.holds.end(),
                                 [&](const auto& h) { return h.first == static_cast<int>(position); });
        bool exact_path = rule.held <= pool && (rule.has_free || pool == rule.held);
        if (!exact_path) {
            // Holds used as weights of the whole parent ("reconcile": "scale").
            e.share = Fraction(hold == rule.holds.end() ? 0 : hold->second, rule.held);
            e.exact = Fraction(pool) * e.share;
            e.rule = "amount used as a weight (reconcile: scale)";
        } else if (hold != rule.holds.end()) {
            e.is_hold = true;
            e.exact = Fraction(hold->second);
            e.share = Fraction(0);
            e.rule = hold_words(s, index);
        } else {
            e.share = Fraction(rule.free.weights[position], rule.free.sum);
            e.exact = Fraction(pool - rule.held) * e.share;
            e.rule = rule_words(s, index, group, parent);
        }
        e.adjustment = Fraction(stage_one) - e.exact;
        if (st.cross) describe_cross(s, static_cast<std::size_t>(index), e);
        return e;
    }

    // A crossed level: its stated total (the rows), or its cell of the crossed table: the exact
    // value, how it was found and which way the controlled rounding went.
    void describe_cross(std::size_t s, std::size_t index, ExplainStep& e) const {
        const Crossing& cross = *plan_.steps[s].cross;
        if (metric_ >= cross.per_metric.size() || !cross.per_metric[metric_].made) return;
        const CrossedMetric& cm = cross.per_metric[metric_];
        const Metric& metric = plan_.metrics[metric_];
        auto amount = [&](Minor a) { return format_grouped(a, metric.decimals); };
        e.is_hold = false;
        if (static_cast<int>(s) == cross.steps[0]) {
            e.exact = cm.row_exact[index];
            e.rule = e.exact == Fraction(e.value) ? fmt::format("crossed: {} total as stated", cross.levels[0])
                                                  : fmt::format("crossed: {} total by its share", cross.levels[0]);
        } else if (cross.steps.size() == 3 && static_cast<int>(s) == cross.steps[2]) {
            auto row = static_cast<std::size_t>(chosen_[static_cast<std::size_t>(cross.steps[0])]);
            auto col = static_cast<std::size_t>(chosen_[static_cast<std::size_t>(cross.steps[1])]);
            e.exact =
                Fraction(cm.rows[row]) * Fraction(cm.cols[col], metric.total) * Fraction(cm.third[index], metric.total);
            std::string how = cm.by_pairs
                                  ? fmt::format(
                                        "no rounding keeps every cell within a quantum of {} × {} × {} ÷ {}², so "
                                        "the {} × {} cell is split by {} totals",
                                        amount(cm.rows[row]), amount(cm.cols[col]), amount(cm.third[index]),
                                        amount(metric.total), cross.levels[0], cross.levels[1], cross.levels[2])
                                  : fmt::format("independence {} × {} × {} ÷ {}²", amount(cm.rows[row]),
                                                amount(cm.cols[col]), amount(cm.third[index]), amount(metric.total));
            const char* way = Fraction(e.value) == e.exact  ? "exact"
                              : e.exact < Fraction(e.value) ? "rounded up"
                                                            : "rounded down";
            e.rule = fmt::format("crossed with {} × {}: {}, {}", cross.levels[0], cross.levels[1], how, way);
        } else {
            auto row = static_cast<std::size_t>(chosen_[static_cast<std::size_t>(cross.steps[0])]);
            e.exact = cm.exact.cell(row, index) * Fraction(metric.quantum);
            std::string how =
                cross.history_file.empty()
                    ? fmt::format("independence {} × {} ÷ {}", amount(cm.rows[row]), amount(cm.cols[index]),
                                  amount(metric.total))
                    : fmt::format("{} raked ({} passes, largest deviation {:.2g} {})",
                                  std::filesystem::path(cross.history_file).filename().string(), cm.rake.iterations,
                                  cm.rake.largest_deviation * static_cast<double>(metric.quantum) /
                                      static_cast<double>(pow10_wide(metric.decimals)),
                                  metric.unit);
            const char* way = Fraction(e.value) == e.exact  ? "exact"
                              : e.exact < Fraction(e.value) ? "rounded up"
                                                            : "rounded down";
            e.rule = fmt::format("crossed with {}: {}, {}", cross.levels[0], how, way);
        }
        e.held = 0;
        e.share = e.parent > 0 ? e.exact / Fraction(e.parent) : Fraction(0);
        e.adjustment = Fraction(e.value) - e.exact;
    }

    // With floors and caps: the child's amount by the level's rule alone, and (in e.bound) what a
    // floor or cap did to it.
    Minor bound_moved(const MetricRule& rule, Minor pool, bool holds_are_weights, std::size_t position,
                      ExplainStep& e) const {
        const Metric& metric = plan_.metrics[metric_];
        MetricRule plain = rule;
        plain.floor.clear();
        plain.cap.clear();
        std::vector<std::int64_t> unbounded(rule.floor.size());
        detail::split_pool(plain, pool, metric.quantum, holds_are_weights, unbounded);
        Minor by_rule = unbounded[position];
        if (by_rule == e.value) return by_rule;
        auto amount = [&](Minor a) { return format_grouped(a, metric.decimals); };
        if (e.value == rule.floor[position] && e.value > by_rule)
            e.bound = fmt::format("floor {} (the rule alone gives {})", amount(e.value), amount(by_rule));
        else if (e.value == rule.cap[position] && e.value < by_rule)
            e.bound = fmt::format("cap {} (the rule alone gives {})", amount(e.value), amount(by_rule));
        else
            e.bound = fmt::format("{} by the rule alone; {} after its siblings' floors and caps", amount(by_rule),
                                  amount(e.value));
        return by_rule;
    }

    std::string hold_words(std::size_t s, int index) const {
        const Step& st = plan_.steps[s];
        if (st.kind != Step::Kind::dimension) return "hold";
        const Member& m = plan_.dimensions[static_cast<std::size_t>(st.dimension)]
                              .members[static_cast<std::size_t>(st.depth)][static_cast<std::size_t>(index)];
        auto keyed = st.keyed.find(m.id.str());
        const Share& share = keyed != st.keyed.end() ? keyed->second : m.share;
        if (share.origins().size() > metric_ && !share.origins()[metric_].empty())
            return "hold: " + share.origins()[metric_];
        return "hold (amount in the plan)";
    }

    int parent_of(std::size_t s) const {
        const Step& st = plan_.steps[s];
        if (st.kind == Step::Kind::dimension) {
            if (st.depth == 0) return 0;
            return chosen_[static_cast<std::size_t>(im_.dim_step(st.dimension, st.depth - 1))];
        }
        for (std::size_t t = s; t-- > 0;)
            if (plan_.steps[t].kind == Step::Kind::time) return chosen_[t];
        return 0;
    }

    std::size_t position_of(std::size_t s, int index, int parent) const {
        const Step& st = plan_.steps[s];
        if (st.kind == Step::Kind::dimension) {
            auto children = im_.member_children(st, parent);
            return static_cast<std::size_t>(std::find(children.begin(), children.end(), index) - children.begin());
        }
        const auto& node =
            im_.time_levels[static_cast<std::size_t>(im_.time_level_of_step[s] - 1)][static_cast<std::size_t>(parent)];
        return static_cast<std::size_t>(index - node.child_begin);
    }

    const Plan& plan_;
    const Decomposition::Impl& im_;
    std::size_t metric_;
    CapacityCalendar clock_;
    std::vector<int> chosen_;
};

}  // namespace

namespace {

// Which rate holds at the explained node, and what split shows for the cell (the weighted average
// of the cells below, which differs when levels below set their own rates).
RateExplanation explain_rate(const Decomposition& decomposition, const Explanation& chain, std::size_t m,
                             SplitRequest request) {
    const Plan& plan = decomposition.plan();
    const Metric& rate = plan.metrics[m];
    RateExplanation out;
    out.metric = rate.id;
    out.weighted_by = plan.metrics[static_cast<std::size_t>(rate.weighted_by)].id;
    out.held = rate.rate_target;
    out.source = "the plan's target";
    for (const auto& e : chain.steps) {
        int s = plan.step_index(e.level);
        const Step& step = plan.steps[static_cast<std::size_t>(s)];
        if (step.kind != Step::Kind::dimension) continue;
        for (const auto& member :
             plan.dimensions[static_cast<std::size_t>(step.dimension)].members[static_cast<std::size_t>(step.depth)])
            if (member.id == e.child && member.rates().size() > m && member.rates()[m]) {
                out.held = *member.rates()[m];
                out.source = fmt::format("{}'s own rate", member.id);
            }
    }
    request.metrics = {rate.id};
    Minor weight = 0, weighted = 0;
    decomposition.run(request, [&](const SplitRow& row) {
        weight += row.amounts[0];
        weighted += row.amounts[1];
    });
    out.shown = rate_percent(weighted, weight, rate.decimals);
    return out;
}

}  // namespace

std::string format_exact(const Fraction& minor, int decimals, bool sign) {
    // Up to four digits past the metric's decimals; "…" marks a value that goes on.
    constexpr int kExtra = 4;
    Fraction value = minor * Fraction(1, pow10_wide(decimals));
    Wide scale = pow10_wide(decimals + kExtra);
    Wide n = value.num < 0 ? -value.num : value.num;
    Wide scaled = n * scale;
    bool exact = scaled % value.den == 0;
    Wide digits = scaled / value.den;
    Decimal d{digits, decimals + kExtra};
    while (d.scale > decimals && d.mantissa % 10 == 0) {
        d.mantissa /= 10;
        --d.scale;
    }
    std::string text = format_decimal(d);
    if (!exact) text += "…";
    if (value.num < 0) return "-" + text;
    return sign ? "+" + text : text;
}

Explanation explain(const Decomposition& decomposition, const std::vector<Filter>& cell, const std::string& metric) {
    const Plan& plan = decomposition.plan();
    int m = -1;
    if (metric.empty()) {
        for (std::size_t i = 0; i < plan.metrics.size() && m < 0; ++i)
            if (!plan.metrics[i].rate) m = static_cast<int>(i);
    } else {
        m = plan.metric_index(metric);
        if (m < 0) {
            auto ids = plan.metric_ids();
            std::string guess = did_you_mean(metric, ids);
            throw Error::usage(
                Field::metric, fmt::format("{}: no such metric", metric),
                guess.empty() ? "metrics: " + detail::join_ids(ids) : fmt::format("did you mean \"{}\"?", guess));
        }
    }
    if (m < 0) throw Error::usage("the plan has no metric to explain");
    // A rate is held, not split: explain the chain of its weight, then say which rate holds here.
    const Metric* rate =
        plan.metrics[static_cast<std::size_t>(m)].rate ? &plan.metrics[static_cast<std::size_t>(m)] : nullptr;
    int rate_index = m;
    if (rate) m = rate->weighted_by;
    Explainer explainer(decomposition, static_cast<std::size_t>(m));
    Explanation out = explainer.run(cell);

    // What split prints for this cell can include levels below it that pad (over-assignment).
    SplitRequest request;
    request.metrics = {plan.metrics[static_cast<std::size_t>(m)].id};
    for (const auto& step : plan.steps)
        for (const auto& e : out.steps)
            if (e.level == step.level) {
                if (step.kind == Step::Kind::dimension) {
                    request.by.push_back(step.level);
                } else {
                    request.period = step.time;
                }
                request.where.push_back(Filter{step.level, e.child});
            }
    Minor sum = 0;
    bool any = false;
    decomposition.run(request, [&](const SplitRow& row) {
        sum += row.amounts[0];
        any = true;
    });
    if (any && sum != out.value) {
        out.notes.push_back(
            fmt::format("levels below hand out more than this cell's target (over-assignment): split "
                        "shows {} here, the sum of what they hand out",
                        format_minor(sum, plan.metrics[static_cast<std::size_t>(m)].decimals)));
        out.value = sum;
    }
    for (const auto& step : plan.steps)
        if (step.cross && step.level == step.cross->levels[1] &&
            std::any_of(out.steps.begin(), out.steps.end(),
                        [&](const ExplainStep& e) { return e.level == step.cross->levels[1]; })) {
            std::string names = step.cross->levels[0];
            for (std::size_t k = 1; k < step.cross->levels.size(); ++k)
                names += " × " + step.cross->levels[k];
            out.notes.push_back(fmt::format(
                "{} is a crossed table: every cell is its exact value rounded down or up (controlled rounding, "
                "largest fraction first, ties to the earlier member), and every {} and {} total is exact{}",
                names, step.cross->levels[0], step.cross->levels[1],
                step.cross->levels.size() == 3 ? fmt::format(", as is every {} total", step.cross->levels[2])
                                               : std::string()));
        }
    if (rate) out.rate = explain_rate(decomposition, out, static_cast<std::size_t>(rate_index), request);
    return out;
}

}  // namespace tgt
