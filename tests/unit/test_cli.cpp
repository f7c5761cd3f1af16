// cli::run in process: arguments, and stdin, stdout and stderr of the test's own making.

#include <catch2/catch.hpp>
#include <cstdio>
#include <string>
#include <vector>

#include "cli.hpp"
#include "io.hpp"
#include "temp_dir.hpp"
#include "tgt/decompose.hpp"
#include "tgt/error.hpp"
#include "tgt/plan.hpp"
#include "tgt/version.hpp"

namespace {

// A stream over `text` to read (fmemopen needs a writable buffer of its own).
struct Input {
    std::string text;
    std::FILE* file;
    explicit Input(std::string t) : text(std::move(t)), file(::fmemopen(text.data(), text.size(), "r")) {}
    ~Input() { std::fclose(file); }
};

// What one run gave: its exit code and everything it wrote to each stream.
struct Ran {
    int exit = -1;
    std::string out;
    std::string err;
};

std::string contents(std::FILE* file) {
    std::fflush(file);
    std::rewind(file);
    std::string text;
    char buffer[4096];
    for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, file)) > 0;)
        text.append(buffer, n);
    std::fclose(file);
    return text;
}

Ran run(const std::vector<std::string>& args, const std::string& stdin_text = "") {
    Input in(stdin_text);
    std::FILE* out = std::tmpfile();
    std::FILE* err = std::tmpfile();
    REQUIRE(out);
    REQUIRE(err);
    Ran ran;
    ran.exit = tgt::cli::run(args, in.file, out, err);
    ran.out = contents(out);
    ran.err = contents(err);
    return ran;
}

// 100.00 split by quarter 10/20/30/40 %: 10.00, 20.00, 30.00 and 40.00, exact with no remainder.
const char* kPlan = R"({"period": "2027", "metrics": [{"id": "revenue", "total": "100"}],
    "split": [{"level": "quarter", "weights": ["10%", "20%", "30%", "40%"]}]})";
const char* kQuarters = "period,revenue\n2027-Q1,10.00\n2027-Q2,20.00\n2027-Q3,30.00\n2027-Q4,40.00\n";

}  // namespace

TEST_CASE("cli: --version prints the one version, from CMake's project()") {
    Ran r = run({"--version"});
    CHECK(r.exit == 0);
    CHECK(r.out == "tgt " + std::string(tgt::version) + "\n");
    CHECK(r.err.empty());
    CHECK(tgt::version == "0.1.0");  // CMakeLists.txt: project(tgt VERSION 0.1.0)
}

TEST_CASE("cli: usage errors exit 2 with the error and a hint on stderr, nothing on stdout") {
    Ran none = run({});
    CHECK(none.exit == 2);
    CHECK(none.out.empty());
    CHECK_THAT(none.err, Catch::StartsWith("tgt: error: "));
    CHECK_THAT(none.err, Catch::EndsWith("  hint: run 'tgt --help' or 'tgt COMMAND --help'\n"));

    Ran unknown = run({"splt", "plan.json"});
    CHECK(unknown.exit == 2);
    CHECK_THAT(unknown.err, Catch::StartsWith("tgt: error: A subcommand is required\n"));  // CLI11 names no near miss

    Ran no_plan = run({"split"});
    CHECK(no_plan.exit == 2);
    CHECK_THAT(no_plan.err, Catch::Contains("plan is required"));

    Ran bad_threads = run({"split", "-", "--threads", "0"}, kPlan);
    CHECK(bad_threads.exit == 2);
    CHECK(bad_threads.out.empty());
}

TEST_CASE("cli: help goes to stdout and exits 0") {
    Ran r = run({"split", "--help"});
    CHECK(r.exit == 0);
    CHECK_THAT(r.out, Catch::Contains("Usage: tgt split [OPTIONS] plan"));
    CHECK(r.err.empty());
}

TEST_CASE("cli: split reads a plan from the injected stdin and writes to the injected stdout") {
    Ran r = run({"split", "-", "--period", "quarter", "--format", "csv"}, kPlan);
    CHECK(r.exit == 0);
    CHECK(r.out == kQuarters);
    CHECK(r.err.empty());
    // --threads N everywhere; --single-thread is --threads 1: the same bytes either way.
    CHECK(run({"split", "-", "--period", "quarter", "--format", "csv", "--threads", "3"}, kPlan).out == kQuarters);
    CHECK(run({"split", "-", "--period", "quarter", "--format", "csv", "--single-thread"}, kPlan).out == kQuarters);
    // --color may come after the command.
    CHECK(run({"split", "-", "--period", "quarter", "--format", "csv", "--color", "never"}, kPlan).out == kQuarters);
}

TEST_CASE("cli: a plan error from stdin is reported on the injected stderr, exit 1") {
    Ran r = run({"split", "-"}, R"({"period": "2027", "metrics": []})");
    CHECK(r.exit == 1);
    CHECK(r.out.empty());
    CHECK_THAT(r.err, Catch::StartsWith("tgt: error: <stdin>:"));

    Ran missing = run({"split", "no-such-plan.json"});
    CHECK(missing.exit == 1);
    CHECK(missing.err == "tgt: error: no-such-plan.json: cannot read: No such file or directory\n");
}

TEST_CASE("cli: a request error names the flag, exit 2") {
    Ran r = run({"split", "-", "--format", "csv", "--where", "quarter=Q9"}, kPlan);
    CHECK(r.exit == 2);
    CHECK(r.err == "tgt: error: --where quarter=Q9: no such period in the plan\n");
    Ran f = run({"split", "-", "--format", "xml"}, kPlan);
    CHECK(f.exit == 2);
    CHECK(
        f.err ==
        "tgt: error: --format xml: unknown format\n  hint: formats: table, csv, tsv, json, ndjson, markdown or xlsx\n");
}

TEST_CASE("cli: -o writes the file and nothing to stdout, an unwritable -o exits 4") {
    tgt::test::TempDir dir("tgt-cli-");
    const std::string file = (dir / "q.csv").string();
    Ran r = run({"split", "-", "--period", "quarter", "-o", file}, kPlan);
    CHECK(r.exit == 0);
    CHECK(r.out.empty());
    std::FILE* written = std::fopen(file.c_str(), "rb");
    REQUIRE(written);
    CHECK(contents(written) == kQuarters);  // the .csv extension chose the format

    const std::string nowhere = (dir / "no-such-folder" / "q.csv").string();
    Ran bad = run({"split", "-", "-o", nowhere}, kPlan);
    CHECK(bad.exit == 4);
    CHECK(bad.err == "tgt: error: " + nowhere + ": cannot write: No such file or directory\n");
}

TEST_CASE("cli: -o naming the plan read from stdin is refused unless --force") {
    tgt::test::TempDir dir("tgt-cli-");
    const std::string plan = dir.write("plan.json", kPlan);
    std::FILE* in = std::fopen(plan.c_str(), "rb");
    REQUIRE(in);
    std::FILE* out = std::tmpfile();
    std::FILE* err = std::tmpfile();
    int exit = tgt::cli::run({"split", "-", "-o", plan}, in, out, err);
    std::fclose(in);
    CHECK(exit == 2);
    CHECK(contents(out).empty());
    CHECK_THAT(contents(err), Catch::Contains("would replace an input: the plan (standard input)"));
}

TEST_CASE("cli: library errors name the request's fields, the CLI shows them as flags") {
    using namespace tgt;
    // A wrong value: the field apart, the message is the rest.
    Error e = Error::usage(Field::as_of, "2028-01-01: outside the plan's period", "pick a day in it");
    const Diagnostic& d = e.diagnostics().front();
    CHECK(d.field == Field::as_of);
    CHECK(d.message == "2028-01-01: outside the plan's period");
    CHECK(std::string(e.what()) == "as_of 2028-01-01: outside the plan's period");  // the library's own names
    CHECK(message_text(d, cli::flag_name) == "--as-of 2028-01-01: outside the plan's period");
    // A mention inside a text is spelled by the front end.
    const std::string hint = "map one: " + mention(Field::map) + " COLUMN=sales, or " + mention(Field::skip_bad_rows);
    CHECK(spell(hint) == "map one: map COLUMN=sales, or skip_bad_rows");
    CHECK(spell(hint, cli::flag_name) == "map one: --map COLUMN=sales, or --skip-bad-rows");
    // Text that only looks like a mention is kept as it is.
    CHECK(spell("a\x1e"
                "not a field\x1e"
                "b",
                cli::flag_name) ==
          "a\x1e"
          "not a field\x1e"
          "b");
    CHECK(spell("one \x1e alone") == "one \x1e alone");

    // The library itself: a split by a level the plan does not have.
    Plan plan = parse_plan(kPlan, "plan.json");
    Decomposition decomposition(plan);
    SplitRequest request;
    request.by = {"region"};
    try {
        decomposition.run(request, [](const SplitRow&) {});
        FAIL("a split by a level the plan lacks ran");
    } catch (const Error& error) {
        REQUIRE(error.diagnostics().size() == 1);
        CHECK(error.diagnostics()[0].field == Field::by);
        CHECK(error.diagnostics()[0].message == "region: no such dimension level");
        CHECK(error.kind() == ErrorKind::usage);
    }
}

TEST_CASE("cli: --threads N is the same option wherever a command computes, and never changes the output") {
    const std::string plan = std::string(TGT_EXAMPLES_DIR) + "/dealer-funnel.json";
    Ran one = run({"funnel", plan, "--period", "month", "--format", "csv", "--threads", "1"});
    Ran three = run({"funnel", plan, "--period", "month", "--format", "csv", "--threads", "3"});
    CHECK(one.exit == 0);
    CHECK_FALSE(one.out.empty());
    CHECK(three.out == one.out);
    for (const char* command : {"split", "funnel", "progress", "rebalance", "sheet"}) {
        Ran help = run({command, "--help"});
        CHECK_THAT(help.out, Catch::Contains("--threads INT:INT in [1 - 256]"));
    }
}

TEST_CASE("cli: a bad --threads says whether it is not a number or out of range, exit 2") {
    const struct {
        const char* value;
        const char* message;
    } cases[] = {{"abc", "expected a whole number, not abc"},
                 {"2x", "expected a whole number, not 2x"},
                 {"0", "expected 1 to 256 threads, not 0"},
                 {"257", "expected 1 to 256 threads, not 257"}};
    for (const auto& c : cases) {
        Ran ran = run({"split", "-", "--threads", c.value}, kPlan);
        INFO(c.value);
        CHECK(ran.exit == 2);
        CHECK(ran.out.empty());
        CHECK_THAT(ran.err, Catch::Contains(std::string("--threads: ") + c.message));
    }
    CHECK(run({"split", "-", "--period", "quarter", "--threads", "256", "--format", "csv"}, kPlan).out == kQuarters);
}

TEST_CASE("cli: progress reads actuals from the injected stdin as it reads them from a file") {
    const std::string examples = TGT_EXAMPLES_DIR;
    const std::string plan = examples + "/weekly-tracking.json", actuals = examples + "/data/actuals-weekly.csv";
    std::FILE* file = std::fopen(actuals.c_str(), "rb");
    REQUIRE(file);
    const std::string text = contents(file);
    Ran from_file = run({"progress", plan, actuals, "--as-of", "2027-03-14", "--format", "csv"});
    Ran from_stdin = run({"progress", plan, "-", "--as-of", "2027-03-14", "--format", "csv"}, text);
    CHECK(from_file.exit == 0);
    CHECK_FALSE(from_file.out.empty());
    CHECK(from_stdin.exit == 0);
    CHECK(from_stdin.out == from_file.out);
}
