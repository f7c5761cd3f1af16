// Property tests: random plans (trees, weights, holds, quanta, calendars, step orders) always
// reconcile exactly, and match a slow reference written plainly with exact fractions.
#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <numeric>
#include <random>

#include "tgt/bounded_apportion.hpp"
#include "tgt/decompose.hpp"

using namespace tgt;

namespace {

// ---------------------------------------------------------------- exact fractions
Wide gcd_wide(Wide a, Wide b) {
    if (a < 0) a = -a;
    if (b < 0) b = -b;
    while (b != 0) {
        Wide t = a % b;
        a = b;
        b = t;
    }
    return a;
}

struct Fraction {
    Wide num = 0, den = 1;
    Fraction(Wide n = 0, Wide d = 1) : num(n), den(d) {
        Wide g = gcd_wide(num, den);
        if (g > 1) {
            num /= g;
            den /= g;
        }
    }
    friend Fraction operator+(Fraction a, Fraction b) { return {a.num * b.den + b.num * a.den, a.den * b.den}; }
    friend Fraction operator-(Fraction a, Fraction b) { return {a.num * b.den - b.num * a.den, a.den * b.den}; }
    friend Fraction operator*(Fraction a, Fraction b) { return {a.num * b.num, a.den * b.den}; }
    friend Fraction operator/(Fraction a, Fraction b) { return {a.num * b.den, a.den * b.num}; }
    friend bool operator<(Fraction a, Fraction b) { return a.num * b.den < b.num * a.den; }
    Wide floor() const { return num >= 0 ? num / den : -((-num + den - 1) / den); }
};

Fraction frac(const Decimal& d) {
    return {d.mantissa, pow10_wide(d.scale)};
}

// ---------------------------------------------------------------- the reference
// Largest remainder, written plainly: exact shares, floors, then a full sort of the remainders.
std::vector<Minor> reference_split(Minor total_quanta, const std::vector<Fraction>& weights) {
    Fraction sum;
    for (const auto& w : weights)
        sum = sum + w;
    std::vector<Minor> out(weights.size());
    std::vector<std::pair<Fraction, std::size_t>> remainders;
    Minor given = 0;
    for (std::size_t i = 0; i < weights.size(); ++i) {
        Fraction exact = Fraction(total_quanta) * weights[i] / sum;
        out[i] = static_cast<Minor>(exact.floor());
        given += out[i];
        remainders.emplace_back(exact - Fraction(out[i]), i);
    }
    std::stable_sort(remainders.begin(), remainders.end(),
                     [](const auto& a, const auto& b) { return b.first < a.first; });
    for (Minor k = 0; k < total_quanta - given; ++k)
        ++out[remainders[static_cast<std::size_t>(k)].second];
    return out;
}

struct Reference {
    const Plan& plan;
    std::size_t metric;
    std::map<std::vector<std::string>, Minor> cells;  // grain key → amount
    std::vector<int> key_of_step;                     // step → key position, or -1 (aggregated away)
    int period_key = -1;
    std::optional<TimeLevel> grain_period;

    // Children of a node at step s: (label, weight share) per child, following the plan's rules.
    void walk(std::size_t s, Minor amount, std::vector<std::string>& key, Date first, Date last,
              const std::vector<int>& member_at_depth_parent) {
        if (s == plan.steps.size()) {
            auto k = key;
            if (period_key >= 0)
                k[static_cast<std::size_t>(period_key)] =
                    period_containing(*grain_period, first, plan.fiscal_start_month).label;
            cells[k] += amount;
            return;
        }
        const Step& step = plan.steps[s];
        const Metric& m = plan.metrics[metric];
        std::vector<std::string> labels;
        std::vector<Share> shares;
        std::vector<std::pair<Date, Date>> ranges;
        std::vector<int> member_index;
        if (step.kind == Step::Kind::dimension) {
            const Dimension& dim = plan.dimensions[static_cast<std::size_t>(step.dimension)];
            const auto& level = dim.members[static_cast<std::size_t>(step.depth)];
            int parent = step.depth == 0 ? -1 : member_at_depth_parent[static_cast<std::size_t>(step.dimension)];
            for (std::size_t i = 0; i < level.size(); ++i) {
                if (level[i].parent != parent) continue;
                labels.push_back(level[i].id.str());
                shares.push_back(step.basis == Basis::equal ? Share{} : level[i].share);
                member_index.push_back(static_cast<int>(i));
            }
        } else {
            for (Date d = first; d <= last;) {
                Period p = period_containing(step.time, d, plan.fiscal_start_month);
                Date a = std::max(p.first, first), b = std::min(p.last, last);
                labels.push_back(p.label);
                ranges.emplace_back(a, b);
                Share sh;
                sh.kind = Share::Kind::ratio;
                Wide w = 0;
                for (Date x = a; x <= b; x += std::chrono::days{1}) {
                    if (step.basis == Basis::equal)
                        w = 1;
                    else if (step.basis == Basis::calendar_days)
                        w += 1;
                    else if (step.basis == Basis::working_days)
                        w += plan.calendar.is_working(x) ? 1 : 0;
                    else if (step.basis == Basis::weekday_pattern)
                        w += step.weekday[static_cast<std::size_t>(iso_weekday(x))].mantissa;
                }
                sh.value = Decimal{w, 0};
                shares.push_back(sh);
                d = b + std::chrono::days{1};
            }
        }
        // Over-assignment: the pool is the parent × allocate, rounded half up to the quantum.
        Minor pool = amount;
        if (step.allocate) {
            Fraction padded = Fraction(amount) * frac(*step.allocate) / Fraction(m.quantum);
            pool = static_cast<Minor>((padded + Fraction(1, 2)).floor()) * m.quantum;
        }
        std::vector<Minor> parts(labels.size(), 0);
        Minor held = 0;
        std::vector<std::size_t> free;
        for (std::size_t i = 0; i < shares.size(); ++i) {
            if (shares[i].kind == Share::Kind::amount && shares[i].amounts[metric]) {
                parts[i] = *shares[i].amounts[metric];
                held += parts[i];
            } else {
                free.push_back(i);
            }
        }
        REQUIRE(held <= pool);
        std::vector<Fraction> weights;
        Fraction pct_sum;
        std::size_t unset = 0;
        for (auto i : free) {
            if (shares[i].kind == Share::Kind::percent) pct_sum = pct_sum + frac(shares[i].value);
            if (shares[i].kind == Share::Kind::unset || shares[i].kind == Share::Kind::amount) ++unset;
        }
        for (auto i : free) {
            const Share& sh = shares[i];
            if (sh.kind == Share::Kind::percent || sh.kind == Share::Kind::ratio)
                weights.push_back(frac(sh.value));
            else if (pct_sum.num != 0)
                weights.push_back((Fraction(100) - pct_sum) / Fraction(static_cast<Wide>(unset)));
            else
                weights.push_back(Fraction(1));
        }
        bool all_zero = std::all_of(weights.begin(), weights.end(), [](const Fraction& f) { return f.num == 0; });
        if (!free.empty()) {
            if (all_zero) {
                REQUIRE(step.equal_if_all_zero);
                for (auto& w : weights)
                    w = Fraction(1);
            }
            auto shares_in_quanta = reference_split((pool - held) / m.quantum, weights);
            for (std::size_t j = 0; j < free.size(); ++j)
                parts[free[j]] = shares_in_quanta[j] * m.quantum;
        } else {
            REQUIRE(held == pool);
        }
        for (std::size_t i = 0; i < labels.size(); ++i) {
            std::vector<int> members = member_at_depth_parent;
            if (step.kind == Step::Kind::dimension) members[static_cast<std::size_t>(step.dimension)] = member_index[i];
            int pos = key_of_step[s];
            if (pos >= 0) key[static_cast<std::size_t>(pos)] = labels[i];
            Date a = first, b = last;
            if (step.kind == Step::Kind::time) std::tie(a, b) = ranges[i];
            walk(s + 1, parts[i], key, a, b, members);
        }
    }
};

// ---------------------------------------------------------------- random plans
struct Generator {
    std::mt19937_64 rng;
    explicit Generator(std::uint64_t seed) : rng(seed) {}
    int uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); }
    bool chance(int percent) { return uniform(1, 100) <= percent; }

    std::string date(int day_of_year) {
        return format_date(*parse_date("2027-01-01") + std::chrono::days{day_of_year});
    }

    std::string percentages(int n, bool leave_room) {
        // n percentages with up to one decimal that total 100 (or less, leaving room for an unset member).
        int budget = leave_room ? uniform(0, 900) : 1000;
        std::vector<int> cuts;
        for (int i = 0; i < n - 1; ++i)
            cuts.push_back(uniform(0, budget));
        cuts.push_back(0);
        cuts.push_back(budget);
        std::sort(cuts.begin(), cuts.end());
        std::vector<std::string> out;
        for (int i = 0; i < n; ++i) {
            int tenths = cuts[static_cast<std::size_t>(i + 1)] - cuts[static_cast<std::size_t>(i)];
            out.push_back(fmt::format("\"{}.{}%\"", tenths / 10, tenths % 10));
        }
        return fmt::format("{}", fmt::join(out, ","));
    }

    // Members of one sibling group; `hold_budget` > 0 allows explicit amounts (top level only).
    std::string members(const std::string& prefix, int depth, int levels, Minor hold_budget, Minor quantum,
                        int& counter) {
        int n = uniform(1, 4);
        int style = uniform(0, 4);  // 0 ratio, 1 percent, 2 unset, 3 percent + rest, 4 holds + rest
        if (style == 3 && n < 2) style = 1;
        if (style == 4 && (hold_budget <= 0 || n < 2)) style = 0;
        std::vector<std::string> pcts;
        if (style == 1 || style == 3) {
            std::string p = percentages(style == 3 ? n - 1 : n, style == 3);
            std::size_t start = 0;
            while (start < p.size()) {
                auto comma = p.find(',', start);
                if (comma == std::string::npos) comma = p.size();
                pcts.push_back(p.substr(start, comma - start));
                start = comma + 1;
            }
        }
        std::vector<std::string> items;
        for (int i = 0; i < n; ++i) {
            std::string id = fmt::format("{}{}", prefix, counter++);
            std::string share;
            if (style == 0) share = fmt::format(", \"weight\": {}", chance(15) ? 0 : uniform(1, 1000));
            if ((style == 1 || style == 3) && i < static_cast<int>(pcts.size()))
                share = ", \"weight\": " + pcts[static_cast<std::size_t>(i)];
            if (style == 4 && i > 0)
                share = fmt::format(", \"amount\": {}",
                                    (hold_budget / n / quantum) * quantum / uniform(1, 3) / quantum * quantum);
            std::string children;
            if (depth + 1 < levels)
                children = ", \"members\": [" + members(prefix, depth + 1, levels, 0, quantum, counter) + "]";
            items.push_back(fmt::format("{{\"id\": \"{}\"{}{}}}", id, share, children));
        }
        return fmt::format("{}", fmt::join(items, ", "));
    }

    struct Made {
        std::string json;
        std::vector<std::string> dim_levels;
        std::optional<TimeLevel> finest;
    };

    Made plan() {
        Made made;
        // Period: a calendar year, part of a year, or a fiscal year.
        std::string period;
        int kind = uniform(0, 2);
        if (kind == 0)
            period = "\"2027\"";
        else if (kind == 1) {
            int a = uniform(0, 300), b = uniform(a, 364);
            period = fmt::format("{{\"start\": \"{}\", \"end\": \"{}\"}}", date(a), date(b));
        } else
            period = fmt::format("{{\"year\": 2027, \"fiscal_year_start\": {}}}", uniform(2, 12));
        std::vector<std::string> holidays, workdays;
        for (int i = uniform(0, 12); i > 0; --i)
            holidays.push_back("\"" + date(uniform(0, 364)) + "\"");
        for (int i = uniform(0, 3); i > 0; --i) {
            std::string d = "\"" + date(uniform(0, 364)) + "\"";
            if (std::find(holidays.begin(), holidays.end(), d) == holidays.end()) workdays.push_back(d);
        }
        // Fiscal years reach into 2028, which the calendar covers (with no holidays) by saying so.
        std::string calendar = fmt::format("{{\"years\": [2027, 2028], \"holidays\": [{}], \"workdays\": [{}]}}",
                                           fmt::join(holidays, ","), fmt::join(workdays, ","));
        static const Minor quanta[] = {1, 1, 10, 100, 10000};
        Minor quantum = quanta[uniform(0, 4)];
        Minor total = static_cast<Minor>(std::uniform_int_distribution<std::int64_t>(0, 100'000'000'000)(rng)) /
                      quantum * quantum;
        if (chance(10)) total = uniform(0, 50) * quantum;
        std::string metrics =
            fmt::format("[{{\"id\": \"m\", \"decimals\": 2, \"quantum\": \"{}\", \"total\": \"{}\"}}]",
                        format_minor(quantum, 2), format_minor(total, 2));
        // Dimensions.
        std::vector<std::string> dims;
        std::vector<std::vector<std::string>> dim_level_names;
        int counter = 0;
        for (int d = uniform(0, 2); d > 0; --d) {
            int levels = uniform(1, 2);
            std::vector<std::string> names;
            for (int l = 0; l < levels; ++l)
                names.push_back(fmt::format("d{}l{}", dims.size(), l));
            std::string prefix = fmt::format("m{}_", dims.size());
            Minor hold_budget = dims.empty() ? total : 0;  // holds only where the parent is the plan total
            dims.push_back(fmt::format("{{\"id\": \"d{}\", \"levels\": [\"{}\"], \"members\": [{}]}}", dims.size(),
                                       fmt::join(names, "\", \""),
                                       members(prefix, 0, levels, hold_budget, quantum, counter)));
            dim_level_names.push_back(names);
        }
        // Time steps: a random subset of quarter, month, week, day, in order.
        std::vector<std::string> time_steps;
        static const char* bases[] = {"equal", "working_days", "days", "weekday_pattern"};
        for (auto level : {TimeLevel::quarter, TimeLevel::month, TimeLevel::week, TimeLevel::day}) {
            if (!chance(45)) continue;
            std::string basis = bases[uniform(0, 3)];
            std::string extra =
                basis == "weekday_pattern"
                    ? fmt::format(", \"pattern\": [{},{},{},{},{},{},{}]", uniform(0, 9), uniform(0, 9), uniform(0, 9),
                                  uniform(0, 9), uniform(0, 9), uniform(0, 9), uniform(0, 9))
                    : "";
            time_steps.push_back(fmt::format("{{\"level\": \"{}\", \"by\": \"{}\"{}, \"if_all_zero\": \"equal\"}}",
                                             time_level_name(level), basis, extra));
            made.finest = level;
        }
        // Interleave dimension levels (each in its own order) with the time steps.
        std::vector<std::vector<std::string>> queues;
        for (std::size_t d = 0; d < dim_level_names.size(); ++d) {
            std::vector<std::string> q;
            for (const auto& name : dim_level_names[d]) {
                std::string allocate = chance(15) ? fmt::format(", \"allocate\": \"{}%\"", uniform(100, 130)) : "";
                q.push_back(fmt::format("{{\"level\": \"{}\", \"if_all_zero\": \"equal\"{}}}", name, allocate));
                made.dim_levels.push_back(name);
            }
            queues.push_back(q);
        }
        queues.push_back(time_steps);
        std::vector<std::string> split;
        std::vector<std::size_t> next(queues.size(), 0);
        while (true) {
            std::vector<std::size_t> open;
            for (std::size_t q = 0; q < queues.size(); ++q)
                if (next[q] < queues[q].size()) open.push_back(q);
            if (open.empty()) break;
            std::size_t q = open[static_cast<std::size_t>(uniform(0, static_cast<int>(open.size()) - 1))];
            split.push_back(queues[q][next[q]++]);
        }
        if (split.empty()) split.push_back(R"({"level": "month", "by": "equal"})"), made.finest = TimeLevel::month;
        made.json = fmt::format(R"({{"period": {}, "calendar": {}, "metrics": {}, "dimensions": [{}], "split": [{}]}})",
                                period, calendar, metrics, fmt::join(dims, ", "), fmt::join(split, ", "));
        return made;
    }
};

}  // namespace

TEST_CASE("random plans reconcile exactly and match the fraction reference") {
    int compared = 0;
    for (std::uint64_t seed = 1; seed <= 300; ++seed) {
        Generator gen(seed);
        auto made = gen.plan();
        INFO("seed " << seed << "\n" << made.json);
        Plan plan = parse_plan(made.json, "random.json");
        std::optional<Decomposition> d;
        try {
            d.emplace(plan);
        } catch (const Error& e) {
            // Percentages that happen to leave no room, etc.: the engine must say so, never split.
            CHECK_FALSE(e.diagnostics().empty());
            continue;
        }
        SplitRequest request;
        request.by = made.dim_levels;
        request.period = made.finest;
        std::map<std::vector<std::string>, Minor> engine;
        Minor sum = 0;
        try {
            d->run(request, [&](const SplitRow& row) {
                std::vector<std::string> key(row.keys.begin(), row.keys.end());
                CHECK(engine.count(key) == 0);  // each grain key appears once
                engine[key] = row.amounts[0];
                CHECK(row.amounts[0] >= 0);
                sum += row.amounts[0];
            });
        } catch (const Error& e) {
            CHECK(std::string(e.what()).find("held amounts") != std::string::npos);
            continue;
        }
        Minor expected_total = plan.metrics[0].total;
        bool padded =
            std::any_of(plan.steps.begin(), plan.steps.end(), [](const Step& s) { return s.allocate.has_value(); });
        if (!padded) CHECK(sum == expected_total);

        Reference ref{plan, 0, {}, {}, -1, made.finest};
        std::size_t keys = 0;
        for (const auto& step : plan.steps) {
            bool keyed = step.kind == Step::Kind::dimension;
            ref.key_of_step.push_back(keyed ? static_cast<int>(keys++) : -1);
        }
        if (made.finest) ref.period_key = static_cast<int>(keys++);
        std::vector<std::string> key(keys);
        ref.walk(0, expected_total, key, plan.first, plan.last, std::vector<int>(plan.dimensions.size(), -1));
        // A parallel walk gives the same rows in the same order.
        {
            SplitRequest parallel = request;
            parallel.threads = 2;
            std::vector<std::pair<std::vector<std::string>, Minor>> seq, par;
            d->run(request, [&](const SplitRow& row) {
                seq.emplace_back(std::vector<std::string>(row.keys.begin(), row.keys.end()), row.amounts[0]);
            });
            d->run(parallel, [&](const SplitRow& row) {
                par.emplace_back(std::vector<std::string>(row.keys.begin(), row.keys.end()), row.amounts[0]);
            });
            CHECK(seq == par);
        }
        // The engine orders key columns by split order, which is how the reference builds them too.
        CHECK(engine == ref.cells);
        ++compared;

        // Coarser grains are sums of the finest one.
        for (auto period : {std::optional<TimeLevel>{}, std::optional<TimeLevel>{TimeLevel::year}}) {
            SplitRequest coarse;
            coarse.period = period;
            Minor coarse_sum = 0;
            try {
                d->run(coarse, [&](const SplitRow& row) { coarse_sum += row.amounts[0]; });
            } catch (const Error&) {
                continue;  // a fiscal year grain can cut a week: reported as a usage error
            }
            CHECK(coarse_sum == sum);
        }
    }
    CHECK(compared > 200);
}

namespace {

// The exact bounded quotas, written plainly: x_i = clamp(λ·w_i, f_i, c_i) with S(λ) = Σ x_i = total,
// found by trying every breakpoint f_i/w_i, c_i/w_i and interpolating on the segment that holds
// the total. nullopt when no λ reaches the total (zero-weight children must absorb the rest).
std::optional<std::vector<Fraction>> bounded_quotas(Minor total, const std::vector<Minor>& w,
                                                    const std::vector<Minor>& f, const std::vector<Minor>& c) {
    auto quotas = [&](Fraction lambda) {
        std::vector<Fraction> x(w.size());
        for (std::size_t i = 0; i < w.size(); ++i) {
            Fraction q = lambda * Fraction(w[i]);
            if (q < Fraction(f[i])) q = Fraction(f[i]);
            if (c[i] != kNoCap && Fraction(c[i]) < q) q = Fraction(c[i]);
            x[i] = q;
        }
        return x;
    };
    auto sum_of = [](const std::vector<Fraction>& x) {
        Fraction s;
        for (const auto& v : x)
            s = s + v;
        return s;
    };
    std::vector<Fraction> points{Fraction(0)};
    for (std::size_t i = 0; i < w.size(); ++i) {
        if (w[i] == 0) continue;
        points.emplace_back(f[i], w[i]);
        if (c[i] != kNoCap) points.emplace_back(c[i], w[i]);
    }
    std::sort(points.begin(), points.end());
    Fraction target(total);
    for (std::size_t k = 0; k < points.size(); ++k) {
        Fraction lo = sum_of(quotas(points[k]));
        if (target < lo) continue;
        if (k + 1 == points.size()) {
            // Past the last breakpoint only uncapped weighted children grow: λ = (total − fixed)/W.
            Fraction fixed, weight;
            auto x = quotas(points[k]);
            for (std::size_t i = 0; i < w.size(); ++i) {
                if (w[i] > 0 && c[i] == kNoCap && !(Fraction(w[i]) * points[k] < Fraction(f[i])))
                    weight = weight + Fraction(w[i]);
                else
                    fixed = fixed + x[i];
            }
            if (weight.num == 0) return lo.num * target.den == target.num * lo.den ? std::optional(x) : std::nullopt;
            return quotas((target - fixed) / weight);
        }
        Fraction hi = sum_of(quotas(points[k + 1]));
        if (hi < target) continue;
        if (hi.num * lo.den == lo.num * hi.den) return quotas(points[k]);
        // S is linear between breakpoints.
        Fraction lambda = points[k] + (points[k + 1] - points[k]) * (target - lo) / (hi - lo);
        return quotas(lambda);
    }
    return std::nullopt;
}

}  // namespace

TEST_CASE("random bounds: results meet every bound, sum exactly and round the exact bounded quotas") {
    std::mt19937_64 rng(14);
    auto uniform = [&](Minor lo, Minor hi) { return std::uniform_int_distribution<Minor>(lo, hi)(rng); };
    int feasible = 0, infeasible = 0;
    for (int round = 0; round < 3000; ++round) {
        std::size_t n = static_cast<std::size_t>(uniform(1, 9));
        Minor total = uniform(0, 2000);
        std::vector<Minor> w(n), f(n), c(n);
        for (std::size_t i = 0; i < n; ++i) {
            w[i] = uniform(0, 4) == 0 ? 0 : uniform(1, 50);
            f[i] = uniform(0, 2) == 0 ? uniform(0, 2 * total / static_cast<Minor>(n) + 1) : 0;
            c[i] = uniform(0, 2) == 0 ? uniform(0, 3 * total / static_cast<Minor>(n) + 1) : kNoCap;
        }
        if (std::all_of(w.begin(), w.end(), [](Minor v) { return v == 0; })) w[0] = 1;
        INFO("round " << round << " total " << total);
        auto problems = bound_violations(total, f, c);
        Wide floors = 0, caps = 0;
        bool crossed = false;
        for (std::size_t i = 0; i < n; ++i) {
            floors += f[i];
            caps += c[i];
            crossed = crossed || f[i] > c[i];
        }
        bool impossible = floors > total || caps < total || crossed;
        CHECK(problems.empty() == !impossible);  // infeasible bounds are always reported
        if (impossible) {
            CHECK_THROWS_AS(apportion_bounded(total, WeightSet::from(w), f, c), std::invalid_argument);
            ++infeasible;
            continue;
        }
        auto out = apportion_bounded(total, WeightSet::from(w), f, c);
        Minor sum = 0;
        for (std::size_t i = 0; i < n; ++i) {
            CHECK(out[i] >= f[i]);
            CHECK(out[i] <= c[i]);
            sum += out[i];
        }
        CHECK(sum == total);
        // Closest: each child is its exact bounded quota rounded down or up.
        if (auto x = bounded_quotas(total, w, f, c)) {
            for (std::size_t i = 0; i < n; ++i) {
                Wide lo = (*x)[i].floor();
                CHECK(out[i] >= lo);
                CHECK(out[i] <= lo + 1);
            }
            ++feasible;
        }
        // No exact quota total·w_i/Σw crosses a bound: exactly the unbounded split.
        auto plain = apportion(total, WeightSet::from(w));
        Minor weight_sum = std::accumulate(w.begin(), w.end(), Minor{0});
        bool binds = false;
        for (std::size_t i = 0; i < n; ++i) {
            tgt::Fraction q(Wide{total} * w[i], weight_sum);
            binds = binds || q < tgt::Fraction(f[i]) || (c[i] != kNoCap && tgt::Fraction(c[i]) < q);
        }
        if (!binds) CHECK(out == plain);
    }
    CHECK(feasible > 500);
    CHECK(infeasible > 200);
}

TEST_CASE("random plans with floors and caps: every cell meets its bounds or the plan is refused") {
    std::mt19937_64 rng(1414);
    auto uniform = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    int split_ok = 0, refused = 0;
    for (int round = 0; round < 60; ++round) {
        // Regions with whole-ton amounts, months by random weights, one floor and one cap for all.
        int regions = uniform(1, 4);
        std::vector<int> amounts;
        std::string members, weights;
        for (int r = 0; r < regions; ++r) {
            amounts.push_back(uniform(0, 20000));
            members += fmt::format("{}{{\"id\": \"R{}\", \"amount\": {}}}", r ? ", " : "", r, amounts.back());
        }
        for (int m = 0; m < 12; ++m)
            weights += fmt::format("{}{}", m ? ", " : "", uniform(0, 9));
        int floor = uniform(0, 1200), cap = floor + uniform(0, 2500);
        std::string json = fmt::format(
            R"({{"period": "2027", "metrics": [{{"id": "t", "kind": "count"}}],
                "dimensions": [{{"id": "region", "members": [{}]}}],
                "split": [{{"level": "region"}}, {{"level": "month", "weights": [{}], "normalize": true,
                           "floor": "{}", "cap": "{}", "if_all_zero": "equal"}}]}})",
            members, weights, floor, cap);
        INFO(json);
        Plan plan = parse_plan(json, "bounds.json");
        bool feasible = true;
        for (int a : amounts)
            feasible = feasible && 12 * floor <= a && a <= 12 * cap;
        std::map<std::string, Minor> sums;
        try {
            Decomposition d(plan);
            SplitRequest request;
            request.by = {"region"};
            request.period = TimeLevel::month;
            d.run(request, [&](const SplitRow& row) {
                CHECK(row.amounts[0] >= floor);
                CHECK(row.amounts[0] <= cap);
                sums[std::string(row.keys[0])] += row.amounts[0];
            });
        } catch (const Error& e) {
            CHECK_FALSE(feasible);  // infeasible bounds are always reported, feasible ones never
            CHECK(std::string(e.what()).find("cannot be met") != std::string::npos);
            ++refused;
            continue;
        }
        CHECK(feasible);
        for (int r = 0; r < regions; ++r)
            CHECK(sums[fmt::format("R{}", r)] == amounts[static_cast<std::size_t>(r)]);  // sums exactly
        ++split_ok;
    }
    CHECK(split_ok > 5);
    CHECK(refused > 5);
}
