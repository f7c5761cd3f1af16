#pragma once
// One name, one column: the ids a plan declares and the columns tgt derives from them. Internal.

#include "tgt/plan.hpp"

namespace tgt::detail {

/// Reports every pair of a plan's names that would give two output columns one name: ids of
/// dimension levels, metrics, stretch versions, budget lines, funnel stages and visits, and the
/// columns derived from them (`<id>_ratio`, `<id>_pct`, `<id>_task…`, `<stage>_expected`,
/// `period`). Problems the reader reports itself (a metric id twice, a stage twice) are left to it.
void check_column_names(const Plan& plan, Diagnostics& problems);

}  // namespace tgt::detail
