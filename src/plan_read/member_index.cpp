// Member id → position in its level: linear probing over (hash bits, position) slots of 32 bits,
// ids compared in the members only when the hash bits match.

#include "member_index.hpp"

#include <functional>
#include <stdexcept>

namespace tgt::detail {

std::size_t MemberIndex::hash(std::string_view id) {
    return std::hash<std::string_view>{}(id);
}

std::uint32_t MemberIndex::tag_of(std::size_t hash) const {
    // The high bits of the hash: the low ones choose the slot.
    return static_cast<std::uint32_t>((static_cast<std::uint64_t>(hash) >> 32) >> position_bits_);
}

int MemberIndex::find(const std::vector<Member>& level, std::string_view id) const {
    if (slots_.empty()) return -1;
    std::size_t h = hash(id);
    std::uint32_t tag = tag_of(h);
    std::uint32_t positions = (std::uint32_t{1} << position_bits_) - 1;  // position_bits_ < 32 (see rehash)
    std::size_t mask = slots_.size() - 1;
    for (std::size_t s = h & mask;; s = (s + 1) & mask) {
        std::uint32_t slot = slots_[s];
        if (slot == 0) return -1;
        auto at = static_cast<std::size_t>((slot & positions) - 1);
        if ((slot >> position_bits_) == tag && level[at].id == id) return static_cast<int>(at);
    }
}

bool MemberIndex::insert(const std::vector<Member>& level, int position) {
    // At most half full, and room for the position itself (a level also holds the members whose
    // ids were refused as duplicates, so a position can pass the count).
    std::size_t slots = slots_.empty() ? 16 : slots_.size();
    while (2 * (size_ + 1) > slots || static_cast<std::size_t>(position) + 1 >= slots)
        slots *= 2;
    if (slots > slots_.size()) rehash(level, slots);
    std::string_view id = level[static_cast<std::size_t>(position)].id;
    std::size_t h = hash(id);
    std::uint32_t tag = tag_of(h);
    std::uint32_t positions = (std::uint32_t{1} << position_bits_) - 1;
    std::size_t mask = slots_.size() - 1;
    for (std::size_t s = h & mask;; s = (s + 1) & mask) {
        std::uint32_t slot = slots_[s];
        if (slot == 0) {
            slots_[s] = (tag << position_bits_) | (static_cast<std::uint32_t>(position) + 1);
            ++size_;
            return true;
        }
        auto at = static_cast<std::size_t>((slot & positions) - 1);
        if ((slot >> position_bits_) == tag && level[at].id == id) return false;
    }
}

void MemberIndex::prefetch(std::string_view id) const {
    if (!slots_.empty()) __builtin_prefetch(slots_.data() + (hash(id) & (slots_.size() - 1)));
}

void MemberIndex::reserve(const std::vector<Member>& level, std::size_t n) {
    std::size_t slots = slots_.empty() ? 16 : slots_.size();
    while (slots < 2 * n)
        slots *= 2;
    if (slots > slots_.size()) rehash(level, slots);
}

void MemberIndex::rehash(const std::vector<Member>& level, std::size_t slots) {
    // A level of 2^31 members or more cannot be held (a member takes 96 bytes): its slot count
    // would leave no bit for the tag's shift.
    int bits = 0;
    while ((std::size_t{1} << bits) < slots)
        ++bits;
    if (bits >= 32) throw std::length_error("a dimension level of 2^31 members or more");
    std::vector<std::uint32_t> old(slots, 0);
    old.swap(slots_);
    int old_bits = position_bits_;
    position_bits_ = bits;
    std::uint32_t old_positions = old_bits > 0 ? (std::uint32_t{1} << old_bits) - 1 : 0;
    std::size_t mask = slots_.size() - 1;
    for (std::uint32_t slot : old) {
        if (slot == 0) continue;
        // Tags are as wide as the positions leave room for: each is made again from its member's id.
        auto at = static_cast<std::size_t>((slot & old_positions) - 1);
        std::size_t h = hash(level[at].id);
        std::size_t s = h & mask;
        while (slots_[s] != 0)
            s = (s + 1) & mask;
        slots_[s] = (tag_of(h) << position_bits_) | static_cast<std::uint32_t>(at + 1);
    }
}

}  // namespace tgt::detail
