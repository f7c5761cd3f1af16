// libFuzzer entry: actuals on standard input (CSV, TSV, NDJSON), on one thread and on two.
#include "fuzz_targets.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    tgt::fuzz::actuals_bytes(data, size);
    return 0;
}
