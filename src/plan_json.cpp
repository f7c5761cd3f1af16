// The only place that knows the plan file's JSON shape: JSON tree → Plan, with every problem
// reported at its file:line:column and JSON pointer.

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <iterator>
#include <set>

#include "json_document.hpp"
#include "plan_columns.hpp"
#include "plan_finish.hpp"
#include "tgt/csv.hpp"
#include "tgt/plan.hpp"

namespace tgt {

constexpr std::size_t kMaxOverrides = (std::size_t{1} << 20) - 2;  // decompose.cpp's profile_key

int Plan::step_index(std::string_view level) const {
    for (std::size_t i = 0; i < steps.size(); ++i)
        if (steps[i].level == level) return static_cast<int>(i);
    return -1;
}

std::vector<std::string> Plan::metric_ids() const {
    std::vector<std::string> ids;
    for (const auto& m : metrics)
        ids.push_back(m.id);
    return ids;
}

int Plan::metric_index(std::string_view id) const {
    for (std::size_t i = 0; i < metrics.size(); ++i)
        if (metrics[i].id == id) return static_cast<int>(i);
    return -1;
}

namespace {

using detail::JsonDocument;
using detail::JsonValue;
using Kind = JsonValue::Kind;

constexpr std::string_view kBasisNames[] = {"members",         "equal",   "working_days", "days",
                                            "weekday_pattern", "history", "capacity"};
constexpr int kMaxWeightDigits = 18;

std::string join(const std::vector<std::string>& items, std::string_view sep = ", ") {
    std::string out;
    for (const auto& s : items) {
        if (!out.empty()) out += sep;
        out += s;
    }
    return out;
}

std::filesystem::path folder_of(const std::string& file);

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
        source.hint = guess.empty() ? fmt::format(
                                          "built-in calendars: {} (`tgt calendar --list-builtin`); a file "
                                          "path contains \"/\" or ends in \".json\"",
                                          join(ids))
                                    : fmt::format("did you mean \"{}\"?", guess);
    }
    return source;
}

class PlanReader {
public:
    /// `files` collects every file read (by default the plan's own list).
    PlanReader(const JsonDocument& doc, std::filesystem::path base, Diagnostics& problems, InputLimits limits,
               std::vector<std::string>* files = nullptr)
        : doc_(doc),
          base_(std::move(base)),
          problems_(problems),
          limits_(std::move(limits)),
          files_(files ? files : &plan_.files) {}

    Plan read() {
        const JsonValue& root = doc_.root();
        plan_.file = doc_.file();
        if (!plan_.file.empty() && plan_.file != "<stdin>") files_->push_back(plan_.file);
        if (!expect_kind(root, Kind::object, "a plan")) return plan_;
        if (!root.find("metrics") && !root.find("split") &&
            (root.find("holidays") || root.find("workdays") || root.find("weekend") || root.find("extends") ||
             root.find("years"))) {
            problems_.error(at(root), "this is a calendar file, not a plan",
                            "`tgt calendar FILE` shows it; a plan uses it with \"calendar\": \"FILE\"");
            return plan_;
        }
        check_keys(root, {"$schema", "tgt", "name", "description", "period", "calendar", "metrics", "dimensions",
                          "split", "status", "funnel", "budgets", "visits"});
        if (auto* v = field(root, "name", Kind::string)) plan_.name = v->text;
        if (auto* v = field(root, "status", Kind::object)) read_status(*v);
        read_period(root);
        if (auto* v = root.find("calendar")) read_calendar_ref(*v);
        // A period that could not be read is left at the epoch; there is nothing to check it against.
        if (plan_.last != Date{})
            check_calendar_use(plan_.calendar, plan_.first, plan_.last,
                               root.find("calendar") ? at(*root.find("calendar")) : at(root), problems_,
                               "the plan's period reaches");
        read_metrics(root);
        if (auto* v = field(root, "budgets", Kind::array)) read_budgets(*v);
        if (auto* v = field(root, "visits", Kind::object)) read_visits(*v);
        read_dimensions(root);
        if (plan_.visits && plan_.visits->dimension < 0)
            problems_.warning(plan_.visits->where, "customer tiers, but no member has \"customers\"",
                              "give members counts per tier: \"customers\": {\"vip\": 5}");
        read_split(root);
        check_conditions();
        if (auto* v = field(root, "funnel", Kind::object)) read_funnel(*v);
        return std::move(plan_);
    }

    // Public so that load_calendar can reuse it on a calendar file's root. `chain` names the
    // calendars being read, outermost first, so that an "extends" loop is caught.
    WorkCalendar read_calendar(const JsonValue& v, std::vector<std::string> chain = {}) {
        WorkCalendar cal;
        if (!expect_kind(v, Kind::object, "a calendar")) return cal;
        check_keys(v, {"$schema", "name", "description", "extends", "weekend", "years", "weekends_only", "holidays",
                       "workdays"});
        if (auto* n = field(v, "name", Kind::string)) cal.name = n->text;
        auto* w = field(v, "weekend", Kind::array);
        if (w) {
            cal.weekend.fill(false);
            for (const auto& item : w->items) {
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
    WorkCalendar read_calendar_reference(const JsonValue& v, std::vector<std::string> chain, bool as_file = false) {
        CalendarSource source =
            as_file ? CalendarSource{nullptr, v.text, {}, {}} : resolve_calendar_source(v.text, base_);
        if (!source.problem.empty()) {
            error(v, source.problem, source.hint);
            return {};
        }
        std::string key = source.builtin ? "built-in " + v.text : source.file.lexically_normal().string();
        if (std::find(chain.begin(), chain.end(), key) != chain.end()) {
            chain.push_back(key);
            error(v, fmt::format("the calendar extends itself: {}", join(chain, " → ")),
                  "a calendar can extend another, not one that extends it");
            return {};
        }
        chain.push_back(key);
        std::string file = source.builtin ? "built-in calendar " + v.text : source.file.string();
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

private:
    // ---------------------------------------------------------------- generic helpers
    SourceLocation at(const JsonValue& v) const { return doc_.locate(v); }
    void error(const JsonValue& v, std::string message, std::string hint = {}) {
        problems_.error(at(v), std::move(message), std::move(hint));
    }
    void warning(const JsonValue& v, std::string message, std::string hint = {}) {
        problems_.warning(at(v), std::move(message), std::move(hint));
    }

    bool expect_kind(const JsonValue& v, Kind kind, std::string_view what) {
        if (v.kind == kind) return true;
        error(v, fmt::format("expected {} ({}), got {}", describe_kind(kind), what, describe_kind(v.kind)));
        return false;
    }

    void check_keys(const JsonValue& obj, const std::vector<std::string>& allowed) {
        for (const auto& [key, value] : obj.members) {
            if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
            std::string guess = did_you_mean(key, allowed);
            std::string hint = guess.empty() ? fmt::format("known keys here: {}", join(allowed))
                                             : fmt::format("did you mean \"{}\"?", guess);
            problems_.error(doc_.locate_key(value), fmt::format("unknown key \"{}\"", key), hint);
        }
    }

    const JsonValue* field(const JsonValue& obj, std::string_view key, Kind kind, bool required = false) {
        const JsonValue* v = obj.find(key);
        if (!v) {
            if (required)
                problems_.error(at(obj), fmt::format("missing \"{}\"", key),
                                fmt::format("add \"{}\" to this object", key));
            return nullptr;
        }
        if (v->kind != kind) {
            error(*v, fmt::format("\"{}\" must be {}, got {}", key, describe_kind(kind), describe_kind(v->kind)));
            return nullptr;
        }
        return v;
    }

    std::optional<Decimal> number_of(const JsonValue& v) {
        if (v.kind != Kind::number && v.kind != Kind::string) {
            error(v, fmt::format("expected a number, got {}", describe_kind(v.kind)));
            return std::nullopt;
        }
        ParseProblem problem;
        auto d = parse_decimal(v.text, &problem);
        if (!d)
            error(v, fmt::format("not a number: \"{}\" ({})", v.text, problem.message),
                  "write amounts like 1234.56, \"2500万\", \"1.2e6\" or \"1,000,000.00\"");
        return d;
    }

    std::optional<std::int64_t> whole_number(const JsonValue& v) {
        if (v.kind != Kind::number) return std::nullopt;
        auto d = parse_decimal(v.text);
        if (!d) return std::nullopt;
        return d->scaled_to(0);
    }

    std::optional<Date> date_of(const JsonValue& v) {
        if (v.kind != Kind::string) {
            error(v, fmt::format("expected a date \"YYYY-MM-DD\", got {}", describe_kind(v.kind)));
            return std::nullopt;
        }
        auto d = parse_date(v.text);
        if (!d) error(v, fmt::format("not a date: \"{}\"", v.text), "write dates as YYYY-MM-DD, e.g. 2027-03-01");
        return d;
    }

    std::filesystem::path resolve(const std::string& path) const {
        std::filesystem::path p(path);
        return p.is_absolute() ? p : base_ / p;
    }

    // ---------------------------------------------------------------- period and calendar
    void read_period(const JsonValue& root) {
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

    // One holiday or make-up day entry as written (a date or a range), for coverage warnings.
    struct DatedEntry {
        const JsonValue* where;
        Date first, last;
    };

    static int year_of(Date d) { return static_cast<int>(std::chrono::year_month_day{d}.year()); }

    static std::string covered_years(const WorkCalendar& cal) {
        std::set<int> all = cal.years;
        all.insert(cal.weekends_only.begin(), cal.weekends_only.end());
        return all.empty() ? std::string("no year") : format_years({all.begin(), all.end()});
    }

    // "weekends_only": a list of years (into cal.weekends_only) or true (returned).
    bool read_weekends_only(const JsonValue& calendar, WorkCalendar& cal) {
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

    void warn_outside_years(const std::vector<DatedEntry>& entries, const WorkCalendar& cal) {
        for (const auto& e : entries) {
            for (int y = year_of(e.first); y <= year_of(e.last); ++y) {
                if (cal.covers(y)) continue;
                warning(*e.where,
                        fmt::format("{} is outside the years this calendar covers ({})", y, covered_years(cal)),
                        fmt::format("add {} to \"years\" (with all its holidays and make-up days) or to "
                                    "\"weekends_only\", or correct the date",
                                    y));
                break;
            }
        }
    }

    void read_years(const JsonValue& v, std::set<int>& into) {
        if (!expect_kind(v, Kind::array, "a list of years such as [2026, 2027]")) return;
        if (v.items.empty()) error(v, "an empty list of years", "list the years, e.g. [2027]");
        for (const auto& item : v.items) {
            auto y = whole_number(item);
            if (!y || *y < 1900 || *y > 9999) {
                error(item, "a year is a whole number such as 2027");
                continue;
            }
            into.insert(static_cast<int>(*y));
        }
    }

    void read_dates(const JsonValue& cal, std::string_view key, std::map<Date, std::string>& into,
                    std::set<Date>& provisional, std::vector<DatedEntry>& entries) {
        auto* list = field(cal, key, Kind::array);
        if (!list) return;
        for (const auto& item : list->items) {
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

    void read_calendar_ref(const JsonValue& v) {
        if (v.kind == Kind::string) {
            plan_.calendar = read_calendar_reference(v, {});
            return;
        }
        plan_.calendar = read_calendar(v);
    }

    // ---------------------------------------------------------------- metrics and amounts
    void read_metrics(const JsonValue& root) {
        auto* list = field(root, "metrics", Kind::array, true);
        if (!list) return;
        if (list->items.empty()) error(*list, "a plan needs at least one metric");
        std::set<std::string> seen;
        std::vector<std::pair<std::size_t, const JsonValue*>> weighted_by, stretches;
        for (const auto& item : list->items) {
            if (!expect_kind(item, Kind::object, "a metric")) continue;
            check_keys(item, {"id", "name", "unit", "kind", "decimals", "quantum", "total", "stretch", "target",
                              "weighted_by", "note"});
            Metric m;
            m.where = at(item);
            if (auto* id = field(item, "id", Kind::string, true)) {
                m.id = id->text;
                if (!seen.insert(m.id).second) error(*id, fmt::format("duplicate metric id \"{}\"", m.id));
            }
            if (auto* n = field(item, "name", Kind::string)) m.name = n->text;
            if (auto* u = field(item, "unit", Kind::string)) m.unit = u->text;
            if (auto* k = field(item, "kind", Kind::string)) {
                if (k->text == "count")
                    m.money = false;
                else if (k->text == "rate")
                    m.rate = true;
                else if (k->text != "money")
                    error(*k, fmt::format("unknown metric kind \"{}\"", k->text),
                          "use \"money\", \"count\" or \"rate\"");
            }
            m.decimals = m.money ? 2 : 0;
            if (auto* d = item.find("decimals")) {
                auto n = whole_number(*d);
                if (!n || *n < 0 || *n > 6)
                    error(*d, "decimals must be a whole number from 0 to 6");
                else
                    m.decimals = static_cast<int>(*n);
            }
            if (m.rate) {
                read_rate_metric(item, m, plan_.metrics.size(), weighted_by);
                plan_.metrics.push_back(std::move(m));
                continue;
            }
            for (auto key : {"target", "weighted_by"})
                if (auto* v = item.find(key))
                    error(*v, fmt::format("\"{}\" belongs to rate metrics", key), "add \"kind\": \"rate\"");
            if (auto* q = item.find("quantum")) {
                if (auto value = amount(*q, m, "quantum", false)) {
                    if (*value <= 0)
                        error(*q, "the quantum must be greater than zero");
                    else
                        m.quantum = *value;
                }
            }
            if (auto* t = item.find("total")) {
                if (auto value = stated_amount(*t, m, "total", m.origin)) m.total = *value;
            } else {
                m.bottom_up = true;  // the sum of the first split level's amounts (checked once those are known)
            }
            if (auto* st = item.find("stretch")) stretches.emplace_back(plan_.metrics.size(), st);
            plan_.metrics.push_back(std::move(m));
        }
        for (auto [index, v] : weighted_by) {
            Metric& m = plan_.metrics[index];
            int base = plan_.metric_index(v->text);
            if (base < 0 || plan_.metrics[static_cast<std::size_t>(base)].rate) {
                std::vector<std::string> ids;
                for (const auto& other : plan_.metrics)
                    if (!other.rate) ids.push_back(other.id);
                std::string guess = did_you_mean(v->text, ids);
                error(*v,
                      fmt::format("rate \"{}\" is weighted by \"{}\", which is not a money or count metric", m.id,
                                  v->text),
                      guess.empty() ? "metrics: " + join(ids) : fmt::format("did you mean \"{}\"?", guess));
                continue;
            }
            m.weighted_by = base;
        }
        for (auto [index, v] : stretches)
            read_stretch(*v, index);
    }

    // "budgets" (销售预算分解表): expense lines as a share of a sales metric ("ratio": "3%") or a fixed
    // amount, each split down the same hierarchy by the same rules as that metric (held amounts
    // scaled), so a node's budget follows its target; split shows the cost-to-sales ratio per row.
    void read_budgets(const JsonValue& list) {
        std::vector<std::string> sales;
        for (const auto& m : plan_.metrics)
            if (!m.rate && m.stretch_of < 0) sales.push_back(m.id);
        for (const auto& item : list.items) {
            if (!expect_kind(item, Kind::object, "a budget line")) continue;
            check_keys(item, {"id", "name", "unit", "ratio", "amount", "of", "note"});
            auto* id = field(item, "id", Kind::string, true);
            if (!id) continue;
            int base = sales.empty() ? -1 : plan_.metric_index(sales.front());
            if (auto* of = field(item, "of", Kind::string)) {
                base = plan_.metric_index(of->text);
                if (base < 0 || std::find(sales.begin(), sales.end(), of->text) == sales.end()) {
                    std::string guess = did_you_mean(of->text, sales);
                    error(*of,
                          fmt::format("budget \"{}\" is of \"{}\", not a money or count metric of the plan", id->text,
                                      of->text),
                          guess.empty() ? "metrics: " + join(sales) : fmt::format("did you mean \"{}\"?", guess));
                    continue;
                }
            }
            if (base < 0) {
                error(item, "a budget line needs a money or count metric to follow");
                continue;
            }
            if (int taken = plan_.metric_index(id->text); taken >= 0) {
                bool budget_line = plan_.metrics[static_cast<std::size_t>(taken)].budget;
                error(*id,
                      fmt::format("\"{}\" is already {}'s id", id->text,
                                  budget_line ? "another budget line" : "a metric"),
                      "give each metric and budget line its own id");
                continue;
            }
            const Metric& sales_metric = plan_.metrics[static_cast<std::size_t>(base)];
            Metric budget = sales_metric;
            budget.id = id->text;
            budget.name.clear();
            if (auto* name = field(item, "name", Kind::string)) budget.name = name->text;
            if (auto* unit = field(item, "unit", Kind::string)) budget.unit = unit->text;
            budget.money = true;
            budget.stretch_of = base;
            budget.stretch = -1;
            budget.budget = true;
            budget.where = at(item);
            budget.origin.clear();
            budget.stretch_ratio.reset();
            auto* ratio = item.find("ratio");
            auto* amount = item.find("amount");
            if ((ratio != nullptr) == (amount != nullptr)) {
                error(item,
                      fmt::format("budget \"{}\" needs either \"ratio\" (of {}) or \"amount\"", id->text,
                                  sales_metric.id),
                      "e.g. \"ratio\": \"3%\" or \"amount\": \"50万\"");
                continue;
            }
            if (ratio) {
                auto r = ratio_of(*ratio, "a budget ratio", false);
                if (!r) continue;
                budget.stretch_ratio = *r;
                budget.origin = fmt::format("{} × {}", sales_metric.id, ratio->text);
                budget.bottom_up = sales_metric.bottom_up;
                if (!sales_metric.bottom_up)
                    budget.total = round_to_quantum(Fraction(sales_metric.total) * Fraction::of(*r), budget.quantum);
            } else {
                budget.bottom_up = false;
                auto value = stated_amount(*amount, budget, "budget", budget.origin);
                if (!value) continue;
                budget.total = *value;
            }
            plan_.metrics.push_back(std::move(budget));
        }
    }

    // A rate metric: a held target ("30%") weighted by another metric's amounts.
    void read_rate_metric(const JsonValue& item, Metric& m, std::size_t index,
                          std::vector<std::pair<std::size_t, const JsonValue*>>& weighted_by) {
        if (!item.find("decimals")) m.decimals = 2;
        for (auto key : {"total", "quantum", "stretch"})
            if (auto* v = item.find(key))
                error(*v, fmt::format("a rate metric is held at every level, not split: it has no \"{}\"", key),
                      "give \"target\": \"30%\" and \"weighted_by\": a metric");
        if (auto* t = item.find("target")) {
            if (auto r = rate_of(*t)) m.rate_target = *r;
        } else {
            problems_.error(at(item), "a rate metric needs \"target\"", "e.g. \"target\": \"30%\"");
        }
        if (auto* w = field(item, "weighted_by", Kind::string, true)) weighted_by.emplace_back(index, w);
        m.money = false;
    }

    // "stretch": an amount, {"baseline", "growth"}, or a percentage of the commitment ("125%").
    void read_stretch(const JsonValue& v, std::size_t index) {
        Metric stretch = plan_.metrics[index];
        stretch.id = stretch.id + "_stretch";
        stretch.name = stretch.name.empty() ? std::string() : stretch.name + " (stretch)";
        stretch.stretch_of = static_cast<int>(index);
        stretch.where = at(v);
        stretch.origin.clear();
        if (plan_.metric_index(stretch.id) >= 0) {
            error(v, fmt::format("a metric \"{}\" already exists; the stretch version needs that id", stretch.id));
            return;
        }
        if (v.kind == Kind::string && !v.text.empty() && v.text.back() == '%') {
            auto r = ratio_of(v, "a stretch ratio", false);
            if (!r) return;
            if (*r < Decimal{1, 0}) error(v, "a stretch target below the commitment", "stretch is at least 100%");
            stretch.stretch_ratio = *r;
            stretch.origin = fmt::format("{} × {}", plan_.metrics[index].id, v.text);
            if (!plan_.metrics[index].bottom_up) {
                stretch.total =
                    round_to_quantum(Fraction(plan_.metrics[index].total) * Fraction::of(*r), stretch.quantum);
            }
        } else {
            stretch.bottom_up = false;
            auto value = stated_amount(v, stretch, "stretch", stretch.origin);
            if (!value) return;
            stretch.total = *value;
            if (!plan_.metrics[index].bottom_up && stretch.total < plan_.metrics[index].total)
                error(v, fmt::format("the stretch target {} is below the commitment {}", v.text,
                                     format_minor(plan_.metrics[index].total, stretch.decimals)));
        }
        plan_.metrics[index].stretch = static_cast<int>(plan_.metrics.size());
        plan_.metrics.push_back(std::move(stretch));
    }

    // An amount as stated: plain, or {"baseline": …, "growth": "20%"} (recorded in `origin`).
    std::optional<Minor> stated_amount(const JsonValue& v, const Metric& m, std::string_view what,
                                       std::string& origin) {
        if (v.kind != Kind::object) return amount(v, m, what);
        check_keys(v, {"baseline", "growth"});
        auto* b = v.find("baseline");
        auto* g = v.find("growth");
        if (!b || !g) {
            error(v, fmt::format("{} as an object needs \"baseline\" and \"growth\"", what),
                  "e.g. {\"baseline\": \"8333万\", \"growth\": \"20%\"}");
            return std::nullopt;
        }
        auto base = amount(*b, m, "baseline", false);
        auto growth = ratio_of(*g, "growth", true);
        if (!base || !growth) return std::nullopt;
        try {
            Minor result = grown_amount(*base, *growth, m.quantum);
            origin = fmt::format("baseline {} × (1 + {})", format_minor(*base, m.decimals), g->text);
            return result;
        } catch (const std::exception& e) {
            error(*g, fmt::format("growth {}: {}", g->text, e.what()));
            return std::nullopt;
        }
    }

    // "funnel": stages from leads to deliveries with the conversion rate into each, the stage the
    // target counts (or buys, with "order_value"), and lead sources with their shares and own rates.
    void read_funnel(const JsonValue& v) {
        check_keys(v, {"metric", "order_value", "target_stage", "stages", "sources", "note"});
        Funnel f;
        f.where = at(v);
        f.metric = -1;
        std::vector<std::string> metric_ids;
        for (std::size_t m = 0; m < plan_.metrics.size(); ++m)
            if (!plan_.metrics[m].rate && plan_.metrics[m].stretch_of < 0) {
                metric_ids.push_back(plan_.metrics[m].id);
                if (f.metric < 0) f.metric = static_cast<int>(m);
            }
        if (auto* m = field(v, "metric", Kind::string)) {
            int index = plan_.metric_index(m->text);
            if (index < 0 || plan_.metrics[static_cast<std::size_t>(index)].rate) {
                std::string guess = did_you_mean(m->text, metric_ids);
                error(*m, fmt::format("funnel metric \"{}\" is not a money or count metric of the plan", m->text),
                      guess.empty() ? "metrics: " + join(metric_ids) : fmt::format("did you mean \"{}\"?", guess));
                return;
            }
            f.metric = index;
        }
        if (f.metric < 0) {
            error(v, "a funnel needs a money or count metric to start from");
            return;
        }
        std::vector<std::string> ids;
        if (auto* stages = field(v, "stages", Kind::array, true)) {
            if (stages->items.size() < 2)
                error(*stages, "a funnel has at least two stages", "e.g. leads, then orders with the rate between");
            for (std::size_t i = 0; i < stages->items.size(); ++i) {
                const JsonValue& item = stages->items[i];
                FunnelStage stage;
                if (item.kind == Kind::string) {
                    stage.id = item.text;
                } else if (expect_kind(item, Kind::object, "a stage")) {
                    check_keys(item, {"id", "name", "rate", "note"});
                    if (auto* id = field(item, "id", Kind::string, true)) stage.id = id->text;
                    if (auto* name = field(item, "name", Kind::string)) stage.name = name->text;
                    if (auto* r = item.find("rate")) {
                        if (i == 0)
                            error(*r, "the first stage has no conversion rate (nothing comes before it)");
                        else if (auto rate = conversion_rate(*r))
                            stage.rate = *rate;
                    } else if (i > 0) {
                        error(item, fmt::format("stage \"{}\" needs a \"rate\": the share of \"{}\" that becomes it",
                                                stage.id, ids.empty() ? std::string("the stage before") : ids.back()));
                    }
                } else {
                    continue;
                }
                if (stage.id.empty()) continue;
                if (std::find(ids.begin(), ids.end(), stage.id) != ids.end())
                    error(item, fmt::format("stage \"{}\" appears twice", stage.id));
                if (item.kind == Kind::string && i > 0)
                    error(item, fmt::format("stage \"{}\" needs a \"rate\"", stage.id),
                          fmt::format("write {{\"id\": \"{}\", \"rate\": \"30%\"}}", stage.id));
                ids.push_back(stage.id);
                f.stages.push_back(std::move(stage));
                f.stage_where.push_back(at(item));
            }
        }
        auto stage_index = [&](const JsonValue& value) -> std::optional<std::size_t> {
            auto it = std::find(ids.begin(), ids.end(), value.text);
            if (it != ids.end()) return static_cast<std::size_t>(it - ids.begin());
            std::string guess = did_you_mean(value.text, ids);
            error(value, fmt::format("no stage \"{}\" in the funnel", value.text),
                  guess.empty() ? "stages: " + join(ids) : fmt::format("did you mean \"{}\"?", guess));
            return std::nullopt;
        };
        f.target_stage = f.stages.empty() ? 0 : f.stages.size() - 1;
        if (auto* t = field(v, "target_stage", Kind::string))
            if (auto index = stage_index(*t)) f.target_stage = *index;
        const Metric& metric = plan_.metrics[static_cast<std::size_t>(f.metric)];
        if (auto* o = v.find("order_value")) {
            auto value = number_of(*o);
            if (value && !(Decimal{0, 0} < *value))
                error(*o, fmt::format("\"order_value\" must be above 0 (got {})", o->text));
            else if (value)
                f.order_value = value;
        } else if (metric.money) {
            error(v,
                  fmt::format("metric \"{}\" is money: the funnel needs \"order_value\", the amount one {} brings",
                              metric.id, ids.empty() ? std::string("order") : ids[f.target_stage]),
                  "e.g. \"order_value\": \"15万\"");
        }
        if (auto* sources = field(v, "sources", Kind::array)) {
            Fraction total(0);
            for (const auto& item : sources->items) {
                if (!expect_kind(item, Kind::object, "a lead source")) continue;
                check_keys(item, {"id", "name", "share", "rates", "note"});
                LeadSource source;
                if (auto* id = field(item, "id", Kind::string, true)) source.id = id->text;
                if (auto* name = field(item, "name", Kind::string)) source.name = name->text;
                if (auto* share = item.find("share")) {
                    if (auto ratio = ratio_of(*share, "a source's share", false)) {
                        source.share = *ratio;
                        total = total + Fraction::of(*ratio);
                    }
                } else {
                    error(item, fmt::format("lead source \"{}\" needs a \"share\" of the {}", source.id,
                                            ids.empty() ? std::string("target") : ids[f.target_stage]));
                }
                if (auto* rates = field(item, "rates", Kind::object))
                    for (const auto& [stage, rate] : rates->members) {
                        JsonValue key = rate;
                        key.text = stage;
                        auto index = stage_index(key);
                        if (!index) continue;
                        if (*index == 0) {
                            error(rate, "the first stage has no conversion rate");
                            continue;
                        }
                        if (auto r = conversion_rate(rate)) source.rates.emplace_back(*index, *r);
                    }
                f.sources.push_back(std::move(source));
            }
            if (!f.sources.empty() && !(total == Fraction(1)))
                error(*sources,
                      fmt::format("the sources' shares add up to {}%, not 100%",
                                  trimmed(format_fraction_decimal(total * Fraction(100), 4))),
                      "they share the target stage's count among them");
        }
        plan_.funnel = std::move(f);
    }

    // "70.0000" → "70", "12.5000" → "12.5".
    static std::string trimmed(std::string number) {
        if (number.find('.') == std::string::npos) return number;
        while (number.back() == '0')
            number.pop_back();
        if (number.back() == '.') number.pop_back();
        return number;
    }

    // A conversion rate: above 0 (at 0 % no amount of leads is enough) and at most 100 %.
    std::optional<Decimal> conversion_rate(const JsonValue& v) {
        auto r = ratio_of(v, "a conversion rate", false);
        if (!r) return r;
        if (r->is_zero()) {
            error(v, "a conversion rate of 0% would need endless activity",
                  "leave the stage out, or give its real rate");
            return std::nullopt;
        }
        if (Decimal{1, 0} < *r) {
            error(v,
                  fmt::format("a conversion rate above 100% ({}): a stage cannot produce more than it takes", v.text),
                  "rates are the share of the stage before that becomes this one");
            return std::nullopt;
        }
        return r;
    }

    // "status": {"ahead": "105%", "on_track": "95%", "behind": "80%"} — pace thresholds, descending.
    void read_status(const JsonValue& v) {
        check_keys(v, {"ahead", "on_track", "behind", "note"});
        StatusThresholds& t = plan_.status;
        if (auto* a = v.find("ahead")) t.ahead = ratio_of(*a, "a threshold", false).value_or(t.ahead);
        if (auto* o = v.find("on_track")) t.on_track = ratio_of(*o, "a threshold", false).value_or(t.on_track);
        if (auto* b = v.find("behind")) t.behind = ratio_of(*b, "a threshold", false).value_or(t.behind);
        if (t.ahead < t.on_track || t.on_track < t.behind)
            error(v, "status thresholds must descend: ahead ≥ on_track ≥ behind");
    }

    // A rate target: a percentage with at most 4 decimals (rates are held in millionths), at most 1000 %.
    std::optional<Decimal> rate_of(const JsonValue& v) {
        auto r = ratio_of(v, "a rate target", false);
        if (!r) return r;
        Decimal d = *r;
        while (d.scale > 0 && d.mantissa % 10 == 0) {
            d.mantissa /= 10;
            --d.scale;
        }
        if (d.scale > 6 || Decimal{10, 0} < d) {
            error(v, fmt::format("rate {} is too precise or too large (at most 4 decimals of a percent, up to 1000%)",
                                 v.text));
            return std::nullopt;
        }
        return d;
    }

    // A percentage's number is plain digits: "2万%" or "1e2%" are typos, not percentages.
    static bool plain_number(std::string_view text) {
        return text.find_first_of("eE") == std::string_view::npos && text.find("万") == std::string_view::npos &&
               text.find("亿") == std::string_view::npos && text.find("千") == std::string_view::npos;
    }

    // How a field that means a percentage takes a number written without "%". Such a number can be
    // read as a ratio (0.2 = 20 %) or as a percentage that lost its sign (20 = 20 %), so it is
    // taken only where one reading is impossible: zero (the same either way), or for "allocate" a
    // multiplier from 1 to 2 (1.1 = 110 %; read as a percentage it would hand out less than the parent).
    enum class BareNumber { ambiguous, multiplier };

    // A percentage ("25%", "+20%", "-5%"), returned as a ratio. `signed_ok` allows negatives.
    std::optional<Decimal> ratio_of(const JsonValue& v, std::string_view what, bool signed_ok,
                                    BareNumber bare = BareNumber::ambiguous) {
        if (v.kind != Kind::string && v.kind != Kind::number) {
            error(v, fmt::format("{} is a percentage such as \"25%\", got {}", what, describe_kind(v.kind)));
            return std::nullopt;
        }
        std::string text = v.text;
        bool percent = v.kind == Kind::string && !text.empty() && text.back() == '%';
        if (percent) text.pop_back();
        ParseProblem problem;
        auto d = plain_number(text) ? parse_decimal(text, &problem) : std::nullopt;
        if (!d || d->scale > 8 || d->mantissa > pow10_wide(15) || d->mantissa < -pow10_wide(15)) {
            error(v, fmt::format("not {}: \"{}\"", what, v.text), "a percentage is plain digits and a percent sign");
            return std::nullopt;
        }
        if (!signed_ok && d->is_negative()) {
            error(v, fmt::format("{} must be >= 0 (got {})", what, v.text));
            return std::nullopt;
        }
        if (percent) {
            d->scale += 2;
            return d;
        }
        bool multiplier = bare == BareNumber::multiplier && !(*d < Decimal{1, 0}) && !(Decimal{2, 0} < *d);
        if (d->is_zero() || multiplier) return d;
        Decimal as_ratio = *d;  // 0.2 read as a ratio is 20 %
        as_ratio.scale -= 2;
        if (as_ratio.scale < 0) {
            as_ratio.mantissa *= pow10_wide(-as_ratio.scale);
            as_ratio.scale = 0;
        }
        std::string as_percent = format_decimal(*d), ratio_percent = format_decimal(as_ratio);
        error(v,
              fmt::format("{} {} can be read two ways: as a percentage ({}%) or as a ratio ({}%)", what, v.text,
                          as_percent, ratio_percent),
              fmt::format("write the one you mean with a percent sign: \"{}%\" or \"{}%\"", as_percent, ratio_percent));
        return std::nullopt;
    }

    // An amount of metric `m` in minor units; errors name the metric's precision and quantum.
    std::optional<Minor> amount(const JsonValue& v, const Metric& m, std::string_view what, bool check_quantum = true) {
        auto d = number_of(v);
        if (!d) return std::nullopt;
        if (d->is_negative()) {
            error(v, fmt::format("{} must be >= 0 (got {})", what, v.text));
            return std::nullopt;
        }
        auto minor = to_minor(*d, m.decimals);
        if (!minor) {
            auto wide = d->scaled_to(d->scale);
            if (d->scale > m.decimals && wide)
                error(v,
                      fmt::format("{} {} has more decimals than metric \"{}\" allows ({})", what, v.text, m.id,
                                  m.decimals),
                      "round it yourself or raise the metric's \"decimals\"");
            else
                error(v, fmt::format("{} {} is too large (overflows 64-bit minor units)", what, v.text));
            return std::nullopt;
        }
        if (check_quantum && m.quantum > 1 && *minor % m.quantum != 0) {
            error(v,
                  fmt::format("{} {} is not a multiple of metric \"{}\"'s quantum {}", what, v.text, m.id,
                              format_minor(m.quantum, m.decimals)),
                  "amounts are split in whole quanta; use a multiple or a smaller quantum");
            return std::nullopt;
        }
        return minor;
    }

    // ---------------------------------------------------------------- shares
    Share weight_share(const JsonValue& v) {
        Share s;
        s.where = at(v);
        std::string text = v.text;
        bool percent = false;
        if (v.kind == Kind::string && !text.empty() && text.back() == '%') {
            percent = true;
            text.pop_back();
        }
        if (v.kind != Kind::number && v.kind != Kind::string) {
            error(v, fmt::format("a weight is a number or a percentage string such as \"25%\", got {}",
                                 describe_kind(v.kind)));
            return s;
        }
        ParseProblem problem;
        auto d = parse_decimal(text, &problem);
        if (d && percent && !plain_number(text)) {
            d.reset();
            problem.message = "a percentage is plain digits";
        }
        if (!d) {
            error(v, fmt::format("not a weight: \"{}\" ({})", v.text, problem.message),
                  "write a ratio such as 3 or 1.5, or a percentage such as \"25%\"");
            return s;
        }
        if (d->is_negative()) {
            error(v, fmt::format("weight must be >= 0 (got {})", v.text));
            return s;
        }
        if (d->mantissa >= pow10_wide(kMaxWeightDigits) || d->scale > 9) {
            error(v, fmt::format("weight {} is too large or too precise (at most 18 digits, 9 decimals)", v.text));
            return s;
        }
        if (percent && Decimal{100, 0} < *d) {
            error(v, fmt::format("a percentage above 100 (got {})", v.text),
                  "to hand out more than the parent, set \"allocate\" on the split step");
            return s;
        }
        s.kind = percent ? Share::Kind::percent : Share::Kind::ratio;
        s.value = *d;
        s.bare = !percent;
        return s;
    }

    // A hold: a scalar amount (plans with one metric) or {"metric": amount, …}.
    Share hold_share(const JsonValue& v) {
        Share s;
        s.kind = Share::Kind::amount;
        s.where = at(v);
        s.amounts.assign(plan_.metrics.size(), std::nullopt);
        if (v.kind == Kind::object) {
            for (const auto& [key, value] : v.members) {
                int m = plan_.metric_index(key);
                if (m < 0) {
                    std::vector<std::string> ids = plan_.metric_ids();
                    std::string guess = did_you_mean(key, ids);
                    error(value, fmt::format("unknown metric \"{}\"", key),
                          guess.empty() ? "metrics: " + join(ids) : fmt::format("did you mean \"{}\"?", guess));
                    continue;
                }
                s.amounts[static_cast<std::size_t>(m)] =
                    amount(value, plan_.metrics[static_cast<std::size_t>(m)], "amount");
            }
            return s;
        }
        int only = -1, primaries = 0;
        for (std::size_t m = 0; m < plan_.metrics.size(); ++m)
            if (!plan_.metrics[m].rate && plan_.metrics[m].stretch_of < 0) {
                only = static_cast<int>(m);
                ++primaries;
            }
        if (primaries != 1) {
            error(v, "this plan has several metrics: say which one the amount is for",
                  "write {\"revenue\": \"150万\"}");
            return s;
        }
        s.amounts[static_cast<std::size_t>(only)] = amount(v, plan_.metrics[static_cast<std::size_t>(only)], "amount");
        return s;
    }

    // A value in a "weights" map or list: a weight, or {"amount": …} for a hold.
    Share keyed_share(const JsonValue& v) {
        if (v.kind == Kind::object) {
            check_keys(v, {"amount"});
            if (auto* a = v.find("amount")) return hold_share(*a);
            error(v, "expected a weight, a percentage or {\"amount\": …}");
            return {};
        }
        return weight_share(v);
    }

    // ---------------------------------------------------------------- dimensions
    void read_dimensions(const JsonValue& root) {
        auto* list = field(root, "dimensions", Kind::array);
        if (!list) return;
        for (const auto& item : list->items) {
            if (!expect_kind(item, Kind::object, "a dimension")) continue;
            check_keys(item, {"id", "name", "levels", "members", "members_from"});
            Dimension dim;
            dim.where = at(item);
            auto* id = field(item, "id", Kind::string, true);
            if (!id) continue;
            dim.id = id->text;
            if (auto* levels = field(item, "levels", Kind::array)) {
                for (const auto& l : levels->items)
                    if (expect_kind(l, Kind::string, "a level name")) dim.levels.push_back(l.text);
                if (dim.levels.empty()) error(*levels, "a dimension needs at least one level");
            } else {
                dim.levels.push_back(dim.id);
            }
            for (const auto& level : dim.levels) {
                if (level_names_.count(level) || parse_time_level(level))
                    error(item, fmt::format("level name \"{}\" is used twice (or is a time level)", level));
                level_names_.insert(level);
            }
            dim.members.resize(dim.levels.size());
            member_index_.resize(plan_.dimensions.size() + 1);
            member_index_.back().resize(dim.levels.size());
            auto* members = item.find("members");
            auto* from = item.find("members_from");
            if (members && from) error(*from, "give either \"members\" or \"members_from\", not both");
            if (members && expect_kind(*members, Kind::array, "the members"))
                read_members(*members, dim, 0, -1);
            else if (from)
                read_members_from(*from, dim);
            else if (!members)
                problems_.error(at(item), fmt::format("dimension \"{}\" has no members", dim.id),
                                "add \"members\": [...] or \"members_from\": {\"file\": ...}");
            plan_.dimensions.push_back(std::move(dim));
        }
    }

    void add_member_id(Dimension& dim, int depth, const std::string& id, const JsonValue& where) {
        auto& index = member_index_[plan_.dimensions.size()][static_cast<std::size_t>(depth)];
        int position = static_cast<int>(dim.members[static_cast<std::size_t>(depth)].size()) - 1;
        if (!index.emplace(id, position).second)
            error(where,
                  fmt::format("duplicate member id \"{}\" at level \"{}\"", id,
                              dim.levels[static_cast<std::size_t>(depth)]),
                  "member ids must be unique within a level; use \"name\" for display names");
    }

    void read_members(const JsonValue& list, Dimension& dim, int depth, int parent) {
        if (depth >= static_cast<int>(dim.levels.size())) {
            error(list,
                  fmt::format("dimension \"{}\" has {} level(s) but members nest deeper", dim.id, dim.levels.size()),
                  "name every level in \"levels\", e.g. [\"region\", \"rep\"]");
            return;
        }
        if (list.items.empty()) error(list, "an empty member list");
        auto& level = dim.members[static_cast<std::size_t>(depth)];
        for (const auto& item : list.items) {
            Member m;
            m.parent = parent;
            m.where = at(item);
            const JsonValue* children = nullptr;
            if (item.kind == Kind::string) {
                m.id = item.text;
            } else if (expect_kind(item, Kind::object, "a member (an object or an id string)")) {
                check_keys(item, {"id", "name", "weight", "amount", "baseline", "growth", "capacity", "start", "end",
                                  "ramp", "rates", "customers", "members", "note"});
                auto* id = field(item, "id", Kind::string, true);
                if (!id) continue;
                m.id = id->text;
                if (auto* n = field(item, "name", Kind::string)) m.name = n->text;
                auto* w = item.find("weight");
                auto* a = item.find("amount");
                auto* b = item.find("baseline");
                if ((w != nullptr) + (a != nullptr) + (b != nullptr) > 1)
                    error(b ? *b : *a, "give one of \"weight\", \"amount\" or \"baseline\"");
                else if (w)
                    m.share = weight_share(*w);
                else if (a)
                    m.share = hold_share(*a);
                else if (b) {
                    m.share = hold_share(*b);
                    m.baseline = true;
                }
                if (auto* g = item.find("growth")) {
                    if (w || a) error(*g, "\"growth\" applies to a \"baseline\", not to a weight or an amount");
                    m.growth = ratio_of(*g, "growth", true);
                    m.baseline = true;  // a baseline from the level's baseline file
                }
                read_member_extras(item, m);
                if (auto* c = item.find("customers")) read_customers(*c, m, dim, depth);
                children = item.find("members");
                if (children && !expect_kind(*children, Kind::array, "the members")) children = nullptr;
            } else {
                continue;
            }
            if (m.id.empty()) {
                error(item, "a member id cannot be empty");
                continue;
            }
            if (m.share.kind == Share::Kind::ratio && m.share.value.is_zero())
                warning(item, fmt::format("member \"{}\" has zero weight and gets nothing", m.id),
                        "unless all its siblings weigh zero and the split step says \"if_all_zero\": \"equal\"");
            level.push_back(m);
            int self = static_cast<int>(level.size()) - 1;
            add_member_id(dim, depth, m.id, item);
            if (parent >= 0)
                dim.members[static_cast<std::size_t>(depth - 1)][static_cast<std::size_t>(parent)].children.push_back(
                    self);
            if (children) {
                read_members(*children, dim, depth + 1, self);
            } else if (depth + 1 < static_cast<int>(dim.levels.size())) {
                error(item,
                      fmt::format("member \"{}\" has no members at level \"{}\"", m.id,
                                  dim.levels[static_cast<std::size_t>(depth + 1)]),
                      "every member above the last level needs \"members\"");
            }
        }
    }

    // "visits": {"tiers": [{"id": "vip", "name": "VIP", "every": "month"}, …]}. Read before the
    // dimensions, so that members' "customers" can be checked against the tiers as they come.
    void read_visits(const JsonValue& v) {
        check_keys(v, {"tiers", "note"});
        VisitPlan visits;
        visits.where = at(v);
        if (auto* tiers = field(v, "tiers", Kind::array, true)) {
            if (tiers->items.empty()) error(*tiers, "a visit plan needs at least one customer tier");
            for (const auto& item : tiers->items) {
                if (!expect_kind(item, Kind::object, "a customer tier")) continue;
                check_keys(item, {"id", "name", "every", "per_month", "note"});
                CustomerTier tier;
                tier.where = at(item);
                auto* id = field(item, "id", Kind::string, true);
                if (!id) continue;
                tier.id = id->text;
                if (auto* n = field(item, "name", Kind::string)) tier.name = n->text;
                for (const auto& other : visits.tiers)
                    if (other.id == tier.id) error(*id, fmt::format("tier \"{}\" appears twice", tier.id));
                auto* every = item.find("every");
                auto* per_month = item.find("per_month");
                if (every && per_month) {
                    error(*per_month, "give \"every\" or \"per_month\", not both");
                } else if (every) {
                    if (auto months = visit_interval(*every)) tier.every_months = *months;
                } else if (per_month) {
                    auto n = whole_number(*per_month);
                    if (!n || *n < 1 || *n > 31)
                        error(*per_month, fmt::format("\"per_month\" is a whole number of visits from 1 to 31 (got {})",
                                                      per_month->text));
                    else
                        tier.per_month = static_cast<int>(*n);
                } else {
                    error(item, fmt::format("tier \"{}\" needs how often its customers are visited", tier.id),
                          "\"every\": \"month\" (or \"2 months\", \"quarter\", \"year\"), or \"per_month\": 2");
                }
                visits.tiers.push_back(std::move(tier));
            }
        }
        plan_.visits = std::move(visits);
    }

    // "month", "quarter", "half year", "year" or "N months" (1 to 12): months between visits.
    std::optional<int> visit_interval(const JsonValue& v) {
        static const std::vector<std::pair<std::string, int>> named{
            {"month", 1}, {"quarter", 3}, {"half year", 6}, {"year", 12}};
        if (v.kind == Kind::string) {
            for (const auto& [word, months] : named)
                if (v.text == word) return months;
            for (int n = 1; n <= 12; ++n)
                if (v.text == fmt::format("{} months", n) || v.text == fmt::format("{} month", n)) return n;
        }
        error(v,
              fmt::format("\"every\" is \"month\", \"quarter\", \"half year\", \"year\" or \"N months\" (got {})",
                          v.kind == Kind::string ? "\"" + v.text + "\"" : describe_kind(v.kind)),
              "e.g. \"every\": \"2 months\" for tier 1 customers seen every other month");
        return std::nullopt;
    }

    // A member's "customers": {"vip": 5, "tier1": 12}, one count per tier of the visit plan.
    void read_customers(const JsonValue& v, Member& m, const Dimension& dim, int depth) {
        if (!expect_kind(v, Kind::object, "customer counts per tier, e.g. {\"vip\": 5}")) return;
        // Customers sit with the deepest level, so every level's visits are the sum of its members'.
        if (depth + 1 != static_cast<int>(dim.levels.size())) {
            error(v,
                  fmt::format("customers belong to members of \"{}\", the deepest level of \"{}\"; \"{}\" is a {}",
                              dim.levels.back(), dim.id, m.id, dim.levels[static_cast<std::size_t>(depth)]),
                  "give them to the members below it (an account team of its own can be a member too)");
            return;
        }
        if (!claim_visit_dimension(v)) return;
        m.customers.assign(plan_.visits->tiers.size(), 0);
        for (const auto& [key, value] : v.members) {
            auto tier = customer_tier(key, value, fmt::format(" (member \"{}\")", m.id));
            if (!tier) continue;
            auto n = whole_number(value);
            if (!n || *n < 0 || *n > kMaxCustomers) {
                error(value, fmt::format("a customer count is a whole number from 0 to {} (got {})", kMaxCustomers,
                                         value.text));
                continue;
            }
            m.customers[*tier] = *n;
        }
    }

    static constexpr std::int64_t kMaxCustomers = 1000000;

    // The dimension being read holds the customers: there must be tiers, and no other dimension
    // may hold customers already.
    bool claim_visit_dimension(const JsonValue& at_value) {
        if (!plan_.visits) {
            error(at_value, "\"customers\" needs the plan's customer tiers",
                  "declare them: \"visits\": {\"tiers\": [{\"id\": \"vip\", \"every\": \"month\"}]}");
            return false;
        }
        VisitPlan& visits = *plan_.visits;
        int self = static_cast<int>(plan_.dimensions.size());  // the dimension being read
        if (visits.dimension >= 0 && visits.dimension != self) {
            const std::string& holder = plan_.dimensions[static_cast<std::size_t>(visits.dimension)].id;
            error(at_value,
                  fmt::format("customers are already counted in dimension \"{}\"; one dimension holds them", holder),
                  fmt::format("move these to the members of \"{}\"", holder));
            return false;
        }
        visits.dimension = self;
        return true;
    }

    // The tier called `key` (reported at the key of `value`, with "did you mean"), or nullopt.
    std::optional<std::size_t> customer_tier(const std::string& key, const JsonValue& value, const std::string& whose) {
        const auto& tiers = plan_.visits->tiers;
        for (std::size_t t = 0; t < tiers.size(); ++t)
            if (tiers[t].id == key) return t;
        std::vector<std::string> ids;
        for (const auto& t : tiers)
            ids.push_back(t.id);
        std::string guess = did_you_mean(key, ids);
        problems_.error(doc_.locate_key(value), fmt::format("no customer tier \"{}\"{}", key, whose),
                        guess.empty() ? "tiers: " + join(ids) : fmt::format("did you mean \"{}\"?", guess));
        return std::nullopt;
    }

    // Capacity, active dates, ramp and rate targets of one member.
    void read_member_extras(const JsonValue& item, Member& m) {
        if (auto* c = item.find("capacity")) {
            if (expect_kind(*c, Kind::object, "a capacity {\"headcount\", \"rate\"}")) {
                check_keys(*c, {"headcount", "rate"});
                Capacity cap;
                cap.where = at(*c);
                if (auto* h = c->find("headcount")) {
                    auto d = number_of(*h);
                    if (d && (d->is_negative() || d->scale > 4 || d->mantissa > pow10_wide(12)))
                        error(*h, fmt::format("headcount must be >= 0, with at most 4 decimals (got {})", h->text));
                    else if (d)
                        cap.headcount = *d;
                } else {
                    error(*c, "missing \"headcount\"", "e.g. {\"headcount\": 4, \"rate\": \"8万\"}");
                }
                if (auto* r = c->find("rate")) {
                    Share rate = hold_share(*r);
                    cap.rate = rate.amounts;
                } else {
                    error(*c, "missing \"rate\" (per head and month)", "e.g. {\"headcount\": 4, \"rate\": \"8万\"}");
                }
                m.capacity = std::move(cap);
            }
        }
        if (auto* v = item.find("start")) m.availability.start = date_of(*v);
        if (auto* v = item.find("end")) m.availability.end = date_of(*v);
        if (m.availability.start && m.availability.end && *m.availability.end < *m.availability.start)
            error(*item.find("end"), "the member ends before it starts");
        if (auto* r = item.find("ramp")) {
            m.availability.ramp = read_ramp(*r);
            m.own_ramp = true;
        }
        if (auto* r = field(item, "rates", Kind::object)) {
            m.rates.assign(plan_.metrics.size(), std::nullopt);
            for (const auto& [key, value] : r->members) {
                int k = plan_.metric_index(key);
                if (k < 0 || !plan_.metrics[static_cast<std::size_t>(k)].rate) {
                    std::vector<std::string> ids;
                    for (const auto& metric : plan_.metrics)
                        if (metric.rate) ids.push_back(metric.id);
                    std::string guess = did_you_mean(key, ids);
                    error(value, fmt::format("\"{}\" is not a rate metric", key),
                          guess.empty()
                              ? (ids.empty() ? std::string("the plan has no rate metrics") : "rates: " + join(ids))
                              : fmt::format("did you mean \"{}\"?", guess));
                    continue;
                }
                m.rates[static_cast<std::size_t>(k)] = rate_of(value);
            }
        }
    }

    // A ramp schedule: the share of full quota in tenure months 1, 2, … ("25%", "50%", "75%").
    std::vector<Decimal> read_ramp(const JsonValue& v) {
        std::vector<Decimal> out;
        if (!expect_kind(v, Kind::array, "a ramp schedule such as [\"25%\", \"50%\", \"75%\"]")) return out;
        if (v.items.size() > 36) error(v, "a ramp longer than 36 months");
        for (const auto& item : v.items) {
            auto r = ratio_of(item, "a ramp step", false);
            if (r && Decimal{1, 0} < *r) error(item, fmt::format("a ramp step above 100% (got {})", item.text));
            out.push_back(r.value_or(Decimal{1, 0}));
        }
        return out;
    }

    void read_members_from(const JsonValue& from, Dimension& dim) {
        if (!expect_kind(from, Kind::object, "members_from")) return;
        check_keys(from, {"file", "columns", "weight", "start", "end", "customers"});
        auto* file = field(from, "file", Kind::string, true);
        auto* columns = field(from, "columns", Kind::array, true);
        auto* weight = field(from, "weight", Kind::string);
        if (!file || !columns) return;
        std::vector<std::string> names;
        for (const auto& c : columns->items)
            if (expect_kind(c, Kind::string, "a column name")) names.push_back(c.text);
        if (names.size() != dim.levels.size()) {
            error(*columns,
                  fmt::format("{} column(s) for {} level(s) ({})", names.size(), dim.levels.size(), join(dim.levels)),
                  "name one column per level, top level first");
            return;
        }
        auto table = read_csv_at(*file);
        if (!table) return;
        std::vector<int> key_columns;
        for (std::size_t i = 0; i < names.size(); ++i) {
            int c = table->column(names[i]);
            if (c < 0) {
                missing_column(columns->items[i], *table, names[i]);
                return;
            }
            key_columns.push_back(c);
        }
        int weight_column = -1;
        if (weight) {
            weight_column = table->column(weight->text);
            if (weight_column < 0) {
                missing_column(*weight, *table, weight->text);
                return;
            }
        }
        // Optional active dates of the last level's members (a rep joining on 1 September).
        int date_columns[2] = {-1, -1};
        const char* date_keys[2] = {"start", "end"};
        for (int k = 0; k < 2; ++k)
            if (auto* c = field(from, date_keys[k], Kind::string)) {
                date_columns[k] = table->column(c->text);
                if (date_columns[k] < 0) {
                    missing_column(*c, *table, c->text);
                    return;
                }
            }
        // Optional customer counts of the last level's members: tier id → column.
        std::vector<std::pair<std::size_t, int>> customer_columns;
        if (auto* c = field(from, "customers", Kind::object)) {
            if (!claim_visit_dimension(*c)) return;
            for (const auto& [key, value] : c->members) {
                auto tier = customer_tier(key, value, "");
                if (!tier || !expect_kind(value, Kind::string, "the column holding the tier's customer counts"))
                    continue;
                int column = table->column(value.text);
                if (column < 0) {
                    missing_column(value, *table, value.text);
                    return;
                }
                customer_columns.emplace_back(*tier, column);
            }
        }
        auto& index = member_index_[plan_.dimensions.size()];
        std::vector<std::vector<Decimal>> sums(dim.levels.size());
        std::vector<std::vector<int>> first_line(dim.levels.size());
        int zero_weights = 0;
        std::string first_zero;
        for (std::size_t r = 0; r < table->rows.size(); ++r) {
            const auto& row = table->rows[r];
            int line = table->lines[r];
            SourceLocation where{table->file, line, 0, ""};
            std::optional<Decimal> w;
            if (weight_column >= 0) {
                ParseProblem problem;
                const std::string& cell = row[static_cast<std::size_t>(weight_column)];
                w = parse_decimal(cell, &problem);
                if (!w) {
                    problems_.error(where, fmt::format("column \"{}\": not a number \"{}\" ({})", weight->text, cell,
                                                       problem.message));
                    continue;
                }
                if (w->is_negative()) {
                    problems_.error(where,
                                    fmt::format("column \"{}\": weight must be >= 0 (got {})", weight->text, cell));
                    continue;
                }
                if (w->mantissa >= pow10_wide(kMaxWeightDigits) || w->scale > 9) {
                    problems_.error(
                        where, fmt::format("column \"{}\": weight {} is too large or too precise", weight->text, cell));
                    continue;
                }
                if (w->is_zero() && zero_weights++ == 0) first_zero = row[static_cast<std::size_t>(key_columns.back())];
            }
            int parent = -1;
            bool bad = false;
            for (std::size_t depth = 0; depth < key_columns.size() && !bad; ++depth) {
                const std::string& id = row[static_cast<std::size_t>(key_columns[depth])];
                if (id.empty()) {
                    problems_.error(where, fmt::format("column \"{}\" is empty", names[depth]));
                    bad = true;
                    break;
                }
                auto& level = dim.members[depth];
                auto found = index[depth].find(id);
                bool leaf = depth + 1 == key_columns.size();
                if (found != index[depth].end()) {
                    const Member& existing = level[static_cast<std::size_t>(found->second)];
                    if (existing.parent != parent) {
                        problems_.error(where,
                                        fmt::format("\"{}\" appears under two different parents (first on line {})", id,
                                                    first_line[depth][static_cast<std::size_t>(found->second)]),
                                        "member ids must be unique within a level");
                        bad = true;
                        break;
                    }
                    if (leaf) {
                        problems_.error(where, fmt::format("duplicate member id \"{}\" (first on line {})", id,
                                                           first_line[depth][static_cast<std::size_t>(found->second)]));
                        bad = true;
                        break;
                    }
                    parent = found->second;
                } else {
                    Member m;
                    m.id = id;
                    m.parent = parent;
                    m.where = where;
                    for (int k = 0; leaf && k < 2; ++k) {
                        if (date_columns[k] < 0) continue;
                        const std::string& cell = row[static_cast<std::size_t>(date_columns[k])];
                        if (cell.empty()) continue;  // active from the period's start / to its end
                        auto d = parse_date(cell);
                        if (!d)
                            problems_.error(where,
                                            fmt::format("column \"{}\": not a date \"{}\"",
                                                        table->header[static_cast<std::size_t>(date_columns[k])], cell),
                                            "write dates as YYYY-MM-DD, or leave the cell empty");
                        (k == 0 ? m.availability.start : m.availability.end) = d;
                    }
                    if (m.availability.start && m.availability.end && *m.availability.end < *m.availability.start)
                        problems_.error(where, fmt::format("\"{}\" ends before it starts", id));
                    if (leaf && !customer_columns.empty()) m.customers.assign(plan_.visits->tiers.size(), 0);
                    for (auto [tier, column] : leaf ? customer_columns : decltype(customer_columns){}) {
                        const std::string& cell = row[static_cast<std::size_t>(column)];
                        if (cell.empty()) continue;  // no customers of that tier
                        auto n = parse_decimal(cell);
                        auto whole = n ? n->scaled_to(0) : std::nullopt;
                        if (!whole || *whole < 0 || *whole > kMaxCustomers)
                            problems_.error(where, fmt::format("column \"{}\": a customer count is a whole number "
                                                               "from 0 to {} (got \"{}\")",
                                                               table->header[static_cast<std::size_t>(column)],
                                                               kMaxCustomers, cell));
                        else
                            m.customers[tier] = *whole;
                    }
                    level.push_back(std::move(m));
                    int self = static_cast<int>(level.size()) - 1;
                    index[depth].emplace(id, self);
                    sums[depth].push_back(Decimal{});
                    first_line[depth].push_back(line);
                    if (parent >= 0) dim.members[depth - 1][static_cast<std::size_t>(parent)].children.push_back(self);
                    parent = self;
                }
                if (w) {
                    Decimal& sum = sums[depth][static_cast<std::size_t>(parent)];
                    int scale = std::max(sum.scale, w->scale);
                    sum = Decimal{
                        sum.mantissa * pow10_wide(scale - sum.scale) + w->mantissa * pow10_wide(scale - w->scale),
                        scale};
                }
            }
        }
        if (zero_weights > 0)
            warning(from,
                    fmt::format("{} member(s) of \"{}\" have zero weight and get nothing (first: \"{}\")", zero_weights,
                                dim.id, first_zero),
                    "unless an override, a keyed weight or \"if_all_zero\" gives them a share");
        if (weight_column < 0) return;
        for (std::size_t depth = 0; depth < dim.members.size(); ++depth) {
            for (std::size_t i = 0; i < dim.members[depth].size(); ++i) {
                Member& m = dim.members[depth][i];
                m.share.kind = Share::Kind::ratio;
                m.share.value = sums[depth][i];
                m.share.where = m.where;
                if (m.share.value.mantissa >= pow10_wide(kMaxWeightDigits))
                    problems_.error(m.where, fmt::format("the weights under \"{}\" add up to more than 10^18", m.id));
            }
        }
        if (dim.members[0].empty()) error(from, fmt::format("{} has no rows", file->text));
    }

    std::optional<CsvTable> read_csv_at(const JsonValue& file) {
        try {
            files_->push_back(resolve(file.text).string());
            return read_csv_file(files_->back(), limits_);
        } catch (const Error& e) {
            for (auto d : e.diagnostics()) {
                if (d.where.line == 0) {
                    d.message = fmt::format("{}: {}", d.where.file, d.message);
                    d.where = at(file);
                }
                problems_.add(std::move(d));
            }
            return std::nullopt;
        }
    }

    // A CSV file with a key column and a value column, both named in the plan; nullopt (reported)
    // when the file or a column is missing.
    std::optional<CsvTable> read_keyed_csv(const JsonValue& file, const JsonValue& key, const JsonValue& column,
                                           int& key_index, int& column_index) {
        auto table = read_csv_at(file);
        if (!table) return std::nullopt;
        key_index = table->column(key.text);
        column_index = table->column(column.text);
        if (key_index < 0) missing_column(key, *table, key.text);
        if (column_index < 0) missing_column(column, *table, column.text);
        if (key_index < 0 || column_index < 0) return std::nullopt;
        return table;
    }

    void missing_column(const JsonValue& v, const CsvTable& table, const std::string& name) {
        std::string guess = did_you_mean(name, table.header);
        error(v, fmt::format("{} has no column \"{}\"", table.file, name),
              guess.empty() ? "columns: " + join(table.header) : fmt::format("did you mean \"{}\"?", guess));
    }

    // ---------------------------------------------------------------- split steps
    // Where a level name points: a dimension level or a time level.
    bool locate_level(const std::string& name, Step& step) {
        for (std::size_t d = 0; d < plan_.dimensions.size(); ++d) {
            const auto& levels = plan_.dimensions[d].levels;
            for (std::size_t k = 0; k < levels.size(); ++k) {
                if (levels[k] == name) {
                    step.kind = Step::Kind::dimension;
                    step.dimension = static_cast<int>(d);
                    step.depth = static_cast<int>(k);
                    return true;
                }
            }
        }
        if (auto t = parse_time_level(name)) {
            step.kind = Step::Kind::time;
            step.time = *t;
            return true;
        }
        return false;
    }

    std::vector<std::string> all_level_names() const {
        std::vector<std::string> names;
        for (const auto& d : plan_.dimensions)
            names.insert(names.end(), d.levels.begin(), d.levels.end());
        for (auto t :
             {TimeLevel::year, TimeLevel::half, TimeLevel::quarter, TimeLevel::month, TimeLevel::week, TimeLevel::day})
            names.emplace_back(time_level_name(t));
        return names;
    }

    void read_split(const JsonValue& root) {
        auto* list = field(root, "split", Kind::array, true);
        if (!list) return;
        std::set<std::string> used;
        int last_time = -1;
        std::vector<int> next_depth(plan_.dimensions.size(), 0);
        for (const auto& item : list->items) {
            if (!expect_kind(item, Kind::object, "a split step")) continue;
            check_keys(item, {"level",     "by",        "weights",     "pattern", "closed_on_holidays", "file", "key",
                              "column",    "normalize", "if_all_zero", "rest",    "allocate",           "band", "ramp",
                              "ramp_rest", "reconcile", "baseline",    "growth",  "overrides",          "note"});
            auto* level = field(item, "level", Kind::string, true);
            if (!level) continue;
            Step step;
            step.level = level->text;
            step.where = at(item);
            if (!locate_level(step.level, step)) {
                std::string guess = did_you_mean(step.level, all_level_names());
                error(
                    *level, fmt::format("unknown level \"{}\"", step.level),
                    guess.empty() ? "levels: " + join(all_level_names()) : fmt::format("did you mean \"{}\"?", guess));
                continue;
            }
            if (!used.insert(step.level).second) {
                error(*level, fmt::format("level \"{}\" appears twice in the split", step.level));
                continue;
            }
            if (step.kind == Step::Kind::time) {
                int t = static_cast<int>(step.time);
                if (t < last_time)
                    error(*level, fmt::format("time level \"{}\" comes after a finer one", step.level),
                          "order time levels year, half, quarter, month, week, day");
                last_time = std::max(last_time, t);
            } else {
                auto d = static_cast<std::size_t>(step.dimension);
                if (step.depth != next_depth[d])
                    error(*level,
                          fmt::format("level \"{}\" comes before \"{}\" in the split", step.level,
                                      plan_.dimensions[d].levels[static_cast<std::size_t>(next_depth[d])]),
                          "split a dimension's levels from the top down");
                next_depth[d] = step.depth + 1;
            }
            read_step_options(item, step);
            plan_.steps.push_back(std::move(step));
        }
        for (std::size_t d = 0; d < plan_.dimensions.size(); ++d) {
            const auto& dim = plan_.dimensions[d];
            for (std::size_t k = static_cast<std::size_t>(next_depth[d]); k < dim.levels.size(); ++k)
                error(*list, fmt::format("level \"{}\" of dimension \"{}\" is not in the split", dim.levels[k], dim.id),
                      fmt::format("add {{\"level\": \"{}\"}} where it should be split", dim.levels[k]));
        }
        if (plan_.steps.empty() && !list->items.empty()) return;
        if (list->items.empty())
            error(*list, "the split has no steps", "add e.g. {\"level\": \"month\", \"by\": \"equal\"}");
    }

    void read_step_options(const JsonValue& item, Step& step) {
        bool is_time = step.kind == Step::Kind::time;
        if (auto* by = field(item, "by", Kind::string)) {
            auto found = std::find(std::begin(kBasisNames), std::end(kBasisNames), by->text);
            if (found == std::end(kBasisNames)) {
                std::vector<std::string> names(std::begin(kBasisNames), std::end(kBasisNames));
                std::string guess = did_you_mean(by->text, names);
                error(*by, fmt::format("unknown rule \"{}\"", by->text),
                      guess.empty() ? "rules: " + join(names) : fmt::format("did you mean \"{}\"?", guess));
            } else {
                step.basis = static_cast<Basis>(found - std::begin(kBasisNames));
                bool time_only = step.basis == Basis::working_days || step.basis == Basis::calendar_days ||
                                 step.basis == Basis::weekday_pattern;
                if (time_only && !is_time)
                    error(*by,
                          fmt::format("\"{}\" weights periods; level \"{}\" is a dimension", by->text, step.level));
            }
        } else if (is_time && !item.find("weights")) {
            problems_.error(at(item), fmt::format("time level \"{}\" needs a rule", step.level),
                            "add \"by\": \"equal\" | \"working_days\" | \"days\" | \"weekday_pattern\" | \"history\", "
                            "or \"weights\"");
        }
        if (auto* w = item.find("weights")) {
            if (w->kind == Kind::array) {
                if (!is_time) error(*w, "a dimension level takes weights by member id: {\"华东\": \"30%\", …}");
                for (const auto& v : w->items)
                    step.positional.push_back(keyed_share(v));
            } else if (expect_kind(*w, Kind::object, "weights by member id or period")) {
                step.keyed = keyed_map(*w, step);
                // Beside a rule only amounts can be keyed: a weight of 3 or "40%" has no common
                // measure with working days or history figures.
                if (step.basis != Basis::members) {
                    auto by = kBasisNames[static_cast<std::size_t>(step.basis)];
                    for (const auto& [key, value] : w->members) {
                        if (value.kind == Kind::object) continue;
                        error(value,
                              fmt::format("this level weighs {} by \"{}\"; a weight of {} for \"{}\" has no "
                                          "common measure with that rule",
                                          is_time ? "the periods" : "the members", by, value.text, key),
                              fmt::format("hold an amount ({{\"{}\": {{\"amount\": …}}}}), or drop \"by\" and give "
                                          "every {} a weight",
                                          key, is_time ? "period" : "member"));
                    }
                }
            }
        }
        if (auto* p = item.find("pattern")) {
            if (step.basis != Basis::weekday_pattern) error(*p, "\"pattern\" needs \"by\": \"weekday_pattern\"");
            if (expect_kind(*p, Kind::array, "seven weights, Monday to Sunday")) {
                if (p->items.size() != 7) {
                    error(*p,
                          fmt::format("a weekday pattern has 7 weights (Monday to Sunday), got {}", p->items.size()));
                } else {
                    for (std::size_t i = 0; i < 7; ++i) {
                        Share s = weight_share(p->items[i]);
                        if (s.kind == Share::Kind::percent) error(p->items[i], "pattern weights are plain numbers");
                        step.weekday[i + 1] = s.value;
                    }
                }
            }
        } else if (step.basis == Basis::weekday_pattern) {
            problems_.error(at(item), "\"by\": \"weekday_pattern\" needs \"pattern\": [Mon, …, Sun]");
        }
        if (auto* c = field(item, "closed_on_holidays", Kind::boolean)) step.closed_on_holidays = c->boolean;
        if (auto* n = field(item, "normalize", Kind::boolean)) step.normalize = n->boolean;
        if (auto* r = field(item, "rest", Kind::string)) {
            if (r->text != "equal")
                error(*r, fmt::format("unknown rest \"{}\"", r->text),
                      "\"rest\": \"equal\" shares what is left equally among the periods the weights do not list");
            else if (!is_time)
                error(*r, "\"rest\" applies to time levels (members without a weight already share the rest)");
            else if (!item.find("weights") && !item.find("overrides"))
                error(*r, "\"rest\" needs \"weights\" keyed by period");
            else if (step.basis != Basis::members)
                error(*r, fmt::format("\"rest\" is for weights without a rule; here \"by\": \"{}\" weighs the "
                                      "periods the weights leave out",
                                      kBasisNames[static_cast<std::size_t>(step.basis)]));
            else
                step.rest_equal = true;
        }
        if (auto* z = field(item, "if_all_zero", Kind::string)) {
            if (z->text == "equal")
                step.equal_if_all_zero = true;
            else if (z->text != "error")
                error(*z, "if_all_zero is \"equal\" or \"error\"");
        }
        if (auto* a = item.find("allocate")) {
            if (auto d = ratio_of(*a, "allocate", false, BareNumber::multiplier)) {
                if (*d < Decimal{1, 0})
                    error(*a, "allocate below 100% would hand out less than the parent");
                else if (d->scale > 6 || Decimal{1000, 0} < *d)
                    error(*a, fmt::format("allocate {} is too precise or too large (at most 100000%)", a->text));
                else
                    step.allocate = d;
            }
        }
        read_capacity_options(item, step);
        if (step.basis == Basis::history)
            read_history(item, step);
        else
            for (auto key : {"file", "key", "column"})
                if (auto* v = item.find(key)) error(*v, fmt::format("\"{}\" needs \"by\": \"history\"", key));
        if (auto* o = field(item, "overrides", Kind::array)) {
            // One override per rep is a rebalanced plan; the engine indexes them (and keys profiles by them).
            if (o->items.size() > kMaxOverrides)
                error(*o, fmt::format("more than {} overrides on one level", kMaxOverrides), "split the level further");
            for (const auto& entry : o->items) {
                if (!expect_kind(entry, Kind::object, "an override")) continue;
                check_keys(entry, {"where", "weights", "note"});
                Override ov;
                ov.where = at(entry);
                if (auto* w = field(entry, "where", Kind::object, true)) {
                    for (const auto& [lvl, value] : w->members) {
                        if (!expect_kind(value, Kind::string, "a member id or period")) continue;
                        ov.when.emplace_back(lvl, value.text);
                        pending_conditions_.push_back(
                            {plan_.steps.size(), step.overrides.size(), ov.when.size() - 1, lvl, &value});
                    }
                }
                if (auto* w = field(entry, "weights", Kind::object, true)) ov.weights = keyed_map(*w, step);
                step.overrides.push_back(std::move(ov));
            }
        }
    }

    // Ramps, bands, reconciliation and growth over a baseline file: dimension levels only.
    void read_capacity_options(const JsonValue& item, Step& step) {
        bool is_time = step.kind == Step::Kind::time;
        for (auto key : {"ramp", "ramp_rest", "band", "reconcile", "baseline", "growth"}) {
            auto* v = item.find(key);
            if (v && is_time)
                error(*v, fmt::format("\"{}\" applies to dimension levels, not to \"{}\"", key, step.level));
        }
        if (is_time) {
            if (step.basis == Basis::capacity)
                error(*item.find("by"), "\"capacity\" weighs members; level \"" + step.level + "\" is a time level");
            return;
        }
        if (auto* r = item.find("ramp")) step.ramp = read_ramp(*r);
        if (auto* r = field(item, "ramp_rest", Kind::string)) {
            if (r->text == "unassigned")
                step.ramp_rest_unassigned = true;
            else if (r->text != "others")
                error(*r, "ramp_rest is \"others\" (the other members carry it) or \"unassigned\"");
            if (step.ramp.empty()) warning(*r, "\"ramp_rest\" without a \"ramp\" on this level");
        }
        if (auto* b = item.find("band")) {
            if (expect_kind(*b, Kind::array, "a band [low, high] such as [\"100%\", \"120%\"]")) {
                if (b->items.size() != 2) {
                    error(*b, "a band has two bounds: [low, high]");
                } else {
                    auto low = ratio_of(b->items[0], "a band bound", false);
                    auto high = ratio_of(b->items[1], "a band bound", false);
                    if (low && high && *high < *low)
                        error(*b, "the band's high bound is below its low bound");
                    else if (low && high)
                        step.band = std::make_pair(*low, *high);
                }
            }
        }
        if (auto* r = field(item, "reconcile", Kind::string)) {
            if (r->text == "scale")
                step.scale_holds = true;
            else if (r->text != "error")
                error(*r, "reconcile is \"error\" (amounts must add up to the parent) or \"scale\"",
                      "\"scale\" uses members' amounts as weights of the parent's target");
        }
        std::optional<Decimal> growth;
        if (auto* g = item.find("growth")) growth = ratio_of(*g, "growth", true);
        auto& level =
            plan_.dimensions[static_cast<std::size_t>(step.dimension)].members[static_cast<std::size_t>(step.depth)];
        if (auto* b = item.find("baseline")) read_baseline_file(*b, step, level);
        if (growth)
            for (auto& m : level)
                if (m.baseline && !m.growth) m.growth = growth;
    }

    // "baseline": {"file", "key", "column", "metric"}: last year's amount per member, to grow.
    void read_baseline_file(const JsonValue& b, const Step& step, std::vector<Member>& level) {
        if (!expect_kind(b, Kind::object, "a baseline file {\"file\", \"key\", \"column\"}")) return;
        check_keys(b, {"file", "key", "column", "metric"});
        auto* file = field(b, "file", Kind::string, true);
        auto* key = field(b, "key", Kind::string, true);
        auto* column = field(b, "column", Kind::string, true);
        int metric = -1;
        if (auto* mv = field(b, "metric", Kind::string)) {
            metric = plan_.metric_index(mv->text);
            if (metric < 0) error(*mv, fmt::format("unknown metric \"{}\"", mv->text));
        } else {
            for (std::size_t i = 0; i < plan_.metrics.size(); ++i)
                if (!plan_.metrics[i].rate && plan_.metrics[i].stretch_of < 0) {
                    if (metric >= 0) {
                        error(b, "this plan has several metrics: say which one the baseline is for", "add \"metric\"");
                        return;
                    }
                    metric = static_cast<int>(i);
                }
        }
        if (!file || !key || !column || metric < 0) return;
        int k = -1, c = -1;
        auto table = read_keyed_csv(*file, *key, *column, k, c);
        if (!table) return;
        const Metric& mt = plan_.metrics[static_cast<std::size_t>(metric)];
        std::map<std::string, std::size_t> index;
        for (std::size_t i = 0; i < level.size(); ++i)
            index.emplace(level[i].id, i);
        std::vector<std::string> unknown;
        std::vector<bool> seen(level.size(), false);
        for (std::size_t r = 0; r < table->rows.size(); ++r) {
            const auto& row = table->rows[r];
            auto it = index.find(row[static_cast<std::size_t>(k)]);
            if (it == index.end()) {
                unknown.push_back(row[static_cast<std::size_t>(k)]);
                continue;
            }
            SourceLocation where{table->file, table->lines[r], 0, ""};
            ParseProblem problem;
            auto d = parse_decimal(row[static_cast<std::size_t>(c)], &problem);
            auto minor = d && !d->is_negative() ? to_minor(*d, mt.decimals) : std::nullopt;
            if (!minor) {
                problems_.error(where, fmt::format("column \"{}\": not an amount of \"{}\": \"{}\"", column->text,
                                                   mt.id, row[static_cast<std::size_t>(c)]));
                continue;
            }
            Member& m = level[it->second];
            if (m.share.kind == Share::Kind::amount && !seen[it->second]) continue;  // the member's own amount wins
            m.baseline = true;
            if (!seen[it->second]) {
                m.share = Share{};
                m.share.kind = Share::Kind::amount;
                m.share.where = where;
                m.share.amounts.assign(plan_.metrics.size(), std::nullopt);
                m.share.origins.assign(plan_.metrics.size(), std::string());
                m.share.amounts[static_cast<std::size_t>(metric)] = 0;
                seen[it->second] = true;
            }
            auto& slot = *m.share.amounts[static_cast<std::size_t>(metric)];
            slot = checked_add(slot, *minor);
            m.share.origins[static_cast<std::size_t>(metric)] =
                fmt::format("{} line {}", std::filesystem::path(table->file).filename().string(), table->lines[r]);
        }
        if (!unknown.empty())
            warning(*file, fmt::format("{} row(s) of {} match no {} (first: \"{}\"); they are ignored", unknown.size(),
                                       table->file, step.level, unknown.front()));
        std::vector<std::string> without;
        for (std::size_t i = 0; i < level.size(); ++i)
            if (!seen[i] && level[i].share.kind != Share::Kind::amount) without.push_back(level[i].id);
        if (!without.empty())
            error(*key,
                  fmt::format("{} {}(s) have no baseline in {} (first: \"{}\")", without.size(), step.level,
                              table->file, without.front()),
                  "add their rows, or give them an \"amount\" or \"baseline\" in the plan");
    }

    std::map<std::string, Share> keyed_map(const JsonValue& w, const Step& step) {
        std::map<std::string, Share> out;
        std::map<std::string, std::string> written;  // canonical → the key as written
        for (const auto& [key, value] : w.members) {
            std::string canonical = canonical_key(step, key, value);
            if (canonical.empty()) continue;
            if (auto [it, fresh] = written.emplace(canonical, key); !fresh) {
                error(value, fmt::format("\"{}\" and \"{}\" both name {}", it->second, key, canonical),
                      "give each period or member one weight");
                continue;
            }
            out[canonical] = keyed_share(value);
        }
        return out;
    }

    // Turns a key that names a member or period into the member id or full period label.
    std::string canonical_key(const Step& step, const std::string& key, const JsonValue& where) {
        if (step.kind == Step::Kind::dimension) {
            const auto& index =
                member_index_[static_cast<std::size_t>(step.dimension)][static_cast<std::size_t>(step.depth)];
            if (index.count(key)) return key;
            std::vector<std::string> ids;
            for (const auto& [id, i] : index)
                ids.push_back(id);
            std::string guess = did_you_mean(key, ids);
            error(where, fmt::format("no member \"{}\" at level \"{}\"", key, step.level),
                  guess.empty() ? std::string() : fmt::format("did you mean \"{}\"?", guess));
            return {};
        }
        auto periods = periods_between(step.time, plan_.first, plan_.last, plan_.fiscal_start_month);
        std::vector<const Period*> hits;
        for (const auto& p : periods)
            if (period_matches(p, key)) hits.push_back(&p);
        if (hits.size() == 1) return hits[0]->label;
        if (hits.empty()) {
            std::string range =
                periods.empty() ? std::string() : fmt::format("{} … {}", periods.front().label, periods.back().label);
            error(where, fmt::format("no {} \"{}\" in the plan's period", step.level, key),
                  fmt::format("the period has {} {}s: {}", periods.size(), step.level, range));
        } else {
            error(where, fmt::format("\"{}\" names {} {}s in this period", key, hits.size(), step.level),
                  fmt::format("use the full label, e.g. \"{}\"", hits[0]->label));
        }
        return {};
    }

    void read_history(const JsonValue& item, Step& step) {
        auto* file = field(item, "file", Kind::string, true);
        auto* key = field(item, "key", Kind::string, true);
        auto* column = field(item, "column", Kind::string, true);
        if (!file || !key || !column) return;
        int k = -1, c = -1;
        auto table = read_keyed_csv(*file, *key, *column, k, c);
        if (!table) return;
        HistoryWeights h{table->file, key->text, column->text, {}};
        std::vector<std::string> unknown;
        for (std::size_t r = 0; r < table->rows.size(); ++r) {
            const auto& row = table->rows[r];
            SourceLocation where{table->file, table->lines[r], 0, ""};
            ParseProblem problem;
            auto w = parse_decimal(row[static_cast<std::size_t>(c)], &problem);
            if (!w || w->is_negative() || w->mantissa >= pow10_wide(kMaxWeightDigits) || w->scale > 9) {
                problems_.error(
                    where,
                    fmt::format("column \"{}\": not a weight \"{}\"{}", column->text, row[static_cast<std::size_t>(c)],
                                w ? " (negative, too large or too precise)" : " (" + problem.message + ")"));
                continue;
            }
            std::string label = history_key(step, row[static_cast<std::size_t>(k)]);
            if (label.empty()) {
                unknown.push_back(row[static_cast<std::size_t>(k)]);
                continue;
            }
            auto [it, fresh] = h.rows.emplace(label, std::make_pair(*w, table->lines[r]));
            if (!fresh) {  // several rows for one key: their sum (SUMIF)
                Decimal& sum = it->second.first;
                int scale = std::max(sum.scale, w->scale);
                sum = Decimal{sum.mantissa * pow10_wide(scale - sum.scale) + w->mantissa * pow10_wide(scale - w->scale),
                              scale};
            }
        }
        if (!unknown.empty())
            warning(*file, fmt::format("{} row(s) of {} match no {} of the plan (first: \"{}\"); they are ignored",
                                       unknown.size(), table->file, step.level, unknown.front()));
        // Members or periods without any history row weigh nothing: say so.
        std::vector<std::string> without;
        if (step.kind == Step::Kind::dimension) {
            for (const auto& m : plan_.dimensions[static_cast<std::size_t>(step.dimension)]
                                     .members[static_cast<std::size_t>(step.depth)])
                if (!h.rows.count(m.id)) without.push_back(m.id);
        } else {
            for (const auto& p : periods_between(step.time, plan_.first, plan_.last, plan_.fiscal_start_month))
                if (!h.rows.count(p.label)) without.push_back(p.label);
        }
        if (!without.empty())
            warning(*key, fmt::format("{} {}(s) have no row in {} and get nothing (first: \"{}\")", without.size(),
                                      step.level, table->file, without.front()));
        step.history = std::move(h);
    }

    std::string history_key(const Step& step, const std::string& key) {
        if (step.kind == Step::Kind::dimension) {
            const auto& index =
                member_index_[static_cast<std::size_t>(step.dimension)][static_cast<std::size_t>(step.depth)];
            return index.count(key) ? key : std::string();
        }
        if (!period_cache_.count(step.level))
            period_cache_[step.level] = periods_between(step.time, plan_.first, plan_.last, plan_.fiscal_start_month);
        for (const auto& p : period_cache_[step.level])
            if (period_matches(p, key)) return p.label;
        // History is usually last year's: "2026-03" weighs March of the plan's period.
        if (key.size() > 5 && key[4] == '-' && std::all_of(key.begin(), key.begin() + 4, ::isdigit))
            for (const auto& p : period_cache_[step.level])
                if (period_matches(p, key.substr(5))) return p.label;
        return {};
    }

    // Override conditions can name any level that precedes the step; checked once all steps are known.
    void check_conditions() {
        for (const auto& c : pending_conditions_) {
            int target = plan_.step_index(c.level);
            if (target < 0 || static_cast<std::size_t>(target) >= c.step) {
                error(*c.value,
                      fmt::format("override condition on \"{}\": not a level split before \"{}\"", c.level,
                                  plan_.steps[c.step].level),
                      "conditions name a level that comes earlier in the split");
                continue;
            }
            const Step& s = plan_.steps[static_cast<std::size_t>(target)];
            std::string canonical = canonical_key(s, c.value->text, *c.value);
            if (canonical.empty()) continue;
            plan_.steps[c.step].overrides[c.override_index].when[c.condition].second = canonical;
        }
    }

private:
    struct PendingCondition {
        std::size_t step;
        std::size_t override_index;
        std::size_t condition;  // in the override's `when`
        std::string level;
        const JsonValue* value;
    };

    const JsonDocument& doc_;
    std::filesystem::path base_;
    Diagnostics& problems_;
    InputLimits limits_;  // what a calendar or CSV file it names may hold
    Plan plan_;
    std::vector<std::string>* files_;  // where every file read is listed
    std::set<std::string> level_names_;
    std::vector<std::vector<std::map<std::string, int>>> member_index_;  // [dimension][depth] id → index
    std::vector<PendingCondition> pending_conditions_;
    std::map<std::string, std::vector<Period>> period_cache_;
};

Plan parse_document(const JsonDocument& doc, const std::filesystem::path& base, const InputLimits& limits) {
    Diagnostics problems;
    PlanReader reader(doc, base, problems, limits);
    Plan plan = reader.read();
    // Derived amounts are checked even when the reader found problems, so that one run reports
    // them all; a plan the reader could not make sense of can make them fail in other ways.
    try {
        detail::finish_plan(plan, problems);
        detail::check_column_names(plan, problems);
    } catch (const std::exception&) {
        if (!problems.has_errors()) throw;
    }
    problems.throw_if_errors();
    plan.warnings = problems.items();
    return plan;
}

std::filesystem::path folder_of(const std::string& file) {
    if (file == "<stdin>") return std::filesystem::current_path();
    auto parent = std::filesystem::path(file).parent_path();
    return parent.empty() ? std::filesystem::path(".") : parent;
}

}  // namespace

Plan parse_plan(std::string text, const std::string& file, const InputLimits& limits) {
    auto doc = JsonDocument::parse(std::move(text), file);
    return parse_document(doc, folder_of(file), limits);
}

Plan load_plan(const std::string& file, const InputLimits& limits) {
    return parse_plan(read_text_file(file, limits), file, limits);
}

namespace {

// A calendar by reference, outside any plan: problems with the reference itself have no position.
WorkCalendar load_calendar_outside_plan(const std::string& reference, const std::string& base_dir, bool as_file,
                                        std::vector<Diagnostic>* warnings, const InputLimits& limits) {
    auto doc = JsonDocument::parse("null", "");
    JsonValue ref;
    ref.kind = Kind::string;
    ref.text = reference;
    Diagnostics problems;
    PlanReader reader(doc, base_dir, problems, limits);
    WorkCalendar cal = reader.read_calendar_reference(ref, {}, as_file);
    problems.throw_if_errors();
    if (warnings) *warnings = problems.items();
    return cal;
}

}  // namespace

WorkCalendar load_calendar(const std::string& file, std::vector<Diagnostic>* warnings, const InputLimits& limits) {
    return load_calendar_outside_plan(file, "", true, warnings, limits);
}

WorkCalendar load_calendar_reference(const std::string& reference, const std::string& base_dir,
                                     std::vector<Diagnostic>* warnings, const InputLimits& limits) {
    return load_calendar_outside_plan(reference, base_dir, false, warnings, limits);
}

WorkCalendar load_builtin_calendar(std::string_view id) {
    const BuiltinCalendar* b = find_builtin_calendar(id);
    if (!b)
        throw Error::usage(fmt::format("no built-in calendar \"{}\"", id), "`tgt calendar --list-builtin` lists them");
    auto doc = JsonDocument::parse(std::string(b->json), fmt::format("built-in calendar {}", id));
    Diagnostics problems;
    PlanReader reader(doc, "", problems, {});
    WorkCalendar cal = reader.read_calendar(doc.root());
    problems.throw_if_errors();
    cal.id = std::string(id);
    return cal;
}

}  // namespace tgt

namespace tgt {

bool looks_like_plan(const std::string& text) {
    try {
        auto doc = detail::JsonDocument::parse(text, "");
        const auto& root = doc.root();
        return root.is_object() && (root.find("metrics") || root.find("split"));
    } catch (const Error&) {
        return true;  // let the plan reader report what is wrong
    }
}

}  // namespace tgt
