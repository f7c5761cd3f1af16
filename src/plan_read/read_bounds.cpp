// "floor" and "cap" on a split step: the least and the most each child may get.

#include <fmt/format.h>

#include "plan_reader.hpp"

namespace tgt::detail {

// An amount for every child ("500", or {"tons": 500} in a plan with several metrics), or an object
// keyed by member id or period label, where "*" names every child the others do not.
StepBound PlanReader::read_bound(const JsonValue& v, const Step& step, std::string_view what) {
    StepBound bound;
    bound.where = at(v);
    if (v.kind != Kind::object) {
        bound.every = hold_share(v);
        return bound;
    }
    for (const auto& [key, value] : v.members()) {
        if (key == "*") {
            bound.every = hold_share(value);
            continue;
        }
        std::string canonical = canonical_key(step, std::string(key), value);
        if (canonical.empty()) continue;
        if (!bound.keyed.emplace(canonical, hold_share(value)).second)
            error(value, fmt::format("two {}s for {}", what, canonical), "give each period or member one");
    }
    if (bound.empty()) error(v, fmt::format("\"{}\" names no child", what), "write e.g. {\"*\": \"500\"}");
    return bound;
}

void PlanReader::read_step_bounds(const JsonValue& item, Step& step) {
    if (auto* f = item.find("floor")) step.floor = read_bound(*f, step, "floor");
    if (auto* c = item.find("cap")) step.cap = read_bound(*c, step, "cap");
}

}  // namespace tgt::detail
