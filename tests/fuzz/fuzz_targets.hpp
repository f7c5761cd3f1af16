#pragma once
// The bodies of the fuzz targets, shared by the libFuzzer builds and the corpus replay test.

#include <cstddef>
#include <cstdint>

namespace tgt::fuzz {

/// Plan reader + engine: any bytes either load as a plan whose split adds up, or fail with tgt::Error.
void plan_bytes(const std::uint8_t* data, std::size_t size);

/// Sheet naming: bytes as member ids, one a line (the first byte picks the extension), must get
/// file names every system takes and worksheet names Excel takes, unique ignoring case, the same
/// twice; and libxlsxwriter must take the worksheet names (a workbook is written).
void names_bytes(const std::uint8_t* data, std::size_t size);

/// CSV reader + the plan features that read CSV weights (members_from, history, baseline).
void csv_bytes(const std::uint8_t* data, std::size_t size);

/// Actuals on standard input (CSV, TSV or NDJSON, with a small record limit): read on one thread
/// and on two in small chunks, they must deliver the same rows, or fail with the same first
/// problem, located in "<stdin>".
void actuals_bytes(const std::uint8_t* data, std::size_t size);

}  // namespace tgt::fuzz
