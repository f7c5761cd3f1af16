// Market share and implied price: the plan's (and members') targets against stated market sizes and
// price bands, exactly (a share or price that does not end within the shown decimals says so).

#include <fmt/format.h>

#include <map>

#include "tgt/checks.hpp"
#include "tgt/fraction.hpp"
#include "tgt/node_table.hpp"

namespace tgt {

namespace {

// "10%", or "33.33% (exactly 100/3%)" when the percentage does not end within two decimals.
std::string exact_text(const Fraction& value, int decimals, std::string_view suffix) {
    Fraction scaled = value * Fraction(pow10_wide(decimals));
    std::string text = format_grouped(round_to_quantum(scaled, 1), decimals) + std::string(suffix);
    if (scaled.den != 1) text += fmt::format(" (exactly {}{})", format_fraction(value), suffix);
    return text;
}

std::string bounds_text(const std::optional<Decimal>& min, const std::optional<Decimal>& max, bool percent) {
    auto show = [&](const Decimal& d) { return percent ? format_percent(d) : format_decimal(d); };
    if (min && max) return fmt::format("{}–{}", show(*min), show(*max));
    if (min) return "≥ " + show(*min);
    if (max) return "≤ " + show(*max);
    return {};
}

// Whether `value` lies outside [min, max] (either end may be open).
bool outside(const Fraction& value, const std::optional<Decimal>& min, const std::optional<Decimal>& max) {
    return (min && value < Fraction::of(*min)) || (max && Fraction::of(*max) < value);
}

class MarketChecker {
public:
    explicit MarketChecker(const Decomposition& d) : d_(d), plan_(d.plan()) {}

    std::vector<CheckRow> run() {
        for (const auto& scope : plan_.market->scopes) {
            std::vector<std::optional<Minor>> amounts = targets(scope);
            const std::string level = scope.member.empty() ? std::string() : level_name(scope);
            const std::string node = scope.member.empty() ? std::string("(total)") : scope.member;
            for (const auto& [metric, size] : scope.size)
                if (auto a = amounts[static_cast<std::size_t>(metric)]) share_row(scope, level, node, metric, size, *a);
            for (const auto& band : scope.prices) {
                auto a = amounts[static_cast<std::size_t>(band.amount)];
                auto u = amounts[static_cast<std::size_t>(band.per)];
                if (a && u) price_row(band, level, node, *a, *u);
            }
        }
        return std::move(rows_);
    }

private:
    std::string level_name(const MarketScope& s) const {
        return plan_.dimensions[static_cast<std::size_t>(s.dimension)].levels[static_cast<std::size_t>(s.depth)];
    }

    // The scope's target per metric: the plan's totals, or the member's sums (nullopt: not found).
    std::vector<std::optional<Minor>> targets(const MarketScope& scope) {
        std::vector<std::optional<Minor>> out(plan_.metrics.size());
        if (scope.member.empty()) {
            for (std::size_t k = 0; k < plan_.metrics.size(); ++k)
                out[k] = plan_.metrics[k].total;
            return out;
        }
        const std::string level = level_name(scope);
        if (plan_.step_index(level) < 0) return out;  // the level is not split: no amounts of its own
        auto it = tables_.find(level);
        if (it == tables_.end()) {
            SplitRequest request;
            request.by = {level};
            for (const auto& m : plan_.metrics)
                if (!m.rate) request.metrics.push_back(m.id);
            it = tables_.emplace(level, std::make_unique<NodeTable>(d_, request)).first;
        }
        const NodeTable& table = *it->second;
        for (std::size_t n = 0; n < table.nodes().size(); ++n) {
            const NodeKey& key = table.nodes().key(n);
            if (key.empty() || key.back() != scope.member) continue;
            for (std::size_t i = 0; i < table.metrics().size(); ++i)
                out[static_cast<std::size_t>(table.metrics()[i])] = table.total(n, i);
            break;
        }
        return out;
    }

    void share_row(const MarketScope& scope, const std::string& level, const std::string& node, int metric_index,
                   Minor size, Minor amount) {
        const Metric& metric = plan_.metrics[static_cast<std::size_t>(metric_index)];
        CheckRow row;
        row.kind = CheckRow::Kind::market_share;
        row.level = level;
        row.node = node;
        row.metric = metric.id;
        row.decimals = metric.decimals;
        row.target = size;
        row.handed_down = amount;
        if (scope.share_min && scope.share_max) row.band = std::pair{*scope.share_min, *scope.share_max};
        row.band_label =
            scope.share_min && scope.share_max ? std::string() : bounds_text(scope.share_min, scope.share_max, true);
        Fraction share(amount, size);
        row.flagged = outside(share, scope.share_min, scope.share_max);
        std::string unit = metric.unit.empty() ? std::string() : " " + metric.unit;
        row.note = fmt::format("{}{} of a {}{} market: share {}", format_grouped(amount, metric.decimals), unit,
                               format_grouped(size, metric.decimals), unit, exact_text(share * Fraction(100), 2, "%"));
        if (scope.share_min || scope.share_max)
            row.note += fmt::format(", {} the band {}", row.flagged ? "outside" : "within",
                                    bounds_text(scope.share_min, scope.share_max, true));
        rows_.push_back(std::move(row));
    }

    void price_row(const PriceBand& band, const std::string& level, const std::string& node, Minor amount,
                   Minor units) {
        const Metric& a = plan_.metrics[static_cast<std::size_t>(band.amount)];
        const Metric& u = plan_.metrics[static_cast<std::size_t>(band.per)];
        CheckRow row;
        row.kind = CheckRow::Kind::implied_price;
        row.level = level;
        row.node = node;
        row.metric = a.id + " ÷ " + u.id;
        row.decimals = 0;
        row.amounts = false;
        row.band_label = bounds_text(band.min, band.max, false);
        std::string a_unit = a.unit.empty() ? std::string() : " " + a.unit;
        std::string u_unit = u.unit.empty() ? std::string() : " " + u.unit;
        if (units == 0) {
            row.note = fmt::format("{}{} over 0{}: no price", format_grouped(amount, a.decimals), a_unit, u_unit);
            rows_.push_back(std::move(row));
            return;
        }
        // (amount ÷ 10^a.decimals) ÷ (units ÷ 10^u.decimals), in the amount's major units per unit.
        Fraction price = Fraction(amount, units) * Fraction(pow10_wide(u.decimals), pow10_wide(a.decimals));
        row.flagged = outside(price, band.min, band.max);
        row.note = fmt::format("{}{} ÷ {}{} = {}{} a{}", format_grouped(amount, a.decimals), a_unit,
                               format_grouped(units, u.decimals), u_unit, exact_text(price, 2, ""), a_unit,
                               u.unit.empty() ? std::string(" unit") : u_unit);
        row.note += fmt::format(", {} the band {}", row.flagged ? "outside" : "within", row.band_label);
        rows_.push_back(std::move(row));
    }

    const Decomposition& d_;
    const Plan& plan_;
    std::map<std::string, std::unique_ptr<NodeTable>> tables_;  // per level, built once
    std::vector<CheckRow> rows_;
};

}  // namespace

std::vector<CheckRow> market_check_rows(const Decomposition& decomposition) {
    if (!decomposition.plan().market) return {};
    return MarketChecker(decomposition).run();
}

}  // namespace tgt
