#pragma once
// A split as a cross table: the --by cells down, the members (or periods) of one level across.

#include <string_view>

#include "tgt/decompose.hpp"
#include "tgt/labels.hpp"
#include "tgt/report.hpp"

namespace tgt {

/// `decomposition`'s split for `request` as a cross table of one metric: a row per cell of the request's
/// grain (its --by levels and --period), a column per member of `across` (a dimension level or a time
/// level, which joins the grain; members in plan order, periods by date; only those the split reaches),
/// then a Total column (the row's sum); then a Total row (the column sums and the grand total) unless the
/// grain has no level of its own (one row: its Total column is the grand total). Every amount is the
/// split's exact integer in minor units. A pair the split never reaches (a rep under another region) is
/// absent, not zero. The whole split is held in memory. Throws Error(usage) when `across` is also in
/// `request.by`, a time `across` comes with `request.period`, the request names several metrics (the
/// first metric when it names none), the metric is a rate, or it asks for tasks.
Table cross_tab(const Decomposition& decomposition, SplitRequest request, std::string_view across,
                Lang lang = Lang::en);

}  // namespace tgt
