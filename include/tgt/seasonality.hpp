#pragma once
// Per-member seasonality: one history CSV keyed by member × period ("month,product,sales") gives
// each member of a dimension level its own curve for a time step below it.

#include <cstddef>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "tgt/money.hpp"

namespace tgt {

/// One member's own history: period label → (weight, CSV line), over the plan's periods.
struct MemberCurve {
    std::map<std::string, std::pair<Decimal, int>> rows;
    int line = 0;                ///< the member's first row in the file (0: it has none)
    bool equal_instead = false;  ///< no rows or all zero, and the step says "if_all_zero": "equal"
};

/// History keyed by member × period ("per": level on a `by: history` time step): each member of
/// the dimension level `level` follows its own curve instead of the step's one.
struct MemberCurves {
    std::string level;                          ///< the dimension level whose members own a curve
    std::string column;                         ///< the CSV column naming the member
    std::map<std::string, MemberCurve> curves;  ///< member id → its curve
    std::size_t first_override = 0;             ///< the step's overrides from here on are these curves, by id
};

/// The sum of two non-negative decimals, exactly (at the larger scale).
Decimal add_decimals(const Decimal& a, const Decimal& b);

/// Why period `label` of `member` weighs what it does, against its siblings `siblings` (the
/// periods that share the parent): "A: 2027-03 1,200 of 14,400 (file.csv line 4) = 8.33%".
std::string describe_member_curve(const MemberCurves& curves, const std::string& file, const std::string& member,
                                  const std::string& label, const std::vector<std::string>& siblings);

}  // namespace tgt
