// Rebalance: the past held at actuals, the rest re-spread by the plan's own curve, written back as
// a plan. The original text is edited, not regenerated, so what the analyst wrote stays.

#include "tgt/rebalance.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "tgt/apportion.hpp"
#include "tgt/progress.hpp"

namespace tgt {

namespace {

using Json = nlohmann::ordered_json;
constexpr char kSeparator = '\x1f';

std::string join_keys(std::span<const std::string_view> keys, std::size_t count) {
    std::string key;
    for (std::size_t i = 0; i < count; ++i) {
        key.append(keys[i]);
        key.push_back(kSeparator);
    }
    return key;
}

std::string join_keys(const std::vector<std::string>& keys, std::size_t count) {
    std::vector<std::string_view> views(keys.begin(), keys.end());
    return join_keys(views, count);
}

std::string node_name(const std::vector<std::string>& keys) {
    return keys.empty() ? std::string("the plan") : fmt::format("{}", fmt::join(keys, " / "));
}

}  // namespace

std::string Rebalance::node_name(std::size_t node) const {
    return tgt::node_name(nodes[node]);
}

namespace {

// A relative file reference of the plan, made to resolve from the new plan's folder.
std::string moved_reference(const std::string& reference, const std::filesystem::path& from,
                            const std::filesystem::path& to) {
    std::filesystem::path p(reference);
    if (p.is_absolute()) return reference;
    auto target = std::filesystem::absolute(from / p).lexically_normal();
    auto relative = target.lexically_relative(std::filesystem::absolute(to).lexically_normal());
    return relative.empty() ? target.string() : relative.string();
}

void move_references(Json& node, const std::filesystem::path& from, const std::filesystem::path& to, bool root) {
    if (node.is_object()) {
        for (auto& [key, value] : node.items()) {
            // A built-in calendar's name ("cn") is no path; an inline calendar's "extends" may be one.
            bool calendar = root && key == "calendar";
            if (value.is_string() && (key == "file" || calendar)) {
                if (!calendar || is_calendar_path(value.get<std::string>()) ||
                    !find_builtin_calendar(value.get<std::string>()))
                    value = moved_reference(value.get<std::string>(), from, to);
            } else if (calendar && value.is_object() && value.contains("extends") && value["extends"].is_string()) {
                Json& base = value["extends"];
                if (is_calendar_path(base.get<std::string>()) || !find_builtin_calendar(base.get<std::string>()))
                    base = moved_reference(base.get<std::string>(), from, to);
                move_references(value, from, to, false);
            } else
                move_references(value, from, to, false);
        }
    } else if (node.is_array()) {
        for (auto& value : node)
            move_references(value, from, to, false);
    }
}

void add_note(Json& object, const std::string& note) {
    if (object.contains("note") && object["note"].is_string())
        object["note"] = object["note"].get<std::string>() + " " + note;
    else
        object["note"] = note;
}

// Rules that made a level's weights; once every child holds an explicit amount they no longer apply.
void drop_rules(Json& step) {
    for (const char* key :
         {"by", "weights", "file", "key", "column", "pattern", "normalize", "closed_on_holidays", "rest", "allocate",
          "band", "ramp", "ramp_rest", "reconcile", "baseline", "growth", "overrides"})
        step.erase(key);
}

// A value on one line, with a space after each colon and comma, as people write JSON.
std::string inline_json(const Json& v) {
    if (v.is_object()) {
        std::string out = "{";
        for (auto it = v.begin(); it != v.end(); ++it) {
            if (it != v.begin()) out += ", ";
            out += Json(it.key()).dump(-1, ' ', false) + ": " + inline_json(it.value());
        }
        return out + "}";
    }
    if (v.is_array()) {
        std::string out = "[";
        for (std::size_t i = 0; i < v.size(); ++i)
            out += (i ? ", " : "") + inline_json(v[i]);
        return out + "]";
    }
    return v.dump(-1, ' ', false);
}

// Two-space indentation, with what fits in 100 columns on one line, and every override on a line of
// its own however long (a rebalanced plan has one per node: a line each keeps it readable and diffable).
// Whether `v` written on one line takes at most `budget` characters (stops counting once it does not).
bool fits(const Json& v, std::ptrdiff_t& budget) {
    if (v.is_object()) {
        budget -= 2;
        for (auto it = v.begin(); it != v.end() && budget >= 0; ++it) {
            budget -= static_cast<std::ptrdiff_t>(it.key().size()) + 6;
            fits(it.value(), budget);
        }
    } else if (v.is_array()) {
        budget -= 2;
        for (std::size_t i = 0; i < v.size() && budget >= 0; ++i) {
            budget -= 2;
            fits(v[i], budget);
        }
    } else {
        budget -= static_cast<std::ptrdiff_t>(v.dump(-1, ' ', false).size());
    }
    return budget >= 0;
}

void pretty(const Json& v, std::size_t indent, bool lines_inline, std::string& out) {
    std::ptrdiff_t budget = 100 - static_cast<std::ptrdiff_t>(indent);
    if (lines_inline || !(v.is_object() || v.is_array()) || v.empty() || fits(v, budget)) {
        out += inline_json(v);
        return;
    }
    std::string pad(indent + 2, ' ');
    out += v.is_object() ? "{\n" : "[\n";
    std::size_t i = 0;
    for (auto it = v.begin(); it != v.end(); ++it, ++i) {
        out += pad;
        bool overrides = false;
        if (v.is_object()) {
            out += Json(it.key()).dump(-1, ' ', false) + ": ";
            overrides = it.key() == "overrides";
        }
        if (overrides && it.value().is_array() && !it.value().empty()) {
            out += "[\n";
            for (std::size_t k = 0; k < it.value().size(); ++k)
                out += pad + "  " + inline_json(it.value()[k]) + (k + 1 < it.value().size() ? ",\n" : "\n");
            out += pad + "]";
        } else {
            pretty(it.value(), indent + 2, false, out);
        }
        out += i + 1 < v.size() ? ",\n" : "\n";
    }
    out += std::string(indent, ' ') + (v.is_object() ? "}" : "]");
}

std::string dump_plan(const Json& doc) {
    std::string out;
    pretty(doc, 0, false, out);
    return out + "\n";
}

}  // namespace

Rebalance rebalance(const Decomposition& decomposition, std::string_view plan_text, const RebalanceRequest& request,
                    std::FILE* stdin_stream) {
    const Plan& plan = decomposition.plan();
    Rebalance result;

    // One money or count metric: held amounts in the new plan are that metric's.
    int metric = -1;
    std::vector<std::string> amount_metrics;
    for (std::size_t m = 0; m < plan.metrics.size(); ++m) {
        const Metric& mt = plan.metrics[m];
        if (mt.rate || mt.stretch_of >= 0)
            throw Error::usage(
                fmt::format("rebalance: the plan has a {} metric (\"{}\")",
                            mt.rate     ? "rate"
                            : mt.budget ? "budget"
                                        : "stretch",
                            mt.rate || mt.budget ? mt.id : plan.metrics[static_cast<std::size_t>(mt.stretch_of)].id),
                "rebalance plans with one money or count metric; split the others into their own plan");
        amount_metrics.push_back(mt.id);
        metric = static_cast<int>(m);
    }
    if (amount_metrics.size() != 1)
        throw Error::usage(fmt::format("rebalance: the plan has {} metrics ({})", amount_metrics.size(),
                                       fmt::join(amount_metrics, ", ")),
                           "rebalance plans with one money or count metric; split the others into their own plan");
    const Metric& tracked = plan.metrics[static_cast<std::size_t>(metric)];
    if (!request.metric.empty() && request.metric != tracked.id)
        throw Error::usage(Field::metric, fmt::format("{}: the plan's metric is \"{}\"", request.metric, tracked.id));
    result.decimals = tracked.decimals;

    // The re-spread level: the first time level; the nodes: every dimension level split before it.
    int time_step = -1;
    std::vector<int> grain_steps;
    for (std::size_t s = 0; s < plan.steps.size() && time_step < 0; ++s) {
        if (plan.steps[s].kind == Step::Kind::time)
            time_step = static_cast<int>(s);
        else
            grain_steps.push_back(static_cast<int>(s));
    }
    if (time_step < 0)
        throw Error::usage("rebalance: the plan has no time level to re-spread over",
                           "add one to \"split\", e.g. {\"level\": \"month\", \"by\": \"working_days\"}");
    const TimeLevel level = plan.steps[static_cast<std::size_t>(time_step)].time;
    result.period_level = std::string(time_level_name(level));
    for (int s : grain_steps)
        result.key_columns.push_back(plan.steps[static_cast<std::size_t>(s)].level);
    result.periods = periods_between(level, plan.first, plan.last, plan.fiscal_start_month);
    const std::size_t period_count = result.periods.size();
    while (result.closed < period_count && result.periods[result.closed].last <= request.as_of)
        ++result.closed;
    if (request.as_of >= plan.first && result.closed == period_count)
        throw Error::usage(Field::as_of, fmt::format("{}: every {} of the plan is over; nothing is left to re-spread",
                                                     format_date(request.as_of), result.period_level));
    std::unordered_map<std::string, std::size_t> period_index;
    for (std::size_t p = 0; p < period_count; ++p)
        period_index.emplace(result.periods[p].label, p);

    // Before: the plan's own split per node and period.
    SplitRequest split;
    split.by = result.key_columns;
    split.period = level;
    split.metrics = {tracked.id};
    split.threads = std::max(1, request.threads);
    const std::size_t key_count = result.key_columns.size();
    std::unordered_map<std::string, std::size_t> node_index;
    auto run_split = [&](const Decomposition& d, std::vector<Minor>& into, bool add_nodes) {
        d.run(split, [&](const SplitRow& row) {
            std::string key = join_keys(row.keys, key_count);
            auto it = node_index.find(key);
            if (it == node_index.end()) {
                if (!add_nodes)
                    throw Error::usage(fmt::format(
                        "rebalance: the new plan has a node the old one has not ({})",
                        node_name({row.keys.begin(), row.keys.begin() + static_cast<std::ptrdiff_t>(key_count)})));
                it = node_index.emplace(key, result.nodes.size()).first;
                result.nodes.emplace_back(row.keys.begin(), row.keys.begin() + static_cast<std::ptrdiff_t>(key_count));
                into.resize(result.nodes.size() * period_count, 0);
            }
            into[it->second * period_count + period_index.at(std::string(row.keys[key_count]))] += row.amounts[0];
        });
    };
    run_split(decomposition, result.before, true);
    const std::size_t node_count = result.nodes.size();
    result.actual.assign(node_count * period_count, 0);

    // Actuals per node and period, read as progress reads them (unplanned members said, never dropped).
    ProgressRequest progress_request;
    progress_request.by = result.key_columns;
    progress_request.as_of = request.as_of;
    progress_request.metric = tracked.id;
    progress_request.actuals = request.actuals;
    progress_request.options = request.options;
    progress_request.grid = level;
    progress_request.threads = request.threads;
    ProgressReport report = progress(decomposition, progress_request, stdin_stream);
    for (const auto& row : report.rows) {
        if (!row.planned) {
            result.unplanned_actual += row.actual;
            continue;
        }
        auto node = node_index.find(join_keys(row.keys, key_count));
        if (node == node_index.end()) continue;
        for (std::size_t g = 0; g < report.grid_periods.size(); ++g)
            result.actual[node->second * period_count + period_index.at(report.grid_periods[g].label)] =
                row.grid_actual[g];
    }
    result.after_as_of = report.after_as_of;
    result.actuals = report.actuals;

    // Per node: closed periods held at their actuals (plans hold no negative amounts: net returns
    // hold zero); what is left of the target goes to the open periods by their original targets.
    std::vector<Minor> intended_total(node_count, 0);
    std::vector<bool> changed(node_count, false);
    for (std::size_t n = 0; n < node_count; ++n) {
        Minor target = 0, held = 0, open_weight = 0;
        for (std::size_t p = 0; p < period_count; ++p) {
            target += result.at(result.before, n, p);
            if (p < result.closed)
                held += std::max<Minor>(result.at(result.actual, n, p), 0);
            else
                open_weight += result.at(result.before, n, p);
        }
        if (open_weight == 0) {  // nothing to re-spread by: said when its actuals differ from the plan
            intended_total[n] = target;
            Minor closed_target = 0;
            for (std::size_t p = 0; p < result.closed; ++p)
                closed_target += result.at(result.before, n, p);
            if (held != closed_target) result.unchanged.push_back(n);
            continue;
        }
        changed[n] = true;
        intended_total[n] = std::max(target, held);
        if (held > target) result.raised.push_back(n);
    }

    // The new plan: the original text with one override per changed node on the time level.
    Json doc = Json::parse(plan_text);
    const std::string as_of = format_date(request.as_of);
    std::string sources = fmt::format("{}", fmt::join(request.actuals, ", "));
    Json& time_json = doc["split"][static_cast<std::size_t>(time_step)];
    auto weights_of = [&](std::size_t n) {
        Json weights = Json::object();
        bool raised = std::binary_search(result.raised.begin(), result.raised.end(), n);
        for (std::size_t p = 0; p < period_count; ++p) {
            const std::string& label = result.periods[p].label;
            if (p < result.closed)
                weights[label] =
                    Json{{"amount", format_minor(std::max<Minor>(result.at(result.actual, n, p), 0), result.decimals)}};
            else if (raised)
                weights[label] = Json{{"amount", format_minor(0, result.decimals)}};
            else
                weights[label] = format_minor(result.at(result.before, n, p), result.decimals);
        }
        return weights;
    };
    std::string note = fmt::format(
        "Rebalanced as of {} from {} (tgt rebalance): {}s up to {} held at their actuals, the rest of each "
        "target re-spread over the {}s left in proportion to their original targets.",
        as_of, sources, result.period_level, result.closed ? result.periods[result.closed - 1].label : "none",
        result.period_level);
    if (key_count == 0) {
        if (changed[0]) {
            drop_rules(time_json);
            time_json["weights"] = weights_of(0);
            time_json["normalize"] = true;  // the open periods' weights are their old targets: ratios
        }
    } else {
        Json overrides = Json::array();
        for (std::size_t n = 0; n < node_count; ++n) {
            if (!changed[n]) continue;
            Json where = Json::object();
            for (std::size_t k = 0; k < key_count; ++k)
                where[result.key_columns[k]] = result.nodes[n][k];
            overrides.push_back(Json{{"where", where}, {"weights", weights_of(n)}});
        }
        // The new overrides come first: the first that matches a cell is the one used.
        if (time_json.contains("overrides"))
            for (auto& o : time_json["overrides"])
                overrides.push_back(o);
        time_json["overrides"] = overrides;
        // The open periods' weights are their old targets: ratios, whatever they add up to.
        if (!overrides.empty()) time_json["normalize"] = true;
    }
    add_note(time_json, note);

    // Nodes ahead of target hold what they sold: every level above them holds its new total too.
    if (!result.raised.empty()) {
        std::vector<std::map<std::string, std::pair<std::vector<std::string>, Minor>>> totals(key_count);
        std::vector<std::vector<std::string>> order(key_count);
        Minor grand = 0;
        for (std::size_t n = 0; n < node_count; ++n) {
            grand += intended_total[n];
            for (std::size_t k = 0; k < key_count; ++k) {
                std::string prefix = join_keys(result.nodes[n], k + 1);
                auto [it, fresh] = totals[k].try_emplace(prefix);
                if (fresh) {
                    it->second.first.assign(result.nodes[n].begin(),
                                            result.nodes[n].begin() + static_cast<std::ptrdiff_t>(k + 1));
                    order[k].push_back(prefix);
                }
                it->second.second += intended_total[n];
            }
        }
        for (std::size_t k = 0; k < key_count; ++k) {
            Json& step = doc["split"][static_cast<std::size_t>(grain_steps[k])];
            drop_rules(step);
            std::map<std::string, Json> groups;  // parent prefix → its children's amounts
            std::vector<std::string> parents;
            for (const auto& prefix : order[k]) {
                const auto& [keys, total] = totals[k].at(prefix);
                std::string parent = join_keys(keys, k);
                auto [it, fresh] = groups.try_emplace(parent, Json::object());
                if (fresh) parents.push_back(parent);
                it->second[keys[k]] = Json{{"amount", format_minor(total, result.decimals)}};
            }
            if (k == 0) {
                step["weights"] = groups.begin()->second;
            } else {
                Json overrides = Json::array();
                for (const auto& parent : parents) {
                    const auto& keys = totals[k - 1].at(parent).first;
                    Json where = Json::object();
                    for (std::size_t i = 0; i < k; ++i)
                        where[result.key_columns[i]] = keys[i];
                    overrides.push_back(Json{{"where", where}, {"weights", groups.at(parent)}});
                }
                step["overrides"] = overrides;
            }
            add_note(step, fmt::format("Rebalanced as of {}: every member holds its new total, since {} node(s) "
                                       "sold more than their whole target and now hold what they sold.",
                                       as_of, result.raised.size()));
        }
        doc["metrics"][static_cast<std::size_t>(metric)]["total"] = format_minor(grand, result.decimals);
    }
    if (doc.contains("name") && doc["name"].is_string())
        doc["name"] = doc["name"].get<std::string>() + fmt::format(" — rebalanced as of {}", as_of);
    namespace fs = std::filesystem;
    fs::path from = plan.file == "<stdin>" ? fs::current_path() : fs::path(plan.file).parent_path();
    bool to_stdout = request.output_path.empty() || request.output_path == "-";
    fs::path to = to_stdout ? fs::current_path() : fs::path(request.output_path).parent_path();
    if (from.empty()) from = ".";
    if (to.empty()) to = ".";
    move_references(doc, from, to, true);
    result.plan_json = dump_plan(doc);

    // The new plan is read and split like any other: the figures shown are the ones it gives.
    std::string new_file = to_stdout ? (fs::current_path() / "rebalanced-plan.json").string() : request.output_path;
    Plan rebalanced = parse_plan(result.plan_json, new_file);
    Decomposition again(rebalanced);
    result.after.assign(node_count * period_count, 0);
    run_split(again, result.after, false);
    for (std::size_t n = 0; n < node_count; ++n) {
        Minor total = 0;
        for (std::size_t p = 0; p < period_count; ++p) {
            total += result.at(result.after, n, p);
            bool held_ok = !changed[n] || p >= result.closed ||
                           result.at(result.after, n, p) == std::max<Minor>(result.at(result.actual, n, p), 0);
            if (!held_ok)
                throw Error::usage(fmt::format("rebalance: the new plan gives {} {} instead of its actual",
                                               node_name(result.nodes[n]), result.periods[p].label),
                                   "a rule of the plan (quantum, ramp) changes held amounts; please report this plan");
        }
        if (total != intended_total[n])
            throw Error::usage(
                fmt::format("rebalance: the new plan gives {} a total of {} instead of {}", node_name(result.nodes[n]),
                            format_minor(total, result.decimals), format_minor(intended_total[n], result.decimals)),
                "a rule of the plan (quantum, ramp, allocate) changes the totals; please report this plan");
    }
    return result;
}

}  // namespace tgt
