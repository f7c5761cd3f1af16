// The progress report as one HTML page: burn-up chart, members by pace, the grid. Every coordinate and
// every figure comes from the report's exact amounts; nothing is fetched and nothing runs.

#include "tgt/progress_html.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <span>

#include "tgt/error.hpp"
#include "tgt/fraction.hpp"
#include "tgt/node_table.hpp"
#include "tgt/report.hpp"

namespace tgt {

// ---------------------------------------------------------------- data

Burnup burnup(const Decomposition& decomposition, const ProgressRequest& request, const ProgressReport& report) {
    if (report.activity)
        throw Error::usage(fmt::format("--format html charts a metric's amounts; {} is an activity", report.tracked),
                           "track it with --format table, csv or json");
    const Plan& plan = decomposition.plan();
    Burnup b;
    b.first = plan.first;
    b.last = plan.last;
    b.as_of = request.as_of;
    const ProgressRow total = report.total();
    const Date before = plan.first - std::chrono::days{1};

    b.plan.push_back({before, 0});
    b.actual.push_back({before, 0});
    b.forecast = report.forecast_run_rate(total);
    if (!request.grid) {  // no periods: straight through the target to date
        if (request.as_of < plan.last) b.plan.push_back({request.as_of, total.target_to_date});
        b.plan.push_back({plan.last, total.target});
        b.actual.push_back({request.as_of, total.actual});
        return b;
    }
    // The plan's targets per grid period over the whole plan, narrowed as the report is.
    SplitRequest split;
    split.where = request.where;
    for (const auto& f : request.where)
        if (std::find(split.by.begin(), split.by.end(), f.level) == split.by.end()) split.by.push_back(f.level);
    split.metrics = {plan.metrics[static_cast<std::size_t>(report.metric)].id};
    split.period = request.grid;
    split.threads = std::max(1, request.threads);
    const NodeTable table(decomposition, split);
    b.periods = table.periods();
    Minor cumulative = 0;
    for (std::size_t p = 0; p < table.periods().size(); ++p) {
        const Period& period = table.periods()[p];
        if (period.first <= request.as_of && request.as_of < period.last)
            b.plan.push_back({request.as_of, total.target_to_date});
        for (std::size_t n = 0; n < table.nodes().size(); ++n)
            cumulative += table.at(n, p);
        b.plan.push_back({std::min(period.last, plan.last), cumulative});
    }

    cumulative = 0;
    for (std::size_t g = 0; g < report.grid_periods.size() && g < total.grid_actual.size(); ++g) {
        if (report.grid_periods[g].last >= request.as_of) break;
        cumulative += total.grid_actual[g];
        b.actual.push_back({report.grid_periods[g].last, cumulative});
    }
    b.actual.push_back({request.as_of, total.actual});
    return b;
}

AxisTicks axis_ticks(Minor max) {
    if (max <= 0) return {};
    for (Minor power = 1;; power *= 10)
        for (Minor m : {1, 2, 5}) {
            const Minor step = m * power;
            const Minor count = (max + step - 1) / step;
            if (count <= 5) return {step, static_cast<int>(count)};
        }
}

namespace {

// a × b ÷ c rounded half up, for non-negative a, b and positive c.
int scaled(Wide a, Wide b, Wide c) {
    return static_cast<int>((2 * a * b + c) / (2 * c));
}

}  // namespace

int ChartScale::x(Date d) const {
    const Wide days = (last - first).count() + 1;
    const Wide done = std::clamp<Wide>((d - first).count() + 1, 0, days);
    return left + scaled(width, done, days);
}

int ChartScale::y(Minor amount) const {
    const Wide a = std::clamp<Wide>(amount, 0, top_amount);
    return top + height - scaled(height, a, std::max<Minor>(top_amount, 1));
}

std::vector<const ProgressRow*> rows_by_pace(const ProgressReport& report) {
    std::vector<const ProgressRow*> rows;
    for (const auto& r : report.rows)
        rows.push_back(&r);
    auto pace = [&](const ProgressRow* r) { return r->planned ? report.pace(*r) : std::nullopt; };
    std::stable_sort(rows.begin(), rows.end(), [&](const ProgressRow* a, const ProgressRow* b) {
        const auto pa = pace(a), pb = pace(b);
        if (pa.has_value() != pb.has_value()) return pa.has_value();
        if (pa && *pa != *pb) return *pa < *pb;
        return report.behind_to_date(*a) > report.behind_to_date(*b);
    });
    return rows;
}

// ---------------------------------------------------------------- page

namespace {

constexpr std::string_view kStyle = R"(
@page { size: A4 landscape; margin: 8mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; color: #111; font-size: 7.5pt; line-height: 1.2; }
@media screen { body { margin: 10px; width: 1060px; } }
h1 { font-size: 13pt; margin: 0; }
.sub { color: #555; margin: 1pt 0 4pt; }
.top { display: flex; gap: 12pt; align-items: flex-start; }
.chart svg { display: block; }
svg text { font-size: 9px; fill: #444; }
svg .grid { stroke: #e2e2e2; stroke-width: 1; }
svg .axis { stroke: #888; stroke-width: 1; }
svg .plan { fill: none; stroke: #8c9bb0; stroke-width: 2; }
svg .actual { fill: none; stroke: #1f5fae; stroke-width: 2.5; }
svg .dot { fill: #1f5fae; }
svg .todate { fill: #fff; stroke: #5a6b82; stroke-width: 1.5; }
svg .forecast { fill: none; stroke: #1f5fae; stroke-width: 1.5; stroke-dasharray: 5 3; }
svg .asof { stroke: #b33; stroke-width: 1; stroke-dasharray: 3 2; }
svg .asof-text { fill: #b33; }
.legend { color: #444; margin-top: 2pt; }
.legend span { margin-right: 9pt; white-space: nowrap; }
.sw { display: inline-block; width: 14pt; height: 0; border-top: 2pt solid #8c9bb0; vertical-align: middle; margin-right: 2pt; }
.sw.actual { border-top-color: #1f5fae; }
.sw.forecast { border-top: 1.5pt dashed #1f5fae; }
.chip { display: inline-block; width: 8pt; height: 8pt; vertical-align: middle; margin-right: 2pt; border-radius: 1pt; }
.team { flex: 1; }
.team table { border-collapse: collapse; width: 100%; font-size: 8.5pt; }
.team td { padding: 1pt 4pt; border-bottom: 1px solid #e6e6e6; }
.team td.n { font-weight: 600; }
table.m { border-collapse: collapse; width: 100%; margin-top: 4pt; font-size: 7pt; line-height: 1.1; }
table.m th, table.m td { padding: 0.5pt 3pt; border-bottom: 1px solid #e6e6e6; white-space: nowrap; }
table.m th { background: #f2f2f2; text-align: left; font-weight: 600; }
table.m tr.total td { border-top: 1.5px solid #999; font-weight: 600; }
.n { text-align: right; font-variant-numeric: tabular-nums; }
.k { color: #666; }
.bar { position: relative; width: 80pt; height: 6.5pt; background: #ececec; }
.bar i { position: absolute; left: 0; top: 0; bottom: 0; }
.bar b { position: absolute; top: -1.5pt; bottom: -1.5pt; width: 1.5pt; background: #222; }
.st { color: #fff; padding: 0 3pt; border-radius: 2pt; }
table.m .st { font-size: 6.5pt; line-height: 1.15; display: inline-block; }
.ahead { background: #2e7d32; } .on_track { background: #1e88a8; } .behind { background: #e6a100; }
.critical { background: #c62828; } .none { background: #9e9e9e; }
td.g { text-align: center; font-size: 6.5pt; color: #222; }
td.g.ahead { background: #c8e6c9; } td.g.on_track { background: #cfe8f0; } td.g.behind { background: #ffe9a8; }
td.g.critical { background: #f7c6c6; } td.g.none, td.g.running { background: none; color: #555; }
td.g.running { font-style: italic; }
th.g { text-align: center; font-size: 6.5pt; }
.note { color: #666; margin-top: 3pt; }
)";

std::string_view status_class(Status s) {
    switch (s) {
        case Status::ahead:
            return "ahead";
        case Status::on_track:
            return "on_track";
        case Status::behind:
            return "behind";
        case Status::critical:
            return "critical";
        case Status::none:
            break;
    }
    return "none";
}

std::string say(const ProgressPageOptions& o, std::string_view english) {
    return escape_html(label(o.lang, english));
}

std::string percent(const std::optional<Minor>& hundredths) {
    return hundredths ? format_minor(*hundredths, 2) + "%" : "–";
}

// The y axis's labels: as many decimals (in the unit) as its step needs.
int axis_places(Minor step, int decimals, int unit_power) {
    Minor scale = 1;
    for (int i = 0; i < decimals + unit_power; ++i)
        scale *= 10;
    int places = 0;
    for (Minor s = scale; s > 1 && step % s != 0; s /= 10)
        ++places;
    return places;
}

std::string short_label(const Period& p) {
    const auto dash = p.label.find('-');
    return dash == std::string::npos ? p.label : p.label.substr(dash + 1);
}

std::string points(const ChartScale& s, const std::vector<CurvePoint>& curve) {
    std::string out;
    for (const auto& p : curve)
        out += fmt::format("{}{},{}", out.empty() ? "" : " ", s.x(p.date), s.y(p.amount));
    return out;
}

std::string chart_svg(const ProgressReport& report, const Burnup& b, const ProgressPageOptions& o) {
    Minor max = 0;
    for (const auto& p : b.plan)
        max = std::max(max, p.amount);
    for (const auto& p : b.actual)
        max = std::max(max, p.amount);
    if (b.forecast) max = std::max(max, *b.forecast);
    const AxisTicks ticks = axis_ticks(max);
    const int w = 600, h = 188;
    const ChartScale s{62, 22, 526, 146, b.first, b.last, ticks.top()};
    const int dec = report.decimals;
    const int places = axis_places(ticks.step, dec, o.unit.power);
    std::string out =
        fmt::format("<svg width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" role=\"img\" aria-label=\"{2}\">\n", w,
                    h, escape_html(o.metric));
    for (int i = 0; i <= ticks.count; ++i) {
        const Minor amount = ticks.step * i;
        const int y = s.y(amount);
        out += fmt::format(
            "<line class=\"grid\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/><text x=\"{}\" y=\"{}\" "
            "text-anchor=\"end\">{}</text>\n",
            s.left, y, s.left + s.width, y, s.left - 4, y + 3, format_display(amount, dec, o.unit.power, places));
    }
    out += fmt::format("<text x=\"2\" y=\"{}\">{}{}</text>\n", s.top - 12, escape_html(o.metric),
                       o.unit.label.empty() ? "" : " (" + escape_html(o.unit.label) + ")");
    out += fmt::format("<line class=\"axis\" x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\"/>\n", s.left, s.top + s.height,
                       s.left + s.width);
    const std::size_t stride = (b.periods.size() + 12) / 13;  // at most 13 labels
    for (std::size_t i = 0; i < b.periods.size(); i += std::max<std::size_t>(stride, 1)) {
        const Period& p = b.periods[i];
        const int x = (s.x(std::max(p.first, b.first) - std::chrono::days{1}) + s.x(p.last)) / 2;
        out += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n", x, s.top + s.height + 12,
                           escape_html(short_label(p)));
    }
    const int ax = s.x(b.as_of);
    out += fmt::format(
        "<line class=\"asof\" x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\"/><text class=\"asof-text\" x=\"{0}\" "
        "y=\"{3}\" text-anchor=\"middle\">{4}</text>\n",
        ax, s.top, s.top + s.height, s.top - 3, format_date(b.as_of));
    out += fmt::format("<polyline class=\"plan\" points=\"{}\"/>\n", points(s, b.plan));
    if (b.forecast)
        out += fmt::format("<line class=\"forecast\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>\n", ax,
                           s.y(b.actual.back().amount), s.x(b.last), s.y(*b.forecast));
    out += fmt::format("<polyline class=\"actual\" points=\"{}\"/>\n", points(s, b.actual));
    for (std::size_t i = 1; i < b.actual.size(); ++i)
        out += fmt::format("<circle class=\"dot\" cx=\"{}\" cy=\"{}\" r=\"2.5\"/>", s.x(b.actual[i].date),
                           s.y(b.actual[i].amount));
    const auto to_date =
        std::find_if(b.plan.begin(), b.plan.end(), [&](const CurvePoint& p) { return p.date == b.as_of; });
    if (to_date != b.plan.end())
        out += fmt::format("\n<circle class=\"todate\" cx=\"{}\" cy=\"{}\" r=\"3.5\"/>", ax, s.y(to_date->amount));
    out += "\n</svg>\n";
    return out;
}

std::string legend(const ProgressReport& report, const ProgressPageOptions& o) {
    std::string out = "<div class=\"legend\">";
    out += "<span><i class=\"sw\"></i>" + say(o, "plan") + "</span>";
    out += "<span><i class=\"sw actual\"></i>" + say(o, "cumulative actual") + "</span>";
    out += "<span>○ " + say(o, "target to date") + "</span>";
    out += "<span><i class=\"sw forecast\"></i>" + say(o, "forecast by run rate") + "</span>";
    out += "</div>\n<div class=\"legend\">" + say(o, "pace") + ": ";
    const auto& t = report.thresholds;
    const std::array<std::pair<Status, std::string>, 4> bands{{
        {Status::ahead, "≥ " + format_percent(t.ahead)},
        {Status::on_track, "≥ " + format_percent(t.on_track)},
        {Status::behind, "≥ " + format_percent(t.behind)},
        {Status::critical, "< " + format_percent(t.behind)},
    }};
    for (const auto& [status, text] : bands)
        out += fmt::format("<span><i class=\"chip {}\"></i>{} {}</span>", status_class(status),
                           say(o, status_name(status)), escape_html(text));
    out += "</div>\n";
    return out;
}

// The team's figures (the Total row: sums, ratios from the sums).
std::string team_panel(const ProgressReport& report, const ProgressPageOptions& o) {
    const ProgressRow t = report.total();
    const int dec = report.decimals;
    auto money = [&](Minor v) { return escape_html(o.unit.format(v, dec)); };
    const Status st = report.status(t);
    const auto daily = report.required_daily(t);
    const auto forecast = report.forecast_run_rate(t);
    const auto pace = report.pace(t);
    const std::vector<std::pair<std::string_view, std::string>> lines{
        {"target", money(t.target)},
        {"target to date", money(t.target_to_date)},
        {"actual", money(t.actual)},
        {"achievement", percent(report.achievement_pct(t))},
        {"time elapsed", fmt::format("{} ({} / {} {})", percent(report.time_progress_pct()), report.days_elapsed,
                                     report.days_total, say(o, "working days"))},
        {"pace", pace ? format_minor(*pace, 4) : "–"},
        {"behind to date", money(report.behind_to_date(t))},
        {"gap", money(report.gap(t))},
        {"needed per working day", daily ? money(*daily) : "–"},
        {"forecast by run rate", forecast ? money(*forecast) : "–"},
    };
    std::string out = "<div class=\"team\"><table>\n";
    out += fmt::format("<tr><td>{}</td><td class=\"n\"><span class=\"st {}\">{}</span></td></tr>\n", say(o, "Team"),
                       status_class(st), st == Status::none ? "–" : say(o, status_name(st)));
    for (const auto& [name, value] : lines)
        out += fmt::format("<tr><td>{}</td><td class=\"n\">{}</td></tr>\n", say(o, name), value);
    out += "</table></div>\n";
    return out;
}

// The grid's columns the page shows: the latest `options.periods` of the report's grid periods.
std::size_t first_grid_period(const ProgressReport& report, const ProgressPageOptions& o) {
    const std::size_t n = report.grid_periods.size();
    return n > o.periods ? n - o.periods : 0;
}

std::string grid_cells(const ProgressReport& report, const ProgressRow& r, std::size_t from,
                       const ProgressPageOptions& o, Date as_of) {
    std::string out;
    for (std::size_t g = from; g < report.grid_periods.size() && g < r.grid_target.size(); ++g) {
        const Minor actual = r.grid_actual[g], target = r.grid_target[g];
        const bool running = report.grid_periods[g].last > as_of;
        const auto pct = r.planned ? divide_rounded(static_cast<Wide>(actual) * 100, target, 0) : std::nullopt;
        const std::string title = escape_html(o.unit.format(actual, report.decimals) +
                                              (r.planned ? " / " + o.unit.format(target, report.decimals) : ""));
        const std::string_view cls = running ? "running" : status_class(report.status_of(actual, target));
        out += fmt::format("<td class=\"g {}\" title=\"{}\">{}</td>", cls, title, pct ? fmt::format("{}%", *pct) : "–");
    }
    return out;
}

std::string member_row(const ProgressReport& report, const ProgressRow& r, std::span<const std::string> keys,
                       std::size_t from, const ProgressPageOptions& o, Date as_of, bool total) {
    const int dec = report.decimals;
    auto money = [&](Minor v) { return escape_html(o.unit.format(v, dec)); };
    std::string out = total ? "<tr class=\"total\">" : "<tr>";
    for (std::size_t k = 0; k < keys.size(); ++k)
        out += fmt::format("<td{}>{}</td>", k + 1 < keys.size() && !total ? " class=\"k\"" : "", escape_html(keys[k]));
    const Status st = r.planned ? report.status(r) : Status::none;
    const auto achieved = r.planned ? report.achievement_pct(r) : std::nullopt;
    const auto due = divide_rounded(static_cast<Wide>(r.target_to_date) * 100, r.target, 2);
    std::string bar = "<div class=\"bar\">";
    if (achieved)
        bar += fmt::format("<i class=\"{}\" style=\"width:{}%\"></i>", status_class(st),
                           format_minor(std::clamp<Minor>(*achieved, 0, 10000), 2));
    if (due && r.planned)
        bar += fmt::format("<b style=\"left:{}%\"></b>", format_minor(std::clamp<Minor>(*due, 0, 10000), 2));
    bar += "</div>";
    const auto pace = r.planned ? report.pace(r) : std::nullopt;
    const auto daily = r.planned ? report.required_daily(r) : std::nullopt;
    out += fmt::format(
        "<td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>"
        "<td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td>",
        money(r.target), money(r.actual), bar, percent(achieved), pace ? format_minor(*pace, 4) : "–",
        money(report.behind_to_date(r)), daily ? money(*daily) : "–",
        st == Status::none ? "–"
                           : fmt::format("<span class=\"st {}\">{}</span>", status_class(st), say(o, status_name(st))));
    out += grid_cells(report, r, from, o, as_of) + "</tr>\n";
    return out;
}

std::string member_table(const ProgressReport& report, const ProgressPageOptions& o, Date as_of) {
    const std::size_t from = first_grid_period(report, o);
    const std::size_t shown = report.grid_periods.size() - from;
    const TimeLevel level = report.grid_periods.empty() ? TimeLevel::month : report.grid_periods[0].level;
    const std::string_view by = level == TimeLevel::week      ? "By week"
                                : level == TimeLevel::quarter ? "By quarter"
                                                              : "By month";
    std::string unit = o.unit.label.empty() ? "" : " (" + escape_html(o.unit.label) + ")";
    std::string out = "<table class=\"m\">\n<tr>";
    std::vector<std::string> keys = report.key_columns;
    if (keys.empty()) keys.push_back(std::string(label(o.lang, "the plan")));
    for (const auto& k : keys)
        out += "<th>" + escape_html(k) + "</th>";
    out += fmt::format(
        "<th class=\"n\">{}{}</th><th class=\"n\">{}{}</th><th>{}</th><th class=\"n\">{}</th><th class=\"n\">{}</th>"
        "<th class=\"n\">{}{}</th><th class=\"n\">{}{}</th><th>{}</th>",
        say(o, "target"), unit, say(o, "actual"), unit, say(o, "achievement") + " · | " + say(o, "target to date"),
        say(o, "achievement"), say(o, "pace"), say(o, "behind to date"), unit, say(o, "needed per working day"), unit,
        say(o, "status"));
    for (std::size_t g = from; g < report.grid_periods.size(); ++g)
        out += "<th class=\"g\">" + escape_html(short_label(report.grid_periods[g])) + "</th>";
    out += "</tr>\n";
    for (const ProgressRow* r : rows_by_pace(report)) {
        std::vector<std::string> row_keys = r->keys;
        if (row_keys.empty()) row_keys.push_back(std::string(label(o.lang, "the plan")));
        out += member_row(report, *r, row_keys, from, o, as_of, false);
    }
    if (!report.key_columns.empty()) {
        ProgressRow t = report.total();
        t.planned = true;
        std::vector<std::string> row_keys(report.key_columns.size());
        row_keys[0] = std::string(label(o.lang, "Total"));
        out += member_row(report, t, row_keys, from, o, as_of, true);
    }
    out += "</table>\n";
    if (shown > 0)
        out += fmt::format("<div class=\"note\">{}: {} … {}{}</div>\n", say(o, by),
                           escape_html(report.grid_periods[from].label), escape_html(report.grid_periods.back().label),
                           from > 0 ? fmt::format(" ({} / {})", shown, report.grid_periods.size()) : "");
    return out;
}

}  // namespace

std::string progress_html(const ProgressReport& report, const Burnup& chart, const ProgressPageOptions& o) {
    std::string out = fmt::format("<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n",
                                  o.lang == Lang::zh ? "zh" : "en");
    const std::string heading = say(o, "Progress report") + " — " + escape_html(o.metric);
    out += "<title>" + heading + "</title>\n<style>\nbody { font-family: " + std::string(kChineseFonts) + "; }" +
           std::string(kStyle) + "</style>\n</head>\n<body>\n";
    out += "<h1>" + heading + "</h1>\n";
    out +=
        fmt::format("<div class=\"sub\">{} · {} {} · {} {} ({} / {} {}){}</div>\n", escape_html(o.title),
                    say(o, "Progress as of"), format_date(chart.as_of), say(o, "time elapsed"),
                    percent(report.time_progress_pct()), report.days_elapsed, report.days_total, say(o, "working days"),
                    o.unit.label.empty() ? "" : " · " + say(o, "unit") + ": " + escape_html(o.unit.label));
    out += "<div class=\"top\">\n<div class=\"chart\">\n" + chart_svg(report, chart, o) + legend(report, o) +
           "</div>\n" + team_panel(report, o) + "</div>\n";
    out += member_table(report, o, chart.as_of);
    out += "</body>\n</html>\n";
    return out;
}

namespace {

std::optional<TimeLevel> grid_of(const std::vector<TimeLevel>& times, std::int64_t days) {
    if (times.empty()) return std::nullopt;
    if (times.back() != TimeLevel::day) return times.back();
    if (std::find(times.begin(), times.end(), TimeLevel::week) != times.end()) return TimeLevel::week;
    return times.size() == 1 && days <= 92 ? TimeLevel::week : TimeLevel::month;
}

}  // namespace

ProgressPageDefaults progress_page_defaults(const Plan& plan) {
    std::vector<const Step*> finest(plan.dimensions.size(), nullptr);
    std::vector<int> order;
    std::vector<TimeLevel> times;
    for (const auto& step : plan.steps) {
        if (step.kind == Step::Kind::time) times.push_back(step.time);
        if (step.kind != Step::Kind::dimension) continue;
        if (!finest[static_cast<std::size_t>(step.dimension)]) order.push_back(step.dimension);
        finest[static_cast<std::size_t>(step.dimension)] = &step;
    }
    ProgressPageDefaults defaults;
    for (int d : order) {
        const Step& step = *finest[static_cast<std::size_t>(d)];
        if (defaults.members.empty()) defaults.members = step.level;
        if (plan.dimensions[static_cast<std::size_t>(d)].members[static_cast<std::size_t>(step.depth)].size() > 1) {
            defaults.members = step.level;
            break;
        }
    }
    defaults.grid = grid_of(times, (plan.last - plan.first).count() + 1);
    return defaults;
}

}  // namespace tgt
