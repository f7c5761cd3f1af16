#pragma once
// Actual sales, streamed: CSV, TSV or NDJSON rows matched to a plan's members, dates and metrics,
// amounts parsed exactly. Memory does not grow with the number of rows.

#include <cstdio>
#include <functional>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "tgt/plan.hpp"

namespace tgt {

/// A member index that stands for "(unplanned)": the row names a member the plan does not have.
inline constexpr int kUnplanned = -2;

/// metrics() entries at or below this stand for ActualsOptions::counts (kCountColumn - k is count k).
inline constexpr int kCountColumn = -1000;

/// A planned member found above one the plan does not have: its level (depth) and index there.
struct KnownMember {
    int depth = -1;  ///< -1: none of the row's columns above names a planned member
    int index = -1;
};

/// One row as matched to the plan.
struct ActualRow {
    Date date{};
    std::span<const int> members;    ///< per plan dimension: member index at ActualsReader::depth(d), or
                                     ///< kUnplanned; -1 when the file has no column for that dimension
    std::span<const Minor> amounts;  ///< per ActualsReader::metrics(), in the metric's minor units
    int line = 0;
    /// per plan dimension, where members[d] is kUnplanned: the deepest ancestor column naming a
    /// planned member (region 华北 above an unknown rep), so filters can place the row; else none
    std::span<const KnownMember> known;
};

/// How a file's columns map to the plan: columns named like a dimension level, a metric id or
/// "date" map to them; `map` renames ("sales=amount" maps column sales to metric amount).
struct ActualsOptions {
    std::vector<std::pair<std::string, std::string>> map;  ///< column → level, metric or "date"
    bool skip_bad_rows = false;  ///< report bad rows in the summary and go on, instead of failing
    int threads = 1;             ///< > 1: rows are parsed on this many threads, one part each (see read)
    std::size_t chunk_bytes = std::size_t{1} << 18;  ///< bytes read at a time, cut at a record boundary
    /// limits.record_bytes: a record that runs longer without ending is an error (file:line), so
    /// that memory stays bounded on any input, one endless line included.
    InputLimits limits;
    /// Columns of whole counts read beside the metrics (activity such as "leads" or "visits"):
    /// count k appears in metrics() as kCountColumn - k.
    std::vector<std::string> counts;
    /// .xlsx actuals: the worksheet read (empty: the first); its cells are read as CSV's are.
    std::string sheet;
};

/// What reading saw besides the rows it delivered.
struct ActualsSummary {
    std::size_t rows = 0;                        ///< rows delivered (unplanned ones included)
    std::size_t skipped = 0;                     ///< bad rows skipped (with skip_bad_rows)
    std::size_t unplanned = 0;                   ///< rows with a member the plan does not have
    std::map<std::string, std::size_t> unknown;  ///< "rep=R123" → rows
    std::map<std::string, std::size_t> moved;    ///< "rep=R1 under region=South (the plan has North)" → rows
    std::vector<Diagnostic> problems;            ///< the first bad rows, with file and line

    /// Adds another file's summary to this one (counts summed, problems appended).
    void add(const ActualsSummary& other);
};

/// Reads actuals for one plan. The columns are matched once per file, from its header.
class ActualsReader {
public:
    ActualsReader(const Plan& plan, ActualsOptions options);

    /// Receives the rows of one part; a part is fed by one thread at a time, in file order within
    /// each chunk, so state kept per part needs no lock.
    using Sink = std::function<void(int part, const ActualRow&)>;

    /// Streams `path` ("-" reads `stdin_stream`): matches the header, calls `on_header` (depth()
    /// and metrics() are known by then), then `sink` once per good row, on parts() threads when
    /// options.threads > 1. Throws Error naming file:line for bad rows (a date outside the plan, a
    /// malformed date or amount, a ragged row; every one kept, the first by line) unless
    /// skip_bad_rows; for a record longer than options.limits.record_bytes (always); for a header
    /// that maps no date or no metric; for I/O; or what a sink threw.
    void read(const std::string& path, const Sink& sink, const std::function<void()>& on_header,
              std::FILE* stdin_stream = stdin);
    /// The same on this thread, one part.
    void read(const std::string& path, const std::function<void(const ActualRow&)>& sink,
              std::FILE* stdin_stream = stdin);

    /// How many parts read() delivers to.
    int parts() const;

    /// The level matched per dimension (its deepest level with a column), or -1.
    int depth(std::size_t dimension) const { return depth_[dimension]; }
    /// The metrics that have a column, in the order of ActualRow::amounts (counts as kCountColumn - k).
    const std::vector<int>& metrics() const { return metrics_; }
    const ActualsSummary& summary() const { return summary_; }

    struct Impl;

private:
    void read_parts(const std::string& path, const Sink& sink, const std::function<void()>& on_header,
                    std::FILE* stdin_stream, int part_count);
    void fail_if_bad() const;

    const Plan& plan_;
    ActualsOptions options_;
    std::vector<int> depth_;
    std::vector<int> metrics_;
    ActualsSummary summary_;
};

}  // namespace tgt
