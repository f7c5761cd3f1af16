// One name, one column: a metric called like a funnel stage, a level called "period" or a metric
// called like a budget line's ratio column would print two columns with one name.

#include "plan_columns.hpp"

#include <fmt/format.h>

#include <map>

namespace tgt::detail {

namespace {

// Who gave a column its name. Names of one group that repeat are the reader's to report.
enum class Group { reserved, level, metric, stage, visits, activity, derived };

struct Owner {
    std::string what;  // "metric \"leads\"", "the ratio column of budget line \"promotion\""
    SourceLocation where;
    Group group;
};

class Columns {
public:
    explicit Columns(Diagnostics& problems) : problems_(problems) {}

    void claim(const std::string& name, std::string what, const SourceLocation& where, Group group) {
        auto [it, fresh] = taken_.emplace(name, Owner{what, where, group});
        if (fresh) return;
        const Owner& first = it->second;
        if (first.group == group && group != Group::derived && group != Group::reserved) return;
        std::string line = first.where.line > 0 && first.where.file == where.file
                               ? fmt::format(" (line {})", first.where.line)
                               : std::string();
        problems_.error(where,
                        fmt::format("{} is also {}{}: both would be the column \"{}\"", what, first.what, line, name),
                        "rename one: ids of metrics, budget lines, funnel stages and levels are column names, and so "
                        "are the columns derived from them (<id>_stretch, <id>_ratio, <id>_pct, <id>_task, "
                        "<stage>_expected, visits, period)");
    }

private:
    Diagnostics& problems_;
    std::map<std::string, Owner> taken_;
};

std::string metric_words(const Plan& plan, const Metric& m) {
    if (m.budget) return fmt::format("budget line \"{}\"", m.id);
    if (m.stretch_of >= 0)
        return fmt::format("the stretch version of metric \"{}\"",
                           plan.metrics[static_cast<std::size_t>(m.stretch_of)].id);
    if (m.rate) return fmt::format("rate metric \"{}\"", m.id);
    return fmt::format("metric \"{}\"", m.id);
}

}  // namespace

void check_column_names(const Plan& plan, Diagnostics& problems) {
    Columns columns(problems);
    // Key columns tgt adds: the period, and a funnel's lead source.
    columns.claim("period", "the period column", {}, Group::reserved);
    if (plan.funnel && !plan.funnel->sources.empty())
        columns.claim("source", "the funnel's lead-source column", plan.funnel->where, Group::reserved);
    for (const auto& dim : plan.dimensions)
        for (const auto& level : dim.levels)
            columns.claim(level, fmt::format("level \"{}\"", level), dim.where, Group::level);
    for (const auto& m : plan.metrics)
        if (!m.id.empty()) columns.claim(m.id, metric_words(plan, m), m.where, Group::metric);
    auto stage_where = [&](std::size_t s) {
        const Funnel& f = *plan.funnel;
        return s < f.stage_where.size() ? f.stage_where[s] : f.where;
    };
    if (plan.funnel)
        for (std::size_t s = 0; s < plan.funnel->stages.size(); ++s)
            columns.claim(plan.funnel->stages[s].id, fmt::format("funnel stage \"{}\"", plan.funnel->stages[s].id),
                          stage_where(s), Group::stage);
    if (plan.visits)
        columns.claim("visits", "the visits column (the plan has \"visits\")", plan.visits->where, Group::visits);
    for (const auto& a : plan.activities)
        if (!a.id.empty()) columns.claim(a.id, fmt::format("activity \"{}\"", a.id), a.where, Group::activity);

    // Columns derived from those ids, as split (showing tasks) and funnel print them.
    for (const auto& m : plan.metrics) {
        if (m.id.empty()) continue;
        std::string owner = metric_words(plan, m);
        if (m.rate) {
            columns.claim(m.id + "_pct", "the weighted-average column of " + owner, m.where, Group::derived);
            columns.claim(m.id + "_task_pct", "the " + mention(Field::show_task) + " column of " + owner, m.where,
                          Group::derived);
            continue;
        }
        columns.claim(m.id + "_task", "the " + mention(Field::show_task) + " column of " + owner, m.where,
                      Group::derived);
        if (m.stretch_of >= 0) {
            columns.claim(m.id + "_ratio", "the ratio column of " + owner, m.where, Group::derived);
            columns.claim(m.id + "_task_ratio", "the " + mention(Field::show_task) + " ratio column of " + owner,
                          m.where, Group::derived);
        }
    }
    if (plan.funnel)
        for (std::size_t s = plan.funnel->target_stage + 1; s < plan.funnel->stages.size(); ++s) {
            const auto& stage = plan.funnel->stages[s];
            columns.claim(stage.id + "_expected",
                          fmt::format("the expected-yield column of funnel stage \"{}\"", stage.id), stage_where(s),
                          Group::derived);
        }
}

}  // namespace tgt::detail
