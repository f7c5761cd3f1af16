#pragma once
// The model parts of a plan that have algorithms of their own: when a member is active, a sales
// funnel, a visit plan. Plain data; capacity.hpp, funnel.hpp and visits.hpp compute with them.

#include <chrono>
#include <climits>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "tgt/calendar.hpp"
#include "tgt/error.hpp"
#include "tgt/money.hpp"
#include "tgt/rare_vector.hpp"

namespace tgt {

/// An optional date in 4 bytes (days since 1970-01-01), where std::optional<Date> takes 16: a plan
/// holds two for each of its members. Reads and converts like std::optional<Date>.
class OptionalDate {
public:
    OptionalDate() = default;
    OptionalDate(std::nullopt_t) {}
    // Implicit, as std::optional's: `m.availability.start = date_of(v);`.
    OptionalDate(Date d) : days_(static_cast<std::int32_t>(d.time_since_epoch().count())) {}
    OptionalDate(const std::optional<Date>& d) : days_(d ? OptionalDate(*d).days_ : kNone) {}
    operator std::optional<Date>() const { return has_value() ? std::optional<Date>(**this) : std::nullopt; }

    bool has_value() const { return days_ != kNone; }
    explicit operator bool() const { return has_value(); }
    /// The date (only when has_value()).
    Date operator*() const { return Date{std::chrono::days{days_}}; }
    Date value_or(Date fallback) const { return has_value() ? **this : fallback; }
    void reset() { days_ = kNone; }
    friend bool operator==(OptionalDate a, OptionalDate b) { return a.days_ == b.days_; }

private:
    static constexpr std::int32_t kNone = INT32_MIN;
    std::int32_t days_ = kNone;
};

/// When a member is active and how its first months ramp up.
struct Availability {
    OptionalDate start;        ///< first active day (a rep joining on 1 September)
    OptionalDate end;          ///< last active day
    RareVector<Decimal> ramp;  ///< share of full quota (as a ratio, 0.25) in tenure months 1, 2, …; empty: none

    bool limited() const { return start || end || !ramp.empty(); }
};

/// One stage of a sales funnel (leads, visits, orders…).
struct FunnelStage {
    std::string id;
    std::string name;
    Decimal rate{1, 0};         ///< conversion from the stage before, as a ratio in (0, 1]; the first stage's is 1
    std::int64_t observed = 0;  ///< the stage's observed count ("200 prospects"); 0: the rate is given, not derived
};

/// Where leads come from (walk-ins, invited prospects, referrals…), with its share of the target
/// stage's count and its own rates where they differ from the funnel's.
struct LeadSource {
    std::string id;
    std::string name;
    Decimal share{1, 0};                                 ///< ratio; the sources' shares add up to 1
    std::vector<std::pair<std::size_t, Decimal>> rates;  ///< stage index → this source's rate
};

/// A sales funnel: its stages, the stage the target counts, and where leads come from.
struct Funnel {
    std::vector<FunnelStage> stages;     ///< first (leads) to last (deliveries)
    std::size_t target_stage = 0;        ///< the stage the metric counts, or buys with order_value
    std::optional<Decimal> order_value;  ///< metric amount per unit of the target stage (money metrics)
    std::vector<LeadSource> sources;     ///< empty: one funnel with the stages' rates
    int metric = 0;                      ///< the plan metric it reads (its id in the plan's order)
    SourceLocation where;
    std::vector<SourceLocation> stage_where;  ///< where the plan names each stage (empty for a what-if)
};

/// How often an activity quota is set: each working day, each week (Monday to Sunday) or each month.
enum class QuotaPer { working_day, week, month };

/// An activity every person makes ("30 calls a working day", "10 visits a week"): whole counts owed on
/// each person's own active working days, added up person → team and day → week → month → year.
struct ActivityQuota {
    std::string id;
    std::string name;
    std::int64_t count = 0;  ///< per `per` and person
    QuotaPer per = QuotaPer::working_day;
    int dimension = 0;  ///< the dimension whose members at `depth` are the people who owe it
    int depth = 0;
    SourceLocation where;
};

/// A customer tier and how often its customers are visited: once every `every_months` months, or
/// `per_month` times a month.
struct CustomerTier {
    std::string id;
    std::string name;
    int every_months = 1;
    int per_month = 1;
    bool separate = false;  ///< "every": "separately" (另行安排): its customers are counted, not visited
    SourceLocation where;

    /// "monthly", "every 2 months", "3 a month"…
    std::string frequency() const;
};

/// The plan's "visits": tiers, and the dimension whose members hold customers.
struct VisitPlan {
    std::vector<CustomerTier> tiers;
    int dimension = -1;  ///< the dimension whose members carry "customers" (-1: none do yet)
    SourceLocation where;
};

}  // namespace tgt
