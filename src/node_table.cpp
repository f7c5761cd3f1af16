// The node × period table: split rows grouped once, nodes found by their ids without joining them.

#include "tgt/node_table.hpp"

#include <algorithm>
#include <functional>
#include <stdexcept>
#include <unordered_map>
#include <utility>

namespace tgt {

namespace {

// A node's hash: its ids' hashes mixed in order, so ("a", "bc") and ("ab", "c") differ.
template <typename Ids>
std::uint64_t hash_ids(const Ids& ids, std::size_t width) {
    std::uint64_t h = 0x9E3779B97F4A7C15ull * (width + 1);
    for (std::size_t i = 0; i < width; ++i) {
        h ^= std::hash<std::string_view>{}(std::string_view(ids[i]));
        h *= 0xBF58476D1CE4E5B9ull;
        h ^= h >> 31;
    }
    return h;
}

// A slot holds the node's number + 1 in its low half and the top half of the node's hash (the
// probe starts from the low bits) in its high half: most probes of other nodes end on the slot.
constexpr std::uint64_t kTagMask = 0xFFFFFFFF00000000ull;

std::uint64_t slot_of(std::size_t node, std::uint64_t hash) {
    return (hash & kTagMask) | static_cast<std::uint64_t>(node + 1);
}

}  // namespace

NodeIndex::NodeIndex(std::size_t width) : width_(width), slots_(16, 0) {}

template <typename Ids>
std::optional<std::size_t> NodeIndex::find_hashed(const Ids& ids, std::uint64_t hash) const {
    const std::size_t mask = slots_.size() - 1;
    const std::uint64_t tag = hash & kTagMask;
    for (std::size_t at = hash & mask;; at = (at + 1) & mask) {
        const std::uint64_t slot = slots_[at];
        if (slot == 0) return std::nullopt;
        if ((slot & kTagMask) != tag) continue;  // told apart without reaching for the node's hash or ids
        const NodeKey& key = keys_[(slot & ~kTagMask) - 1];
        bool same = true;
        for (std::size_t i = 0; i < width_ && same; ++i)
            same = std::string_view(key[i]) == std::string_view(ids[i]);
        if (same) return (slot & ~kTagMask) - 1;
    }
}

std::optional<std::size_t> NodeIndex::find(std::span<const std::string_view> ids) const {
    return find_hashed(ids, hash_ids(ids, width_));
}

std::optional<std::size_t> NodeIndex::find(std::span<const std::string> ids) const {
    return find_hashed(ids, hash_ids(ids, width_));
}

std::size_t NodeIndex::insert(std::span<const std::string_view> ids) {
    const std::uint64_t hash = hash_ids(ids, width_);
    if (auto found = find_hashed(ids, hash)) return *found;
    const std::size_t node = keys_.size();
    keys_.emplace_back(ids.begin(), ids.begin() + static_cast<std::ptrdiff_t>(width_));
    hashes_.push_back(hash);
    if ((keys_.size() + 1) * 3 > slots_.size() * 2) {  // at most two thirds full
        grow();
    } else {
        const std::size_t mask = slots_.size() - 1;
        std::size_t at = hash & mask;
        while (slots_[at] != 0)
            at = (at + 1) & mask;
        slots_[at] = slot_of(node, hash);
    }
    return node;
}

void NodeIndex::grow() {
    slots_.assign(slots_.size() * 2, 0);
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t node = 0; node < keys_.size(); ++node) {
        std::size_t at = hashes_[node] & mask;
        while (slots_[at] != 0)
            at = (at + 1) & mask;
        slots_[at] = slot_of(node, hashes_[node]);
    }
}

NodeTable::NodeTable(const Decomposition& decomposition, const SplitRequest& request) {
    const SplitLayout layout = decomposition.layout(request);
    auto nodes = std::make_shared<NodeIndex>(layout.key_columns.size() - (request.period ? 1 : 0));
    nodes_ = nodes;
    build(decomposition, request, nodes.get());
}

NodeTable::NodeTable(const Decomposition& decomposition, const SplitRequest& request, const NodeTable& same_nodes)
    : NodeTable(decomposition, request, same_nodes.nodes_) {}

NodeTable::NodeTable(const Decomposition& decomposition, const SplitRequest& request,
                     std::shared_ptr<const NodeIndex> same_nodes)
    : nodes_(std::move(same_nodes)) {
    const SplitLayout layout = decomposition.layout(request);
    if (layout.key_columns.size() - (request.period ? 1 : 0) != nodes_->width())
        throw std::invalid_argument("NodeTable: the request keys its rows by other levels than same_nodes");
    build(decomposition, request, nullptr);
}

void NodeTable::build(const Decomposition& decomposition, const SplitRequest& request, NodeIndex* add_to) {
    const Plan& plan = decomposition.plan();
    const SplitLayout layout = decomposition.layout(request);
    metrics_ = layout.metrics;
    const std::size_t metric_count = metrics_.size();
    const std::size_t width = nodes_->width();
    // The columns of time: the request's periods within the plan, within any time period it filters on.
    if (request.period) {
        Date from = plan.first, to = plan.last;
        for (const auto& f : request.where) {
            auto level = parse_time_level(f.level);
            if (!level) continue;
            for (const auto& p : periods_between(*level, plan.first, plan.last, plan.fiscal_start_month))
                if (p.label == f.value) {
                    from = std::max(from, p.first);
                    to = std::min(to, p.last);
                }
        }
        if (from <= to) periods_ = periods_between(*request.period, from, to, plan.fiscal_start_month);
    } else {
        periods_.push_back(Period{TimeLevel::year, plan.first, plan.last, ""});
    }
    std::unordered_map<std::string_view, std::size_t> by_label;
    for (std::size_t p = 0; p < periods_.size(); ++p)
        by_label.emplace(periods_[p].label, p);
    const std::size_t row_size = periods_.size() * metric_count;  // one node's amounts
    amounts_.assign(nodes_->size() * row_size, 0);

    // Rows of one node come together, and their key views point into the plan and its periods:
    // comparing the pointers finds the node (and the period) again without hashing a string.
    std::vector<const char*> last_ids(width, nullptr);
    std::optional<std::size_t> last_node;
    bool met = false;
    std::unordered_map<const char*, std::size_t> period_at;  // a label's address → its column
    decomposition.run(request, [&](const SplitRow& row) {
        bool same = met;
        for (std::size_t i = 0; i < width && same; ++i)
            same = row.keys[i].data() == last_ids[i];
        if (!same) {
            met = true;
            for (std::size_t i = 0; i < width; ++i)
                last_ids[i] = row.keys[i].data();
            if (add_to) {
                last_node = add_to->insert(row.keys.first(width));
                if (amounts_.size() < add_to->size() * row_size) amounts_.resize(add_to->size() * row_size, 0);
            } else {
                last_node = nodes_->find(row.keys.first(width));
            }
        }
        if (!last_node) {
            ++skipped_rows_;
            if (!first_skipped_)
                first_skipped_.emplace(row.keys.begin(), row.keys.begin() + static_cast<std::ptrdiff_t>(width));
            return;
        }
        std::size_t period = 0;
        if (request.period) {
            const std::string_view label = row.keys[width];
            auto cached = period_at.find(label.data());
            if (cached == period_at.end()) {
                auto it = by_label.find(label);
                if (it == by_label.end()) throw std::logic_error("NodeTable: a split row of a period it does not have");
                cached = period_at.emplace(label.data(), it->second).first;
            }
            period = cached->second;
        }
        Minor* into = amounts_.data() + *last_node * row_size + period * metric_count;
        for (std::size_t m = 0; m < metric_count; ++m)
            into[m] += row.amounts[m];
    });
}

Minor NodeTable::total(std::size_t node, std::size_t metric) const {
    Minor sum = 0;
    for (std::size_t p = 0; p < periods_.size(); ++p)
        sum += at(node, p, metric);
    return sum;
}

std::optional<std::size_t> NodeTable::period_index(std::string_view label) const {
    for (std::size_t p = 0; p < periods_.size(); ++p)
        if (periods_[p].label == label) return p;
    return std::nullopt;
}

}  // namespace tgt
