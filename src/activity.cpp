// Activity beside the money, row by row.

#include "tgt/activity.hpp"

#include <algorithm>

#include "tgt/funnel.hpp"

namespace tgt {

ActivityColumns::ActivityColumns(const Plan& plan, const SplitLayout& layout, std::optional<TimeLevel> period)
    : plan_(plan) {
    if (plan.funnel) {
        const Funnel& f = *plan.funnel;
        for (std::size_t i = 0; i < layout.metrics.size(); ++i)
            if (layout.metrics[i] == f.metric) funnel_channel_ = static_cast<int>(i);
        if (funnel_channel_ >= 0)
            for (std::size_t s = 0; s < f.stages.size(); ++s)
                names_.push_back(s > f.target_stage ? f.stages[s].id + "_expected" : f.stages[s].id);
    }
    std::size_t dimension_keys = layout.key_columns.size() - (period ? 1 : 0);
    if (plan.visits && plan.visits->dimension >= 0) {
        visits_ = true;
        const Dimension& dim = plan.dimensions[static_cast<std::size_t>(plan.visits->dimension)];
        for (std::size_t k = 0; k < dimension_keys; ++k) {
            auto level = std::find(dim.levels.begin(), dim.levels.end(), layout.key_columns[k]);
            if (level == dim.levels.end()) {
                visits_ = false;  // a row of another dimension (a product) has no visits of its own
                break;
            }
            int depth = static_cast<int>(level - dim.levels.begin());
            if (depth > member_depth_) {
                member_depth_ = depth;
                member_key_ = static_cast<int>(k);
            }
        }
        if (visits_) {
            names_.push_back("visits");
            schedule_.emplace(plan);
            if (member_depth_ >= 0) {
                const auto& members = dim.members[static_cast<std::size_t>(member_depth_)];
                for (std::size_t i = 0; i < members.size(); ++i)
                    ids_.emplace(members[i].id, static_cast<int>(i));
            }
        }
    }
    if (!plan.activities.empty()) {
        quotas_.emplace(plan, layout.key_columns, dimension_keys);
        for (std::size_t q : quotas_->quotas())
            names_.push_back(plan.activities[q].id);
    }
    if (period && (visits_ || has_quotas())) {
        period_key_ = static_cast<int>(dimension_keys);
        for (const auto& p : periods_between(*period, plan.first, plan.last, plan.fiscal_start_month))
            periods_.emplace(p.label, std::pair{std::max(p.first, plan.first), std::min(p.last, plan.last)});
    }
}

std::vector<std::int64_t> ActivityColumns::stage_counts(Minor amount) const {
    const Funnel& f = *plan_.funnel;
    std::vector<std::int64_t> out(f.stages.size(), 0);
    for (const auto& counts : funnel_counts(f, amount, plan_.metrics[static_cast<std::size_t>(f.metric)].decimals))
        for (std::size_t s = 0; s < counts.stages.size(); ++s)
            out[s] += counts.stages[s];
    return out;
}

std::int64_t ActivityColumns::stage_count(std::size_t stage, Minor amount) const {
    return stage_counts(amount)[stage];
}

std::int64_t ActivityColumns::visits(std::span<const std::string_view> keys, Date first, Date last) const {
    std::vector<std::int64_t> per_tier;
    if (member_key_ < 0) {
        per_tier = schedule_->visits_all(first, last);
    } else {
        auto it = ids_.find(keys[static_cast<std::size_t>(member_key_)]);
        if (it == ids_.end()) return 0;  // a placeholder such as "(unassigned)" has no customers
        per_tier = schedule_->visits(member_depth_, it->second, first, last);
    }
    std::int64_t total = 0;
    for (auto v : per_tier)
        total += v;
    return total;
}

void ActivityColumns::fill(const SplitRow& row, std::vector<std::int64_t>& out) const {
    out.assign(names_.size(), 0);
    std::size_t next = 0;
    if (funnel_channel_ >= 0) {
        auto counts = stage_counts(row.amounts[static_cast<std::size_t>(funnel_channel_)]);
        std::copy(counts.begin(), counts.end(), out.begin());
        next = counts.size();
    }
    if (!visits_ && !has_quotas()) return;
    Date first = plan_.first, last = plan_.last;
    if (period_key_ >= 0) {
        auto it = periods_.find(std::string(row.keys[static_cast<std::size_t>(period_key_)]));
        if (it == periods_.end()) return;
        std::tie(first, last) = it->second;
    }
    if (visits_) out[next++] = visits(row.keys, first, last);
    if (has_quotas())
        for (std::size_t q : quotas_->quotas())
            out[next++] = quotas_->count(q, row.keys, first, last);
}

}  // namespace tgt
