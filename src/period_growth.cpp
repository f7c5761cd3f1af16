#include "tgt/period_growth.hpp"

#include <fmt/format.h>

namespace tgt {

GrowthReadings growth_readings(const PeriodGrowth& growth) {
    const auto& history = growth.last_year;
    const auto& rates = growth.rates;
    GrowthReadings r;
    Fraction product(1);
    bool first = true, same = true;
    for (const auto& [label, rate] : rates) {
        Fraction g = Fraction::of(rate);
        ++r.periods;
        product = product * (Fraction(1) + g);
        r.summed = r.summed + g;
        if (first)
            r.uniform = rate;
        else if (!(Fraction::of(*r.uniform) == g))
            same = false;
        first = false;
        auto it = history.find(label);
        if (it == history.end()) continue;
        Fraction h = Fraction::of(it->second);
        r.history = r.history + h;
        r.grown = r.grown + h * (Fraction(1) + g);
    }
    if (!same) r.uniform.reset();
    r.compounded = product - Fraction(1);
    r.implied = r.history == Fraction(0) ? Fraction(0) : r.grown / r.history - Fraction(1);
    return r;
}

bool contradicts(const GrowthReadings& readings, const Decimal& annual) {
    return !(readings.implied == Fraction::of(annual));
}

namespace {

// A decimal with at most `decimals` places, trailing zeros dropped: "1.05", "20".
std::string trimmed(const Fraction& value, int decimals) {
    std::string text = format_fraction_decimal(value, decimals);
    if (text.find('.') != std::string::npos) {
        while (text.back() == '0')
            text.pop_back();
        if (text.back() == '.') text.pop_back();
    }
    return text;
}

// "+21.55 %", "+20 %", "-5 %".
std::string signed_percent(const Fraction& ratio) {
    std::string text = trimmed(ratio * Fraction(100), 2);
    if (text == "0" || text == "-0") return "0 %";
    return (text[0] == '-' ? "" : "+") + text + " %";
}

std::string plain_percent(const Decimal& ratio) {
    std::string text = signed_percent(Fraction::of(ratio));
    return text[0] == '+' ? text.substr(1) : text;
}

std::string superscript(std::size_t n) {
    static const char* digits[] = {"⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"};
    std::string s = std::to_string(n), out;
    for (char c : s)
        out += digits[c - '0'];
    return out;
}

}  // namespace

std::string describe_growth(const GrowthReadings& r, std::string_view level, const std::optional<Decimal>& annual) {
    std::string rates = r.uniform ? fmt::format("{}s at {}", level, signed_percent(Fraction::of(*r.uniform)))
                                  : fmt::format("{} {} rates", r.periods, level);
    std::string compounding, summing;
    if (r.uniform) {
        compounding = fmt::format("{}{} = {}", trimmed(Fraction(1) + Fraction::of(*r.uniform), 6),
                                  superscript(r.periods), signed_percent(r.compounded));
        summing = fmt::format("{} × {} = {}", r.periods, plain_percent(*r.uniform), signed_percent(r.summed));
    } else {
        compounding = fmt::format("Π (1 + g) = {}", signed_percent(r.compounded));
        summing = fmt::format("Σ g = {}", signed_percent(r.summed));
    }
    std::string out = fmt::format(
        "{} imply {} for the year (Σ history × (1 + g) ÷ Σ history − 1); read as "
        "compounding {}, as a sum {}",
        rates, signed_percent(r.implied), compounding, summing);
    if (annual) out += fmt::format("; the plan states {}", signed_percent(Fraction::of(*annual)));
    return out;
}

}  // namespace tgt
