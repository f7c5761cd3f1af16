#pragma once
// One node × period table: a split's rows grouped once per node (its ids down the dimension levels
// of the split's key columns) and per period, with the amounts per metric. Progress, rebalance and
// sheets read their targets from it instead of regrouping split rows each on their own.

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tgt/decompose.hpp"

namespace tgt {

/// A node: its member ids down a split's dimension key columns ({"华东", "赵磊"} by region, rep),
/// the period left out. The whole plan is the node of no ids.
using NodeKey = std::vector<std::string>;

/// Nodes of one width (number of ids), numbered 0, 1, … in the order they were added, and found
/// again from their ids as views (a split row's keys, an actuals row's ids) without joining them.
class NodeIndex {
public:
    /// An empty index of nodes of `width` ids each.
    explicit NodeIndex(std::size_t width = 0);

    /// How many ids name a node.
    std::size_t width() const { return width_; }
    /// How many nodes there are.
    std::size_t size() const { return keys_.size(); }
    /// The ids of node `node` (< size()).
    const NodeKey& key(std::size_t node) const { return keys_[node]; }
    /// Every node's ids, by number.
    const std::vector<NodeKey>& keys() const { return keys_; }

    /// The number of the node named by the first width() entries of `ids` (there must be as many),
    /// or nullopt.
    std::optional<std::size_t> find(std::span<const std::string_view> ids) const;
    /// The same for owned strings (a ProgressRow's keys, a NodeKey).
    std::optional<std::size_t> find(std::span<const std::string> ids) const;
    /// The number of the node named by the first width() entries of `ids`; a new node (numbered
    /// size()) when there is none yet.
    std::size_t insert(std::span<const std::string_view> ids);

private:
    template <typename Ids>
    std::optional<std::size_t> find_hashed(const Ids& ids, std::uint64_t hash) const;
    void grow();

    std::size_t width_ = 0;
    std::vector<NodeKey> keys_;
    std::vector<std::uint64_t> hashes_;  // per node
    std::vector<std::uint64_t> slots_;   // open addressing: node + 1 and the hash's top half, or 0 for a free slot
};

/// A split's rows grouped per node and period: at(node, period, metric) is the sum of the amounts
/// of the rows of that node and period. Built by walking the split once; memory is nodes × periods
/// × metrics amounts, whatever the number of rows.
class NodeTable {
public:
    /// Runs `request` on `decomposition` and groups its rows. Nodes are numbered as first met (the
    /// plan's order). The periods are request.period's between the plan's first and last days,
    /// narrowed to the one period a `where` on a time level names; without a period, one period
    /// covering the whole plan (label ""). Throws what the split throws.
    NodeTable(const Decomposition& decomposition, const SplitRequest& request);
    /// The same, with the nodes of `same_nodes` and their numbers (the tables of one report at
    /// several grains line up): rows of a node it does not have are skipped and counted in
    /// skipped_rows(). The request must key its rows by the same levels.
    NodeTable(const Decomposition& decomposition, const SplitRequest& request, const NodeTable& same_nodes);
    /// The same, with the nodes of a table that need not be kept (its shared_nodes()).
    NodeTable(const Decomposition& decomposition, const SplitRequest& request,
              std::shared_ptr<const NodeIndex> same_nodes);

    /// The nodes, shared: another table can be built on them once this one is gone.
    std::shared_ptr<const NodeIndex> shared_nodes() const { return nodes_; }

    /// The nodes, numbered.
    const NodeIndex& nodes() const { return *nodes_; }
    /// The columns of time, by date.
    const std::vector<Period>& periods() const { return periods_; }
    /// The metrics of each amount, as the split's layout gives them (a with_task request's tasks are left out).
    const std::vector<int>& metrics() const { return metrics_; }

    /// The sum of `metric` (an index into metrics()) over the rows of `node` in period `period`.
    Minor at(std::size_t node, std::size_t period, std::size_t metric = 0) const {
        return amounts_[(node * periods_.size() + period) * metrics_.size() + metric];
    }
    /// The sum of `metric` over all the rows of `node`.
    Minor total(std::size_t node, std::size_t metric = 0) const;
    /// The amounts, node × period × metric (at()'s order), moved out: the table is left without
    /// them, for a caller that wants that grid and not a copy.
    std::vector<Minor> release_amounts() { return std::move(amounts_); }
    /// The index of the period labelled `label` in periods(), or nullopt.
    std::optional<std::size_t> period_index(std::string_view label) const;

    /// Rows skipped because their node is not among same_nodes' (zero when built without it).
    std::size_t skipped_rows() const { return skipped_rows_; }
    /// The first skipped row's node, if any.
    const std::optional<NodeKey>& first_skipped() const { return first_skipped_; }

private:
    void build(const Decomposition& decomposition, const SplitRequest& request, NodeIndex* add_to);

    std::shared_ptr<const NodeIndex> nodes_;  // shared by the tables built with same_nodes
    std::vector<Period> periods_;
    std::vector<int> metrics_;
    std::vector<Minor> amounts_;  // node × period × metric
    std::size_t skipped_rows_ = 0;
    std::optional<NodeKey> first_skipped_;
};

}  // namespace tgt
