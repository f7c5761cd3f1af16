// Exact tables for crossed levels: the independence table, and history raked to stated totals.

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "tgt/crossing.hpp"

namespace tgt {

ExactTable independence_table(std::span<const Minor> rows, std::span<const Minor> cols) {
    ExactTable t;
    t.rows = rows.size();
    t.cols = cols.size();
    Wide total = 0;
    for (auto r : rows)
        total += r;
    t.den = total > 0 ? total : 1;
    t.num.resize(t.rows * t.cols);
    for (std::size_t i = 0; i < t.rows; ++i)
        for (std::size_t j = 0; j < t.cols; ++j)
            t.num[i * t.cols + j] = static_cast<Wide>(rows[i]) * cols[j];
    return t;
}

namespace {

// Largest |Σ row − total| and Σ |deviations| over the rows and columns of x.
std::pair<double, double> deviations(const std::vector<double>& x, std::span<const Minor> rows,
                                     std::span<const Minor> cols) {
    const std::size_t n = rows.size(), m = cols.size();
    std::vector<double> rsum(n, 0.0), csum(m, 0.0);
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < m; ++j) {
            rsum[i] += x[i * m + j];
            csum[j] += x[i * m + j];
        }
    double largest = 0, sum = 0;
    for (std::size_t i = 0; i < n; ++i) {
        double d = std::fabs(rsum[i] - static_cast<double>(rows[i]));
        largest = std::max(largest, d);
        sum += d;
    }
    for (std::size_t j = 0; j < m; ++j) {
        double d = std::fabs(csum[j] - static_cast<double>(cols[j]));
        largest = std::max(largest, d);
        sum += d;
    }
    return {largest, sum};
}

// One IPF pass: scale every row to its total, then every column.
void rake_pass(std::vector<double>& x, std::span<const Minor> rows, std::span<const Minor> cols) {
    const std::size_t n = rows.size(), m = cols.size();
    for (std::size_t i = 0; i < n; ++i) {
        double s = 0;
        for (std::size_t j = 0; j < m; ++j)
            s += x[i * m + j];
        double f = s > 0 ? static_cast<double>(rows[i]) / s : 0.0;
        for (std::size_t j = 0; j < m; ++j)
            x[i * m + j] *= f;
    }
    std::vector<double> csum(m, 0.0);
    for (std::size_t k = 0; k < x.size(); ++k)
        csum[k % m] += x[k];
    for (std::size_t k = 0; k < x.size(); ++k)
        x[k] *= csum[k % m] > 0 ? static_cast<double>(cols[k % m]) / csum[k % m] : 0.0;
}

}  // namespace

ExactTable rake_table(std::span<const double> history, std::span<const Minor> rows, std::span<const Minor> cols,
                      RakeReport& report) {
    const std::size_t n = rows.size(), m = cols.size();
    report = RakeReport{};
    Minor total = std::accumulate(rows.begin(), rows.end(), Minor{0});
    // Fine units: 1/1000 of a quantum while doubles hold every sum to well under one of them.
    constexpr double kExact = 17592186044416.0;  // 2^44
    std::int64_t fine = 1000;
    while (fine > 1 && static_cast<double>(total) * static_cast<double>(fine) > kExact)
        fine /= 10;
    report.fine = fine;
    if (static_cast<double>(total) * static_cast<double>(fine) > kExact || history.size() != n * m) return {};
    std::vector<double> x(history.begin(), history.end());
    const double limit = 0.25 / static_cast<double>(fine);
    for (int it = 1; it <= kMaxRakeIterations; ++it) {
        rake_pass(x, rows, cols);
        auto [largest, sum] = deviations(x, rows, cols);
        report.iterations = it;
        report.largest_deviation = largest;
        if (sum <= limit) {
            report.converged = true;
            break;
        }
    }
    if (!report.converged) return {};
    // The fitted values in fine units, as fractions over 2^20, rounded under control to whole fine
    // units whose margins are the totals × fine exactly.
    constexpr double kSub = 1048576.0;  // 2^20
    ExactTable sub;
    sub.rows = n;
    sub.cols = m;
    sub.den = static_cast<Wide>(kSub);
    sub.num.resize(n * m);
    for (std::size_t k = 0; k < n * m; ++k) {
        double v = std::max(0.0, x[k]) * static_cast<double>(fine);
        double whole = std::floor(v);
        sub.num[k] = static_cast<Wide>(whole) * sub.den + static_cast<Wide>(std::floor((v - whole) * kSub));
    }
    std::vector<Minor> fine_rows(rows.begin(), rows.end()), fine_cols(cols.begin(), cols.end());
    for (auto& r : fine_rows)
        r *= fine;
    for (auto& c : fine_cols)
        c *= fine;
    std::vector<Minor> cells;
    try {
        cells = controlled_round(sub, fine_rows, fine_cols);
    } catch (const std::runtime_error&) {
        report.converged = false;
        return {};
    }
    ExactTable t;
    t.rows = n;
    t.cols = m;
    t.den = fine;
    t.num.assign(cells.begin(), cells.end());
    return t;
}

}  // namespace tgt
