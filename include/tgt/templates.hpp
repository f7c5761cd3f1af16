#pragma once
// Starter plans that tgt init writes: each validates and splits as it is, and explains itself in
// "description" and "note" fields (JSON has no comments).

#include <span>
#include <string_view>

namespace tgt {

struct PlanTemplate {
    std::string_view name;  ///< what `tgt init` takes as a template: company, regions-reps, store, dealer
    std::string_view text;  ///< the plan, as written in templates/NAME.json
};

/// Every template, the default (company) first.
std::span<const PlanTemplate> plan_templates();

}  // namespace tgt
