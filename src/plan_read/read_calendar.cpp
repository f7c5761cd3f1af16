// The plan's "calendar" (inline or by reference) and calendar files: weekends, holidays,
// make-up days, the years covered, "extends".

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <set>

#include "plan_reader.hpp"

namespace tgt::detail {

namespace {

// A calendar reference resolved: a built-in calendar, a file, or why it is neither.
struct CalendarSource {
    const BuiltinCalendar* builtin = nullptr;
    std::filesystem::path file;
    std::string problem, hint;
};

// "cn" is the built-in calendar unless a file of that name sits in `base` too (then neither
// reading wins); a reference written as a path ("/", "\\", ".json") is always a file; any other
// name that is no built-in is a file when one exists (calendars named before built-ins existed).
CalendarSource resolve_calendar_source(const std::string& reference, const std::filesystem::path& base) {
    CalendarSource source;
    std::filesystem::path path(reference);
    source.file = path.is_absolute() ? path : base / path;
    if (reference.empty()) {
        source.problem = "an empty calendar name";
        source.hint = "name a built-in calendar (\"cn\") or a calendar file (\"holidays.json\")";
        return source;
    }
    if (is_calendar_path(reference)) return source;
    source.builtin = find_builtin_calendar(reference);
    std::error_code ec;
    bool exists = std::filesystem::exists(source.file, ec);
    if (source.builtin && exists) {
        source.problem = fmt::format("\"{}\" names both the built-in calendar {} and the file {}", reference, reference,
                                     source.file.string());
        source.hint =
            fmt::format("write \"./{}\" for the file, or rename the file to use the built-in calendar", reference);
    } else if (!source.builtin && !exists) {
        std::vector<std::string> ids;
        for (const auto& b : builtin_calendars())
            ids.emplace_back(b.id);
        std::string guess = did_you_mean(reference, ids);
        source.problem = fmt::format("no built-in calendar \"{}\" and no file {}", reference, source.file.string());
        source.hint =
            guess.empty()
                ? fmt::format("built-in calendars: {} (`{}`); a file path contains \"/\" or ends in \".json\"",
                              join(ids), mention(Field::list_builtin))
                : fmt::format("did you mean \"{}\"?", guess);
    }
    return source;
}

}  // namespace

// Public so that load_calendar can reuse it on a calendar file's root. `chain` names the
// calendars being read, outermost first, so that an "extends" loop is caught.
WorkCalendar PlanReader::read_calendar(const JsonValue& v, std::vector<std::string> chain) {
    WorkCalendar cal;
    if (!expect_kind(v, Kind::object, "a calendar")) return cal;
    check_keys(
        v, {"$schema", "name", "description", "extends", "weekend", "years", "weekends_only", "holidays", "workdays"});
    if (auto* n = field(v, "name", Kind::string)) cal.name = n->text;
    auto* w = field(v, "weekend", Kind::array);
    if (w) {
        cal.weekend.fill(false);
        for (const auto& item : w->items()) {
            auto day = whole_number(item);
            if (!day || *day < 1 || *day > 7) {
                error(item, "weekend days are ISO weekdays 1 (Monday) to 7 (Sunday)");
                continue;
            }
            cal.weekend[static_cast<std::size_t>(*day)] = true;
        }
    }
    std::vector<DatedEntry> entries;
    read_dates(v, "holidays", cal.holidays, cal.provisional, entries);
    read_dates(v, "workdays", cal.workdays, cal.provisional, entries);
    for (const auto& [date, name] : cal.workdays) {
        if (cal.holidays.count(date))
            problems_.error(doc_.locate(*v.find("workdays")),
                            fmt::format("{} is both a holiday and a make-up working day", format_date(date)),
                            "a date can be one or the other");
    }
    auto* years = v.find("years");
    if (years) read_years(*years, cal.years);
    bool all_weekends = read_weekends_only(v, cal);
    std::optional<WorkCalendar> base;
    auto* extends = v.find("extends");
    if (extends && expect_kind(*extends, Kind::string, "the calendar it adds to: \"cn\" or a file"))
        base = read_calendar_reference(*extends, std::move(chain));
    for (int y : cal.weekends_only)
        if (cal.years.count(y) || (base && base->years.count(y)))
            error(*v.find("weekends_only"),
                  fmt::format("{} is in \"years\"{} (its holidays are listed) and in \"weekends_only\"", y,
                              cal.years.count(y) ? "" : " of the calendar it extends"),
                  "a year is one or the other");
    // What it covers: the years it says; without "years" (and without "extends", whose years
    // it takes), the years its dates fall in; without dates either, a weekly pattern: any year.
    if (!years && !extends)
        for (const auto& e : entries)
            for (int y = year_of(e.first); y <= year_of(e.last); ++y)
                cal.years.insert(y);
    cal.every_year = all_weekends || (!years && !extends && entries.empty() && cal.weekends_only.empty());
    if (base) cal = extend_calendar(std::move(*base), cal, w != nullptr);
    warn_outside_years(entries, cal);
    return cal;
}

// A calendar named by a string (a plan's "calendar", a calendar's "extends"): read with its own
// reader, its problems reported at their own file:line:col (or here, when they have none).
// With `as_file`, the reference is a file path whatever it looks like.
WorkCalendar PlanReader::read_calendar_reference(const JsonValue& v, std::vector<std::string> chain, bool as_file) {
    CalendarSource source =
        as_file ? CalendarSource{nullptr, v.text, {}, {}} : resolve_calendar_source(std::string(v.text), base_);
    if (!source.problem.empty()) {
        error(v, source.problem, source.hint);
        return {};
    }
    std::string key = source.builtin ? "built-in " + std::string(v.text) : source.file.lexically_normal().string();
    if (std::find(chain.begin(), chain.end(), key) != chain.end()) {
        chain.push_back(key);
        error(v, fmt::format("the calendar extends itself: {}", join(chain, " → ")),
              "a calendar can extend another, not one that extends it");
        return {};
    }
    chain.push_back(key);
    std::string file = source.builtin ? "built-in calendar " + std::string(v.text) : source.file.string();
    try {
        if (!source.builtin) files_->push_back(file);
        auto doc = source.builtin ? JsonDocument::parse(std::string(source.builtin->json), file)
                                  : JsonDocument::parse(read_text_file(file, limits_), file);
        PlanReader nested(doc, source.builtin ? base_ : folder_of(file), problems_, limits_, files_);
        WorkCalendar cal = nested.read_calendar(doc.root(), std::move(chain));
        cal.id = v.text;
        return cal;
    } catch (const Error& e) {
        for (auto d : e.diagnostics()) {
            if (d.where.file.empty() || d.where.line == 0) {
                d.where = at(v);
                d.message = fmt::format("calendar file {}: {}", file, d.message);
            }
            problems_.add(std::move(d));
        }
    }
    return {};
}

std::string PlanReader::covered_years(const WorkCalendar& cal) {
    std::set<int> all = cal.years;
    all.insert(cal.weekends_only.begin(), cal.weekends_only.end());
    return all.empty() ? std::string("no year") : format_years({all.begin(), all.end()});
}

// "weekends_only": a list of years (into cal.weekends_only) or true (returned).
bool PlanReader::read_weekends_only(const JsonValue& calendar, WorkCalendar& cal) {
    auto* wo = calendar.find("weekends_only");
    if (!wo) return false;
    if (wo->kind == Kind::boolean) return wo->boolean;
    if (wo->kind == Kind::array) {
        read_years(*wo, cal.weekends_only);
        return false;
    }
    error(*wo, fmt::format("\"weekends_only\" must be a list of years or true, got {}", describe_kind(wo->kind)),
          "e.g. \"weekends_only\": [2028]: 2028 has no holidays, weekends alone");
    return false;
}

void PlanReader::warn_outside_years(const std::vector<DatedEntry>& entries, const WorkCalendar& cal) {
    for (const auto& e : entries) {
        for (int y = year_of(e.first); y <= year_of(e.last); ++y) {
            if (cal.covers(y)) continue;
            warning(*e.where, fmt::format("{} is outside the years this calendar covers ({})", y, covered_years(cal)),
                    fmt::format("add {} to \"years\" (with all its holidays and make-up days) or to "
                                "\"weekends_only\", or correct the date",
                                y));
            break;
        }
    }
}

void PlanReader::read_years(const JsonValue& v, std::set<int>& into) {
    if (!expect_kind(v, Kind::array, "a list of years such as [2026, 2027]")) return;
    if (v.items().empty()) error(v, "an empty list of years", "list the years, e.g. [2027]");
    for (const auto& item : v.items()) {
        auto y = whole_number(item);
        if (!y || *y < 1900 || *y > 9999) {
            error(item, "a year is a whole number such as 2027");
            continue;
        }
        into.insert(static_cast<int>(*y));
    }
}

void PlanReader::read_dates(const JsonValue& cal, std::string_view key, std::map<Date, std::string>& into,
                            std::set<Date>& provisional, std::vector<DatedEntry>& entries) {
    auto* list = field(cal, key, Kind::array);
    if (!list) return;
    for (const auto& item : list->items()) {
        if (item.kind == Kind::string) {
            if (auto d = date_of(item)) {
                into[*d] = "";
                entries.push_back({&item, *d, *d});
            }
            continue;
        }
        if (!expect_kind(item, Kind::object, "a date, or {\"date\"|\"from\",\"to\", \"name\", \"provisional\"}"))
            continue;
        check_keys(item, {"date", "from", "to", "name", "provisional", "note"});
        std::string name;
        if (auto* n = field(item, "name", Kind::string)) name = n->text;
        bool is_provisional = false;
        if (auto* p = field(item, "provisional", Kind::boolean)) is_provisional = p->boolean;
        std::optional<Date> from, to;
        if (auto* d = item.find("date")) {
            from = to = date_of(*d);
        } else {
            auto* f = field(item, "from", Kind::string, true);
            auto* t = field(item, "to", Kind::string, true);
            if (f) from = date_of(*f);
            if (t) to = date_of(*t);
            if (from && to && *to < *from) {
                error(*t, "the range ends before it starts");
                continue;
            }
            if (from && to && (*to - *from).count() > 366) {
                error(*t, "a holiday range longer than a year");
                continue;
            }
        }
        if (!from || !to) continue;
        entries.push_back({&item, *from, *to});
        for (Date d = *from; d <= *to; d += std::chrono::days{1}) {
            into[d] = name;
            if (is_provisional) provisional.insert(d);
        }
    }
}

void PlanReader::read_calendar_ref(const JsonValue& v) {
    if (v.kind == Kind::string) {
        plan_.calendar = read_calendar_reference(v, {});
        return;
    }
    plan_.calendar = read_calendar(v);
}

}  // namespace tgt::detail
