// libFuzzer entry: the plan reader and engine.
#include "fuzz_targets.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    tgt::fuzz::plan_bytes(data, size);
    return 0;
}
