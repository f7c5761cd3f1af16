#pragma once
// Two versions of a plan compared cell by cell (node × period): old, new, the change and what kind of
// change it is, with totals that reconcile. Nodes are matched by their full path of ids.

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tgt/decompose.hpp"
#include "tgt/labels.hpp"
#include "tgt/node_table.hpp"
#include "tgt/report.hpp"

namespace tgt {

/// What a diff compares: the grain of its cells and the metric.
struct DiffRequest {
    /// Dimension levels (their ancestors are kept too); empty: every dimension level the plans split by.
    std::vector<std::string> by;
    std::optional<TimeLevel> period;  ///< time grain; nullopt: the whole plan period, one cell per node
    std::string metric;               ///< the metric compared; empty: the plans' first
};

/// How one cell differs between the two plans.
enum class DiffStatus {
    added,     ///< the node is only in the new plan
    removed,   ///< the node is only in the old plan
    changed,   ///< in both, with different amounts
    unchanged  ///< in both, with the same amount
};

/// The word a status is shown as: "added", "removed", "changed", "unchanged".
std::string_view diff_status_name(DiffStatus status);

/// One cell of the diff: a node in a period, with the amounts of each plan (absent where the plan has
/// no such node: absence is not zero).
struct DiffCell {
    std::size_t node = 0;             ///< index into PlanDiff::nodes
    std::size_t period = 0;           ///< index into PlanDiff::periods
    std::optional<Minor> old_amount;  ///< absent: the node is not in the old plan
    std::optional<Minor> new_amount;  ///< absent: the node is not in the new plan
    DiffStatus status = DiffStatus::unchanged;

    /// new − old, an absent amount counting as nothing.
    Minor change() const { return new_amount.value_or(0) - old_amount.value_or(0); }
};

/// A node only in the old plan and one only in the new that end in the same id, the only such pair
/// for that id (a rep who moved region): their cells stay removed and added, and the move is named.
struct DiffMove {
    std::size_t from = 0;  ///< the old node, an index into PlanDiff::nodes
    std::size_t to = 0;    ///< the new node
};

/// Two plans compared: every cell of either, and the totals.
struct PlanDiff {
    std::string metric;                    ///< the metric's id
    std::string metric_name;               ///< its name in the plan (empty: none)
    int decimals = 0;                      ///< the metric's decimals
    bool money = true;                     ///< money (shown in 万 when asked), not a count
    std::vector<std::string> key_columns;  ///< the dimension levels of a node's ids
    std::string period_level;              ///< "month"…; empty: the whole plan, one period labelled ""
    std::vector<Period> periods;           ///< by date
    std::vector<NodeKey> nodes;            ///< the old plan's nodes in its order, then those only the new has
    std::vector<DiffCell> cells;           ///< every node × period, by |change| (largest first), ties in node order
    Minor old_total = 0;                   ///< the old plan's total of the metric
    Minor new_total = 0;                   ///< the new plan's total of the metric
    std::array<std::size_t, 4> counts{};   ///< cells per DiffStatus
    std::vector<DiffMove> moves;           ///< nodes that moved, in the old plan's order

    /// Whether any cell is added, removed or changed.
    bool changed() const;
    /// new total − old total, which every cell's change adds up to.
    Minor total_change() const { return new_total - old_total; }
};

/// Compares `old_plan` with `new_plan` at the request's grain. The plans must cover the same dates,
/// have the same metrics (each with the same decimals, quantum, unit and kind) and split by the same
/// levels; otherwise an Error (bad input) lists every difference, naming both files. A request
/// neither plan can answer (an unknown level, a rate metric) is a usage Error.
PlanDiff diff_plans(const Decomposition& old_plan, const Decomposition& new_plan, const DiffRequest& request);

/// A change as a percentage of the old amount, 2 decimals, halves away from zero; nullopt when
/// there was nothing before (an absent or zero old amount): a cell new from zero has no %.
std::optional<Minor> change_pct(std::optional<Minor> old_amount, Minor change);

/// How a diff becomes a table.
struct DiffTableOptions {
    bool all = false;      ///< list unchanged cells too
    Lang lang = Lang::en;  ///< headers, statuses and "Total"
};

/// The diff's columns: the key columns, `period` (when the diff has periods), old, new, change,
/// change_pct and status (headers in `lang`; English keeps the ids).
std::vector<Column> diff_columns(const PlanDiff& diff, Lang lang = Lang::en);

/// How many rows the diff's table lists: every cell with `all`, else those added, removed or changed.
std::size_t diff_rows(const PlanDiff& diff, bool all);

/// Streams the diff's table (diff_table's rows and Total) to `writer`, the text viewing the diff's own
/// strings: for diffs too large to copy.
void write_diff(const PlanDiff& diff, TableWriter& writer, const DiffTableOptions& options = {});

/// The diff as a table: the key columns, `period` (when the diff has periods), old, new, change,
/// change_pct and status, one row per cell in the diff's order (unchanged ones only with `all`),
/// and a Total row of the plans' totals, their change and its %.
Table diff_table(const PlanDiff& diff, const DiffTableOptions& options = {});

}  // namespace tgt
