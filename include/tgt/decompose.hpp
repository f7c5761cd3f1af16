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
};

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

/// A prepared decomposition of one plan. Construction resolves every sibling group's weights
/// and reports all inconsistencies at once; run() walks the split and streams rows.
class Decomposition {
public:
    explicit Decomposition(const Plan& plan);
    ~Decomposition();
    Decomposition(const Decomposition&) = delete;
    Decomposition& operator=(const Decomposition&) = delete;

    /// The columns run() will produce for `request`; throws Error(usage) for an impossible grain.
    SplitLayout layout(const SplitRequest& request) const;

    /// Computes the split and calls `sink` once per row, in the plan's order (members as
    /// declared, periods by date). Rows at any grain sum exactly to the plan's totals.
    void run(const SplitRequest& request, const std::function<void(const SplitRow&)>& sink) const;

    const Plan& plan() const { return plan_; }

    struct Impl;                                      ///< precomputed time tree and sibling groups (opaque)
    const Impl& internals() const { return *impl_; }  ///< for explain and checks in this library

private:
    const Plan& plan_;
    std::unique_ptr<Impl> impl_;
};

}  // namespace tgt
