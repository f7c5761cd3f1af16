#pragma once
// The assessment in a progress report: each row's score and pay factor, added to the progress table
// as two columns by a writer that wraps the table's (progress_table itself is not changed).

#include <cstdio>
#include <memory>
#include <optional>
#include <vector>

#include "tgt/assessment.hpp"
#include "tgt/progress.hpp"

namespace tgt {

/// One progress row's assessment: nothing for the unplanned row, the Total, or a row with a zero target.
struct AssessedRow {
    std::optional<Fraction> score;    ///< exact
    std::optional<std::size_t> band;  ///< the pay band it falls in
};

/// Per ProgressReport::rows entry, in order.
struct AssessmentResults {
    std::vector<AssessedRow> rows;
};

/// Scores every row of `report` (made from `request`) by the plan's assessment: achievement per
/// metric is actual ÷ target for the whole period (the report's achievement_pct, exact), each metric
/// measured by a progress run of its own over the same actuals and rows; a duty part's deductions
/// are summed from its actuals column (rows up to the as-of date) and taken off its points. Throws
/// Error(usage) when the actuals come from standard input and must be read again.
AssessmentResults assess_progress(const Decomposition& decomposition, const ProgressRequest& request,
                                  const ProgressReport& report);

/// A writer that passes the progress table to `inner` with two columns added: score (2 decimals,
/// rounded half away from zero from the exact score) and pay_factor_pct (the band's factor, %).
/// Rows must arrive in the report's order; the Total row gets neither.
std::unique_ptr<TableWriter> assessment_writer(TableWriter& inner, const Assessment& scheme,
                                               const AssessmentResults& results);

}  // namespace tgt
