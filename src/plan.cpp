// Plan's own look-ups.

#include "tgt/plan.hpp"

namespace tgt {

namespace {

// A location known in full.
class FixedPlace : public PlanPlace::Source {
public:
    explicit FixedPlace(SourceLocation where) : where_(std::move(where)) {}
    SourceLocation resolve(std::uint32_t) const override { return where_; }

private:
    SourceLocation where_;
};

}  // namespace

PlanPlace::PlanPlace(const SourceLocation& where)
    : source_(std::make_shared<FixedPlace>(where)), lined_(where.line > 0) {}

int Plan::step_index(std::string_view level) const {
    for (std::size_t i = 0; i < steps.size(); ++i)
        if (steps[i].level == level) return static_cast<int>(i);
    return -1;
}

std::vector<std::string> Plan::metric_ids() const {
    std::vector<std::string> ids;
    for (const auto& m : metrics)
        ids.push_back(m.id);
    return ids;
}

int Plan::metric_index(std::string_view id) const {
    for (std::size_t i = 0; i < metrics.size(); ++i)
        if (metrics[i].id == id) return static_cast<int>(i);
    return -1;
}

}  // namespace tgt
