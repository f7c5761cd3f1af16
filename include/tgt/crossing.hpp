#pragma once
// Crossed levels: two levels that each state their own totals under one parent (regions 150/200/…万,
// products 300/400/300万), crossed into a table whose every row and column adds up to the stated
// totals. The exact table is the independence table (row × column ÷ total) or a history table
// raked to the totals (iterative proportional fitting); the printed cells are a controlled rounding
// of it in the metric's quantum (Cox 1987): every cell its exact value rounded down or up, every
// row and column total exact.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "tgt/fraction.hpp"
#include "tgt/money.hpp"

namespace tgt {

/// Exact cell values of a rows × cols table over one denominator, in quanta: cell (i, j) is
/// num[i × cols + j] ÷ den. Every row and column sums exactly to its stated total.
struct ExactTable {
    std::size_t rows = 0;
    std::size_t cols = 0;
    std::vector<Wide> num;  ///< row-major numerators, each >= 0
    Wide den = 1;           ///< > 0

    /// Cell (i, j) as a reduced fraction of quanta.
    Fraction cell(std::size_t i, std::size_t j) const { return Fraction(num[i * cols + j], den); }
};

/// The independence table of row and column totals (in quanta, Σ rows = Σ cols = total > 0):
/// cell (i, j) = rows[i] × cols[j] ÷ total, exactly.
ExactTable independence_table(std::span<const Minor> rows, std::span<const Minor> cols);

/// How iterative proportional fitting went.
struct RakeReport {
    int iterations = 0;            ///< row-and-column passes made
    double largest_deviation = 0;  ///< largest |row or column sum − its total| when it stopped, in quanta
    bool converged = false;        ///< the deviations became small enough to make the table exact
    std::int64_t fine = 1;         ///< the exact table is in 1/fine quanta (den == fine)
};

/// Most row-and-column passes raking makes before it gives up.
inline constexpr int kMaxRakeIterations = 10000;

/// Rakes a positive-where-it-matters history table (row-major, rows.size() × cols.size()) to the
/// row and column totals (in quanta) with IPF in doubles (the fitting weights only), until the sum
/// of all margin deviations is below a quarter of a fine unit (1/1000 of a quantum for totals up to
/// 1.7e10 quanta); the fitted values are then made an exact table in fine units by a controlled
/// rounding, so its margins are the totals exactly. A zero cell stays zero. Returns an empty table
/// (rows == 0) when the fit does not converge (a zero pattern the totals cannot meet) or the totals
/// are too large; `report` says how far it got.
ExactTable rake_table(std::span<const double> history, std::span<const Minor> rows, std::span<const Minor> cols,
                      RakeReport& report);

/// Controlled rounding of an exact table to whole quanta: every cell is ⌊x⌋ or ⌈x⌉ of its exact
/// value and every row and column sums to its total (in quanta). Cells round up by largest
/// fractional part first (ties to the earlier row, then the earlier column) where their row and
/// column still need a unit; what that greedy pass leaves is completed by augmenting paths
/// (a max-flow on the fractional cells), visited in member order, so the result is deterministic.
/// Throws std::runtime_error when the totals do not match the table (never for a table made here).
/// With `priority` (one numerator over the table's den per cell), cells round up by largest
/// priority first instead of largest fractional part (round_cube steers running totals with it).
std::vector<Minor> controlled_round(const ExactTable& table, std::span<const Minor> rows, std::span<const Minor> cols,
                                    std::span<const Wide> priority = {});

/// Three crossed levels (independence): cells (i, j, l) of the exact cube a_i × b_j × c_l ÷ T²,
/// given `ab`, the controlled rounding of the a × b table. Each row's slice (b × c) is rounded to
/// its cells of `ab` and of the controlled rounding of a × c, so that both two-way tables and every
/// one-way total hold, every cell ⌊x⌋ or ⌈x⌉; when some slice cannot (three-way tables have no such
/// guarantee), the (i, j) × l table is rounded as a whole (a × c totals may then miss); when that
/// cannot keep every cell within a quantum either (or the totals are too large for exact cubes),
/// each (i, j) cell is split by the third level's totals and `by_pairs` is set. Cells are
/// row-major (i, j, l), in quanta; callers report the two-way totals that miss.
std::vector<Minor> round_cube(std::span<const Minor> a, std::span<const Minor> b, std::span<const Minor> c,
                              std::span<const Minor> ab, bool& by_pairs);

/// The crossed tables of one metric (amounts in minor units): the stated totals, the exact table
/// (in quanta) and the rounded cells.
struct CrossedMetric {
    std::vector<Minor> rows;
    std::vector<Minor> cols;
    std::vector<Fraction> row_exact;    ///< each row total before largest remainder (minor units)
    std::vector<Fraction> col_exact;    ///< each column total before largest remainder (minor units)
    ExactTable exact;                   ///< in quanta of the metric
    std::vector<Minor> cells;           ///< row-major, minor units
    RakeReport rake;                    ///< raked tables only
    std::vector<Minor> third;           ///< three levels: the third level's totals
    std::vector<Fraction> third_exact;  ///< … before largest remainder (minor units)
    std::vector<Minor> cube;            ///< three levels: cells (i, j, l), row-major, minor units
    bool by_pairs = false;              ///< see round_cube
    bool made = false;                  ///< false for rate metrics (held, not split) and plans with errors
};

/// A crossed split step ("cross": ["region", "product"]), as the plan states it and as it was
/// computed. The plan keeps it on each step it made; explain reads it.
struct Crossing {
    std::vector<std::string> levels;        ///< the crossed levels, rows first
    std::vector<int> steps;                 ///< their split steps
    std::vector<int> dimensions;            ///< their dimensions (each level is the top level of its own)
    std::string history_file;               ///< raked from this history ("" : the independence table)
    std::vector<double> history;            ///< row-major history values (raked tables)
    bool equal_if_all_zero = false;         ///< a history row or column of zeros weighs its cells equally
    std::vector<CrossedMetric> per_metric;  ///< by metric index, once computed
};

}  // namespace tgt
