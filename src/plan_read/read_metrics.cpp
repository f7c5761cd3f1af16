// "metrics" (money, count and rate metrics, stretch versions), "budgets" and "status".

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "plan_reader.hpp"
#include "tgt/fraction.hpp"

namespace tgt::detail {

void PlanReader::read_metrics(const JsonValue& root) {
    auto* list = field(root, "metrics", Kind::array, true);
    if (!list) return;
    if (list->items().empty()) error(*list, "a plan needs at least one metric");
    std::set<std::string> seen;
    std::vector<std::pair<std::size_t, const JsonValue*>> weighted_by, stretches;
    for (const auto& item : list->items()) {
        if (!expect_kind(item, Kind::object, "a metric")) continue;
        check_keys(item, {"id", "name", "unit", "kind", "decimals", "quantum", "total", "stretch", "target",
                          "weighted_by", "note", "task"});
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
                error(*k, fmt::format("unknown metric kind \"{}\"", k->text), "use \"money\", \"count\" or \"rate\"");
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
        if (auto* t = item.find("task")) {  // the 任务 beside a total that sums over-assigned targets
            if (auto value = amount(*t, m, "task", false)) {
                if (*value <= 0)
                    error(*t, "the task must be greater than zero");
                else
                    m.task = *value;
            }
        }
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
                  fmt::format("rate \"{}\" is weighted by \"{}\", which is not a money or count metric", m.id, v->text),
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
void PlanReader::read_budgets(const JsonValue& list) {
    std::vector<std::string> sales;
    for (const auto& m : plan_.metrics)
        if (!m.rate && m.stretch_of < 0) sales.push_back(m.id);
    for (const auto& item : list.items()) {
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
                  fmt::format("\"{}\" is already {}'s id", id->text, budget_line ? "another budget line" : "a metric"),
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
                  fmt::format("budget \"{}\" needs either \"ratio\" (of {}) or \"amount\"", id->text, sales_metric.id),
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
void PlanReader::read_rate_metric(const JsonValue& item, Metric& m, std::size_t index,
                                  std::vector<std::pair<std::size_t, const JsonValue*>>& weighted_by) {
    if (!item.find("decimals")) m.decimals = 2;
    for (auto key : {"total", "quantum", "stretch", "task"})
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
void PlanReader::read_stretch(const JsonValue& v, std::size_t index) {
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
            stretch.total = round_to_quantum(Fraction(plan_.metrics[index].total) * Fraction::of(*r), stretch.quantum);
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

// "status": {"ahead": "105%", "on_track": "95%", "behind": "80%"} — pace thresholds, descending.
void PlanReader::read_status(const JsonValue& v) {
    check_keys(v, {"ahead", "on_track", "behind", "note"});
    StatusThresholds& t = plan_.status;
    if (auto* a = v.find("ahead")) t.ahead = ratio_of(*a, "a threshold", false).value_or(t.ahead);
    if (auto* o = v.find("on_track")) t.on_track = ratio_of(*o, "a threshold", false).value_or(t.on_track);
    if (auto* b = v.find("behind")) t.behind = ratio_of(*b, "a threshold", false).value_or(t.behind);
    if (t.ahead < t.on_track || t.on_track < t.behind)
        error(v, "status thresholds must descend: ahead ≥ on_track ≥ behind");
}

}  // namespace tgt::detail
