#pragma once
// The members of one dimension level by id, for the plan reader: an open-addressing table of
// positions in the level's vector, each beside the bits of its id's hash that the position leaves
// free in 32 (4 bytes a slot); the ids themselves are read from the members, so a plan of millions
// of members does not hold every id twice, and a probe reads a member only when the hash bits
// match. Internal.

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

    /// The tag of a hash: the bits the positions leave free in a slot.
    std::uint32_t tag_of(std::size_t hash) const;

    // A slot: the tag, then the position + 1 in the low position_bits_ (0: empty). 2^position_bits_
    // slots, at most half full, so a position + 1 always fits in position_bits_; the tag has the
    // other 32 - position_bits_ bits (10 for a level of 1.5 million members: a probe reads a member
    // of another id about once in a thousand).
    std::vector<std::uint32_t> slots_;
    int position_bits_ = 0;
    std::size_t size_ = 0;
};

}  // namespace tgt::detail
