// The plan reader's entry points: a plan from text or a file, calendars from files or built in.
// The sections are read by PlanReader (plan_reader.hpp), one file per group of sections.

#include <fmt/format.h>

#include "../crossing_plan.hpp"
#include "../plan_columns.hpp"
#include "../plan_finish.hpp"
#include "plan_reader.hpp"
#include "tgt/labels.hpp"

namespace tgt {

namespace detail {

Plan PlanReader::read() {
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
    check_keys(root, {"$schema", "tgt", "name", "description", "locale", "period", "calendar", "metrics", "dimensions",
                      "split", "status", "funnel", "budgets", "visits", "assessment", "market", "activities"});
    if (auto* v = field(root, "name", Kind::string)) plan_.name = v->text;
    if (auto* v = field(root, "locale", Kind::string)) read_locale(*v);
    if (auto* v = field(root, "status", Kind::object)) read_status(*v);
    read_period(root);
    if (auto* v = root.find("calendar")) read_calendar_ref(*v);
    // A period that could not be read is left at the epoch; there is nothing to check it against.
    if (plan_.last != Date{})
        check_calendar_use(plan_.calendar, plan_.first, plan_.last,
                           root.find("calendar") ? place(*root.find("calendar")) : place(root), problems_,
                           "the plan's period reaches");
    read_metrics(root);
    if (auto* v = field(root, "budgets", Kind::array)) read_budgets(*v);
    if (auto* v = field(root, "visits", Kind::object)) read_visits(*v);
    read_dimensions(root);
    if (customers_from_ && plan_.visits) read_customer_classes(*customers_from_);
    if (plan_.visits && plan_.visits->dimension < 0 && !customers_from_)
        problems_.warning(plan_.visits->where, "customer tiers, but no member has \"customers\"",
                          "give members counts per tier: \"customers\": {\"vip\": 5}");
    if (auto* v = field(root, "activities", Kind::array)) read_activities(*v);
    read_split(root);
    check_conditions();
    if (auto* v = field(root, "funnel", Kind::object)) read_funnel(*v);
    if (auto* v = field(root, "assessment", Kind::object)) read_assessment(*v);
    if (auto* v = field(root, "market", Kind::object)) read_market(*v);
    return std::move(plan_);
}

}  // namespace detail

namespace {

using detail::JsonDocument;
using detail::JsonValue;
using detail::PlanReader;
using Kind = JsonValue::Kind;
using detail::folder_of;

// Reads the plan's sections; the reader's indexes and the document are gone when it returns, the
// text stays as long as the plan's members keep their places in it.
Plan read_sections(std::string text, const std::string& file, Diagnostics& problems, const InputLimits& limits,
                   std::optional<Encoding> read_as) {
    auto doc = JsonDocument::parse(std::move(text), file, 64, true);  // members kept as text, read as they are used
    PlanReader reader(doc, folder_of(file), problems, limits);
    reader.keep_places(doc.text());
    Plan plan = reader.read();
    if (read_as) {  // a large plan file keeps only its places, read again (as it was) for a message
        InputLimits again = limits;
        again.encoding = *read_as;
        doc.text()->let_go(again);
    }
    return plan;
}

}  // namespace

Plan parse_plan(std::string text, const std::string& file, const InputLimits& limits, std::optional<Encoding> read_as) {
    Diagnostics problems;
    Plan plan = read_sections(std::move(text), file, problems, limits, read_as);
    // Derived amounts are checked even when the reader found problems, so that one run reports
    // them all; a plan the reader could not make sense of can make them fail in other ways.
    try {
        detail::finish_plan(plan, problems);
        detail::apply_crossings(plan, problems);
        detail::check_column_names(plan, problems);
    } catch (const std::exception&) {
        if (!problems.has_errors()) throw;
    }
    problems.throw_if_errors();
    plan.warnings = problems.items();
    return plan;
}

Plan load_plan(const std::string& file, const InputLimits& limits) {
    return parse_plan(read_text_file(file, limits), file, limits, limits.encoding);
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
        throw Error::usage(fmt::format("no built-in calendar \"{}\"", id),
                           "`" + mention(Field::list_builtin) + "` lists them");
    auto doc = JsonDocument::parse(std::string(b->json), fmt::format("built-in calendar {}", id));
    Diagnostics problems;
    PlanReader reader(doc, "", problems, {});
    WorkCalendar cal = reader.read_calendar(doc.root());
    problems.throw_if_errors();
    cal.id = std::string(id);
    return cal;
}

bool looks_like_plan(const std::string& text) {
    try {
        auto doc = detail::JsonDocument::parse(text, "");
        const auto& root = doc.root();
        return root.is_object() && (root.find("metrics") || root.find("split"));
    } catch (const Error&) {
        return true;  // let the plan reader report what is wrong
    }
}

void PlanReader::read_locale(const JsonValue& v) {
    if (!parse_lang(v.text)) {
        error(v, fmt::format("\"{}\" is not a language tgt shows", v.text),
              "\"locale\": \"zh-CN\" for Chinese labels, \"en\" for English");
        return;
    }
    plan_.locale = std::string(v.text);
}

}  // namespace tgt
