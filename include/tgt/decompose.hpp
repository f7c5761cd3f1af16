#pragma once
// Plan → allocation: every member × period × metric, exact, aggregated to the grain asked for.

#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tgt/apportion.hpp"
#include "tgt/plan.hpp"

namespace tgt {

/// Restricts output to cells whose `level` (a dimension level or time level) is `value`.
struct Filter {
    std::string level;
    std::string value;
};

/// What a split should produce.
struct SplitRequest {
    std::vector<std::string> by;      ///< dimension levels to keep (their ancestors are kept too)
    std::optional<TimeLevel> period;  ///< time grain; nullopt = the whole plan period
    std::vector<Filter> where;
    std::vector<std::string> metrics;  ///< metric ids; empty = all
    bool with_task = false;            ///< also compute each row's task before over-assignment
    bool full_depth = false;           ///< walk every step even when the grain does not need it
    int threads = 1;                   ///< > 1: walk subtrees in parallel (the same rows in the same order)
    /// Shards: this run walks only share `shard` (0-based) of `shards` contiguous shares of the
    /// subtrees below the top levels (every run computes those levels' amounts and the same
    /// assignment), so the rows of shards 0 … shards − 1, concatenated in order, are one run's rows.
    /// A sharded run walks on one thread; its grain must keep the split's first level.
    std::size_t shard = 0;
    std::size_t shards = 1;
    /// When set, amounts that contradict their parent (holds above it, bottom-up sums that miss it)
    /// are recorded here and the walk goes on with the holds as weights, instead of stopping at the
    /// first: `validate` reports them all. The walk then runs on one thread.
    std::vector<struct SplitProblem>* problems = nullptr;
};

/// A contradiction between a node's amount and the amounts held below it, met during a walk.
struct SplitProblem {
    std::size_t step = 0;  ///< the split step whose children disagree with their parent
    std::string node;      ///< the parent: "华东 / 2027-Q1", or "" for the plan total
    Diagnostic diagnostic;
};

/// How many problems a collecting walk records before it only counts them.
inline constexpr std::size_t kMaxSplitProblems = 100;

/// The columns of the rows a split produces.
struct SplitLayout {
    std::vector<std::string> key_columns;  ///< dimension levels, then "period" if any
    std::vector<int> metrics;              ///< metric indices, in output order
    bool with_task = false;                ///< amounts hold metrics, then their tasks
};

/// Rate metrics travel as weight × rate, the rate in millionths (30 % → 300000), so that any sum of
/// rows divides back into the weighted average.
inline constexpr int kRateDigits = 6;

/// A rate channel's weighted average over some rows: Σ weight × rate ÷ Σ weight as a percentage
/// with `decimals` places (halves away from zero); nullopt when the weight is zero.
std::optional<Minor> rate_percent(Minor weighted, Minor weight, int decimals);

/// One output row. The key views point into the plan and its periods (they stay valid and
/// unchanged while the Decomposition lives); the spans themselves are valid only during the callback.
struct SplitRow {
    std::span<const std::string_view> keys;
    std::span<const Minor> amounts;
};

/// Rows as text, formatted where they are computed. `make_format` is called once per thread that
/// walks (possibly a worker thread) and returns that thread's formatter, which appends one row's
/// text to a buffer; `write` receives the buffers on the calling thread, in the rows' order, so the
/// text written is the same whatever the number of threads.
struct SplitText {
    std::function<std::function<void(const SplitRow&, std::string&)>()> make_format;
    std::function<void(std::string_view)> write;
};

/// A prepared decomposition of one plan. Construction resolves every sibling group's weights
/// and reports all inconsistencies at once; run() walks the split and streams rows.
class Decomposition {
public:
    explicit Decomposition(const Plan& plan);
    /// For validation: records the plan's contradictions in `problems` instead of throwing, and
    /// splits the sibling groups they concern equally, so that a walk (with SplitRequest::problems)
    /// can still find the ones that depend on amounts. Its rows are not a plan's split.
    Decomposition(const Plan& plan, Diagnostics& problems);
    ~Decomposition();
    Decomposition(const Decomposition&) = delete;
    Decomposition& operator=(const Decomposition&) = delete;

    /// The columns run() will produce for `request`; throws Error(usage) for an impossible grain.
    SplitLayout layout(const SplitRequest& request) const;

    /// Computes the split and calls `sink` once per row, in the plan's order (members as
    /// declared, periods by date). Rows at any grain sum exactly to the plan's totals.
    void run(const SplitRequest& request, const std::function<void(const SplitRow&)>& sink) const;

    /// The same rows as run(), as text: formatted on the threads that compute them and written in
    /// order by the calling thread (see SplitText). Throws what run() throws, and what `write` throws.
    void run(const SplitRequest& request, const SplitText& text) const;

    const Plan& plan() const { return plan_; }

    struct Impl;                                      ///< precomputed time tree and sibling groups (opaque)
    const Impl& internals() const { return *impl_; }  ///< for explain and checks in this library

private:
    void prepare(Diagnostics& problems);
    void walk(const SplitRequest& request, const std::function<void(const SplitRow&)>& sink,
              const SplitText* text = nullptr) const;

    const Plan& plan_;
    std::unique_ptr<Impl> impl_;
};

}  // namespace tgt
