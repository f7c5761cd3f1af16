#pragma once
// Customer classes: rules over a customers CSV's columns ("demand >= 5万 and close_days <= 15")
// that put each customer in one visit tier, so tiers need not be counted per rep by hand.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tgt/money.hpp"

namespace tgt {

/// One threshold of a class rule: `column` `op` `value` ("demand >= 5万").
struct ClassCondition {
    enum class Op { ge, gt, le, lt, eq };
    std::string column;
    Op op = Op::ge;
    Decimal value;
};

/// "demand >= 5万 and close_days <= 15" as its conditions (all must hold); nullopt with `problem`
/// filled when the text is not such a rule. Operators: >=, >, <=, <, = (also ≥ and ≤).
std::optional<std::vector<ClassCondition>> parse_class_rule(std::string_view text, std::string* problem);

/// Whether `value` meets `condition` (exactly: decimals compare as decimals).
bool meets(const ClassCondition& condition, const Decimal& value);

/// "demand >= 50000": a condition written back, for messages.
std::string describe(const ClassCondition& condition);

}  // namespace tgt
