// libFuzzer entry: the CSV reader and the CSV-weight features.
#include "fuzz_targets.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    tgt::fuzz::csv_bytes(data, size);
    return 0;
}
