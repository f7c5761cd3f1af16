// "growth" on a time level split by history: each period grows over last year's same period;
// "annual_growth" beside it is the year's rate as the plan states it, checked against the periods'.

#include <fmt/format.h>

#include "plan_reader.hpp"
#include "tgt/period_growth.hpp"

namespace tgt::detail {

namespace {

// history × (1 + g), exactly.
Decimal grown(const Decimal& history, const Decimal& g) {
    return Decimal{history.mantissa * (pow10_wide(g.scale) + g.mantissa), history.scale + g.scale};
}

}  // namespace

// One rate ("5%"), a list by position over the plan's periods, or {"2027-Q1": "5%", "*": "4%"}.
std::map<std::string, Decimal> PlanReader::period_rates(const JsonValue& g, const Step& step) {
    std::map<std::string, Decimal> rates;
    auto periods = periods_between(step.time, plan_.first, plan_.last, plan_.fiscal_start_month);
    auto rate = [&](const JsonValue& v) -> std::optional<Decimal> {
        auto r = ratio_of(v, "growth", true);
        if (r && *r < Decimal{-1, 0}) {
            error(v, fmt::format("growth {} takes away more than the whole period", v.text));
            return std::nullopt;
        }
        return r;
    };
    if (g.kind == Kind::array) {
        if (g.items().size() != periods.size()) {
            error(g,
                  fmt::format("{} growth rates listed, but the plan's period has {} {}(s)", g.items().size(),
                              periods.size(), step.level),
                  "list one rate per period, or key them by label: {\"2027-Q1\": \"5%\", …}");
            return rates;
        }
        for (std::size_t i = 0; i < periods.size(); ++i)
            if (auto r = rate(g.items()[i])) rates[periods[i].label] = *r;
        return rates;
    }
    if (g.kind != Kind::object) {
        if (auto r = rate(g))
            for (const auto& p : periods)
                rates[p.label] = *r;
        return rates;
    }
    std::optional<Decimal> every;
    for (const auto& [key, value] : g.members()) {
        if (key == "*") {
            every = rate(value);
            continue;
        }
        std::string canonical = canonical_key(step, std::string(key), value);
        if (canonical.empty()) continue;
        if (auto r = rate(value)) rates[canonical] = *r;
    }
    std::vector<std::string> missing;
    for (const auto& p : periods)
        if (!rates.count(p.label)) {
            if (every)
                rates[p.label] = *every;
            else
                missing.push_back(p.label);
        }
    if (!missing.empty())
        error(g,
              fmt::format("{} {}(s) have no growth rate (first: \"{}\")", missing.size(), step.level, missing.front()),
              "give every period a rate, or \"*\" for the rest");
    return rates;
}

void PlanReader::read_period_growth(const JsonValue& item, Step& step) {
    auto* g = item.find("growth");
    auto* a = item.find("annual_growth");
    if (step.kind != Step::Kind::time) {
        if (a) error(*a, "\"annual_growth\" goes beside growth per period, on a time level");
        return;
    }
    if (!g) {
        if (a) error(*a, "\"annual_growth\" needs \"growth\" per period beside it");
        return;
    }
    if (step.basis != Basis::history) {
        error(*g, fmt::format("growth per {} grows last year's history: it needs \"by\": \"history\"", step.level),
              "add \"by\": \"history\" with last year's file, key and column");
        return;
    }
    PeriodGrowth pg;
    pg.where = at(*g);
    pg.rates = period_rates(*g, step);
    if (a) pg.annual = ratio_of(*a, "annual_growth", true);
    if (!step.history || pg.rates.empty()) return;
    for (const auto& [label, row] : step.history->rows)
        pg.last_year[label] = row.first;
    try {
        GrowthReadings readings = growth_readings(pg);
        if (pg.annual && contradicts(readings, *pg.annual))
            warning(*a, describe_growth(readings, step.level, pg.annual),
                    "make the period rates add up to the annual rate, or drop one of them");
    } catch (const std::overflow_error&) {
        error(*g, "growth rates too precise to compare exactly");
        return;
    }
    for (auto& [label, row] : step.history->rows)
        if (auto it = pg.rates.find(label); it != pg.rates.end()) row.first = grown(row.first, it->second);
    step.period_growth = std::move(pg);
}

}  // namespace tgt::detail
