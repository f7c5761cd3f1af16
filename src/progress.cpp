// Progress: targets from the plan's own split (to the day where the plan has days), actuals
// streamed into the same nodes, and the measures derived from them, exactly.

#include "tgt/progress.hpp"

#include <fmt/format.h>

#include <span>
#include <unordered_map>

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

std::optional<Minor> ProgressReport::forecast_by_pace(const ProgressRow& r) const {
    if (r.target_to_date == 0) return std::nullopt;
    return divide_rounded(static_cast<Wide>(r.target) * r.actual, r.target_to_date, 0);
}

std::optional<Minor> ProgressReport::forecast_run_rate(const ProgressRow& r) const {
    if (days_elapsed == 0) return std::nullopt;
    return divide_rounded(static_cast<Wide>(r.actual) * days_total, days_elapsed, 0);
}

std::optional<Minor> ProgressReport::required_daily(const ProgressRow& r) const {
    int remaining = days_total - days_elapsed;
    if (remaining <= 0) return std::nullopt;
    Minor gap_left = std::max<Minor>(gap(r), 0);
    return (gap_left + remaining - 1) / remaining;
}

Status ProgressReport::status(const ProgressRow& r) const {
    return r.planned ? status_of(r.actual, r.target_to_date) : Status::none;
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

}  // namespace

ProgressReport progress(const Decomposition& decomposition, const ProgressRequest& request, std::FILE* stdin_stream) {
    const Plan& plan = decomposition.plan();
    ProgressReport report;
    report.thresholds = plan.status;
    int metric = -1;
    if (request.metric.empty()) {
        for (std::size_t m = 0; m < plan.metrics.size() && metric < 0; ++m)
            if (!plan.metrics[m].rate && plan.metrics[m].stretch_of < 0) metric = static_cast<int>(m);
    } else {
        metric = plan.metric_index(request.metric);
        if (metric < 0 || plan.metrics[static_cast<std::size_t>(metric)].rate)
            throw Error::usage(fmt::format("--metric {}: no such money or count metric", request.metric),
                               "metrics: " + fmt::format("{}", fmt::join(plan.metric_ids(), ", ")));
    }
    if (metric < 0) throw Error::usage("the plan has no money or count metric to track");
    report.metric = metric;
    report.decimals = plan.metrics[static_cast<std::size_t>(metric)].decimals;
    if (request.as_of < plan.first || request.as_of > plan.last)
        throw Error::usage(fmt::format("--as-of {}: outside the plan's period ({} … {})", format_date(request.as_of),
                                       format_date(plan.first), format_date(plan.last)));
    for (const auto& f : request.where) {
        int s = plan.step_index(f.level);
        if (s >= 0 && plan.steps[static_cast<std::size_t>(s)].kind == Step::Kind::time)
            throw Error::usage(fmt::format("--where {}={}: progress filters dimension levels", f.level, f.value),
                               "the report covers the plan's period to --as-of");
    }
    report.days_total = plan.calendar.working_days(plan.first, plan.last);
    report.days_elapsed = plan.calendar.working_days(plan.first, request.as_of);

    // Targets: split to the plan's finest time level; the period holding the as-of date counts its
    // working days up to it (for a plan split to days, that is exactly its days up to it).
    std::optional<TimeLevel> finest;
    for (const auto& step : plan.steps)
        if (step.kind == Step::Kind::time) finest = step.time;
    SplitRequest split;
    split.by = request.by;
    split.where = request.where;
    split.metrics = {plan.metrics[static_cast<std::size_t>(metric)].id};
    split.period = finest;
    SplitLayout layout = decomposition.layout(split);
    std::size_t key_count = layout.key_columns.size() - (finest ? 1 : 0);
    report.key_columns.assign(layout.key_columns.begin(),
                              layout.key_columns.begin() + static_cast<std::ptrdiff_t>(key_count));
    std::unordered_map<std::string, Period> periods;
    if (finest)
        for (auto& p : periods_between(*finest, plan.first, plan.last, plan.fiscal_start_month))
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
    decomposition.run(split, [&](const SplitRow& row) {
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
        ProgressRow& r = report.rows[last_node];
        Minor amount = row.amounts[0];
        r.target += amount;
        Period p{TimeLevel::year, plan.first, plan.last, ""};
        if (finest) p = periods.at(std::string(row.keys[key_count]));
        if (p.last <= request.as_of) {
            r.target_to_date += amount;
        } else if (p.first <= request.as_of) {
            int n = plan.calendar.working_days(p.first, p.last), k = plan.calendar.working_days(p.first, request.as_of);
            if (n == 0) {  // a period without working days: by calendar days
                n = static_cast<int>((p.last - p.first).count() + 1);
                k = static_cast<int>((request.as_of - p.first).count() + 1);
            }
            r.target_to_date += first_days(amount, n, k);
        }
    });

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

    // Actuals: each row to the node of its members at the grain; unknown members to "(unplanned)".
    std::vector<std::pair<int, int>> key_levels;  // per key column: dimension, depth
    for (const auto& column : report.key_columns) {
        int s = plan.step_index(column);
        const Step& step = plan.steps[static_cast<std::size_t>(s)];
        key_levels.emplace_back(step.dimension, step.depth);
    }
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
    std::optional<std::size_t> unplanned;
    for (const auto& file : request.actuals) {
        ActualsReader reader(plan, request.options);
        int position = -1;
        bool checked = false;
        reader.read(
            file,
            [&](const ActualRow& row) {
                if (!checked) {  // the header is matched by now
                    for (std::size_t m = 0; m < reader.metrics().size(); ++m)
                        if (reader.metrics()[m] == metric) position = static_cast<int>(m);
                    if (position < 0)
                        throw Error::input(
                            {file, row.line, 0, ""},
                            fmt::format("no column for metric \"{}\"",
                                        plan.metrics[static_cast<std::size_t>(metric)].id),
                            fmt::format("map one: --map COLUMN={}", plan.metrics[static_cast<std::size_t>(metric)].id));
                    for (auto [d, depth] : key_levels)
                        if (reader.depth(static_cast<std::size_t>(d)) < depth)
                            throw Error::usage(fmt::format("--by {}: {} has no column for \"{}\" (or a level below it)",
                                                           plan.dimensions[static_cast<std::size_t>(d)]
                                                               .levels[static_cast<std::size_t>(depth)],
                                                           file,
                                                           plan.dimensions[static_cast<std::size_t>(d)]
                                                               .levels[static_cast<std::size_t>(depth)]),
                                               "add the column, or --map the one that holds it");
                    checked = true;
                }
                if (row.date > request.as_of) {
                    ++report.after_as_of;
                    return;
                }
                key.clear();
                bool is_unplanned = false;
                int direct = -1;  // the node, found through node_of_member
                if (one_dimension) {
                    auto [d, depth] = key_levels.back();
                    int m = row.members[static_cast<std::size_t>(d)];
                    if (m == kUnplanned) {
                        is_unplanned = true;
                    } else {
                        const Dimension& dim = plan.dimensions[static_cast<std::size_t>(d)];
                        for (int k = reader.depth(static_cast<std::size_t>(d)); k > depth; --k)
                            m = dim.members[static_cast<std::size_t>(k)][static_cast<std::size_t>(m)].parent;
                        direct = node_of_member[static_cast<std::size_t>(m)];
                        if (direct < 0) return;  // outside --where
                    }
                }
                for (auto [d, depth] : one_dimension ? std::span<const std::pair<int, int>>{} : std::span(key_levels)) {
                    int m = row.members[static_cast<std::size_t>(d)];
                    if (m == kUnplanned) {
                        is_unplanned = true;
                        break;
                    }
                    const Dimension& dim = plan.dimensions[static_cast<std::size_t>(d)];
                    for (int k = reader.depth(static_cast<std::size_t>(d)); k > depth; --k)
                        m = dim.members[static_cast<std::size_t>(k)][static_cast<std::size_t>(m)].parent;
                    key.append(dim.members[static_cast<std::size_t>(depth)][static_cast<std::size_t>(m)].id);
                    key.push_back(kSeparator);
                }
                Minor amount = row.amounts[static_cast<std::size_t>(position)];
                std::size_t target_row;
                if (is_unplanned) {
                    if (!unplanned) {
                        unplanned = report.rows.size();
                        ProgressRow r;
                        r.planned = false;
                        r.keys.assign(key_count, kUnplannedKey);
                        r.grid_target.assign(report.grid_periods.size(), 0);
                        r.grid_actual.assign(report.grid_periods.size(), 0);
                        report.rows.push_back(std::move(r));
                    }
                    target_row = *unplanned;
                } else if (direct >= 0) {
                    target_row = static_cast<std::size_t>(direct);
                } else {
                    auto it = nodes.find(key);
                    if (it == nodes.end()) return;  // outside --where
                    target_row = it->second;
                }
                ProgressRow& r = report.rows[target_row];
                r.actual = checked_add(r.actual, amount);
                if (!grid_of_day.empty()) {
                    int g = grid_of_day[static_cast<std::size_t>((row.date - plan.first).count())];
                    if (g >= 0) r.grid_actual[static_cast<std::size_t>(g)] += amount;
                }
            },
            stdin_stream);
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
    return report;
}

}  // namespace tgt
