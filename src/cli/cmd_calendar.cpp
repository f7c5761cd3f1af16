// tgt calendar: the working days a split relies on, so they can be checked before trusting it.

#include <fmt/format.h>

#include "cmd_calendar.hpp"
#include "tgt/csv.hpp"
#include "tgt/report.hpp"

namespace tgt::cli {

void setup_calendar(CLI::App& app, CalendarOptions& o) {
    app.add_option("file", o.file,
                   "A plan (its period and calendar), a calendar file, or a built-in calendar's name (cn)");
    add_time_level_option(app, "--period", o.period, "Rows per month, week, quarter, half or year (default month)",
                          {"year", "half", "quarter", "month", "week"});
    app.add_option("--year", o.year,
                   "For a calendar: the year to show (default: every year it covers, or the year of its first date)");
    app.add_flag("--list", o.list, "List each holiday and make-up working day instead of per-period counts");
    app.add_flag("--list-builtin", o.list_builtin,
                 "List the built-in calendars (\"calendar\": \"cn\" in a plan): the years each covers and which "
                 "are provisional");
    add_format_option(app, o.format, "table, csv, tsv, json, ndjson, markdown or xlsx");
    app.add_option("-o,--output", o.output, "Write to this file (atomically)");
    add_force_flag(app, o.force);
}

namespace {

constexpr std::string_view kWeekdays[] = {"", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};

// Every built-in calendar: its id, name, the years it covers and those whose dates are provisional.
int list_builtin(const CalendarOptions& o, const Io& io) {
    Format format = choose_format(o.format, o.output, Format::table);
    Output output(o.output, io);
    RenderOptions options;
    options.totals = false;
    auto writer = make_writer(format, output.stream(), options);
    writer->begin({{"calendar"}, {"name"}, {"years"}, {"provisional"}});
    for (const auto& b : builtin_calendars()) {
        WorkCalendar cal = load_builtin_calendar(b.id);
        std::vector<int> years(cal.years.begin(), cal.years.end()), provisional;
        for (int y : years)
            if (!cal.provisional_years(*parse_date(fmt::format("{:04}-01-01", y)),
                                       *parse_date(fmt::format("{:04}-12-31", y)))
                     .empty())
                provisional.push_back(y);
        std::string id(b.id), covered = format_years(years), uncertain = format_years(provisional);
        writer->row(std::vector<Cell>{{id}, {cal.name}, {covered}, {uncertain}});
    }
    writer->end();
    output.commit();
    return exit_ok;
}

}  // namespace

int run_calendar(const CalendarOptions& o, const Io& io) {
    if (o.list_builtin) {
        if (!o.file.empty() || o.list || o.year)
            throw Error::usage("--list-builtin lists the built-in calendars; it takes no file, --list or --year");
        return list_builtin(o, io);
    }
    if (o.file.empty())
        throw Error::usage(
            "name a plan, a calendar file or a built-in calendar",
            "e.g. `tgt calendar plan.json`, `tgt calendar cn --year 2026`, `tgt calendar --list-builtin`");
    Format format = choose_format(o.format, o.output, Format::table);
    WorkCalendar calendar;
    std::vector<Input> inputs;  // what -o must not replace
    Date first{}, last{};
    unsigned fiscal = 1;
    // A name such as "cn" is a built-in calendar (the same rule as a plan's "calendar"); anything
    // else is a file, a plan or a calendar.
    bool builtin = !is_calendar_path(o.file) && find_builtin_calendar(o.file);
    std::string text = builtin ? std::string() : read_text_file(o.file, io.limits);
    if (!builtin && looks_like_plan(text)) {
        Plan plan = parse_plan(std::move(text), o.file, io.limits);
        print_diagnostics(io, plan.warnings);
        inputs = plan_inputs(o.file, plan);
        calendar = plan.calendar;
        first = plan.first;
        last = plan.last;
        fiscal = plan.fiscal_start_month;
    } else {
        std::vector<Diagnostic> warnings;
        if (!builtin) inputs.push_back({o.file, "the calendar"});
        calendar = builtin ? load_calendar_reference(o.file, "", &warnings, io.limits)
                           : load_calendar(o.file, &warnings, io.limits);
        int from = 0, to = 0;
        if (o.year) {
            from = to = *o.year;
        } else if (!calendar.years.empty() || !calendar.weekends_only.empty()) {
            std::set<int> declared = calendar.years;
            declared.insert(calendar.weekends_only.begin(), calendar.weekends_only.end());
            from = *declared.begin();
            to = *declared.rbegin();
        } else if (!calendar.holidays.empty() || !calendar.workdays.empty()) {
            Date d = calendar.holidays.empty() ? calendar.workdays.begin()->first : calendar.holidays.begin()->first;
            from = to = static_cast<int>(std::chrono::year_month_day{d}.year());
        } else {
            throw Error::usage("this calendar has no dates; say which year with --year");
        }
        if (from < 1900 || to > 9999) throw Error::usage("--year must be between 1900 and 9999");
        first = *parse_date(fmt::format("{:04}-01-01", from));
        last = *parse_date(fmt::format("{:04}-12-31", to));
        Diagnostics use;
        check_calendar_use(calendar, first, last, SourceLocation{}, use, "--year asks for");
        warnings.insert(warnings.end(), use.items().begin(), use.items().end());
        print_diagnostics(io, warnings);
        if (use.has_errors()) return exit_bad_input;
    }

    Output output(o.output, io, inputs, o.force);
    RenderOptions options;
    options.totals = !o.list;  // a list of dates has nothing to add up
    auto writer = make_writer(format, output.stream(), options);
    if (o.list) {
        writer->begin({{"date"}, {"weekday"}, {"kind"}, {"name"}, {"provisional"}});
        std::map<Date, std::pair<std::string_view, std::string>> special;
        for (const auto& [d, name] : calendar.holidays)
            if (d >= first && d <= last) special[d] = {"holiday", name};
        for (const auto& [d, name] : calendar.workdays)
            if (d >= first && d <= last) special[d] = {"make-up working day", name};
        for (const auto& [d, what] : special) {
            std::string date = format_date(d);
            writer->row(std::vector<Cell>{{date},
                                          {kWeekdays[iso_weekday(d)]},
                                          {what.first},
                                          {what.second},
                                          {calendar.provisional.count(d) ? "yes" : ""}});
        }
    } else {
        writer->begin({{"period"},
                       {"first"},
                       {"last"},
                       {"days", true, 0},
                       {"working_days", true, 0},
                       {"weekend_days", true, 0},
                       {"holidays", true, 0},
                       {"makeup_days", true, 0}});
        auto level = o.period.value_or(TimeLevel::month);
        for (const auto& p : periods_between(level, first, last, fiscal)) {
            Minor days = 0, working = 0, weekend = 0, holidays = 0, makeup = 0;
            for (Date d = p.first; d <= p.last; d += std::chrono::days{1}) {
                ++days;
                working += calendar.is_working(d);
                bool is_weekend = calendar.weekend[static_cast<std::size_t>(iso_weekday(d))];
                weekend += is_weekend && !calendar.workdays.count(d) && !calendar.holidays.count(d);
                holidays += calendar.holidays.count(d) && !calendar.workdays.count(d);
                makeup += calendar.workdays.count(d) > 0;
            }
            std::string a = format_date(p.first), b = format_date(p.last);
            writer->row(std::vector<Cell>{
                {p.label}, {a}, {b}, {{}, days}, {{}, working}, {{}, weekend}, {{}, holidays}, {{}, makeup}});
        }
    }
    writer->end();
    output.commit();
    return exit_ok;
}

}  // namespace tgt::cli
