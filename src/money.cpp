#include "tgt/money.hpp"
#include "blanks.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>

namespace tgt {

namespace {

constexpr Wide kWideMax = static_cast<Wide>((static_cast<UWide>(1) << 127) - 1);
// Mantissas stay below 10^36 so that scaling and comparing never overflows 128 bits.
const Wide kMantissaLimit = pow10_wide(36);

bool fail(ParseProblem* problem, std::string message) {
    if (problem) problem->message = std::move(message);
    return false;
}

// Multiplier suffixes people write after amounts.
struct Suffix {
    std::string_view text;
    int power;
};
constexpr Suffix kSuffixes[] = {{"亿", 8}, {"万", 4}, {"千", 3}};

}  // namespace

Wide pow10_wide(int n) {
    Wide r = 1;
    for (int i = 0; i < n; ++i)
        r *= 10;
    return r;
}

std::optional<std::int64_t> Decimal::scaled_to(int digits) const {
    Wide m = mantissa;
    if (scale > digits) {
        Wide div = pow10_wide(scale - digits);
        if (m % div != 0) return std::nullopt;
        m /= div;
    } else {
        for (int i = scale; i < digits; ++i) {
            if (m > kWideMax / 10 || m < -(kWideMax / 10)) return std::nullopt;
            m *= 10;
        }
    }
    if (m > std::numeric_limits<std::int64_t>::max() || m < std::numeric_limits<std::int64_t>::min())
        return std::nullopt;
    return static_cast<std::int64_t>(m);
}

bool operator==(const Decimal& a, const Decimal& b) {
    return !(a < b) && !(b < a);
}

bool operator<(const Decimal& a, const Decimal& b) {
    int s = std::max(a.scale, b.scale);
    return a.mantissa * pow10_wide(s - a.scale) < b.mantissa * pow10_wide(s - b.scale);
}

std::optional<Decimal> parse_decimal(std::string_view text, ParseProblem* problem) {
    std::string_view s = trim_blanks(text);
    if (s.empty()) {
        fail(problem, "empty amount");
        return std::nullopt;
    }
    int power = 0;
    for (const auto& suffix : kSuffixes) {
        if (s.size() > suffix.text.size() && s.substr(s.size() - suffix.text.size()) == suffix.text) {
            s = trim_blanks(s.substr(0, s.size() - suffix.text.size()));
            power = suffix.power;
            break;
        }
    }
    bool negative = false;
    if (!s.empty() && (s.front() == '-' || s.front() == '+')) {
        negative = s.front() == '-';
        s.remove_prefix(1);
    }
    Wide mantissa = 0;
    int scale = 0;
    int digits = 0;
    bool seen_point = false;
    int group_digits = -1;  // digits since the last thousands comma, -1 when no comma seen
    std::size_t i = 0;
    for (; i < s.size(); ++i) {
        char c = s[i];
        if (c >= '0' && c <= '9') {
            if (mantissa >= kMantissaLimit) {
                fail(problem, "too many digits");
                return std::nullopt;
            }
            mantissa = mantissa * 10 + (c - '0');
            ++digits;
            if (seen_point) ++scale;
            if (group_digits >= 0 && !seen_point) ++group_digits;
        } else if (c == ',' && !seen_point) {
            if (digits == 0 || (group_digits >= 0 && group_digits != 3)) {
                fail(problem, "misplaced thousands separator");
                return std::nullopt;
            }
            if (group_digits < 0 && digits > 3) {
                fail(problem, "misplaced thousands separator");
                return std::nullopt;
            }
            group_digits = 0;
        } else if (c == '.' && !seen_point) {
            if (group_digits >= 0 && group_digits != 3) {
                fail(problem, "misplaced thousands separator");
                return std::nullopt;
            }
            seen_point = true;
        } else {
            break;
        }
    }
    if (group_digits >= 0 && !seen_point && group_digits != 3) {
        fail(problem, "misplaced thousands separator");
        return std::nullopt;
    }
    if (digits == 0) {
        fail(problem, "not a number");
        return std::nullopt;
    }
    int exponent = 0;
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        bool exp_negative = false;
        if (i < s.size() && (s[i] == '-' || s[i] == '+')) {
            exp_negative = s[i] == '-';
            ++i;
        }
        std::size_t exp_start = i;
        for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
            if (exponent > 1000) {
                fail(problem, "exponent too large");
                return std::nullopt;
            }
            exponent = exponent * 10 + (s[i] - '0');
        }
        if (i == exp_start) {
            fail(problem, "exponent has no digits");
            return std::nullopt;
        }
        if (exp_negative) exponent = -exponent;
    }
    if (i != s.size()) {
        fail(problem, "unexpected character(s) '" + std::string(s.substr(i)) + "'");
        return std::nullopt;
    }
    // value = mantissa * 10^(exponent + power - scale)
    int shift = exponent + power - scale;
    if (shift >= 0) {
        for (int k = 0; k < shift; ++k) {
            if (mantissa >= kMantissaLimit) {
                fail(problem, "too large");
                return std::nullopt;
            }
            mantissa *= 10;
        }
        scale = 0;
    } else {
        scale = -shift;
        // Drop trailing zeros so that scale reflects real precision.
        while (scale > 0 && mantissa % 10 == 0) {
            mantissa /= 10;
            --scale;
        }
        if (scale > 36) {
            fail(problem, "too many decimal places");
            return std::nullopt;
        }
    }
    return Decimal{negative ? -mantissa : mantissa, scale};
}

std::optional<Minor> to_minor(const Decimal& value, int decimals) {
    return value.scaled_to(decimals);
}

void append_minor(std::string& out, Minor amount, int decimals) {
    unsigned long long u =
        amount < 0 ? 0ULL - static_cast<unsigned long long>(amount) : static_cast<unsigned long long>(amount);
    // Digits are written backwards from the end of a small buffer, then appended in one go.
    char buf[48];
    char* end = buf + sizeof buf;
    char* p = end;
    int written = 0;
    do {
        *--p = static_cast<char>('0' + u % 10);
        u /= 10;
        if (++written == decimals) *--p = '.';
    } while (u != 0 || written < decimals);
    if (*p == '.') *--p = '0';
    if (amount < 0) *--p = '-';
    out.append(p, static_cast<std::size_t>(end - p));
}

std::string format_minor(Minor amount, int decimals) {
    std::string s;
    append_minor(s, amount, decimals);
    return s;
}

std::string format_grouped(Minor amount, int decimals, int unit_power) {
    std::string plain = format_minor(amount, decimals);
    bool negative = !plain.empty() && plain[0] == '-';
    if (negative) plain.erase(0, 1);
    std::string whole = plain, frac;
    if (auto dot = plain.find('.'); dot != std::string::npos) {
        whole = plain.substr(0, dot);
        frac = plain.substr(dot + 1);
    }
    // Move the decimal point left by unit_power, then drop trailing zeros beyond the metric's decimals.
    if (unit_power > 0) {
        while (static_cast<int>(whole.size()) <= unit_power)
            whole.insert(0, "0");
        frac = whole.substr(whole.size() - static_cast<std::size_t>(unit_power)) + frac;
        whole.erase(whole.size() - static_cast<std::size_t>(unit_power));
        while (static_cast<int>(frac.size()) > decimals && !frac.empty() && frac.back() == '0')
            frac.pop_back();
    }
    std::string grouped;
    int count = 0;
    for (auto it = whole.rbegin(); it != whole.rend(); ++it) {
        if (count > 0 && count % 3 == 0) grouped.push_back(',');
        grouped.push_back(*it);
        ++count;
    }
    std::reverse(grouped.begin(), grouped.end());
    std::string out = negative ? "-" + grouped : grouped;
    if (!frac.empty()) out += "." + frac;
    return out;
}

std::string format_decimal(const Decimal& value) {
    Wide m = value.mantissa < 0 ? -value.mantissa : value.mantissa;
    std::string digits;
    do {
        digits.push_back(static_cast<char>('0' + static_cast<int>(m % 10)));
        m /= 10;
    } while (m != 0);
    while (static_cast<int>(digits.size()) <= value.scale)
        digits.push_back('0');
    std::reverse(digits.begin(), digits.end());
    if (value.scale > 0) digits.insert(digits.size() - static_cast<std::size_t>(value.scale), ".");
    return value.mantissa < 0 ? "-" + digits : digits;
}

std::string format_percent(const Decimal& ratio) {
    Decimal pct = ratio.scale >= 2 ? Decimal{ratio.mantissa, ratio.scale - 2}
                                   : Decimal{ratio.mantissa * pow10_wide(2 - ratio.scale), 0};
    return format_decimal(pct) + "%";
}

Minor checked_add(Minor a, Minor b) {
    Minor r;
    if (__builtin_add_overflow(a, b, &r)) throw std::overflow_error("amount overflows 64 bits");
    return r;
}

Minor checked_mul(Minor a, Minor b) {
    Minor r;
    if (__builtin_mul_overflow(a, b, &r)) throw std::overflow_error("amount overflows 64 bits");
    return r;
}

}  // namespace tgt
