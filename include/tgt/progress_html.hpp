#pragma once
// The progress report as one self-contained HTML page (inline CSS and SVG, no script, nothing
// fetched): a burn-up chart of the team's cumulative actual against the plan's own curve, a row per
// member (most behind pace first) with bars, status colours, the grid and what a working day needs
// now; printable on one A4 landscape page for up to ~30 members.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "tgt/calendar.hpp"
#include "tgt/decompose.hpp"
#include "tgt/display.hpp"
#include "tgt/labels.hpp"
#include "tgt/progress.hpp"

namespace tgt {

/// A point of a cumulative curve: the amount reached by the end of `date`.
struct CurvePoint {
    Date date{};
    Minor amount = 0;
};

/// What the burn-up chart draws, in exact amounts (minor units of the tracked metric).
struct Burnup {
    Date first{};  ///< the plan's first day: the curves start at 0 before it
    Date last{};   ///< the plan's last day
    Date as_of{};
    /// The plan's cumulative target at the end of each grid period to the plan's end, with the
    /// target to date at the as-of date in between (when it falls inside a period); starts at
    /// (first − 1 day, 0). The last point is the whole target.
    std::vector<CurvePoint> plan;
    /// The cumulative actual at the end of each grid period finished before the as-of date, then
    /// at the as-of date (the report's actual to date); starts at (first − 1 day, 0).
    std::vector<CurvePoint> actual;
    /// The forecast by run rate at the plan's end (nullopt when it has none): drawn from the
    /// actual at the as-of date.
    std::optional<Minor> forecast;
    /// The grid periods to the plan's end (labels on the x axis).
    std::vector<Period> periods;
};

/// The burn-up of a report: with a grid (request.grid), the plan's targets per grid period over
/// the whole plan (the same split, narrowed by request.where) and the actuals per grid period and to
/// date; without one, the plan's curve runs from 0 through the target to date to the whole target and
/// the actual's from 0 to the actual to date. Throws Error(usage) for a report tracking an activity.
Burnup burnup(const Decomposition& decomposition, const ProgressRequest& request, const ProgressReport& report);

/// A round axis for amounts up to `max`: `count` ticks of `step` minor units, step 1, 2 or 5 ×
/// 10^k, the smallest step that reaches `max` in at most 5 ticks (axis_ticks(48000): 5 × 10000).
struct AxisTicks {
    Minor step = 1;
    int count = 1;
    Minor top() const { return step * count; }  ///< the axis's top amount
};
/// The axis for amounts up to `max` (a `max` of 0 or less gives one tick of 1).
AxisTicks axis_ticks(Minor max);

/// Where the chart draws: a plot box in pixels, spanning the days first…last and the amounts
/// 0…top_amount. Integer arithmetic only: every coordinate comes from exact amounts.
struct ChartScale {
    int left = 0;  ///< the plot box, in pixels
    int top = 0;
    int width = 0;
    int height = 0;
    Date first{};
    Date last{};
    Minor top_amount = 1;
    /// x of the end of day `d`: left + width × (days from first to d, included) ÷ (days from first
    /// to last, included), rounded half up; the day before `first` is `left`. Clamped to the box.
    int x(Date d) const;
    /// y of `amount`: top + height − height × amount ÷ top_amount, rounded half up (0 at the
    /// bottom edge, top_amount at the top). Clamped to the box.
    int y(Minor amount) const;
};

/// What the page shows besides the report.
struct ProgressPageOptions {
    std::string title;         ///< the plan's name
    std::string metric;        ///< the tracked metric as people know it (its name, else its id)
    DisplayUnit unit;          ///< amounts as people read them (万, rounded)
    Lang lang = Lang::en;      ///< labels
    std::size_t periods = 13;  ///< the grid shows at most this many periods: the latest ones
};

/// The order the page lists rows in: by pace, most behind first; rows without a pace (the
/// unplanned row, a zero target) last; ties by behind to date, larger first, then report order.
std::vector<const ProgressRow*> rows_by_pace(const ProgressReport& report);

/// What the page shows when the request does not say.
struct ProgressPageDefaults {
    /// The rows: the finest level split by of the first dimension (in split order) with more than one
    /// member there (rep in region → rep; category in a one-store store → category); empty without one.
    std::string members;
    /// The grid: the plan's finest time level, except days: by week when weeks are split above them,
    /// or when days are the only time step of a plan of a quarter or less (a month would be one
    /// column), else by month. nullopt without time steps: the chart runs straight to the target to date.
    std::optional<TimeLevel> grid;
};

/// The page's rows and grid for `plan` when the request leaves them out.
ProgressPageDefaults progress_page_defaults(const Plan& plan);

/// The page: a header (plan, metric, unit, as-of date, time elapsed), the burn-up chart beside the
/// team's figures (Total row), then a row per report row (rows_by_pace) with its bar, status, 达成率,
/// pace, behind to date, needed per working day and the grid's periods; a legend with the plan's
/// status thresholds. `@page { size: A4 landscape }`; Chinese fonts named (kChineseFonts).
std::string progress_html(const ProgressReport& report, const Burnup& chart, const ProgressPageOptions& options);

}  // namespace tgt
