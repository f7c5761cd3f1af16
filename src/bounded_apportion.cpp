#include "tgt/bounded_apportion.hpp"

#include <stdexcept>

#include "tgt/money.hpp"

// Why this rule, and why it is the closest split.
//
// Unbounded, child i's exact quota is q_i = total·w_i/Σw and largest remainder rounds the quotas.
// With bounds, the exact quotas become x_i = clamp(λ·w_i, f_i, c_i) for the one λ at which they
// sum to the total: every child not at a bound keeps the proportion of its weight to the others',
// and a child leaves its proportional share only as far as its own bound forces it. These x are
// the unique minimiser of the chi-square distance Σ (x_i − q_i)²/w_i from the unbounded quotas over
// {f ≤ x ≤ c, Σx = total}: its KKT conditions give x_i = q_i + μ·w_i/2 = λ·w_i for every child
// strictly inside its bounds, and put a child at its floor (cap) exactly when λ·w_i falls below
// (rises above) it. Moving a unit between two free children, or off a bound, only adds distance.
//
// Finding λ (Bitran and Hax, 1979): split what is left among the free children by weight; add up
// how far the quotas fall below their floors (D⁻) and rise above their caps (D⁺). If D⁻ > D⁺ the
// floor violators sit at their floors in the answer (pinning them can only lower everyone else's
// share), so pin them; if D⁺ > D⁻ pin the cap violators; if equal, pin both. Repeat on the rest;
// each round pins at least one child, so at most n rounds.
//
// Rounding: pinned children get their bound (an integer); the free ones get largest remainder of
// what is left by their weights, i.e. ⌊x_i⌋ or ⌈x_i⌉. Bounds are integers, so rounding never
// crosses one, and among integer splits that keep the sum, largest remainder is the one nearest to
// x (it minimises the largest and the total distance |out_i − x_i|). Without binding bounds this is
// exactly apportion().

namespace tgt {

std::vector<BoundViolation> bound_violations(std::int64_t total, std::span<const std::int64_t> floors,
                                             std::span<const std::int64_t> caps) {
    std::vector<BoundViolation> out;
    Wide floor_sum = 0, cap_sum = 0;
    for (std::size_t i = 0; i < floors.size(); ++i) {
        floor_sum += floors[i];
        cap_sum += caps[i];
        if (floors[i] > caps[i])
            out.push_back({BoundViolation::Kind::floor_above_cap, static_cast<int>(i), floors[i], caps[i]});
    }
    auto narrow = [](Wide v) { return v > kNoCap ? kNoCap : static_cast<std::int64_t>(v); };
    if (floor_sum > total) out.push_back({BoundViolation::Kind::floors_exceed, -1, narrow(floor_sum), total});
    if (cap_sum < total) out.push_back({BoundViolation::Kind::caps_short, -1, narrow(cap_sum), total});
    return out;
}

namespace {

enum class Pin : unsigned char { free, floor, cap };

// One round: with `rest` left for the free children, pins the side whose violations weigh more.
// Returns false when no free child violates a bound (the quotas of the free children are final).
bool pin_round(std::int64_t rest, std::span<const std::int64_t> w, std::span<const std::int64_t> floors,
               std::span<const std::int64_t> caps, std::span<Pin> pin) {
    UWide weight = 0;
    for (std::size_t i = 0; i < w.size(); ++i)
        if (pin[i] == Pin::free) weight += static_cast<UWide>(w[i]);
    // Quota q_i = rest·w_i/weight; compare q_i with f_i as rest·w_i vs f_i·weight (all non-negative).
    // D⁻ − D⁺ = Σ clamp(q) − rest, so compare Σ_below f + Σ_above c + rest·W_inside/weight with rest.
    UWide bounds_sum = 0, inside = 0;
    bool below = false, above = false;
    const UWide r = static_cast<UWide>(rest);
    for (std::size_t i = 0; i < w.size(); ++i) {
        if (pin[i] != Pin::free) continue;
        UWide share = weight == 0 ? 0 : r * static_cast<UWide>(w[i]);
        UWide scale = weight == 0 ? 1 : weight;
        if (share < static_cast<UWide>(floors[i]) * scale) {
            below = true;
            bounds_sum += static_cast<UWide>(floors[i]);
        } else if (caps[i] != kNoCap && share > static_cast<UWide>(caps[i]) * scale) {
            above = true;
            bounds_sum += static_cast<UWide>(caps[i]);
        } else {
            inside += static_cast<UWide>(w[i]);
        }
    }
    if (!below && !above) return false;
    // weight == 0: every quota is 0 and only floors can be violated.
    UWide clamped = weight == 0 ? bounds_sum : bounds_sum * weight + r * inside;
    UWide target = weight == 0 ? 0 : r * weight;
    bool pin_floors = clamped >= target, pin_caps = clamped <= target;
    for (std::size_t i = 0; i < w.size(); ++i) {
        if (pin[i] != Pin::free) continue;
        UWide share = weight == 0 ? 0 : r * static_cast<UWide>(w[i]);
        UWide scale = weight == 0 ? 1 : weight;
        if (pin_floors && share < static_cast<UWide>(floors[i]) * scale)
            pin[i] = Pin::floor;
        else if (pin_caps && caps[i] != kNoCap && share > static_cast<UWide>(caps[i]) * scale)
            pin[i] = Pin::cap;
    }
    return true;
}

}  // namespace

void apportion_bounded(std::int64_t total, const WeightSet& weights, std::span<const std::int64_t> floors,
                       std::span<const std::int64_t> caps, std::span<std::int64_t> out) {
    const std::size_t n = weights.weights.size();
    if (floors.size() != n || caps.size() != n || out.size() != n)
        throw std::invalid_argument("bounds and weights differ in size");
    if (total < 0) throw std::invalid_argument("negative total");
    if (!bound_violations(total, floors, caps).empty()) throw std::invalid_argument("bounds cannot be met");
    std::vector<std::int64_t> w = weights.weights;
    std::vector<Pin> pin(n, Pin::free);
    std::int64_t rest = total;
    for (std::size_t round = 0; round <= n; ++round) {
        bool any_free_weight = false, any_free = false;
        for (std::size_t i = 0; i < n; ++i)
            if (pin[i] == Pin::free) {
                any_free = true;
                any_free_weight = any_free_weight || w[i] > 0;
            }
        // Caps pinned the weighted children and something is left: the zero-weight children with
        // room take it equally (the only split that keeps the sum).
        if (any_free && !any_free_weight && rest > 0)
            for (std::size_t i = 0; i < n; ++i)
                if (pin[i] == Pin::free) w[i] = 1;
        if (!pin_round(rest, w, floors, caps, pin)) break;
        rest = total;
        for (std::size_t i = 0; i < n; ++i)
            if (pin[i] != Pin::free) rest -= pin[i] == Pin::floor ? floors[i] : caps[i];
    }
    std::vector<std::int64_t> free_weights(n, 0);
    bool any = false;
    for (std::size_t i = 0; i < n; ++i)
        if (pin[i] == Pin::free && w[i] > 0) {
            free_weights[i] = w[i];
            any = true;
        }
    if (any) {
        apportion(rest, WeightSet::from(std::move(free_weights)), out);
    } else {
        if (rest != 0) throw std::logic_error("bounded apportionment left an amount unplaced");
        std::fill(out.begin(), out.end(), 0);
    }
    for (std::size_t i = 0; i < n; ++i)
        if (pin[i] != Pin::free) out[i] = pin[i] == Pin::floor ? floors[i] : caps[i];
}

std::vector<std::int64_t> apportion_bounded(std::int64_t total, const WeightSet& weights,
                                            std::span<const std::int64_t> floors, std::span<const std::int64_t> caps) {
    std::vector<std::int64_t> out(weights.weights.size());
    apportion_bounded(total, weights, floors, caps, out);
    return out;
}

}  // namespace tgt
