#pragma once
// Activity beside the money: for each row of a split, the funnel's counts from the funnel metric's
// amount and the visits the row's members owe in the row's period. Whole counts; no I/O.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "tgt/activity_quota.hpp"
#include "tgt/decompose.hpp"
#include "tgt/visits.hpp"

namespace tgt {

class ActivityColumns {
public:
    /// For rows of `layout`, at `period` grain (nullopt: the whole plan period). Funnel columns
    /// come when the layout carries the funnel's metric; a visits column when the rows' dimension
    /// levels all belong to the dimension that holds the customers (visits are per member, not
    /// per product).
    ActivityColumns(const Plan& plan, const SplitLayout& layout, std::optional<TimeLevel> period);

    /// Column ids: the funnel's stages (those after its target stage end in "_expected"), then "visits",
    /// then the plan's activity quotas that the rows' levels carry (see QuotaColumns).
    const std::vector<std::string>& names() const { return names_; }
    bool empty() const { return names_.empty(); }
    bool has_funnel() const { return funnel_channel_ >= 0; }
    bool has_visits() const { return visits_; }
    /// Whether quota columns are shown (calls, visits… per person).
    bool has_quotas() const { return quotas_ && !quotas_->quotas().empty(); }

    /// The counts for one row, in names() order.
    void fill(const SplitRow& row, std::vector<std::int64_t>& out) const;

    /// Funnel stage `stage`'s count for an amount of the funnel's metric, summed over lead sources.
    std::int64_t stage_count(std::size_t stage, Minor amount) const;
    /// The visits owed in [first, last] by the members a row's dimension keys name (the layout's
    /// key columns without the period); 0 for a key the plan does not have.
    std::int64_t visits(std::span<const std::string_view> keys, Date first, Date last) const;

private:
    /// Every funnel stage's count for an amount of the funnel's metric, summed over lead sources.
    std::vector<std::int64_t> stage_counts(Minor amount) const;

    const Plan& plan_;
    std::vector<std::string> names_;
    int funnel_channel_ = -1;  // position of the funnel metric in the row's amounts
    bool visits_ = false;
    int member_key_ = -1;  // the key column naming the deepest visit-dimension member, or -1 (all)
    int member_depth_ = -1;
    int period_key_ = -1;                            // the key column holding the period label, or -1 (the whole plan)
    std::unordered_map<std::string_view, int> ids_;  // member id at member_depth_ → index
    std::unordered_map<std::string, std::pair<Date, Date>> periods_;
    std::optional<VisitSchedule> schedule_;
    std::optional<QuotaColumns> quotas_;
};

}  // namespace tgt
