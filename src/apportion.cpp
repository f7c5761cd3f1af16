#include "tgt/apportion.hpp"

#include <algorithm>
#include <functional>
#include <limits>
#include <stdexcept>

namespace tgt {

WeightSet WeightSet::from(std::vector<std::int64_t> weights) {
    WeightSet set;
    std::int64_t first_nonzero = 0;
    set.uniform = true;
    for (auto w : weights) {
        if (w < 0) throw std::invalid_argument("negative weight");
        if (__builtin_add_overflow(set.sum, w, &set.sum)) throw std::invalid_argument("weights too large");
        set.max_weight = std::max(set.max_weight, w);
        if (w > 0) {
            if (set.nonzero == 0)
                first_nonzero = w;
            else if (w != first_nonzero)
                set.uniform = false;
            ++set.nonzero;
        }
    }
    if (set.sum == 0) throw std::invalid_argument("all weights are zero");
    set.weights = std::move(weights);
    return set;
}

namespace {

// Hands one extra unit to each of the `left` children with the largest remainders.
void give_leftover(std::int64_t left, std::span<const std::int64_t> remainder, std::span<std::int64_t> out) {
    if (left <= 0) return;
    // The children with a remainder, on the stack for small groups (the walk's hot path).
    std::uint32_t stack_order[64];
    std::vector<std::uint32_t> heap_order;
    std::uint32_t* order = stack_order;
    if (remainder.size() > 64) {
        heap_order.resize(remainder.size());
        order = heap_order.data();
    }
    std::uint32_t count = 0;
    for (std::uint32_t i = 0; i < remainder.size(); ++i)
        if (remainder[i] > 0) order[count++] = i;
    auto larger = [&](std::uint32_t a, std::uint32_t b) {
        return remainder[a] != remainder[b] ? remainder[a] > remainder[b] : a < b;
    };
    std::uint32_t* end = order + count;
    std::uint32_t* cut = order + left;
    if (cut < end) std::nth_element(order, cut, end, larger);
    for (std::uint32_t* it = order; it != cut; ++it)
        ++out[*it];
}

// A large group whose weights sum below 2^32: every remainder fits 32 bits, so one 64-bit key per
// child orders the leftover units (remainder high, then the earlier child): 8 bytes a child where a
// remainder and a position take 12, and one integer comparison each.
void apportion_packed(std::int64_t total, const WeightSet& set, std::span<std::int64_t> out) {
    const auto& w = set.weights;
    const std::size_t n = w.size();
    std::vector<std::uint64_t> keys;
    keys.reserve(n);
    const bool narrow = set.max_weight == 0 || total <= std::numeric_limits<std::int64_t>::max() / set.max_weight;
    std::int64_t given = 0;
    for (std::size_t i = 0; i < n; ++i) {
        std::int64_t remainder;
        if (narrow) {
            std::int64_t product = total * w[i];
            out[i] = product / set.sum;
            remainder = product % set.sum;
        } else {
            Wide product = static_cast<Wide>(total) * w[i];
            out[i] = static_cast<std::int64_t>(product / set.sum);
            remainder = static_cast<std::int64_t>(product % set.sum);
        }
        given += out[i];
        if (remainder > 0)
            keys.push_back((static_cast<std::uint64_t>(remainder) << 32) |
                           (std::uint64_t{0xFFFFFFFF} - static_cast<std::uint64_t>(i)));
    }
    const auto left = static_cast<std::size_t>(total - given);
    if (left == 0) return;
    auto cut = keys.begin() + static_cast<std::ptrdiff_t>(left);
    if (cut < keys.end()) std::nth_element(keys.begin(), cut, keys.end(), std::greater<>());
    for (auto it = keys.begin(); it != cut; ++it)
        ++out[std::uint64_t{0xFFFFFFFF} - (*it & 0xFFFFFFFF)];
}

}  // namespace

void apportion(std::int64_t total, const WeightSet& set, std::span<std::int64_t> out) {
    const auto& w = set.weights;
    const std::size_t n = w.size();
    if (total < 0) throw std::invalid_argument("negative total");
    if (out.size() != n) throw std::invalid_argument("output size differs from weight count");
    if (set.uniform) {
        // Every non-zero weight is equal: same share, remainders tie, earlier children win.
        std::int64_t share = total / set.nonzero;
        std::int64_t left = total % set.nonzero;
        for (std::size_t i = 0; i < n; ++i) {
            if (w[i] == 0) {
                out[i] = 0;
            } else {
                out[i] = share + (left > 0 ? 1 : 0);
                if (left > 0) --left;
            }
        }
        return;
    }
    if (n > 64 && set.sum <= std::int64_t{0xFFFFFFFF} && n < std::size_t{0xFFFFFFFF}) {
        apportion_packed(total, set, out);
        return;
    }
    std::int64_t given = 0;
    std::int64_t stack_remainders[64];
    std::vector<std::int64_t> heap_remainders;
    std::span<std::int64_t> remainder;
    if (n <= 64) {
        remainder = std::span<std::int64_t>(stack_remainders, n);
    } else {
        heap_remainders.resize(n);
        remainder = heap_remainders;
    }
    bool narrow = set.max_weight == 0 || total <= std::numeric_limits<std::int64_t>::max() / set.max_weight;
    for (std::size_t i = 0; i < n; ++i) {
        if (narrow) {
            std::int64_t product = total * w[i];
            out[i] = product / set.sum;
            remainder[i] = product % set.sum;
        } else {
            Wide product = static_cast<Wide>(total) * w[i];
            out[i] = static_cast<std::int64_t>(product / set.sum);
            remainder[i] = static_cast<std::int64_t>(product % set.sum);
        }
        given += out[i];
    }
    give_leftover(total - given, remainder, out);
}

std::vector<std::int64_t> apportion(std::int64_t total, const WeightSet& weights) {
    std::vector<std::int64_t> out(weights.weights.size());
    apportion(total, weights, out);
    return out;
}

}  // namespace tgt
