#pragma once
// After a plan is read: amounts derived from growth, capacity and ramps, stretch holds, bottom-up
// totals and synthetic "(unassigned)" members. Pure model arithmetic; no JSON. Internal.

#include "tgt/fraction.hpp"
#include "tgt/plan.hpp"

namespace tgt::detail {

/// The member id that carries what ramps free up when "ramp_rest" is "unassigned".
inline constexpr const char* kUnassignedId = "(unassigned)";

/// Completes a freshly read plan; problems go to `problems`.
void finish_plan(Plan& plan, Diagnostics& problems);

/// "4 × 80,000.00 × 6 months" — the words explain and warnings use for a capacity.
std::string describe_capacity(const Plan& plan, const Member& member, std::size_t metric, const Fraction& months);

}  // namespace tgt::detail
