// Quota sheets: a handful of splits over the whole plan (whole period, quarters, months, weeks, the
// mix below the level), regrouped per member; then one page per member in three formats.

#include "tgt/sheet.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <map>
#include <unordered_map>

#include "tgt/activity.hpp"
#include "tgt/fraction.hpp"
#include "tgt/node_table.hpp"
#include "tgt/report.hpp"
#include "tgt/visits.hpp"

namespace tgt {

namespace {

// A label in the sheets' language.
std::string say(const Sheets& all, std::string_view english) {
    return std::string(label(all.lang, english));
}

// The tracked metric is money (shown in the display unit), not a count or an activity.
bool tracked_money(const Sheets& all) {
    for (const Metric* m : all.metrics)
        if (m->id == all.tracked) return m->money;
    return false;
}

std::string label_of(const Metric& m) {
    return m.name.empty() ? m.id : m.name + " (" + m.id + ")";
}

std::string member_title(const QuotaSheet& s) {
    return s.name.empty() ? s.id : s.name;
}

// How the activity counts come about, in a line above them.
std::string activity_rule(const Sheets& all) {
    std::string rule;
    if (all.has_funnel) rule = "Funnel counts round up: nobody makes 0.4 of a visit (each month on its own).";
    if (all.has_visits)
        rule += std::string(all.has_funnel ? " " : "") +
                "Visits: each customer once per its tier's interval, staggered (the odd ones early in a cycle).";
    return rule;
}

// Why a member's numbers are what they are: holds, dates, ramps, capacity.
std::vector<std::string> member_notes(const Plan& plan, const Member& member) {
    std::vector<std::string> notes;
    for (std::size_t k = 0; k < plan.metrics.size(); ++k)
        if (member.share.holds(k) && !plan.metrics[k].rate)
            notes.push_back(fmt::format("{} is held at {}{}", plan.metrics[k].id,
                                        format_grouped(*member.share.amounts[k], plan.metrics[k].decimals),
                                        member.share.origins().size() > k && !member.share.origins()[k].empty()
                                            ? " (" + member.share.origins()[k] + ")"
                                            : std::string(" (set in the plan; the others share the rest)")));
    if (member.availability().start)
        notes.push_back("active from " + format_date(*member.availability().start) + ": nothing before that day");
    if (member.availability().end) notes.push_back("active until " + format_date(*member.availability().end));
    if (!member.availability().ramp.empty()) {
        std::vector<std::string> steps;
        for (const auto& r : member.availability().ramp)
            steps.push_back(format_percent(r));
        notes.push_back(
            fmt::format("ramp: {} of a full quota in the first months after joining", fmt::join(steps, ", ")));
    }
    if (member.capacity())
        notes.push_back(fmt::format("capacity: {} head(s)", format_decimal(member.capacity()->headcount)));
    return notes;
}

// The customer tiers a member visits, with the visits they make over the plan's period.
void add_tiers(const Plan& plan, const Step& step, std::vector<QuotaSheet>& sheets) {
    const int depth = step.depth;
    const auto& members =
        plan.dimensions[static_cast<std::size_t>(step.dimension)].members[static_cast<std::size_t>(depth)];
    std::unordered_map<std::string_view, std::size_t> member_index;
    for (std::size_t i = 0; i < members.size(); ++i)
        member_index.emplace(members[i].id, i);
    const VisitSchedule schedule(plan);
    for (auto& sheet : sheets) {
        int m = static_cast<int>(member_index.at(sheet.id));
        auto customers = schedule.customers(depth, m);
        auto year = schedule.visits(depth, m, plan.first, plan.last);
        for (std::size_t t = 0; t < plan.visits->tiers.size(); ++t) {
            const CustomerTier& tier = plan.visits->tiers[t];
            if (customers[t] == 0) continue;
            sheet.tiers.push_back(SheetTier{tier.name.empty() ? tier.id : tier.name + " (" + tier.id + ")",
                                            tier.frequency(), customers[t], year[t]});
        }
    }
}

// Quarters, months and weeks, where the plan's time levels reach them; each month with the activity
// it takes (the funnel's stages from its money, the visits the member owes), summed into the year's.
void add_periods(const Decomposition& decomposition, const SplitRequest& base, std::size_t key_count,
                 const ActivityColumns& activity,
                 const std::function<QuotaSheet*(std::span<const std::string_view>)>& sheet_of) {
    const Plan& plan = decomposition.plan();
    for (TimeLevel grain : {TimeLevel::quarter, TimeLevel::month, TimeLevel::week}) {
        SplitRequest by_period = base;
        by_period.period = grain;
        std::unordered_map<std::string, int> working_days;  // per period label, counted once
        for (auto& p : periods_between(grain, plan.first, plan.last, plan.fiscal_start_month))
            working_days.emplace(
                p.label, plan.calendar.working_days(std::max(p.first, plan.first), std::min(p.last, plan.last)));
        std::optional<ActivityColumns> monthly;
        // A grain the plan's time levels do not nest in (quarters over weeks) is left out; rows
        // are kept aside until the split has gone through.
        std::vector<std::pair<QuotaSheet*, SheetPeriod>> rows;
        try {
            if (grain == TimeLevel::month && !activity.empty())
                monthly.emplace(plan, decomposition.layout(by_period), grain);
            decomposition.run(by_period, [&](const SplitRow& row) {
                QuotaSheet* sheet = sheet_of(row.keys);
                if (!sheet) return;
                SheetPeriod p;
                p.label = std::string(row.keys[key_count]);
                p.working_days = working_days.at(p.label);
                p.amounts.assign(row.amounts.begin(), row.amounts.end());
                if (monthly) monthly->fill(row, p.activity);
                rows.emplace_back(sheet, std::move(p));
            });
        } catch (const Error&) {
            continue;
        }
        for (auto& [sheet, p] : rows) {
            if (!p.activity.empty()) {
                if (sheet->activity.empty()) sheet->activity.assign(p.activity.size(), 0);
                for (std::size_t k = 0; k < p.activity.size(); ++k)
                    sheet->activity[k] += p.activity[k];
            }
            auto& list = grain == TimeLevel::quarter ? sheet->quarters
                         : grain == TimeLevel::month ? sheet->months
                                                     : sheet->weeks;
            list.push_back(std::move(p));
        }
    }
}

// The mix: every dimension level split after the sheets' one and before time (product, channel…).
void add_mix(const Decomposition& decomposition, const SplitRequest& base, const std::string& level,
             std::size_t step_index, std::vector<QuotaSheet>& sheets,
             const std::function<QuotaSheet*(std::span<const std::string_view>)>& sheet_of) {
    const Plan& plan = decomposition.plan();
    for (std::size_t s = step_index + 1; s < plan.steps.size() && plan.steps[s].kind == Step::Kind::dimension; ++s) {
        SplitRequest mix = base;
        mix.by = {level, plan.steps[s].level};
        SplitLayout mix_layout = decomposition.layout(mix);
        std::size_t column = static_cast<std::size_t>(
            std::find(mix_layout.key_columns.begin(), mix_layout.key_columns.end(), plan.steps[s].level) -
            mix_layout.key_columns.begin());
        for (auto& sheet : sheets)
            sheet.mix.push_back(SheetMix{plan.steps[s].level, {}});
        decomposition.run(mix, [&](const SplitRow& row) {
            std::vector<std::string_view> own;
            for (std::size_t k = 0; k < row.keys.size(); ++k)
                if (k != column) own.push_back(row.keys[k]);
            QuotaSheet* sheet = sheet_of(own);
            if (!sheet) return;
            sheet->mix.back().rows.emplace_back(std::string(row.keys[column]),
                                                std::vector<Minor>(row.amounts.begin(), row.amounts.end()));
        });
    }
}

}  // namespace

std::string default_sheet_level(const Plan& plan) {
    std::string level;
    for (const auto& step : plan.steps) {
        if (step.kind == Step::Kind::time) break;
        level = step.level;
    }
    return level;
}

namespace {

// The step of `level`; throws Error(usage) unless it is a dimension level split before the time levels.
const Step& sheet_step(const Plan& plan, const std::string& level) {
    int step_index = plan.step_index(level);
    int first_time = -1;
    for (std::size_t s = 0; s < plan.steps.size() && first_time < 0; ++s)
        if (plan.steps[s].kind == Step::Kind::time) first_time = static_cast<int>(s);
    if (step_index < 0 || plan.steps[static_cast<std::size_t>(step_index)].kind != Step::Kind::dimension ||
        (first_time >= 0 && step_index > first_time))
        throw Error::usage(Field::level,
                           fmt::format("{}: sheets are for a dimension level split before the time levels", level),
                           fmt::format("the default is {}", default_sheet_level(plan)));
    return plan.steps[static_cast<std::size_t>(step_index)];
}

// Who: ids or names of the level's members; unknown ones are an error with a suggestion.
std::vector<bool> wanted_members(const std::vector<Member>& members, const std::string& level,
                                 const std::vector<std::string>& who) {
    std::vector<bool> wanted(members.size(), who.empty());
    for (const auto& name : who) {
        bool found = false;
        for (std::size_t i = 0; i < members.size(); ++i)
            if (members[i].id == name || members[i].name() == name) wanted[i] = found = true;
        if (!found) {
            std::vector<std::string> ids;
            for (const auto& m : members)
                ids.push_back(m.id.str());
            std::string guess = did_you_mean(name, ids);
            throw Error::usage(Field::who, fmt::format("{}={}: no such {}", level, name, level),
                               guess.empty() ? fmt::format("{} has {} members", level, members.size())
                                             : fmt::format("did you mean \"{}\"?", guess));
        }
    }
    return wanted;
}

// The sheets' nodes (their chains of ids down to the level) and the sheet each one has, if wanted.
struct SheetNodes {
    NodeTable totals;                                  // the whole period per node
    std::vector<std::optional<std::size_t>> sheet_of;  // per node: its sheet in Sheets::sheets

    QuotaSheet* find(std::span<const std::string_view> keys, std::vector<QuotaSheet>& sheets) const {
        auto node = totals.nodes().find(keys);
        return node && sheet_of[*node] ? &sheets[*sheet_of[*node]] : nullptr;
    }
};

// A sheet per wanted member of the level, in the plan's order: its chain, totals and notes.
SheetNodes make_sheets(const Decomposition& decomposition, const SplitRequest& base, const SplitLayout& layout,
                       const std::vector<Member>& members, const std::vector<bool>& wanted, Sheets& out) {
    SheetNodes nodes{NodeTable(decomposition, base), {}};
    const NodeIndex& index = nodes.totals.nodes();
    const std::size_t key_count = index.width();  // ancestors and the level itself
    std::unordered_map<std::string_view, std::size_t> member_index;
    for (std::size_t i = 0; i < members.size(); ++i)
        member_index.emplace(members[i].id, i);
    nodes.sheet_of.assign(index.size(), std::nullopt);
    for (std::size_t node = 0; node < index.size(); ++node) {
        const NodeKey& keys = index.key(node);
        auto found = member_index.find(keys[key_count - 1]);
        if (found == member_index.end() || !wanted[found->second]) continue;
        const Member& member = members[found->second];
        QuotaSheet sheet;
        sheet.id = member.id;
        sheet.name = member.name();
        for (std::size_t k = 0; k < key_count; ++k)
            sheet.chain.emplace_back(layout.key_columns[k], keys[k]);
        for (std::size_t i = 0; i < out.metrics.size(); ++i)
            sheet.totals.push_back(nodes.totals.at(node, 0, i));
        sheet.notes = member_notes(decomposition.plan(), member);
        nodes.sheet_of[node] = out.sheets.size();
        out.sheets.push_back(std::move(sheet));
    }
    return nodes;
}

// The team: the level above in the same dimension, or the plan's totals at the top.
void add_team(const Decomposition& decomposition, const SplitRequest& base, const Step& step, Sheets& out) {
    const Plan& plan = decomposition.plan();
    if (step.depth == 0) {
        std::vector<Minor> company;
        for (const Metric* m : out.metrics)
            company.push_back(m->total);
        for (auto& sheet : out.sheets) {
            sheet.team = company;
            sheet.team_name = plan.name.empty() ? "the plan" : "the whole plan";
        }
        return;
    }
    const Dimension& dim = plan.dimensions[static_cast<std::size_t>(step.dimension)];
    SplitRequest team = base;
    team.by = {dim.levels[static_cast<std::size_t>(step.depth - 1)]};
    const NodeTable teams(decomposition, team);
    std::unordered_map<std::string_view, std::size_t> by_id;  // the parent's id → its node (the last met)
    for (std::size_t node = 0; node < teams.nodes().size(); ++node)
        by_id[teams.nodes().key(node).back()] = node;
    for (auto& sheet : out.sheets) {
        const std::string& parent = sheet.chain[sheet.chain.size() - 2].second;
        auto it = by_id.find(parent);
        sheet.team.clear();
        if (it != by_id.end())
            for (std::size_t i = 0; i < teams.metrics().size(); ++i)
                sheet.team.push_back(teams.at(it->second, 0, i));
        sheet.team_name = parent;
    }
}

// The activity's stages: the funnel's, then the visits with their customer tiers, then activity quotas.
void add_stages(const Plan& plan, const Step& step, const ActivityColumns& activity, Sheets& out) {
    out.has_funnel = activity.has_funnel();
    out.has_visits = activity.has_visits();
    if (out.has_funnel) {
        for (const auto& s : plan.funnel->stages) {
            out.stages.push_back(s.name.empty() ? s.id : s.name + " (" + s.id + ")");
            out.stage_ids.push_back(s.id);
        }
    }
    if (out.has_visits) {
        out.stages.push_back("visits");
        out.stage_ids.push_back("visits");
        add_tiers(plan, step, out.sheets);
    }
    if (activity.has_quotas())
        for (const auto& q : plan.activities)
            if (std::find(activity.names().begin(), activity.names().end(), q.id) != activity.names().end()) {
                out.stages.push_back(q.name.empty() ? q.id : q.name + " (" + q.id + ")");
                out.stage_ids.push_back(q.id);
            }
}

}  // namespace

Sheets quota_sheets(const Decomposition& decomposition, const std::string& level, const std::vector<std::string>& who) {
    const Plan& plan = decomposition.plan();
    Sheets out;
    out.plan_name = plan.name;
    out.period = format_date(plan.first) + " … " + format_date(plan.last);
    out.level = level;
    const Step& step = sheet_step(plan, level);
    const auto& members =
        plan.dimensions[static_cast<std::size_t>(step.dimension)].members[static_cast<std::size_t>(step.depth)];
    for (const auto& m : members)
        out.level_ids.push_back(m.id.str());
    const std::vector<bool> wanted = wanted_members(members, level, who);

    SplitRequest base;
    base.by = {level};
    base.threads = 2;
    for (const auto& m : plan.metrics)
        if (!m.rate) {
            out.metrics.push_back(&m);
            base.metrics.push_back(m.id);
        }
    const SplitLayout layout = decomposition.layout(base);
    const SheetNodes nodes = make_sheets(decomposition, base, layout, members, wanted, out);
    add_team(decomposition, base, step, out);

    // Quarters, months and weeks, where the plan's time levels reach them; each month with the
    // activity it takes (the funnel's stages from its money, the visits the member owes).
    const ActivityColumns activity(plan, layout, std::nullopt);
    add_stages(plan, step, activity, out);
    auto sheet_of = [&](std::span<const std::string_view> keys) { return nodes.find(keys, out.sheets); };
    add_periods(decomposition, base, layout.key_columns.size(), activity, sheet_of);
    add_mix(decomposition, base, level, static_cast<std::size_t>(plan.step_index(level)), out.sheets, sheet_of);
    return out;
}

void add_progress(Sheets& sheets, const ProgressReport& report, const std::string& as_of) {
    sheets.as_of = as_of;
    sheets.tracked = report.tracked;
    sheets.tracked_decimals = report.decimals;
    sheets.time_progress_pct = report.time_progress_pct();
    // The report's measures as the progress table has them, a row per report row.
    TableCollector collected;
    progress_table(report, collected);
    const Table& table = collected.table;
    auto column = [&](std::string_view name) { return table.column(name); };
    const std::size_t target = column("target"), to_date = column("target_to_date"), actual = column("actual"),
                      achievement = column("achievement_pct"), elapsed = column("time_progress_pct"),
                      pace = column("pace"), gap = column("gap"), forecast = column("forecast_by_pace"),
                      daily = column("required_daily"), status = column("status"), behind = column("behind_to_date");
    // The planned rows by their chain of members (the first of a chain met twice).
    const std::size_t width = sheets.sheets.empty() ? 0 : sheets.sheets.front().chain.size();
    NodeIndex nodes(width);
    std::vector<std::size_t> row_of;  // per node
    std::vector<std::string_view> keys;
    for (std::size_t i = 0; i < report.rows.size(); ++i) {
        if (!report.rows[i].planned || report.rows[i].keys.size() != width) continue;
        keys.assign(report.rows[i].keys.begin(), report.rows[i].keys.end());
        if (nodes.insert(keys) == row_of.size()) row_of.push_back(i);
    }
    for (auto& sheet : sheets.sheets) {
        keys.clear();
        for (const auto& link : sheet.chain)
            keys.push_back(link.second);
        auto node = keys.size() == width ? nodes.find(keys) : std::nullopt;
        if (!node) continue;
        const std::size_t found = row_of[*node];
        const std::vector<TableCell>& row = table.rows[found];
        auto optional = [&](std::size_t c) {
            return row[c].present ? std::optional<Minor>(row[c].amount) : std::nullopt;
        };
        SheetProgress p;
        p.target = row[target].amount;
        p.target_to_date = row[to_date].amount;
        p.actual = row[actual].amount;
        p.achievement_pct = optional(achievement);
        p.time_progress_pct = optional(elapsed);
        p.pace = optional(pace);
        p.forecast = optional(forecast);
        p.required_daily = optional(daily);
        p.gap = row[gap].amount;
        p.behind_to_date = row[behind].amount;
        p.status = row[status].text;
        if (report.has_task) {  // the task columns are there only then
            p.task = optional(column("task"));
            p.task_achievement_pct = optional(column("task_achievement_pct"));
        }
        const ProgressRow& r = report.rows[found];
        for (std::size_t g = 0; g < report.grid_periods.size() && g < r.grid_target.size(); ++g)
            p.months.push_back({report.grid_periods[g].label, {r.grid_target[g], r.grid_actual[g]}});
        sheet.progress = std::move(p);
    }
}

namespace {

std::string optional_text(const std::optional<Minor>& v, int decimals, bool grouped = true) {
    if (!v) return "–";
    return grouped ? format_grouped(*v, decimals) : format_minor(*v, decimals);
}

std::string month_pct(Minor actual, Minor target) {
    auto p = divide_rounded(static_cast<Wide>(actual) * 100, target, 1);
    return p ? format_minor(*p, 1) + "%" : "–";
}

// The progress measures as (label, text) pairs, in reading order.
std::vector<std::pair<std::string, std::string>> progress_measures(const Sheets& all, const SheetProgress& p) {
    const int dec = all.tracked_decimals;
    const DisplayUnit unit = tracked_money(all) ? all.unit : DisplayUnit{};
    auto money = [&](const std::optional<Minor>& v) { return v ? unit.format(*v, dec) : std::string("–"); };
    auto percent = [](const std::optional<Minor>& v) { return v ? format_minor(*v, 2) + "%" : "–"; };
    auto in_unit = [&](std::string_view what) {
        return unit.label.empty() ? say(all, what) : fmt::format("{} ({})", say(all, what), unit.label);
    };
    std::vector<std::pair<std::string, std::string>> out{{in_unit("target"), money(p.target)}};
    if (p.task) out.push_back({in_unit("task"), money(p.task)});
    out.push_back({in_unit("target to date"), money(p.target_to_date)});
    out.push_back({in_unit("actual"), money(p.actual)});
    out.push_back({say(all, "achievement"), percent(p.achievement_pct)});
    if (p.task) out.push_back({say(all, "task achievement"), percent(p.task_achievement_pct)});
    out.push_back({say(all, "time elapsed"), percent(p.time_progress_pct)});
    out.push_back({say(all, "pace"), optional_text(p.pace, 4, false)});
    out.push_back({in_unit("gap"), money(p.gap)});
    out.push_back({in_unit("behind to date"), money(p.behind_to_date)});
    out.push_back({in_unit("forecast by pace"), money(p.forecast)});
    out.push_back({in_unit("needed per working day"), money(p.required_daily)});
    out.push_back({say(all, "status"), p.status.empty() ? "–" : say(all, p.status)});
    return out;
}

}  // namespace

// ---------------------------------------------------------------- Markdown

namespace {

Column bare_count(std::string name) {
    Column c{std::move(name), true, 0};
    c.grouped = false;
    c.scaled = false;
    return c;
}

// A table of amounts per metric, led by `first` (and working days).
Table amounts_table(const Sheets& all, std::string first, bool days) {
    Table t;
    t.unit = all.unit;
    t.columns.push_back(Column{std::move(first), false, 0});
    if (days) t.columns.push_back(bare_count(say(all, "working days")));
    for (const Metric* m : all.metrics)
        t.columns.push_back(Column{label_of(*m), true, m->decimals, true, m->money});  // counts: never in 万
    return t;
}

void add_amounts(const Sheets& all, std::vector<TableCell>& row, const std::vector<Minor>& v) {
    for (std::size_t i = 0; i < all.metrics.size() && i < v.size(); ++i)
        row.push_back(amount_cell(v[i]));
}

Table periods_table(const Sheets& all, const std::vector<SheetPeriod>& list) {
    Table t = amounts_table(all, say(all, "period"), true);
    for (const auto& p : list) {
        std::vector<TableCell> row{text_cell(p.label), amount_cell(p.working_days)};
        add_amounts(all, row, p.amounts);
        t.rows.push_back(std::move(row));
    }
    return t;
}

// Progress: the measures in one row, then target, actual and achievement by month.
void progress_sections(const Sheets& all, const QuotaSheet& s, std::vector<SheetSection>& out) {
    const std::string title = fmt::format("{} {} ({})", say(all, "Progress as of"), all.as_of, all.tracked);
    Table measures;
    std::vector<TableCell> values;
    for (auto& [label, text] : progress_measures(all, *s.progress)) {
        Column c{std::move(label), false, 0};
        c.right = true;
        measures.columns.push_back(std::move(c));
        values.push_back(text_cell(std::move(text)));
    }
    measures.rows.push_back(std::move(values));
    out.push_back({SheetSection::Kind::progress, title, std::move(measures)});
    Table months;
    Column achievement{say(all, "achievement"), false, 0};
    achievement.right = true;
    const bool money = tracked_money(all);
    months.unit = all.unit;
    months.columns = {Column{say(all, "month"), false, 0},
                      Column{say(all, "target"), true, all.tracked_decimals, true, money},
                      Column{say(all, "actual"), true, all.tracked_decimals, true, money}, achievement};
    for (const auto& [label, v] : s.progress->months)
        months.rows.push_back(
            {text_cell(label), amount_cell(v.first), amount_cell(v.second), text_cell(month_pct(v.second, v.first))});
    out.push_back({SheetSection::Kind::progress_months, title, std::move(months)});
}

// A table turned on its side (the progress months across the page): the first column's cells head the
// columns, each other column becomes a row led by its name; every figure as its text.
Table across(const Table& t) {
    Table out;
    out.columns.push_back(Column{t.columns.empty() ? std::string() : t.columns[0].name, false, 0});
    for (const auto& row : t.rows) {
        Column c{row.empty() ? std::string() : row[0].text, false, 0};
        c.right = true;
        out.columns.push_back(std::move(c));
    }
    for (std::size_t c = 1; c < t.columns.size(); ++c) {
        const Column& column = t.columns[c];
        const bool scaled = column.amount && column.scaled;
        std::string head = column.name;
        if (scaled && !t.unit.label.empty()) head += " (" + t.unit.label + ")";
        std::vector<TableCell> line{text_cell(head)};
        for (const auto& row : t.rows)
            line.push_back(text_cell(!row[c].present ? std::string()
                                     : scaled        ? t.unit.format(row[c].amount, column.decimals)
                                     : column.amount ? format_grouped(row[c].amount, column.decimals)
                                                     : row[c].text));
        out.rows.push_back(std::move(line));
    }
    return out;
}

}  // namespace

std::vector<SheetSection> sheet_sections(const Sheets& all, const QuotaSheet& s) {
    std::vector<SheetSection> out;
    Table target = amounts_table(all, "", false);
    target.rows.push_back({text_cell(say(all, "Target"))});
    add_amounts(all, target.rows.back(), s.totals);
    target.rows.push_back({text_cell(fmt::format("{} ({})", say(all, "Team"), say(all, s.team_name)))});
    add_amounts(all, target.rows.back(), s.team);
    target.headed_rows = 1;
    out.push_back({SheetSection::Kind::target, "", std::move(target)});
    if (s.progress) progress_sections(all, s, out);
    if (!s.quarters.empty())
        out.push_back({SheetSection::Kind::quarters, say(all, "By quarter"), periods_table(all, s.quarters)});
    if (!s.months.empty())
        out.push_back({SheetSection::Kind::months, say(all, "By month"), periods_table(all, s.months)});
    if (!s.weeks.empty()) out.push_back({SheetSection::Kind::weeks, say(all, "By week"), periods_table(all, s.weeks)});
    for (const auto& mix : s.mix) {
        Table t = amounts_table(all, mix.level, false);
        for (const auto& [id, v] : mix.rows) {
            t.rows.push_back({text_cell(id)});
            add_amounts(all, t.rows.back(), v);
        }
        out.push_back({SheetSection::Kind::mix, say(all, "Mix by") + " " + mix.level, std::move(t)});
    }
    if (!s.tiers.empty()) {
        Table t;
        t.columns = {Column{say(all, "tier"), false, 0}, Column{say(all, "how often"), false, 0},
                     bare_count(say(all, "customers")), bare_count(say(all, "visits"))};
        for (const auto& tier : s.tiers)
            t.rows.push_back({text_cell(tier.label), text_cell(tier.frequency), amount_cell(tier.customers),
                              amount_cell(tier.visits)});
        out.push_back({SheetSection::Kind::tiers, say(all, "Customer visits"), std::move(t)});
    }
    if (!all.stages.empty() && !s.months.empty()) {
        Table t;
        t.columns.push_back(Column{say(all, "month"), false, 0});
        for (const auto& stage : all.stages)
            t.columns.push_back(bare_count(stage));
        for (const auto& p : s.months) {
            t.rows.push_back({text_cell(p.label)});
            for (auto c : p.activity)
                t.rows.back().push_back(amount_cell(c));
        }
        t.total.push_back(text_cell(say(all, "Year")));
        for (auto c : s.activity)
            t.total.push_back(amount_cell(c));
        out.push_back({SheetSection::Kind::activity, say(all, "Activity it takes"), std::move(t)});
    }
    return out;
}

std::string sheet_markdown(const Sheets& all, const QuotaSheet& s) {
    std::string out;
    out += fmt::format("# {} — {}\n\n", member_title(s), say(all, "quota sheet"));
    std::vector<std::string> chain;
    for (const auto& [level, id] : s.chain)
        chain.push_back(fmt::format("{} **{}**", level, id));
    out += fmt::format("{} · {} · {}\n\n", fmt::join(chain, " › "), all.period, all.plan_name);
    for (const auto& section : sheet_sections(all, s)) {
        if (section.kind == SheetSection::Kind::progress_months) {  // under the measures, one heading
            out += markdown_table(section.table) + "\n";
            continue;
        }
        if (!section.title.empty()) out += "## " + section.title + "\n\n";
        if (section.kind == SheetSection::Kind::activity) out += activity_rule(all) + "\n\n";
        out += markdown_table(section.table) + "\n";
    }
    if (!s.notes.empty()) {
        out += "## " + say(all, "Why these numbers") + "\n\n";
        for (const auto& n : s.notes)
            out += "- " + n + "\n";
        out += "\n";
    }
    return out;
}

// ---------------------------------------------------------------- CSV

Table sheet_table(const Sheets& all, const QuotaSheet& s) {
    // One table: amounts per metric, then the activity per stage of each month (funnel stages,
    // visits), then with a visit plan each tier's customers.
    const bool tiers = all.has_visits;
    // With progress: the tracked metric's actuals (months to the as-of date) and the measures.
    const bool progress = s.progress.has_value();
    Table table;
    table.columns = {{"section", false, 0}, {"label", false, 0}, {"working_days", true, 0}};
    for (const Metric* m : all.metrics)
        table.columns.push_back(Column{m->id, true, m->decimals});
    for (const auto& stage : all.stage_ids)
        table.columns.push_back(Column{stage, true, 0});
    if (tiers) table.columns.push_back(Column{"customers", true, 0});
    if (progress) table.columns.push_back(Column{"actual", false, 0});
    const TableCell none{{}, 0, false};
    auto row = [&](std::string section, std::string label, std::optional<Minor> days, const std::vector<Minor>& v,
                   const std::vector<std::int64_t>& activity = {}, std::optional<Minor> customers = {},
                   std::size_t first_activity = 0, std::string actual = {}) {
        std::vector<TableCell> cells{text_cell(std::move(section)), text_cell(std::move(label)), optional_cell(days)};
        for (std::size_t i = 0; i < all.metrics.size(); ++i)
            cells.push_back(i < v.size() ? amount_cell(v[i]) : none);
        for (std::size_t k = 0; k < all.stages.size(); ++k)
            cells.push_back(k < activity.size() && k >= first_activity ? amount_cell(activity[k]) : none);
        if (tiers) cells.push_back(optional_cell(customers));
        if (progress) cells.push_back(text_cell(std::move(actual)));
        table.rows.push_back(std::move(cells));
    };
    std::int64_t customers = 0;
    for (const auto& t : s.tiers)
        customers += t.customers;
    row("target", s.id, {}, s.totals, s.activity, tiers ? std::optional<Minor>(customers) : std::nullopt);
    row("team", s.team_name, {}, s.team);
    for (const auto& p : s.quarters)
        row("quarter", p.label, p.working_days, p.amounts);
    std::unordered_map<std::string, Minor> month_actual;
    if (progress)
        for (const auto& [label, v] : s.progress->months)
            month_actual.emplace(label, v.second);
    for (const auto& p : s.months) {
        auto a = month_actual.find(p.label);
        row("month", p.label, p.working_days, p.amounts, p.activity, {}, 0,
            a == month_actual.end() ? std::string() : format_minor(a->second, all.tracked_decimals));
    }
    for (const auto& p : s.weeks)
        row("week", p.label, p.working_days, p.amounts);
    for (const auto& mix : s.mix)
        for (const auto& [id, v] : mix.rows)
            row(mix.level, id, {}, v);
    for (const auto& t : s.tiers) {
        std::vector<std::int64_t> activity(all.stages.size(), 0);
        auto visits = static_cast<std::size_t>(std::find(all.stage_ids.begin(), all.stage_ids.end(), "visits") -
                                               all.stage_ids.begin());
        activity[visits] = t.visits;
        row("tier", t.label + ", " + t.frequency, {}, {}, activity, t.customers, visits);
    }
    if (progress) {
        const SheetProgress& p = *s.progress;
        const int dec = all.tracked_decimals;
        auto plain = [](const std::optional<Minor>& v, int d) { return v ? format_minor(*v, d) : std::string(); };
        std::vector<std::pair<std::string, std::string>> measures{
            {"as_of", all.as_of},
            {"tracked", all.tracked},
            {"target", format_minor(p.target, dec)},
            {"target_to_date", format_minor(p.target_to_date, dec)},
            {"actual", format_minor(p.actual, dec)},
            {"achievement_pct", plain(p.achievement_pct, 2)},
            {"time_progress_pct", plain(p.time_progress_pct, 2)},
            {"pace", plain(p.pace, 4)},
            {"gap", format_minor(p.gap, dec)},
            {"forecast_by_pace", plain(p.forecast, dec)},
            {"required_daily", plain(p.required_daily, dec)},
            {"status", p.status},
            {"behind_to_date", format_minor(p.behind_to_date, dec)}};
        if (p.task) {
            measures.push_back({"task", format_minor(*p.task, dec)});
            measures.push_back({"task_achievement_pct", plain(p.task_achievement_pct, 2)});
        }
        for (auto& [label, value] : measures)
            row("progress", label, {}, {}, {}, {}, 0, std::move(value));
    }
    return table;
}

std::string sheet_csv(const Sheets& all, const QuotaSheet& s) {
    return render_table(sheet_table(all, s), Format::csv);
}

// ---------------------------------------------------------------- HTML

std::string sheet_html(const Sheets& all, const QuotaSheet& s) {
    const int dec = all.metrics.empty() ? 2 : all.metrics[0]->decimals;
    std::string out;
    out += "<!DOCTYPE html>\n<html lang=\"zh\">\n<head>\n<meta charset=\"utf-8\">\n";
    out += "<title>" + escape_html(member_title(s)) + " — " + say(all, "quota sheet") + "</title>\n";
    out += R"(<style>
@page { size: A4; margin: 10mm; }
body { font: 8.5pt/1.3 )" +
           std::string(kChineseFonts) + R"(; margin: 0; color: #111; }
h1 { font-size: 15pt; margin: 0 0 2pt; }
h2 { font-size: 9.5pt; margin: 7pt 0 2pt; border-bottom: 1px solid #999; }
.who { color: #444; margin-bottom: 5pt; }
table { border-collapse: collapse; width: 100%; }
th, td { padding: 1pt 4pt; border-bottom: 1px solid #ddd; }
th { text-align: left; background: #f2f2f2; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
.cols { display: flex; gap: 8pt; }
.cols > div { flex: 1; }
.weeks { columns: 4; column-gap: 8pt; font-size: 7.5pt; }
.weeks div { display: flex; justify-content: space-between; border-bottom: 1px dotted #ccc; }
.note { color: #444; font-size: 7.5pt; }
svg text { font-size: 7pt; fill: #333; }
</style>
</head>
<body>
)";
    out += "<h1>" + escape_html(member_title(s)) + "</h1>\n<div class=\"who\">";
    std::vector<std::string> chain;
    for (const auto& [level, id] : s.chain)
        chain.push_back(escape_html(level) + " <b>" + escape_html(id) + "</b>");
    out += fmt::format("{} · {} · {}", fmt::join(chain, " › "), escape_html(all.period), escape_html(all.plan_name));
    out += "</div>\n";
    const std::vector<SheetSection> sections = sheet_sections(all, s);
    auto section = [&](SheetSection::Kind kind) -> const SheetSection* {
        for (const auto& x : sections)
            if (x.kind == kind) return &x;
        return nullptr;
    };
    out += html_table(section(SheetSection::Kind::target)->table, HtmlEnd::on_last_row);
    if (const SheetSection* measures = section(SheetSection::Kind::progress)) {
        out += "<h2>" + escape_html(measures->title) + "</h2>\n" + html_table(measures->table, HtmlEnd::on_last_row);
        out += html_table(across(section(SheetSection::Kind::progress_months)->table), HtmlEnd::on_last_row);
    }

    // The monthly targets as bars, drawn inline: no script, no network.
    if (!s.months.empty()) {
        Minor top = 1;
        for (const auto& p : s.months)
            top = std::max(top, p.amounts[0]);
        const int width = 520, height = 90, bar = width / static_cast<int>(s.months.size());
        out += fmt::format("<h2>{} {} </h2>\n<svg width=\"{}\" height=\"{}\" viewBox=\"0 0 {} {}\" role=\"img\">\n",
                           say(all, "Monthly"),
                           escape_html(all.metrics[0]->name.empty() ? all.metrics[0]->id : all.metrics[0]->name), width,
                           height + 14, width, height + 14);
        for (std::size_t i = 0; i < s.months.size(); ++i) {
            int h = static_cast<int>(static_cast<Wide>(s.months[i].amounts[0]) * (height - 12) / top);
            int x = static_cast<int>(i) * bar;
            out += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#4a7ab7\"/>", x + 2,
                               height - h, bar - 4, h);
            out += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n", x + bar / 2, height + 11,
                               escape_html(s.months[i].label.substr(5)));
        }
        out += "</svg>\n";
    }
    auto period_table = [&](SheetSection::Kind kind) {
        const SheetSection* periods = section(kind);
        if (!periods) return;
        out += "<div><h2>" + periods->title + "</h2>\n";
        if (kind != SheetSection::Kind::months || s.months.front().activity.empty()) {
            out += html_table(periods->table) + "</div>\n";
            return;
        }
        // Months: the activity beside the money, and the year's activity under the months it adds up.
        Table months = periods->table;
        for (const auto& stage : all.stages)
            months.columns.push_back(bare_count(stage));
        int days = 0;
        for (std::size_t i = 0; i < s.months.size(); ++i) {
            for (auto c : s.months[i].activity)
                months.rows[i].push_back(amount_cell(c));
            days += s.months[i].working_days;
        }
        out += html_table(months, HtmlEnd::open);
        out += fmt::format("<tr><th>{}</th><th class=\"n\">{}</th>", say(all, "Year"), days);
        for (std::size_t i = 0; i < all.metrics.size() && i < s.totals.size(); ++i)
            out += "<td class=\"n\">" +
                   (all.metrics[i]->money ? all.unit.format(s.totals[i], all.metrics[i]->decimals)
                                          : format_grouped(s.totals[i], all.metrics[i]->decimals)) +
                   "</td>";
        for (auto c : s.activity)
            out += fmt::format("<th class=\"n\">{}</th>", c);
        out += "</tr>\n</table>\n<div class=\"note\">" + escape_html(activity_rule(all)) + "</div></div>\n";
    };
    out += "<div class=\"cols\">\n";
    period_table(SheetSection::Kind::quarters);
    for (const auto& x : sections)
        if (x.kind == SheetSection::Kind::mix)
            out += "<div><h2>" + escape_html(x.title) + "</h2>\n" + html_table(x.table) + "</div>\n";
    out += "</div>\n";
    period_table(SheetSection::Kind::months);
    if (!s.weeks.empty()) {
        out += fmt::format("<h2>{} ({}{})</h2>\n<div class=\"weeks\">", say(all, "By week"),
                           escape_html(all.metrics[0]->id),
                           all.metrics[0]->money && !all.unit.label.empty() ? ", " + all.unit.label : "");
        for (const auto& p : s.weeks)
            out += "<div><span>" + escape_html(p.label) + "</span><span>" +
                   (all.metrics[0]->money ? all.unit.format(p.amounts[0], dec) : format_grouped(p.amounts[0], dec)) +
                   "</span></div>";
        out += "</div>\n";
    }
    if (const SheetSection* tiers = section(SheetSection::Kind::tiers))
        out += "<h2>" + tiers->title + "</h2>\n" + html_table(tiers->table) + "\n";
    if (!s.notes.empty()) {
        out += "<h2>" + say(all, "Why these numbers") + "</h2>\n<ul class=\"note\">";
        for (const auto& n : s.notes)
            out += "<li>" + escape_html(n) + "</li>";
        out += "</ul>\n";
    }
    out += "</body>\n</html>\n";
    return out;
}

}  // namespace tgt
