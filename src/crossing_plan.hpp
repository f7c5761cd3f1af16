#pragma once
// Crossed split steps, once a plan's totals are final: each crossed table is computed (exact
// values, controlled rounding) and kept on its steps' Crossing; the walk splits by it as holds
// (Decomposition::Impl::build_cross_groups). Internal.

#include "tgt/plan.hpp"

namespace tgt::detail {

/// Computes every crossed table of `plan` (into its steps' Crossing); problems go to `problems`.
void apply_crossings(Plan& plan, Diagnostics& problems);

}  // namespace tgt::detail
