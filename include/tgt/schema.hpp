#pragma once
// The JSON Schema (draft 2020-12) of plan files, as shipped in schema/plan.schema.json.

#include <string_view>

namespace tgt {

/// The schema text, so that editors can validate and complete plans (`tgt schema > plan.schema.json`).
std::string_view plan_schema();

}  // namespace tgt
