#pragma once
// The members of one dimension level by id, for the plan reader: an open-addressing table of
// positions in the level's vector, each beside 32 bits of its id's hash (8 bytes a slot); the ids
// themselves are read from the members, so a plan of millions of members does not hold every id
// twice, and a probe reads a member only when the hash bits match. Internal.

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "tgt/plan.hpp"

namespace tgt::detail {

/// Member id → position in its level, for one dimension level.
class MemberIndex {
public:
    /// The position of the member of `level` called `id`, or -1.
    int find(const std::vector<Member>& level, std::string_view id) const;
    /// Records level[position] under its id; false (and nothing recorded) when the id is there already.
    bool insert(const std::vector<Member>& level, int position);
    /// Room for `n` ids without growing.
    void reserve(const std::vector<Member>& level, std::size_t n);
    /// Asks the processor for the slot where `id` is looked for first, ahead of an insert or find
    /// (the table is larger than the caches: a plan of a million members misses on every probe).
    void prefetch(std::string_view id) const;
    /// How many ids are recorded.
    std::size_t size() const { return size_; }

private:
    static std::size_t hash(std::string_view id);
    void rehash(const std::vector<Member>& level, std::size_t slots);

    // A slot: the hash's high 32 bits, then the position + 1 (0: empty). A power of two in size,
    // at most half full.
    std::vector<std::uint64_t> slots_;
    std::size_t size_ = 0;
};

}  // namespace tgt::detail
