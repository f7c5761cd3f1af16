#pragma once
// The plan writer: the one place that writes a plan's JSON (the reader, plan.hpp's parse_plan, is
// the one place that reads it). It works from the plan as its author wrote it plus typed edits, so
// a written plan keeps the author's keys, their order, notes and the forms of amounts ("120万");
// only what an edit names changes. Used by `tgt rebalance` (the rebalanced plan) and `tgt init`
// (the starter plans).

#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tgt/money.hpp"

namespace tgt {

/// One entry of a written "weights" map: a period's or member's weight, or an amount it holds.
struct WrittenWeight {
    std::string key;    ///< period label or member id
    Minor value = 0;    ///< minor units of the plan's metric (a weight is written as that amount)
    bool hold = false;  ///< written {"amount": value} (a hold) rather than a bare weight
};

/// An override the writer adds to a split step: the children of cells matching `where` are
/// weighted by `weights`.
struct WrittenOverride {
    std::vector<std::pair<std::string, std::string>> where;  ///< level → member id, in split order
    std::vector<WrittenWeight> weights;
};

/// A plan's text with typed edits, written back as a plan. Split steps are named by their index in
/// the plan's "split" list, metrics by their index in "metrics" (the model's indices: the reader
/// keeps both in the order written).
class PlanWriter {
public:
    /// Starts from a plan's text as written; throws Error if it is not a JSON object.
    explicit PlanWriter(std::string_view text);
    ~PlanWriter();
    PlanWriter(PlanWriter&&) noexcept;
    PlanWriter& operator=(PlanWriter&&) noexcept;

    /// Appends `suffix` to the plan's "name", if it has one.
    void append_to_name(std::string_view suffix);
    /// Sets metric `metric`'s "total" to `total`, written with `decimals` decimals.
    void set_total(std::size_t metric, Minor total, int decimals);
    /// Removes the rules that made split step `step`'s weights ("by", "weights", "file", "ramp",
    /// "overrides", …): once every child holds an explicit amount they no longer apply.
    void drop_rules(std::size_t step);
    /// Sets split step `step`'s "weights" map (amounts written with `decimals` decimals).
    void set_weights(std::size_t step, std::vector<WrittenWeight> weights, int decimals);
    /// Adds `overrides` ahead of the step's own (the first that matches a cell is the one used);
    /// each is written on a line of its own, however long, so that one per node stays diffable.
    void prepend_overrides(std::size_t step, std::vector<WrittenOverride> overrides, int decimals);
    /// Makes override `index` in `out` (whose buffers it may reuse), for overrides written as they are made.
    using MakeOverride = std::function<void(std::size_t index, WrittenOverride& out)>;
    /// The same for `count` overrides made one at a time whenever the plan is written (text(),
    /// formatted()), none of them held: `make` must stay valid until then.
    void prepend_overrides(std::size_t step, std::size_t count, MakeOverride make, int decimals);
    /// Whether split step `step` has overrides, written or added.
    bool has_overrides(std::size_t step) const;
    /// Sets split step `step`'s "normalize" (weights are ratios, whatever they add up to).
    void set_normalize(std::size_t step, bool normalize);
    /// Appends `note` to split step `step`'s "note" (after a space), or sets it.
    void add_note(std::size_t step, std::string_view note);
    /// Rewrites the plan's relative file references (calendar, members_from, history files), which
    /// resolve from folder `from`, to resolve the same files from folder `to`.
    void move_references(const std::filesystem::path& from, const std::filesystem::path& to);

    /// The plan to write: as its author wrote it while nothing is edited (a starter plan keeps its
    /// hand-made layout), else formatted().
    std::string text() const;
    /// The plan, edits made, laid out as JSON text ending in a newline: two-space indentation, what
    /// fits in 100 columns on one line, every override on a line of its own however long.
    std::string formatted() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// A plan's text laid out as PlanWriter::formatted() lays it out, without edits.
std::string format_plan(std::string_view text);

}  // namespace tgt
