#pragma once
// Largest-remainder apportionment with a floor and a cap per child ("at least 500 吨 every month").

#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "tgt/apportion.hpp"

namespace tgt {

/// A cap that does not bind.
inline constexpr std::int64_t kNoCap = std::numeric_limits<std::int64_t>::max();

/// One bound that cannot be met when splitting a total: the floors add up to more than the total,
/// the caps to less, or a child's floor is above its cap.
struct BoundViolation {
    enum class Kind { floors_exceed, caps_short, floor_above_cap };
    Kind kind = Kind::floors_exceed;
    int child = -1;               ///< floor_above_cap: the child; else -1 (the whole group)
    std::int64_t bounds_sum = 0;  ///< Σ floors or Σ caps (floor_above_cap: the floor)
    std::int64_t total = 0;       ///< the total split (floor_above_cap: the cap)
};

/// Every bound that makes splitting `total` impossible (empty: feasible). `floors` and `caps`
/// have one entry per child (a cap of kNoCap does not bind).
std::vector<BoundViolation> bound_violations(std::int64_t total, std::span<const std::int64_t> floors,
                                             std::span<const std::int64_t> caps);

/// Splits `total` (>= 0) by `weights` so that floors[i] <= out[i] <= caps[i] and Σ out = total,
/// as close to the unbounded split as the bounds allow. The rule (Bitran–Hax): the exact quota of
/// a child is clamp(λ·w_i, floor_i, cap_i), with λ the one ratio that makes the quotas sum to the
/// total; the quotas are then rounded by largest remainder among the children not at a bound.
/// Throws std::invalid_argument when bound_violations is not empty or sizes differ.
void apportion_bounded(std::int64_t total, const WeightSet& weights, std::span<const std::int64_t> floors,
                       std::span<const std::int64_t> caps, std::span<std::int64_t> out);

/// Convenience form that allocates the result.
std::vector<std::int64_t> apportion_bounded(std::int64_t total, const WeightSet& weights,
                                            std::span<const std::int64_t> floors, std::span<const std::int64_t> caps);

}  // namespace tgt
