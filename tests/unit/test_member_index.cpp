// The plan reader's member-id index: every id found at its position, duplicates refused, through
// the table's growth (tags narrow as positions take more bits).

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "../../src/plan_read/member_index.hpp"

using tgt::Member;
using tgt::detail::MemberIndex;

TEST_CASE("a member index finds every id at its position and refuses a repeated one, as it grows") {
    std::vector<Member> level;
    MemberIndex index;
    std::vector<int> refused;
    // 100,000 ids (grown from 16 slots with no reserve), every 7th repeated right after it: the
    // repeated ones stay in the level (the reader reports them), so positions pass the count.
    for (int i = 0; i < 100000; ++i) {
        for (int copy = 0; copy < (i % 7 == 0 ? 2 : 1); ++copy) {
            Member m;
            m.id = (i % 3 == 0 ? "rep-with-a-long-id-" : "r") + std::to_string(i);
            level.push_back(std::move(m));
            int position = static_cast<int>(level.size()) - 1;
            if (!index.insert(level, position)) refused.push_back(position);
        }
    }
    CHECK(index.size() == 100000);
    CHECK(refused.size() == 14286);  // i = 0, 7, …, 99995: ceil(100000 / 7)
    CHECK(level.size() == 100000 + refused.size());
    for (int position : refused)
        CHECK(index.find(level, level[static_cast<std::size_t>(position)].id) == position - 1);  // the first one
    int misplaced = 0;
    for (std::size_t i = 0; i < level.size(); ++i)
        if (index.find(level, level[i].id) > static_cast<int>(i)) ++misplaced;
    CHECK(misplaced == 0);
    CHECK(index.find(level, "r100000") == -1);
    CHECK(index.find(level, "") == -1);
    CHECK(index.find(level, "R1") == -1);  // ids differ in case: another id
}

TEST_CASE("a reserved member index finds ids inserted after the reserve") {
    std::vector<Member> level(3);
    level[0].id = "华南";
    level[1].id = "华北";
    level[2].id = std::string(40, 'x');
    MemberIndex index;
    index.reserve(level, 1000);
    for (int i = 0; i < 3; ++i)
        REQUIRE(index.insert(level, i));
    CHECK(index.find(level, "华北") == 1);
    CHECK(index.find(level, std::string(40, 'x')) == 2);
    CHECK(index.find(level, std::string(39, 'x')) == -1);
}
