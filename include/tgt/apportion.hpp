#pragma once
// Splitting an integer total by weights so that every unit is handed out exactly once.

#include <cstdint>
#include <span>
#include <vector>

#include "tgt/money.hpp"

namespace tgt {

/// Weights of one sibling group, prepared once and used for many parents.
/// Weights are non-negative integers (exact decimals scaled to a common power of ten).
struct WeightSet {
    std::vector<std::int64_t> weights;
    std::int64_t sum = 0;         ///< Σ weights, > 0
    std::int64_t max_weight = 0;  ///< largest weight, to choose a 64-bit path when it is safe
    std::int64_t nonzero = 0;     ///< how many weights are > 0
    bool uniform = false;         ///< every non-zero weight is equal: remainders tie everywhere

    /// Builds a set; throws std::invalid_argument if a weight is negative, all are zero, or Σ overflows.
    static WeightSet from(std::vector<std::int64_t> weights);
};

/// Largest-remainder split of `total` units (>= 0): child i gets floor(total·w_i/Σw), and the
/// units left over go one each to the largest remainders total·w_i mod Σw, ties to the earlier
/// child. The result always sums to `total`; a zero weight always gets zero.
void apportion(std::int64_t total, const WeightSet& weights, std::span<std::int64_t> out);

/// Convenience form that allocates the result.
std::vector<std::int64_t> apportion(std::int64_t total, const WeightSet& weights);

}  // namespace tgt
