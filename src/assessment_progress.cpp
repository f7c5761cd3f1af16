// The assessment hook of progress: achievement per metric from progress runs over the same rows,
// duty deductions from their actuals columns, then score and pay band per row; two columns added to the
// progress table by a wrapping writer.

#include "tgt/assessment_progress.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "tgt/actuals.hpp"

namespace tgt {

namespace {

using RowIndex = std::map<std::vector<std::string>, std::size_t>;

// Actual ÷ target per planned row of `report`, keyed by the row's keys (nullopt: a zero target).
std::map<std::vector<std::string>, std::optional<Fraction>> achievements(const ProgressReport& report) {
    std::map<std::vector<std::string>, std::optional<Fraction>> out;
    for (const auto& r : report.rows)
        if (r.planned)
            out[r.keys] = r.target == 0 ? std::nullopt : std::optional<Fraction>(Fraction(r.actual, r.target));
    return out;
}

// Sums each deductions column per report row (rows dated up to the as-of date).
class DutyPoints {
public:
    DutyPoints(const Plan& plan, const ProgressReport& report, const RowIndex& rows)
        : plan_(plan), report_(report), rows_(rows) {
        for (const auto& column : report.key_columns) {
            const Step& step = plan.steps[static_cast<std::size_t>(plan.step_index(column))];
            levels_.emplace_back(step.dimension, step.depth);
        }
    }

    /// Points deducted per report row and duty part (by part index), read from `request`'s actuals.
    std::vector<std::vector<std::optional<Fraction>>> read(const Assessment& scheme, const ProgressRequest& request) {
        std::vector<std::vector<std::optional<Fraction>>> points(
            report_.rows.size(), std::vector<std::optional<Fraction>>(scheme.parts.size()));
        ActualsOptions options = request.options;
        std::vector<std::size_t> part_of;  // count column → part
        for (std::size_t p = 0; p < scheme.parts.size(); ++p)
            if (scheme.parts[p].duty() && !scheme.parts[p].column.empty()) {
                options.counts.push_back(scheme.parts[p].column);
                part_of.push_back(p);
            }
        if (options.counts.empty()) return points;
        options.threads = 1;
        std::vector<std::string_view> ids(levels_.size());
        for (const auto& file : request.actuals) {
            ActualsReader reader(plan_, options);
            reader.read(file, [&](const ActualRow& row) {
                if (request.as_of < row.date || !key_of(reader, row, ids)) return;
                auto it = rows_.find(std::vector<std::string>(ids.begin(), ids.end()));
                if (it == rows_.end()) return;
                for (std::size_t i = 0; i < reader.metrics().size(); ++i) {
                    const int which = reader.metrics()[i];
                    if (which > kCountColumn) continue;
                    auto& cell = points[it->second][part_of[static_cast<std::size_t>(kCountColumn - which)]];
                    cell = cell.value_or(Fraction(0)) + Fraction(row.amounts[i]);
                }
            });
        }
        return points;
    }

private:
    // The row's member id at each key column's level; false when the row cannot tell one.
    bool key_of(const ActualsReader& reader, const ActualRow& row, std::vector<std::string_view>& ids) const {
        for (std::size_t c = 0; c < levels_.size(); ++c) {
            const auto [dimension, depth] = levels_[c];
            const auto d = static_cast<std::size_t>(dimension);
            int at = reader.depth(d), index = row.members[d];
            if (index < 0 || at < depth) return false;
            const auto& dim = plan_.dimensions[d];
            for (; at > depth; --at)
                index = dim.members[static_cast<std::size_t>(at)][static_cast<std::size_t>(index)].parent;
            ids[c] = dim.members[static_cast<std::size_t>(depth)][static_cast<std::size_t>(index)].id;
        }
        return true;
    }

    const Plan& plan_;
    const ProgressReport& report_;
    const RowIndex& rows_;
    std::vector<std::pair<int, int>> levels_;  // (dimension, depth) per key column
};

class AssessedWriter : public TableWriter {
public:
    AssessedWriter(TableWriter& inner, const Assessment& scheme, const AssessmentResults& results)
        : inner_(inner), scheme_(scheme), results_(results) {}
    void begin(const std::vector<Column>& columns) override {
        std::vector<Column> all = columns;
        all.push_back(Column{"score", true, 2, false, false});
        all.push_back(Column{"pay_factor_pct", true, 2, false, false});
        inner_.begin(all);
    }
    void row(std::span<const Cell> cells) override {
        const AssessedRow none;
        const AssessedRow& r = next_ < results_.rows.size() ? results_.rows[next_] : none;
        ++next_;
        inner_.row(with(cells, r));
    }
    void total(std::span<const Cell> cells) override { inner_.total(with(cells, AssessedRow{})); }
    void end() override { inner_.end(); }

private:
    std::span<const Cell> with(std::span<const Cell> cells, const AssessedRow& r) {
        cells_.assign(cells.begin(), cells.end());
        if (r.score)
            cells_.push_back(Cell{{}, round_to_quantum(*r.score * Fraction(100), 1), true});
        else
            cells_.push_back(Cell{{}, 0, false});
        if (r.band)
            cells_.push_back(
                Cell{{}, round_to_quantum(Fraction::of(scheme_.pay[*r.band].factor) * Fraction(10000), 1), true});
        else
            cells_.push_back(Cell{{}, 0, false});
        return cells_;
    }

    TableWriter& inner_;
    const Assessment& scheme_;
    const AssessmentResults& results_;
    std::size_t next_ = 0;
    std::vector<Cell> cells_;
};

}  // namespace

AssessmentResults assess_progress(const Decomposition& decomposition, const ProgressRequest& request,
                                  const ProgressReport& report) {
    const Plan& plan = decomposition.plan();
    AssessmentResults results;
    results.rows.resize(report.rows.size());
    if (!plan.assessment) return results;
    const Assessment& scheme = *plan.assessment;
    RowIndex rows;
    for (std::size_t i = 0; i < report.rows.size(); ++i)
        if (report.rows[i].planned) rows.emplace(report.rows[i].keys, i);

    // Metrics (and duty columns) other than the one the report tracks read the actuals again.
    std::vector<int> metrics;
    bool reread = false;
    for (const auto& part : scheme.parts) {
        for (const auto& [m, weight] : part.metrics)
            if (std::find(metrics.begin(), metrics.end(), m) == metrics.end()) metrics.push_back(m);
        reread = reread || !part.column.empty();
    }
    for (int m : metrics)
        reread = reread || report.activity || m != report.metric;
    if (reread && std::find(request.actuals.begin(), request.actuals.end(), "-") != request.actuals.end())
        throw Error::usage("the plan's assessment reads the actuals once per metric and duty column",
                           "give the actuals as files, not standard input");

    std::vector<std::map<std::vector<std::string>, std::optional<Fraction>>> by_metric(plan.metrics.size());
    for (int m : metrics) {
        if (!report.activity && m == report.metric) {
            by_metric[static_cast<std::size_t>(m)] = achievements(report);
            continue;
        }
        ProgressRequest again = request;
        again.metric = plan.metrics[static_cast<std::size_t>(m)].id;
        again.grid.reset();
        by_metric[static_cast<std::size_t>(m)] = achievements(progress(decomposition, again));
    }
    DutyPoints duties(plan, report, rows);
    auto deductions = duties.read(scheme, request);

    for (std::size_t i = 0; i < report.rows.size(); ++i) {
        if (!report.rows[i].planned) continue;
        AssessmentInput input;
        input.achievement.resize(plan.metrics.size());
        for (int m : metrics) {
            const auto& found = by_metric[static_cast<std::size_t>(m)];
            auto it = found.find(report.rows[i].keys);
            if (it != found.end()) input.achievement[static_cast<std::size_t>(m)] = it->second;
        }
        input.deductions = deductions[i];
        results.rows[i].score = assessment_score(scheme, input);
        if (results.rows[i].score) results.rows[i].band = pay_band(scheme, *results.rows[i].score);
    }
    return results;
}

std::unique_ptr<TableWriter> assessment_writer(TableWriter& inner, const Assessment& scheme,
                                               const AssessmentResults& results) {
    return std::make_unique<AssessedWriter>(inner, scheme, results);
}

}  // namespace tgt
