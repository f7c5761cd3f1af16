// Progress: targets from the plan's own split (to the day where the plan has days), actuals
// streamed into the same nodes, and the measures derived from them, exactly.

#include "tgt/progress.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <span>
#include <unordered_map>

#include "plan_finish.hpp"
#include "tgt/activity.hpp"
#include "tgt/fraction.hpp"

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
        for (std::size_t g = 0; g < t.grid_target.size() && g < r.grid_target.size(); ++g) {
            t.grid_target[g] += r.grid_target[g];
            t.grid_actual[g] += r.grid_actual[g];
        }
    }
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

constexpr char kSeparator = '\x1f';
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
    std::vector<std::string> names;
    for (const auto& metric : plan.metrics)
        if (!metric.rate) names.push_back(metric.id);
    if (plan.funnel)
        for (const auto& s : plan.funnel->stages)
            names.push_back(s.id);
    if (has_visits) names.push_back("visits");
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
    auto days_of = [&](Date first, Date last, ProgressRow& r) {
        r.days_total = last < first ? 0 : plan.calendar.working_days(first, last);
        r.days_elapsed = as_of < first ? 0 : plan.calendar.working_days(first, std::min(as_of, last));
    };
    bool dated = false;
    for (const auto& dim : plan.dimensions)
        for (const auto& level : dim.members)
            for (const auto& m : level)
                dated = dated || limited_within(Availability{m.availability.start, m.availability.end, {}}, plan.first,
                                                plan.last);
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
                    auto [from, to] = active_window(m.availability, first, last);
                    first = from;
                    last = to;
                    break;
                }
            }
        }
        days_of(first, last, r);
    }
}

// --where applied to actuals as to targets: per filtered level, the members it keeps (alternatives
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
                if (members[i].id == f.value || (!members[i].name.empty() && members[i].name == f.value))
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

ProgressReport progress(const Decomposition& decomposition, const ProgressRequest& request, std::FILE* stdin_stream) {
    const Plan& plan = decomposition.plan();
    ProgressReport report;
    report.thresholds = plan.status;
    const Tracked tracked = tracked_of(plan, request.metric);
    const int metric = tracked.metric;
    report.metric = metric;
    report.activity = tracked.stage || tracked.visits;
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

    // Targets: the whole period, and to date along the plan's curve. The finest time level gives
    // the curve; a period of it that holds the as-of date counts its working days up to it (for a
    // plan split to days, that is exactly its days up to it). When the plan has a coarser time
    // level above it, the split runs at that level, and only the coarse period holding the as-of
    // date is split again to the finest level: the same amounts, a fraction of the cells.
    std::vector<TimeLevel> time_levels;
    for (const auto& step : plan.steps)
        if (step.kind == Step::Kind::time) time_levels.push_back(step.time);
    std::optional<TimeLevel> finest, coarse;
    if (!time_levels.empty()) finest = time_levels.back();
    if (time_levels.size() >= 2) coarse = time_levels[time_levels.size() - 2];
    SplitRequest split;
    split.by = request.by;
    if (split.by.empty())  // a filtered report names what it shows: --where rep=赵磊 keys the rows by rep
        for (const auto& f : request.where)
            if (std::find(split.by.begin(), split.by.end(), f.level) == split.by.end()) split.by.push_back(f.level);
    split.where = request.where;
    split.metrics = {plan.metrics[static_cast<std::size_t>(metric)].id};
    split.period = finest;
    split.threads = std::max(1, request.threads);
    SplitLayout layout = decomposition.layout(split);
    std::size_t key_count = layout.key_columns.size() - (finest ? 1 : 0);
    report.key_columns.assign(layout.key_columns.begin(),
                              layout.key_columns.begin() + static_cast<std::ptrdiff_t>(key_count));
    std::unordered_map<std::string, Period> periods;
    for (auto level : {finest, coarse})
        if (level)
            for (auto& p : periods_between(*level, plan.first, plan.last, plan.fiscal_start_month))
                periods.emplace(p.label, p);
    std::unordered_map<std::string, std::size_t> nodes;
    std::string key;
    auto key_of = [&](std::span<const std::string_view> keys) {
        key.clear();
        for (std::size_t i = 0; i < key_count; ++i) {
            key.append(keys[i]);
            key.push_back(kSeparator);
        }
        return key;
    };
    // Rows of one node come together, and their key views point into the plan: comparing the
    // pointers finds the node again without hashing a string per row.
    std::vector<const char*> last_keys(key_count, nullptr);
    std::size_t last_node = 0;
    auto node_of = [&](const SplitRow& row) -> ProgressRow& {
        bool same = !report.rows.empty();
        for (std::size_t i = 0; i < key_count && same; ++i)
            same = row.keys[i].data() == last_keys[i];
        if (!same) {
            auto [it, fresh] = nodes.emplace(key_of(row.keys), report.rows.size());
            if (fresh) {
                ProgressRow r;
                for (std::size_t i = 0; i < key_count; ++i)
                    r.keys.emplace_back(row.keys[i]);
                report.rows.push_back(std::move(r));
            }
            last_node = it->second;
            for (std::size_t i = 0; i < key_count; ++i)
                last_keys[i] = row.keys[i].data();
        }
        return report.rows[last_node];
    };
    // The part of `amount` (over period p) that falls on or before the as-of date.
    auto to_date = [&](Minor amount, const Period& p) -> Minor {
        if (p.last <= request.as_of) return amount;
        if (p.first > request.as_of) return 0;
        int n = plan.calendar.working_days(p.first, p.last), k = plan.calendar.working_days(p.first, request.as_of);
        if (n == 0) {  // a period without working days: by calendar days
            n = static_cast<int>((p.last - p.first).count() + 1);
            k = static_cast<int>((request.as_of - p.first).count() + 1);
        }
        return first_days(amount, n, k);
    };
    const Period whole{TimeLevel::year, plan.first, plan.last, ""};
    std::optional<Period> running;  // the coarse period holding the as-of date, if it is not over
    SplitRequest first_pass = split;
    first_pass.period = coarse ? coarse : finest;
    decomposition.run(first_pass, [&](const SplitRow& row) {
        ProgressRow& r = node_of(row);
        Minor amount = row.amounts[0];
        r.target += amount;
        const Period& p = first_pass.period ? periods.at(std::string(row.keys[key_count])) : whole;
        if (coarse && p.first <= request.as_of && request.as_of < p.last)
            running = p;  // to date from its finest periods, below
        else
            r.target_to_date += to_date(amount, p);
    });
    if (running) {
        SplitRequest second_pass = split;
        second_pass.where.push_back({std::string(time_level_name(*coarse)), running->label});
        decomposition.run(second_pass, [&](const SplitRow& row) {
            ProgressRow& r = node_of(row);
            Period p = periods.at(std::string(row.keys[key_count]));
            p.first = std::max(p.first, running->first);  // a week across a month end counts its part
            p.last = std::min(p.last, running->last);
            r.target_to_date += to_date(row.amounts[0], p);
        });
    }

    const std::vector<std::pair<int, int>> key_levels = key_levels_of(plan, report.key_columns);
    set_row_days(report, plan, key_levels, request.as_of);

    // The grid: targets per period of its level, from the same split at that grain.
    std::vector<int> grid_of_day;  // day offset from plan.first → grid period, or -1 past the as-of period
    if (request.grid) {
        auto all = periods_between(*request.grid, plan.first, plan.last, plan.fiscal_start_month);
        std::unordered_map<std::string, std::size_t> index;
        for (const auto& p : all) {
            if (p.first > request.as_of) break;
            index.emplace(p.label, report.grid_periods.size());
            report.grid_periods.push_back(p);
        }
        grid_of_day.assign(static_cast<std::size_t>((plan.last - plan.first).count() + 1), -1);
        for (std::size_t g = 0; g < report.grid_periods.size(); ++g)
            for (Date d = report.grid_periods[g].first; d <= report.grid_periods[g].last; d += std::chrono::days{1})
                grid_of_day[static_cast<std::size_t>((d - plan.first).count())] = static_cast<int>(g);
        for (auto& r : report.rows) {
            r.grid_target.assign(report.grid_periods.size(), 0);
            r.grid_actual.assign(report.grid_periods.size(), 0);
        }
        SplitRequest by_period = split;
        by_period.period = request.grid;
        decomposition.run(by_period, [&](const SplitRow& row) {
            auto it = nodes.find(key_of(row.keys));
            auto g = index.find(std::string(row.keys[key_count]));
            if (it == nodes.end() || g == index.end()) return;
            report.rows[it->second].grid_target[g->second] += row.amounts[0];
        });
    }

    // An activity's targets: the count the row's money takes (a funnel stage), or the visits its
    // members owe (the same periods: the whole plan, to the as-of date, each grid period).
    if (report.activity) {
        SplitLayout rows_layout{report.key_columns, {metric}, false};
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
                continue;
            }
            keys.assign(r.keys.begin(), r.keys.end());
            r.target = activity.visits(keys, plan.first, plan.last);
            r.target_to_date = activity.visits(keys, plan.first, request.as_of);
            for (std::size_t g = 0; g < r.grid_target.size(); ++g)
                r.grid_target[g] = activity.visits(keys, std::max(report.grid_periods[g].first, plan.first),
                                                   std::min(report.grid_periods[g].last, plan.last));
        }
    }

    // Actuals: each row that passes the filters to the node of its members at the grain; unknown
    // members to "(unplanned)".
    ActualsFilter filter(plan, request.where);
    // When every key column belongs to one dimension (region, rep), the deepest one names the node:
    // a member index → node table replaces a string key per actuals row.
    std::vector<int> node_of_member;
    bool one_dimension = !key_levels.empty();
    for (const auto& kl : key_levels)
        one_dimension = one_dimension && kl.first == key_levels.back().first;
    if (one_dimension) {
        auto [d, depth] = key_levels.back();
        const auto& level = plan.dimensions[static_cast<std::size_t>(d)].members[static_cast<std::size_t>(depth)];
        std::unordered_map<std::string_view, int> index;
        for (std::size_t i = 0; i < level.size(); ++i)
            index.emplace(level[i].id, static_cast<int>(i));
        node_of_member.assign(level.size(), -1);
        for (std::size_t n = 0; n < report.rows.size(); ++n) {
            auto it = index.find(report.rows[n].keys.back());
            if (it != index.end()) node_of_member[static_cast<std::size_t>(it->second)] = static_cast<int>(n);
        }
    }
    // Each part of the read (one per thread) tallies into its own arrays; they are added up after.
    // The node after the last is "(unplanned)".
    const std::size_t node_count = report.rows.size();
    const std::size_t grid_size = report.grid_periods.size();
    struct alignas(64) Tally {  // one cache line per thread
        std::vector<Minor> actual;
        std::vector<Minor> grid_actual;  // node × grid period
        std::size_t after_as_of = 0;
        std::size_t unplanned_outside = 0;
        bool unplanned = false;
        std::string key;
    };
    std::vector<Tally> tallies;
    ActualsOptions options = request.options;
    options.threads = std::max(1, request.threads);
    if (report.activity) options.counts = {report.tracked};
    const int wanted = report.activity ? kCountColumn : metric;
    for (const auto& file : request.actuals) {
        ActualsReader reader(plan, options);
        int position = -1;
        auto on_header = [&] {
            for (std::size_t m = 0; m < reader.metrics().size(); ++m)
                if (reader.metrics()[m] == wanted) position = static_cast<int>(m);
            if (position < 0)
                throw Error::input(
                    {file, 1, 0, ""},
                    fmt::format("no column for {} \"{}\"", report.activity ? "activity" : "metric", report.tracked),
                    fmt::format("map one: {} COLUMN={}", mention(Field::map), report.tracked));
            filter.prepare(reader, file);
            for (auto [d, depth] : key_levels) {
                const std::string& level =
                    plan.dimensions[static_cast<std::size_t>(d)].levels[static_cast<std::size_t>(depth)];
                if (reader.depth(static_cast<std::size_t>(d)) < depth)
                    throw Error::usage(
                        Field::by,
                        fmt::format("{}: {} has no column for \"{}\" (or a level below it)", level, file, level),
                        "add the column, or " + mention(Field::map) + " the one that holds it");
            }
            while (tallies.size() < static_cast<std::size_t>(reader.parts()))
                tallies.push_back(Tally{std::vector<Minor>(node_count + 1, 0),
                                        std::vector<Minor>((node_count + 1) * grid_size, 0),
                                        0,
                                        0,
                                        false,
                                        {}});
        };
        auto sink = [&](int part, const ActualRow& row) {
            Tally& t = tallies[static_cast<std::size_t>(part)];
            if (row.date > request.as_of) {
                ++t.after_as_of;
                return;
            }
            if (!filter.empty() && !filter.admits(row)) {
                for (int m : row.members)
                    if (m == kUnplanned) {
                        ++t.unplanned_outside;
                        break;
                    }
                return;
            }
            std::size_t node = node_count;  // (unplanned) unless a node is found
            // A row that names any member the plan does not have is unplanned at every grain by
            // members: a product the plan lacks is in no rep's target, whether or not products are
            // shown. (The whole plan's single row takes every sale, as its warning says.)
            bool names_unknown = !key_levels.empty() &&
                                 std::find(row.members.begin(), row.members.end(), kUnplanned) != row.members.end();
            if (names_unknown) {
                // stays (unplanned)
            } else if (one_dimension) {
                auto [d, depth] = key_levels.back();
                int m = row.members[static_cast<std::size_t>(d)];
                if (m != kUnplanned) {
                    const Dimension& dim = plan.dimensions[static_cast<std::size_t>(d)];
                    for (int k = reader.depth(static_cast<std::size_t>(d)); k > depth; --k)
                        m = dim.members[static_cast<std::size_t>(k)][static_cast<std::size_t>(m)].parent;
                    int direct = node_of_member[static_cast<std::size_t>(m)];
                    if (direct < 0) return;  // outside --where
                    node = static_cast<std::size_t>(direct);
                }
            } else {
                t.key.clear();
                bool known = true;
                for (auto [d, depth] : key_levels) {
                    int m = row.members[static_cast<std::size_t>(d)];
                    if (m == kUnplanned) {
                        known = false;
                        break;
                    }
                    const Dimension& dim = plan.dimensions[static_cast<std::size_t>(d)];
                    for (int k = reader.depth(static_cast<std::size_t>(d)); k > depth; --k)
                        m = dim.members[static_cast<std::size_t>(k)][static_cast<std::size_t>(m)].parent;
                    t.key.append(dim.members[static_cast<std::size_t>(depth)][static_cast<std::size_t>(m)].id);
                    t.key.push_back(kSeparator);
                }
                if (known) {
                    auto it = nodes.find(t.key);
                    if (it == nodes.end()) return;  // outside --where
                    node = it->second;
                }
            }
            if (node == node_count) t.unplanned = true;
            Minor amount = row.amounts[static_cast<std::size_t>(position)];
            t.actual[node] = checked_add(t.actual[node], amount);
            if (grid_size > 0) {
                int g = grid_of_day[static_cast<std::size_t>((row.date - plan.first).count())];
                if (g >= 0) t.grid_actual[node * grid_size + static_cast<std::size_t>(g)] += amount;
            }
        };
        reader.read(file, sink, on_header, stdin_stream);
        const ActualsSummary& s = reader.summary();
        report.actuals.rows += s.rows;
        report.actuals.skipped += s.skipped;
        report.actuals.unplanned += s.unplanned;
        for (const auto& [k, n] : s.unknown)
            report.actuals.unknown[k] += n;
        for (const auto& [k, n] : s.moved)
            report.actuals.moved[k] += n;
        report.actuals.problems.insert(report.actuals.problems.end(), s.problems.begin(), s.problems.end());
    }
    bool any_unplanned = false;
    for (const auto& t : tallies)
        any_unplanned = any_unplanned || t.unplanned;
    if (any_unplanned) {
        ProgressRow r;
        r.planned = false;
        r.keys.assign(key_count, kUnplannedKey);
        r.days_elapsed = report.days_elapsed;
        r.days_total = report.days_total;
        r.grid_target.assign(grid_size, 0);
        r.grid_actual.assign(grid_size, 0);
        report.rows.push_back(std::move(r));
    }
    for (const auto& t : tallies) {
        report.after_as_of += t.after_as_of;
        report.unplanned_outside += t.unplanned_outside;
        for (std::size_t n = 0; n < report.rows.size(); ++n) {
            ProgressRow& r = report.rows[n];
            r.actual = checked_add(r.actual, t.actual[n]);
            for (std::size_t g = 0; g < grid_size; ++g)
                r.grid_actual[g] += t.grid_actual[n * grid_size + g];
        }
    }
    return report;
}

}  // namespace tgt
