#pragma once
// Market-share and price sanity checks: what a plan's targets imply against a stated market size
// (units or money) and price band, for the plan and for members that state their own.

#include <optional>
#include <string>
#include <vector>

#include "tgt/error.hpp"
#include "tgt/money.hpp"

namespace tgt {

/// Accepted implied price: one metric's amount per unit of another (sales ÷ units), within [min, max].
struct PriceBand {
    int amount = -1;  ///< plan metric index of the money (numerator)
    int per = -1;     ///< plan metric index of the units (denominator)
    std::optional<Decimal> min;
    std::optional<Decimal> max;
    SourceLocation where;
};

/// What the plan as a whole, or one member, states about its market.
struct MarketScope {
    std::string member;  ///< empty: the plan's total
    int dimension = -1;  ///< the member's dimension and level
    int depth = -1;
    std::vector<std::pair<int, Minor>> size;  ///< plan metric index → market size in its minor units
    std::optional<Decimal> share_min;         ///< accepted share of the market, as ratios
    std::optional<Decimal> share_max;
    std::vector<PriceBand> prices;
    SourceLocation where;
};

/// The plan's "market": the plan's own scope first, then each member's (who inherits the plan's
/// share and price bands where it states none of its own).
struct MarketCheck {
    std::vector<MarketScope> scopes;
    SourceLocation where;
};

}  // namespace tgt
