#pragma once
// The bodies of the fuzz targets, shared by the libFuzzer builds and the corpus replay test.

#include <cstddef>
#include <cstdint>

namespace tgt::fuzz {

/// Plan reader + engine: any bytes either load as a plan whose split adds up, or fail with tgt::Error.
void plan_bytes(const std::uint8_t* data, std::size_t size);

/// CSV reader + the plan features that read CSV weights (members_from, history, baseline).
void csv_bytes(const std::uint8_t* data, std::size_t size);

}  // namespace tgt::fuzz
