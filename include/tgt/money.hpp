#pragma once
// Exact decimal amounts: parsed from the way people write them, held as integers in minor units.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tgt {

/// An amount in a metric's minor units (cents for money with 2 decimals, whole units for counts).
using Minor = std::int64_t;

/// 128-bit intermediate for products of amounts and weights.
__extension__ typedef __int128 Wide;
/// Unsigned 128-bit counterpart.
__extension__ typedef unsigned __int128 UWide;

/// An exact decimal number: value = mantissa / 10^scale (scale >= 0).
struct Decimal {
    Wide mantissa = 0;
    int scale = 0;

    bool is_zero() const { return mantissa == 0; }
    bool is_negative() const { return mantissa < 0; }
    /// The value at `digits` decimals, if it is exactly representable there and fits in 64 bits.
    std::optional<std::int64_t> scaled_to(int digits) const;
    friend bool operator==(const Decimal& a, const Decimal& b);
    friend bool operator<(const Decimal& a, const Decimal& b);
};

/// A Decimal kept in 8-byte parts, 24 bytes where a Decimal takes 32 (its 128-bit mantissa aligns
/// it to 16): a share holds one, and a plan may hold millions. Converts to and from Decimal.
class PackedDecimal {
public:
    PackedDecimal() = default;
    // Implicit both ways, as the Decimal it stands for: `share.value = *d;`, `Decimal v = share.value;`.
    PackedDecimal(const Decimal& d)
        : low_(static_cast<std::uint64_t>(static_cast<UWide>(d.mantissa))),
          high_(static_cast<std::int64_t>(d.mantissa >> 64)),
          scale_(d.scale) {}
    operator Decimal() const { return get(); }  // NOLINT: reads as the Decimal it stands for
    Decimal get() const {
        return Decimal{static_cast<Wide>((static_cast<UWide>(static_cast<Wide>(high_)) << 64) | low_), scale_};
    }
    bool is_zero() const { return low_ == 0 && high_ == 0; }
    bool is_negative() const { return high_ < 0; }

private:
    std::uint64_t low_ = 0;
    std::int64_t high_ = 0;
    int scale_ = 0;
};

/// Why a piece of text is not a number we accept.
struct ParseProblem {
    std::string message;
};

/// Parses "1亿", "2500万", "7.5万", "1.2e6", "1,000,000.00", "-3", "25" exactly.
/// Returns nullopt and fills `problem` when the text is not such a number.
std::optional<Decimal> parse_decimal(std::string_view text, ParseProblem* problem = nullptr);

/// Converts a decimal to minor units with `decimals` places; nullopt if it needs more places or overflows.
std::optional<Minor> to_minor(const Decimal& value, int decimals);

/// Formats minor units as a plain decimal ("-1234.50"), exactly.
std::string format_minor(Minor amount, int decimals);

/// Appends a plain decimal rendering of `amount` to `out`; the fast path for large outputs.
void append_minor(std::string& out, Minor amount, int decimals);

/// Formats with thousands separators and an optional divisor such as 万 (10^4 units).
/// `unit_power` is the power of ten of the display unit (4 for 万); digits beyond the metric's
/// decimals are kept so that nothing is rounded away.
std::string format_grouped(Minor amount, int decimals, int unit_power = 0);

/// Formats a Decimal back to text ("12.5").
std::string format_decimal(const Decimal& value);
/// A ratio as an exact percentage: 0.2 → "20%", 1.1 → "110%", -0.05 → "-5%".
std::string format_percent(const Decimal& ratio);

/// Checked arithmetic on minor units: throw std::overflow_error instead of wrapping.
Minor checked_add(Minor a, Minor b);
Minor checked_mul(Minor a, Minor b);

/// 10^n as a 128-bit integer (n <= 38).
Wide pow10_wide(int n);

}  // namespace tgt
