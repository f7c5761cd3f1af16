#pragma once
// The plan reader: one section reader per part of the plan file, over ReaderBase. Each group of
// sections lives in its own file (read_period.cpp, read_calendar.cpp, read_metrics.cpp,
// read_funnel.cpp, read_dimensions.cpp, read_members_from.cpp, read_steps.cpp); read() in
// plan_reader.cpp calls them in order. Internal.

#include <map>
#include <set>
#include <string>
#include <vector>

#include "member_index.hpp"
#include "reader_base.hpp"
#include "tgt/crossing.hpp"
#include "tgt/customer_classes.hpp"

namespace tgt::detail {

/// JSON tree → Plan (or a calendar file → WorkCalendar), every problem reported at its place.
/// How a members_from weight column writes its weights: percentages ("12.5%") or plain numbers.
struct WeightForms {
    int percent_line = 0;  ///< the first percentage's line (0: none)
    int plain_line = 0;    ///< the first plain number's line (0: none)
    std::string percent_text, plain_text;
    Decimal percent_total;  ///< the percentages' sum, as a fraction (12.5% + 87.5% = 1)
    void add(std::string_view cell, const Decimal& weight, int line);
};

class PlanReader : public ReaderBase {
public:
    using ReaderBase::ReaderBase;

    Plan read();

    // Public so that load_calendar can reuse it on a calendar file's root. `chain` names the
    // calendars being read, outermost first, so that an "extends" loop is caught.
    WorkCalendar read_calendar(const JsonValue& v, std::vector<std::string> chain = {});

    // A calendar named by a string (a plan's "calendar", a calendar's "extends"): read with its own
    // reader, its problems reported at their own file:line:col (or here, when they have none).
    // With `as_file`, the reference is a file path whatever it looks like.
    WorkCalendar read_calendar_reference(const JsonValue& v, std::vector<std::string> chain, bool as_file = false);

private:
    void read_period(const JsonValue& root);

    // One holiday or make-up day entry as written (a date or a range), for coverage warnings.
    struct DatedEntry {
        const JsonValue* where;
        Date first, last;
    };

    static int year_of(Date d) { return static_cast<int>(std::chrono::year_month_day{d}.year()); }

    static std::string covered_years(const WorkCalendar& cal);

    // "weekends_only": a list of years (into cal.weekends_only) or true (returned).
    bool read_weekends_only(const JsonValue& calendar, WorkCalendar& cal);

    void warn_outside_years(const std::vector<DatedEntry>& entries, const WorkCalendar& cal);

    void read_years(const JsonValue& v, std::set<int>& into);

    void read_dates(const JsonValue& cal, std::string_view key, std::map<Date, std::string>& into,
                    std::set<Date>& provisional, std::vector<DatedEntry>& entries);

    void read_calendar_ref(const JsonValue& v);

    void read_metrics(const JsonValue& root);

    // "budgets" (销售预算分解表): expense lines as a share of a sales metric ("ratio": "3%") or a fixed
    // amount, each split down the same hierarchy by the same rules as that metric (held amounts
    // scaled), so a node's budget follows its target; split shows the cost-to-sales ratio per row.
    void read_budgets(const JsonValue& list);

    // A rate metric: a held target ("30%") weighted by another metric's amounts.
    void read_rate_metric(const JsonValue& item, Metric& m, std::size_t index,
                          std::vector<std::pair<std::size_t, const JsonValue*>>& weighted_by);

    // "stretch": an amount, {"baseline", "growth"}, or a percentage of the commitment ("125%").
    void read_stretch(const JsonValue& v, std::size_t index);

    // "funnel": stages from leads to deliveries with the conversion rate into each, the stage the
    // target counts (or buys, with "order_value"), and lead sources with their shares and own rates.
    void read_funnel(const JsonValue& v);
    bool read_funnel_metric(const JsonValue& v, Funnel& f);
    std::vector<std::string> read_funnel_stages(const JsonValue& v, Funnel& f);
    void check_observed_counts(Funnel& f, const std::vector<const JsonValue*>& items,
                               const std::vector<const JsonValue*>& rates, const std::vector<const JsonValue*>& counts);
    std::optional<std::size_t> funnel_stage_index(const std::vector<std::string>& ids, std::string_view name,
                                                  const JsonValue& value);
    void read_funnel_sources(const JsonValue& v, Funnel& f, const std::vector<std::string>& ids);

    // "70.0000" → "70", "12.5000" → "12.5".
    static std::string trimmed(std::string number);

    // A conversion rate: above 0 (at 0 % no amount of leads is enough) and at most 100 %.
    std::optional<Decimal> conversion_rate(const JsonValue& v);

    // "locale": "zh-CN" or "en": the language people read the plan's tables in.
    void read_locale(const JsonValue& v);

    // "status": {"ahead": "105%", "on_track": "95%", "behind": "80%"} — pace thresholds, descending.
    void read_status(const JsonValue& v);

    // "assessment" and "market" (read_assessment.cpp): score parts and pay bands; market sizes,
    // share and price bands for the plan and members that state their own. Read after the dimensions.
    void read_assessment(const JsonValue& v);
    void read_assessment_part(const JsonValue& item, Assessment& a);
    void read_market(const JsonValue& v);
    void read_market_scope(const JsonValue& v, MarketScope& scope);
    std::optional<Decimal> points_of(const JsonValue& v, std::string_view what);
    std::optional<int> plain_metric(const JsonValue& v, std::string_view name);

    // dimensions (read_dimensions.cpp, read_members_from.cpp)
    void read_dimensions(const JsonValue& root);

    void add_member_id(Dimension& dim, int depth, const std::string& id, const JsonValue& where);

    void read_members(const JsonValue& list, Dimension& dim, int depth, int parent);
    void read_scanned_members(const JsonValue& list, Dimension& dim, int depth, int parent);
    void add_member(Member&& m, const JsonValue& item, const JsonValue* children, Dimension& dim, int depth,
                    int parent);

    // "visits": {"tiers": [{"id": "vip", "name": "VIP", "every": "month"}, …]}. Read before the
    // dimensions, so that members' "customers" can be checked against the tiers as they come.
    void read_visits(const JsonValue& v);
    // "activities": quotas per person and working day, week or month (read_activities.cpp).
    void read_activities(const JsonValue& v);
    bool read_activity_level(const JsonValue& item, ActivityQuota& q);

    // "month", "quarter", "half year", "year" or "N months" (1 to 12): months between visits.
    std::optional<int> visit_interval(const JsonValue& v);

    // "customers_from": a customers CSV classed into tiers by rules (read_customer_classes.cpp),
    // read once the dimensions are known.
    struct ClassRule {
        std::size_t tier = 0;
        std::vector<ClassCondition> when;
        const JsonValue* at = nullptr;  // the rule's "when"
    };
    void read_customer_classes(const JsonValue& from);
    int customer_level(const JsonValue& level);
    std::vector<ClassRule> read_class_rules(const JsonValue& rules);
    void count_customers(const CsvTable& table, int member_column, int dim, const std::vector<ClassRule>& rules);
    const JsonValue* customers_from_ = nullptr;

    // A member's "customers": {"vip": 5, "tier1": 12}, one count per tier of the visit plan.
    void read_customers(const JsonValue& v, Member& m, const Dimension& dim, int depth);

    static constexpr std::int64_t kMaxCustomers = 1000000;

    // The dimension being read holds the customers: there must be tiers, and no other dimension
    // may hold customers already.
    bool claim_visit_dimension(const JsonValue& at_value);

    // The tier called `key` (reported at the key of `value`, with "did you mean"), or nullopt.
    std::optional<std::size_t> customer_tier(std::string_view key, const JsonValue& value, const std::string& whose);

    // Capacity, active dates, ramp and rate targets of one member.
    void read_member_extras(const JsonValue& item, Member& m);

    void read_members_from(const JsonValue& from, Dimension& dim);

    // What "members_from" names, found in its CSV file.
    struct MemberColumns {
        const JsonValue* file = nullptr;
        std::optional<CsvTable> table;
        std::vector<std::string> names;  // one column per level
        std::vector<int> keys;           // their indices in the table
        const JsonValue* weight = nullptr;
        int weight_column = -1;
        int dates[2] = {-1, -1};                             // start, end
        std::vector<std::pair<std::size_t, int>> customers;  // tier → column
    };
    bool member_columns(const JsonValue& from, const Dimension& dim, MemberColumns& c);
    Member csv_member(const MemberColumns& c, const std::vector<std::string>& row, const SourceLocation& where,
                      const std::string& id, int parent, bool leaf);
    void check_weight_forms(const WeightForms& forms, const std::string& column, const std::string& file,
                            const JsonValue& from);

    // split steps (read_steps.cpp)
    // Where a level name points: a dimension level or a time level.
    bool locate_level(const std::string& name, Step& step);

    std::vector<std::string> all_level_names() const;

    void read_split(const JsonValue& root);

    void read_step_options(const JsonValue& item, Step& step);
    void read_step_rule(const JsonValue& item, Step& step);
    void read_step_weights(const JsonValue& item, Step& step);
    void read_weekday_pattern(const JsonValue& item, Step& step);
    void read_step_flags(const JsonValue& item, Step& step);
    void read_overrides(const JsonValue& item, Step& step);

    // Ramps, bands, reconciliation and growth over a baseline file: dimension levels only.
    void read_capacity_options(const JsonValue& item, Step& step);
    // "floor" and "cap": read_bounds.cpp.
    void read_step_bounds(const JsonValue& item, Step& step);
    StepBound read_bound(const JsonValue& v, const Step& step, std::string_view what);
    // "growth" per period and "annual_growth" on a time level by history: read_period_growth.cpp.
    void read_period_growth(const JsonValue& item, Step& step);
    std::map<std::string, Decimal> period_rates(const JsonValue& g, const Step& step);

    // "baseline": {"file", "key", "column", "metric"}: last year's amount per member, to grow.
    void read_baseline_file(const JsonValue& b, const Step& step, std::vector<Member>& level);

    std::map<std::string, Share> keyed_map(const JsonValue& w, const Step& step);

    // Turns a key that names a member or period into the member id or full period label.
    std::string canonical_key(const Step& step, const std::string& key, const JsonValue& where);

    // A history step's table, named by its "file", "key" and "column".
    struct HistoryTable {
        const JsonValue* file = nullptr;  // the plan's "file" and "key", for messages
        const JsonValue* key_field = nullptr;
        CsvTable table;
        int key = -1, value = -1;  // the key and value columns' indices
        std::string_view key_name, value_name;
        HistoryWeights weights() const { return {table.file, std::string(key_name), std::string(value_name), {}, {}}; }
    };
    // nullopt (reported) when a field, the file or a column is missing.
    std::optional<HistoryTable> history_table(const JsonValue& item);
    void read_history(const JsonValue& item, Step& step);

    std::string history_key(const Step& step, const std::string& key);

    // "per": history keyed by member × period, one curve per member (read_seasonality.cpp).
    void read_member_history(const JsonValue& item, const JsonValue& per, Step& step);
    bool member_history_level(const JsonValue& per, const Step& step, int& dimension, int& depth);
    void settle_member_curves(const JsonValue& item, const JsonValue& per, const Step& step, int dimension, int depth,
                              MemberCurves& curves, const CsvTable& table);
    void add_member_overrides(const JsonValue& per, Step& step, const MemberCurves& curves, const std::string& file);

    // Override conditions can name any level that precedes the step; checked once all steps are known.
    void check_conditions();

    // A history file's value (a weight: not negative, at most 18 digits and 9 decimals), or nullopt
    // with the problem reported at `where` (the CSV row). Shared by every reader of history files.
    std::optional<Decimal> history_weight(const std::string& text, std::string_view column,
                                          const SourceLocation& where);

    // "cross": […]: crossed levels, one step each, sharing a Crossing (read_cross.cpp).
    void read_cross(const JsonValue& item, std::set<std::string>& used, std::vector<int>& next_depth);
    void read_cross_history(const JsonValue& h, Crossing& cross);
    struct PendingCondition {
        std::size_t step;
        std::size_t override_index;
        std::size_t condition;  // in the override's `when`
        std::string level;
        const JsonValue* value;
    };

    std::set<std::string> level_names_;
    std::vector<std::vector<MemberIndex>> member_index_;  // [dimension][depth] id → index
    std::vector<PendingCondition> pending_conditions_;
    std::map<std::string, std::vector<Period>> period_cache_;
};

}  // namespace tgt::detail
