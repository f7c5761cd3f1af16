// Floors and caps of a split step, resolved per sibling group and applied when a pool is split.

#include <fmt/format.h>

#include <algorithm>

#include "decomposition_impl.hpp"
#include "tgt/bounded_apportion.hpp"

namespace tgt::detail {

namespace {

// The bound of child `name` for metric m: its own, else the step's "every", else none (`key`: a
// lookup buffer).
std::optional<Minor> bound_of(const StepBound& bound, std::string_view name, std::size_t m, std::string& key) {
    auto it = bound.keyed.empty() ? bound.keyed.end() : find_key(bound.keyed, name, key);
    if (it != bound.keyed.end() && it->second.holds(m)) return *it->second.amounts[m];
    if (bound.every && bound.every->holds(m)) return *bound.every->amounts[m];
    return std::nullopt;
}

}  // namespace

void attach_bounds(const Step& step, const ChildNames& names, std::size_t m, const Metric& metric, MetricRule& rule,
                   const std::function<void(std::string, std::string)>& fail) {
    const std::size_t n = names.size();
    std::vector<Minor> floors(n, 0), caps(n, kNoCap);
    bool any = false;
    std::string key;
    for (std::size_t i = 0; i < n; ++i) {
        auto f = bound_of(step.floor, names[i], m, key);
        auto c = bound_of(step.cap, names[i], m, key);
        any = any || f || c;
        if (f) floors[i] = *f;
        if (c) caps[i] = *c;
        if (f && c && *f > *c)
            fail(fmt::format("{}: floor {} > cap {}", names[i], format_grouped(*f, metric.decimals),
                             format_grouped(*c, metric.decimals)),
                 "lower the floor or raise the cap");
    }
    if (!any) return;
    if (!rule.keep.empty()) {
        fail("floors and caps do not combine with members' dates and ramps on the same level",
             "bound a level above or below the one whose members join or leave");
        return;
    }
    for (auto [i, a] : rule.holds) {
        auto k = static_cast<std::size_t>(i);
        if (a < floors[k] || a > caps[k])
            fail(fmt::format("{} holds {}, {} its {} {}", names[k], format_grouped(a, metric.decimals),
                             a < floors[k] ? "below" : "above", a < floors[k] ? "floor" : "cap",
                             format_grouped(a < floors[k] ? floors[k] : caps[k], metric.decimals)),
                 "change the amount or the bound");
        floors[k] = 0;  // a held child takes no part in the split of the rest
        caps[k] = 0;
    }
    rule.floor = std::move(floors);
    rule.cap = std::move(caps);
}

bool apportion_bounded_in_quanta(Minor total, const MetricRule& rule, Minor quantum, std::span<std::int64_t> parts) {
    if (quantum == 1) {
        if (!bound_violations(total, rule.floor, rule.cap).empty()) return false;
        apportion_bounded(total, rule.free, rule.floor, rule.cap, parts);
        return true;
    }
    // Bounds are whole quanta (the reader checks amounts against the quantum).
    std::vector<Minor> floors(rule.floor), caps(rule.cap);
    for (auto& f : floors)
        f /= quantum;
    for (auto& c : caps)
        if (c != kNoCap) c /= quantum;
    if (!bound_violations(total / quantum, floors, caps).empty()) return false;
    apportion_bounded(total / quantum, rule.free, floors, caps, parts);
    for (auto& p : parts)
        p *= quantum;
    return true;
}

std::string bound_problems(const MetricRule& rule, Minor rest, const Metric& metric,
                           const std::function<std::string(int)>& name) {
    auto amount = [&](Minor a) { return format_grouped(a, metric.decimals); };
    std::vector<bool> held(rule.floor.size(), false);
    for (auto [i, a] : rule.holds)
        held[static_cast<std::size_t>(i)] = true;
    // "12 × 600 = 7,200" when the children share one bound, else "Jan 600 + Dec 800 = 1,400".
    auto arithmetic = [&](const std::vector<Minor>& bounds, Minor sum) {
        std::vector<std::string> terms;
        Minor first = -1;
        bool same = true;
        std::size_t count = 0;
        for (std::size_t i = 0; i < bounds.size(); ++i) {
            if (held[i]) continue;
            ++count;
            if (first < 0) first = bounds[i];
            same = same && bounds[i] == first;
            terms.push_back(fmt::format("{} {}", name(static_cast<int>(i)),
                                        bounds[i] == kNoCap ? std::string("no cap") : amount(bounds[i])));
        }
        if (same) return fmt::format("{} × {} = {}", count, amount(first), amount(sum));
        return fmt::format("{} = {}", join_ids(terms, 6), amount(sum));
    };
    std::vector<std::string> out, crossed;
    for (const auto& v : bound_violations(rest, rule.floor, rule.cap)) {
        std::string left = rule.held > 0 ? fmt::format("the {} left after held amounts", amount(rest)) : amount(rest);
        if (v.kind == BoundViolation::Kind::floors_exceed)
            out.push_back(fmt::format("floors {} > {}", arithmetic(rule.floor, v.bounds_sum), left));
        else if (v.kind == BoundViolation::Kind::caps_short)
            out.push_back(fmt::format("caps {} < {}", arithmetic(rule.cap, v.bounds_sum), left));
        else  // reported once where the bounds are read; repeated only when nothing else fails
            crossed.push_back(
                fmt::format("{}: floor {} > cap {}", name(v.child), amount(v.bounds_sum), amount(v.total)));
    }
    if (out.empty()) out = std::move(crossed);
    std::string joined;
    for (const auto& s : out)
        joined += (joined.empty() ? "" : "; ") + s;
    return joined;
}

}  // namespace tgt::detail
