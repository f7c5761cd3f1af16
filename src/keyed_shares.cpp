// KeyedShares: shares by key, a slot of 24 bytes an entry (plan.hpp).

#include <cstring>
#include <limits>

#include "tgt/plan.hpp"

namespace tgt {

namespace {

// Whether `share`'s place says anything (a default share's says nothing).
bool placed(const PlanPlace& where) {
    return where.known() || !where.resolve().file.empty();
}

}  // namespace

KeyedShares::KeyedShares(std::map<std::string, Share>&& map) {
    reserve(map.size());
    for (const auto& [key, share] : map)
        emplace(key, share);
}

std::string_view KeyedShares::key(std::size_t i) const {
    const Slot& slot = slots_[i];
    if (slot.key_size != kLongKey) return {slot.key, slot.key_size};
    std::uint32_t at = 0, size = 0;
    std::memcpy(&at, slot.key, sizeof at);
    std::memcpy(&size, slot.key + sizeof at, sizeof size);
    return std::string_view(keys_).substr(at, size);
}

std::size_t KeyedShares::lower_bound(std::string_view key) const {
    std::size_t lo = 0, hi = slots_.size();
    while (lo < hi) {
        std::size_t mid = lo + (hi - lo) / 2;
        if (this->key(mid) < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

KeyedShares::const_iterator KeyedShares::find(std::string_view key) const {
    std::size_t i = lower_bound(key);
    return i < slots_.size() && this->key(i) == key ? const_iterator(this, i) : end();
}

Share KeyedShares::at(std::string_view key) const {
    auto it = find(key);
    if (it == end()) throw std::out_of_range("KeyedShares::at");
    return share(it.index());
}

// The share in a slot when it is a ratio, a percentage or one metric's amount; else kept whole.
KeyedShares::Slot KeyedShares::slot_of(const Share& share) {
    Slot slot;
    slot.kind = static_cast<std::uint8_t>(share.kind);
    slot.bare = share.bare;
    const bool small = share.value.get().mantissa >= std::numeric_limits<std::int64_t>::min() &&
                       share.value.get().mantissa <= std::numeric_limits<std::int64_t>::max() &&
                       share.value.get().scale >= 0 &&
                       share.value.get().scale <= std::numeric_limits<std::int16_t>::max();
    std::size_t held = 0, metric = 0;
    for (std::size_t m = 0; m < share.amounts.size(); ++m)
        if (share.amounts[m]) {
            ++held;
            metric = m;
        }
    bool fits = small && share.origins().empty();
    if (share.kind == Share::Kind::amount) {
        fits = fits && held == 1 && share.value.get().mantissa == 0 && share.value.get().scale == 0 &&
               share.amounts.size() <= std::numeric_limits<std::uint8_t>::max();
        if (fits) {
            slot.number = *share.amounts[metric];
            slot.scale = static_cast<std::int16_t>(metric);
            slot.metrics = static_cast<std::uint8_t>(share.amounts.size());
        }
    } else {
        fits = fits && share.amounts.empty();
        if (fits) {
            slot.number = static_cast<std::int64_t>(share.value.get().mantissa);
            slot.scale = static_cast<std::int16_t>(share.value.get().scale);
        }
    }
    if (!fits) {
        slot.rich = true;
        slot.number = static_cast<std::int64_t>(rich_.size());
        rich_.push_back(share);
    }
    return slot;
}

bool KeyedShares::emplace(std::string_view key, const Share& share) {
    std::size_t i = slots_.empty() || this->key(slots_.size() - 1) < key ? slots_.size() : lower_bound(key);
    if (i < slots_.size() && this->key(i) == key) return false;
    Slot slot = slot_of(share);
    if (key.size() <= sizeof slot.key) {
        std::memcpy(slot.key, key.data(), key.size());
        slot.key_size = static_cast<std::uint8_t>(key.size());
    } else {
        if (keys_.size() + key.size() > std::numeric_limits<std::uint32_t>::max())
            throw std::length_error("KeyedShares: keys too long");
        const auto at = static_cast<std::uint32_t>(keys_.size()), size = static_cast<std::uint32_t>(key.size());
        keys_.append(key);
        std::memcpy(slot.key, &at, sizeof at);
        std::memcpy(slot.key + sizeof at, &size, sizeof size);
        slot.key_size = kLongKey;
    }
    slots_.insert(slots_.begin() + static_cast<std::ptrdiff_t>(i), slot);
    if (placed(share.where) && places_.empty()) places_.resize(slots_.size() - 1);
    if (!places_.empty()) places_.insert(places_.begin() + static_cast<std::ptrdiff_t>(i), share.where);
    return true;
}

Share KeyedShares::share(std::size_t i) const {
    const Slot& slot = slots_[i];
    if (slot.rich) return rich_[static_cast<std::size_t>(slot.number)];
    Share s;
    s.kind = static_cast<Share::Kind>(slot.kind);
    s.bare = slot.bare;
    if (s.kind == Share::Kind::amount) {
        s.amounts.assign(slot.metrics, std::nullopt);
        s.amounts[static_cast<std::size_t>(slot.scale)] = slot.number;
    } else {
        s.value = Decimal{slot.number, slot.scale};
    }
    if (!places_.empty()) s.where = places_[i];
    return s;
}

}  // namespace tgt
