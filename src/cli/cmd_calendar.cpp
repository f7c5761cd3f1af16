// tgt calendar: the working days a split relies on, so they can be checked before trusting it.

#include <fmt/format.h>

#include "commands.hpp"
#include "tgt/csv.hpp"
#include "tgt/report.hpp"

namespace tgt::cli {

void setup_calendar(CLI::App& app, CalendarOptions& o) {
    app.add_option("file", o.file, "A plan (its period and calendar) or a calendar file")->required();
    app.add_option("--period", o.period, "Rows per month, week, quarter, half or year (default month)")
        ->check(CLI::IsMember({"year", "half", "quarter", "month", "week"}));
    app.add_option("--year", o.year, "For a calendar file: the year to show (default: the year of its first date)");
    app.add_flag("--list", o.list, "List each holiday and make-up working day instead of per-period counts");
    app.add_option("--format", o.format, "table, csv, tsv, json, ndjson or markdown");
    app.add_option("-o,--output", o.output, "Write to this file (atomically)");
}

namespace {

constexpr std::string_view kWeekdays[] = {"", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};

}  // namespace

int run_calendar(const CalendarOptions& o, const Io& io) {
    Format format = choose_format(o.format, o.output, Format::table);
    std::string text = read_text_file(o.file);
    WorkCalendar calendar;
    Date first{}, last{};
    unsigned fiscal = 1;
    if (looks_like_plan(text)) {
        Plan plan = parse_plan(std::move(text), o.file);
        calendar = plan.calendar;
        first = plan.first;
        last = plan.last;
        fiscal = plan.fiscal_start_month;
    } else {
        calendar = load_calendar(o.file);
        int year = 0;
        if (o.year) {
            year = *o.year;
        } else if (!calendar.holidays.empty() || !calendar.workdays.empty()) {
            Date d = calendar.holidays.empty() ? calendar.workdays.begin()->first : calendar.holidays.begin()->first;
            year = static_cast<int>(std::chrono::year_month_day{d}.year());
        } else {
            throw Error::usage("this calendar has no dates; say which year with --year");
        }
        if (year < 1900 || year > 9999) throw Error::usage("--year must be between 1900 and 9999");
        first = *parse_date(fmt::format("{:04}-01-01", year));
        last = *parse_date(fmt::format("{:04}-12-31", year));
    }

    Output output(o.output, io.out);
    auto writer = make_writer(format, output.stream(), RenderOptions{});
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
        auto level = parse_time_level(o.period).value_or(TimeLevel::month);
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
