// The plan's "period": a year, a fiscal year or start and end dates.

#include <fmt/format.h>

#include <chrono>

#include "plan_reader.hpp"

namespace tgt::detail {

void PlanReader::read_period(const JsonValue& root) {
    const JsonValue* v = root.find("period");
    if (!v) {
        problems_.error(at(root), "missing \"period\"",
                        "add e.g. \"period\": \"2027\" or {\"start\": \"2027-06-01\", \"end\": \"2027-12-31\"}");
        return;
    }
    if (v->kind == Kind::string || v->kind == Kind::number) {
        auto year = parse_decimal(v->text);
        auto y = year ? year->scaled_to(0) : std::nullopt;
        if (!y || *y < 1900 || *y > 9999) {
            error(*v, fmt::format("not a year: \"{}\"", v->text), "write \"2027\" or an object with start and end");
            return;
        }
        plan_.first = *parse_date(fmt::format("{:04}-01-01", *y));
        plan_.last = *parse_date(fmt::format("{:04}-12-31", *y));
        return;
    }
    if (!expect_kind(*v, Kind::object, "the plan's period")) return;
    check_keys(*v, {"start", "end", "year", "fiscal_year_start"});
    if (auto* f = v->find("fiscal_year_start")) {
        auto m = whole_number(*f);
        if (!m || *m < 1 || *m > 12)
            error(*f, "fiscal_year_start is a month number, 1 to 12");
        else
            plan_.fiscal_start_month = static_cast<unsigned>(*m);
    }
    if (auto* y = v->find("year")) {
        auto year = whole_number(*y);
        if (!year || *year < 1900 || *year > 9999) {
            error(*y, "year must be a whole number such as 2027");
            return;
        }
        if (v->find("start") || v->find("end")) error(*y, "give either \"year\" or \"start\"/\"end\", not both");
        using namespace std::chrono;
        auto first = sys_days{std::chrono::year{static_cast<int>(*year)} / month{plan_.fiscal_start_month} / 1};
        plan_.first = first;
        plan_.last =
            sys_days{(year_month_day{first}.year() + years{1}) / month{plan_.fiscal_start_month} / 1} - days{1};
        return;
    }
    auto* s = field(*v, "start", Kind::string, true);
    auto* e = field(*v, "end", Kind::string, true);
    auto start = s ? date_of(*s) : std::nullopt;
    auto end = e ? date_of(*e) : std::nullopt;
    if (!start || !end) return;
    if (*end < *start) {
        error(*e, fmt::format("the period ends ({}) before it starts ({})", e->text, s->text));
        return;
    }
    if ((*end - *start).count() > 366 * 10) {
        error(*e, "the period is longer than ten years", "plans cover a year or part of one");
        return;
    }
    plan_.first = *start;
    plan_.last = *end;
}

}  // namespace tgt::detail
