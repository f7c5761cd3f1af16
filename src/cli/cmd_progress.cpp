// tgt progress: 达成率 against 时间进度 at any grain, as of a date, from streamed actuals.

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "bar.hpp"
#include "cmd_progress.hpp"
#include "tgt/assessment_progress.hpp"
#include "tgt/display.hpp"
#include "tgt/fraction.hpp"
#include "tgt/progress.hpp"
#include "tgt/progress_html.hpp"

namespace tgt::cli {

void setup_progress(CLI::App& app, ProgressOptions& o) {
    app.add_option("plan", o.plan, "Plan file (JSON)")->required();
    app.add_option("actuals", o.actuals, "Actuals: CSV, TSV, NDJSON or .xlsx files (summed), - for standard input")
        ->required();
    app.add_option("--as-of", o.as_of, "Report as of this date (YYYY-MM-DD), included")->required();
    app.add_option("--by", o.by, "Dimension levels to keep, e.g. region,rep");
    app.add_option("--where", o.where, "Only cells where LEVEL=VALUE (dimension levels)");
    app.add_option("--metric", o.metric,
                   "The metric to track (default: the plan's first), or an activity: a funnel stage's id, "
                   "visits or an activity quota's id, read from the actuals column of that name");
    add_actuals_flags(app, o.actuals_flags);
    app.add_option_function<std::string>(
           "--fail-on",
           [&o](const std::string& status) { o.fail_on = status == "critical" ? FailOn::critical : FailOn::behind; },
           "Exit 3 when a row is at this status or worse (each such row is named on standard error): behind or "
           "critical")
        ->check(CLI::IsMember({"behind", "critical"}));
    add_time_level_option(app, "--grid", o.grid,
                          "Instead of the report: target / actual / % per member and period (week or month), the "
                          "table sales meetings use",
                          {"week", "month", "quarter"});
    add_format_option(app, o.format,
                      "table, csv, tsv, json, ndjson, markdown, xlsx or html (a page with a burn-up chart; default: "
                      "table, or from -o)");
    app.add_option("-o,--output", o.output, "Write to this file (atomically) instead of standard output");
    add_force_flag(app, o.force);
    add_display_flags(app, o.display);
}

namespace {

Paint paint_for(Status s) {
    switch (s) {
        case Status::ahead:
            return Paint::green;
        case Status::on_track:
            return Paint::cyan;
        case Status::behind:
            return Paint::yellow;
        case Status::critical:
            return Paint::red;
        case Status::none:
            break;
    }
    return Paint::none;
}

// People's table: a bar beside achievement and pace, and on a terminal the status (and pace's bar)
// in its colour. Wraps the writer the report is rendered to; rows arrive in the report's order.
class Dressed : public TableWriter {
public:
    Dressed(TableWriter& inner, const ProgressReport& report, bool colour)
        : inner_(inner), report_(report), colour_(colour) {}
    void begin(const std::vector<Column>& columns) override {
        std::vector<Column> dressed;
        for (std::size_t i = 0; i < columns.size(); ++i) {
            dressed.push_back(columns[i]);
            if (columns[i].name == "achievement_pct") achievement_ = i;
            if (columns[i].name == "pace") pace_ = i;
            if (columns[i].name == "status") status_ = i;
            if (i == achievement_ || i == pace_) dressed.push_back(Column{"", false, 0});
        }
        inner_.begin(dressed);
    }
    void row(std::span<const Cell> cells) override { inner_.row(dress(cells, report_.status(report_.rows[next_++]))); }
    void total(std::span<const Cell> cells) override { inner_.total(dress(cells, report_.status(report_.total()))); }
    void end() override { inner_.end(); }

private:
    std::span<const Cell> dress(std::span<const Cell> cells, Status s) {
        auto bar = [](const Cell& c) { return percent_bar(c.present ? std::optional<Minor>(c.amount) : std::nullopt); };
        Paint status_paint = colour_ ? paint_for(s) : Paint::none;
        cells_.clear();
        for (std::size_t i = 0; i < cells.size(); ++i) {
            if (i == status_) {
                status_text_ = paint(cells[i].text, s == Status::none ? Paint::none : status_paint);
                cells_.push_back(Cell{status_text_, 0, cells[i].present});
            } else {
                cells_.push_back(cells[i]);
            }
            if (i == achievement_) {
                achievement_bar_ = bar(cells[i]);
                cells_.push_back(Cell{achievement_bar_, 0, true});
            }
            if (i == pace_) {  // pace is held in ten-thousandths, that is hundredths of a percent
                pace_bar_ = paint(bar(cells[i]), status_paint);
                cells_.push_back(Cell{pace_bar_, 0, true});
            }
        }
        return cells_;
    }

    static constexpr std::size_t none = static_cast<std::size_t>(-1);
    TableWriter& inner_;
    const ProgressReport& report_;
    bool colour_;
    std::size_t achievement_ = none, pace_ = none, status_ = none, next_ = 0;
    std::string achievement_bar_, pace_bar_, status_text_;
    std::vector<Cell> cells_;
};

// --fail-on: every row at that status or worse named on standard error (the Total is not a row of
// its own); exit_flagged when there is any.
int fail_on_verdict(FailOn fail_on, const ProgressReport& report, const Io& io) {
    if (fail_on == FailOn::never) return exit_ok;
    const Status at_least = fail_on == FailOn::critical ? Status::critical : Status::behind;
    const auto failed = rows_at_or_worse(report, at_least);
    std::vector<Diagnostic> notes;
    for (const ProgressRow* r : failed) {
        std::vector<std::string> keys;
        for (std::size_t k = 0; k < report.key_columns.size(); ++k)
            keys.push_back(fmt::format("{}={}", report.key_columns[k], r->keys[k]));
        const std::string row = keys.empty() ? std::string("the plan") : fmt::format("{}", fmt::join(keys, ", "));
        const auto pace = report.pace(*r);
        notes.push_back(
            {Severity::warning,
             {},
             fmt::format("--fail-on {}: {} is {}: pace {} ({} of {} to date, {} behind)", status_name(at_least), row,
                         status_name(report.status(*r)), pace ? format_minor(*pace, 4) : "–",
                         format_grouped(r->actual, report.decimals), format_grouped(r->target_to_date, report.decimals),
                         format_grouped(report.behind_to_date(*r), report.decimals)),
             {}});
    }
    print_diagnostics(io, notes);
    return failed.empty() ? exit_ok : exit_flagged;
}

ProgressRequest request_of(const ProgressOptions& o, const Io& io) {
    ProgressRequest request;
    request.by = split_commas(o.by);
    request.where = parse_filters(o.where);
    request.as_of = parse_as_of(o.as_of);
    request.metric = o.metric;
    check_distinct_actuals(o.actuals);
    request.actuals = o.actuals;
    request.options = actuals_options(o.actuals_flags, io);
    request.grid = o.grid;
    request.threads = thread_count(o.actuals_flags);
    return request;
}

// What reading the actuals saw besides the rows counted, on standard error.
void print_actuals_notes(const ProgressOptions& o, const ProgressReport& report, const Io& io) {
    std::string unplanned_counted = "counted under (unplanned)";
    if (report.key_columns.empty())
        unplanned_counted = "counted in the plan's row (--by LEVEL shows them apart)";
    else if (report.unplanned_outside > 0)
        unplanned_counted =
            fmt::format("counted under (unplanned) where they match --where ({} outside it)", report.unplanned_outside);
    print_diagnostics(io, actuals_notes(report.actuals, report.after_as_of, o.as_of, unplanned_counted));
}

// The files -o must not replace: the plan's and the actuals.
std::vector<Input> inputs_of(const ProgressOptions& o, const Plan& plan) {
    std::vector<Input> inputs = plan_inputs(o.plan, plan);
    for (const auto& a : o.actuals)
        inputs.push_back({a, "actuals"});
    return inputs;
}

bool html_file(const std::string& f) {
    std::string ext = f.substr(f.rfind('.') == std::string::npos ? f.size() : f.rfind('.'));
    std::transform(ext.begin(), ext.end(), ext.begin(), [](char c) { return static_cast<char>(std::tolower(c)); });
    return ext == ".html" || ext == ".htm";
}

bool html_asked(const ProgressOptions& o) {
    return o.format.given() ? o.format.text == "html" : html_file(o.output);
}

// --format html: one page with the burn-up chart, the members by pace and the grid. Without --by its
// rows are the team's members (below; under --where, the members it selects); without --grid, the
// grid is the plan's own finest time level (grid_of): by week, month or quarter.
int run_progress_html(const ProgressOptions& o, const Io& io) {
    display_options(o.display, Format::table, {});
    if (!o.output.empty() && o.output != "-" && !html_file(o.output))
        if (const FileType type = file_type(o.output); type.kind != FileType::Kind::unknown)
            throw Error::usage(
                fmt::format("-o {}: --format html would put a page in a .{} file", o.output, type.extension),
                "name the file .html");
    ProgressRequest request = request_of(o, io);
    Plan plan = read_plan(o.plan, io);
    std::vector<Input> inputs = inputs_of(o, plan);
    print_diagnostics(io, plan.warnings);
    const ProgressPageDefaults defaults = progress_page_defaults(plan);
    if (request.by.empty() && !defaults.members.empty()) request.by = {defaults.members};
    if (!request.grid) request.grid = defaults.grid;
    Decomposition decomposition(plan);
    ProgressReport report = progress(decomposition, request, io.in);
    print_actuals_notes(o, report, io);
    const int code = fail_on_verdict(o.fail_on, report, io);
    const Burnup chart = burnup(decomposition, request, report);
    const RenderOptions look = display_options(o.display, Format::table, plan.locale);
    const Metric& metric = plan.metrics[static_cast<std::size_t>(report.metric)];
    ProgressPageOptions page;
    page.title = plan.name;
    page.metric = display_name(metric.id, metric.name);
    if (metric.money) page.unit = DisplayUnit{look.unit_power, look.places, look.unit_label};
    page.lang = look.lang;
    const std::string text = progress_html(report, chart, page);
    Output output(o.output, io, inputs, o.force);
    output.write(text);  // commit reports a failed write
    output.commit();
    return code;
}

}  // namespace

int run_progress(const ProgressOptions& o, const Io& io) {
    if (html_asked(o)) return run_progress_html(o, io);
    Format format = choose_format(o.format, o.output, Format::table);
    display_options(o.display, format, {});  // a --unit for csv is a usage error before anything is read
    ProgressRequest request = request_of(o, io);
    Plan plan = read_plan(o.plan, io);
    std::vector<Input> inputs = inputs_of(o, plan);
    print_diagnostics(io, plan.warnings);
    Decomposition decomposition(plan);
    ProgressReport report = progress(decomposition, request, io.in);
    print_actuals_notes(o, report, io);

    const int code = fail_on_verdict(o.fail_on, report, io);
    const bool colour = format == Format::table && io.color_out && (o.output.empty() || o.output == "-");
    RenderOptions look = display_options(o.display, format, plan.locale);
    if (report.activity || !plan.metrics[static_cast<std::size_t>(report.metric)].money) {
        look.unit_power = 0;  // counts (orders, visits) stay counts in 万
        look.unit_label.clear();
        look.places = -1;
    }
    const DisplayUnit unit{look.unit_power, look.places, look.unit_label};
    // Machines read ids and status names whatever the language: only people's formats are translated.
    if (format != Format::table && format != Format::markdown) look.lang = Lang::en;
    if (request.grid) {
        RenderOptions grid_options = look;
        grid_options.totals = false;  // the grid writes its own total row
        Output output(o.output, io, inputs, o.force);
        auto writer = make_writer(format, output.stream(), grid_options);
        if (format != Format::table && format != Format::markdown)
            progress_grid_rows(report, *writer);
        else if (colour)
            progress_grid_columns(
                report, *writer, request.as_of,
                [&](const std::string& percent, Status s) { return paint(percent, paint_for(s)); }, unit, look.lang);
        else
            progress_grid_columns(report, *writer, request.as_of, {}, unit, look.lang);
        output.commit();
        return code;
    }
    // The plan's assessment adds score and pay factor columns (assessment_progress.hpp).
    AssessmentResults assessed;
    if (plan.assessment) assessed = assess_progress(decomposition, request, report);
    Output output(o.output, io, inputs, o.force);
    auto writer = make_writer(format, output.stream(), look);
    auto scored = plan.assessment ? assessment_writer(*writer, *plan.assessment, assessed) : nullptr;
    TableWriter& out = scored ? *scored : *writer;
    if (format == Format::table) {
        Dressed dressed(out, report, colour);
        progress_table(report, dressed, ProgressOrder::reading, look.lang);
    } else {
        progress_table(report, out, format == Format::markdown ? ProgressOrder::reading : ProgressOrder::stable,
                       look.lang);
    }
    output.commit();
    return code;
}

}  // namespace tgt::cli
