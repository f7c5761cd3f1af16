// A split as a cross table: the --by cells down, one level's members across, totals both ways.

#include "tgt/cross_tab.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <optional>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include "tgt/calendar.hpp"
#include "tgt/error.hpp"

namespace tgt {

namespace {

// The one metric a cross table shows: the request's only one, or the plan's first.
void one_metric(const Plan& plan, SplitRequest& request, std::string_view across) {
    if (request.metrics.size() > 1)
        throw Error::usage(
            fmt::format("--across {}: one metric at a time, not {}", across, fmt::join(request.metrics, ", ")),
            "choose one with --metric, e.g. --metric " + request.metrics[0]);
    if (request.metrics.empty() && !plan.metrics.empty()) request.metrics.push_back(plan.metrics[0].id);
    if (request.with_task) throw Error::usage(fmt::format("--across {}: --show-task is not shown across", across));
}

// The labels across, in order: the level's members as the plan declares them, or its periods by date.
std::vector<std::string> across_labels(const Plan& plan, std::string_view across, std::optional<TimeLevel> time) {
    std::vector<std::string> out;
    if (time) {
        for (const auto& p : periods_between(*time, plan.first, plan.last, plan.fiscal_start_month))
            out.push_back(p.label);
        return out;
    }
    int index = plan.step_index(across);
    if (index < 0) return out;  // the layout has already refused the level
    const Step& step = plan.steps[static_cast<std::size_t>(index)];
    if (step.kind != Step::Kind::dimension) return out;
    for (const auto& member :
         plan.dimensions[static_cast<std::size_t>(step.dimension)].members[static_cast<std::size_t>(step.depth)])
        out.push_back(member.id.str());
    return out;
}

// The rows as the split gives them: each distinct cell of the other keys, first seen first.
struct Grid {
    std::vector<std::vector<std::string>> keys;
    std::vector<std::vector<std::optional<Minor>>> cells;  ///< by row, then by label across
    std::vector<bool> reached;                             ///< by label across
};

Grid collect(const Decomposition& decomposition, const SplitRequest& request, std::size_t across_key,
             std::size_t channel, const std::vector<std::string>& labels) {
    Grid grid;
    grid.reached.assign(labels.size(), false);
    std::unordered_map<std::string_view, std::size_t> column;
    for (std::size_t i = 0; i < labels.size(); ++i)
        column.emplace(labels[i], i);
    std::unordered_map<std::string, std::size_t> row_of;
    std::string joined;
    decomposition.run(request, [&](const SplitRow& row) {
        joined.clear();
        for (std::size_t k = 0; k < row.keys.size(); ++k)
            if (k != across_key) joined.append(row.keys[k]).push_back('\0');
        auto [at, added] = row_of.emplace(joined, grid.keys.size());
        if (added) {
            std::vector<std::string> keys;
            for (std::size_t k = 0; k < row.keys.size(); ++k)
                if (k != across_key) keys.emplace_back(row.keys[k]);
            grid.keys.push_back(std::move(keys));
            grid.cells.emplace_back(labels.size());
        }
        auto c = column.find(row.keys[across_key]);
        if (c == column.end()) throw std::logic_error("cross_tab: a key across that its level does not hold");
        auto& cell = grid.cells[at->second][c->second];
        cell = cell.value_or(0) + row.amounts[channel];
        grid.reached[c->second] = true;
    });
    return grid;
}

}  // namespace

Table cross_tab(const Decomposition& decomposition, SplitRequest request, std::string_view across, Lang lang) {
    const Plan& plan = decomposition.plan();
    std::optional<TimeLevel> time = parse_time_level(across);
    if (time) {
        if (request.period && *request.period != *time)
            throw Error::usage(fmt::format("--across {} and --period {}: the periods across are the time grain", across,
                                           time_level_name(*request.period)),
                               fmt::format("leave out --period (--across {} splits by {})", across, across));
        request.period = time;
    } else {
        if (plan.step_index(across) < 0) {
            std::vector<std::string> levels;
            for (const auto& step : plan.steps)
                if (step.kind == Step::Kind::dimension) levels.push_back(step.level);
            throw Error::usage(fmt::format("--across {}: no such level", across),
                               fmt::format("levels: {}, or a time level (month, quarter…)", fmt::join(levels, ", ")));
        }
        if (std::find(request.by.begin(), request.by.end(), across) != request.by.end())
            throw Error::usage(fmt::format("--across {}: {} is also in --by", across, across),
                               "a level is either down (--by) or across, not both");
        request.by.emplace_back(across);
    }
    one_metric(plan, request, across);
    SplitLayout layout = decomposition.layout(request);
    // The layout may carry other metrics along (a rate's weight): the channel is the asked one's.
    const int metric_index = plan.metric_index(request.metrics.at(0));
    auto channel_at = std::find(layout.metrics.begin(), layout.metrics.end(), metric_index);
    if (channel_at == layout.metrics.end()) throw std::logic_error("cross_tab: the metric is not in the layout");
    const auto channel = static_cast<std::size_t>(channel_at - layout.metrics.begin());
    const Metric& metric = plan.metrics[static_cast<std::size_t>(metric_index)];
    if (metric.rate)
        throw Error::usage(fmt::format("--across {}: {} is a rate, which does not add up across", across, metric.id),
                           "choose an amount with --metric");
    const std::string across_key_name = time ? "period" : std::string(across);
    auto key_at = std::find(layout.key_columns.begin(), layout.key_columns.end(), across_key_name);
    const auto across_key = static_cast<std::size_t>(key_at - layout.key_columns.begin());
    const std::vector<std::string> labels = across_labels(plan, across, time);
    Grid grid = collect(decomposition, request, across_key, channel, labels);

    Table table;
    for (std::size_t k = 0; k < layout.key_columns.size(); ++k) {
        if (k == across_key) continue;
        table.columns.push_back(Column{layout.key_columns[k], false, 0});
        if (layout.key_columns[k] == "period") table.columns.back().title = std::string(label(lang, "period"));
    }
    const std::size_t key_count = table.columns.size();
    const Column amount{"", true, metric.decimals, true, metric.money};
    std::vector<std::size_t> shown;  // the labels across that the split reached
    for (std::size_t i = 0; i < labels.size(); ++i)
        if (grid.reached[i]) {
            shown.push_back(i);
            table.columns.push_back(amount);
            table.columns.back().name = labels[i];
        }
    table.columns.push_back(amount);
    table.columns.back().name = "total";
    table.columns.back().title = std::string(label(lang, "Total"));

    std::vector<Minor> sums(shown.size() + 1, 0);
    for (std::size_t r = 0; r < grid.keys.size(); ++r) {
        std::vector<TableCell> row;
        for (auto& k : grid.keys[r])
            row.push_back(text_cell(std::move(k)));
        Minor total = 0;
        for (std::size_t s = 0; s < shown.size(); ++s) {
            const auto& cell = grid.cells[r][shown[s]];
            row.push_back(optional_cell(cell));
            total += cell.value_or(0);
            sums[s] += cell.value_or(0);
        }
        row.push_back(amount_cell(total));
        sums.back() += total;
        table.rows.push_back(std::move(row));
    }
    if (key_count > 0) {  // without keys, one row, the plan's own: a total row would repeat it
        std::vector<TableCell> row(key_count, text_cell(""));
        row[0] = text_cell(std::string(label(lang, "Total")));
        for (Minor s : sums)
            row.push_back(amount_cell(s));
        table.rows.push_back(std::move(row));
    }
    return table;
}

}  // namespace tgt
