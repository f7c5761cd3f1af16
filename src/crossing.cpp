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

std::vector<Minor> round_cube(std::span<const Minor> a, std::span<const Minor> b, std::span<const Minor> c,
                              std::span<const Minor> ab, bool& by_pairs) {
    const std::size_t n = a.size(), m = b.size(), p = c.size();
    by_pairs = false;
    Wide total = 0;
    for (auto x : a)
        total += x;
    if (total > 0 && total <= Wide{1000000000000}) {  // T² and a × b × c stay within 128 bits
        ExactTable t;
        t.rows = n * m;
        t.cols = p;
        t.den = total * total;
        t.num.resize(n * m * p);
        for (std::size_t i = 0; i < n; ++i)
            for (std::size_t j = 0; j < m; ++j)
                for (std::size_t l = 0; l < p; ++l)
                    t.num[(i * m + j) * p + l] = static_cast<Wide>(a[i]) * b[j] * c[l];
        // First try: each row's slice (columns × third level) rounded to that row's cells of `ab`
        // and of the rows × third-level table, so that both of those two-way tables hold.
        try {
            std::vector<Minor> ac = controlled_round(independence_table(a, c), a, c);
            std::vector<Minor> cube(n * m * p);
            // What the slices so far left each (column, third) total short of its exact value, so
            // that the next slice rounds up where the running total lags (keeps b × c close).
            std::vector<Wide> carry(m * p, 0), priority(m * p);
            for (std::size_t i = 0; i < n; ++i) {
                ExactTable slice;
                slice.rows = m;
                slice.cols = p;
                slice.den = t.den;
                slice.num.assign(t.num.begin() + static_cast<std::ptrdiff_t>(i * m * p),
                                 t.num.begin() + static_cast<std::ptrdiff_t>((i + 1) * m * p));
                for (std::size_t q = 0; q < m * p; ++q)
                    priority[q] = carry[q] + slice.num[q] % slice.den;
                auto cells = controlled_round(slice, ab.subspan(i * m, m), std::span<const Minor>(ac).subspan(i * p, p),
                                              priority);
                for (std::size_t q = 0; q < m * p; ++q)
                    carry[q] += slice.num[q] - static_cast<Wide>(cells[q]) * slice.den;
                std::copy(cells.begin(), cells.end(), cube.begin() + static_cast<std::ptrdiff_t>(i * m * p));
            }
            return cube;
        } catch (const std::runtime_error&) {
            // Some slice cannot meet both: round the (row, column) × third-level table as a whole.
        }
        try {
            return controlled_round(t, ab, c);
        } catch (const std::runtime_error&) {
            // No rounding keeps every cell within a quantum: split each pair by the third level.
        }
    }
    by_pairs = true;
    return controlled_round(independence_table(ab, c), ab, c);
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
