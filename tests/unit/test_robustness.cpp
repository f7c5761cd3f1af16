// Bad input never crashes: mutated example plans either load and split, or fail with tgt::Error.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <random>

#include "tgt/csv.hpp"
#include "tgt/decompose.hpp"

using namespace tgt;

namespace {

std::string mutate(std::string text, std::mt19937_64& rng) {
    static const char* fragments[] = {"{",
                                      "}",
                                      "[",
                                      "]",
                                      ",",
                                      ":",
                                      "\"",
                                      "-1",
                                      "1e999",
                                      "\"1亿\"",
                                      "null",
                                      "true",
                                      "\\u0000",
                                      "\xff",
                                      "\"%\"",
                                      "0",
                                      "\"2027-02-30\"",
                                      "99999999999999999999"};
    int edits = std::uniform_int_distribution<int>(1, 4)(rng);
    for (int e = 0; e < edits && !text.empty(); ++e) {
        std::size_t at = std::uniform_int_distribution<std::size_t>(0, text.size() - 1)(rng);
        switch (std::uniform_int_distribution<int>(0, 3)(rng)) {
            case 0:
                text.erase(at, std::uniform_int_distribution<std::size_t>(1, 8)(rng));
                break;
            case 1:
                text.insert(at, fragments[std::uniform_int_distribution<std::size_t>(0, 17)(rng)]);
                break;
            case 2:
                text[at] = static_cast<char>(std::uniform_int_distribution<int>(0, 255)(rng));
                break;
            default:
                text.insert(at, text.substr(at / 2, 16));
                break;
        }
    }
    return text;
}

}  // namespace

TEST_CASE("mutated plans load and split, or fail with a typed error, and nothing crashes") {
    int loaded = 0, refused = 0;
    // CI runs a few hundred mutations per example; TGT_ROBUSTNESS_ROUNDS and _SEED run more outside it.
    const char* rounds_env = std::getenv("TGT_ROBUSTNESS_ROUNDS");
    const char* seed_env = std::getenv("TGT_ROBUSTNESS_SEED");
    const int rounds = rounds_env ? std::atoi(rounds_env) : 150;
    std::mt19937_64 rng(seed_env ? std::strtoull(seed_env, nullptr, 10) : 20271);
    for (const auto& entry : std::filesystem::directory_iterator(TGT_EXAMPLES_DIR)) {
        if (entry.path().extension() != ".json" || entry.path().filename() == "china-2027.json") continue;
        std::string original = read_text_file(entry.path().string());
        for (int i = 0; i < rounds; ++i) {
            std::string text = mutate(original, rng);
            try {
                Plan plan = parse_plan(text, entry.path().string());
                Decomposition d(plan);
                SplitRequest all;
                all.full_depth = true;
                Minor sink = 0;
                d.run(all, [&](const SplitRow& row) { sink += row.amounts.empty() ? 0 : row.amounts[0]; });
                ++loaded;
            } catch (const Error& e) {
                CHECK_FALSE(e.diagnostics().empty());
                ++refused;
            }
        }
    }
    CHECK(refused > 0);
    INFO("loaded " << loaded << ", refused " << refused);
}

TEST_CASE("mutated CSV files parse or fail with a typed error") {
    std::mt19937_64 rng(7);
    std::string original = read_text_file(std::string(TGT_EXAMPLES_DIR) + "/data/reps-2026.csv");
    for (int i = 0; i < 500; ++i) {
        std::string text = mutate(original, rng);
        try {
            auto table = parse_csv(text, "reps.csv");
            for (const auto& row : table.rows)
                CHECK(row.size() == table.header.size());
        } catch (const Error& e) {
            CHECK(e.diagnostics().front().where.file == "reps.csv");
        }
    }
}
