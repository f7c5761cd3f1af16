// Member id → position in its level: linear probing over (hash bits, position) slots, ids
// compared in the members only when the hash bits match.

#include "member_index.hpp"

#include <functional>

namespace tgt::detail {

namespace {

std::uint64_t tag_of(std::size_t hash) {
    return static_cast<std::uint64_t>(hash) >> 32 << 32;
}

}  // namespace

std::size_t MemberIndex::hash(std::string_view id) {
    return std::hash<std::string_view>{}(id);
}

int MemberIndex::find(const std::vector<Member>& level, std::string_view id) const {
    if (slots_.empty()) return -1;
    std::size_t h = hash(id);
    std::uint64_t tag = tag_of(h);
    std::size_t mask = slots_.size() - 1;
    for (std::size_t s = h & mask;; s = (s + 1) & mask) {
        std::uint64_t slot = slots_[s];
        if (slot == 0) return -1;
        auto at = static_cast<std::size_t>((slot & 0xFFFFFFFFu) - 1);
        if ((slot & ~std::uint64_t{0xFFFFFFFFu}) == tag && level[at].id == id) return static_cast<int>(at);
    }
}

bool MemberIndex::insert(const std::vector<Member>& level, int position) {
    if (2 * (size_ + 1) > slots_.size()) rehash(level, slots_.empty() ? 16 : 2 * slots_.size());
    std::string_view id = level[static_cast<std::size_t>(position)].id;
    std::size_t h = hash(id);
    std::uint64_t tag = tag_of(h);
    std::size_t mask = slots_.size() - 1;
    for (std::size_t s = h & mask;; s = (s + 1) & mask) {
        std::uint64_t slot = slots_[s];
        if (slot == 0) {
            slots_[s] = tag | (static_cast<std::uint64_t>(position) + 1);
            ++size_;
            return true;
        }
        auto at = static_cast<std::size_t>((slot & 0xFFFFFFFFu) - 1);
        if ((slot & ~std::uint64_t{0xFFFFFFFFu}) == tag && level[at].id == id) return false;
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
    std::vector<std::uint64_t> old(slots, 0);
    old.swap(slots_);
    std::size_t mask = slots_.size() - 1;
    for (std::uint64_t slot : old) {
        if (slot == 0) continue;
        // The low bits of the hash are not kept: the home slot comes from the member's id again.
        auto at = static_cast<std::size_t>((slot & 0xFFFFFFFFu) - 1);
        std::size_t s = hash(level[at].id) & mask;
        while (slots_[s] != 0)
            s = (s + 1) & mask;
        slots_[s] = slot;
    }
}

}  // namespace tgt::detail
