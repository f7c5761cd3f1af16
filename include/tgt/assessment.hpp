#pragma once
// Target-responsibility assessment (目标责任考核): achievement turned into a score out of the
// scheme's points, and the score into a pay factor by bands. Plain data and exact arithmetic; the
// progress hook (assessment_progress.cpp) fills in the members' achievement.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "tgt/error.hpp"
#include "tgt/fraction.hpp"
#include "tgt/money.hpp"

namespace tgt {

/// One part of a scheme: points earned by the plan's metrics (weighted, linear in achievement up to
/// a cap) or, without metrics, duty points tgt cannot measure: full, less the deductions (扣分) an
/// actuals column records. (Deductions, not points given: an empty actuals cell reads as 0, which
/// for points given could not tell "not scored" from "scored 0".)
struct AssessmentPart {
    std::string id;
    std::string name;
    Decimal points;                                ///< what the part is worth at 100 % (30, 70)
    std::vector<std::pair<int, Decimal>> metrics;  ///< plan metric index → weight as a ratio (they add up to 1)
    Decimal cap{1, 0};                             ///< achievement counts up to this ratio (1.2 = 120 %)
    std::string column;  ///< duty part: the actuals column of points deducted (summed); empty: full points
    SourceLocation where;

    /// Whether the part's points come from duties rather than from the plan's metrics.
    bool duty() const { return metrics.empty(); }
};

/// Scores from `from` (included) to `to` (excluded; none: no upper end) are paid at `factor`.
struct PayBand {
    Decimal from;
    std::optional<Decimal> to;
    Decimal factor{1, 0};  ///< as a ratio (0.85 = 85 % of the pay)
    SourceLocation where;
};

/// The plan's "assessment": parts with points, and pay bands over the score.
struct Assessment {
    std::vector<AssessmentPart> parts;
    std::vector<PayBand> pay;
    SourceLocation where;
};

/// A member's achievement per plan metric (actual ÷ target; nullopt where the target is zero or the
/// metric was not measured) and per part the duty points deducted (nullopt: none).
struct AssessmentInput {
    std::vector<std::optional<Fraction>> achievement;  ///< by plan metric index
    std::vector<std::optional<Fraction>> deductions;   ///< by part index (duty parts only)
};

/// The best score the scheme allows: Σ points × cap (duty parts at their points).
Fraction max_score(const Assessment& scheme);

/// The part's points for `input`: points × Σ weight × min(max(achievement, 0), cap), or a duty
/// part's points less its deductions (kept between 0 and its points). Nullopt when a metric it
/// weighs has no achievement (a zero target): there is nothing to score against.
std::optional<Fraction> part_score(const AssessmentPart& part, std::size_t index, const AssessmentInput& input);

/// The sum of the parts' scores, exact; nullopt when any part has none.
std::optional<Fraction> assessment_score(const Assessment& scheme, const AssessmentInput& input);

/// The band the exact `score` falls in (the first that holds it, in the plan's order), or nullopt.
std::optional<std::size_t> pay_band(const Assessment& scheme, const Fraction& score);

/// A stretch of scores in no band, or one in two bands.
struct PayBandProblem {
    enum class Kind { gap, overlap };
    Kind kind = Kind::gap;
    Fraction from;                   ///< the stretch of scores concerned
    std::optional<Fraction> to;      ///< excluded (a gap's top end reaching the maximum includes it); none: no end
    std::vector<std::size_t> bands;  ///< the bands concerned (indexes into Assessment::pay)
    std::string message;             ///< "scores 0 to 60 fall in no band"
    SourceLocation where;            ///< the band the problem is reported at
};

/// Every gap and overlap of the pay bands over the scores the scheme allows (0 to max_score()).
std::vector<PayBandProblem> pay_band_problems(const Assessment& scheme);

}  // namespace tgt
