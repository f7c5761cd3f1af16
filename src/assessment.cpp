// Assessment scores and pay bands: exact fractions throughout; display rounds, comparisons do not.

#include "tgt/assessment.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>

namespace tgt {

namespace {

Fraction clamp(const Fraction& v, const Fraction& low, const Fraction& high) {
    if (v < low) return low;
    if (high < v) return high;
    return v;
}

// "85", "87.5", "33.33": at most two decimals, trailing zeros dropped (for messages).
std::string points_text(const Fraction& f) {
    std::string s = format_fraction_decimal(f, 2);
    if (s.find('.') != std::string::npos) {
        while (s.back() == '0')
            s.pop_back();
        if (s.back() == '.') s.pop_back();
    }
    return s;
}

}  // namespace

Fraction max_score(const Assessment& scheme) {
    Fraction total(0);
    for (const auto& part : scheme.parts)
        total = total + Fraction::of(part.points) * (part.duty() ? Fraction(1) : Fraction::of(part.cap));
    return total;
}

std::optional<Fraction> part_score(const AssessmentPart& part, std::size_t index, const AssessmentInput& input) {
    const Fraction points = Fraction::of(part.points);
    if (part.duty()) {
        if (index >= input.deductions.size() || !input.deductions[index]) return points;
        return clamp(points - *input.deductions[index], Fraction(0), points);
    }
    Fraction weighted(0);
    for (const auto& [metric, weight] : part.metrics) {
        const auto m = static_cast<std::size_t>(metric);
        if (m >= input.achievement.size() || !input.achievement[m]) return std::nullopt;
        weighted = weighted + Fraction::of(weight) * clamp(*input.achievement[m], Fraction(0), Fraction::of(part.cap));
    }
    return points * weighted;
}

std::optional<Fraction> assessment_score(const Assessment& scheme, const AssessmentInput& input) {
    Fraction total(0);
    for (std::size_t i = 0; i < scheme.parts.size(); ++i) {
        auto s = part_score(scheme.parts[i], i, input);
        if (!s) return std::nullopt;
        total = total + *s;
    }
    return total;
}

std::optional<std::size_t> pay_band(const Assessment& scheme, const Fraction& score) {
    for (std::size_t i = 0; i < scheme.pay.size(); ++i) {
        const PayBand& b = scheme.pay[i];
        if (score < Fraction::of(b.from)) continue;
        if (b.to && !(score < Fraction::of(*b.to))) continue;
        return i;
    }
    return std::nullopt;
}

std::vector<PayBandProblem> pay_band_problems(const Assessment& scheme) {
    std::vector<PayBandProblem> problems;
    if (scheme.pay.empty()) return problems;
    std::vector<std::size_t> order(scheme.pay.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return Fraction::of(scheme.pay[a].from) < Fraction::of(scheme.pay[b].from);
    });
    const Fraction top = max_score(scheme);
    auto band_name = [&](std::size_t i) {
        const PayBand& b = scheme.pay[i];
        return fmt::format("band {} ({} to {})", i + 1, points_text(Fraction::of(b.from)),
                           b.to ? points_text(Fraction::of(*b.to)) : std::string("no upper end"));
    };
    // `covered`: scores below it are in some band (the bands so far, by their starts); nullopt: all are.
    std::optional<Fraction> covered = Fraction(0);
    std::size_t last = order.front();
    for (std::size_t k = 0; k < order.size(); ++k) {
        const std::size_t i = order[k];
        const PayBand& b = scheme.pay[i];
        const Fraction from = Fraction::of(b.from);
        const std::optional<Fraction> to = b.to ? std::optional<Fraction>(Fraction::of(*b.to)) : std::nullopt;
        if (covered && *covered < from && *covered < top) {
            PayBandProblem p;
            p.kind = PayBandProblem::Kind::gap;
            p.from = *covered;
            p.to = from;
            p.bands = {i};
            if (k > 0) p.bands.insert(p.bands.begin(), last);
            p.message =
                fmt::format("scores {} to {} fall in no band (below {}{})", points_text(*covered), points_text(from),
                            band_name(i), k > 0 ? ", above " + band_name(last) : std::string());
            p.where = b.where;
            problems.push_back(std::move(p));
        } else if (k > 0 && (!covered || from < *covered)) {
            PayBandProblem p;
            p.kind = PayBandProblem::Kind::overlap;
            p.from = from;
            p.to = covered ? (to && *to < *covered ? to : covered) : to;
            p.bands = {last, i};
            p.message = fmt::format("scores {} to {} fall in two bands: {} and {}", points_text(from),
                                    p.to ? points_text(*p.to) : std::string("the top"), band_name(last), band_name(i));
            p.where = b.where;
            problems.push_back(std::move(p));
        }
        if (!covered) continue;
        if (!to || *covered < *to) {
            covered = to;
            last = i;
        }
    }
    if (covered && !(top < *covered)) {
        PayBandProblem p;
        p.kind = PayBandProblem::Kind::gap;
        p.from = *covered;
        p.to = top;
        p.bands = {last};
        p.message = fmt::format("scores {} to {} (the most the scheme gives, included) fall in no band (above {})",
                                points_text(*covered), points_text(top), band_name(last));
        p.where = scheme.pay[last].where;
        problems.push_back(std::move(p));
    }
    return problems;
}

}  // namespace tgt
