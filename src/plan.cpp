// Plan's own look-ups.

#include "tgt/plan.hpp"

namespace tgt {

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
