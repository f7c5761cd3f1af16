#pragma once
// Crossed split steps, once a plan's totals are final: each crossed table is computed (exact
// values, controlled rounding) and handed to the walk as holds: the row level's amounts as the
// step's keyed holds, each row's cells as an override of the column level. Internal.

#include "tgt/plan.hpp"

namespace tgt::detail {

/// Computes every crossed table of `plan` and turns it into holds; problems go to `problems`.
void apply_crossings(Plan& plan, Diagnostics& problems);

}  // namespace tgt::detail
