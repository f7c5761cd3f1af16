#pragma once
// Why a cell has the number it has: the chain of split steps from the plan's total to the cell.

#include <optional>
#include <string>
#include <vector>

#include "tgt/decompose.hpp"
#include "tgt/fraction.hpp"
#include "tgt/report.hpp"

namespace tgt {

/// One step of the chain: the parent amount, the rule that weighed the chosen child, its exact
/// share and value, and the rounding adjustment largest remainder made there.
struct ExplainStep {
    std::string level;    ///< "region", "month"
    std::string child;    ///< the member id or period label taken at this step
    std::string rule;     ///< "25%", "working days 21 of 249", "hold", "capacity 4 × 80000.00 × 6 months", …
    Minor parent = 0;     ///< the amount split here (after over-assignment)
    std::string padding;  ///< "allocate 110% of 1000.00", when the level hands out more than its parent
    Minor held = 0;       ///< siblings' holds, taken off the parent before the weights apply
    std::size_t siblings = 0;
    bool is_hold = false;  ///< the child's amount was fixed, not weighed
    Fraction share;        ///< of the pool the weights split (parent − holds), or of the parent for holds as weights
    Fraction exact;        ///< the child's exact amount before rounding (minor units)
    Minor value = 0;       ///< what the child got
    Fraction adjustment;   ///< the rounding at this step: the amount before any ramp − exact
    std::string ramp;      ///< what a ramp took from or gave to the child here, if anything
    std::string bound;     ///< what a floor or cap did to the child here, if anything
};

/// For a rate metric: the rate held at the cell and what split shows there.
struct RateExplanation {
    std::string metric;
    std::string weighted_by;
    Decimal held;                ///< as a ratio (0.35)
    std::string source;          ///< "the plan's target" or "华南's own rate"
    std::optional<Minor> shown;  ///< Σ weight × rate ÷ Σ weight over the cell, as a percentage with the
                                 ///< metric's decimals; none when the weight is zero
};

struct Explanation {
    std::string metric;
    int decimals = 2;
    Minor total = 0;
    std::string total_origin;  ///< how the total was stated, when derived
    std::vector<ExplainStep> steps;
    Minor value = 0;                      ///< the cell's value, as `split` prints it at this grain
    std::vector<std::string> notes;       ///< e.g. the levels below that pad the cell's sum
    std::optional<RateExplanation> rate;  ///< set for a rate metric; the steps then explain the metric weighting it
};

/// An exact amount in minor units as a decimal: the metric's decimals plus up to four more digits,
/// "…" when it goes on ("83333.3333…"); `sign` adds "+" to positive values.
std::string format_exact(const Fraction& minor, int decimals, bool sign = false);

/// Explains the cell named by `cell`. For a rate metric, the steps explain the metric that weights it
/// and `rate` says which rate holds there. (level = value pairs; "period" = a period label such as
/// 2027-03, 2027-Q1 or a date). A member implies its ancestors. Throws Error(usage) for a cell the
/// plan does not have, with "did you mean".
Explanation explain(const Decomposition& decomposition, const std::vector<Filter>& cell, const std::string& metric);

/// The steps as a table (level, value, rule, of, share, exact, amount, adjustment), for people.
Table explain_table(const Explanation& x);
/// The lines above the steps: the cell's value (for a rate, the rate held and its weight) and the total.
std::string explain_heading(const Explanation& x, const std::vector<Filter>& cell);
/// The lines below the steps: the notes and how shares and adjustments read.
std::string explain_footer(const Explanation& x);
/// The whole explanation as one record (cell, metric, total, steps, amount, rate, notes), for JSON.
Nested explain_record(const Explanation& x, const std::vector<Filter>& cell);

}  // namespace tgt
