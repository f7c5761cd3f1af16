#pragma once
// Progress against a plan: target for the period, target to date along the plan's own curve,
// actual to date, and what follows from them (达成率, pace, gap, forecasts, what a day needs now).

#include <cstdio>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "tgt/actuals.hpp"
#include "tgt/decompose.hpp"
#include "tgt/display.hpp"
#include "tgt/labels.hpp"
#include "tgt/report.hpp"

namespace tgt {

struct ProgressRequest {
    std::vector<std::string> by;  ///< dimension levels (their ancestors come along), as in split
    /// dimension levels only; they select targets and actuals alike (an actual of a member the plan
    /// does not have counts when the levels the row does name match). Without `by`, the report's
    /// rows are keyed by these levels.
    std::vector<Filter> where;
    Date as_of{};
    /// empty: the plan's first money or count metric. Also an activity: a funnel stage's id
    /// (target = the count the row's target takes) or "visits" (the visit plan's), tracked from
    /// actuals with a column of that name.
    std::string metric;
    std::vector<std::string> actuals;  ///< files, "-" for standard input; summed
    ActualsOptions options;
    std::optional<TimeLevel> grid;  ///< also target and actual per period of this level (weekly grid)
    int threads = 1;                ///< threads for the split and for parsing the actuals
};

enum class Status { none, ahead, on_track, behind, critical };
std::string_view status_name(Status s);

struct ProgressRow {
    std::vector<std::string> keys;   ///< one per ProgressReport::key_columns
    bool planned = true;             ///< false for the "(unplanned)" row
    Minor target = 0;                ///< the whole period
    Minor target_to_date = 0;        ///< along the plan's curve, to the as-of date included
    Minor actual = 0;                ///< actuals dated up to the as-of date
    std::vector<Minor> grid_target;  ///< per ProgressReport::grid_periods (with a grid)
    std::vector<Minor> grid_actual;
    /// Working days of the row's own time (from a joiner's start, to a leaver's end) up to the
    /// as-of date, and in all: its 时间进度 and what its run rate and daily need are measured on.
    int days_elapsed = 0;
    int days_total = 0;
    /// This month and this quarter (the ones holding the as-of date, see ProgressReport::month):
    /// the whole period's target, and the actuals dated in it up to the as-of date.
    Minor month_target = 0;
    Minor month_actual = 0;
    Minor quarter_target = 0;
    Minor quarter_actual = 0;
    /// The row's task (任务) when the report has tasks (ProgressReport::has_task): what it was handed
    /// before over-assignment ("allocate"), or its commitment when a stretch version is tracked.
    /// nullopt for a row without one (the unplanned row).
    std::optional<Minor> task;
};

struct ProgressReport {
    std::vector<std::string> key_columns;
    int metric = 0;         ///< the plan metric tracked, or the one an activity's targets come from
    std::string tracked;    ///< what is tracked: the metric's id, a funnel stage's or "visits"
    bool activity = false;  ///< tracking an activity: whole counts
    int decimals = 2;
    int days_elapsed = 0;  ///< working days from the plan's start to the as-of date
    int days_total = 0;    ///< working days in the plan's period
    /// Rows keyed by the `by` levels (or, without them, the `where` levels), then "(unplanned)" for
    /// actuals of members the plan does not have (its target is 0) that pass the filters.
    std::vector<ProgressRow> rows;
    ActualsSummary actuals;
    std::size_t after_as_of = 0;        ///< rows dated after the as-of date (not counted)
    std::size_t unplanned_outside = 0;  ///< rows of members the plan does not have that `where` leaves out
    StatusThresholds thresholds;
    std::vector<Period> grid_periods;  ///< the grid's periods up to the one holding the as-of date
    /// The month and the quarter holding the as-of date (clipped to the plan), when the plan's time
    /// levels give targets per month / quarter; nullopt otherwise (their columns stay empty).
    std::optional<Period> month;
    std::optional<Period> quarter;
    /// Whether the report carries tasks beside targets: a level over-assigns ("allocate"), the
    /// tracked metric is a stretch version, or the metric states its "task". Their columns appear only then.
    bool has_task = false;
    /// The metric's stated "task" (the whole plan's 任务 when the sum of the targets is more): the Total
    /// row's task when no `where` narrows the report; otherwise the Total's task is the rows' sum.
    std::optional<Minor> stated_task;

    // What follows from a row; nullopt where a denominator is zero (absence is not zero).
    std::optional<Minor> achievement_pct(const ProgressRow& r) const;  ///< actual ÷ target, % with 2 decimals
    std::optional<Minor> pace(const ProgressRow& r) const;             ///< actual ÷ target to date, 4 decimals
    Minor time_progress_pct() const;                                   ///< the plan's elapsed ÷ total working days, %
    /// The row's own elapsed ÷ total working days, % (a joiner's from his start); nullopt when the
    /// row has no working days.
    std::optional<Minor> time_progress_pct(const ProgressRow& r) const;
    Minor gap(const ProgressRow& r) const { return r.target - r.actual; }
    /// Behind to date: target to date − actual (negative when ahead of the plan's curve).
    Minor behind_to_date(const ProgressRow& r) const { return r.target_to_date - r.actual; }
    /// This month's 达成率: its actual to date ÷ its whole target, % with 2 decimals.
    std::optional<Minor> month_pct(const ProgressRow& r) const;
    /// This quarter's 达成率: its actual to date ÷ its whole target, % with 2 decimals.
    std::optional<Minor> quarter_pct(const ProgressRow& r) const;
    /// 任务达成率: actual ÷ task, % with 2 decimals (nullopt without a task or for a zero one).
    std::optional<Minor> task_achievement_pct(const ProgressRow& r) const;
    /// Task − actual (nullopt without a task).
    std::optional<Minor> task_gap(const ProgressRow& r) const;
    std::optional<Minor> forecast_by_pace(const ProgressRow& r) const;   ///< target × pace, half up
    std::optional<Minor> forecast_run_rate(const ProgressRow& r) const;  ///< actual ÷ its elapsed × its total days
    std::optional<Minor> required_daily(const ProgressRow& r) const;     ///< ⌈max(gap, 0) ÷ its remaining days⌉
    /// The Total row: every amount the sum of its column over all rows ("(unplanned)" included), on
    /// the days its planned rows share (else the plan's); its ratios come from these sums through the functions above,
    /// never from adding the rows' ratios.
    ProgressRow total() const;
    Status status(const ProgressRow& r) const;           ///< pace against the plan's thresholds
    Status status_of(Minor actual, Minor target) const;  ///< none for a zero target
};

/// Reads the actuals and builds the report at the grain asked for. Throws Error for bad input
/// (with file:line for actuals) and Error(usage) for a grain the plan or the actuals cannot give.
ProgressReport progress(const Decomposition& decomposition, const ProgressRequest& request,
                        std::FILE* stdin_stream = stdin);

/// The order of the progress table's columns.
enum class ProgressOrder {
    stable,   ///< machines: columns added later come after the older ones (a script's positions hold)
    reading,  ///< people: each measure beside the one it is read with (behind_to_date beside gap)
};

/// The report as a table: its key columns, then target, target_to_date, actual, achievement_pct,
/// time_progress_pct, pace, gap, forecast_by_pace, forecast_run_rate, required_daily, status,
/// behind_to_date, month_pct, quarter_pct, and with tasks task, task_achievement_pct and task_gap
/// (in `order`); a row per report row, and the Total row (TableWriter::total) with its ratios from its sums.
/// In Lang::zh the Total row and the headers people read (Column::title) come from the label catalog.
void progress_table(const ProgressReport& report, TableWriter& writer, ProgressOrder order = ProgressOrder::stable,
                    Lang lang = Lang::en);

/// The --fail-on verdict: each row (not the Total) whose status is `at_least` or worse, in the report's order.
std::vector<const ProgressRow*> rows_at_or_worse(const ProgressReport& report, Status at_least);

/// The grid for machines: a row per report row and grid period (key columns, period, target, actual,
/// achievement_pct with 1 decimal; none for the unplanned row).
void progress_grid_rows(const ProgressReport& report, TableWriter& writer);

/// Dresses a finished period's percentage in a person's grid (given its status): colour is the caller's.
using GridMark = std::function<std::string(const std::string& percent, Status status)>;

/// The grid for people: a column per grid period holding "actual / target  pct%", then this month's
/// and this quarter's (actual to date / whole target; left out when they are the grid's periods or
/// the plan cannot give them), YTD (actual / the whole target: 达成率) and pace; and a Total row
/// (with key columns). Periods finished by `as_of` have their percentage passed through `mark`, if set.
/// Amounts show in `unit` (万, rounded), labels in `lang`.
void progress_grid_columns(const ProgressReport& report, TableWriter& writer, Date as_of, const GridMark& mark = {},
                           const DisplayUnit& unit = {}, Lang lang = Lang::en);

}  // namespace tgt
