// "split": the steps in order, their rules, weights, overrides, history and baseline files.

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <iterator>

#include "plan_reader.hpp"
#include "tgt/seasonality.hpp"

namespace tgt::detail {

namespace {

constexpr std::size_t kMaxOverrides = (std::size_t{1} << 20) - 2;  // decompose.cpp's profile_key
constexpr std::string_view kBasisNames[] = {"members",         "equal",   "working_days", "days",
                                            "weekday_pattern", "history", "capacity"};

}  // namespace

// Where a level name points: a dimension level or a time level.
bool PlanReader::locate_level(const std::string& name, Step& step) {
    for (std::size_t d = 0; d < plan_.dimensions.size(); ++d) {
        const auto& levels = plan_.dimensions[d].levels;
        for (std::size_t k = 0; k < levels.size(); ++k) {
            if (levels[k] == name) {
                step.kind = Step::Kind::dimension;
                step.dimension = static_cast<int>(d);
                step.depth = static_cast<int>(k);
                return true;
            }
        }
    }
    if (auto t = parse_time_level(name)) {
        step.kind = Step::Kind::time;
        step.time = *t;
        return true;
    }
    return false;
}

std::vector<std::string> PlanReader::all_level_names() const {
    std::vector<std::string> names;
    for (const auto& d : plan_.dimensions)
        names.insert(names.end(), d.levels.begin(), d.levels.end());
    for (auto t :
         {TimeLevel::year, TimeLevel::half, TimeLevel::quarter, TimeLevel::month, TimeLevel::week, TimeLevel::day})
        names.emplace_back(time_level_name(t));
    return names;
}

void PlanReader::read_split(const JsonValue& root) {
    auto* list = field(root, "split", Kind::array, true);
    if (!list) return;
    std::set<std::string> used;
    int last_time = -1;
    std::vector<int> next_depth(plan_.dimensions.size(), 0);
    for (const auto& item : list->items()) {
        if (!expect_kind(item, Kind::object, "a split step")) continue;
        if (item.find("cross")) {
            read_cross(item, used, next_depth);
            continue;
        }
        check_keys(item, {"level",     "by",        "weights",      "pattern", "closed_on_holidays", "file", "key",
                          "column",    "normalize", "if_all_zero",  "rest",    "allocate",           "band", "ramp",
                          "ramp_rest", "reconcile", "baseline",     "growth",  "overrides",          "note", "per",
                          "floor",     "cap",       "annual_growth"});
        auto* level = field(item, "level", Kind::string, true);
        if (!level) continue;
        Step step;
        step.level = level->text;
        step.where = at(item);
        if (!locate_level(step.level, step)) {
            std::string guess = did_you_mean(step.level, all_level_names());
            error(*level, fmt::format("unknown level \"{}\"", step.level),
                  guess.empty() ? "levels: " + join(all_level_names()) : fmt::format("did you mean \"{}\"?", guess));
            continue;
        }
        if (!used.insert(step.level).second) {
            error(*level, fmt::format("level \"{}\" appears twice in the split", step.level));
            continue;
        }
        if (step.kind == Step::Kind::time) {
            int t = static_cast<int>(step.time);
            if (t < last_time)
                error(*level, fmt::format("time level \"{}\" comes after a finer one", step.level),
                      "order time levels year, half, quarter, month, week, day");
            last_time = std::max(last_time, t);
        } else {
            auto d = static_cast<std::size_t>(step.dimension);
            if (step.depth != next_depth[d])
                error(*level,
                      fmt::format("level \"{}\" comes before \"{}\" in the split", step.level,
                                  plan_.dimensions[d].levels[static_cast<std::size_t>(next_depth[d])]),
                      "split a dimension's levels from the top down");
            next_depth[d] = step.depth + 1;
        }
        read_step_options(item, step);
        plan_.steps.push_back(std::move(step));
    }
    for (std::size_t d = 0; d < plan_.dimensions.size(); ++d) {
        const auto& dim = plan_.dimensions[d];
        for (std::size_t k = static_cast<std::size_t>(next_depth[d]); k < dim.levels.size(); ++k)
            error(*list, fmt::format("level \"{}\" of dimension \"{}\" is not in the split", dim.levels[k], dim.id),
                  fmt::format("add {{\"level\": \"{}\"}} where it should be split", dim.levels[k]));
    }
    if (plan_.steps.empty() && !list->items().empty()) return;
    if (list->items().empty())
        error(*list, "the split has no steps", "add e.g. {\"level\": \"month\", \"by\": \"equal\"}");
}

void PlanReader::read_step_options(const JsonValue& item, Step& step) {
    read_step_rule(item, step);
    read_step_weights(item, step);
    read_weekday_pattern(item, step);
    read_step_flags(item, step);
    read_capacity_options(item, step);
    const JsonValue* per = step.basis == Basis::history ? field(item, "per", Kind::string) : nullptr;
    if (step.basis != Basis::history) {
        for (auto key : {"file", "key", "column", "per"})
            if (auto* v = item.find(key)) error(*v, fmt::format("\"{}\" needs \"by\": \"history\"", key));
    } else if (!item.find("per")) {
        read_history(item, step);
    }
    read_overrides(item, step);
    if (per) read_member_history(item, *per, step);  // after the plan's own overrides: those come first
    read_step_bounds(item, step);
    read_period_growth(item, step);
}

// "by": the rule that weighs the step's children (a time level needs one, or weights).
void PlanReader::read_step_rule(const JsonValue& item, Step& step) {
    bool is_time = step.kind == Step::Kind::time;
    if (auto* by = field(item, "by", Kind::string)) {
        auto found = std::find(std::begin(kBasisNames), std::end(kBasisNames), by->text);
        if (found == std::end(kBasisNames)) {
            std::vector<std::string> names(std::begin(kBasisNames), std::end(kBasisNames));
            std::string guess = did_you_mean(by->text, names);
            error(*by, fmt::format("unknown rule \"{}\"", by->text),
                  guess.empty() ? "rules: " + join(names) : fmt::format("did you mean \"{}\"?", guess));
        } else {
            step.basis = static_cast<Basis>(found - std::begin(kBasisNames));
            bool time_only = step.basis == Basis::working_days || step.basis == Basis::calendar_days ||
                             step.basis == Basis::weekday_pattern;
            if (time_only && !is_time)
                error(*by, fmt::format("\"{}\" weights periods; level \"{}\" is a dimension", by->text, step.level));
        }
    } else if (is_time && !item.find("weights")) {
        problems_.error(at(item), fmt::format("time level \"{}\" needs a rule", step.level),
                        "add \"by\": \"equal\" | \"working_days\" | \"days\" | \"weekday_pattern\" | \"history\", "
                        "or \"weights\"");
    }
}

// "weights": by position (time levels) or keyed by member id or period label.
void PlanReader::read_step_weights(const JsonValue& item, Step& step) {
    bool is_time = step.kind == Step::Kind::time;
    if (auto* w = item.find("weights")) {
        if (w->kind == Kind::array) {
            if (!is_time) error(*w, "a dimension level takes weights by member id: {\"华东\": \"30%\", …}");
            for (const auto& v : w->items())
                step.positional.push_back(keyed_share(v));
        } else if (expect_kind(*w, Kind::object, "weights by member id or period")) {
            step.keyed = keyed_map(*w, step);
            // Beside a rule only amounts can be keyed: a weight of 3 or "40%" has no common
            // measure with working days or history figures.
            if (step.basis != Basis::members) {
                auto by = kBasisNames[static_cast<std::size_t>(step.basis)];
                for (const auto& [key, value] : w->members()) {
                    if (value.kind == Kind::object) continue;
                    error(value,
                          fmt::format("this level weighs {} by \"{}\"; a weight of {} for \"{}\" has no "
                                      "common measure with that rule",
                                      is_time ? "the periods" : "the members", by, value.text, key),
                          fmt::format("hold an amount ({{\"{}\": {{\"amount\": …}}}}), or drop \"by\" and give "
                                      "every {} a weight",
                                      key, is_time ? "period" : "member"));
                }
            }
        }
    }
}

// "pattern": seven weekday weights for "by": "weekday_pattern".
void PlanReader::read_weekday_pattern(const JsonValue& item, Step& step) {
    if (auto* p = item.find("pattern")) {
        if (step.basis != Basis::weekday_pattern) error(*p, "\"pattern\" needs \"by\": \"weekday_pattern\"");
        if (expect_kind(*p, Kind::array, "seven weights, Monday to Sunday")) {
            if (p->items().size() != 7) {
                error(*p, fmt::format("a weekday pattern has 7 weights (Monday to Sunday), got {}", p->items().size()));
            } else {
                for (std::size_t i = 0; i < 7; ++i) {
                    Share s = weight_share(p->items()[i]);
                    if (s.kind == Share::Kind::percent) error(p->items()[i], "pattern weights are plain numbers");
                    step.weekday[i + 1] = s.value;
                }
            }
        }
    } else if (step.basis == Basis::weekday_pattern) {
        problems_.error(at(item), "\"by\": \"weekday_pattern\" needs \"pattern\": [Mon, …, Sun]");
    }
}

// "closed_on_holidays", "normalize", "rest", "if_all_zero" and "allocate".
void PlanReader::read_step_flags(const JsonValue& item, Step& step) {
    bool is_time = step.kind == Step::Kind::time;
    if (auto* c = field(item, "closed_on_holidays", Kind::boolean)) step.closed_on_holidays = c->boolean;
    if (auto* n = field(item, "normalize", Kind::boolean)) step.normalize = n->boolean;
    if (auto* r = field(item, "rest", Kind::string)) {
        if (r->text != "equal")
            error(*r, fmt::format("unknown rest \"{}\"", r->text),
                  "\"rest\": \"equal\" shares what is left equally among the periods the weights do not list");
        else if (!is_time)
            error(*r, "\"rest\" applies to time levels (members without a weight already share the rest)");
        else if (!item.find("weights") && !item.find("overrides"))
            error(*r, "\"rest\" needs \"weights\" keyed by period");
        else if (step.basis != Basis::members)
            error(*r, fmt::format("\"rest\" is for weights without a rule; here \"by\": \"{}\" weighs the "
                                  "periods the weights leave out",
                                  kBasisNames[static_cast<std::size_t>(step.basis)]));
        else
            step.rest_equal = true;
    }
    if (auto* z = field(item, "if_all_zero", Kind::string)) {
        if (z->text == "equal")
            step.equal_if_all_zero = true;
        else if (z->text != "error")
            error(*z, "if_all_zero is \"equal\" or \"error\"");
    }
    if (auto* a = item.find("allocate")) {
        if (auto d = ratio_of(*a, "allocate", false, BareNumber::multiplier)) {
            if (*d < Decimal{1, 0})
                error(*a, "allocate below 100% would hand out less than the parent");
            else if (d->scale > 6 || Decimal{1000, 0} < *d)
                error(*a, fmt::format("allocate {} is too precise or too large (at most 100000%)", a->text));
            else
                step.allocate = d;
        }
    }
}

// "overrides": other weights for the children of cells that match "where".
void PlanReader::read_overrides(const JsonValue& item, Step& step) {
    if (auto* o = field(item, "overrides", Kind::array)) {
        // One override per rep is a rebalanced plan; the engine indexes them (and keys profiles by them).
        if (o->items().size() > kMaxOverrides)
            error(*o, fmt::format("more than {} overrides on one level", kMaxOverrides), "split the level further");
        for (const auto& entry : o->items()) {
            if (!expect_kind(entry, Kind::object, "an override")) continue;
            check_keys(entry, {"where", "weights", "note"});
            Override ov;
            ov.where = at(entry);
            if (auto* w = field(entry, "where", Kind::object, true)) {
                for (const auto& [lvl, value] : w->members()) {
                    if (!expect_kind(value, Kind::string, "a member id or period")) continue;
                    ov.when.emplace_back(lvl, value.text);
                    pending_conditions_.push_back(
                        {plan_.steps.size(), step.overrides.size(), ov.when.size() - 1, std::string(lvl), &value});
                }
            }
            if (auto* w = field(entry, "weights", Kind::object, true)) ov.weights = keyed_map(*w, step);
            step.overrides.push_back(std::move(ov));
        }
    }
}

// Ramps, bands, reconciliation and growth over a baseline file: dimension levels only.
void PlanReader::read_capacity_options(const JsonValue& item, Step& step) {
    bool is_time = step.kind == Step::Kind::time;
    for (auto key : {"ramp", "ramp_rest", "band", "reconcile", "baseline"}) {  // time "growth": per period
        auto* v = item.find(key);
        if (v && is_time) error(*v, fmt::format("\"{}\" applies to dimension levels, not to \"{}\"", key, step.level));
    }
    if (is_time) {
        if (step.basis == Basis::capacity)
            error(*item.find("by"), "\"capacity\" weighs members; level \"" + step.level + "\" is a time level");
        return;
    }
    if (auto* r = item.find("ramp")) step.ramp = read_ramp(*r);
    if (auto* r = field(item, "ramp_rest", Kind::string)) {
        if (r->text == "unassigned")
            step.ramp_rest_unassigned = true;
        else if (r->text != "others")
            error(*r, "ramp_rest is \"others\" (the other members carry it) or \"unassigned\"");
        if (step.ramp.empty()) warning(*r, "\"ramp_rest\" without a \"ramp\" on this level");
    }
    if (auto* b = item.find("band")) {
        if (expect_kind(*b, Kind::array, "a band [low, high] such as [\"100%\", \"120%\"]")) {
            if (b->items().size() != 2) {
                error(*b, "a band has two bounds: [low, high]");
            } else {
                auto low = ratio_of(b->items()[0], "a band bound", false);
                auto high = ratio_of(b->items()[1], "a band bound", false);
                if (low && high && *high < *low)
                    error(*b, "the band's high bound is below its low bound");
                else if (low && high)
                    step.band = std::make_pair(*low, *high);
            }
        }
    }
    if (auto* r = field(item, "reconcile", Kind::string)) {
        if (r->text == "scale")
            step.scale_holds = true;
        else if (r->text != "error")
            error(*r, "reconcile is \"error\" (amounts must add up to the parent) or \"scale\"",
                  "\"scale\" uses members' amounts as weights of the parent's target");
    }
    std::optional<Decimal> growth;
    if (auto* g = item.find("growth")) growth = ratio_of(*g, "growth", true);
    auto& level =
        plan_.dimensions[static_cast<std::size_t>(step.dimension)].members[static_cast<std::size_t>(step.depth)];
    if (auto* b = item.find("baseline")) read_baseline_file(*b, step, level);
    if (growth)
        for (auto& m : level)
            if (m.baseline && !m.growth()) m.edit_details().growth = growth;
}

// "baseline": {"file", "key", "column", "metric"}: last year's amount per member, to grow.
void PlanReader::read_baseline_file(const JsonValue& b, const Step& step, std::vector<Member>& level) {
    if (!expect_kind(b, Kind::object, "a baseline file {\"file\", \"key\", \"column\"}")) return;
    check_keys(b, {"file", "key", "column", "metric"});
    auto* file = field(b, "file", Kind::string, true);
    auto* key = field(b, "key", Kind::string, true);
    auto* column = field(b, "column", Kind::string, true);
    int metric = -1;
    if (auto* mv = field(b, "metric", Kind::string)) {
        metric = plan_.metric_index(mv->text);
        if (metric < 0) error(*mv, fmt::format("unknown metric \"{}\"", mv->text));
    } else {
        for (std::size_t i = 0; i < plan_.metrics.size(); ++i)
            if (!plan_.metrics[i].rate && plan_.metrics[i].stretch_of < 0) {
                if (metric >= 0) {
                    error(b, "this plan has several metrics: say which one the baseline is for", "add \"metric\"");
                    return;
                }
                metric = static_cast<int>(i);
            }
    }
    if (!file || !key || !column || metric < 0) return;
    int k = -1, c = -1;
    auto table = read_keyed_csv(*file, *key, *column, k, c);
    if (!table) return;
    const Metric& mt = plan_.metrics[static_cast<std::size_t>(metric)];
    std::map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < level.size(); ++i)
        index.emplace(level[i].id, i);
    std::vector<std::string> unknown;
    std::vector<bool> seen(level.size(), false);
    for (std::size_t r = 0; r < table->rows.size(); ++r) {
        const auto& row = table->rows[r];
        auto it = index.find(row[static_cast<std::size_t>(k)]);
        if (it == index.end()) {
            unknown.push_back(row[static_cast<std::size_t>(k)]);
            continue;
        }
        SourceLocation where{table->file, table->lines[r], 0, ""};
        ParseProblem problem;
        auto d = parse_decimal(row[static_cast<std::size_t>(c)], &problem);
        auto minor = d && !d->is_negative() ? to_minor(*d, mt.decimals) : std::nullopt;
        if (!minor) {
            problems_.error(where, fmt::format("column \"{}\": not an amount of \"{}\": \"{}\"", column->text, mt.id,
                                               row[static_cast<std::size_t>(c)]));
            continue;
        }
        Member& m = level[it->second];
        if (m.share.kind == Share::Kind::amount && !seen[it->second]) continue;  // the member's own amount wins
        m.baseline = true;
        if (!seen[it->second]) {
            m.share = Share{};
            m.share.kind = Share::Kind::amount;
            m.share.where = where;
            m.share.amounts.assign(plan_.metrics.size(), std::nullopt);
            m.share.edit_origins().assign(plan_.metrics.size(), std::string());
            m.share.amounts[static_cast<std::size_t>(metric)] = 0;
            seen[it->second] = true;
        }
        auto& slot = *m.share.amounts[static_cast<std::size_t>(metric)];
        slot = checked_add(slot, *minor);
        m.share.edit_origins()[static_cast<std::size_t>(metric)] =
            fmt::format("{} line {}", std::filesystem::path(table->file).filename().string(), table->lines[r]);
    }
    if (!unknown.empty())
        warning(*file, fmt::format("{} row(s) of {} match no {} (first: \"{}\"); they are ignored", unknown.size(),
                                   table->file, step.level, unknown.front()));
    std::vector<std::string> without;
    for (std::size_t i = 0; i < level.size(); ++i)
        if (!seen[i] && level[i].share.kind != Share::Kind::amount) without.push_back(level[i].id.str());
    if (!without.empty())
        error(*key,
              fmt::format("{} {}(s) have no baseline in {} (first: \"{}\")", without.size(), step.level, table->file,
                          without.front()),
              "add their rows, or give them an \"amount\" or \"baseline\" in the plan");
}

std::map<std::string, Share> PlanReader::keyed_map(const JsonValue& w, const Step& step) {
    std::map<std::string, Share> out;
    std::map<std::string, std::string> written;  // canonical → the key as written
    for (const auto& [key, value] : w.members()) {
        std::string canonical = canonical_key(step, std::string(key), value);
        if (canonical.empty()) continue;
        if (auto [it, fresh] = written.emplace(canonical, key); !fresh) {
            error(value, fmt::format("\"{}\" and \"{}\" both name {}", it->second, key, canonical),
                  "give each period or member one weight");
            continue;
        }
        out[canonical] = keyed_share(value);
    }
    return out;
}

// Turns a key that names a member or period into the member id or full period label.
std::string PlanReader::canonical_key(const Step& step, const std::string& key, const JsonValue& where) {
    if (step.kind == Step::Kind::dimension) {
        const auto& index =
            member_index_[static_cast<std::size_t>(step.dimension)][static_cast<std::size_t>(step.depth)];
        const auto& level =
            plan_.dimensions[static_cast<std::size_t>(step.dimension)].members[static_cast<std::size_t>(step.depth)];
        if (index.find(level, key) >= 0) return key;
        std::vector<std::string> ids;
        ids.reserve(level.size());
        for (const auto& m : level)
            ids.push_back(m.id.str());
        std::sort(ids.begin(), ids.end());  // as the ordered index gave them: "did you mean" breaks ties by order
        ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
        std::string guess = did_you_mean(key, ids);
        error(where, fmt::format("no member \"{}\" at level \"{}\"", key, step.level),
              guess.empty() ? std::string() : fmt::format("did you mean \"{}\"?", guess));
        return {};
    }
    auto periods = periods_between(step.time, plan_.first, plan_.last, plan_.fiscal_start_month);
    std::vector<const Period*> hits;
    for (const auto& p : periods)
        if (period_matches(p, key)) hits.push_back(&p);
    if (hits.size() == 1) return hits[0]->label;
    if (hits.empty()) {
        std::string range =
            periods.empty() ? std::string() : fmt::format("{} … {}", periods.front().label, periods.back().label);
        error(where, fmt::format("no {} \"{}\" in the plan's period", step.level, key),
              fmt::format("the period has {} {}s: {}", periods.size(), step.level, range));
    } else {
        error(where, fmt::format("\"{}\" names {} {}s in this period", key, hits.size(), step.level),
              fmt::format("use the full label, e.g. \"{}\"", hits[0]->label));
    }
    return {};
}

std::optional<Decimal> PlanReader::history_weight(const std::string& text, std::string_view column,
                                                  const SourceLocation& where) {
    ParseProblem problem;
    auto w = parse_decimal(text, &problem);
    if (!w || w->is_negative() || w->mantissa >= pow10_wide(kMaxWeightDigits) || w->scale > 9) {
        problems_.error(where, fmt::format("column \"{}\": not a weight \"{}\"{}", column, text,
                                           w ? " (negative, too large or too precise)" : " (" + problem.message + ")"));
        return std::nullopt;
    }
    return w;
}

std::optional<PlanReader::HistoryTable> PlanReader::history_table(const JsonValue& item) {
    auto* file = field(item, "file", Kind::string, true);
    auto* key = field(item, "key", Kind::string, true);
    auto* column = field(item, "column", Kind::string, true);
    if (!file || !key || !column) return std::nullopt;
    HistoryTable history{file, key, {}, -1, -1, key->text, column->text};
    auto table = read_keyed_csv(*file, *key, *column, history.key, history.value);
    if (!table) return std::nullopt;
    history.table = std::move(*table);
    return history;
}

void PlanReader::read_history(const JsonValue& item, Step& step) {
    auto history = history_table(item);
    if (!history) return;
    const CsvTable* table = &history->table;
    const JsonValue* file = history->file;
    const int k = history->key, c = history->value;
    HistoryWeights h = history->weights();
    std::vector<std::string> unknown;
    for (std::size_t r = 0; r < table->rows.size(); ++r) {
        const auto& row = table->rows[r];
        SourceLocation where{table->file, table->lines[r], 0, ""};
        auto w = history_weight(row[static_cast<std::size_t>(c)], history->value_name, where);
        if (!w) continue;
        std::string label = history_key(step, row[static_cast<std::size_t>(k)]);
        if (label.empty()) {
            unknown.push_back(row[static_cast<std::size_t>(k)]);
            continue;
        }
        auto [it, fresh] = h.rows.emplace(label, std::make_pair(*w, table->lines[r]));
        if (!fresh) it->second.first = add_decimals(it->second.first, *w);  // several rows for one key: SUMIF
    }
    if (!unknown.empty())
        warning(*file, fmt::format("{} row(s) of {} match no {} of the plan (first: \"{}\"); they are ignored",
                                   unknown.size(), table->file, step.level, unknown.front()));
    // Members or periods without any history row weigh nothing: say so.
    std::vector<std::string> without;
    if (step.kind == Step::Kind::dimension) {
        for (const auto& m :
             plan_.dimensions[static_cast<std::size_t>(step.dimension)].members[static_cast<std::size_t>(step.depth)])
            if (!h.rows.count(m.id.str())) without.push_back(m.id.str());
    } else {
        for (const auto& p : periods_between(step.time, plan_.first, plan_.last, plan_.fiscal_start_month))
            if (!h.rows.count(p.label)) without.push_back(p.label);
    }
    if (!without.empty())
        warning(*history->key_field, fmt::format("{} {}(s) have no row in {} and get nothing (first: \"{}\")",
                                                 without.size(), step.level, table->file, without.front()));
    step.history = std::move(h);
}

std::string PlanReader::history_key(const Step& step, const std::string& key) {
    if (step.kind == Step::Kind::dimension) {
        const auto& index =
            member_index_[static_cast<std::size_t>(step.dimension)][static_cast<std::size_t>(step.depth)];
        const auto& level =
            plan_.dimensions[static_cast<std::size_t>(step.dimension)].members[static_cast<std::size_t>(step.depth)];
        return index.find(level, key) >= 0 ? key : std::string();
    }
    if (!period_cache_.count(step.level))
        period_cache_[step.level] = periods_between(step.time, plan_.first, plan_.last, plan_.fiscal_start_month);
    for (const auto& p : period_cache_[step.level])
        if (period_matches(p, key)) return p.label;
    // History is usually last year's: "2026-03" weighs March of the plan's period.
    if (key.size() > 5 && key[4] == '-' && std::all_of(key.begin(), key.begin() + 4, ::isdigit))
        for (const auto& p : period_cache_[step.level])
            if (period_matches(p, key.substr(5))) return p.label;
    return {};
}

// Override conditions can name any level that precedes the step; checked once all steps are known.
void PlanReader::check_conditions() {
    for (const auto& c : pending_conditions_) {
        int target = plan_.step_index(c.level);
        if (target < 0 || static_cast<std::size_t>(target) >= c.step) {
            error(*c.value,
                  fmt::format("override condition on \"{}\": not a level split before \"{}\"", c.level,
                              plan_.steps[c.step].level),
                  "conditions name a level that comes earlier in the split");
            continue;
        }
        const Step& s = plan_.steps[static_cast<std::size_t>(target)];
        std::string canonical = canonical_key(s, std::string(c.value->text), *c.value);
        if (canonical.empty()) continue;
        plan_.steps[c.step].overrides[c.override_index].when[c.condition].second = canonical;
    }
}

}  // namespace tgt::detail
