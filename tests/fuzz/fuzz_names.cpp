// libFuzzer entry: sheet file and worksheet names for random member ids.
#include "fuzz_targets.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    tgt::fuzz::names_bytes(data, size);
    return 0;
}
