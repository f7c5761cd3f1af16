// "members_from": a dimension's members from a CSV file, one column per level.

#include <fmt/format.h>

#include <algorithm>

#include "../blanks.hpp"
#include "plan_reader.hpp"
#include "tgt/typed_values.hpp"

namespace tgt::detail {

// What "members_from" names, found in its CSV file; false (reported) when something is missing.
bool PlanReader::member_columns(const JsonValue& from, const Dimension& dim, MemberColumns& c) {
    if (!expect_kind(from, Kind::object, "members_from")) return false;
    check_keys(from, {"file", "columns", "weight", "start", "end", "customers"});
    auto* file = field(from, "file", Kind::string, true);
    auto* columns = field(from, "columns", Kind::array, true);
    c.weight = field(from, "weight", Kind::string);
    if (!file || !columns) return false;
    std::vector<std::string>& names = c.names;
    for (const auto& name : columns->items())
        if (expect_kind(name, Kind::string, "a column name")) names.emplace_back(name.text);
    if (names.size() != dim.levels.size()) {
        error(*columns,
              fmt::format("{} column(s) for {} level(s) ({})", names.size(), dim.levels.size(), join(dim.levels)),
              "name one column per level, top level first");
        return false;
    }
    c.file = file;
    c.table = read_csv_at(*file);
    if (!c.table) return false;
    const CsvTable& table = *c.table;
    for (std::size_t i = 0; i < names.size(); ++i) {
        int column = table.column(names[i]);
        if (column < 0) {
            missing_column(columns->items()[i], table, names[i]);
            return false;
        }
        c.keys.push_back(column);
    }
    if (c.weight) {
        c.weight_column = table.column(c.weight->text);
        if (c.weight_column < 0) {
            missing_column(*c.weight, table, c.weight->text);
            return false;
        }
    }
    // Optional active dates of the last level's members (a rep joining on 1 September).
    const char* date_keys[2] = {"start", "end"};
    for (int k = 0; k < 2; ++k)
        if (auto* d = field(from, date_keys[k], Kind::string)) {
            c.dates[k] = table.column(d->text);
            if (c.dates[k] < 0) {
                missing_column(*d, table, d->text);
                return false;
            }
        }
    // Optional customer counts of the last level's members: tier id → column.
    if (auto* counts = field(from, "customers", Kind::object)) {
        if (!claim_visit_dimension(*counts)) return false;
        for (const auto& [key, value] : counts->members()) {
            auto tier = customer_tier(key, value, "");
            if (!tier || !expect_kind(value, Kind::string, "the column holding the tier's customer counts")) continue;
            int column = table.column(value.text);
            if (column < 0) {
                missing_column(value, table, value.text);
                return false;
            }
            c.customers.emplace_back(*tier, column);
        }
    }
    return true;
}

// A member first met on a row of the "members_from" file; the last level's takes its dates and
// customer counts from the row.
Member PlanReader::csv_member(const MemberColumns& c, const std::vector<std::string>& row, const SourceLocation& where,
                              const std::string& id, int parent, bool leaf) {
    Member m;
    m.id = id;
    m.parent = parent;
    m.where = where;
    for (int k = 0; leaf && k < 2; ++k) {
        if (c.dates[k] < 0) continue;
        const std::string& cell = row[static_cast<std::size_t>(c.dates[k])];
        if (cell.empty()) continue;  // active from the period's start / to its end
        auto d = read_date_cell(cell);
        if (!d)
            problems_.error(
                where,
                fmt::format("column \"{}\": not a date \"{}\"", c.table->header[static_cast<std::size_t>(c.dates[k])],
                            cell),
                "write dates as YYYY-MM-DD (2027/1/7 and 2027年1月7日 are read too), or leave the cell empty");
        (k == 0 ? m.edit_details().availability.start : m.edit_details().availability.end) = d;
    }
    if (m.availability().start && m.availability().end && *m.availability().end < *m.availability().start)
        problems_.error(where, fmt::format("\"{}\" ends before it starts", id));
    if (leaf && !c.customers.empty()) m.edit_details().customers.assign(plan_.visits->tiers.size(), 0);
    for (auto [tier, column] : leaf ? c.customers : decltype(c.customers){}) {
        const std::string& cell = row[static_cast<std::size_t>(column)];
        if (cell.empty()) continue;  // no customers of that tier
        auto n = parse_decimal(cell);
        auto whole = n ? n->scaled_to(0) : std::nullopt;
        if (!whole || *whole < 0 || *whole > kMaxCustomers)
            problems_.error(where, fmt::format("column \"{}\": a customer count is a whole number "
                                               "from 0 to {} (got \"{}\")",
                                               c.table->header[static_cast<std::size_t>(column)], kMaxCustomers, cell));
        else
            m.edit_details().customers[tier] = *whole;
    }
    return m;
}

void WeightForms::add(std::string_view cell, const Decimal& weight, int line) {
    const std::string_view s = trim_blanks(cell);
    if (s.ends_with("%") || s.ends_with("％")) {
        if (percent_line == 0) {
            percent_line = line;
            percent_text = std::string(cell);
        }
        const int scale = std::max(percent_total.scale, weight.scale);
        percent_total = Decimal{percent_total.mantissa * pow10_wide(scale - percent_total.scale) +
                                    weight.mantissa * pow10_wide(scale - weight.scale),
                                scale};
    } else if (plain_line == 0) {
        plain_line = line;
        plain_text = std::string(cell);
    }
}

// A weight column read two ways is refused, as JSON weights are: percentages beside plain numbers
// ("37.5" could be 37.5% or a ratio), or percentages that do not total 100% of the file.
void PlanReader::check_weight_forms(const WeightForms& forms, const std::string& column, const std::string& file,
                                    const JsonValue& from) {
    if (forms.percent_line == 0) return;
    if (forms.plain_line > 0) {
        problems_.error(SourceLocation{file, forms.plain_line, 0, ""},
                        fmt::format("column \"{}\" mixes percentages (\"{}\" on line {}) with plain numbers (\"{}\" "
                                    "here): it could be {}% or a ratio",
                                    column, forms.percent_text, forms.percent_line, forms.plain_text,
                                    trim_blanks(forms.plain_text)),
                        "write every weight as a percentage, or every one as a plain number");
        return;
    }
    const Decimal hundred{100, 2};  // 1.00 = 100%
    if (!(forms.percent_total == hundred))
        error(from,
              fmt::format("the percentages in column \"{}\" of {} total {}%, not 100%", column, file,
                          format_decimal(Decimal{forms.percent_total.mantissa, forms.percent_total.scale - 2})),
              "correct them, or write plain numbers (ratios), which are scaled to the whole");
}

void PlanReader::read_members_from(const JsonValue& from, Dimension& dim) {
    MemberColumns c;
    if (!member_columns(from, dim, c)) return;
    const CsvTable* table = &*c.table;
    const std::vector<std::string>& names = c.names;
    const std::vector<int>& key_columns = c.keys;
    const JsonValue* weight = c.weight;
    int weight_column = c.weight_column;
    auto& index = member_index_[plan_.dimensions.size()];
    std::vector<std::vector<Decimal>> sums(dim.levels.size());
    std::vector<std::vector<int>> first_line(dim.levels.size());
    int zero_weights = 0;
    std::string first_zero;
    WeightForms forms;
    for (std::size_t r = 0; r < table->rows.size(); ++r) {
        const auto& row = table->rows[r];
        int line = table->lines[r];
        SourceLocation where{table->file, line, 0, ""};
        std::optional<Decimal> w;
        if (weight_column >= 0) {
            ValueProblem problem;
            const std::string& cell = row[static_cast<std::size_t>(weight_column)];
            w = read_weight_cell(cell, &problem);  // "1,200", "¥3,000" and "12.5%" too
            if (!w) {
                problems_.error(where, fmt::format("column \"{}\": not a number \"{}\"", weight->text, cell),
                                "write a weight as a number such as 1200, 1,200 or 12.5%");
                continue;
            }
            if (w->is_negative()) {
                problems_.error(where, fmt::format("column \"{}\": weight must be >= 0 (got {})", weight->text, cell));
                continue;
            }
            if (w->mantissa >= pow10_wide(kMaxWeightDigits) || w->scale > 9) {
                problems_.error(
                    where, fmt::format("column \"{}\": weight {} is too large or too precise", weight->text, cell));
                continue;
            }
            if (w->is_zero() && zero_weights++ == 0) first_zero = row[static_cast<std::size_t>(key_columns.back())];
            forms.add(cell, *w, line);
        }
        int parent = -1;
        bool bad = false;
        for (std::size_t depth = 0; depth < key_columns.size() && !bad; ++depth) {
            const std::string& id = row[static_cast<std::size_t>(key_columns[depth])];
            if (id.empty()) {
                problems_.error(where, fmt::format("column \"{}\" is empty", names[depth]));
                bad = true;
                break;
            }
            auto& level = dim.members[depth];
            int found = index[depth].find(level, id);
            bool leaf = depth + 1 == key_columns.size();
            if (found >= 0) {
                const Member& existing = level[static_cast<std::size_t>(found)];
                if (existing.parent != parent) {
                    problems_.error(where,
                                    fmt::format("\"{}\" appears under two different parents (first on line {})", id,
                                                first_line[depth][static_cast<std::size_t>(found)]),
                                    "member ids must be unique within a level");
                    bad = true;
                    break;
                }
                if (leaf) {
                    problems_.error(where, fmt::format("duplicate member id \"{}\" (first on line {})", id,
                                                       first_line[depth][static_cast<std::size_t>(found)]));
                    bad = true;
                    break;
                }
                parent = found;
            } else {
                Member m = csv_member(c, row, where, id, parent, leaf);
                level.push_back(std::move(m));
                int self = static_cast<int>(level.size()) - 1;
                index[depth].insert(level, self);
                sums[depth].push_back(Decimal{});
                first_line[depth].push_back(line);
                if (parent >= 0)
                    dim.members[depth - 1][static_cast<std::size_t>(parent)].edit_details().children.push_back(self);
                parent = self;
            }
            if (w) {
                Decimal& sum = sums[depth][static_cast<std::size_t>(parent)];
                int scale = std::max(sum.scale, w->scale);
                sum = Decimal{sum.mantissa * pow10_wide(scale - sum.scale) + w->mantissa * pow10_wide(scale - w->scale),
                              scale};
            }
        }
    }
    if (zero_weights > 0)
        warning(from,
                fmt::format("{} member(s) of \"{}\" have zero weight and get nothing (first: \"{}\")", zero_weights,
                            dim.id, first_zero),
                "unless an override, a keyed weight or \"if_all_zero\" gives them a share");
    if (weight_column < 0) return;
    check_weight_forms(forms, std::string(weight->text), table->file, from);
    for (std::size_t depth = 0; depth < dim.members.size(); ++depth) {
        for (std::size_t i = 0; i < dim.members[depth].size(); ++i) {
            Member& m = dim.members[depth][i];
            m.share.kind = Share::Kind::ratio;
            m.share.value = sums[depth][i];
            m.share.where = m.where;
            if (m.share.value.get().mantissa >= pow10_wide(kMaxWeightDigits))
                problems_.error(m.where, fmt::format("the weights under \"{}\" add up to more than 10^18", m.id));
        }
    }
    if (dim.members[0].empty()) error(from, fmt::format("{} has no rows", c.file->text));
}

}  // namespace tgt::detail
