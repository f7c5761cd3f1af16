// "funnel" (stages, rates, lead sources) and "visits" (customer tiers and how often they are seen).

#include <fmt/format.h>

#include <algorithm>

#include "plan_reader.hpp"
#include "tgt/fraction.hpp"
#include "tgt/funnel.hpp"

namespace tgt::detail {

// "funnel": stages from leads to deliveries with the conversion rate into each, the stage the
// target counts (or buys, with "order_value"), and lead sources with their shares and own rates.
void PlanReader::read_funnel(const JsonValue& v) {
    check_keys(v, {"metric", "order_value", "target_stage", "stages", "sources", "note"});
    Funnel f;
    f.where = at(v);
    if (!read_funnel_metric(v, f)) return;
    std::vector<std::string> ids = read_funnel_stages(v, f);
    f.target_stage = f.stages.empty() ? 0 : f.stages.size() - 1;
    if (auto* t = field(v, "target_stage", Kind::string))
        if (auto index = funnel_stage_index(ids, t->text, *t)) f.target_stage = *index;
    const Metric& metric = plan_.metrics[static_cast<std::size_t>(f.metric)];
    if (auto* o = v.find("order_value")) {
        auto value = number_of(*o);
        if (value && !(Decimal{0, 0} < *value))
            error(*o, fmt::format("\"order_value\" must be above 0 (got {})", o->text));
        else if (value)
            f.order_value = value;
    } else if (metric.money) {
        error(v,
              fmt::format("metric \"{}\" is money: the funnel needs \"order_value\", the amount one {} brings",
                          metric.id, ids.empty() ? std::string("order") : ids[f.target_stage]),
              "e.g. \"order_value\": \"15万\"");
    }
    read_funnel_sources(v, f, ids);
    plan_.funnel = std::move(f);
}

// The funnel's "metric" (by default the plan's first money or count metric); false when there is none.
bool PlanReader::read_funnel_metric(const JsonValue& v, Funnel& f) {
    f.metric = -1;
    std::vector<std::string> metric_ids;
    for (std::size_t m = 0; m < plan_.metrics.size(); ++m)
        if (!plan_.metrics[m].rate && plan_.metrics[m].stretch_of < 0) {
            metric_ids.push_back(plan_.metrics[m].id);
            if (f.metric < 0) f.metric = static_cast<int>(m);
        }
    if (auto* m = field(v, "metric", Kind::string)) {
        int index = plan_.metric_index(m->text);
        if (index < 0 || plan_.metrics[static_cast<std::size_t>(index)].rate) {
            std::string guess = did_you_mean(m->text, metric_ids);
            error(*m, fmt::format("funnel metric \"{}\" is not a money or count metric of the plan", m->text),
                  guess.empty() ? "metrics: " + join(metric_ids) : fmt::format("did you mean \"{}\"?", guess));
            return false;
        }
        f.metric = index;
    }
    if (f.metric < 0) {
        error(v, "a funnel needs a money or count metric to start from");
        return false;
    }
    return true;
}

// The funnel's "stages", with the rate into each or the count observed at each (the rates then
// follow from the counts); returns their ids.
std::vector<std::string> PlanReader::read_funnel_stages(const JsonValue& v, Funnel& f) {
    std::vector<std::string> ids;
    std::vector<const JsonValue*> items, rates, counts;  // per stage read: its value, "rate", "count"
    if (auto* stages = field(v, "stages", Kind::array, true)) {
        if (stages->items().size() < 2)
            error(*stages, "a funnel has at least two stages", "e.g. leads, then orders with the rate between");
        for (std::size_t i = 0; i < stages->items().size(); ++i) {
            const JsonValue& item = stages->items()[i];
            FunnelStage stage;
            const JsonValue *rate = nullptr, *count = nullptr;
            if (item.kind == Kind::string) {
                stage.id = item.text;
            } else if (expect_kind(item, Kind::object, "a stage")) {
                check_keys(item, {"id", "name", "rate", "count", "note"});
                if (auto* id = field(item, "id", Kind::string, true)) stage.id = id->text;
                if (auto* name = field(item, "name", Kind::string)) stage.name = name->text;
                if ((count = item.find("count"))) {
                    auto n = whole_number(*count);
                    if (!n || *n < 1)
                        error(*count,
                              fmt::format("an observed count is a whole number of at least 1 (got {})", count->text),
                              "a stage nobody reached gives no rate: leave the counts out and give rates");
                    else
                        stage.observed = *n;
                }
                if ((rate = item.find("rate"))) {
                    if (i == 0)
                        error(*rate, "the first stage has no conversion rate (nothing comes before it)");
                    else if (auto r = conversion_rate(*rate))
                        stage.rate = *r;
                    else
                        rate = nullptr;
                }
            } else {
                continue;
            }
            if (stage.id.empty()) continue;
            if (std::find(ids.begin(), ids.end(), stage.id) != ids.end())
                error(item, fmt::format("stage \"{}\" appears twice", stage.id));
            ids.push_back(stage.id);
            f.stages.push_back(std::move(stage));
            f.stage_where.push_back(at(item));
            items.push_back(&item);
            rates.push_back(rate);
            counts.push_back(count);
        }
    }
    if (funnel_observed(f)) {
        check_observed_counts(f, items, rates, counts);
        return ids;
    }
    for (std::size_t s = 1; s < f.stages.size(); ++s) {
        if (rates[s] || (items[s]->kind == Kind::object && items[s]->find("rate"))) continue;
        if (items[s]->kind == Kind::string)
            error(*items[s], fmt::format("stage \"{}\" needs a \"rate\"", f.stages[s].id),
                  fmt::format("write {{\"id\": \"{}\", \"rate\": \"30%\"}}", f.stages[s].id));
        else
            error(*items[s],
                  fmt::format("stage \"{}\" needs a \"rate\": the share of \"{}\" that becomes it", f.stages[s].id,
                              f.stages[s - 1].id),
                  "or give every stage its observed \"count\" and the rates follow");
    }
    return ids;
}

// Observed counts ("200 prospects → 30 appointments → 12 deals"): every stage has one, none is
// larger than the one before, and a rate given beside them says what they say; then the rates
// follow from them (15 %, 40 %).
void PlanReader::check_observed_counts(Funnel& f, const std::vector<const JsonValue*>& items,
                                       const std::vector<const JsonValue*>& rates,
                                       const std::vector<const JsonValue*>& counts) {
    auto problems = observed_count_problems(f);
    for (const auto& [s, message] : problems) {
        if (counts[s] && f.stages[s].observed <= 0) continue;  // a count below 1: reported where it was read
        error(counts[s] ? *counts[s] : *items[s], message,
              counts[s] ? "a later stage is a share of the one before: check the counts' periods and order"
                        : "give every stage its \"count\", or give rates instead of counts");
    }
    for (std::size_t s = 1; s < f.stages.size(); ++s) {
        if (!rates[s] || f.stages[s].observed <= 0 || f.stages[s - 1].observed <= 0) continue;
        Fraction observed(f.stages[s].observed, f.stages[s - 1].observed);
        if (Fraction::of(f.stages[s].rate) == observed) continue;
        error(*rates[s],
              fmt::format("stage \"{}\" has rate {} but its counts give {} of {} = {}%", f.stages[s].id, rates[s]->text,
                          f.stages[s].observed, f.stages[s - 1].observed,
                          trimmed(format_fraction_decimal(observed * Fraction(100), 4))),
              "give the counts or the rate, not both (the counts alone set the rate)");
        problems.emplace_back(s, "");
    }
    if (problems.empty()) derive_funnel_rates(f);
}

// The stage called `name` among `ids` (a string value, or a key reported at its value), or nullopt.
std::optional<std::size_t> PlanReader::funnel_stage_index(const std::vector<std::string>& ids, std::string_view name,
                                                          const JsonValue& value) {
    auto it = std::find(ids.begin(), ids.end(), name);
    if (it != ids.end()) return static_cast<std::size_t>(it - ids.begin());
    std::string guess = did_you_mean(name, ids);
    error(value, fmt::format("no stage \"{}\" in the funnel", name),
          guess.empty() ? "stages: " + join(ids) : fmt::format("did you mean \"{}\"?", guess));
    return std::nullopt;
}

// The funnel's lead "sources": their shares (adding up to 100 %) and own rates.
void PlanReader::read_funnel_sources(const JsonValue& v, Funnel& f, const std::vector<std::string>& ids) {
    if (auto* sources = field(v, "sources", Kind::array)) {
        Fraction total(0);
        for (const auto& item : sources->items()) {
            if (!expect_kind(item, Kind::object, "a lead source")) continue;
            check_keys(item, {"id", "name", "share", "rates", "note"});
            LeadSource source;
            if (auto* id = field(item, "id", Kind::string, true)) source.id = id->text;
            if (auto* name = field(item, "name", Kind::string)) source.name = name->text;
            if (auto* share = item.find("share")) {
                if (auto ratio = ratio_of(*share, "a source's share", false)) {
                    source.share = *ratio;
                    total = total + Fraction::of(*ratio);
                }
            } else {
                error(item, fmt::format("lead source \"{}\" needs a \"share\" of the {}", source.id,
                                        ids.empty() ? std::string("target") : ids[f.target_stage]));
            }
            if (auto* rates = field(item, "rates", Kind::object))
                for (const auto& [stage, rate] : rates->members()) {
                    auto index = funnel_stage_index(ids, stage, rate);
                    if (!index) continue;
                    if (*index == 0) {
                        error(rate, "the first stage has no conversion rate");
                        continue;
                    }
                    if (auto r = conversion_rate(rate)) source.rates.emplace_back(*index, *r);
                }
            f.sources.push_back(std::move(source));
        }
        if (!f.sources.empty() && !(total == Fraction(1)))
            error(*sources,
                  fmt::format("the sources' shares add up to {}%, not 100%",
                              trimmed(format_fraction_decimal(total * Fraction(100), 4))),
                  "they share the target stage's count among them");
    }
}

// "70.0000" → "70", "12.5000" → "12.5".
std::string PlanReader::trimmed(std::string number) {
    if (number.find('.') == std::string::npos) return number;
    while (number.back() == '0')
        number.pop_back();
    if (number.back() == '.') number.pop_back();
    return number;
}

// A conversion rate: above 0 (at 0 % no amount of leads is enough) and at most 100 %.
std::optional<Decimal> PlanReader::conversion_rate(const JsonValue& v) {
    auto r = ratio_of(v, "a conversion rate", false);
    if (!r) return r;
    if (r->is_zero()) {
        error(v, "a conversion rate of 0% would need endless activity", "leave the stage out, or give its real rate");
        return std::nullopt;
    }
    if (Decimal{1, 0} < *r) {
        error(v, fmt::format("a conversion rate above 100% ({}): a stage cannot produce more than it takes", v.text),
              "rates are the share of the stage before that becomes this one");
        return std::nullopt;
    }
    return r;
}

// "visits": {"tiers": [{"id": "vip", "name": "VIP", "every": "month"}, …]}. Read before the
// dimensions, so that members' "customers" can be checked against the tiers as they come.
void PlanReader::read_visits(const JsonValue& v) {
    check_keys(v, {"tiers", "customers_from", "note"});
    customers_from_ = v.find("customers_from");
    VisitPlan visits;
    visits.where = at(v);
    if (auto* tiers = field(v, "tiers", Kind::array, true)) {
        if (tiers->items().empty()) error(*tiers, "a visit plan needs at least one customer tier");
        for (const auto& item : tiers->items()) {
            if (!expect_kind(item, Kind::object, "a customer tier")) continue;
            check_keys(item, {"id", "name", "every", "per_month", "note"});
            CustomerTier tier;
            tier.where = at(item);
            auto* id = field(item, "id", Kind::string, true);
            if (!id) continue;
            tier.id = id->text;
            if (auto* n = field(item, "name", Kind::string)) tier.name = n->text;
            for (const auto& other : visits.tiers)
                if (other.id == tier.id) error(*id, fmt::format("tier \"{}\" appears twice", tier.id));
            auto* every = item.find("every");
            auto* per_month = item.find("per_month");
            if (every && per_month) {
                error(*per_month, "give \"every\" or \"per_month\", not both");
            } else if (every && every->kind == Kind::string &&
                       (every->text == "separately" || every->text == "另行安排")) {
                tier.separate = true;  // counted, never scheduled
            } else if (every) {
                if (auto months = visit_interval(*every)) tier.every_months = *months;
            } else if (per_month) {
                auto n = whole_number(*per_month);
                if (!n || *n < 1 || *n > 31)
                    error(*per_month, fmt::format("\"per_month\" is a whole number of visits from 1 to 31 (got {})",
                                                  per_month->text));
                else
                    tier.per_month = static_cast<int>(*n);
            } else {
                error(item, fmt::format("tier \"{}\" needs how often its customers are visited", tier.id),
                      "\"every\": \"month\" (or \"2 months\", \"quarter\", \"year\"), or \"per_month\": 2");
            }
            visits.tiers.push_back(std::move(tier));
        }
    }
    plan_.visits = std::move(visits);
}

// "month", "quarter", "half year", "year" or "N months" (1 to 12): months between visits.
std::optional<int> PlanReader::visit_interval(const JsonValue& v) {
    static const std::vector<std::pair<std::string, int>> named{
        {"month", 1}, {"quarter", 3}, {"half year", 6}, {"year", 12}};
    if (v.kind == Kind::string) {
        for (const auto& [word, months] : named)
            if (v.text == word) return months;
        for (int n = 1; n <= 12; ++n)
            if (v.text == fmt::format("{} months", n) || v.text == fmt::format("{} month", n)) return n;
    }
    error(v,
          fmt::format("\"every\" is \"month\", \"quarter\", \"half year\", \"year\" or \"N months\" (got {})",
                      v.kind == Kind::string ? "\"" + std::string(v.text) + "\"" : describe_kind(v.kind)),
          "e.g. \"every\": \"2 months\" for tier 1 customers seen every other month");
    return std::nullopt;
}

}  // namespace tgt::detail
