// Bad input never crashes: mutated or truncated example plans and CSV files either load (and
// split), or fail with tgt::Error, located.
#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>

#include "temp_dir.hpp"
#include "tgt/actuals.hpp"
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

namespace {

// Bytes as a stream (actuals on standard input); fmemopen refuses no size, unlike a zero-length buffer.
std::FILE* stream_of(const std::string& text) {
    std::FILE* f = std::tmpfile();
    REQUIRE(f);
    std::fwrite(text.data(), 1, text.size(), f);
    std::rewind(f);
    return f;
}

// Every diagnostic names `file` (or, for a file the plan names, the plan at its reference) and a line.
void check_located(const Error& e, const std::string& file) {
    REQUIRE(!e.diagnostics().empty());
    CHECK(e.kind() == ErrorKind::bad_input);
    for (const auto& d : e.diagnostics()) {
        if (d.severity != Severity::error) continue;
        CHECK(d.where.file == file);
        CHECK(d.where.line > 0);
    }
}

}  // namespace

TEST_CASE("every truncation of three example plans is a located error, or the whole plan") {
    const std::string examples = TGT_EXAMPLES_DIR;
    for (const char* name : {"sales-org.json", "dealer-funnel.json", "customer-visits.json"}) {
        const std::string text = read_text_file(examples + "/" + name);
        const std::string file = examples + "/cut-" + name;  // the files it names resolve beside it
        for (std::size_t n = 0; n < text.size(); ++n) {
            INFO(name << " cut after " << n << " bytes");
            try {
                parse_plan(text.substr(0, n), file);
                CHECK(text.find_first_not_of(" \t\r\n", n) == std::string::npos);  // only blanks were cut
            } catch (const Error& e) {
                check_located(e, file);
            }
        }
    }
}

TEST_CASE("every truncation of an actuals CSV on standard input is a located error or a clean run") {
    const std::string examples = TGT_EXAMPLES_DIR;
    const Plan plan = load_plan(examples + "/rebalance.json");
    const std::string text = read_text_file(examples + "/data/actuals-q1.csv");
    const std::size_t header = text.find('\n') + 1;
    for (int threads : {1, 2}) {
        for (std::size_t n = 0; n < text.size(); ++n) {
            INFO("actuals-q1.csv cut after " << n << " bytes, " << threads << " thread(s)");
            ActualsOptions options;
            options.threads = threads;
            options.chunk_bytes = 32;
            ActualsReader reader(plan, options);
            std::FILE* in = stream_of(text.substr(0, n));
            try {
                reader.read(
                    "-", [](int, const ActualRow&) {}, {}, in);
                CHECK(n + 1 >= header);  // the header, whole (its line end may be cut)
            } catch (const Error& e) {
                // Cut at a record boundary after the header, the rows before the cut are good data.
                CHECK_FALSE((n >= header && text[n - 1] == '\n'));
                if (n == 0)  // nothing at all: no line to name
                    CHECK(e.diagnostics().front().message == "empty: no header row");
                else
                    check_located(e, "<stdin>");
            }
            std::fclose(in);
        }
    }
}

TEST_CASE("every truncation of a CSV file a plan names is a located error or a clean run") {
    test::TempDir dir("tgt-truncated-csv-");
    std::filesystem::create_directories(dir / "data");
    const std::string examples = TGT_EXAMPLES_DIR;
    for (const char* data : {"reps-2026.csv", "products-2026.csv", "months-2026.csv"})
        std::filesystem::copy_file(examples + "/data/" + data, dir / "data" / data);
    std::filesystem::copy_file(examples + "/reps-from-history.json", dir / "plan.json");
    const std::string plan_file = (dir / "plan.json").string();
    const std::string text = read_text_file(examples + "/data/reps-2026.csv");
    const std::size_t header = text.find('\n') + 1;
    for (std::size_t n = 0; n < text.size(); ++n) {
        INFO("reps-2026.csv cut after " << n << " bytes");
        std::ofstream(dir / "data" / "reps-2026.csv", std::ios::binary | std::ios::trunc) << text.substr(0, n);
        try {
            load_plan(plan_file);
            CHECK(n > header);
        } catch (const Error& e) {
            CHECK_FALSE((n > header && text[n - 1] == '\n'));
            // Problems in the CSV name it and its line; problems with it as a whole name the plan.
            for (const auto& d : e.diagnostics())
                CHECK((d.where.file == plan_file || d.where.file == (dir / "data" / "reps-2026.csv").string()));
            check_located(Error({e.diagnostics().front()}), e.diagnostics().front().where.file);
        }
    }
}
