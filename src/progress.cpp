// Progress: targets from the plan's own split (to the day where the plan has days), actuals
// streamed into the same nodes, and the measures derived from them, exactly.

#include "tgt/progress.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <unordered_map>

#include "decomposition_impl.hpp"
#include "plan_finish.hpp"
#include "tgt/activity.hpp"
#include "tgt/capacity.hpp"
#include "tgt/fraction.hpp"
#include "tgt/node_table.hpp"

namespace tgt {

std::string_view status_name(Status s) {
    switch (s) {
        case Status::none:
            return "";
        case Status::ahead:
            return "ahead";
        case Status::on_track:
            return "on track";
        case Status::behind:
            return "behind";
        case Status::critical:
            return "critical";
    }
    return "";
}

std::optional<Minor> ProgressReport::achievement_pct(const ProgressRow& r) const {
    return divide_rounded(static_cast<Wide>(r.actual) * 100, r.target, 2);
}

std::optional<Minor> ProgressReport::pace(const ProgressRow& r) const {
    return divide_rounded(r.actual, r.target_to_date, 4);
}

Minor ProgressReport::time_progress_pct() const {
    return divide_rounded(static_cast<Wide>(days_elapsed) * 100, days_total, 2).value_or(0);
}

std::optional<Minor> ProgressReport::time_progress_pct(const ProgressRow& r) const {
    return divide_rounded(static_cast<Wide>(r.days_elapsed) * 100, r.days_total, 2);
}

std::optional<Minor> ProgressReport::month_pct(const ProgressRow& r) const {
    if (!month || !r.planned) return std::nullopt;
    return divide_rounded(static_cast<Wide>(r.month_actual) * 100, r.month_target, 2);
}

std::optional<Minor> ProgressReport::quarter_pct(const ProgressRow& r) const {
    if (!quarter || !r.planned) return std::nullopt;
    return divide_rounded(static_cast<Wide>(r.quarter_actual) * 100, r.quarter_target, 2);
}

std::optional<Minor> ProgressReport::task_achievement_pct(const ProgressRow& r) const {
    if (!r.task) return std::nullopt;
    return divide_rounded(static_cast<Wide>(r.actual) * 100, *r.task, 2);
}

std::optional<Minor> ProgressReport::task_gap(const ProgressRow& r) const {
    if (!r.task) return std::nullopt;
    return *r.task - r.actual;
}

std::vector<const ProgressRow*> rows_at_or_worse(const ProgressReport& report, Status at_least) {
    std::vector<const ProgressRow*> out;
    for (const auto& r : report.rows)
        if (at_least != Status::none && static_cast<int>(report.status(r)) >= static_cast<int>(at_least))
            out.push_back(&r);
    return out;
}

ProgressRow ProgressReport::total() const {
    ProgressRow t;
    // The Total's own time: the rows' when they all share one (a single joiner's report is his),
    // else the plan's.
    t.days_elapsed = days_elapsed;
    t.days_total = days_total;
    const ProgressRow* first = nullptr;
    bool shared = true;
    for (const auto& r : rows) {
        if (!r.planned) continue;
        if (!first) first = &r;
        shared = shared && r.days_elapsed == first->days_elapsed && r.days_total == first->days_total;
    }
    if (first && shared) {
        t.days_elapsed = first->days_elapsed;
        t.days_total = first->days_total;
    }
    t.grid_target.assign(grid_periods.size(), 0);
    t.grid_actual.assign(grid_periods.size(), 0);
    for (const auto& r : rows) {
        t.target = checked_add(t.target, r.target);
        t.target_to_date = checked_add(t.target_to_date, r.target_to_date);
        t.actual = checked_add(t.actual, r.actual);
        t.month_target = checked_add(t.month_target, r.month_target);
        t.month_actual = checked_add(t.month_actual, r.month_actual);
        t.quarter_target = checked_add(t.quarter_target, r.quarter_target);
        t.quarter_actual = checked_add(t.quarter_actual, r.quarter_actual);
        if (r.task) t.task = checked_add(t.task.value_or(0), *r.task);
        for (std::size_t g = 0; g < t.grid_target.size() && g < r.grid_target.size(); ++g) {
            t.grid_target[g] += r.grid_target[g];
            t.grid_actual[g] += r.grid_actual[g];
        }
    }
    if (stated_task) t.task = stated_task;  // the plan's own 任务, above the targets' sum
    if (!has_task) t.task.reset();
    return t;
}

std::optional<Minor> ProgressReport::forecast_by_pace(const ProgressRow& r) const {
    if (r.target_to_date == 0) return std::nullopt;
    return divide_rounded(static_cast<Wide>(r.target) * r.actual, r.target_to_date, 0);
}

std::optional<Minor> ProgressReport::forecast_run_rate(const ProgressRow& r) const {
    if (r.days_elapsed == 0) return std::nullopt;
    return divide_rounded(static_cast<Wide>(r.actual) * r.days_total, r.days_elapsed, 0);
}

std::optional<Minor> ProgressReport::required_daily(const ProgressRow& r) const {
    int remaining = r.days_total - r.days_elapsed;
    if (remaining <= 0) return std::nullopt;
    Minor gap_left = std::max<Minor>(gap(r), 0);
    return (gap_left + remaining - 1) / remaining;
}

Status ProgressReport::status(const ProgressRow& r) const {
    // "(unassigned)" holds what ramps and absences free: nobody sells against it, so it raises no alarm.
    bool unassigned = std::find(r.keys.begin(), r.keys.end(), detail::kUnassignedId) != r.keys.end();
    return r.planned && !unassigned ? status_of(r.actual, r.target_to_date) : Status::none;
}

Status ProgressReport::status_of(Minor actual, Minor target) const {
    if (target == 0) return Status::none;
    Fraction p(actual, target);
    if (!(p < Fraction::of(thresholds.ahead))) return Status::ahead;
    if (!(p < Fraction::of(thresholds.on_track))) return Status::on_track;
    if (!(p < Fraction::of(thresholds.behind))) return Status::behind;
    return Status::critical;
}

namespace {

constexpr const char* kUnplannedKey = "(unplanned)";

// The first k of a period's n working days, split as the plan splits days (largest remainder,
// ties to the earlier day): q·k + min(k, r).
Minor first_days(Minor amount, int n, int k) {
    if (n <= 0) return 0;
    Minor q = amount / n, r = amount % n;
    return q * k + std::min<Minor>(k, r);
}

// What a progress report tracks: a plan metric, or an activity (a funnel stage, whose targets come
// from the funnel's metric, or the visit plan's visits). `name` empty: the first money or count metric.
struct Tracked {
    int metric = -1;
    std::optional<std::size_t> stage;
    bool visits = false;
    int quota = -1;  // an activity quota of plan.activities
};

Tracked tracked_of(const Plan& plan, const std::string& name) {
    auto first_metric = [&] {
        for (std::size_t m = 0; m < plan.metrics.size(); ++m)
            if (!plan.metrics[m].rate && plan.metrics[m].stretch_of < 0) return static_cast<int>(m);
        throw Error::usage("the plan has no money or count metric to track");
    };
    if (name.empty()) return Tracked{first_metric(), std::nullopt, false};
    int m = plan.metric_index(name);
    if (m >= 0 && !plan.metrics[static_cast<std::size_t>(m)].rate) return Tracked{m, std::nullopt, false};
    if (plan.funnel)
        for (std::size_t s = 0; s < plan.funnel->stages.size(); ++s)
            if (plan.funnel->stages[s].id == name) return Tracked{plan.funnel->metric, s, false};
    const bool has_visits = plan.visits && plan.visits->dimension >= 0;
    if (name == "visits" && has_visits) return Tracked{first_metric(), std::nullopt, true};
    for (std::size_t a = 0; a < plan.activities.size(); ++a)
        if (plan.activities[a].id == name) return Tracked{first_metric(), std::nullopt, false, static_cast<int>(a)};
    std::vector<std::string> names;
    for (const auto& metric : plan.metrics)
        if (!metric.rate) names.push_back(metric.id);
    if (plan.funnel)
        for (const auto& s : plan.funnel->stages)
            names.push_back(s.id);
    if (has_visits) names.push_back("visits");
    for (const auto& a : plan.activities)
        names.push_back(a.id);
    std::string guess = did_you_mean(name, names);
    throw Error::usage(Field::metric, fmt::format("{}: no such metric or activity", name),
                       guess.empty() ? "metrics and activities: " + fmt::format("{}", fmt::join(names, ", "))
                                     : fmt::format("did you mean \"{}\"?", guess));
}

// The dimension level (dimension, depth) behind each key column.
std::vector<std::pair<int, int>> key_levels_of(const Plan& plan, const std::vector<std::string>& columns) {
    std::vector<std::pair<int, int>> out;
    for (const auto& column : columns) {
        const Step& step = plan.steps[static_cast<std::size_t>(plan.step_index(column))];
        out.emplace_back(step.dimension, step.depth);
    }
    return out;
}

// Each row's working days, from its members' active dates within the plan (a joiner's time runs
// from his start): what its 时间进度, run rate and daily need are measured on.
void set_row_days(ProgressReport& report, const Plan& plan, const std::vector<std::pair<int, int>>& key_levels,
                  Date as_of) {
    // Counted once per window: most rows share the plan's (a year is 365 days to look at).
    std::map<std::pair<Date, Date>, std::pair<int, int>> counted;
    auto days_of = [&](Date first, Date last, ProgressRow& r) {
        auto [it, fresh] = counted.try_emplace({first, last});
        if (fresh)
            it->second = {last < first ? 0 : plan.calendar.working_days(first, last),
                          as_of < first ? 0 : plan.calendar.working_days(first, std::min(as_of, last))};
        r.days_total = it->second.first;
        r.days_elapsed = it->second.second;
    };
    bool dated = false;
    for (const auto& dim : plan.dimensions)
        for (const auto& level : dim.members)
            for (const auto& m : level)
                dated = dated || limited_within(Availability{m.availability().start, m.availability().end, {}},
                                                plan.first, plan.last);
    // Per dimension, the deepest key column: its member's dates (inherited from its parents) count.
    std::vector<int> deepest(plan.dimensions.size(), -1);
    for (std::size_t k = 0; k < key_levels.size(); ++k) {
        auto d = static_cast<std::size_t>(key_levels[k].first);
        if (deepest[d] < 0 || key_levels[static_cast<std::size_t>(deepest[d])].second < key_levels[k].second)
            deepest[d] = static_cast<int>(k);
    }
    // Per dimension, that level's members by id (an id may repeat under different parents).
    std::vector<std::unordered_multimap<std::string_view, const Member*>> by_id(deepest.size());
    for (std::size_t d = 0; d < deepest.size() && dated; ++d)
        if (deepest[d] >= 0)
            for (const auto& m :
                 plan.dimensions[d]
                     .members[static_cast<std::size_t>(key_levels[static_cast<std::size_t>(deepest[d])].second)])
                by_id[d].emplace(m.id, &m);
    for (auto& r : report.rows) {
        Date first = plan.first, last = plan.last;
        if (dated && r.planned) {
            for (std::size_t d = 0; d < deepest.size(); ++d) {
                if (deepest[d] < 0) continue;
                auto [dim, depth] = key_levels[static_cast<std::size_t>(deepest[d])];
                // The member with this id whose ancestors carry the row's other keys of this dimension.
                auto [begin, end] = by_id[d].equal_range(r.keys[static_cast<std::size_t>(deepest[d])]);
                for (auto it = begin; it != end; ++it) {
                    const Member& m = *it->second;
                    bool same_chain = true;
                    for (std::size_t k = 0; k < key_levels.size() && same_chain; ++k) {
                        if (key_levels[k].first != dim || key_levels[k].second >= depth) continue;
                        const Member* up = &m;
                        for (int at = depth; at > key_levels[k].second; --at)
                            up = &plan.dimensions[d]
                                      .members[static_cast<std::size_t>(at - 1)][static_cast<std::size_t>(up->parent)];
                        same_chain = up->id == r.keys[k];
                    }
                    if (!same_chain) continue;
                    auto [from, to] = active_window(m.availability(), first, last);
                    first = from;
                    last = to;
                    break;
                }
            }
        }
        days_of(first, last, r);
    }
}

// The request's `where` applied to actuals as to targets: per filtered level, the members it keeps (alternatives
// within a level, all levels must hold). An actual naming a member the plan does not have is placed
// by the deepest planned member its columns name above it, and counts only where that shows it
// inside the filter.
class ActualsFilter {
public:
    ActualsFilter(const Plan& plan, const std::vector<Filter>& where) : plan_(plan) {
        for (const auto& f : where) {
            int s = plan.step_index(f.level);  // levels and members were checked by the split already
            if (s < 0 || plan.steps[static_cast<std::size_t>(s)].kind != Step::Kind::dimension) continue;
            const Step& step = plan.steps[static_cast<std::size_t>(s)];
            auto it = std::find_if(levels_.begin(), levels_.end(), [&](const Level& l) { return l.name == f.level; });
            if (it == levels_.end()) {
                const auto& members = plan.dimensions[static_cast<std::size_t>(step.dimension)]
                                          .members[static_cast<std::size_t>(step.depth)];
                levels_.push_back(
                    Level{f.level, f.value, step.dimension, step.depth, std::vector<char>(members.size(), 0)});
                it = levels_.end() - 1;
            }
            const auto& members =
                plan.dimensions[static_cast<std::size_t>(step.dimension)].members[static_cast<std::size_t>(step.depth)];
            for (std::size_t i = 0; i < members.size(); ++i)
                if (members[i].id == f.value || (!members[i].name().empty() && members[i].name() == f.value))
                    it->keep[i] = 1;
        }
    }
    bool empty() const { return levels_.empty(); }

    /// For a file whose deepest columns per dimension are `depth(d)`: which of those members pass.
    /// Throws Error(usage) when the file cannot tell a filtered level.
    void prepare(const ActualsReader& reader, const std::string& file) {
        admitted_.assign(plan_.dimensions.size(), {});
        for (const auto& l : levels_) {
            auto d = static_cast<std::size_t>(l.dimension);
            if (reader.depth(d) < l.depth)
                throw Error::usage(Field::where,
                                   fmt::format("{}={}: {} has no column for \"{}\" (or a level below it)", l.name,
                                               l.value, file, l.name),
                                   "add the column, or " + mention(Field::map) + " the one that holds it");
            const auto& members = plan_.dimensions[d].members[static_cast<std::size_t>(reader.depth(d))];
            if (admitted_[d].empty()) admitted_[d].assign(members.size(), 1);
            for (std::size_t i = 0; i < members.size(); ++i)
                admitted_[d][i] =
                    admitted_[d][i] &&
                    l.keep[static_cast<std::size_t>(up(d, reader.depth(d), static_cast<int>(i), l.depth))];
        }
    }

    bool admits(const ActualRow& row) const {
        for (std::size_t d = 0; d < admitted_.size(); ++d) {
            if (admitted_[d].empty()) continue;
            int m = row.members[d];
            if (m >= 0) {
                if (!admitted_[d][static_cast<std::size_t>(m)]) return false;
                continue;
            }
            const KnownMember known = row.known.empty() ? KnownMember{} : row.known[d];
            for (const auto& l : levels_) {
                if (static_cast<std::size_t>(l.dimension) != d) continue;
                if (known.depth < l.depth ||
                    !l.keep[static_cast<std::size_t>(up(d, known.depth, known.index, l.depth))])
                    return false;
            }
        }
        return true;
    }

private:
    struct Level {
        std::string name, value;  // for messages: the level and its first value
        int dimension = -1, depth = -1;
        std::vector<char> keep;  // per member of the level
    };
    // Member `m` at `depth` of dimension d, walked up to `to`.
    int up(std::size_t d, int depth, int m, int to) const {
        for (int k = depth; k > to; --k)
            m = plan_.dimensions[d].members[static_cast<std::size_t>(k)][static_cast<std::size_t>(m)].parent;
        return m;
    }
    const Plan& plan_;
    std::vector<Level> levels_;
    std::vector<std::vector<char>> admitted_;  // per dimension, per member at the file's depth; empty: all
};

}  // namespace

namespace {

// The request resolved against the plan: what is tracked, the split its targets come from (keyed
// by the report's levels, at the plan's finest time level), and the time levels that split uses.
struct Resolved {
    Tracked tracked;
    SplitRequest split;
    std::optional<TimeLevel> finest;              // the plan's finest time level: the curve
    std::optional<TimeLevel> coarse;              // the one above it, if any
    std::vector<std::pair<int, int>> key_levels;  // (dimension, depth) per key column
    int actual_metric = -1;  // the metric whose actuals column is read: a stretch version's is its commitment's
};

// Phase 1: checks the request, resolves what is tracked and by which levels, and fills the
// report's header (metric, key columns, the plan's working days).
Resolved resolve(const Decomposition& decomposition, const ProgressRequest& request, ProgressReport& report) {
    const Plan& plan = decomposition.plan();
    Resolved r;
    report.thresholds = plan.status;
    r.tracked = tracked_of(plan, request.metric);
    const int metric = r.tracked.metric;
    report.metric = metric;
    const Metric& tracked = plan.metrics[static_cast<std::size_t>(metric)];
    r.actual_metric = tracked.stretch_of >= 0 && !tracked.budget ? tracked.stretch_of : metric;  // one set of sales
    report.activity = r.tracked.stage || r.tracked.visits || r.tracked.quota >= 0;
    report.tracked = report.activity ? request.metric : plan.metrics[static_cast<std::size_t>(metric)].id;
    report.decimals = report.activity ? 0 : plan.metrics[static_cast<std::size_t>(metric)].decimals;
    if (request.as_of < plan.first || request.as_of > plan.last)
        throw Error::usage(Field::as_of,
                           fmt::format("{}: outside the plan's period ({} … {})", format_date(request.as_of),
                                       format_date(plan.first), format_date(plan.last)));
    for (const auto& f : request.where) {
        int s = plan.step_index(f.level);
        if (s >= 0 && plan.steps[static_cast<std::size_t>(s)].kind == Step::Kind::time)
            throw Error::usage(Field::where, fmt::format("{}={}: progress filters dimension levels", f.level, f.value),
                               "the report covers the plan's period to " + mention(Field::as_of));
    }
    report.days_total = plan.calendar.working_days(plan.first, plan.last);
    report.days_elapsed = plan.calendar.working_days(plan.first, request.as_of);

    std::vector<TimeLevel> time_levels;
    for (const auto& step : plan.steps)
        if (step.kind == Step::Kind::time) time_levels.push_back(step.time);
    if (!time_levels.empty()) r.finest = time_levels.back();
    if (time_levels.size() >= 2) r.coarse = time_levels[time_levels.size() - 2];
    r.split.by = request.by;
    if (r.split.by.empty())  // a filtered report names what it shows: where rep=赵磊 keys the rows by rep
        for (const auto& f : request.where)
            if (std::find(r.split.by.begin(), r.split.by.end(), f.level) == r.split.by.end())
                r.split.by.push_back(f.level);
    r.split.where = request.where;
    r.split.metrics = {plan.metrics[static_cast<std::size_t>(metric)].id};
    r.split.period = r.finest;
    r.split.threads = std::max(1, request.threads);
    SplitLayout layout = decomposition.layout(r.split);
    std::size_t key_count = layout.key_columns.size() - (r.finest ? 1 : 0);
    report.key_columns.assign(layout.key_columns.begin(),
                              layout.key_columns.begin() + static_cast<std::ptrdiff_t>(key_count));
    r.key_levels = key_levels_of(plan, report.key_columns);
    return r;
}

// The part of `amount` (over period p) that falls on or before the as-of date, along the plan's
// working days (by calendar days for a period without any).
Minor to_date(const Plan& plan, Minor amount, const Period& p, Date as_of) {
    if (p.last <= as_of) return amount;
    if (p.first > as_of) return 0;
    int n = plan.calendar.working_days(p.first, p.last), k = plan.calendar.working_days(p.first, as_of);
    if (n == 0) {
        n = static_cast<int>((p.last - p.first).count() + 1);
        k = static_cast<int>((as_of - p.first).count() + 1);
    }
    return first_days(amount, n, k);
}

// Phase 2: targets per node, for the whole period and to date along the plan's curve; one report
// row per node, in the plan's order. The finest time level gives the curve; a period of it that
// holds the as-of date counts its working days up to it (for a plan split to days, exactly its
// days up to it). When the plan has a coarser time level above it, the table is built at that
// level, and only the coarse period holding the as-of date is split again to the finest level:
// the same amounts, a fraction of the cells. Returns the table, whose nodes number the rows.
NodeTable set_targets(const Decomposition& decomposition, const Resolved& resolved, Date as_of,
                      ProgressReport& report) {
    const Plan& plan = decomposition.plan();
    SplitRequest first_pass = resolved.split;
    first_pass.period = resolved.coarse ? resolved.coarse : resolved.finest;
    NodeTable table(decomposition, first_pass);
    std::optional<Period> running;  // the coarse period holding the as-of date, if it is not over
    report.rows.resize(table.nodes().size());
    for (std::size_t n = 0; n < table.nodes().size(); ++n) {
        ProgressRow& r = report.rows[n];
        r.keys = table.nodes().key(n);
        for (std::size_t p = 0; p < table.periods().size(); ++p) {
            const Period& period = table.periods()[p];
            const Minor amount = table.at(n, p);
            r.target += amount;
            if (resolved.coarse && period.first <= as_of && as_of < period.last)
                running = period;  // to date from its finest periods, below
            else
                r.target_to_date += to_date(plan, amount, period, as_of);
        }
    }
    if (running) {
        // Its finest periods, clipped to it: a week across a month end counts its part.
        SplitRequest second_pass = resolved.split;
        second_pass.where.push_back({std::string(time_level_name(*resolved.coarse)), running->label});
        NodeTable finest(decomposition, second_pass, table);
        for (std::size_t n = 0; n < table.nodes().size(); ++n)
            for (std::size_t p = 0; p < finest.periods().size(); ++p)
                report.rows[n].target_to_date += to_date(plan, finest.at(n, p), finest.periods()[p], as_of);
    }
    return table;
}

// Phase 3 (with a grid): the grid's periods up to the one holding the as-of date, each row's
// target per period from the same split at that grain. Returns, per day from the plan's first,
// its grid period or -1 past the as-of period.
std::vector<int> set_grid_targets(const Decomposition& decomposition, const Resolved& resolved, TimeLevel grid,
                                  Date as_of, const NodeTable& nodes, ProgressReport& report) {
    const Plan& plan = decomposition.plan();
    SplitRequest by_period = resolved.split;
    by_period.period = grid;
    NodeTable table(decomposition, by_period, nodes);
    for (const auto& p : table.periods()) {
        if (p.first > as_of) break;
        report.grid_periods.push_back(p);
    }
    const std::size_t grid_size = report.grid_periods.size();
    std::vector<int> grid_of_day(static_cast<std::size_t>((plan.last - plan.first).count() + 1), -1);
    for (std::size_t g = 0; g < grid_size; ++g)
        for (Date d = report.grid_periods[g].first; d <= report.grid_periods[g].last; d += std::chrono::days{1})
            grid_of_day[static_cast<std::size_t>((d - plan.first).count())] = static_cast<int>(g);
    for (std::size_t n = 0; n < report.rows.size(); ++n) {
        ProgressRow& r = report.rows[n];
        r.grid_target.assign(grid_size, 0);
        r.grid_actual.assign(grid_size, 0);
        for (std::size_t g = 0; g < grid_size; ++g)
            r.grid_target[g] = table.at(n, g);
    }
    return grid_of_day;
}

// Whether the plan's time levels give targets per period of `level`: one of its time steps, or
// time steps whose periods each fall inside one period of it (days give months; weeks do not, nor
// do days under weeks).
bool gives(const Plan& plan, const Resolved& resolved, TimeLevel level) {
    for (const auto& step : plan.steps)
        if (step.kind == Step::Kind::time && step.time == level) return true;
    if (!resolved.finest) return false;
    for (const auto& step : plan.steps) {
        if (step.kind != Step::Kind::time) continue;
        for (const auto& p : periods_between(step.time, plan.first, plan.last, plan.fiscal_start_month))
            if (period_containing(level, p.first, plan.fiscal_start_month).last < p.last) return false;
    }
    return true;
}

// Phase 3b: this month's and this quarter's whole targets per row (the periods holding the as-of
// date), where the plan's time levels give them; a time step is split for that one period only.
void set_period_targets(const Decomposition& decomposition, const Resolved& resolved, Date as_of,
                        const NodeTable& nodes, ProgressReport& report) {
    const Plan& plan = decomposition.plan();
    for (TimeLevel level : {TimeLevel::month, TimeLevel::quarter}) {
        const bool month = level == TimeLevel::month;
        const Period holding = period_containing(level, as_of, plan.fiscal_start_month);
        // When the targets' own periods nest in it (months in a quarter), it is their sum: no walk.
        bool nest = false;
        for (const auto& p : nodes.periods()) {
            if (p.last < holding.first || holding.last < p.first) continue;
            nest = holding.first <= p.first && p.last <= holding.last;
            if (!nest) break;
        }
        if (nest) {
            Period clipped = holding;
            clipped.first = std::max(holding.first, plan.first);
            clipped.last = std::min(holding.last, plan.last);
            (month ? report.month : report.quarter) = clipped;
            for (std::size_t n = 0; n < nodes.nodes().size(); ++n)
                for (std::size_t p = 0; p < nodes.periods().size(); ++p)
                    if (holding.first <= nodes.periods()[p].first && nodes.periods()[p].last <= holding.last)
                        (month ? report.rows[n].month_target : report.rows[n].quarter_target) += nodes.at(n, p);
            continue;
        }
        if (!gives(plan, resolved, level)) continue;
        SplitRequest request = resolved.split;
        request.period = level;
        if (plan.step_index(std::string(time_level_name(level))) >= 0)
            request.where.push_back({std::string(time_level_name(level)), holding.label});
        NodeTable table(decomposition, request, nodes);
        const auto index = table.period_index(holding.label);
        if (!index) continue;
        (month ? report.month : report.quarter) = table.periods()[*index];
        for (std::size_t n = 0; n < nodes.nodes().size(); ++n)
            (month ? report.rows[n].month_target : report.rows[n].quarter_target) = table.at(n, *index);
    }
}

// Phase 3c: tasks beside targets. A level that over-assigns gives each row its amount before the
// padding (the split's task channel); a tracked stretch version takes its commitment's; the
// metric's stated "task" is the whole plan's (the Total's, when no `where` narrows the report).
void set_tasks(const Decomposition& decomposition, const Resolved& resolved, const ProgressRequest& request,
               const NodeTable& nodes, ProgressReport& report) {
    if (report.activity) return;  // an activity's counts have no task of their own
    const Plan& plan = decomposition.plan();
    const Metric& tracked = plan.metrics[static_cast<std::size_t>(resolved.tracked.metric)];
    const int commitment = tracked.stretch_of >= 0 && !tracked.budget ? tracked.stretch_of : resolved.tracked.metric;
    const Metric& task_metric = plan.metrics[static_cast<std::size_t>(commitment)];
    bool pads = false;
    for (const auto& step : plan.steps)
        pads = pads || detail::pads(step, task_metric);
    if (request.where.empty()) report.stated_task = tracked.task;
    const bool from_split = pads || commitment != resolved.tracked.metric;
    report.has_task = from_split || report.stated_task.has_value();
    if (!from_split) return;
    SplitRequest split = resolved.split;
    split.period.reset();
    split.metrics = {task_metric.id};
    split.with_task = pads;
    for (std::size_t n = 0; n < nodes.nodes().size(); ++n)
        report.rows[n].task = 0;
    const std::size_t width = nodes.nodes().width();
    decomposition.run(split, [&](const SplitRow& row) {
        if (auto n = nodes.nodes().find(row.keys.first(width)))
            report.rows[*n].task = checked_add(*report.rows[*n].task, row.amounts.back());
    });
}

// Phase 4 (tracking an activity quota): the counts the rows' people owe, in the same periods.
void set_quota_targets(const Plan& plan, std::size_t quota, Date as_of, ProgressReport& report) {
    QuotaColumns quotas(plan, report.key_columns, report.key_columns.size());
    const ActivityQuota& q = plan.activities[quota];
    if (std::find(quotas.quotas().begin(), quotas.quotas().end(), quota) == quotas.quotas().end())
        throw Error::usage(
            Field::metric,
            fmt::format(
                "{}: the quota is per member of \"{}\" down to \"{}\"; {} those levels only", q.id,
                plan.dimensions[static_cast<std::size_t>(q.dimension)].id,
                plan.dimensions[static_cast<std::size_t>(q.dimension)].levels[static_cast<std::size_t>(q.depth)],
                mention(Field::by)),
            "a product or channel makes no calls of its own");
    std::vector<std::string_view> keys;
    for (auto& r : report.rows) {
        keys.assign(r.keys.begin(), r.keys.end());
        r.target = quotas.count(quota, keys, plan.first, plan.last);
        r.target_to_date = quotas.count(quota, keys, plan.first, as_of);
        for (std::size_t g = 0; g < r.grid_target.size(); ++g)
            r.grid_target[g] = quotas.count(quota, keys, std::max(report.grid_periods[g].first, plan.first),
                                            std::min(report.grid_periods[g].last, plan.last));
        if (report.month)
            r.month_target = quotas.count(quota, keys, std::max(report.month->first, plan.first),
                                          std::min(report.month->last, plan.last));
        if (report.quarter)
            r.quarter_target = quotas.count(quota, keys, std::max(report.quarter->first, plan.first),
                                            std::min(report.quarter->last, plan.last));
    }
}

// Phase 4 (tracking an activity): its targets replace the money's: the count the row's money takes
// (a funnel stage), or the visits its members owe (the same periods: the whole plan, to the as-of
// date, each grid period).
void set_activity_targets(const Plan& plan, const Tracked& tracked, Date as_of, ProgressReport& report) {
    if (tracked.quota >= 0) return set_quota_targets(plan, static_cast<std::size_t>(tracked.quota), as_of, report);
    SplitLayout rows_layout{report.key_columns, {tracked.metric}, false};
    ActivityColumns activity(plan, rows_layout, std::nullopt);
    if (tracked.visits && !activity.has_visits())
        throw Error::usage(
            Field::metric,
            fmt::format("visits: visits are per member of \"{}\"; {} its levels only",
                        plan.dimensions[static_cast<std::size_t>(plan.visits->dimension)].id, mention(Field::by)),
            "a product or channel has no customers of its own");
    std::vector<std::string_view> keys;
    for (auto& r : report.rows) {
        if (const auto stage = tracked.stage) {
            r.target = activity.stage_count(*stage, r.target);
            r.target_to_date = activity.stage_count(*stage, r.target_to_date);
            for (auto& g : r.grid_target)
                g = activity.stage_count(*stage, g);
            r.month_target = activity.stage_count(*stage, r.month_target);
            r.quarter_target = activity.stage_count(*stage, r.quarter_target);
            continue;
        }
        keys.assign(r.keys.begin(), r.keys.end());
        r.target = activity.visits(keys, plan.first, plan.last);
        r.target_to_date = activity.visits(keys, plan.first, as_of);
        for (std::size_t g = 0; g < r.grid_target.size(); ++g)
            r.grid_target[g] = activity.visits(keys, std::max(report.grid_periods[g].first, plan.first),
                                               std::min(report.grid_periods[g].last, plan.last));
        if (report.month) r.month_target = activity.visits(keys, report.month->first, report.month->last);
        if (report.quarter) r.quarter_target = activity.visits(keys, report.quarter->first, report.quarter->last);
    }
}

// Where an actuals row goes: the node of its members at the report's grain, "(unplanned)" (the
// node after the last) for a member the plan does not have, or nowhere (a planned node that `where`
// leaves out).
class NodeFinder {
public:
    NodeFinder(const Plan& plan, const std::vector<std::pair<int, int>>& key_levels, const NodeIndex& nodes)
        : plan_(plan), key_levels_(key_levels), nodes_(nodes) {
        // When every key column belongs to one dimension (region, rep), the deepest one names the
        // node: a member index → node table replaces a lookup by ids per row.
        one_dimension_ = !key_levels.empty();
        for (const auto& kl : key_levels)
            one_dimension_ = one_dimension_ && kl.first == key_levels.back().first;
        if (!one_dimension_) return;
        auto [d, depth] = key_levels.back();
        const auto& level = plan.dimensions[static_cast<std::size_t>(d)].members[static_cast<std::size_t>(depth)];
        std::unordered_map<std::string_view, int> index;
        for (std::size_t i = 0; i < level.size(); ++i)
            index.emplace(level[i].id, static_cast<int>(i));
        node_of_member_.assign(level.size(), -1);
        for (std::size_t n = 0; n < nodes.size(); ++n) {
            auto it = index.find(nodes.key(n).back());
            if (it != index.end()) node_of_member_[static_cast<std::size_t>(it->second)] = static_cast<int>(n);
        }
    }

    /// Returned by find() for a row that `where` leaves out.
    static constexpr std::size_t kOutside = static_cast<std::size_t>(-1);

    /// For a file read by `reader`: each dimension's members there, walked up to the key levels
    /// (and, with one dimension, straight to their nodes).
    void prepare(const ActualsReader& reader) {
        up_.assign(key_levels_.size(), {});
        for (std::size_t k = 0; k < key_levels_.size(); ++k) {
            auto [d, depth] = key_levels_[k];
            const Dimension& dim = plan_.dimensions[static_cast<std::size_t>(d)];
            const int from = reader.depth(static_cast<std::size_t>(d));
            const auto& members = dim.members[static_cast<std::size_t>(from)];
            up_[k].resize(members.size());
            for (std::size_t i = 0; i < members.size(); ++i) {
                int m = static_cast<int>(i);
                for (int at = from; at > depth; --at)
                    m = dim.members[static_cast<std::size_t>(at)][static_cast<std::size_t>(m)].parent;
                up_[k][i] = m;
            }
        }
        node_at_.clear();
        if (one_dimension_)
            for (int m : up_.back()) {
                const int node = node_of_member_[static_cast<std::size_t>(m)];
                node_at_.push_back(node < 0 ? kOutside : static_cast<std::size_t>(node));
            }
    }

    /// The row's node; nodes_.size() for "(unplanned)"; kOutside when `where` leaves it out.
    /// `ids` is scratch space of the calling thread.
    std::size_t find(const ActualRow& row, std::vector<std::string_view>& ids) const {
        // A row that names any member the plan does not have is unplanned at every grain by
        // members: a product the plan lacks is in no rep's target, whether or not products are
        // shown. (The whole plan's single row takes every sale, as its warning says.)
        if (!key_levels_.empty())
            for (int m : row.members)
                if (m == kUnplanned) return nodes_.size();
        if (one_dimension_)
            return node_at_[static_cast<std::size_t>(row.members[static_cast<std::size_t>(key_levels_.back().first)])];
        ids.clear();
        for (std::size_t k = 0; k < key_levels_.size(); ++k) {
            auto [d, depth] = key_levels_[k];
            const int m = up_[k][static_cast<std::size_t>(row.members[static_cast<std::size_t>(d)])];
            ids.push_back(plan_.dimensions[static_cast<std::size_t>(d)]
                              .members[static_cast<std::size_t>(depth)][static_cast<std::size_t>(m)]
                              .id);
        }
        return nodes_.find(ids).value_or(kOutside);
    }

private:
    const Plan& plan_;
    const std::vector<std::pair<int, int>>& key_levels_;
    const NodeIndex& nodes_;
    bool one_dimension_ = false;
    std::vector<int> node_of_member_;   // per member of the deepest key level: its node, or -1
    std::vector<std::vector<int>> up_;  // per key column, per member at the file's depth: its ancestor there
    std::vector<std::size_t> node_at_;  // one dimension: per member at the file's depth, its node or kOutside
};

// One part of the read (one per thread) tallies into its own arrays; they are added up after.
struct alignas(64) Tally {              // one cache line per thread
    std::vector<Minor> actual;          // per node, then "(unplanned)"
    std::vector<Minor> grid_actual;     // node × grid period
    std::vector<Minor> month_actual;    // per node, then "(unplanned)": this month to date
    std::vector<Minor> quarter_actual;  // the same for this quarter
    std::size_t after_as_of = 0;
    std::size_t unplanned_outside = 0;
    bool unplanned = false;
    std::vector<std::string_view> ids;  // scratch for NodeFinder::find
};

// Phase 5: the actuals, streamed: each row dated up to the as-of date that passes the filters
// goes to its node at the grain, unknown members to "(unplanned)".
class ActualsPass {
public:
    ActualsPass(const Plan& plan, const ProgressRequest& request, const Resolved& resolved, const NodeIndex& nodes,
                const std::vector<int>& grid_of_day, ProgressReport& report)
        : plan_(plan),
          request_(request),
          resolved_(resolved),
          report_(report),
          filter_(plan, request.where),
          finder_(plan, resolved.key_levels, nodes),
          grid_of_day_(grid_of_day),
          node_count_(nodes.size()),
          grid_size_(report.grid_periods.size()),
          month_from_(report.month ? report.month->first : request.as_of + std::chrono::days{1}),
          quarter_from_(report.quarter ? report.quarter->first : request.as_of + std::chrono::days{1}) {}

    void read(const std::string& file, std::FILE* stdin_stream) {
        ActualsOptions options = request_.options;
        options.threads = std::max(1, request_.threads);
        if (report_.activity) options.counts = {report_.tracked};
        ActualsReader reader(plan_, options);
        reader.read(
            file, [&](int part, const ActualRow& row) { add(tallies_[static_cast<std::size_t>(part)], row); },
            [&] { on_header(reader, file); }, stdin_stream);
        report_.actuals.add(reader.summary());
    }

    // The parts' tallies into the report's rows, "(unplanned)" added when any row went there.
    void finish() {
        bool any_unplanned = false;
        for (const auto& t : tallies_)
            any_unplanned = any_unplanned || t.unplanned;
        if (any_unplanned) {
            ProgressRow r;
            r.planned = false;
            r.keys.assign(report_.key_columns.size(), kUnplannedKey);
            r.days_elapsed = report_.days_elapsed;
            r.days_total = report_.days_total;
            r.grid_target.assign(grid_size_, 0);
            r.grid_actual.assign(grid_size_, 0);
            report_.rows.push_back(std::move(r));
        }
        for (const auto& t : tallies_) {
            report_.after_as_of += t.after_as_of;
            report_.unplanned_outside += t.unplanned_outside;
            for (std::size_t n = 0; n < report_.rows.size(); ++n) {
                ProgressRow& r = report_.rows[n];
                r.actual = checked_add(r.actual, t.actual[n]);
                r.month_actual = checked_add(r.month_actual, t.month_actual[n]);
                r.quarter_actual = checked_add(r.quarter_actual, t.quarter_actual[n]);
                for (std::size_t g = 0; g < grid_size_; ++g)
                    r.grid_actual[g] += t.grid_actual[n * grid_size_ + g];
            }
        }
    }

private:
    // The header is known: the tracked column's position, the filters and levels it can tell.
    void on_header(const ActualsReader& reader, const std::string& file) {
        const int wanted = report_.activity ? kCountColumn : resolved_.actual_metric;
        position_ = -1;
        for (std::size_t m = 0; m < reader.metrics().size(); ++m)
            if (reader.metrics()[m] == wanted) position_ = static_cast<int>(m);
        if (position_ < 0)
            throw Error::input(
                {file, 1, 0, ""},
                fmt::format("no column for {} \"{}\"", report_.activity ? "activity" : "metric", wanted_id()),
                fmt::format("map one: {} COLUMN={}", mention(Field::map), wanted_id()));
        filter_.prepare(reader, file);
        for (auto [d, depth] : resolved_.key_levels) {
            const std::string& level =
                plan_.dimensions[static_cast<std::size_t>(d)].levels[static_cast<std::size_t>(depth)];
            if (reader.depth(static_cast<std::size_t>(d)) < depth)
                throw Error::usage(
                    Field::by, fmt::format("{}: {} has no column for \"{}\" (or a level below it)", level, file, level),
                    "add the column, or " + mention(Field::map) + " the one that holds it");
        }
        finder_.prepare(reader);
        while (tallies_.size() < static_cast<std::size_t>(reader.parts())) {
            Tally& t = tallies_.emplace_back();
            t.actual.assign(node_count_ + 1, 0);
            t.month_actual.assign(node_count_ + 1, 0);
            t.quarter_actual.assign(node_count_ + 1, 0);
            t.grid_actual.assign((node_count_ + 1) * grid_size_, 0);
        }
    }

    // The id of the actuals column read: the activity's, else the metric's.
    std::string wanted_id() const {
        return report_.activity ? report_.tracked : plan_.metrics[static_cast<std::size_t>(resolved_.actual_metric)].id;
    }

    void add(Tally& t, const ActualRow& row) const {
        if (row.date > request_.as_of) {
            ++t.after_as_of;
            return;
        }
        if (!filter_.empty() && !filter_.admits(row)) {
            if (std::find(row.members.begin(), row.members.end(), kUnplanned) != row.members.end())
                ++t.unplanned_outside;
            return;
        }
        const std::size_t node = finder_.find(row, t.ids);
        if (node == NodeFinder::kOutside) return;
        if (node == node_count_) t.unplanned = true;
        const Minor amount = row.amounts[static_cast<std::size_t>(position_)];
        t.actual[node] = checked_add(t.actual[node], amount);
        if (row.date >= month_from_) t.month_actual[node] = checked_add(t.month_actual[node], amount);
        if (row.date >= quarter_from_) t.quarter_actual[node] = checked_add(t.quarter_actual[node], amount);
        if (grid_size_ > 0) {
            int g = grid_of_day_[static_cast<std::size_t>((row.date - plan_.first).count())];
            if (g >= 0) t.grid_actual[node * grid_size_ + static_cast<std::size_t>(g)] += amount;
        }
    }

    const Plan& plan_;
    const ProgressRequest& request_;
    const Resolved& resolved_;
    ProgressReport& report_;
    ActualsFilter filter_;
    NodeFinder finder_;
    const std::vector<int>& grid_of_day_;
    const std::size_t node_count_;
    const std::size_t grid_size_;
    const Date month_from_;    // this month's first day (past the as-of date without one)
    const Date quarter_from_;  // the same for this quarter
    int position_ = -1;
    std::vector<Tally> tallies_;
};

}  // namespace

ProgressReport progress(const Decomposition& decomposition, const ProgressRequest& request, std::FILE* stdin_stream) {
    const Plan& plan = decomposition.plan();
    ProgressReport report;
    const Resolved resolved = resolve(decomposition, request, report);
    const NodeTable targets = set_targets(decomposition, resolved, request.as_of, report);
    set_row_days(report, plan, resolved.key_levels, request.as_of);
    std::vector<int> grid_of_day;
    if (request.grid)
        grid_of_day = set_grid_targets(decomposition, resolved, *request.grid, request.as_of, targets, report);
    set_period_targets(decomposition, resolved, request.as_of, targets, report);
    set_tasks(decomposition, resolved, request, targets, report);
    if (report.activity) set_activity_targets(plan, resolved.tracked, request.as_of, report);
    ActualsPass actuals(plan, request, resolved, targets.nodes(), grid_of_day, report);
    for (const auto& file : request.actuals)
        actuals.read(file, stdin_stream);
    actuals.finish();
    return report;
}

}  // namespace tgt
