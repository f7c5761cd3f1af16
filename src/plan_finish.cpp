#include "plan_finish.hpp"

#include <fmt/format.h>

#include <stdexcept>

#include "tgt/capacity.hpp"

namespace tgt::detail {

namespace {

void set_hold(Member& m, std::size_t metric, Minor amount, std::string origin, std::size_t metrics) {
    if (m.share.kind != Share::Kind::amount) {
        PlanPlace where = m.share.where.known() ? m.share.where : m.where;
        m.share = Share{};
        m.share.kind = Share::Kind::amount;
        m.share.where = where;
    }
    m.share.amounts.resize(metrics);
    m.share.edit_origins().resize(metrics);
    m.share.amounts[metric] = amount;
    m.share.edit_origins()[metric] = std::move(origin);
}

// Whether a member's availability limits it inside the plan's period.
bool limited_in(const Plan& plan, const Availability& a) {
    return (a.start && *a.start > plan.first) || (a.end && *a.end < plan.last);
}

class Finisher {
public:
    Finisher(Plan& plan, Diagnostics& problems) : plan_(plan), problems_(problems), clock_(plan.calendar) {}

    void run() {
        apply_growth();
        inherit_availability();
        check_profiled_levels();
        capacity_amounts();
        scale_stretch_holds();
        roll_up();
        add_unassigned_members();
    }

private:
    void apply_growth() {
        for (auto& dim : plan_.dimensions)
            for (auto& level : dim.members)
                for (auto& m : level) {
                    if (!m.baseline) continue;
                    if (m.share.kind != Share::Kind::amount) {
                        problems_.error(m.where, fmt::format("member \"{}\" has a growth but no baseline", m.id),
                                        "give it \"baseline\", or the level a \"baseline\" file");
                        continue;
                    }
                    Decimal growth = m.growth().value_or(Decimal{});
                    m.share.edit_origins().resize(plan_.metrics.size());
                    for (std::size_t k = 0; k < plan_.metrics.size(); ++k) {
                        if (!m.share.holds(k)) continue;
                        const Metric& metric = plan_.metrics[k];
                        Minor base = *m.share.amounts[k];
                        try {
                            m.share.amounts[k] = grown_amount(base, growth, metric.quantum);
                        } catch (const std::exception& e) {
                            problems_.error(m.where, fmt::format("member \"{}\": {}", m.id, e.what()));
                            continue;
                        }
                        std::string from =
                            m.share.origins()[k].empty() ? std::string() : " (" + m.share.origins()[k] + ")";
                        Decimal size{growth.is_negative() ? -growth.mantissa : growth.mantissa, growth.scale};
                        m.share.edit_origins()[k] =
                            fmt::format("baseline {}{} × (1 {} {})", format_minor(base, metric.decimals), from,
                                        growth.is_negative() ? "-" : "+", format_percent(size));
                    }
                }
    }

    // Active dates pass down a dimension (a store's categories open with the store); the level's
    // ramp applies to members that join inside the period.
    void inherit_availability() {
        for (auto& dim : plan_.dimensions)
            for (std::size_t depth = 1; depth < dim.members.size(); ++depth)
                for (auto& m : dim.members[depth]) {
                    const Member& parent = dim.members[depth - 1][static_cast<std::size_t>(m.parent)];
                    const Availability& from = parent.availability();
                    if (!m.availability().start && from.start) m.edit_details().availability.start = from.start;
                    if (!m.availability().end && from.end) m.edit_details().availability.end = from.end;
                }
        for (const auto& step : plan_.steps) {
            if (step.kind != Step::Kind::dimension) continue;
            auto& level = plan_.dimensions[static_cast<std::size_t>(step.dimension)]
                              .members[static_cast<std::size_t>(step.depth)];
            for (auto& m : level) {
                bool joins = m.availability().start && *m.availability().start > plan_.first &&
                             *m.availability().start <= plan_.last;
                // Only members that join ramp: their own ramp, else the step's. (Details are written
                // only when they change: most members have none.)
                if (!joins) {
                    if (!m.availability().ramp.empty()) m.edit_details().availability.ramp.clear();
                } else if (!m.own_ramp()) {
                    m.edit_details().availability.ramp = step.ramp;
                }
                if (m.availability().start && *m.availability().start > plan_.last)
                    problems_.warning(m.where, fmt::format("member \"{}\" starts after the plan's period ends", m.id));
            }
        }
    }

    // Members with dates or ramps shape the time split below them; a time level above them would
    // have to weigh them per period, which the engine does not do.
    void check_profiled_levels() {
        bool time_seen = false;
        for (const auto& step : plan_.steps) {
            if (step.kind == Step::Kind::time) {
                time_seen = true;
                continue;
            }
            if (!time_seen) continue;
            const auto& level = plan_.dimensions[static_cast<std::size_t>(step.dimension)]
                                    .members[static_cast<std::size_t>(step.depth)];
            for (const auto& m : level)
                if (limited_in(plan_, m.availability()) || !m.availability().ramp.empty()) {
                    problems_.error(
                        step.where,
                        fmt::format("level \"{}\" has members with start/end dates or ramps (\"{}\"), but is "
                                    "split after a time level",
                                    step.level, m.id),
                        "split dimension levels with dates before any time level");
                    break;
                }
        }
    }

    Fraction months_of(const Member& m, bool with_ramp) const {
        return clock_.months(plan_.first, plan_.last, m.availability(), with_ramp);
    }

    // Bottom-up metrics take a capacity as the member's amount; where a member also has an amount,
    // say how far apart they are and what the amount implies.
    void capacity_amounts() {
        for (const auto& step : plan_.steps) {
            if (step.kind != Step::Kind::dimension) continue;
            auto& level = plan_.dimensions[static_cast<std::size_t>(step.dimension)]
                              .members[static_cast<std::size_t>(step.depth)];
            std::vector<std::string> missing;
            for (auto& m : level) {
                if (!m.capacity()) {
                    if (step.basis == Basis::capacity && m.share.kind != Share::Kind::amount)
                        missing.push_back(m.id.str());
                    continue;
                }
                Fraction months = months_of(m, true);
                for (std::size_t k = 0; k < plan_.metrics.size(); ++k) {
                    const Metric& metric = plan_.metrics[k];
                    if (metric.rate || metric.stretch_of >= 0) continue;
                    if (m.capacity()->rate.size() <= k || !m.capacity()->rate[k]) {
                        if (step.basis == Basis::capacity)
                            problems_.error(
                                m.capacity()->where,
                                fmt::format("member \"{}\": capacity has no rate for metric \"{}\"", m.id, metric.id));
                        continue;
                    }
                    Fraction exact = Fraction::of(m.capacity()->headcount) * Fraction(*m.capacity()->rate[k]) * months;
                    Minor amount = round_to_quantum(exact, metric.quantum);
                    std::string words = describe_capacity(plan_, m, k, months);
                    if (m.share.holds(k)) {
                        Minor quota = *m.share.amounts[k];
                        if (quota != amount) report_disagreement(m, k, quota, amount, months, words);
                    } else if (metric.bottom_up) {
                        set_hold(m, k, amount, "capacity " + words, plan_.metrics.size());
                    }
                }
            }
            if (!missing.empty())
                problems_.error(
                    step.where,
                    fmt::format("level \"{}\" splits by capacity, but {} member(s) have none (first: \"{}\")",
                                step.level, missing.size(), missing.front()),
                    "give each member \"capacity\": {\"headcount\": …, \"rate\": …} or an \"amount\"");
        }
    }

    void report_disagreement(const Member& m, std::size_t k, Minor quota, Minor capacity, const Fraction& months,
                             const std::string& words) {
        const Metric& metric = plan_.metrics[k];
        Minor diff = quota - capacity;
        Fraction per_month = Fraction::of(m.capacity()->headcount) * Fraction(*m.capacity()->rate[k]);
        Fraction per_head = Fraction(*m.capacity()->rate[k]) * months;
        std::string implied;
        if (!per_month.is_zero())
            implied = fmt::format("the quota implies {} months at {} head(s)",
                                  format_fraction_decimal(Fraction(quota) / per_month, 2),
                                  format_decimal(m.capacity()->headcount));
        if (!per_head.is_zero())
            implied +=
                fmt::format("{}{} head(s) for {} months", implied.empty() ? "the quota implies " : ", or ",
                            format_fraction_decimal(Fraction(quota) / per_head, 2), format_fraction_decimal(months, 2));
        problems_.warning(
            m.where,
            fmt::format("member \"{}\": {} {} but capacity {} = {} ({} by {}); {}", m.id, metric.id,
                        format_minor(quota, metric.decimals), words, format_minor(capacity, metric.decimals),
                        diff > 0 ? "over" : "under", format_minor(diff > 0 ? diff : -diff, metric.decimals), implied),
            "the amount is used; correct it or the capacity");
    }

    // A stretch version holds each held amount scaled by the stretch ratio, unless the member gives
    // its own stretch amount.
    void scale_stretch_holds() {
        for (std::size_t s = 0; s < plan_.metrics.size(); ++s) {
            const Metric& stretch = plan_.metrics[s];
            if (stretch.stretch_of < 0) continue;
            auto c = static_cast<std::size_t>(stretch.stretch_of);
            const Metric& commit = plan_.metrics[c];
            Fraction ratio;
            if (stretch.stretch_ratio)
                ratio = Fraction::of(*stretch.stretch_ratio);
            else if (commit.total > 0)
                ratio = Fraction(stretch.total, commit.total);
            else
                continue;
            for (auto& dim : plan_.dimensions)
                for (auto& level : dim.members)
                    for (auto& m : level)
                        if (m.share.holds(c) && !m.share.holds(s))
                            set_hold(m, s, round_to_quantum(Fraction(*m.share.amounts[c]) * ratio, stretch.quantum),
                                     fmt::format("{} × {}", format_minor(*m.share.amounts[c], commit.decimals),
                                                 format_fraction_decimal(ratio, 4)),
                                     plan_.metrics.size());
        }
    }

    // The amount a member stands for bottom-up: its own hold, or the sum of its children's.
    std::optional<Minor> rolled_amount(Dimension& dim, std::size_t depth, Member& m, std::size_t k) {
        if (m.share.holds(k)) return *m.share.amounts[k];
        if (depth + 1 >= dim.members.size() || m.children().empty()) return std::nullopt;
        Minor sum = 0;
        for (int child : m.children()) {
            auto a = rolled_amount(dim, depth + 1, dim.members[depth + 1][static_cast<std::size_t>(child)], k);
            if (!a) return std::nullopt;
            sum = checked_add(sum, *a);
        }
        set_hold(m, k, sum, fmt::format("Σ {}", dim.levels[depth + 1]), plan_.metrics.size());
        return sum;
    }

    // A member without a share of its own whose sub-members all carry amounts stands for their sum,
    // at any level (deepest first, so sums climb); only where no time level splits in between.
    void roll_up_members() {
        for (std::size_t d = 0; d < plan_.dimensions.size(); ++d) {
            Dimension& dim = plan_.dimensions[d];
            if (dim.members.size() < 2) continue;  // one level (or none, in a plan with errors)
            for (std::size_t depth = dim.members.size() - 1; depth-- > 0;) {
                if (time_between(static_cast<int>(d), depth)) continue;
                for (auto& m : dim.members[depth]) {
                    if (m.share.kind != Share::Kind::unset || m.children().empty()) continue;
                    for (std::size_t k = 0; k < plan_.metrics.size(); ++k) {
                        if (plan_.metrics[k].rate) continue;
                        Minor sum = 0;
                        bool all = true;
                        for (int c : m.children()) {
                            const Member& child = dim.members[depth + 1][static_cast<std::size_t>(c)];
                            all = all && child.share.holds(k);
                            if (all) sum = checked_add(sum, *child.share.amounts[k]);
                        }
                        if (all) set_hold(m, k, sum, fmt::format("Σ {}", dim.levels[depth + 1]), plan_.metrics.size());
                    }
                }
            }
        }
    }

    // Whether a time level is split between a dimension's level `depth` and the one below it.
    bool time_between(int dimension, std::size_t depth) const {
        int upper = -1, lower = -1;
        for (std::size_t s = 0; s < plan_.steps.size(); ++s) {
            const Step& step = plan_.steps[s];
            if (step.kind != Step::Kind::dimension || step.dimension != dimension) continue;
            if (static_cast<std::size_t>(step.depth) == depth) upper = static_cast<int>(s);
            if (static_cast<std::size_t>(step.depth) == depth + 1) lower = static_cast<int>(s);
        }
        if (upper < 0 || lower < 0) return true;
        for (int s = upper + 1; s < lower; ++s)
            if (plan_.steps[static_cast<std::size_t>(s)].kind == Step::Kind::time) return true;
        return false;
    }

    void roll_up() {
        roll_up_members();
        for (std::size_t k = 0; k < plan_.metrics.size(); ++k) {
            Metric& metric = plan_.metrics[k];
            if (!metric.bottom_up || metric.rate) continue;
            const Step* first = plan_.steps.empty() ? nullptr : &plan_.steps.front();
            if (!first || first->kind != Step::Kind::dimension) {
                problems_.error(metric.where, fmt::format("metric \"{}\" has no \"total\"", metric.id),
                                "give it a total, or split first by a dimension level whose members carry amounts");
                continue;
            }
            Dimension& dim = plan_.dimensions[static_cast<std::size_t>(first->dimension)];
            Minor total = 0;
            std::vector<std::string> missing;
            for (auto& m : dim.members[0]) {
                auto a = rolled_amount(dim, 0, m, k);
                if (!a)
                    missing.push_back(m.id.str());
                else
                    total = checked_add(total, *a);
            }
            if (!missing.empty()) {
                problems_.error(metric.where,
                                fmt::format("metric \"{}\" has no \"total\", and {} {}(s) have no amount to add up "
                                            "(first: \"{}\")",
                                            metric.id, missing.size(), first->level, missing.front()),
                                "give the metric a total (top-down), or every member an amount, a baseline or a "
                                "capacity (bottom-up)");
                continue;
            }
            metric.total = total;
            metric.origin = fmt::format("Σ {}", first->level);
        }
    }

    // "ramp_rest": "unassigned": under every parent with a member that joins, leaves or ramps inside
    // the parent's active time, one more member takes what their active shares free up; deeper
    // levels get a single "(unassigned)" child each.
    void add_unassigned_members() {
        for (const auto& step : plan_.steps) {
            if (step.kind != Step::Kind::dimension || !step.ramp_rest_unassigned) continue;
            Dimension& dim = plan_.dimensions[static_cast<std::size_t>(step.dimension)];
            auto depth = static_cast<std::size_t>(step.depth);
            // Parents with a child whose dates or ramp limit it inside the parent's own active time.
            auto limits = [&](const Member& m, int parent) {
                auto [first, last] =
                    parent < 0 ? std::pair{plan_.first, plan_.last}
                               : active_window(dim.members[depth - 1][static_cast<std::size_t>(parent)].availability(),
                                               plan_.first, plan_.last);
                return limited_within(m.availability(), first, last);
            };
            std::vector<int> parents;
            if (depth == 0) {
                for (const auto& m : dim.members[0])
                    if (limits(m, -1)) {
                        parents.push_back(-1);
                        break;
                    }
            } else {
                for (std::size_t p = 0; p < dim.members[depth - 1].size(); ++p)
                    for (int c : dim.members[depth - 1][p].children())
                        if (limits(dim.members[depth][static_cast<std::size_t>(c)], static_cast<int>(p))) {
                            parents.push_back(static_cast<int>(p));
                            break;
                        }
            }
            for (int parent : parents) {
                int above = parent;
                for (std::size_t d = depth; d < dim.members.size(); ++d) {
                    Member u;
                    u.id = kUnassignedId;
                    u.parent = above;
                    u.unassigned = d == depth;
                    u.placeholder = true;
                    u.where = step.where;
                    dim.members[d].push_back(u);
                    int self = static_cast<int>(dim.members[d].size()) - 1;
                    if (above >= 0)
                        dim.members[d - 1][static_cast<std::size_t>(above)].edit_details().children.push_back(self);
                    above = self;
                }
            }
        }
    }

    Plan& plan_;
    Diagnostics& problems_;
    CapacityCalendar clock_;
};

}  // namespace

std::string describe_capacity(const Plan& plan, const Member& member, std::size_t metric, const Fraction& months) {
    const Metric& m = plan.metrics[metric];
    Minor rate = member.capacity() && member.capacity()->rate.size() > metric && member.capacity()->rate[metric]
                     ? *member.capacity()->rate[metric]
                     : 0;
    return fmt::format("{} × {} × {} months",
                       format_decimal(member.capacity() ? member.capacity()->headcount : Decimal{}),
                       format_minor(rate, m.decimals),
                       months.den == 1 ? format_fraction(months)
                                       : format_fraction(months) + " = " + format_fraction_decimal(months, 4));
}

void finish_plan(Plan& plan, Diagnostics& problems) {
    Finisher(plan, problems).run();
}

}  // namespace tgt::detail
