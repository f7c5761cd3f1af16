// "cross": ["region", "product"]: levels that each state their own totals, crossed under one
// parent. The reader makes one step per level, sharing a Crossing; crossing_plan.cpp computes the
// table once the plan's totals are final and turns it into holds the walk splits by.

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "plan_reader.hpp"

namespace tgt::detail {

void PlanReader::read_cross(const JsonValue& item, std::set<std::string>& used, std::vector<int>& next_depth) {
    check_keys(item, {"cross", "history", "if_all_zero", "note"});
    auto* list = field(item, "cross", Kind::array, true);
    if (!list) return;
    if (!plan_.steps.empty())
        error(*list, "a crossed step comes first in the split: its levels state totals of the plan's",
              "move {\"cross\": […]} to the top of \"split\"");
    if (list->items().size() != 2 && list->items().size() != 3)
        error(*list, fmt::format("\"cross\" names two or three levels, got {}", list->items().size()),
              "cross two levels, e.g. [\"region\", \"product\"], or three; split further levels below it");
    auto cross = std::make_shared<Crossing>();
    std::vector<Step> steps;
    bool bad = false;
    for (const auto& v : list->items()) {
        if (!expect_kind(v, Kind::string, "a level name")) {
            bad = true;
            continue;
        }
        Step step;
        step.level = v.text;
        step.where = at(item);
        if (!locate_level(step.level, step) || step.kind != Step::Kind::dimension) {
            std::vector<std::string> names;
            for (const auto& d : plan_.dimensions)
                names.push_back(d.levels.front());
            std::string guess = did_you_mean(step.level, names);
            error(v, fmt::format("\"cross\": \"{}\" is not a dimension level", step.level),
                  guess.empty() ? "top levels: " + join(names) : fmt::format("did you mean \"{}\"?", guess));
            bad = true;
            continue;
        }
        // Named here: its levels are not reported missing from the split as well.
        auto& dimension = plan_.dimensions[static_cast<std::size_t>(step.dimension)];
        next_depth[static_cast<std::size_t>(step.dimension)] = static_cast<int>(dimension.levels.size());
        if (step.depth != 0) {
            error(v,
                  fmt::format("\"cross\": \"{}\" is not the top level of dimension \"{}\"", step.level,
                              plan_.dimensions[static_cast<std::size_t>(step.dimension)].id),
                  "cross the top levels of two dimensions; split the levels below them after the crossed step");
            bad = true;
            continue;
        }
        if (std::count(cross->dimensions.begin(), cross->dimensions.end(), step.dimension) > 0 ||
            !used.insert(step.level).second) {
            error(v, fmt::format("level \"{}\" appears twice in the split", step.level));
            bad = true;
            continue;
        }
        next_depth[static_cast<std::size_t>(step.dimension)] = 1;
        cross->levels.push_back(step.level);
        cross->dimensions.push_back(step.dimension);
        steps.push_back(std::move(step));
    }
    if (auto* z = field(item, "if_all_zero", Kind::string)) {
        if (z->text == "equal")
            cross->equal_if_all_zero = true;
        else if (z->text != "error")
            error(*z, "if_all_zero is \"equal\" or \"error\"");
        if (!item.find("history")) warning(*z, "\"if_all_zero\" applies to a crossed \"history\"");
    }
    if (bad || steps.size() != list->items().size() || steps.size() < 2 || steps.size() > 3) return;
    if (auto* h = item.find("history")) {
        if (steps.size() == 2)
            read_cross_history(*h, *cross);
        else
            error(*h, "a history table crosses two levels; three are crossed by their totals alone",
                  "drop \"history\", or cross two levels");
    }
    for (auto& step : steps) {
        cross->steps.push_back(static_cast<int>(plan_.steps.size()));
        step.cross = cross;
        plan_.steps.push_back(std::move(step));
    }
}

// "history": {"file", "column", "key": [row column, column column]}: last year's table, raked.
void PlanReader::read_cross_history(const JsonValue& h, Crossing& cross) {
    if (!expect_kind(h, Kind::object, "a history table {\"file\", \"column\"}")) return;
    check_keys(h, {"file", "column", "key"});
    auto* file = field(h, "file", Kind::string, true);
    auto* column = field(h, "column", Kind::string, true);
    std::vector<std::pair<std::string, const JsonValue*>> keys;  // column name, where it is named
    if (auto* k = field(h, "key", Kind::array)) {
        if (k->items().size() != cross.levels.size())
            error(*k, fmt::format("\"key\" names one column per crossed level ({})", cross.levels.size()));
        for (const auto& v : k->items())
            if (expect_kind(v, Kind::string, "a column name")) keys.emplace_back(v.text, &v);
    } else {
        for (const auto& level : cross.levels)
            keys.emplace_back(level, &h);
    }
    if (!file || !column || keys.size() != cross.levels.size()) return;
    auto table = read_csv_at(*file);
    if (!table) return;
    int value_col = table->column(column->text);
    if (value_col < 0) missing_column(*column, *table, column->text);
    std::vector<int> key_cols;
    for (const auto& [name, where] : keys) {
        key_cols.push_back(table->column(name));
        if (key_cols.back() < 0) missing_column(*where, *table, name);
    }
    if (value_col < 0 || std::count(key_cols.begin(), key_cols.end(), -1) > 0) return;
    std::vector<std::map<std::string, std::size_t>> index(2);
    std::vector<std::size_t> sizes;
    for (std::size_t a = 0; a < 2; ++a) {
        const auto& level = plan_.dimensions[static_cast<std::size_t>(cross.dimensions[a])].members[0];
        for (std::size_t i = 0; i < level.size(); ++i)
            index[a].emplace(level[i].id, i);
        sizes.push_back(level.size());
    }
    cross.history_file = table->file;
    cross.history.assign(sizes[0] * sizes[1], 0.0);
    std::size_t unknown = 0;
    std::string first_unknown;
    for (std::size_t r = 0; r < table->rows.size(); ++r) {
        const auto& row = table->rows[r];
        SourceLocation where{table->file, table->lines[r], 0, ""};
        auto w = history_weight(row[static_cast<std::size_t>(value_col)], column->text, where);
        if (!w) continue;
        auto i = index[0].find(row[static_cast<std::size_t>(key_cols[0])]);
        auto j = index[1].find(row[static_cast<std::size_t>(key_cols[1])]);
        if (i == index[0].end() || j == index[1].end()) {
            if (unknown++ == 0)
                first_unknown =
                    row[static_cast<std::size_t>(key_cols[0])] + " × " + row[static_cast<std::size_t>(key_cols[1])];
            continue;
        }
        // Several rows for one cell: their sum.
        cross.history[i->second * sizes[1] + j->second] +=
            static_cast<double>(w->mantissa) / static_cast<double>(pow10_wide(w->scale));
    }
    if (unknown > 0)
        warning(*file, fmt::format("{} row(s) of {} match no {} × {} of the plan (first: \"{}\"); they are ignored",
                                   unknown, table->file, cross.levels[0], cross.levels[1], first_unknown));
}

}  // namespace tgt::detail
