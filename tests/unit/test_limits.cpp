// Bounded inputs: a file read whole stops at the input limit, an actuals record stops at the record
// limit, and finding a record's end never scans a byte twice, whatever the stream holds.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <istream>
#include <optional>
#include <sstream>
#include <streambuf>

#include "temp_dir.hpp"
#include "tgt/actuals.hpp"
#include "tgt/csv.hpp"

using namespace tgt;

namespace {

// Standard input as a test wants it: `head`, then `pattern` over and over (endlessly, or until
// `tail_bytes` of it were served), counting what was read.
struct Source {
    std::string head;
    std::string pattern;
    std::uint64_t tail_bytes = ~std::uint64_t{0};
    std::string end;  // after the tail
    std::uint64_t served = 0;
};

ssize_t read_source(void* cookie, char* buffer, std::size_t size) {
    auto& s = *static_cast<Source*>(cookie);
    std::size_t n = 0;
    while (n < size) {
        std::uint64_t at = s.served;
        char c;
        if (at < s.head.size()) {
            c = s.head[at];
        } else if (at - s.head.size() < s.tail_bytes && !s.pattern.empty()) {
            c = s.pattern[(at - s.head.size()) % s.pattern.size()];
        } else {
            std::uint64_t after = at - s.head.size() - (s.pattern.empty() ? 0 : s.tail_bytes);
            if (after >= s.end.size()) break;
            c = s.end[after];
        }
        buffer[n++] = c;
        ++s.served;
    }
    return static_cast<ssize_t>(n);
}

Source endless(std::string head, std::string pattern) {
    Source s;
    s.head = std::move(head);
    s.pattern = std::move(pattern);
    return s;
}

std::FILE* open_source(Source& s) {
    return fopencookie(&s, "r", cookie_io_functions_t{read_source, nullptr, nullptr, nullptr});
}

// An istream of endless zero bytes (/dev/zero), counting what was read.
class Zeros : public std::streambuf {
public:
    std::uint64_t served = 0;

protected:
    int_type underflow() override {
        std::fill(std::begin(block_), std::end(block_), '\0');
        setg(block_, block_, block_ + sizeof block_);
        served += sizeof block_;
        return traits_type::to_int_type(block_[0]);
    }

private:
    char block_[4096];
};

const char* kPlan = R"({"period": "2027", "metrics": [{"id": "sales", "total": "100万"}],
    "dimensions": [{"id": "org", "levels": ["region", "rep"], "members": [
        {"id": "North", "members": ["a", "b"]}, {"id": "South", "members": ["c"]}]}],
    "split": [{"level": "region"}, {"level": "rep"}, {"level": "month", "by": "equal"}]})";

// Reads `source` as actuals on standard input; the error it ends with (or none).
std::optional<Error> read_actuals(Source& source, ActualsOptions options) {
    static const Plan plan = parse_plan(kPlan, "plan.json");
    std::FILE* in = open_source(source);
    REQUIRE(in);
    std::optional<Error> error;
    try {
        ActualsReader reader(plan, std::move(options));
        reader.read(
            "-", [](int, const ActualRow&) {}, {}, in);
    } catch (const Error& e) {
        error = e;
    }
    std::fclose(in);
    return error;
}

InputLimits small_limits() {
    InputLimits limits;
    limits.file_bytes = 64 * 1024;
    limits.record_bytes = 64 * 1024;
    limits.file_hint = "raise it";
    limits.record_hint = "check the line ends";
    return limits;
}

}  // namespace

TEST_CASE("input limits: an endless stream is refused at the limit, not read whole") {
    Zeros zeros;
    std::istream in(&zeros);
    try {
        read_text_stream(in, "<stdin>", small_limits());
        FAIL("an endless stream was read");
    } catch (const Error& e) {
        REQUIRE(e.diagnostics().size() == 1);
        CHECK(e.diagnostics()[0].where.file == "<stdin>");
        CHECK(e.diagnostics()[0].message == "larger than the input limit (64 KiB)");
        CHECK(e.diagnostics()[0].hint == "raise it");
        CHECK(e.kind() == ErrorKind::bad_input);
    }
    CHECK(zeros.served <= 64 * 1024 + 8192);
}

TEST_CASE("input limits: a stream of exactly the limit is read, one byte more is not") {
    InputLimits limits;
    limits.file_bytes = 100'000;
    std::string text(100'000, 'x');
    std::istringstream exact(text);
    CHECK(read_text_stream(exact, "in", limits) == text);
    std::istringstream over(text + "y");
    CHECK_THROWS_AS(read_text_stream(over, "in", limits), Error);
    CHECK(format_bytes(1) == "1 bytes");
    CHECK(format_bytes(std::uint64_t{1} << 30) == "1 GiB");
    CHECK(format_bytes(1536) == "1536 bytes");
    CHECK(format_bytes(3 * 1024) == "3 KiB");
}

TEST_CASE("input limits: a plan or a CSV file a plan names, larger than the limit, is refused with the file") {
    test::TempDir dir("tgt-limits-");
    {
        std::ofstream csv(dir / "reps.csv", std::ios::binary);
        csv << "region,rep,w\n";
        for (int i = 0; i < 7000; ++i)
            csv << "North,r" << i << ",1\n";
    }
    std::string plan = R"({"period": "2027", "metrics": [{"id": "s", "total": "100"}],
        "dimensions": [{"id": "org", "levels": ["region", "rep"],
                        "members_from": {"file": "reps.csv", "columns": ["region", "rep"], "weight": "w"}}],
        "split": [{"level": "region"}, {"level": "rep"}]})";
    std::ofstream(dir / "plan.json", std::ios::binary) << plan;
    try {
        load_plan((dir / "plan.json").string(), small_limits());
        FAIL("a CSV file over the limit was read");
    } catch (const Error& e) {
        REQUIRE(!e.diagnostics().empty());
        const Diagnostic& d = e.diagnostics()[0];
        CHECK(d.where.file == (dir / "plan.json").string());  // at the reference to it
        CHECK(d.where.line == 3);
        CHECK_THAT(d.message, Catch::Contains("reps.csv: larger than the input limit (64 KiB)"));
        CHECK(d.hint == "raise it");
    }
    CHECK_NOTHROW(load_plan((dir / "plan.json").string()));  // 1 GiB by default
    std::ofstream(dir / "big.json", std::ios::binary) << plan << std::string(70'000, ' ');
    CHECK_THROWS_WITH(load_plan((dir / "big.json").string(), small_limits()), "larger than the input limit (64 KiB)");
}

TEST_CASE("actuals limits: an endless line on standard input ends at the record limit, naming its line") {
    for (int threads : {1, 3}) {
        INFO("threads " << threads);
        ActualsOptions options;
        options.limits = small_limits();
        options.threads = threads;
        options.chunk_bytes = 4096;
        // /dev/zero: the header never ends.
        Source zeros = endless("", std::string(1, '\0'));
        auto e = read_actuals(zeros, options);
        REQUIRE(e);
        CHECK(e->diagnostics()[0].where.file == "<stdin>");
        CHECK(e->diagnostics()[0].where.line == 1);
        CHECK(e->diagnostics()[0].message ==
              "a record runs past 64 KiB without ending (no end of line, or an unclosed quote)");
        CHECK(e->diagnostics()[0].hint == "check the line ends");
        CHECK(zeros.served <= 64 * 1024 + 2 * 4096);
        // A good row, then one that never ends: even with bad rows skipped, reading stops.
        options.skip_bad_rows = true;
        Source line = endless("date,rep,sales\n2027-01-05,a,1\n2027-01-06,b,", "12345");
        e = read_actuals(line, options);
        REQUIRE(e);
        CHECK(e->diagnostics()[0].where.line == 3);
        CHECK(line.served <= 64 * 1024 + 2 * 4096);
        // A quote that never closes: its newlines end nothing.
        Source quote = endless("date,rep,sales\n2027-01-05,\"a", "\n");
        e = read_actuals(quote, options);
        REQUIRE(e);
        CHECK(e->diagnostics()[0].where.line == 2);
        // NDJSON: one object a line.
        Source ndjson = endless("{\"date\": \"2027-01-05\", \"rep\": \"a\", \"sales\": 1}\n{\"date\": \"", "x");
        e = read_actuals(ndjson, options);
        REQUIRE(e);
        CHECK(e->diagnostics()[0].where.line == 2);
    }
}

TEST_CASE("actuals limits: a long record is found in one pass, not by rescanning what was read") {
    // 12 MiB in one quoted field, read 1 KiB at a time: rescanning the buffer at each read would
    // look at 75 billion bytes; one pass looks at 12 million. The row itself is bad (skipped).
    ActualsOptions options;
    options.skip_bad_rows = true;
    options.chunk_bytes = 1024;
    Source record{"date,rep,sales\n2027-01-05,\"", "ab", 12u << 20, "\",1\n2027-01-06,a,5\n"};
    auto e = read_actuals(record, options);
    CHECK(!e);
    Source line{"date,rep,sales\n2027-01-05,", "ab", 12u << 20, ",1\n2027-01-06,a,5\n"};
    e = read_actuals(line, options);
    CHECK(!e);
}
