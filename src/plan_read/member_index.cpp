// Member id → position in its level: linear probing over positions, ids compared in the members.

#include "member_index.hpp"

#include <functional>

namespace tgt::detail {

std::size_t MemberIndex::hash(std::string_view id) {
    return std::hash<std::string_view>{}(id);
}

int MemberIndex::find(const std::vector<Member>& level, std::string_view id) const {
    if (slots_.empty()) return -1;
    std::size_t mask = slots_.size() - 1;
    for (std::size_t s = hash(id) & mask;; s = (s + 1) & mask) {
        std::int32_t at = slots_[s];
        if (at < 0) return -1;
        if (level[static_cast<std::size_t>(at)].id == id) return at;
    }
}

bool MemberIndex::insert(const std::vector<Member>& level, int position) {
    if (2 * (size_ + 1) > slots_.size()) rehash(level, slots_.empty() ? 16 : 2 * slots_.size());
    std::string_view id = level[static_cast<std::size_t>(position)].id;
    std::size_t mask = slots_.size() - 1;
    for (std::size_t s = hash(id) & mask;; s = (s + 1) & mask) {
        std::int32_t at = slots_[s];
        if (at < 0) {
            slots_[s] = position;
            ++size_;
            return true;
        }
        if (level[static_cast<std::size_t>(at)].id == id) return false;
    }
}

void MemberIndex::reserve(const std::vector<Member>& level, std::size_t n) {
    std::size_t slots = slots_.empty() ? 16 : slots_.size();
    while (slots < 2 * n)
        slots *= 2;
    if (slots > slots_.size()) rehash(level, slots);
}

void MemberIndex::rehash(const std::vector<Member>& level, std::size_t slots) {
    std::vector<std::int32_t> old(slots, -1);
    old.swap(slots_);
    std::size_t mask = slots_.size() - 1;
    for (std::int32_t at : old) {
        if (at < 0) continue;
        std::size_t s = hash(level[static_cast<std::size_t>(at)].id) & mask;
        while (slots_[s] >= 0)
            s = (s + 1) & mask;
        slots_[s] = at;
    }
}

}  // namespace tgt::detail
