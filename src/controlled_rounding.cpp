// Controlled rounding of a 2-D table (Cox 1987): every cell ⌊x⌋ or ⌈x⌉, every margin exact.
// Rounding a cell up is one unit of flow from its row to its column; the rows and columns need
// integer numbers of such units, and the fractional parts themselves are a fractional flow that
// meets them, so an integral one exists (flow integrality). A greedy pass by largest fractional
// part finds almost all of it; augmenting paths complete it.

#include <algorithm>
#include <limits>
#include <numeric>
#include <stdexcept>

#include "tgt/crossing.hpp"

namespace tgt {

namespace {

// The fractional cells as a bipartite graph: row → its candidate cells, column → its candidate cells.
struct Candidates {
    std::vector<std::size_t> row_start, row_cells;  // CSR by row, cells in column order
    std::vector<std::size_t> col_start, col_cells;  // CSR by column, cells in row order
};

Candidates index_candidates(const std::vector<char>& fractional, std::size_t rows, std::size_t cols) {
    Candidates c;
    c.row_start.assign(rows + 1, 0);
    c.col_start.assign(cols + 1, 0);
    for (std::size_t k = 0; k < fractional.size(); ++k)
        if (fractional[k]) {
            ++c.row_start[k / cols + 1];
            ++c.col_start[k % cols + 1];
        }
    std::partial_sum(c.row_start.begin(), c.row_start.end(), c.row_start.begin());
    std::partial_sum(c.col_start.begin(), c.col_start.end(), c.col_start.begin());
    c.row_cells.resize(c.row_start.back());
    c.col_cells.resize(c.col_start.back());
    std::vector<std::size_t> rfill(c.row_start.begin(), c.row_start.end() - 1);
    std::vector<std::size_t> cfill(c.col_start.begin(), c.col_start.end() - 1);
    for (std::size_t k = 0; k < fractional.size(); ++k)
        if (fractional[k]) {
            c.row_cells[rfill[k / cols]++] = k;
            c.col_cells[cfill[k % cols]++] = k;
        }
    return c;
}

// One augmenting path from row `start` to a column that still needs a unit: rounds up the cells
// it enters by and rounds down those it leaves by. False when there is none.
bool augment(std::size_t start, std::size_t cols, const Candidates& c, std::vector<char>& up,
             std::vector<Minor>& col_need) {
    const std::size_t rows = c.row_start.size() - 1;
    std::vector<std::size_t> via_col(cols, SIZE_MAX);  // column → the cell it was reached by
    std::vector<std::size_t> via_row(rows, SIZE_MAX);  // row → the cell it was reached by (an up cell)
    std::vector<char> seen_row(rows, 0);
    std::vector<std::size_t> queue{start};
    seen_row[start] = 1;
    for (std::size_t q = 0; q < queue.size(); ++q) {
        std::size_t i = queue[q];
        for (std::size_t p = c.row_start[i]; p < c.row_start[i + 1]; ++p) {
            std::size_t k = c.row_cells[p];
            std::size_t j = k % cols;
            if (up[k] || via_col[j] != SIZE_MAX) continue;
            via_col[j] = k;
            if (col_need[j] > 0) {
                // Flip the path back to the start.
                --col_need[j];
                std::size_t cell = k;
                while (true) {
                    up[cell] = 1;
                    std::size_t row = cell / cols;
                    if (row == start && via_row[row] == SIZE_MAX) return true;
                    std::size_t back = via_row[row];
                    up[back] = 0;
                    cell = via_col[back % cols];
                }
            }
            for (std::size_t r = c.col_start[j]; r < c.col_start[j + 1]; ++r) {
                std::size_t k2 = c.col_cells[r];
                std::size_t i2 = k2 / cols;
                if (!up[k2] || seen_row[i2]) continue;
                seen_row[i2] = 1;
                via_row[i2] = k2;
                queue.push_back(i2);
            }
        }
    }
    return false;
}

}  // namespace

std::vector<Minor> controlled_round(const ExactTable& t, std::span<const Minor> rows, std::span<const Minor> cols,
                                    std::span<const Wide> priority) {
    if (rows.size() != t.rows || cols.size() != t.cols || t.num.size() != t.rows * t.cols || t.den <= 0)
        throw std::runtime_error("controlled rounding: the totals do not fit the table");
    const std::size_t n = t.rows, m = t.cols;
    std::vector<Minor> out(n * m);
    std::vector<char> fractional(n * m, 0);
    std::vector<Minor> row_need(rows.begin(), rows.end());
    std::vector<Minor> col_need(cols.begin(), cols.end());
    // Fractional parts are below den; when den fits 64 bits so do they (sorted as 64-bit keys).
    const bool narrow = t.den <= std::numeric_limits<std::int64_t>::max() && priority.empty();
    std::vector<std::pair<std::int64_t, std::size_t>> order;  // (fractional part, cell), narrow tables
    std::vector<std::pair<Wide, std::size_t>> wide_order;     // the same for wider denominators
    const auto den64 = narrow ? static_cast<std::int64_t>(t.den) : 0;
    for (std::size_t k = 0; k < n * m; ++k) {
        if (t.num[k] < 0) throw std::runtime_error("controlled rounding: a negative cell");
        Wide frac = 0;
        if (narrow && t.num[k] <= std::numeric_limits<std::int64_t>::max()) {
            auto v = static_cast<std::int64_t>(t.num[k]);
            out[k] = v / den64;
            frac = v % den64;
        } else {
            out[k] = static_cast<Minor>(t.num[k] / t.den);
            frac = t.num[k] % t.den;
        }
        row_need[k / m] -= out[k];
        col_need[k % m] -= out[k];
        if (frac > 0) {
            fractional[k] = 1;
            if (narrow)
                order.emplace_back(static_cast<std::int64_t>(frac), k);
            else
                wide_order.emplace_back(priority.empty() ? frac : priority[k], k);
        }
    }
    for (auto need : row_need)
        if (need < 0) throw std::runtime_error("controlled rounding: a row total below its cells");
    for (auto need : col_need)
        if (need < 0) throw std::runtime_error("controlled rounding: a column total below its cells");
    // Largest fractional part first; ties to the earlier row, then the earlier column (cells are row-major).
    auto larger = [](const auto& a, const auto& b) {
        return a.first != b.first ? a.first > b.first : a.second < b.second;
    };
    std::sort(order.begin(), order.end(), larger);
    std::sort(wide_order.begin(), wide_order.end(), larger);
    std::vector<char> up(n * m, 0);
    auto take = [&](std::size_t k) {
        std::size_t i = k / m, j = k % m;
        if (row_need[i] > 0 && col_need[j] > 0) {
            up[k] = 1;
            --row_need[i];
            --col_need[j];
        }
    };
    for (const auto& [frac, k] : order)
        take(k);
    for (const auto& [frac, k] : wide_order)
        take(k);
    bool left = false;
    for (auto need : row_need)
        left = left || need > 0;
    if (left) {
        const Candidates c = index_candidates(fractional, n, m);
        for (std::size_t i = 0; i < n; ++i)
            for (; row_need[i] > 0; --row_need[i])
                if (!augment(i, m, c, up, col_need))
                    throw std::runtime_error("controlled rounding: the row and column totals cannot both be met");
    }
    for (auto need : col_need)
        if (need != 0) throw std::runtime_error("controlled rounding: the row and column totals differ");
    for (std::size_t k = 0; k < n * m; ++k)
        out[k] += up[k];
    return out;
}

}  // namespace tgt
