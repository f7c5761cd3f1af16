// "assessment" (parts with points, pay bands) and "market" (market sizes, share and price bands).

#include <fmt/format.h>

#include <algorithm>

#include "plan_reader.hpp"
#include "tgt/fraction.hpp"

namespace tgt::detail {

namespace {

// Points and scores stay small and short: at most 1,000,000 with at most 4 decimals.
bool sane_points(const Decimal& d) {
    return d.scale <= 4 && !d.is_negative() && d.mantissa <= pow10_wide(6 + d.scale);
}

}  // namespace

// A score or points value: a number from 0 to 1,000,000 with at most 4 decimals.
std::optional<Decimal> PlanReader::points_of(const JsonValue& v, std::string_view what) {
    auto d = number_of(v);
    if (d && !sane_points(*d)) {
        error(v, fmt::format("{} must be a number from 0 to 1000000 with at most 4 decimals (got {})", what, v.text));
        return std::nullopt;
    }
    return d;
}

// A money or count metric of the plan named by `v` (a string or a key's value), reported when it is not.
std::optional<int> PlanReader::plain_metric(const JsonValue& v, std::string_view name) {
    int index = plan_.metric_index(name);
    if (index >= 0 && !plan_.metrics[static_cast<std::size_t>(index)].rate) return index;
    std::vector<std::string> ids;
    for (const auto& m : plan_.metrics)
        if (!m.rate) ids.push_back(m.id);
    std::string guess = did_you_mean(name, ids);
    error(v, fmt::format("\"{}\" is not a money or count metric of the plan", name),
          guess.empty() ? "metrics: " + join(ids) : fmt::format("did you mean \"{}\"?", guess));
    return std::nullopt;
}

// "assessment": {"parts": [{"id", "points", "metrics": {"sales": "60%"}, "cap": "120%"} or
// {"id", "points", "deductions": "duty_deductions"}], "pay": [{"from", "to", "factor"}]}.
void PlanReader::read_assessment(const JsonValue& v) {
    check_keys(v, {"parts", "pay", "note"});
    Assessment a;
    a.where = at(v);
    if (auto* parts = field(v, "parts", Kind::array, true)) {
        if (parts->items().empty()) error(*parts, "an assessment needs at least one part", "e.g. 70 points for sales");
        for (const auto& item : parts->items())
            if (expect_kind(item, Kind::object, "an assessment part")) read_assessment_part(item, a);
    }
    if (auto* pay = field(v, "pay", Kind::array))
        for (const auto& item : pay->items()) {
            if (!expect_kind(item, Kind::object, "a pay band")) continue;
            check_keys(item, {"from", "to", "factor", "note"});
            PayBand band;
            band.where = at(item);
            if (auto* from = item.find("from")) {
                if (auto d = points_of(*from, "\"from\"")) band.from = *d;
            } else {
                error(item, "a pay band needs \"from\": the lowest score it pays (included)");
            }
            if (auto* to = item.find("to"))
                if (auto d = points_of(*to, "\"to\"")) {
                    if (!(band.from < *d))
                        error(
                            *to,
                            fmt::format("\"to\" ({}) must be above \"from\" ({})", to->text, format_decimal(band.from)),
                            "a band runs from \"from\" (included) up to \"to\" (excluded)");
                    band.to = d;
                }
            if (auto* factor = item.find("factor")) {
                if (auto r = ratio_of(*factor, "a pay factor", false)) band.factor = *r;
            } else {
                error(item, "a pay band needs \"factor\": the share of pay it gives (\"95%\")");
            }
            a.pay.push_back(band);
        }
    // Gaps and overlaps leave a score without a factor or with two: each one at its band (`tgt check` lists them too).
    if (!problems_.has_errors())
        for (const auto& p : pay_band_problems(a))
            problems_.warning(p.where, p.message,
                              p.kind == PayBandProblem::Kind::gap ? "make each band start where the one below ends"
                                                                  : "make each band end where the one above starts");
    plan_.assessment = std::move(a);
}

void PlanReader::read_assessment_part(const JsonValue& item, Assessment& a) {
    check_keys(item, {"id", "name", "points", "metrics", "cap", "deductions", "note"});
    AssessmentPart part;
    part.where = at(item);
    if (auto* id = field(item, "id", Kind::string, true)) {
        part.id = id->text;
        for (const auto& other : a.parts)
            if (other.id == part.id) error(*id, fmt::format("part \"{}\" appears twice", part.id));
    }
    if (auto* name = field(item, "name", Kind::string)) part.name = name->text;
    if (auto* points = item.find("points")) {
        if (auto d = points_of(*points, "\"points\"")) {
            if (d->is_zero())
                error(*points, "a part's \"points\" must be above 0", "what the part is worth at 100 %, e.g. 30");
            part.points = *d;
        }
    } else {
        error(item, fmt::format("part \"{}\" needs \"points\": what it is worth at 100 %", part.id));
    }
    if (auto* metrics = field(item, "metrics", Kind::object)) {
        Fraction total(0);
        for (const auto& [id, weight] : metrics->members()) {
            auto index = plain_metric(weight, id);
            auto ratio = ratio_of(weight, "a metric's weight", false);
            if (!index || !ratio) continue;
            part.metrics.emplace_back(*index, *ratio);
            total = total + Fraction::of(*ratio);
        }
        if (metrics->members().empty())
            error(*metrics, "\"metrics\" names no metric", "e.g. {\"sales\": \"60%\", \"collected\": \"40%\"}");
        else if (!part.metrics.empty() && !(total == Fraction(1)))
            error(*metrics,
                  fmt::format("the metrics' weights add up to {}%, not 100%",
                              format_fraction_decimal(total * Fraction(100), 2)),
                  "weights share the part's points: make them total 100%");
        if (item.find("deductions"))
            error(*item.find("deductions"), "a part scores metrics or takes duty deductions, not both");
    } else if (item.find("cap")) {
        error(*item.find("cap"), "\"cap\" applies to a part with \"metrics\"",
              "leave it out: duty points are at most the part's points");
    }
    if (auto* cap = item.find("cap"))
        if (auto r = ratio_of(*cap, "a cap", false)) {
            if (r->is_zero()) error(*cap, "\"cap\" must be above 0%", "e.g. \"120%\": achievement counts up to 120 %");
            part.cap = *r;
        }
    if (auto* column = field(item, "deductions", Kind::string)) part.column = column->text;
    a.parts.push_back(std::move(part));
}

// "market": {"size": {"units": "50万"}, "share": {"min", "max"}, "prices": [{"amount", "per", "min",
// "max"}], "members": {"华东": {the same keys}}}.
void PlanReader::read_market(const JsonValue& v) {
    check_keys(v, {"size", "share", "prices", "members", "note"});
    MarketCheck check;
    check.where = at(v);
    MarketScope whole;
    whole.where = at(v);
    read_market_scope(v, whole);
    check.scopes.push_back(whole);
    if (auto* members = field(v, "members", Kind::object))
        for (const auto& [id, item] : members->members()) {
            if (!expect_kind(item, Kind::object, "a member's market")) continue;
            check_keys(item, {"size", "share", "prices", "note"});
            MarketScope scope;
            scope.member = std::string(id);
            scope.where = at(item);
            for (std::size_t d = 0; d < plan_.dimensions.size() && d < member_index_.size() && scope.dimension < 0; ++d)
                for (std::size_t depth = 0; depth < member_index_[d].size(); ++depth)
                    if (member_index_[d][depth].find(plan_.dimensions[d].members[depth], id) >= 0) {
                        scope.dimension = static_cast<int>(d);
                        scope.depth = static_cast<int>(depth);
                        break;
                    }
            if (scope.dimension < 0) {
                std::vector<std::string> ids;
                for (const auto& dim : plan_.dimensions)
                    for (const auto& level : dim.members)
                        for (const auto& m : level)
                            ids.push_back(m.id.str());
                std::string guess = did_you_mean(id, ids);
                problems_.error(doc_.locate_key(item), fmt::format("no member \"{}\" in the plan", id),
                                guess.empty() ? std::string() : fmt::format("did you mean \"{}\"?", guess));
                continue;
            }
            const auto& levels = plan_.dimensions[static_cast<std::size_t>(scope.dimension)].levels;
            const std::string& level = levels[static_cast<std::size_t>(scope.depth)];
            if (plan_.step_index(level) < 0)
                problems_.error(doc_.locate_key(item),
                                fmt::format("member \"{}\" is at level \"{}\", which the split does not reach: it has "
                                            "no target of its own to check",
                                            id, level),
                                fmt::format("add {{\"level\": \"{}\"}} to \"split\"", level));
            read_market_scope(item, scope);
            // The plan's bands hold for a member that states none of its own.
            if (!scope.share_min && !scope.share_max) {
                scope.share_min = whole.share_min;
                scope.share_max = whole.share_max;
            }
            for (const auto& band : whole.prices)
                if (std::none_of(scope.prices.begin(), scope.prices.end(),
                                 [&](const PriceBand& b) { return b.amount == band.amount && b.per == band.per; }))
                    scope.prices.push_back(band);
            check.scopes.push_back(std::move(scope));
        }
    plan_.market = std::move(check);
}

void PlanReader::read_market_scope(const JsonValue& v, MarketScope& scope) {
    if (auto* size = field(v, "size", Kind::object))
        for (const auto& [id, value] : size->members()) {
            auto index = plain_metric(value, id);
            if (!index) continue;
            const Metric& metric = plan_.metrics[static_cast<std::size_t>(*index)];
            auto minor = amount(value, metric, "a market size");
            if (!minor) continue;
            if (*minor == 0)
                error(value, "a market size must be above 0", "the whole market's units or money, e.g. \"50万\"");
            else
                scope.size.emplace_back(*index, *minor);
        }
    if (auto* share = field(v, "share", Kind::object)) {
        check_keys(*share, {"min", "max"});
        if (auto* min = share->find("min")) scope.share_min = ratio_of(*min, "a share", false);
        if (auto* max = share->find("max")) scope.share_max = ratio_of(*max, "a share", false);
        if (scope.share_min && scope.share_max && *scope.share_max < *scope.share_min)
            error(*share,
                  fmt::format("\"max\" ({}) is below \"min\" ({})", format_percent(*scope.share_max),
                              format_percent(*scope.share_min)),
                  "swap them");
        if (!share->find("min") && !share->find("max")) error(*share, "a share band needs \"min\", \"max\" or both");
    }
    if (auto* prices = field(v, "prices", Kind::array))
        for (const auto& item : prices->items()) {
            if (!expect_kind(item, Kind::object, "a price band")) continue;
            check_keys(item, {"amount", "per", "min", "max", "note"});
            PriceBand band;
            band.where = at(item);
            if (auto* m = field(item, "amount", Kind::string, true))
                band.amount = plain_metric(*m, m->text).value_or(-1);
            if (auto* m = field(item, "per", Kind::string, true)) band.per = plain_metric(*m, m->text).value_or(-1);
            for (auto [key, into] : {std::pair{"min", &band.min}, std::pair{"max", &band.max}})
                if (auto* x = item.find(key)) {
                    auto d = number_of(*x);
                    if (d && d->is_negative())
                        error(*x, fmt::format("a price must be >= 0 (got {})", x->text));
                    else
                        *into = d;
                }
            if (!band.min && !band.max && !item.find("min") && !item.find("max"))
                error(item, "a price band needs \"min\", \"max\" or both", "e.g. \"min\": 1500, \"max\": 2500");
            if (band.min && band.max && *band.max < *band.min)
                error(item,
                      fmt::format("\"max\" ({}) is below \"min\" ({})", format_decimal(*band.max),
                                  format_decimal(*band.min)),
                      "swap them");
            if (band.amount >= 0 && band.amount == band.per)
                error(item, "a price divides one metric by another: \"amount\" and \"per\" are the same",
                      "e.g. \"amount\": \"sales\", \"per\": \"units\"");
            if (band.amount >= 0 && band.per >= 0) scope.prices.push_back(band);
        }
}

}  // namespace tgt::detail
