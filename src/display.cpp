// Display units: amounts scaled to 万 or 亿 and rounded for reading, never for computing.

#include "tgt/display.hpp"

#include <algorithm>

namespace tgt {

std::optional<int> unit_power_of(std::string_view unit) {
    if (unit == "元") return 0;
    if (unit == "千") return 3;
    if (unit == "万") return 4;
    if (unit == "亿") return 8;
    return std::nullopt;
}

int default_places(int unit_power) {
    return unit_power >= 8 ? 4 : 2;
}

std::string format_display(Minor amount, int decimals, int unit_power, int places, bool grouped) {
    // The shown value is amount / 10^(decimals + unit_power), kept as an integer at `places`
    // decimals: divide by 10^shift (rounding half away from zero) or multiply by 10^-shift.
    int shift = decimals + unit_power - places;
    UWide magnitude = amount < 0 ? static_cast<UWide>(-static_cast<Wide>(amount)) : static_cast<UWide>(amount);
    if (shift > 0) {
        UWide divisor = 1;
        for (int i = 0; i < shift; ++i)
            divisor *= 10;
        magnitude = (magnitude + divisor / 2) / divisor;
    } else {
        for (int i = 0; i < -shift; ++i)
            magnitude *= 10;
    }
    std::string digits;
    do {
        digits.push_back(static_cast<char>('0' + static_cast<int>(magnitude % 10)));
        magnitude /= 10;
    } while (magnitude != 0);
    while (static_cast<int>(digits.size()) <= places)
        digits.push_back('0');
    std::reverse(digits.begin(), digits.end());
    auto whole_size = digits.size() - static_cast<std::size_t>(places);
    std::string out;
    bool zero = digits.find_first_not_of('0') == std::string::npos;
    if (amount < 0 && !zero) out.push_back('-');  // -0.001 万 rounds to 0.00, not -0.00
    for (std::size_t i = 0; i < whole_size; ++i) {
        if (grouped && i > 0 && (whole_size - i) % 3 == 0) out.push_back(',');
        out.push_back(digits[i]);
    }
    if (places > 0) {
        out.push_back('.');
        out.append(digits, whole_size, std::string::npos);
    }
    return out;
}

std::string DisplayUnit::format(Minor amount, int decimals) const {
    return places >= 0 ? format_display(amount, decimals, power, places) : format_grouped(amount, decimals, power);
}

}  // namespace tgt
