// Two versions of a plan compared cell by cell: each plan split once into a node × period table
// (node_table.hpp), the nodes matched by their ids, and every cell's old, new and change.

#include "tgt/plan_diff.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "tgt/fraction.hpp"

namespace tgt {

namespace {

// The metric compared, checked in both plans: an Error when it is a rate (held, not split).
int compared_metric(const Plan& old_plan, const Plan& new_plan, const std::string& requested) {
    const std::string id = requested.empty() ? old_plan.metrics.front().id : requested;
    for (const Plan* plan : {&old_plan, &new_plan})
        if (plan->metric_index(id) < 0) {
            std::vector<std::string> ids = plan->metric_ids();
            std::string guess = did_you_mean(id, ids);
            throw Error::usage(Field::metric, fmt::format("{}: no such metric in {}", id, plan->file),
                               guess.empty() ? "metrics: " + fmt::format("{}", fmt::join(ids, ", "))
                                             : fmt::format("did you mean \"{}\"?", guess));
        }
    const int m = old_plan.metric_index(id);
    if (old_plan.metrics[static_cast<std::size_t>(m)].rate)
        throw Error::usage(Field::metric, fmt::format("{}: a rate, held at every level rather than split", id),
                           "diff compares amounts: choose a metric such as " + old_plan.metrics.front().id);
    return m;
}

// Every way the new plan counts a metric otherwise than the old plan (decimals, quantum,
// unit, kind), one diagnostic per difference at the new plan's metric.
void compare_metric(const Metric& was, const Metric& is, const Plan& old_plan, Diagnostics& problems) {
    auto differ = [&](std::string_view what, const std::string& here, const std::string& there) {
        problems.error(is.where,
                       fmt::format("metric \"{}\": {} {} here, {} in {}", is.id, what, here, there, old_plan.file),
                       "both plans must count the metric the same way: a diff compares amounts of one kind");
    };
    if (was.decimals != is.decimals)
        differ("decimals", std::to_string(is.decimals), std::to_string(was.decimals));
    else if (was.quantum != is.quantum)
        differ("quantum", format_minor(is.quantum, is.decimals), format_minor(was.quantum, was.decimals));
    if (was.unit != is.unit) differ("unit", fmt::format("\"{}\"", is.unit), fmt::format("\"{}\"", was.unit));
    auto kind = [](const Metric& m) { return std::string(m.rate ? "a rate" : m.money ? "money" : "a count"); };
    if (kind(was) != kind(is)) differ("is", kind(is), kind(was));
}

// Every way the two plans cannot be compared: metrics one of them lacks or counts otherwise, and
// different periods.
void check_comparable(const Plan& old_plan, const Plan& new_plan, const DiffRequest& request) {
    Diagnostics problems;
    for (const Metric& m : old_plan.metrics)
        if (new_plan.metric_index(m.id) < 0)
            problems.error(m.where, fmt::format("metric \"{}\" is not in {}", m.id, new_plan.file),
                           "both plans must have the same metrics");
    for (const Metric& m : new_plan.metrics) {
        const int was = old_plan.metric_index(m.id);
        if (was < 0)
            problems.error(m.where, fmt::format("metric \"{}\" is not in {}", m.id, old_plan.file),
                           "both plans must have the same metrics");
        else
            compare_metric(old_plan.metrics[static_cast<std::size_t>(was)], m, old_plan, problems);
    }
    if (old_plan.first != new_plan.first || old_plan.last != new_plan.last)
        problems.error(SourceLocation{new_plan.file, 0, 0, {}},
                       fmt::format("the plans cover different periods: {} {} … {}, {} {} … {}", old_plan.file,
                                   format_date(old_plan.first), format_date(old_plan.last), new_plan.file,
                                   format_date(new_plan.first), format_date(new_plan.last)),
                       "diff compares two versions of one plan's period");
    else if (request.period && old_plan.fiscal_start_month != new_plan.fiscal_start_month)
        problems.error(
            SourceLocation{new_plan.file, 0, 0, {}},
            fmt::format("the plans' years start in different months: {} in month {}, {} in month {}", old_plan.file,
                        old_plan.fiscal_start_month, new_plan.file, new_plan.fiscal_start_month),
            "their periods have different labels: compare without a period");
    problems.throw_if_errors();
}

// The request's levels (every dimension level the old plan splits by, when it names none), each
// checked to be a level of both plans or of neither (the split then says what is wrong with it).
std::vector<std::string> diff_levels(const Plan& old_plan, const Plan& new_plan, const DiffRequest& request) {
    std::vector<std::string> by = request.by;
    if (by.empty())
        for (const auto& step : old_plan.steps)
            if (step.kind == Step::Kind::dimension) by.push_back(step.level);
    Diagnostics problems;
    for (const auto& level : by) {
        const bool in_old = old_plan.step_index(level) >= 0, in_new = new_plan.step_index(level) >= 0;
        if (in_old != in_new)
            problems.error(
                SourceLocation{(in_old ? new_plan : old_plan).file, 0, 0, {}},
                fmt::format("no level \"{}\", which {} splits by", level, (in_old ? old_plan : new_plan).file),
                "both plans must split by the same levels");
    }
    problems.throw_if_errors();
    return by;
}

// The split each plan is tabled by.
SplitRequest table_split(const std::vector<std::string>& by, const DiffRequest& request, const Plan& plan, int metric) {
    SplitRequest split;
    split.by = by;
    split.period = request.period;
    split.metrics = {plan.metrics[static_cast<std::size_t>(metric)].id};
    split.threads = 1;
    return split;
}

// Removed and added nodes of two or more ids that end in the same id, when that id ends exactly one
// removed node and one added node: moves.
void find_moves(PlanDiff& diff, std::size_t old_nodes, const std::vector<std::optional<std::size_t>>& in_new) {
    if (diff.key_columns.size() < 2) return;
    std::map<std::string_view, std::pair<std::vector<std::size_t>, std::vector<std::size_t>>> by_last_id;
    for (std::size_t n = 0; n < diff.nodes.size(); ++n) {
        if (diff.nodes[n].back().starts_with('(')) continue;  // "(unassigned)" is no one
        const bool removed = n < old_nodes && !in_new[n], added = n >= old_nodes;
        if (removed) by_last_id[diff.nodes[n].back()].first.push_back(n);
        if (added) by_last_id[diff.nodes[n].back()].second.push_back(n);
    }
    for (const auto& [id, pair] : by_last_id)
        if (pair.first.size() == 1 && pair.second.size() == 1) diff.moves.push_back({pair.first[0], pair.second[0]});
    std::sort(diff.moves.begin(), diff.moves.end(),
              [](const DiffMove& a, const DiffMove& b) { return a.from < b.from; });
}

// Every node of either table, each cell's amounts and status; totals and counts.
void match_cells(const NodeTable& was, const NodeTable& is, PlanDiff& diff) {
    const std::size_t periods = diff.periods.size();
    std::vector<std::optional<std::size_t>> in_new;  // per node of the diff
    for (std::size_t n = 0; n < was.nodes().size(); ++n) {
        diff.nodes.push_back(was.nodes().key(n));
        in_new.push_back(is.nodes().find(std::span<const std::string>(was.nodes().key(n))));
    }
    std::vector<bool> seen(is.nodes().size(), false);
    for (const auto& n : in_new)
        if (n) seen[*n] = true;
    for (std::size_t n = 0; n < is.nodes().size(); ++n)
        if (!seen[n]) {
            diff.nodes.push_back(is.nodes().key(n));
            in_new.emplace_back(n);
        }
    const std::size_t old_nodes = was.nodes().size();
    diff.cells.reserve(diff.nodes.size() * periods);
    for (std::size_t n = 0; n < diff.nodes.size(); ++n)
        for (std::size_t p = 0; p < periods; ++p) {
            DiffCell cell;
            cell.node = n;
            cell.period = p;
            if (n < old_nodes) cell.old_amount = was.at(n, p);
            if (in_new[n]) cell.new_amount = is.at(*in_new[n], p);
            cell.status = !cell.old_amount   ? DiffStatus::added
                          : !cell.new_amount ? DiffStatus::removed
                          : cell.change()    ? DiffStatus::changed
                                             : DiffStatus::unchanged;
            diff.old_total = checked_add(diff.old_total, cell.old_amount.value_or(0));
            diff.new_total = checked_add(diff.new_total, cell.new_amount.value_or(0));
            ++diff.counts[static_cast<std::size_t>(cell.status)];
            diff.cells.push_back(cell);
        }
    find_moves(diff, old_nodes, in_new);
}

Minor magnitude(Minor v) {
    return v < 0 ? -v : v;
}

}  // namespace

std::string_view diff_status_name(DiffStatus status) {
    switch (status) {
        case DiffStatus::added:
            return "added";
        case DiffStatus::removed:
            return "removed";
        case DiffStatus::changed:
            return "changed";
        case DiffStatus::unchanged:
            return "unchanged";
    }
    return "";
}

bool PlanDiff::changed() const {
    return counts[static_cast<std::size_t>(DiffStatus::unchanged)] != cells.size();
}

std::optional<Minor> change_pct(std::optional<Minor> old_amount, Minor change) {
    if (!old_amount || *old_amount == 0) return std::nullopt;
    return divide_rounded(static_cast<Wide>(change) * 100, *old_amount, 2);
}

PlanDiff diff_plans(const Decomposition& old_plan, const Decomposition& new_plan, const DiffRequest& request) {
    const Plan& was = old_plan.plan();
    const Plan& is = new_plan.plan();
    check_comparable(was, is, request);
    const int metric = compared_metric(was, is, request.metric);
    const std::vector<std::string> by = diff_levels(was, is, request);
    const SplitRequest old_split = table_split(by, request, was, metric);
    const SplitRequest new_split = table_split(by, request, is, metric);
    const SplitLayout old_layout = old_plan.layout(old_split), new_layout = new_plan.layout(new_split);
    if (old_layout.key_columns != new_layout.key_columns)
        throw Error({Diagnostic{
            Severity::error, SourceLocation{is.file, 0, 0, {}},
            fmt::format("the plans key their cells by different levels: {} by {}, {} by {}", was.file,
                        fmt::join(old_layout.key_columns, ", "), is.file, fmt::join(new_layout.key_columns, ", ")),
            "name the levels both plans have with " + mention(Field::by)}});

    PlanDiff diff;
    const Metric& m = was.metrics[static_cast<std::size_t>(metric)];
    diff.metric = m.id;
    diff.metric_name = m.name;
    diff.decimals = m.decimals;
    diff.money = m.money;
    diff.key_columns = old_layout.key_columns;
    if (request.period) {
        diff.key_columns.pop_back();  // "period"
        diff.period_level = std::string(time_level_name(*request.period));
    }
    const NodeTable old_table(old_plan, old_split);
    const NodeTable new_table(new_plan, new_split);
    diff.periods = old_table.periods();
    match_cells(old_table, new_table, diff);
    // Largest change first; ties in node order (the old plan's, then the new nodes), then by date.
    std::stable_sort(diff.cells.begin(), diff.cells.end(), [](const DiffCell& a, const DiffCell& b) {
        return magnitude(a.change()) > magnitude(b.change());
    });
    return diff;
}

std::vector<Column> diff_columns(const PlanDiff& diff, Lang lang) {
    std::vector<Column> columns;
    for (const auto& k : diff.key_columns)
        columns.push_back(Column{k, false, 0});
    if (!diff.period_level.empty()) columns.push_back(Column{"period", false, 0});
    for (const char* name : {"old", "new", "change"}) {
        Column c{name, true, diff.decimals};
        c.scaled = diff.money;
        columns.push_back(c);
    }
    columns.push_back(Column{"change_pct", true, 2, false, false});
    columns.push_back(Column{"status", false, 0});
    if (lang != Lang::en)
        for (auto& c : columns)
            c.title = std::string(label(lang, c.name == "change_pct" ? "change %" : std::string_view(c.name)));
    return columns;
}

std::size_t diff_rows(const PlanDiff& diff, bool all) {
    return all ? diff.cells.size() : diff.cells.size() - diff.counts[static_cast<std::size_t>(DiffStatus::unchanged)];
}

void write_diff(const PlanDiff& diff, TableWriter& writer, const DiffTableOptions& options) {
    const Lang lang = options.lang;
    const bool periods = !diff.period_level.empty();
    writer.begin(diff_columns(diff, lang));
    std::vector<Cell> row;
    auto amounts = [&](std::optional<Minor> was, std::optional<Minor> is, Minor change) {
        row.push_back(Cell{{}, was.value_or(0), was.has_value()});
        row.push_back(Cell{{}, is.value_or(0), is.has_value()});
        row.push_back(Cell{{}, change, true});
        const std::optional<Minor> pct = change_pct(was, change);
        row.push_back(Cell{{}, pct.value_or(0), pct.has_value()});
    };
    for (const DiffCell& cell : diff.cells) {
        if (cell.status == DiffStatus::unchanged && !options.all) continue;
        row.clear();
        for (const auto& id : diff.nodes[cell.node])
            row.push_back(Cell{id, 0, true});
        if (periods) row.push_back(Cell{diff.periods[cell.period].label, 0, true});
        amounts(cell.old_amount, cell.new_amount, cell.change());
        row.push_back(Cell{label(lang, diff_status_name(cell.status)), 0, true});
        writer.row(row);
    }
    // "Total" heads the totals row, in the status column when there is no key or period column.
    const std::string_view total = label(lang, "Total");
    row.clear();
    for (std::size_t k = 0; k < diff.key_columns.size() + (periods ? 1 : 0); ++k)
        row.push_back(Cell{k == 0 ? total : std::string_view(), 0, true});
    amounts(diff.old_total, diff.new_total, diff.total_change());
    row.push_back(Cell{row.size() == 4 ? total : std::string_view(), 0, true});
    writer.total(row);
    writer.end();
}

Table diff_table(const PlanDiff& diff, const DiffTableOptions& options) {
    TableCollector collector;
    write_diff(diff, collector, options);
    return std::move(collector.table);
}

}  // namespace tgt
