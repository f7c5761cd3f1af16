#pragma once
// Per-person quota sheets: what one rep (store, dealer…) must reach, by quarter, month and week,
// with the mix below them, the activity it takes, the budgets that go with it and why. Built for
// every member of a level in a few passes over the split, then rendered as Markdown, CSV or HTML.

#include <string>
#include <vector>

#include "tgt/decompose.hpp"
#include "tgt/display.hpp"
#include "tgt/labels.hpp"
#include "tgt/progress.hpp"

namespace tgt {

struct SheetPeriod {
    std::string label;
    int working_days = 0;
    std::vector<Minor> amounts;          ///< per Sheets::metrics
    std::vector<std::int64_t> activity;  ///< per Sheets::stages: funnel stages (summed over sources), then visits
};

/// One customer tier on a sheet: how many customers, how often, and the visits that makes.
struct SheetTier {
    std::string label;
    std::string frequency;
    std::int64_t customers = 0;
    std::int64_t visits = 0;  ///< over the plan's period
};

struct SheetMix {
    std::string level;  ///< a dimension level split below the sheet's member (product, channel)
    std::vector<std::pair<std::string, std::vector<Minor>>> rows;  ///< member → amounts per metric
};

/// Progress on a sheet (`tgt sheet` with actuals and an as-of date): the tracked metric or activity to date.
struct SheetProgress {
    Minor target = 0;
    Minor target_to_date = 0;
    Minor actual = 0;
    std::optional<Minor> achievement_pct;  ///< 2 decimals
    std::optional<Minor>
        time_progress_pct;          ///< the member's own elapsed working days ÷ total (a joiner's from his start)
    std::optional<Minor> pace;      ///< 4 decimals
    std::optional<Minor> forecast;  ///< by pace
    std::optional<Minor> required_daily;
    Minor gap = 0;
    Minor behind_to_date = 0;                   ///< target to date − actual
    std::optional<Minor> task;                  ///< the member's task (任务) when the report has one
    std::optional<Minor> task_achievement_pct;  ///< actual ÷ task, 2 decimals
    std::string status;
    std::vector<std::pair<std::string, std::pair<Minor, Minor>>>
        months;  ///< month → (target, actual), to the as-of month
};

/// One member's sheet.
struct QuotaSheet {
    std::string id;
    std::string name;
    std::vector<std::pair<std::string, std::string>> chain;  ///< level → member, from the top down to this one
    std::vector<Minor> totals;                               ///< per metric
    std::vector<Minor> team;                                 ///< the parent's totals (the company's at the top)
    std::string team_name;
    std::vector<SheetPeriod> quarters, months, weeks;
    std::vector<SheetMix> mix;
    std::vector<std::int64_t> activity;  ///< the year's activity per stage (summed over months)
    std::vector<SheetTier> tiers;        ///< with a visit plan over the sheet's dimension
    std::vector<std::string> notes;      ///< holds, dates, ramps: why the numbers are what they are
    std::optional<SheetProgress> progress;
};

struct Sheets {
    std::string plan_name;
    std::string period;                  ///< "2027-01-01 … 2027-12-31"
    std::string level;                   ///< the level the sheets are for
    std::vector<const Metric*> metrics;  ///< money and count metrics, budgets and stretch included
    std::vector<std::string> stages;     ///< activity labels: funnel stages, "visits" with a visit plan, quotas
    std::vector<std::string> stage_ids;  ///< the same stages' ids (CSV headers)
    bool has_funnel = false;             ///< stages starts with the funnel's
    bool has_visits = false;             ///< stages hold "visits"; sheets list their customer tiers
    std::vector<QuotaSheet> sheets;
    std::vector<std::string> level_ids;  ///< every member of the level, in plan order (names are given among all)
    // With progress: what is tracked and as of when.
    std::string as_of;
    std::string tracked;
    int tracked_decimals = 2;
    Minor time_progress_pct = 0;  ///< working days elapsed ÷ total, 2 decimals
    // How people read them (markdown, HTML): the labels' language and money's display unit (万).
    Lang lang = Lang::en;
    DisplayUnit unit;
};

/// Sheets for the members of `level` (a dimension level split before the first time level),
/// only those named in `who` when it is not empty. Throws Error(usage) for a level that cannot
/// have sheets and for unknown names (with "did you mean").
Sheets quota_sheets(const Decomposition& decomposition, const std::string& level, const std::vector<std::string>& who);

/// Puts progress on the sheets from a report made at their level (ProgressRequest::by = {level},
/// with a month grid): rows are matched by their chain of members. `as_of` is for the heading.
void add_progress(Sheets& sheets, const ProgressReport& report, const std::string& as_of);

/// The default level: the deepest dimension level split before the first time level.
std::string default_sheet_level(const Plan& plan);

/// One part of a sheet, as a table with its heading.
struct SheetSection {
    enum class Kind { target, progress, progress_months, quarters, months, weeks, mix, tiers, activity };
    Kind kind = Kind::target;
    std::string title;  ///< "By quarter", "Mix by product"…; empty for the target block
    Table table;
};

/// A sheet's sections in reading order: the target and the team, progress (measures, then target and
/// actual by month), quarters, months, weeks, the mix below, customer tiers, the activity by month
/// with the year's total. Amount columns are named by metric ("Revenue (revenue)"); counts are bare.
std::vector<SheetSection> sheet_sections(const Sheets& all, const QuotaSheet& sheet);

/// The sheet as a Markdown document: its title block, then sheet_sections as tables, then the notes.
std::string sheet_markdown(const Sheets& all, const QuotaSheet& sheet);
/// A sheet as one table: section, label, working_days, the metrics, the activity stages, customers
/// (with a visit plan) and actual (with progress); a row per figure (target, team, periods, mix, tiers,
/// progress measures).
Table sheet_table(const Sheets& all, const QuotaSheet& sheet);
/// sheet_table in CSV.
std::string sheet_csv(const Sheets& all, const QuotaSheet& sheet);
/// A single self-contained HTML file (inline CSS, an inline SVG chart of the monthly targets, no
/// scripts), laid out to print on one A4 page.
std::string sheet_html(const Sheets& all, const QuotaSheet& sheet);

/// Whether this build writes XLSX (libxlsxwriter was found).
bool xlsx_available();
/// A workbook at `path` with one worksheet per sheet (named by worksheet_names among
/// all.level_ids): numbers as numbers in the metric's number format, totals as SUM formulas with
/// their exact value cached. Throws Error(io); a failed workbook leaves no file.
void write_xlsx(const std::string& path, const Sheets& all, const std::vector<const QuotaSheet*>& sheets);

}  // namespace tgt
