// "activities": quotas every person owes, such as 30 calls a working day or 10 visits a week.

#include <fmt/format.h>

#include <algorithm>

#include "plan_reader.hpp"

namespace tgt::detail {

// "activities": [{"id": "calls", "name": "电话", "count": 30, "per": "working_day", "level": "rep"}, …].
// Read after the dimensions: "level" names the people who owe the quota (by default the deepest
// level of the first dimension).
void PlanReader::read_activities(const JsonValue& v) {
    for (const auto& item : v.items()) {
        if (!expect_kind(item, Kind::object, "an activity quota")) continue;
        check_keys(item, {"id", "name", "count", "per", "level", "note"});
        ActivityQuota q;
        q.where = at(item);
        if (auto* id = field(item, "id", Kind::string, true)) {
            q.id = id->text;
            for (const auto& other : plan_.activities)
                if (other.id == q.id) error(*id, fmt::format("activity \"{}\" appears twice", q.id));
        }
        if (auto* name = field(item, "name", Kind::string)) q.name = name->text;
        if (auto* count = item.find("count")) {
            auto n = whole_number(*count);
            if (!n || *n < 0)
                error(*count, fmt::format("an activity quota is a whole number of at least 0 (got {})", count->text),
                      "e.g. \"count\": 30 for 30 calls a working day");
            else
                q.count = *n;
        } else {
            error(item, fmt::format("activity \"{}\" needs a \"count\"", q.id),
                  "e.g. \"count\": 30, \"per\": \"working_day\"");
        }
        if (auto* per = field(item, "per", Kind::string, true)) {
            if (per->text == "working_day")
                q.per = QuotaPer::working_day;
            else if (per->text == "week")
                q.per = QuotaPer::week;
            else if (per->text == "month")
                q.per = QuotaPer::month;
            else
                error(*per, fmt::format("\"per\" is \"working_day\", \"week\" or \"month\" (got \"{}\")", per->text),
                      "a quota per person and working day, week (Monday to Sunday) or month");
        }
        if (!read_activity_level(item, q)) continue;
        plan_.activities.push_back(std::move(q));
    }
}

// The quota's "level": the people who owe it. False when the plan has no such level.
bool PlanReader::read_activity_level(const JsonValue& item, ActivityQuota& q) {
    std::vector<std::string> levels;
    for (const auto& dim : plan_.dimensions)
        for (const auto& level : dim.levels)
            levels.push_back(level);
    auto* level = field(item, "level", Kind::string);
    if (!level) {
        if (plan_.dimensions.empty() || plan_.dimensions[0].levels.empty()) {
            error(item, "an activity quota is owed by people: the plan has no dimension to hold them",
                  "add a dimension such as {\"id\": \"team\", \"levels\": [\"rep\"], …}");
            return false;
        }
        q.dimension = 0;
        q.depth = static_cast<int>(plan_.dimensions[0].levels.size()) - 1;
        return true;
    }
    for (std::size_t d = 0; d < plan_.dimensions.size(); ++d) {
        const auto& dl = plan_.dimensions[d].levels;
        auto it = std::find(dl.begin(), dl.end(), level->text);
        if (it == dl.end()) continue;
        q.dimension = static_cast<int>(d);
        q.depth = static_cast<int>(it - dl.begin());
        return true;
    }
    std::string guess = did_you_mean(level->text, levels);
    error(*level, fmt::format("no dimension level \"{}\" for activity \"{}\"", level->text, q.id),
          guess.empty() ? "levels: " + join(levels) : fmt::format("did you mean \"{}\"?", guess));
    return false;
}

}  // namespace tgt::detail
