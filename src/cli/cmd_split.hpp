#pragma once
// tgt split: every cell at the grain asked for.

#include <CLI/CLI.hpp>
#include <span>

#include "tgt/decompose.hpp"
#include "tgt/report.hpp"

#include "options.hpp"

namespace tgt::cli {

/// tgt split's options.
struct SplitOptions {
    std::string plan;
    std::vector<std::string> by;
    std::optional<TimeLevel> period;
    std::vector<std::string> metrics;
    std::vector<std::string> where;
    FormatOption format;
    std::string output;
    bool force = false;    ///< -o may replace one of the inputs
    DisplayFlags display;  ///< --unit, --decimals, --lang
    bool show_task = false;
    int threads = 0;  ///< --threads (0: one per core, at least 2); --single-thread is --threads 1
    bool no_activity = false;
    std::string shard;   ///< "K/N": walk only share K of N
    std::string across;  ///< --across LEVEL: a cross table, that level's members as columns
};
/// Adds split's arguments and options to `app`.
void setup_split(CLI::App& app, SplitOptions& options);
/// Runs tgt split; returns the exit code.
int run_split(const SplitOptions& options, const Io& io);

/// How a split's channels become output columns: amounts as they are, rates as weighted averages
/// (Σ weight × rate ÷ Σ weight) and stretch ratios (stretch ÷ commitment). Shared by split-like commands.
struct ValueColumn {
    enum class Kind { amount, rate, ratio };
    Column column;
    Kind kind = Kind::amount;
    int channel = 0;
    int base = -1;  ///< rate: the weighting channel; ratio: the commitment's channel
    Cell cell(std::span<const Minor> amounts) const;
};
/// The columns `layout`'s channels give, in order; headed for people by the metrics' names (销售额, and
/// the suffixes in `lang`) where the plan names them.
std::vector<ValueColumn> value_columns(const Plan& plan, const SplitLayout& layout, Lang lang = Lang::en);

}  // namespace tgt::cli
