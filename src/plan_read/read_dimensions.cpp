// "dimensions": levels and nested members with their shares, capacity, dates, ramps, rates and
// customers.

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "plan_reader.hpp"

namespace tgt::detail {

void PlanReader::read_dimensions(const JsonValue& root) {
    auto* list = field(root, "dimensions", Kind::array);
    if (!list) return;
    for (const auto& item : list->items()) {
        if (!expect_kind(item, Kind::object, "a dimension")) continue;
        check_keys(item, {"id", "name", "levels", "members", "members_from"});
        Dimension dim;
        dim.where = at(item);
        auto* id = field(item, "id", Kind::string, true);
        if (!id) continue;
        dim.id = id->text;
        if (auto* levels = field(item, "levels", Kind::array)) {
            for (const auto& l : levels->items())
                if (expect_kind(l, Kind::string, "a level name")) dim.levels.emplace_back(l.text);
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

void PlanReader::add_member_id(Dimension& dim, int depth, const std::string& id, const JsonValue& where) {
    auto& index = member_index_[plan_.dimensions.size()][static_cast<std::size_t>(depth)];
    int position = static_cast<int>(dim.members[static_cast<std::size_t>(depth)].size()) - 1;
    if (!index.insert(dim.members[static_cast<std::size_t>(depth)], position))
        error(
            where,
            fmt::format("duplicate member id \"{}\" at level \"{}\"", id, dim.levels[static_cast<std::size_t>(depth)]),
            "member ids must be unique within a level; use \"name\" for display names");
}

void PlanReader::read_members(const JsonValue& list, Dimension& dim, int depth, int parent) {
    if (depth >= static_cast<int>(dim.levels.size())) {
        error(list, fmt::format("dimension \"{}\" has {} level(s) but members nest deeper", dim.id, dim.levels.size()),
              "name every level in \"levels\", e.g. [\"region\", \"rep\"]");
        return;
    }
    if (!list.lazy() && list.items().empty()) error(list, "an empty member list");
    auto& level = dim.members[static_cast<std::size_t>(depth)];
    std::size_t items = list.lazy() ? list.lazy_size() : list.items().size();
    if (std::size_t need = level.size() + items; level.capacity() < need) {
        level.reserve(std::max(need, 2 * level.capacity()));  // grows geometrically over many parents
        member_index_[plan_.dimensions.size()][static_cast<std::size_t>(depth)].reserve(level, level.capacity());
    }
    if (list.lazy()) {
        read_scanned_members(list, dim, depth, parent);
        return;
    }
    for (const auto& item : list.items()) {
        Member m;
        m.parent = parent;
        m.where = place(item);
        const JsonValue* children = nullptr;
        if (item.kind == Kind::string) {
            m.id = item.text;
        } else if (expect_kind(item, Kind::object, "a member (an object or an id string)")) {
            check_keys(item, {"id", "name", "weight", "amount", "baseline", "growth", "capacity", "start", "end",
                              "ramp", "rates", "customers", "members", "note"});
            auto* id = field(item, "id", Kind::string, true);
            if (!id) continue;
            m.id = id->text;
            if (auto* n = field(item, "name", Kind::string)) m.edit_details().name = n->text;
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
                m.edit_details().growth = ratio_of(*g, "growth", true);
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
        add_member(std::move(m), item, children, dim, depth, parent);
    }
}

// The members of a list kept as text (the common shape: ids, names, weights or amounts and
// nested members), read as read_members reads them, with the same messages at the same places.
void PlanReader::read_scanned_members(const JsonValue& list, Dimension& dim, int depth, int parent) {
    auto text = doc_.text();
    MemberScan scan(text->text(), list);
    // Members are scanned a few ahead of their reading, so that their id's slot in the index is
    // on its way into the cache when the id is added.
    const auto& index = member_index_[plan_.dimensions.size()][static_cast<std::size_t>(depth)];
    constexpr std::size_t kAhead = 8;
    std::array<ScannedMember, kAhead> ahead;
    std::size_t first = 0, queued = 0;
    auto refill = [&] {
        while (queued < kAhead && scan.next(ahead[(first + queued) % kAhead])) {
            index.prefetch(ahead[(first + queued) % kAhead].id.text);
            ++queued;
        }
    };
    for (refill(); queued > 0; refill()) {
        const ScannedMember& s = ahead[first];
        first = (first + 1) % kAhead;
        --queued;
        Member m;
        m.parent = parent;
        m.where = place(s.item);
        if (s.item.kind == Kind::object) {
            m.id = s.id.text;
            if (s.has_name) m.edit_details().name = s.name.text;
            if (s.has_weight)
                m.share = weight_share(s.weight);
            else if (s.has_amount)
                m.share = hold_share(s.amount);
        } else {
            m.id = s.item.text;
        }
        if (m.id.empty()) {
            error(s.item, "a member id cannot be empty");
            continue;
        }
        add_member(std::move(m), s.item, s.has_members ? &s.members : nullptr, dim, depth, parent);
    }
}

// A member read at `item`: kept in its level under its id, linked to its parent, and its own
// members read (`children`, or a message when its level needs some).
void PlanReader::add_member(Member&& m, const JsonValue& item, const JsonValue* children, Dimension& dim, int depth,
                            int parent) {
    if (m.share.kind == Share::Kind::ratio && m.share.value.is_zero())
        warning(item, fmt::format("member \"{}\" has zero weight and gets nothing", m.id),
                "unless all its siblings weigh zero and the split step says \"if_all_zero\": \"equal\"");
    auto& level = dim.members[static_cast<std::size_t>(depth)];
    level.push_back(std::move(m));
    int self = static_cast<int>(level.size()) - 1;
    const std::string id = level.back().id.str();
    add_member_id(dim, depth, id, item);
    if (parent >= 0)
        dim.members[static_cast<std::size_t>(depth - 1)][static_cast<std::size_t>(parent)]
            .edit_details()
            .children.push_back(self);
    if (children) {
        read_members(*children, dim, depth + 1, self);
    } else if (depth + 1 < static_cast<int>(dim.levels.size())) {
        error(item,
              fmt::format("member \"{}\" has no members at level \"{}\"", id,
                          dim.levels[static_cast<std::size_t>(depth + 1)]),
              "every member above the last level needs \"members\"");
    }
}

// A member's "customers": {"vip": 5, "tier1": 12}, one count per tier of the visit plan.
void PlanReader::read_customers(const JsonValue& v, Member& m, const Dimension& dim, int depth) {
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
    m.edit_details().customers.assign(plan_.visits->tiers.size(), 0);
    for (const auto& [key, value] : v.members()) {
        auto tier = customer_tier(key, value, fmt::format(" (member \"{}\")", m.id));
        if (!tier) continue;
        auto n = whole_number(value);
        if (!n || *n < 0 || *n > kMaxCustomers) {
            error(value,
                  fmt::format("a customer count is a whole number from 0 to {} (got {})", kMaxCustomers, value.text));
            continue;
        }
        m.edit_details().customers[*tier] = *n;
    }
}

// The dimension being read holds the customers: there must be tiers, and no other dimension
// may hold customers already.
bool PlanReader::claim_visit_dimension(const JsonValue& at_value) {
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
std::optional<std::size_t> PlanReader::customer_tier(std::string_view key, const JsonValue& value,
                                                     const std::string& whose) {
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
void PlanReader::read_member_extras(const JsonValue& item, Member& m) {
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
            m.edit_details().capacity = std::move(cap);
        }
    }
    if (auto* v = item.find("start")) m.edit_details().availability.start = date_of(*v);
    if (auto* v = item.find("end")) m.edit_details().availability.end = date_of(*v);
    if (m.availability().start && m.availability().end && *m.availability().end < *m.availability().start)
        error(*item.find("end"), "the member ends before it starts");
    if (auto* r = item.find("ramp")) {
        m.edit_details().availability.ramp = read_ramp(*r);
        m.edit_details().own_ramp = true;
    }
    if (auto* r = field(item, "rates", Kind::object)) {
        m.edit_details().rates.assign(plan_.metrics.size(), std::nullopt);
        for (const auto& [key, value] : r->members()) {
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
            m.edit_details().rates[static_cast<std::size_t>(k)] = rate_of(value);
        }
    }
}

}  // namespace tgt::detail
