// "visits": {"customers_from": {"file", "level", "rules"}}: a customers CSV, one row per customer,
// each put in exactly one tier by threshold rules over its columns, counted per member.

#include <fmt/format.h>

#include <algorithm>

#include "plan_reader.hpp"
#include "tgt/customer_classes.hpp"

namespace tgt::detail {

// The dimension whose deepest level is `level`, or -1 (reported).
int PlanReader::customer_level(const JsonValue& level) {
    std::vector<std::string> deepest;
    for (std::size_t d = 0; d < plan_.dimensions.size(); ++d) {
        const auto& levels = plan_.dimensions[d].levels;
        if (!levels.empty() && levels.back() == level.text) return static_cast<int>(d);
        if (!levels.empty()) deepest.push_back(levels.back());
    }
    std::string guess = did_you_mean(level.text, deepest);
    error(level, fmt::format("\"level\": \"{}\" is not the deepest level of a dimension", level.text),
          guess.empty() ? "customers belong to a deepest level: " + join(deepest)
                        : fmt::format("did you mean \"{}\"?", guess));
    return -1;
}

void PlanReader::read_customer_classes(const JsonValue& from) {
    if (!expect_kind(from, Kind::object, "a customers file {\"file\", \"level\", \"rules\"}")) return;
    check_keys(from, {"file", "level", "rules", "note"});
    auto* file = field(from, "file", Kind::string, true);
    auto* level = field(from, "level", Kind::string, true);
    auto* rules = field(from, "rules", Kind::array, true);
    int dim = level ? customer_level(*level) : -1;
    VisitPlan& visits = *plan_.visits;
    if (dim >= 0 && visits.dimension >= 0 && visits.dimension != dim) {
        error(*level, fmt::format("customers are already counted in dimension \"{}\"; one dimension holds them",
                                  plan_.dimensions[static_cast<std::size_t>(visits.dimension)].id));
        dim = -1;
    }
    std::vector<ClassRule> read;
    if (rules) read = read_class_rules(*rules);
    if (!file || dim < 0 || !rules || read.size() != rules->items().size()) return;
    auto table = read_csv_at(*file);
    if (!table) return;
    bool columns_ok = true;
    if (table->column(level->text) < 0) {
        missing_column(*level, *table, level->text);
        columns_ok = false;
    }
    for (const auto& rule : read)
        for (const auto& c : rule.when)
            if (table->column(c.column) < 0) {
                missing_column(*rule.at, *table, c.column);
                columns_ok = false;
            }
    if (!columns_ok) return;
    visits.dimension = dim;
    count_customers(*table, table->column(level->text), dim, read);
}

std::vector<PlanReader::ClassRule> PlanReader::read_class_rules(const JsonValue& rules) {
    std::vector<ClassRule> out;
    if (rules.items().empty()) error(rules, "\"rules\" is empty", "add {\"tier\": \"A\", \"when\": \"demand >= 5万\"}");
    for (const auto& item : rules.items()) {
        if (!expect_kind(item, Kind::object, "a rule {\"tier\", \"when\"}")) continue;
        check_keys(item, {"tier", "when", "note"});
        auto* tier = field(item, "tier", Kind::string, true);
        auto* when = field(item, "when", Kind::string, true);
        if (!tier || !when) continue;
        const auto& tiers = plan_.visits->tiers;
        auto found =
            std::find_if(tiers.begin(), tiers.end(), [&](const CustomerTier& t) { return t.id == tier->text; });
        if (found == tiers.end()) {
            std::vector<std::string> ids;
            for (const auto& t : tiers)
                ids.push_back(t.id);
            std::string guess = did_you_mean(tier->text, ids);
            error(*tier, fmt::format("no customer tier \"{}\"", tier->text),
                  guess.empty() ? "tiers: " + join(ids) : fmt::format("did you mean \"{}\"?", guess));
            continue;
        }
        std::string problem;
        auto conditions = parse_class_rule(when->text, &problem);
        if (!conditions) {
            error(*when, "not a rule: " + problem, "write e.g. \"demand >= 5万 and close_days <= 15\"");
            continue;
        }
        out.push_back({static_cast<std::size_t>(found - tiers.begin()), std::move(*conditions), when});
    }
    return out;
}

// Each row in exactly one tier: a row no rule takes, or that two rules take, is an error naming it.
void PlanReader::count_customers(const CsvTable& table, int member_column, int dim,
                                 const std::vector<ClassRule>& rules) {
    const auto& tiers = plan_.visits->tiers;
    const Dimension& dimension = plan_.dimensions[static_cast<std::size_t>(dim)];
    std::size_t depth = dimension.levels.size() - 1;
    auto& members = plan_.dimensions[static_cast<std::size_t>(dim)].members[depth];
    const auto& index = member_index_[static_cast<std::size_t>(dim)][depth];
    std::vector<char> own(members.size(), 0);  // counts given in the plan: not mixed with the file's
    for (std::size_t i = 0; i < members.size(); ++i)
        own[i] = members[i].customers().empty() ? 0 : 1;
    std::vector<std::vector<std::int64_t>> counts(members.size(), std::vector<std::int64_t>(tiers.size(), 0));
    std::vector<char> counted(members.size(), 0);
    std::map<std::string, std::size_t> columns;  // every column a rule reads → its index
    for (const auto& rule : rules)
        for (const auto& c : rule.when)
            columns.emplace(c.column, static_cast<std::size_t>(table.column(c.column)));
    for (std::size_t r = 0; r < table.rows.size(); ++r) {
        const auto& row = table.rows[r];
        SourceLocation where{table.file, table.lines[r], 0, ""};
        const std::string& id = row[static_cast<std::size_t>(member_column)];
        const int position = index.find(members, id);
        if (position < 0) {
            std::vector<std::string> ids;
            for (const auto& m : members)
                ids.push_back(m.id.str());
            std::string guess = did_you_mean(id, ids);
            problems_.error(where,
                            fmt::format("column \"{}\": no {} \"{}\" in the plan", dimension.levels[depth],
                                        dimension.levels[depth], id),
                            guess.empty() ? "add the member to the plan, or correct the name"
                                          : fmt::format("did you mean \"{}\"?", guess));
            continue;
        }
        std::map<std::string, Decimal> values;
        std::string shown;  // "demand 30000, close_days 20", for messages
        bool ok = true;
        for (const auto& [name, column] : columns) {
            ParseProblem problem;
            auto value = parse_decimal(row[column], &problem);
            if (!value) {
                problems_.error(where, fmt::format("column \"{}\": {} (\"{}\")", name, problem.message, row[column]));
                ok = false;
                continue;
            }
            values[name] = *value;
            shown += fmt::format("{}{} {}", shown.empty() ? "" : ", ", name, row[column]);
        }
        if (!ok) continue;
        std::vector<std::size_t> hits;
        for (std::size_t k = 0; k < rules.size(); ++k)
            if (std::all_of(rules[k].when.begin(), rules[k].when.end(),
                            [&](const ClassCondition& c) { return meets(c, values[c.column]); }))
                hits.push_back(k);
        if (hits.size() != 1) {
            std::vector<std::string> which;
            for (auto k : hits)
                which.push_back(fmt::format("rule {} (tier \"{}\")", k + 1, tiers[rules[k].tier].id));
            if (hits.empty())
                problems_.error(where, fmt::format("customer row ({}) matches no rule", shown),
                                "the rules leave a gap here: widen one, or add a rule for it");
            else
                problems_.error(where, fmt::format("customer row ({}) matches {}", shown, join(which, " and ")),
                                "the rules overlap here: make them exclusive (e.g. >= on one, < on the other)");
            continue;
        }
        auto m = static_cast<std::size_t>(position);
        if (own[m]) {
            if (own[m] == 1)
                problems_.error(where,
                                fmt::format("{} \"{}\" has \"customers\" in the plan and rows in {}",
                                            dimension.levels[depth], id, table.file),
                                "count its customers in one place");
            own[m] = 2;
            continue;
        }
        ++counts[m][rules[hits[0]].tier];
        counted[m] = 1;
    }
    for (std::size_t m = 0; m < members.size(); ++m)
        if (counted[m]) members[m].edit_details().customers = std::move(counts[m]);
}

}  // namespace tgt::detail
