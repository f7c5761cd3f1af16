// The node × period table: split rows grouped once per node and period, nodes found by their ids.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "tgt/node_table.hpp"

using namespace tgt;

namespace {

// 1200.00 = 120,000 cents: region A weight 2 (80,000), B weight 1 (40,000); each region's two
// products equal (A: 40,000 each, B: 20,000 each); quarters equal (A/X 10,000, B/X 5,000 a quarter);
// months of a quarter equal, ties to the first (A/X: 3,334 3,333 3,333; B/X: 1,667 1,667 1,666).
constexpr const char* kPlan = R"({"period": "2027", "metrics": [{"id": "revenue", "total": "1200"}],
    "dimensions": [{"id": "region", "members": [{"id": "A", "weight": 2}, {"id": "B", "weight": 1}]},
                   {"id": "product", "members": ["X", "Y"]}],
    "split": [{"level": "region"}, {"level": "product"}, {"level": "quarter", "by": "equal"},
              {"level": "month", "by": "equal"}]})";

SplitRequest request(std::vector<std::string> by, std::optional<TimeLevel> period = std::nullopt,
                     std::vector<Filter> where = {}) {
    SplitRequest r;
    r.by = std::move(by);
    r.period = period;
    r.where = std::move(where);
    return r;
}

}  // namespace

TEST_CASE("node index: numbers nodes as added and finds them from views or strings", "[node_table]") {
    NodeIndex index(2);
    std::vector<std::string_view> a_bc{"a", "bc"}, ab_c{"ab", "c"};
    CHECK(index.insert(a_bc) == 0);
    CHECK(index.insert(ab_c) == 1);  // the same bytes cut elsewhere: another node
    CHECK(index.insert(a_bc) == 0);
    CHECK(index.size() == 2);
    CHECK(index.key(1) == NodeKey{"ab", "c"});
    std::vector<std::string> owned{"ab", "c"};
    CHECK(index.find(std::span<const std::string>(owned)) == std::optional<std::size_t>(1));
    std::vector<std::string_view> missing{"a", "b"};
    CHECK_FALSE(index.find(missing).has_value());
    // Past its first slots it grows, and every node is found again.
    for (int i = 0; i < 1000; ++i) {
        std::string id = std::to_string(i);
        std::vector<std::string_view> ids{"n", id};
        CHECK(index.insert(ids) == static_cast<std::size_t>(i) + 2);
    }
    for (int i = 0; i < 1000; ++i) {
        std::string id = std::to_string(i);
        std::vector<std::string_view> ids{"n", id};
        REQUIRE(index.find(ids) == std::optional<std::size_t>(static_cast<std::size_t>(i) + 2));
    }
}

TEST_CASE("node table: per node and quarter, products summed by the split", "[node_table]") {
    Plan plan = parse_plan(kPlan, "node-table.json");
    Decomposition d(plan);
    NodeTable table(d, request({"region"}, TimeLevel::quarter));
    REQUIRE(table.nodes().size() == 2);
    CHECK(table.nodes().key(0) == NodeKey{"A"});
    CHECK(table.nodes().key(1) == NodeKey{"B"});
    REQUIRE(table.periods().size() == 4);
    CHECK(table.periods()[1].label == "2027-Q2");
    for (std::size_t q = 0; q < 4; ++q) {
        CHECK(table.at(0, q) == 20'000);  // A: X and Y, 10,000 each a quarter
        CHECK(table.at(1, q) == 10'000);  // B: 5,000 each
    }
    CHECK(table.total(0) == 80'000);
    CHECK(table.total(1) == 40'000);
    CHECK(table.period_index("2027-Q3") == std::optional<std::size_t>(2));
    CHECK(table.skipped_rows() == 0);
}

TEST_CASE("node table: without a period, one column for the whole plan", "[node_table]") {
    Plan plan = parse_plan(kPlan, "node-table.json");
    Decomposition d(plan);
    NodeTable table(d, request({"region", "product"}));
    REQUIRE(table.periods().size() == 1);
    CHECK(table.periods()[0].label.empty());
    CHECK(table.periods()[0].first == plan.first);
    CHECK(table.periods()[0].last == plan.last);
    REQUIRE(table.nodes().size() == 4);
    std::vector<std::string_view> b_y{"B", "Y"};
    REQUIRE(table.nodes().find(b_y) == std::optional<std::size_t>(3));
    CHECK(table.at(0, 0) == 40'000);
    CHECK(table.at(3, 0) == 20'000);
}

TEST_CASE("node table: a where on a quarter narrows the columns to its months", "[node_table]") {
    Plan plan = parse_plan(kPlan, "node-table.json");
    Decomposition d(plan);
    NodeTable whole(d, request({"region"}, TimeLevel::quarter));
    NodeTable q2(d, request({"region"}, TimeLevel::month, {{"quarter", "2027-Q2"}}), whole);
    REQUIRE(q2.periods().size() == 3);
    CHECK(q2.periods()[0].label == "2027-04");
    CHECK(q2.periods()[2].label == "2027-06");
    // A: 3,334 + 3,334, then 3,333 + 3,333 twice; B: 1,667 + 1,667 twice, then 1,666 + 1,666.
    CHECK(q2.at(0, 0) == 6'668);
    CHECK(q2.at(0, 1) == 6'666);
    CHECK(q2.at(0, 2) == 6'666);
    CHECK(q2.at(1, 0) == 3'334);
    CHECK(q2.at(1, 1) == 3'334);
    CHECK(q2.at(1, 2) == 3'332);
    CHECK(&q2.nodes() == &whole.nodes());
}

TEST_CASE("node table: rows of nodes the shared index lacks are skipped and counted", "[node_table]") {
    Plan plan = parse_plan(kPlan, "node-table.json");
    Decomposition d(plan);
    NodeTable only_a(d, request({"region"}, TimeLevel::month, {{"region", "A"}}));
    REQUIRE(only_a.nodes().size() == 1);
    NodeTable all(d, request({"region"}, TimeLevel::month), only_a);
    CHECK(all.skipped_rows() == 12);  // B's twelve months
    REQUIRE(all.first_skipped().has_value());
    CHECK(*all.first_skipped() == NodeKey{"B"});
    CHECK(all.total(0) == 80'000);
    CHECK_THROWS_AS(NodeTable(d, request({"region", "product"}), only_a), std::invalid_argument);
}

TEST_CASE("node index: among many nodes, ids it does not have are not found", "[node_table]") {
    NodeIndex index(2);
    for (int i = 0; i < 5000; ++i) {
        std::string id = std::to_string(i);
        std::vector<std::string_view> ids{"r", id};
        index.insert(ids);
    }
    // The same second ids under another first id, and second ids past the last: none is a node.
    for (int i = 0; i < 5000; ++i) {
        std::string id = std::to_string(i), past = std::to_string(i + 5000);
        std::vector<std::string_view> other{"s", id}, beyond{"r", past};
        REQUIRE_FALSE(index.find(other).has_value());
        REQUIRE_FALSE(index.find(beyond).has_value());
    }
    CHECK(index.size() == 5000);
}
