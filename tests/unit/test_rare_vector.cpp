// RareVector: a vector behind one pointer, and a companion kept in the same block (a share's held
// amounts and their origins).

#include <catch2/catch.hpp>

#include <optional>
#include <string>
#include <vector>

#include "tgt/rare_vector.hpp"

using tgt::RareVector;

TEST_CASE("a rare vector is one pointer, empty until written, and copies deeply") {
    CHECK(sizeof(RareVector<int>) == sizeof(void*));
    RareVector<int> v;
    CHECK(v.empty());
    CHECK(v.vec().empty());
    v.push_back(3);
    v.push_back(4);
    RareVector<int> copy = v;
    v[0] = 9;
    CHECK(copy.vec() == std::vector<int>{3, 4});
    CHECK(v.vec() == std::vector<int>{9, 4});
    v.clear();
    CHECK(v.empty());
    CHECK(copy != v);
}

TEST_CASE("a rare vector's companion shares its block, survives clear, and is copied and compared with it") {
    using Held = RareVector<std::optional<long>, std::vector<std::string>>;
    CHECK(sizeof(Held) == sizeof(void*));
    Held held;
    CHECK(held.companion().empty());  // none written: an empty one, no block
    held.assign(2, std::nullopt);
    held[1] = 500;
    held.edit_companion() = {"", "Σ region"};
    Held copy = held;
    held.edit_companion()[1] = "changed";
    CHECK(copy.companion() == std::vector<std::string>{"", "Σ region"});
    CHECK(copy[1] == 500);
    CHECK(copy != held);  // the companions differ
    held.edit_companion()[1] = "Σ region";
    CHECK(copy == held);
    held.clear();  // the items go, the companion stays
    CHECK(held.empty());
    CHECK(held.companion().size() == 2);
    Held only_companion;
    only_companion.edit_companion().push_back("x");
    CHECK(only_companion.empty());  // no items, though a block is there
    Held assigned;
    assigned = only_companion;
    CHECK(assigned.companion() == std::vector<std::string>{"x"});
}
