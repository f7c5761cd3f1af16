// Per-member seasonality: the words that explain a period's weight on a member's own curve.

#include "tgt/seasonality.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "tgt/fraction.hpp"

namespace tgt {

Decimal add_decimals(const Decimal& a, const Decimal& b) {
    int scale = std::max(a.scale, b.scale);
    return Decimal{a.mantissa * pow10_wide(scale - a.scale) + b.mantissa * pow10_wide(scale - b.scale), scale};
}

namespace {

// "14,400" or "1,200.5": grouped when the value fits in minor units, else as written.
std::string grouped(const Decimal& d) {
    if (auto minor = d.scaled_to(d.scale)) return format_grouped(*minor, d.scale);
    return format_decimal(d);
}

}  // namespace

std::string describe_member_curve(const MemberCurves& curves, const std::string& file, const std::string& member,
                                  const std::string& label, const std::vector<std::string>& siblings) {
    auto it = curves.curves.find(member);
    if (it == curves.curves.end()) return fmt::format("{}: no curve of its own (the summed history)", member);
    const MemberCurve& curve = it->second;
    if (curve.equal_instead) return fmt::format("{}: no history in {} (if_all_zero: equal): equal", member, file);
    Decimal total;
    for (const auto& s : siblings)
        if (auto row = curve.rows.find(s); row != curve.rows.end()) total = add_decimals(total, row->second.first);
    auto row = curve.rows.find(label);
    Decimal own = row == curve.rows.end() ? Decimal{} : row->second.first;
    std::string source =
        row == curve.rows.end() ? fmt::format("{}: no row", file) : fmt::format("{} line {}", file, row->second.second);
    std::string share =
        total.is_zero() ? std::string("-")
                        : format_fraction_decimal(Fraction::of(own) / Fraction::of(total) * Fraction(100), 2) + " %";
    return fmt::format("{}: {} {} of {} ({}) = {}", member, label, grouped(own), grouped(total), source, share);
}

}  // namespace tgt
