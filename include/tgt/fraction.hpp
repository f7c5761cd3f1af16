#pragma once
// Exact rational numbers for shares and capacity months (working days of a month are not decimals).

#include <optional>
#include <string>

#include "tgt/money.hpp"

namespace tgt {

/// num / den, always reduced, den > 0. Operations throw std::overflow_error rather than wrap.
struct Fraction {
    Wide num = 0;
    Wide den = 1;

    Fraction() = default;
    Fraction(Wide n, Wide d = 1);
    static Fraction of(const Decimal& d);

    bool is_zero() const { return num == 0; }
    friend Fraction operator+(const Fraction& a, const Fraction& b);
    friend Fraction operator-(const Fraction& a, const Fraction& b);
    friend Fraction operator*(const Fraction& a, const Fraction& b);
    friend Fraction operator/(const Fraction& a, const Fraction& b);
    friend bool operator==(const Fraction& a, const Fraction& b) { return a.num == b.num && a.den == b.den; }
    friend bool operator<(const Fraction& a, const Fraction& b);
};

/// Rounds to the nearest multiple of `quantum` (halves away from zero); throws on 64-bit overflow.
Minor round_to_quantum(const Fraction& value, Minor quantum);

/// "12/249" (or "12" when whole).
std::string format_fraction(const Fraction& f);
/// The value with `decimals` places, rounded half away from zero: "4.8193".
std::string format_fraction_decimal(const Fraction& f, int decimals);

/// num ÷ den with `decimals` places as an integer (halves away from zero); nullopt when den is 0
/// or the result does not fit in 64 bits. For rates and ratios shown beside amounts.
std::optional<Minor> divide_rounded(Wide num, Wide den, int decimals);

/// Greatest common divisor and least common multiple of non-negative 128-bit integers.
Wide gcd_wide(Wide a, Wide b);
Wide lcm_wide(Wide a, Wide b);

}  // namespace tgt
