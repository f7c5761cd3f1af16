#include "tgt/fraction.hpp"

#include <stdexcept>

namespace tgt {

namespace {

constexpr Wide kWideMax = static_cast<Wide>(~static_cast<UWide>(0) >> 1);

Wide abs_wide(Wide v) {
    return v < 0 ? -v : v;
}

Wide mul_checked(Wide a, Wide b) {
    if (a == 0 || b == 0) return 0;
    if (abs_wide(a) > kWideMax / abs_wide(b)) throw std::overflow_error("fraction overflows 128 bits");
    return a * b;
}

Wide add_checked(Wide a, Wide b) {
    if ((b > 0 && a > kWideMax - b) || (b < 0 && a < -kWideMax - b))
        throw std::overflow_error("fraction overflows 128 bits");
    return a + b;
}

}  // namespace

Wide gcd_wide(Wide a, Wide b) {
    a = abs_wide(a);
    b = abs_wide(b);
    while (b != 0) {
        Wide t = a % b;
        a = b;
        b = t;
    }
    return a;
}

Wide lcm_wide(Wide a, Wide b) {
    if (a == 0 || b == 0) return 0;
    return mul_checked(a / gcd_wide(a, b), b);
}

Fraction::Fraction(Wide n, Wide d) {
    if (d == 0) throw std::domain_error("fraction with a zero denominator");
    if (d < 0) {
        n = -n;
        d = -d;
    }
    Wide g = gcd_wide(n, d);
    if (g > 1) {
        n /= g;
        d /= g;
    }
    num = n;
    den = d;
}

Fraction Fraction::of(const Decimal& d) {
    return Fraction(d.mantissa, pow10_wide(d.scale));
}

Fraction operator+(const Fraction& a, const Fraction& b) {
    Wide g = gcd_wide(a.den, b.den);
    Wide den = mul_checked(a.den / g, b.den);
    return Fraction(add_checked(mul_checked(a.num, b.den / g), mul_checked(b.num, a.den / g)), den);
}

Fraction operator-(const Fraction& a, const Fraction& b) {
    return a + Fraction(-b.num, b.den);
}

Fraction operator*(const Fraction& a, const Fraction& b) {
    // Cross-reduce first so that products stay small.
    Wide g1 = gcd_wide(a.num, b.den), g2 = gcd_wide(b.num, a.den);
    if (g1 == 0) g1 = 1;
    if (g2 == 0) g2 = 1;
    return Fraction(mul_checked(a.num / g1, b.num / g2), mul_checked(a.den / g2, b.den / g1));
}

Fraction operator/(const Fraction& a, const Fraction& b) {
    if (b.num == 0) throw std::domain_error("division by zero");
    return a * Fraction(b.den, b.num);
}

bool operator<(const Fraction& a, const Fraction& b) {
    return (a - b).num < 0;
}

Minor round_to_quantum(const Fraction& value, Minor quantum) {
    // Units of the quantum: value / quantum, rounded half away from zero.
    Wide q = value.den * quantum;
    Wide n = abs_wide(value.num);
    Wide units = (2 * n + q) / (2 * q);
    Wide result = units * quantum;
    if (result > static_cast<Wide>(INT64_MAX)) throw std::overflow_error("amount overflows 64-bit minor units");
    return static_cast<Minor>(value.num < 0 ? -result : result);
}

std::optional<Minor> divide_rounded(Wide num, Wide den, int decimals) {
    if (den == 0) return std::nullopt;
    try {
        Fraction f(num, den);
        Wide scaled = mul_checked(abs_wide(f.num), pow10_wide(decimals));
        Wide q = (2 * scaled + f.den) / (2 * f.den);
        if (q > static_cast<Wide>(INT64_MAX)) return std::nullopt;
        return static_cast<Minor>(f.num < 0 ? -q : q);
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

std::string format_fraction(const Fraction& f) {
    Decimal n{f.num, 0}, d{f.den, 0};
    if (f.den == 1) return format_decimal(n);
    return format_decimal(n) + "/" + format_decimal(d);
}

std::string format_fraction_decimal(const Fraction& f, int decimals) {
    Wide scale = pow10_wide(decimals);
    Wide n = abs_wide(f.num);
    Wide scaled = (2 * n * scale + f.den) / (2 * f.den);
    std::string text = format_decimal(Decimal{f.num < 0 ? -scaled : scaled, decimals});
    return text;
}

}  // namespace tgt
