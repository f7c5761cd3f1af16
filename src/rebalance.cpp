// Rebalance: the past held at actuals, the rest re-spread by the plan's own curve, written back as
// a plan. The plan writer edits the original text rather than regenerating it, so what the analyst
// wrote stays; the same edits are made to the plan in memory, which is split to check them. The new
// plan is read back from its own text only when nodes ahead of target raise levels whose ramps,
// baselines or derived total the reader had already spread (raise_in_memory).
//
// The phases, in order: the tracked metric and the grid's shape (lay_out); the plan's own split per
// node and period (the library's NodeTable); the actuals, through progress (read_actuals); each
// node's new target (new_targets); the edits (time_edits, level_holds), written (write_plan) and
// made in memory (rebalanced_plan); the edited plan split and checked (check_after).

#include "tgt/rebalance.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <span>

#include "tgt/node_table.hpp"
#include "tgt/plan_writer.hpp"

#if defined(__GLIBC__)
#include <malloc.h>  // malloc_trim
#endif

namespace tgt {

namespace {

std::string node_name(std::span<const std::string> keys) {
    return keys.empty() ? std::string("the plan") : fmt::format("{}", fmt::join(keys, " / "));
}

// Up to this many overrides on one level (the reader's limit: decompose.cpp's profile key).
constexpr std::size_t kMaxOverrides = (std::size_t{1} << 20) - 2;

}  // namespace

std::string Rebalance::node_name(std::size_t node) const {
    return tgt::node_name(nodes[node]);
}

namespace {

// Where a plan's split is re-spread: the first time level, and the dimension steps before it.
struct Layout {
    std::size_t metric = 0;  ///< the tracked metric
    std::size_t time_step = 0;
    std::vector<std::size_t> grain_steps;
    TimeLevel level = TimeLevel::month;
};

// Phase 1: the one money or count metric (held amounts in the new plan are that metric's).
std::size_t tracked_metric(const Plan& plan, const RebalanceRequest& request) {
    std::size_t metric = 0;
    std::vector<std::string> amount_metrics;
    for (std::size_t m = 0; m < plan.metrics.size(); ++m) {
        const Metric& mt = plan.metrics[m];
        if (mt.rate || mt.stretch_of >= 0)
            throw Error::usage(
                fmt::format("rebalance: the plan has a {} metric (\"{}\")",
                            mt.rate     ? "rate"
                            : mt.budget ? "budget"
                                        : "stretch",
                            mt.rate || mt.budget ? mt.id : plan.metrics[static_cast<std::size_t>(mt.stretch_of)].id),
                "rebalance plans with one money or count metric; split the others into their own plan");
        amount_metrics.push_back(mt.id);
        metric = m;
    }
    if (amount_metrics.size() != 1)
        throw Error::usage(fmt::format("rebalance: the plan has {} metrics ({})", amount_metrics.size(),
                                       fmt::join(amount_metrics, ", ")),
                           "rebalance plans with one money or count metric; split the others into their own plan");
    if (!request.metric.empty() && request.metric != plan.metrics[metric].id)
        throw Error::usage(Field::metric,
                           fmt::format("{}: the plan's metric is \"{}\"", request.metric, plan.metrics[metric].id));
    return metric;
}

// Phase 1: the re-spread level, the nodes' levels, the periods and how many of them are over.
Layout lay_out(const Plan& plan, const RebalanceRequest& request, Rebalance& result) {
    Layout layout;
    layout.metric = tracked_metric(plan, request);
    result.decimals = plan.metrics[layout.metric].decimals;
    bool found = false;
    for (std::size_t s = 0; s < plan.steps.size() && !found; ++s) {
        if (plan.steps[s].kind == Step::Kind::time) {
            layout.time_step = s;
            found = true;
        } else {
            layout.grain_steps.push_back(s);
        }
    }
    if (!found)
        throw Error::usage("rebalance: the plan has no time level to re-spread over",
                           "add one to \"split\", e.g. {\"level\": \"month\", \"by\": \"working_days\"}");
    layout.level = plan.steps[layout.time_step].time;
    result.period_level = std::string(time_level_name(layout.level));
    for (std::size_t s : layout.grain_steps)
        result.key_columns.push_back(plan.steps[s].level);
    result.periods = periods_between(layout.level, plan.first, plan.last, plan.fiscal_start_month);
    while (result.closed < result.periods.size() && result.periods[result.closed].last <= request.as_of)
        ++result.closed;
    if (request.as_of >= plan.first && result.closed == result.periods.size())
        throw Error::usage(Field::as_of, fmt::format("{}: every {} of the plan is over; nothing is left to re-spread",
                                                     format_date(request.as_of), result.period_level));
    return layout;
}

// A node × period grid of the tracked metric from a table of a split (its periods are the grid's):
// the table's own amounts when they are laid out so, else a copy.
std::vector<Minor> grid_of(NodeTable& table, const Rebalance& result) {
    const std::size_t periods = result.periods.size();
    std::vector<std::size_t> column(periods);
    bool same = table.metrics().size() == 1 && table.periods().size() == periods;
    for (std::size_t p = 0; p < periods; ++p) {
        column[p] = table.period_index(result.periods[p].label).value();
        same = same && column[p] == p;
    }
    if (same) return table.release_amounts();
    std::vector<Minor> grid(table.nodes().size() * periods);
    for (std::size_t n = 0; n < table.nodes().size(); ++n)
        for (std::size_t p = 0; p < periods; ++p)
            grid[n * periods + p] = table.at(n, column[p]);
    return grid;
}

// The split the grids come from, walked on one thread: its rows are only summed into a table, and
// a parallel walk would hold chunks of them in flight (measured on 100,000 nodes: 2.5 times the CPU
// and 100 MB more, for no gain in wall time on two cores).
SplitRequest grid_split(const Plan& plan, const Layout& layout, const Rebalance& result) {
    SplitRequest split;
    split.by = result.key_columns;
    split.period = layout.level;
    split.metrics = {plan.metrics[layout.metric].id};
    split.threads = 1;
    return split;
}

// Phase 3: actuals per node and period to date, streamed straight into the grid (no split of the
// plan and no row per node of its own): rows placed as progress places them. A row naming a member
// the plan does not have is unplanned (said, never dropped); one whose members make no node of the
// split is not counted.
class ActualsIntoGrid {
public:
    ActualsIntoGrid(const Plan& plan, const Layout& layout, const NodeIndex& nodes, const RebalanceRequest& request,
                    Rebalance& result)
        : plan_(plan), request_(request), nodes_(nodes), result_(result), periods_(result.periods.size()) {
        for (std::size_t s : layout.grain_steps)
            key_levels_.emplace_back(plan.steps[s].dimension, plan.steps[s].depth);
        metric_ = static_cast<int>(layout.metric);
        period_of_day_.assign(static_cast<std::size_t>((plan.last - plan.first).count() + 1), 0);
        for (std::size_t p = 0; p < periods_; ++p)
            for (Date d = result.periods[p].first; d <= result.periods[p].last; d += std::chrono::days{1})
                if (d >= plan.first && d <= plan.last)
                    period_of_day_[static_cast<std::size_t>((d - plan.first).count())] = p;
    }

    void read(const std::string& file, std::FILE* stdin_stream) {
        ActualsOptions options = request_.options;
        options.threads = std::max(1, request_.threads);
        ActualsReader reader(plan_, options);
        reader.read(
            file, [&](int part, const ActualRow& row) { add(tallies_[static_cast<std::size_t>(part)], row); },
            [&] { on_header(reader, file); }, stdin_stream);
        result_.actuals.add(reader.summary());
    }

    // The parts' tallies added up into the result (node totals checked for overflow, as progress does).
    void finish() {
        const std::size_t nodes = nodes_.size();
        result_.actual.assign(nodes * periods_, 0);
        std::vector<Minor> total(nodes, 0);
        for (const auto& t : tallies_) {
            result_.after_as_of += t.after_as_of;
            result_.unplanned_actual = checked_add(result_.unplanned_actual, t.unplanned);
            for (std::size_t n = 0; n < nodes; ++n)
                total[n] = checked_add(total[n], t.total[n]);
            for (std::size_t i = 0; i < result_.actual.size(); ++i)
                result_.actual[i] += t.grid[i];
        }
    }

private:
    // One part of the read (one per thread) tallies into its own arrays.
    struct alignas(64) Tally {
        std::vector<Minor> total;  // per node
        std::vector<Minor> grid;   // node × period
        Minor unplanned = 0;
        std::size_t after_as_of = 0;
        std::vector<std::string_view> ids;  // scratch
    };

    // The header is known: the metric's position, and each key level's member above the file's.
    void on_header(const ActualsReader& reader, const std::string& file) {
        position_ = -1;
        for (std::size_t m = 0; m < reader.metrics().size(); ++m)
            if (reader.metrics()[m] == metric_) position_ = static_cast<int>(m);
        const std::string& id = plan_.metrics[static_cast<std::size_t>(metric_)].id;
        if (position_ < 0)
            throw Error::input({file, 1, 0, ""}, fmt::format("no column for metric \"{}\"", id),
                               fmt::format("map one: {} COLUMN={}", mention(Field::map), id));
        up_.assign(key_levels_.size(), {});
        for (std::size_t k = 0; k < key_levels_.size(); ++k) {
            auto [d, depth] = key_levels_[k];
            const Dimension& dim = plan_.dimensions[static_cast<std::size_t>(d)];
            const int from = reader.depth(static_cast<std::size_t>(d));
            if (from < depth)
                throw Error::usage(Field::by,
                                   fmt::format("{0}: {1} has no column for \"{0}\" (or a level below it)",
                                               dim.levels[static_cast<std::size_t>(depth)], file),
                                   "add the column, or " + mention(Field::map) + " the one that holds it");
            const auto& members = dim.members[static_cast<std::size_t>(from)];
            up_[k].resize(members.size());
            for (std::size_t i = 0; i < members.size(); ++i) {
                int m = static_cast<int>(i);
                for (int at = from; at > depth; --at)
                    m = dim.members[static_cast<std::size_t>(at)][static_cast<std::size_t>(m)].parent;
                up_[k][i] = m;
            }
        }
        while (tallies_.size() < static_cast<std::size_t>(reader.parts())) {
            Tally& t = tallies_.emplace_back();
            t.total.assign(nodes_.size(), 0);
            t.grid.assign(nodes_.size() * periods_, 0);
        }
    }

    void add(Tally& t, const ActualRow& row) const {
        if (row.date > request_.as_of) {
            ++t.after_as_of;
            return;
        }
        const Minor amount = row.amounts[static_cast<std::size_t>(position_)];
        if (!key_levels_.empty() &&
            std::find(row.members.begin(), row.members.end(), kUnplanned) != row.members.end()) {
            t.unplanned = checked_add(t.unplanned, amount);
            return;
        }
        t.ids.clear();
        for (std::size_t k = 0; k < key_levels_.size(); ++k) {
            auto [d, depth] = key_levels_[k];
            const int m = up_[k][static_cast<std::size_t>(row.members[static_cast<std::size_t>(d)])];
            t.ids.push_back(plan_.dimensions[static_cast<std::size_t>(d)]
                                .members[static_cast<std::size_t>(depth)][static_cast<std::size_t>(m)]
                                .id);
        }
        const auto node = nodes_.find(std::span<const std::string_view>(t.ids));
        if (!node) return;
        t.total[*node] = checked_add(t.total[*node], amount);
        t.grid[*node * periods_ + period_of_day_[static_cast<std::size_t>((row.date - plan_.first).count())]] += amount;
    }

    const Plan& plan_;
    const RebalanceRequest& request_;
    const NodeIndex& nodes_;
    Rebalance& result_;
    const std::size_t periods_;
    int metric_ = 0;
    int position_ = -1;
    std::vector<std::pair<int, int>> key_levels_;  // (dimension, depth) per key column
    std::vector<std::size_t> period_of_day_;       // per day from the plan's first: its period
    std::vector<std::vector<int>> up_;             // per key column, per member at the file's depth: its ancestor
    std::vector<Tally> tallies_;
};

void read_actuals(const Plan& plan, const Layout& layout, const NodeIndex& nodes, const RebalanceRequest& request,
                  std::FILE* stdin_stream, Rebalance& result) {
    if (request.as_of < plan.first || request.as_of > plan.last)
        throw Error::usage(Field::as_of,
                           fmt::format("{}: outside the plan's period ({} … {})", format_date(request.as_of),
                                       format_date(plan.first), format_date(plan.last)));
    ActualsIntoGrid pass(plan, layout, nodes, request, result);
    for (const auto& file : request.actuals)
        pass.read(file, stdin_stream);
    pass.finish();
}

// Each node's new whole target, and whether its periods are re-spread.
struct Targets {
    std::vector<Minor> total;
    std::vector<bool> changed;
};

// Phase 4: per node, closed periods held at their actuals (plans hold no negative amounts: net
// returns hold zero); what is left of the target goes to the open periods by their original targets.
Targets new_targets(Rebalance& result) {
    const std::size_t nodes = result.nodes.size(), periods = result.periods.size();
    Targets t{std::vector<Minor>(nodes, 0), std::vector<bool>(nodes, false)};
    for (std::size_t n = 0; n < nodes; ++n) {
        Minor target = 0, held = 0, open_weight = 0, closed_target = 0;
        for (std::size_t p = 0; p < periods; ++p) {
            target += result.at(result.before, n, p);
            if (p < result.closed) {
                held += std::max<Minor>(result.at(result.actual, n, p), 0);
                closed_target += result.at(result.before, n, p);
            } else {
                open_weight += result.at(result.before, n, p);
            }
        }
        if (open_weight == 0) {  // nothing to re-spread by: said when its actuals differ from the plan
            t.total[n] = target;
            if (held != closed_target) result.unchanged.push_back(n);
            continue;
        }
        t.changed[n] = true;
        t.total[n] = std::max(target, held);
        if (held > target) result.raised.push_back(n);
    }
    return t;
}

// The time level's new weights for one node, into `weights` (its buffers reused): closed periods
// hold their actuals, open ones weigh their old targets (nothing, for a node ahead of its whole target).
void period_weights(const Rebalance& result, std::size_t n, std::vector<WrittenWeight>& weights) {
    bool raised = std::binary_search(result.raised.begin(), result.raised.end(), n);
    weights.resize(result.periods.size());
    for (std::size_t p = 0; p < result.periods.size(); ++p) {
        WrittenWeight& w = weights[p];
        w.key = result.periods[p].label;
        if (p < result.closed) {
            w.value = std::max<Minor>(result.at(result.actual, n, p), 0);
            w.hold = true;
        } else {
            w.value = raised ? 0 : result.at(result.before, n, p);
            w.hold = raised;
        }
    }
}

std::vector<WrittenWeight> period_weights(const Rebalance& result, std::size_t n) {
    std::vector<WrittenWeight> weights;
    period_weights(result, n, weights);
    return weights;
}

// The edits of the time level: one override per changed node, made as it is written (or the
// weights themselves, when nodes have no keys).
struct TimeEdits {
    std::vector<std::size_t> changed;                   ///< the nodes that get an override, in order
    std::optional<std::vector<WrittenWeight>> weights;  ///< key_count == 0: the step's own weights
};

// The time level's override for node n, into `o` (its buffers reused).
void node_override(const Rebalance& result, std::size_t n, WrittenOverride& o) {
    o.where.resize(result.key_columns.size());
    for (std::size_t k = 0; k < result.key_columns.size(); ++k) {
        o.where[k].first = result.key_columns[k];
        o.where[k].second = result.nodes[n][k];
    }
    period_weights(result, n, o.weights);
}

// One override per changed node: no more than the reader takes on one level.
void check_override_count(const Rebalance& result, const Targets& targets) {
    if (result.key_columns.empty()) return;
    std::size_t changed = static_cast<std::size_t>(std::count(targets.changed.begin(), targets.changed.end(), true));
    if (changed > kMaxOverrides)
        throw Error::usage(
            fmt::format("rebalance: {} nodes change: more than {} overrides on one level", changed, kMaxOverrides),
            "rebalance a plan with fewer nodes before the time level");
}

// Held amounts are split in whole quanta: actuals that are not cannot be held (every one is said).
void check_quanta(const Rebalance& result, const Targets& targets, const Metric& metric) {
    if (metric.quantum <= 1) return;
    std::vector<Diagnostic> problems;
    for (std::size_t n = 0; n < result.nodes.size(); ++n)
        for (std::size_t p = 0; targets.changed[n] && p < result.closed; ++p) {
            Minor held = std::max<Minor>(result.at(result.actual, n, p), 0);
            if (held % metric.quantum == 0) continue;
            problems.push_back(
                {Severity::error,
                 {},
                 fmt::format("rebalance: {} sold {} in {}, not a multiple of metric \"{}\"'s quantum {}",
                             result.node_name(n), format_minor(held, metric.decimals), result.periods[p].label,
                             metric.id, format_minor(metric.quantum, metric.decimals)),
                 "held amounts are split in whole quanta: round the actuals, or lower the quantum"});
        }
    if (!problems.empty()) throw Error(std::move(problems));
}

TimeEdits time_edits(const Rebalance& result, const Targets& targets) {
    TimeEdits edits;
    if (result.key_columns.empty()) {
        if (targets.changed[0]) edits.weights = period_weights(result, 0);
        return edits;
    }
    for (std::size_t n = 0; n < result.nodes.size(); ++n)
        if (targets.changed[n]) edits.changed.push_back(n);
    return edits;
}

// The amounts each level above the time level holds once nodes are raised: per level, each
// member's new total; by_parent[k][i] lists the children of member i of level k - 1 (one parent,
// the plan, for the first level), in the plan's order.
struct LevelHolds {
    std::vector<NodeIndex> members;                                  // per level: a member is a prefix of ids
    std::vector<std::vector<std::vector<WrittenWeight>>> by_parent;  // per level, per parent
};

LevelHolds level_holds(const Rebalance& result, const Targets& targets) {
    const std::size_t key_count = result.key_columns.size();
    LevelHolds holds;
    std::vector<std::vector<Minor>> totals(key_count);
    for (std::size_t k = 0; k < key_count; ++k)
        holds.members.emplace_back(k + 1);
    std::vector<std::string_view> ids(key_count);
    for (std::size_t n = 0; n < result.nodes.size(); ++n) {
        std::copy(result.nodes[n].begin(), result.nodes[n].end(), ids.begin());
        for (std::size_t k = 0; k < key_count; ++k) {
            std::size_t m = holds.members[k].insert(ids);
            totals[k].resize(holds.members[k].size(), 0);
            totals[k][m] += targets.total[n];
        }
    }
    holds.by_parent.resize(key_count);
    for (std::size_t k = 0; k < key_count; ++k) {
        holds.by_parent[k].resize(k == 0 ? 1 : holds.members[k - 1].size());
        for (std::size_t m = 0; m < holds.members[k].size(); ++m) {
            const NodeKey& key = holds.members[k].key(m);
            std::size_t parent = k == 0 ? 0 : *holds.members[k - 1].find(std::span<const std::string>(key));
            holds.by_parent[k][parent].push_back({key[k], totals[k][m], true});
        }
    }
    // Only parents are looked up from here on: the last level's index is as big as the nodes'.
    if (key_count > 0) holds.members.back() = NodeIndex(key_count);
    return holds;
}

// Phase 5 (raised nodes): every level above the time level holds each member's new total, as one
// weights map (the first level) or an override per parent (the levels below it).
void hold_new_totals(const Rebalance& result, const LevelHolds& holds, const Layout& layout, const std::string& as_of,
                     PlanWriter& writer) {
    for (std::size_t k = 0; k < result.key_columns.size(); ++k) {
        std::size_t step = layout.grain_steps[k];
        writer.drop_rules(step);
        if (k == 0) {
            writer.set_weights(step, holds.by_parent[0][0], result.decimals);
        } else {
            std::vector<WrittenOverride> overrides;
            for (std::size_t parent = 0; parent < holds.by_parent[k].size(); ++parent) {
                const NodeKey& keys = holds.members[k - 1].key(parent);
                WrittenOverride o;
                for (std::size_t i = 0; i < k; ++i)
                    o.where.emplace_back(result.key_columns[i], keys[i]);
                o.weights = holds.by_parent[k][parent];
                overrides.push_back(std::move(o));
            }
            writer.prepend_overrides(step, std::move(overrides), result.decimals);
        }
        writer.add_note(step, fmt::format("Rebalanced as of {}: every member holds its new total, since {} node(s) "
                                          "sold more than their whole target and now hold what they sold.",
                                          as_of, result.raised.size()));
    }
}

Minor grand_total(const Targets& targets) {
    Minor grand = 0;
    for (Minor t : targets.total)
        grand += t;
    return grand;
}

// Phase 5: the new plan, written: the original text with the time level's edits (and, when nodes
// were raised, every level above it holding its new totals).
std::string write_plan(std::string_view plan_text, const Plan& plan, const Layout& layout, const Rebalance& result,
                       const Targets& targets, TimeEdits edits, const LevelHolds* holds,
                       const RebalanceRequest& request) {
    PlanWriter writer(plan_text);
    const std::string as_of = format_date(request.as_of);
    const std::size_t time_step = layout.time_step;
    if (edits.weights) {
        writer.drop_rules(time_step);
        writer.set_weights(time_step, *edits.weights, result.decimals);
        writer.set_normalize(time_step, true);  // the open periods' weights are their old targets: ratios
    } else if (!result.key_columns.empty()) {
        // The new overrides come first: the first that matches a cell is the one used. They are made
        // as the text is written: one per node, none held.
        writer.prepend_overrides(
            time_step, edits.changed.size(),
            [&](std::size_t i, WrittenOverride& o) { node_override(result, edits.changed[i], o); }, result.decimals);
        // The open periods' weights are their old targets: ratios, whatever they add up to.
        if (writer.has_overrides(time_step)) writer.set_normalize(time_step, true);
    }
    writer.add_note(time_step,
                    fmt::format("Rebalanced as of {} from {} (tgt rebalance): {}s up to {} held at their actuals, "
                                "the rest of each target re-spread over the {}s left in proportion to their original "
                                "targets.",
                                as_of, fmt::join(request.actuals, ", "), result.period_level,
                                result.closed ? result.periods[result.closed - 1].label : "none", result.period_level));
    if (holds) {
        hold_new_totals(result, *holds, layout, as_of, writer);
        writer.set_total(layout.metric, grand_total(targets), result.decimals);
    }
    writer.append_to_name(fmt::format(" — rebalanced as of {}", as_of));
    namespace fs = std::filesystem;
    fs::path from = plan.file == "<stdin>" ? fs::current_path() : fs::path(plan.file).parent_path();
    bool to_stdout = request.output_path.empty() || request.output_path == "-";
    fs::path to = to_stdout ? fs::current_path() : fs::path(request.output_path).parent_path();
    writer.move_references(from.empty() ? fs::path(".") : from, to.empty() ? fs::path(".") : to);
    return writer.text();
}

// A written weight as the reader reads it back: a hold of the tracked metric, or a bare ratio.
Share read_back(const WrittenWeight& w, const Plan& plan, std::size_t metric) {
    Share s;
    const Metric& m = plan.metrics[metric];
    if (w.hold) {  // a multiple of the quantum (check_quanta)
        s.kind = Share::Kind::amount;
        s.amounts.assign(plan.metrics.size(), std::nullopt);
        s.amounts[metric] = w.value;
    } else {
        s.kind = Share::Kind::ratio;
        Decimal value{w.value, m.decimals};  // as parse_decimal reads the written amount: no trailing zeros
        while (value.scale > 0 && value.mantissa % 10 == 0) {
            value.mantissa /= 10;
            --value.scale;
        }
        s.value = value;
        s.bare = true;
    }
    return s;
}

// Whether raising the levels above the time level can be made to the model as the reader would
// read it: dropping a level's rules must not take anything away that the reader had already spread
// onto its members (ramps, baselines and growth) or onto the metric's total (derived totals).
bool raise_in_memory(const Plan& plan, const Layout& layout) {
    const Metric& metric = plan.metrics[layout.metric];
    if (metric.bottom_up || !metric.origin.empty()) return false;
    for (std::size_t s : layout.grain_steps) {
        const Step& step = plan.steps[s];
        if (!step.ramp.empty() || step.ramp_rest_unassigned || step.history) return false;
        const auto& level =
            plan.dimensions[static_cast<std::size_t>(step.dimension)].members[static_cast<std::size_t>(step.depth)];
        for (const Member& m : level)
            if (m.baseline || m.growth() || m.own_ramp() || !m.availability().ramp.empty()) return false;
    }
    return true;
}

// A step with its rules dropped (PlanWriter::drop_rules): what is left is its level and
// "if_all_zero"; its members' own shares stand.
Step without_rules(const Step& step) {
    Step fresh;
    fresh.kind = step.kind;
    fresh.level = step.level;
    fresh.dimension = step.dimension;
    fresh.depth = step.depth;
    fresh.time = step.time;
    fresh.equal_if_all_zero = step.equal_if_all_zero;
    fresh.where = step.where;
    return fresh;
}

std::map<std::string, Share> read_back(const std::vector<WrittenWeight>& weights, const Plan& plan,
                                       std::size_t metric) {
    std::map<std::string, Share> map;
    for (const auto& w : weights)
        map.emplace_hint(map.end(), w.key, read_back(w, plan, metric));  // labels come in order
    return map;
}

// The same, as an override holds them.
KeyedShares read_back_keyed(const std::vector<WrittenWeight>& weights, const Plan& plan, std::size_t metric) {
    KeyedShares keyed;
    keyed.reserve(weights.size());
    for (const auto& w : weights)
        keyed.emplace(w.key, read_back(w, plan, metric));
    return keyed;
}

// The levels above the time level raised in the model, as hold_new_totals writes them.
void raise_levels(const Rebalance& result, const Targets& targets, const LevelHolds& holds, const Layout& layout,
                  Plan& out) {
    for (std::size_t k = 0; k < result.key_columns.size(); ++k) {
        Step& step = out.steps[layout.grain_steps[k]];
        step = without_rules(step);
        if (k == 0) {
            step.keyed = read_back(holds.by_parent[0][0], out, layout.metric);
            continue;
        }
        for (std::size_t parent = 0; parent < holds.by_parent[k].size(); ++parent) {
            const NodeKey& keys = holds.members[k - 1].key(parent);
            Override o;
            for (std::size_t i = 0; i < k; ++i)
                o.when.emplace_back(result.key_columns[i], keys[i]);
            o.weights = read_back_keyed(holds.by_parent[k][parent], out, layout.metric);
            step.overrides.push_back(std::move(o));
        }
    }
    Metric& metric = out.metrics[layout.metric];
    metric.total = grand_total(targets);
}

// Phase 6: the new plan in memory, as reading the written text gives it: the edits made to a copy
// of the model. Raising levels whose rules the reader had spread onto members (see
// raise_in_memory) is the one case where the written text is read back instead.
Plan rebalanced_plan(const Plan& plan, const Layout& layout, const Rebalance& result, const Targets& targets,
                     const LevelHolds* holds, Date as_of, const std::string& new_file) {
    if (holds && !raise_in_memory(plan, layout)) return parse_plan(result.plan_json, new_file);
    Plan out = plan;
    out.file = new_file;
    Step& step = out.steps[layout.time_step];
    if (result.key_columns.empty()) {
        if (targets.changed[0]) {  // drop_rules on the time level, then its weights
            step = without_rules(step);
            step.keyed = read_back(period_weights(result, 0), plan, layout.metric);
            step.normalize = true;
        }
    } else {
        // The time edits made from the result, as node_override writes them.
        std::vector<Override> overrides;
        std::size_t changed =
            static_cast<std::size_t>(std::count(targets.changed.begin(), targets.changed.end(), true));
        overrides.reserve(changed + step.overrides.size());
        for (std::size_t n = 0; n < result.nodes.size(); ++n) {
            if (!targets.changed[n]) continue;
            Override& o = overrides.emplace_back();
            o.when.reserve(result.key_columns.size());
            for (std::size_t k = 0; k < result.key_columns.size(); ++k)
                o.when.emplace_back(result.key_columns[k], result.nodes[n][k]);
            o.weights = read_back_keyed(period_weights(result, n), plan, layout.metric);
        }
        std::move(step.overrides.begin(), step.overrides.end(), std::back_inserter(overrides));
        step.overrides = std::move(overrides);
        if (!step.overrides.empty()) step.normalize = true;
    }
    if (holds) raise_levels(result, targets, *holds, layout, out);
    if (!plan.name.empty()) out.name = plan.name + fmt::format(" — rebalanced as of {}", format_date(as_of));
    return out;
}

// Phase 7: the new plan splits to exactly the held actuals and the new totals.
void check_after(const Rebalance& result, const Targets& targets) {
    for (std::size_t n = 0; n < result.nodes.size(); ++n) {
        Minor total = 0;
        for (std::size_t p = 0; p < result.periods.size(); ++p) {
            total += result.at(result.after, n, p);
            bool held_ok = !targets.changed[n] || p >= result.closed ||
                           result.at(result.after, n, p) == std::max<Minor>(result.at(result.actual, n, p), 0);
            if (!held_ok)
                throw Error::usage(fmt::format("rebalance: the new plan gives {} {} instead of its actual",
                                               result.node_name(n), result.periods[p].label),
                                   "a rule of the plan (quantum, ramp) changes held amounts; please report this plan");
        }
        if (total != targets.total[n])
            throw Error::usage(
                fmt::format("rebalance: the new plan gives {} a total of {} instead of {}", result.node_name(n),
                            format_minor(total, result.decimals), format_minor(targets.total[n], result.decimals)),
                "a rule of the plan (quantum, ramp, allocate) changes the totals; please report this plan");
    }
}

}  // namespace

Rebalance rebalance(const Decomposition& decomposition, std::string_view plan_text, const RebalanceRequest& request,
                    std::FILE* stdin_stream) {
    const Plan& plan = decomposition.plan();
    for (const auto& step : plan.steps)
        if (step.cross)  // its written plan would need overrides the crossed table does not take
            throw Error::usage(fmt::format("rebalance: level \"{}\" is crossed; rebalance does not take crossed "
                                           "steps yet",
                                           step.level),
                               "rebalance a plan that splits the levels one inside the other");
    Rebalance result;
    const Layout layout = lay_out(plan, request, result);
    const SplitRequest split = grid_split(plan, layout, result);
    // Only the nodes of the plan's own table are kept: its amounts are the grid's.
    std::shared_ptr<const NodeIndex> nodes;
    {
        NodeTable before(decomposition, split);
        nodes = before.shared_nodes();
        result.nodes = nodes->keys();
        result.before = grid_of(before, result);
    }
    read_actuals(plan, layout, *nodes, request, stdin_stream, result);
    const Targets targets = new_targets(result);
    check_quanta(result, targets, plan.metrics[layout.metric]);
    check_override_count(result, targets);
    std::optional<LevelHolds> holds =
        result.raised.empty() ? std::nullopt : std::optional<LevelHolds>(level_holds(result, targets));
    const LevelHolds* raised = holds ? &*holds : nullptr;
    // The text is written once the new plan is checked (the edits are made as it is written), so
    // that it and the checking split are not held at once; unless the plan is read back from it.
    const bool read_back_text = raised && !raise_in_memory(plan, layout);
    auto write = [&] {
        result.plan_json =
            write_plan(plan_text, plan, layout, result, targets, time_edits(result, targets), raised, request);
    };
    if (read_back_text) write();

    // The new plan is split like any other: the figures shown are the ones it gives.
    namespace fs = std::filesystem;
    bool to_stdout = request.output_path.empty() || request.output_path == "-";
    std::string new_file = to_stdout ? (fs::current_path() / "rebalanced-plan.json").string() : request.output_path;
    result.plan = rebalanced_plan(plan, layout, result, targets, raised, request.as_of, new_file);
    // The nodes' ids are in the index too: not held twice while the engine prepares the new plan,
    // where memory peaks.
    result.nodes = {};
    {
        Decomposition again(result.plan);
        NodeTable after(again, split, nodes);
        if (after.first_skipped())
            throw Error::usage(fmt::format("rebalance: the new plan has a node the old one has not ({})",
                                           node_name(*after.first_skipped())));
        result.after = grid_of(after, result);
    }
    result.nodes = nodes->keys();
    nodes.reset();
    check_after(result, targets);
    // The checking split's memory (the engine's groups: about 90 MB in a million small blocks) is
    // free but stays with the process; handed back before the text (tens of MB in one block) is
    // made, the text does not add to it (measured on 100,000 nodes: peak RSS 300 -> 258 MiB).
#if defined(__GLIBC__)
    malloc_trim(0);
#endif
    if (!read_back_text) write();
    return result;
}

}  // namespace tgt
