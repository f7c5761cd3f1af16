#include "fuzz_targets.hpp"

#include <unistd.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "../../src/json_document.hpp"
#include "tgt/activity.hpp"
#include "tgt/actuals.hpp"
#include "tgt/checks.hpp"
#include "tgt/csv.hpp"
#include "tgt/decompose.hpp"
#include "tgt/explain.hpp"
#include "tgt/sheet.hpp"
#include "tgt/sheet_names.hpp"

namespace tgt::fuzz {

namespace {

// Splits at the coarsest grain and insists that every metric adds up to its total: the arithmetic
// invariant, checked on whatever plan the fuzzer found.
void split_and_check(const Plan& plan) {
    Decomposition d(plan);
    SplitRequest request;
    std::vector<Minor> sums(plan.metrics.size(), 0);
    std::size_t rows = 0;
    d.run(request, [&](const SplitRow& row) {
        for (std::size_t c = 0; c < row.amounts.size() && c < sums.size(); ++c)
            sums[c] += row.amounts[c];
        ++rows;
    });
    for (std::size_t m = 0; m < plan.metrics.size() && rows > 0; ++m) {
        bool padded = false;
        for (const auto& s : plan.steps)
            padded = padded || s.allocate.has_value();
        if (!plan.metrics[m].rate && !padded && sums[m] != plan.metrics[m].total) std::abort();
    }
    check_plan(d);
    // Activity: a split by the members that hold customers, at the first time level, owes as many
    // visits as the whole plan.
    if (plan.visits && plan.visits->dimension >= 0) {
        const Dimension& dim = plan.dimensions[static_cast<std::size_t>(plan.visits->dimension)];
        SplitRequest by_member;
        by_member.by = {dim.levels.back()};
        for (const auto& step : plan.steps)
            if (step.kind == Step::Kind::time && !by_member.period) by_member.period = step.time;
        ActivityColumns activity(plan, d.layout(by_member), by_member.period);
        std::int64_t owed = 0;
        std::vector<std::int64_t> counts;
        d.run(by_member, [&](const SplitRow& row) {
            activity.fill(row, counts);
            owed += counts.back();
        });
        std::int64_t all = 0;
        for (auto v : VisitSchedule(plan).visits_all(plan.first, plan.last))
            all += v;
        if (owed != all) std::abort();
    }
    if (!plan.dimensions.empty() && !plan.dimensions[0].members[0].empty())
        explain(d, {Filter{plan.dimensions[0].levels[0], plan.dimensions[0].members[0][0].id.str()}}, "");
}

// Plans whose days would take the fuzzer minutes to walk are not interesting: the reader is.
bool small_enough(const Plan& plan) {
    return (plan.last - plan.first).count() <= 400;
}

std::filesystem::path scratch() {
    static std::filesystem::path dir = [] {
        auto d = std::filesystem::temp_directory_path() / ("tgt-fuzz-" + std::to_string(::getpid()));
        std::filesystem::create_directories(d);
        // The examples' data files, so that corpus plans that read them get past the reader.
        std::error_code ec;
        std::filesystem::copy(std::filesystem::path(TGT_EXAMPLES_DIR) / "data", d / "data",
                              std::filesystem::copy_options::recursive | std::filesystem::copy_options::skip_existing,
                              ec);
        return d;
    }();
    return dir;
}

const Plan& plan_for_actuals() {
    static const Plan plan = parse_plan(
        R"({"period": "2027", "metrics": [{"id": "s", "total": "1000万"}],
            "dimensions": [{"id": "org", "levels": ["region", "rep"], "members": [
                {"id": "North", "members": ["a", "b"]}, {"id": "South", "members": ["c"]}]}],
            "split": [{"level": "region"}, {"level": "rep"}, {"level": "month", "by": "equal"}]})",
        "actuals-plan.json");
    return plan;
}

// Bytes as standard input gives them: a stream that ends, read through the C library.
struct Bytes {
    const char* data;
    std::size_t size;
    std::size_t at = 0;
};

ssize_t read_bytes(void* cookie, char* buffer, std::size_t size) {
    auto& b = *static_cast<Bytes*>(cookie);
    std::size_t n = std::min(size, b.size - b.at);
    std::copy(b.data + b.at, b.data + b.at + n, buffer);
    b.at += n;
    return static_cast<ssize_t>(n);
}

}  // namespace

void plan_bytes(const std::uint8_t* data, std::size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    // The hand-written JSON reader never takes what nlohmann's strict parser refuses (it hands
    // anything doubtful to the nlohmann path, which reports it): a silent misreading would abort here.
    bool taken = true;
    try {
        detail::JsonDocument::parse(text, "fuzz.json");
    } catch (const Error&) {
        taken = false;
    }
    if (taken && !nlohmann::json::accept(text)) std::abort();
    try {
        Plan plan = parse_plan(text, (scratch() / "plan.json").string());
        if (small_enough(plan)) split_and_check(plan);
    } catch (const Error&) {
    }
}

void names_bytes(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return;
    static const char* extensions[] = {"html", "xlsx", "csv", "md"};
    const std::string ext = extensions[data[0] % 4];
    std::vector<std::string> ids;
    std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
    for (std::size_t start = 0; start <= text.size() && ids.size() < 2000;) {
        std::size_t end = std::min(text.find('\n', start), text.size());
        ids.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    auto unique = [](const std::vector<SheetName>& names) {
        std::set<std::string> keys;
        for (const auto& n : names)
            keys.insert(case_fold(n.name));
        return keys.size() == names.size();
    };
    const std::vector<SheetName> files = sheet_file_names(ids, ext);
    if (files.size() != ids.size() || !unique(files) || sheet_file_names(ids, ext) != files) std::abort();
    for (std::size_t i = 0; i < ids.size(); ++i)
        if (!portable_file_name(files[i].name) || files[i].changed != (files[i].name != ids[i] + "." + ext))
            std::abort();
    const std::vector<SheetName> sheets = worksheet_names(ids);
    if (sheets.size() != ids.size() || !unique(sheets) || worksheet_names(ids) != sheets) std::abort();
    for (std::size_t i = 0; i < ids.size(); ++i)
        if (!valid_worksheet_name(sheets[i].name) || sheets[i].changed != (sheets[i].name != ids[i])) std::abort();
    // The writer takes them: a workbook of (empty) sheets, one per id, must be written (an id is
    // the sheet's title: a cell holds 32,767 characters at most).
    if (!xlsx_available() || ids.size() > 200) return;
    for (const auto& id : ids)
        if (id.size() > 32767) return;
    Sheets all;
    for (const auto& id : ids) {
        QuotaSheet sheet;
        sheet.id = id;
        all.sheets.push_back(sheet);
    }
    std::vector<const QuotaSheet*> members;
    for (const auto& sheet : all.sheets)
        members.push_back(&sheet);
    try {
        write_xlsx((scratch() / "names.xlsx").string(), all, members);
    } catch (const Error&) {
        std::abort();
    }
}

void csv_bytes(const std::uint8_t* data, std::size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    try {
        CsvTable t = parse_csv(text, "fuzz.csv");
        (void)t;
    } catch (const Error&) {
    }
    {
        std::ofstream out(scratch() / "w.csv", std::ios::binary | std::ios::trunc);
        out << text;
    }
    // The same bytes as a member list, as history weights and as baselines.
    static const char* plans[] = {
        R"({"period": "2027", "metrics": [{"id": "s", "total": "1000万"}],
            "dimensions": [{"id": "org", "levels": ["region", "rep"],
                            "members_from": {"file": "w.csv", "columns": ["region", "rep"], "weight": "weight"}}],
            "split": [{"level": "region", "if_all_zero": "equal"}, {"level": "rep", "if_all_zero": "equal"}]})",
        R"({"period": "2027", "metrics": [{"id": "s", "total": "1000万"}],
            "split": [{"level": "month", "by": "history", "file": "w.csv", "key": "month", "column": "weight",
                       "if_all_zero": "equal"}]})",
        R"({"period": "2027", "metrics": [{"id": "s"}],
            "dimensions": [{"id": "region", "members": ["华东", "华南", "a", "b"]}],
            "split": [{"level": "region", "baseline": {"file": "w.csv", "key": "region", "column": "weight"},
                       "growth": "20%"}]})"};
    for (const char* p : plans) {
        try {
            Plan plan = parse_plan(p, (scratch() / "plan.json").string());
            split_and_check(plan);
        } catch (const Error&) {
        }
    }
    // The same bytes as actuals, strict and with bad rows skipped.
    const Plan& actuals_plan = plan_for_actuals();
    for (bool skip : {false, true}) {
        try {
            ActualsOptions options;
            options.map = {{"amount", "s"}, {"weight", "s"}};
            options.skip_bad_rows = skip;
            options.counts = {"visits"};  // a whole-count activity column, beside the metric
            ActualsReader reader(actuals_plan, options);
            std::size_t rows = 0;
            reader.read((scratch() / "w.csv").string(), [&](const ActualRow& row) { rows += row.members.size(); });
        } catch (const Error&) {
        }
        // And on two threads in small chunks, which must deliver the same rows.
        try {
            ActualsOptions parallel;
            parallel.map = {{"amount", "s"}, {"weight", "s"}};
            parallel.skip_bad_rows = skip;
            parallel.threads = 2;
            parallel.chunk_bytes = 16;
            ActualsReader reader(actuals_plan, parallel);
            std::atomic<std::size_t> rows{0};
            reader.read((scratch() / "w.csv").string(), [&](int, const ActualRow&) { ++rows; }, {});
            if (rows != reader.summary().rows) std::abort();
        } catch (const Error&) {
        }
    }
}

void actuals_bytes(const std::uint8_t* data, std::size_t size) {
    // What one reading saw: failed or not, and the first problem's line and message.
    struct Outcome {
        bool failed = false;
        std::size_t rows = 0;
        int line = 0;
        std::string message;
        bool operator==(const Outcome&) const = default;
    };
    for (bool skip : {false, true}) {
        Outcome outcomes[2];
        for (int threads : {1, 2}) {
            Bytes bytes{reinterpret_cast<const char*>(data), size};
            std::FILE* in = fopencookie(&bytes, "r", cookie_io_functions_t{read_bytes, nullptr, nullptr, nullptr});
            if (!in) std::abort();
            ActualsOptions options;
            options.map = {{"amount", "s"}, {"weight", "s"}};
            options.skip_bad_rows = skip;
            options.counts = {"visits"};
            options.threads = threads;
            options.chunk_bytes = 16;
            options.limits.record_bytes = 200;  // small, so that the fuzzer reaches it
            Outcome& o = outcomes[threads - 1];
            try {
                ActualsReader reader(plan_for_actuals(), options);
                std::atomic<std::size_t> rows{0};
                reader.read(
                    "-", [&](int, const ActualRow&) { ++rows; }, {}, in);
                if (rows != reader.summary().rows) std::abort();
                o.rows = rows;
            } catch (const Error& e) {
                if (e.diagnostics().empty() || e.diagnostics().front().where.file != "<stdin>") std::abort();
                o.failed = true;
                o.line = e.diagnostics().front().where.line;
                o.message = e.diagnostics().front().message;
            }
            std::fclose(in);
        }
        // One thread or two, the same rows and the same first problem.
        if (!(outcomes[0] == outcomes[1])) std::abort();
    }
}

}  // namespace tgt::fuzz
