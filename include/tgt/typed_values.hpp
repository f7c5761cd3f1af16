#pragma once
// Dates and amounts as people type them in CSV and spreadsheet cells (2027/1/7, 2027年1月7日,
// ¥1,000.00, (500.00), 86000万元, 12.5%): one lenient reader shared by every table input, exact
// (no floating point), with forms it cannot read unambiguously refused with a hint.

#include <optional>
#include <string>
#include <string_view>

#include "tgt/calendar.hpp"
#include "tgt/money.hpp"

namespace tgt {

/// Why a cell is not a value of the kind asked for: a message, and a hint naming what to write.
struct ValueProblem {
    std::string message;
    std::string hint;
};

/// A date as typed: 2027-01-07, 2027-1-7, 2027/1/7, 2027.1.7, 2027年1月7日, each optionally followed
/// by a time of day (" 0:00", "T09:30:00") that is ignored. Day-first or month-first forms
/// (1/7/2027) are refused, and the hint names both readings.
std::optional<Date> read_date_cell(std::string_view text, ValueProblem* problem = nullptr);

/// An amount as typed: parse_decimal's forms ("1,000.00", "7.5万", "1e6") plus a ¥ or ￥ sign, a 元
/// after the number or its 万/亿 ("86000万元"), and accountants' brackets for a negative ("(500.00)").
std::optional<Decimal> read_amount_cell(std::string_view text, ValueProblem* problem = nullptr);

/// read_amount_cell in a metric's minor units (`decimals` places); nullopt when it needs more
/// places or does not fit.
std::optional<Minor> read_minor_cell(std::string_view text, int decimals, ValueProblem* problem = nullptr);

/// A weight as typed: an amount as read_amount_cell reads it, or a percentage ("12.5%" is 0.125).
std::optional<Decimal> read_weight_cell(std::string_view text, ValueProblem* problem = nullptr);

}  // namespace tgt
