// "per" on a `by: history` time step: history keyed by member × period, one curve per member of a
// dimension level split above the step. Each curve becomes an override of the step ("where":
// {level: member}), after the plan's own overrides, so the engine needs nothing new.

#include <fmt/format.h>

#include <unordered_map>

#include "plan_reader.hpp"
#include "tgt/seasonality.hpp"

namespace tgt::detail {

namespace {

// "A, B, C and 4 more".
std::string some_names(const std::vector<std::string>& names, std::size_t limit = 6) {
    std::vector<std::string> shown(names.begin(),
                                   names.begin() + static_cast<std::ptrdiff_t>(std::min(limit, names.size())));
    std::string out = join(shown);
    if (names.size() > limit) out += fmt::format(" and {} more", names.size() - limit);
    return out;
}

// A curve's weight. Messages about it point at its override (the member's first row), so the
// share carries no place of its own: one string less per member and period.
Share weight_of(const Decimal& value) {
    Share s;
    s.kind = Share::Kind::ratio;
    s.value = value;
    return s;
}

}  // namespace

// The dimension level "per" names, which must be split before this step.
bool PlanReader::member_history_level(const JsonValue& per, const Step& step, int& dimension, int& depth) {
    if (step.kind != Step::Kind::time) {
        error(
            per,
            fmt::format("\"per\" gives each member its own curve over periods; \"{}\" is not a time level", step.level),
            "put \"per\" on the time step below the level, e.g. {\"level\": \"month\", \"by\": \"history\", "
            "\"per\": \"product\", …}");
        return false;
    }
    Step probe;
    if (!locate_level(std::string(per.text), probe) || probe.kind != Step::Kind::dimension) {
        std::vector<std::string> names;
        for (const auto& d : plan_.dimensions)
            names.insert(names.end(), d.levels.begin(), d.levels.end());
        std::string guess = did_you_mean(per.text, names);
        error(per, fmt::format("\"per\": no dimension level \"{}\"", per.text),
              guess.empty() ? "dimension levels: " + join(names) : fmt::format("did you mean \"{}\"?", guess));
        return false;
    }
    if (plan_.step_index(per.text) < 0) {
        error(per, fmt::format("\"per\": level \"{}\" is not split before \"{}\"", per.text, step.level),
              fmt::format("split {{\"level\": \"{}\"}} before \"{}\"", per.text, step.level));
        return false;
    }
    dimension = probe.dimension;
    depth = probe.depth;
    return true;
}

void PlanReader::read_member_history(const JsonValue& item, const JsonValue& per, Step& step) {
    const std::string level(per.text);
    int dimension = -1, depth = -1;
    if (!member_history_level(per, step, dimension, depth)) return;
    if (auto* w = item.find("weights"))
        error(*w, "\"per\" gives every member its own curve; \"weights\" cannot stand beside it",
              "drop \"weights\", or hold amounts with \"overrides\"");
    if (!period_cache_.count(step.level))
        period_cache_[step.level] = periods_between(step.time, plan_.first, plan_.last, plan_.fiscal_start_month);
    auto history = history_table(item);
    if (!history) return;
    const CsvTable* table = &history->table;
    const int k = history->key, c = history->value;
    int mcol = table->column(level);
    if (mcol < 0) {
        missing_column(per, *table, per.text);
        return;
    }
    HistoryWeights h = history->weights();
    MemberCurves curves{level, level, {}, 0};
    const auto& index = member_index_[static_cast<std::size_t>(dimension)][static_cast<std::size_t>(depth)];
    std::map<std::string, int> unknown_members;  // id → first line
    std::vector<std::string> unknown_periods;
    std::unordered_map<std::string, std::string> labels;  // key as written → period label ("" none)
    for (std::size_t r = 0; r < table->rows.size(); ++r) {
        const auto& row = table->rows[r];
        SourceLocation where{table->file, table->lines[r], 0, ""};
        auto w = history_weight(row[static_cast<std::size_t>(c)], history->value_name, where);
        if (!w) continue;
        const std::string& member = row[static_cast<std::size_t>(mcol)];
        if (index.find(plan_.dimensions[static_cast<std::size_t>(dimension)].members[static_cast<std::size_t>(depth)],
                       member) < 0) {
            unknown_members.emplace(member, table->lines[r]);
            continue;
        }
        // A file repeats each period once per member: match each key text once.
        const std::string& raw = row[static_cast<std::size_t>(k)];
        auto known = labels.find(raw);
        if (known == labels.end()) known = labels.emplace(raw, history_key(step, raw)).first;
        const std::string& label = known->second;
        if (label.empty()) {
            unknown_periods.push_back(row[static_cast<std::size_t>(k)]);
            continue;
        }
        MemberCurve& curve = curves.curves[member];
        if (curve.line == 0) curve.line = table->lines[r];
        // Several rows for one member and period: their sum (SUMIFS), as for one curve.
        auto [it, fresh] = curve.rows.emplace(label, std::make_pair(*w, table->lines[r]));
        if (!fresh) it->second.first = add_decimals(it->second.first, *w);
        auto [total, first] = h.rows.emplace(label, std::make_pair(*w, table->lines[r]));
        if (!first) total->second.first = add_decimals(total->second.first, *w);
    }
    for (const auto& [member, line] : unknown_members) {
        std::vector<std::string> ids;
        for (const auto& m :
             plan_.dimensions[static_cast<std::size_t>(dimension)].members[static_cast<std::size_t>(depth)])
            ids.push_back(m.id.str());
        std::sort(ids.begin(), ids.end());
        std::string guess = did_you_mean(member, ids);
        problems_.warning(
            SourceLocation{table->file, line, 0, ""},
            fmt::format("column \"{}\": no {} \"{}\" in the plan; its rows are ignored", per.text, per.text, member),
            guess.empty() ? std::string() : fmt::format("did you mean \"{}\"?", guess));
    }
    if (!unknown_periods.empty())
        warning(*history->file, fmt::format("{} row(s) of {} match no {} of the plan (first: \"{}\"); they are ignored",
                                            unknown_periods.size(), table->file, step.level, unknown_periods.front()));
    settle_member_curves(item, per, step, dimension, depth, curves, *table);
    curves.first_override = step.overrides.size();
    add_member_overrides(per, step, curves, table->file);
    h.per_member = std::move(curves);
    step.history = std::move(h);
}

// Members without rows, all-zero curves ("if_all_zero") and the periods a curve does not list.
void PlanReader::settle_member_curves(const JsonValue& item, const JsonValue& per, const Step& step, int dimension,
                                      int depth, MemberCurves& curves, const CsvTable& table) {
    const auto& periods = period_cache_[step.level];
    std::vector<std::string> missing, gaps;
    std::size_t gap_count = 0;
    for (const auto& m :
         plan_.dimensions[static_cast<std::size_t>(dimension)].members[static_cast<std::size_t>(depth)]) {
        if (m.placeholder || m.unassigned) continue;  // they follow the step's summed curve
        auto it = curves.curves.find(m.id.str());
        if (it == curves.curves.end()) {
            if (step.equal_if_all_zero)
                curves.curves[m.id.str()].equal_instead = true;
            else
                missing.push_back(m.id.str());
            continue;
        }
        MemberCurve& curve = it->second;
        bool any = false;
        for (const auto& [label, row] : curve.rows)
            any = any || !row.first.is_zero();
        if (!any) {
            if (step.equal_if_all_zero) {
                curve.equal_instead = true;
            } else {
                auto z = item.find("if_all_zero");
                problems_.error(SourceLocation{table.file, curve.line, 0, ""},
                                fmt::format("{} \"{}\": every {} of its history in column \"{}\" is 0", per.text, m.id,
                                            step.level, item.find("column")->text),
                                z ? "give it some history, or drop the member"
                                  : "give it some history, or set \"if_all_zero\": \"equal\" to split it equally");
            }
            continue;
        }
        for (const auto& p : periods) {
            if (curve.rows.count(p.label)) continue;
            if (gaps.size() < 6) gaps.push_back(fmt::format("{} {}", m.id, p.label));
            ++gap_count;
        }
    }
    if (!missing.empty())
        error(per,
              fmt::format("{} {}(s) have no row in {}: {}", missing.size(), per.text, table.file, some_names(missing)),
              fmt::format("add their rows (column \"{}\"), or set \"if_all_zero\": \"equal\" to split them equally",
                          per.text));
    if (gap_count > 0)
        warning(per, fmt::format("{} {} × {} pair(s) have no row in {} and weigh nothing: {}{}", gap_count, per.text,
                                 step.level, table.file, join(gaps),
                                 gap_count > gaps.size() ? fmt::format(" and {} more", gap_count - gaps.size())
                                                         : std::string()));
}

// One override per member, after the plan's own: {"where": {level: member}, "weights": its curve}.
void PlanReader::add_member_overrides(const JsonValue& per, Step& step, const MemberCurves& curves,
                                      const std::string& file) {
    const auto& periods = period_cache_[step.level];
    SourceLocation plan_where = at(per);
    for (const auto& [id, curve] : curves.curves) {
        Override ov;
        ov.when.emplace_back(curves.level, id);
        ov.where = curve.line > 0 ? SourceLocation{file, curve.line, 0, ""} : plan_where;
        std::map<std::string, Share> weights;
        for (const auto& p : periods) {
            auto it = curve.rows.find(p.label);
            Decimal value = curve.equal_instead ? Decimal{1, 0} : it == curve.rows.end() ? Decimal{} : it->second.first;
            weights.emplace(p.label, weight_of(value));
        }
        ov.weights = std::move(weights);
        step.overrides.push_back(std::move(ov));
    }
}

}  // namespace tgt::detail
