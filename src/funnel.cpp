#include "tgt/funnel.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

#include "tgt/activity_quota.hpp"
#include "tgt/apportion.hpp"
#include "tgt/fraction.hpp"
#include "tgt/plan.hpp"

namespace tgt {

namespace {

Wide ceil_of(const Fraction& f) {  // den > 0
    Wide q = f.num / f.den;
    return (f.num % f.den != 0 && f.num > 0) ? q + 1 : q;
}

Wide floor_of(const Fraction& f) {
    Wide q = f.num / f.den;
    return (f.num % f.den != 0 && f.num < 0) ? q - 1 : q;
}

std::int64_t narrow(Wide v) {
    if (v > INT64_MAX || v < INT64_MIN) throw std::overflow_error("funnel count overflows 64 bits");
    return static_cast<std::int64_t>(v);
}

}  // namespace

Decimal funnel_rate(const Funnel& funnel, std::size_t source, std::size_t s) {
    if (source < funnel.sources.size())
        for (const auto& [stage, rate] : funnel.sources[source].rates)
            if (stage == s) return rate;
    return funnel.stages[s].rate;
}

Fraction funnel_fraction(const Funnel& funnel, std::size_t source, std::size_t s) {
    if (source < funnel.sources.size())
        for (const auto& [stage, rate] : funnel.sources[source].rates)
            if (stage == s) return Fraction::of(rate);
    if (s > 0 && funnel.stages[s].observed > 0 && funnel.stages[s - 1].observed > 0)
        return Fraction(funnel.stages[s].observed, funnel.stages[s - 1].observed);
    return Fraction::of(funnel.stages[s].rate);
}

bool funnel_observed(const Funnel& funnel) {
    return std::any_of(funnel.stages.begin(), funnel.stages.end(), [](const auto& s) { return s.observed > 0; });
}

std::vector<std::pair<std::size_t, std::string>> observed_count_problems(const Funnel& funnel) {
    std::vector<std::pair<std::size_t, std::string>> out;
    if (!funnel_observed(funnel)) return out;
    for (std::size_t s = 0; s < funnel.stages.size(); ++s) {
        const FunnelStage& stage = funnel.stages[s];
        if (stage.observed <= 0) {
            out.emplace_back(s, fmt::format("stage \"{}\" has no observed count, but other stages do", stage.id));
            continue;
        }
        if (s > 0 && funnel.stages[s - 1].observed > 0 && stage.observed > funnel.stages[s - 1].observed)
            out.emplace_back(s, fmt::format("stage \"{}\" counts {}, more than the {} of \"{}\" before it", stage.id,
                                            stage.observed, funnel.stages[s - 1].observed, funnel.stages[s - 1].id));
    }
    return out;
}

void derive_funnel_rates(Funnel& funnel) {
    for (std::size_t s = 1; s < funnel.stages.size(); ++s) {
        // As a ratio with 6 places (a percentage with 4): 30/200 → 0.15; 1/3 → 0.333333.
        auto scaled = divide_rounded(funnel.stages[s].observed, funnel.stages[s - 1].observed, 6);
        if (!scaled) continue;
        Decimal rate{*scaled, 6};
        while (rate.scale > 0 && rate.mantissa % 10 == 0) {
            rate.mantissa /= 10;
            --rate.scale;
        }
        funnel.stages[s].rate = rate;
    }
}

std::vector<FunnelCounts> funnel_counts(const Funnel& funnel, Minor target, int decimals) {
    const std::size_t n = funnel.stages.size(), t = funnel.target_stage;
    // Units at the target stage: whole ones, rounded up (a 9.6-order target takes 10 orders).
    Fraction amount(target, pow10_wide(decimals));
    Fraction units_needed = funnel.order_value ? amount / Fraction::of(*funnel.order_value) : amount;
    std::int64_t units = target > 0 ? narrow(ceil_of(units_needed)) : 0;

    // Shared among the sources by largest remainder, so that they add up to the units.
    std::size_t source_count = std::max<std::size_t>(1, funnel.sources.size());
    std::vector<std::int64_t> per_source(source_count, units);
    if (!funnel.sources.empty() && units > 0) {
        int scale = 0;
        for (const auto& s : funnel.sources)
            scale = std::max(scale, s.share.scale);
        std::vector<std::int64_t> weights;
        for (const auto& s : funnel.sources)
            weights.push_back(*s.share.scaled_to(scale));
        per_source = apportion(units, WeightSet::from(weights));
    }

    std::vector<FunnelCounts> out(source_count);
    for (std::size_t src = 0; src < source_count; ++src) {
        std::vector<std::int64_t>& counts = out[src].stages;
        counts.assign(n, 0);
        const std::int64_t u = per_source[src];
        counts[t] = u;
        // Above: from the target stage through the product of the rates in between, rounded up once.
        Fraction through(1);
        for (std::size_t s = t; s-- > 0;) {
            through = through * funnel_fraction(funnel, src, s + 1);
            counts[s] = narrow(ceil_of(Fraction(u) / through));
        }
    }
    // Below: what the units yield, rounded down once over all sources (3 orders at 95 % yield 2
    // deliveries even when each source has one order); the sources share that by largest remainder
    // of their exact yields, ties to the earlier source.
    std::vector<Fraction> yields(source_count, Fraction(0));
    for (std::size_t src = 0; src < source_count; ++src)
        yields[src] = Fraction(per_source[src]);
    for (std::size_t s = t + 1; s < n; ++s) {
        Fraction total(0);
        std::int64_t handed = 0;
        for (std::size_t src = 0; src < source_count; ++src) {
            yields[src] = yields[src] * funnel_fraction(funnel, src, s);
            total = total + yields[src];
            out[src].stages[s] = narrow(floor_of(yields[src]));
            handed += out[src].stages[s];
        }
        std::vector<std::size_t> order(source_count);
        for (std::size_t i = 0; i < source_count; ++i)
            order[i] = i;
        auto remainder = [&](std::size_t i) { return yields[i] - Fraction(out[i].stages[s]); };
        std::stable_sort(order.begin(), order.end(),
                         [&](std::size_t a, std::size_t b) { return remainder(b) < remainder(a); });
        for (std::int64_t left = narrow(floor_of(total)) - handed, k = 0; left > 0; --left, ++k)
            ++out[order[static_cast<std::size_t>(k)]].stages[s];
    }
    return out;
}

FunnelSpread::FunnelSpread(const Plan& plan, TimeLevel coarse, TimeLevel fine) : plan_(plan), fine_(fine) {
    for (const auto& p : periods_between(coarse, plan.first, plan.last, plan.fiscal_start_month))
        coarse_.emplace(p.label, p);
}

void FunnelSpread::add(std::string_view label, std::size_t source, const std::vector<std::int64_t>& counts) {
    auto it = coarse_.find(std::string(label));
    if (it == coarse_.end()) return;
    const Period& c = it->second;
    const bool working = plan_.calendar.working_days(c.first, c.last) > 0;  // else: calendar days
    auto days = [&](Date a, Date b) -> int {
        if (b < a) return 0;
        return working ? plan_.calendar.working_days(a, b) : static_cast<int>((b - a).count() + 1);
    };
    const int n = days(c.first, c.last);
    for (const auto& f : periods_between(fine_, c.first, c.last, plan_.fiscal_start_month)) {
        const int before = days(c.first, f.first - std::chrono::days{1}), inside = days(f.first, f.last);
        const Period whole = period_containing(fine_, f.first, plan_.fiscal_start_month);
        auto& cell = cells_[{whole.first, source}];
        cell.first = whole.label;
        cell.second.resize(counts.size(), 0);
        for (std::size_t s = 0; s < counts.size(); ++s)
            cell.second[s] += first_days_share(counts[s], n, before + inside) - first_days_share(counts[s], n, before);
    }
}

}  // namespace tgt
