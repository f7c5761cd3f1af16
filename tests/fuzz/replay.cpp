// Runs every file of a fuzz corpus through its target once: the corpus (and every crash the
// fuzzers found, kept there) becomes a regression test that needs no libFuzzer.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "fuzz_targets.hpp"

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: %s plan|csv|names|actuals CORPUS_DIR\n", argv[0]);
        return 2;
    }
    std::string kind = argv[1];
    std::vector<std::filesystem::path> files;
    for (const auto& e : std::filesystem::directory_iterator(argv[2]))
        if (e.is_regular_file()) files.push_back(e.path());
    for (const auto& f : files) {
        std::ifstream in(f, std::ios::binary);
        std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        auto* data = reinterpret_cast<const std::uint8_t*>(bytes.data());
        if (kind == "plan")
            tgt::fuzz::plan_bytes(data, bytes.size());
        else if (kind == "names")
            tgt::fuzz::names_bytes(data, bytes.size());
        else if (kind == "actuals")
            tgt::fuzz::actuals_bytes(data, bytes.size());
        else
            tgt::fuzz::csv_bytes(data, bytes.size());
    }
    std::printf("%zu %s inputs replayed\n", files.size(), kind.c_str());
    return files.empty() ? 1 : 0;
}
