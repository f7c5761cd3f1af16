#pragma once
// Growth per period over last year's history ("each quarter +5 %") and the annual growth it implies.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "tgt/error.hpp"
#include "tgt/fraction.hpp"
#include "tgt/money.hpp"
#include "tgt/plan.hpp"

namespace tgt {

/// The annual growth a step's period rates imply, read three ways.
struct GrowthReadings {
    Fraction history;     ///< Σ last year's history over the periods
    Fraction grown;       ///< Σ history × (1 + g)
    Fraction implied;     ///< grown ÷ history − 1: exact, what the grown periods add up to
    Fraction compounded;  ///< Π (1 + g) − 1: the rates read as compounding period on period
    Fraction summed;      ///< Σ g: the rates read as adding up
    std::size_t periods = 0;
    std::optional<Decimal> uniform;  ///< the one rate every period has, if they share one
};

/// The readings of a step's rates over last year's history; periods without history weigh nothing
/// in `implied`. Throws std::overflow_error on absurd magnitudes.
GrowthReadings growth_readings(const PeriodGrowth& growth);

/// Whether the exact implied growth differs from the stated annual rate.
bool contradicts(const GrowthReadings& readings, const Decimal& annual);

/// "quarters at +5 % imply +5 % for the year (Σ history × (1 + g) ÷ Σ history − 1); read as
/// compounding 1.05⁴ = +21.55 %, as a sum 4 × 5 % = +20 %", and "; the plan states +25 %" when
/// `annual` is given.
std::string describe_growth(const GrowthReadings& readings, std::string_view level,
                            const std::optional<Decimal>& annual);

}  // namespace tgt
