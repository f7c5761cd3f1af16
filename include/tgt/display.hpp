#pragma once
// Amounts as people read them: in 元, 万 or 亿, rounded to a fixed number of decimals per unit.

#include <optional>
#include <string>
#include <string_view>

#include "tgt/money.hpp"

namespace tgt {

/// The power of ten a display unit names: 元 0, 千 3, 万 4, 亿 8 (nullopt for anything else).
std::optional<int> unit_power_of(std::string_view unit);

/// Decimals an amount shows in a unit unless --decimals says otherwise: 2 in 元, 千 and 万 (万 to
/// the hundred 元), 4 in 亿 (亿 to the 万: 2 would hide a million 元).
int default_places(int unit_power);

/// `amount` (minor units at `decimals`) in the unit 10^unit_power, rounded half away from zero to
/// `places` decimals, with thousands separators when `grouped`: exact integer arithmetic.
/// format_display(112862021, 2, 4, 2) is "112.86" (1,128,620.21 元 in 万).
std::string format_display(Minor amount, int decimals, int unit_power, int places, bool grouped = true);

/// A display unit and its decimals, for amounts a report formats as text itself (the progress grid).
struct DisplayUnit {
    int power = 0;      ///< 4: 万, 8: 亿
    int places = -1;    ///< decimals shown; -1: exact (the metric's decimals, every digit in 万/亿)
    std::string label;  ///< "万" (empty at 元)
    /// `amount` (minor units at `decimals`) as this unit shows it, with thousands separators.
    std::string format(Minor amount, int decimals) const;
};

}  // namespace tgt
