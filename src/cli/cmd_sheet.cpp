// tgt sheet: one quota sheet per rep (store, dealer…) in a folder, written all or nothing.

#include <fmt/format.h>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <mutex>

#include "cleanup.hpp"
#include "cmd_sheet.hpp"
#include "tgt/progress.hpp"
#include "tgt/sheet.hpp"
#include "tgt/sheet_names.hpp"
#include "tgt/thread_pool.hpp"

namespace tgt::cli {

void setup_sheet(CLI::App& app, SheetOptions& o) {
    app.add_option("plan", o.plan, "Plan file (JSON)")->required();
    app.add_option("--level", o.level, "The level to write sheets for (default: the last split before time)");
    app.add_option("--who", o.who, "Only these members: LEVEL=ID or ID (repeatable)");
    app.add_option_function<std::string>(
           "--format",
           [&o](const std::string& name) {
               for (auto f : {SheetFormat::html, SheetFormat::xlsx, SheetFormat::csv, SheetFormat::markdown})
                   if (sheet_format_name(f) == name) o.format = f;
           },
           "html (default), xlsx, csv or markdown")
        ->check(CLI::IsMember({"html", "xlsx", "csv", "markdown"}));
    app.add_flag("--single-file", o.single_file, "xlsx: one workbook (sheets.xlsx) with a worksheet per member");
    app.add_option("-o,--output", o.output, "The folder for the sheets (created if missing)")->required();
    add_display_flags(app, o.display);
    app.add_option("--actuals", o.actuals,
                   "With --as-of: progress on each sheet from these actuals (CSV, TSV, NDJSON or .xlsx; - for stdin)");
    app.add_option("--as-of", o.as_of, "The date progress is measured to (YYYY-MM-DD), with --actuals");
    app.add_option("--metric", o.metric,
                   "With --actuals: the metric or activity to track (default: the plan's first metric)");
    add_actuals_flags(app, o.actuals_flags);
}

std::string_view sheet_format_name(SheetFormat format) {
    switch (format) {
        case SheetFormat::html:
            return "html";
        case SheetFormat::xlsx:
            return "xlsx";
        case SheetFormat::csv:
            return "csv";
        case SheetFormat::markdown:
            return "markdown";
    }
    return "html";
}

namespace {

namespace fs = std::filesystem;

// Makes (or empties) `path` for writing, unless a signal is ending the run: then it never exists.
std::ofstream create_file(const fs::path& path) {
    Creating creating;
    std::ofstream out;
    if (creating.allowed()) out.open(path, std::ios::binary | std::ios::trunc);
    return out;
}

// One file to write: the sheets it holds, where it is written first and where it ends.
struct Job {
    std::vector<const QuotaSheet*> sheets;
    fs::path target;  ///< given as the file's name; write_folder puts the folder before it
    fs::path temp;
};

// An id as the terminal shows it: control characters (which could move the cursor) as \xNN.
std::string shown(std::string_view id) {
    std::string out;
    for (char c : id) {
        auto byte = static_cast<unsigned char>(c);
        out += byte < 0x20 || byte == 0x7F ? fmt::format("\\x{:02x}", byte) : std::string(1, c);
    }
    return out;
}

// "华东/张伟 → 华东_张伟~3f2a.html" for every member whose file (or worksheet) name is not its id.
void list_renamed(const Io& io, const std::vector<std::string>& ids, const std::vector<SheetName>& names,
                  bool worksheets) {
    std::size_t changed = 0;
    for (const auto& n : names)
        changed += n.changed ? 1 : 0;
    if (changed == 0) return;
    say(io.err, fmt::format("tgt: {} {} name(s) are not the member's id as it stands ({}, unique ignoring case):\n",
                            changed, worksheets ? "worksheet" : "file",
                            worksheets ? "Excel's rules" : "safe on Linux, macOS and Windows"));
    for (std::size_t i = 0; i < ids.size(); ++i)
        if (names[i].changed) say(io.err, fmt::format("  {} → {}\n", shown(ids[i]), names[i].name));
}

// Runs `write` for every job on `threads` threads, stopping at the first failure, and rethrows it.
void run_jobs(const std::vector<Job>& jobs, const std::function<void(const Job&)>& write, int threads) {
    std::atomic<std::size_t> next{0};
    std::mutex failed;
    std::exception_ptr first_error;
    auto worker = [&] {
        for (std::size_t i = next++; i < jobs.size(); i = next++) {
            std::exception_ptr error;
            try {
                write(jobs[i]);
            } catch (const Error& e) {
                // Named by the file asked for, not by its temporary name.
                std::vector<Diagnostic> diagnostics = e.diagnostics();
                for (auto& d : diagnostics)
                    if (d.where.file == jobs[i].temp.string()) d.where.file = jobs[i].target.string();
                error = std::make_exception_ptr(Error(std::move(diagnostics), e.kind()));
            } catch (...) {
                error = std::current_exception();
            }
            if (error) {
                std::lock_guard lock(failed);
                if (!first_error) first_error = error;
                next = jobs.size();
            }
        }
    };
    ThreadPool pool(threads);
    for (int t = 0; t < threads; ++t)
        pool.submit(worker);
    pool.wait();
    if (first_error) std::rethrow_exception(first_error);
}

// An exclusive flock on a folder for as long as it lives (released when the descriptor closes).
class FolderLock {
public:
    explicit FolderLock(const fs::path& dir) : fd_(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) {
        if (fd_ >= 0 && ::flock(fd_, LOCK_EX) == 0) return;
        std::string why = std::strerror(errno);
        if (fd_ >= 0) ::close(fd_);
        throw Error::io(dir.string(), fmt::format("cannot lock the folder: {}", why));
    }
    ~FolderLock() {
        if (fd_ >= 0) ::close(fd_);
    }
    FolderLock(const FolderLock&) = delete;
    FolderLock& operator=(const FolderLock&) = delete;

private:
    int fd_;
};

// Writes every job's file (named by Job::target's file name) into the folder `output`, all or
// nothing. A new folder is built beside its place under a temporary name and renamed into place in
// one go, with the parent folders it needs. An existing folder gets every file under a temporary
// name first, renamed into place only when all are written. Either way a failed run (an error, a
// signal, a crash) leaves things as they were: nothing it made is left, and a re-run replaces the files.
void write_folder(const std::string& output, std::vector<Job>& jobs, const std::function<void(const Job&)>& write,
                  int threads) {
    std::error_code ec;
    fs::path dir = fs::path(output).lexically_normal();
    if (dir.filename().empty()) dir = dir.parent_path();  // "out/" is "out"
    const bool fresh = !fs::exists(dir, ec);
    if (!fresh && !fs::is_directory(dir, ec)) throw Error::io(output, "cannot write sheets there: not a folder");
    const std::string tag = std::to_string(::getpid());  // short: beside a name of 255 bytes too
    const fs::path parent = dir.has_parent_path() ? dir.parent_path() : fs::path(".");
    const fs::path work = fresh ? parent / (".tgt-sheets-" + tag) : dir;
    // What runs killed with -9 left here: sheets under temporary names, folders being built.
    if (!fresh)
        remove_dead_runs_leftovers(dir, ".tgt-", [](std::string_view tail) {
            return tail.size() > 5 && tail.front() == '-' && tail.ends_with(".tmp") &&
                   tail.find_first_not_of("0123456789", 1) == tail.size() - 4;
        });
    remove_dead_runs_leftovers(
        parent, ".tgt-sheets-", [](std::string_view tail) { return tail.empty(); }, true);
    Leftovers left;
    for (std::size_t i = 0; i < jobs.size(); ++i) {
        std::string name = jobs[i].target.string();
        jobs[i].target = dir / name;
        jobs[i].temp = work / (fresh ? name : fmt::format(".tgt-{}-{}.tmp", tag, i));
        left.files.push_back(jobs[i].temp.string());
    }
    fs::path created;  // the outermost parent folder this run makes, if any
    if (fresh) {
        left.folders.push_back(work.string());
        for (fs::path p = parent; !p.empty() && !fs::exists(p, ec); p = p.parent_path()) {
            left.folders.push_back(p.string());
            created = p;
            if (p == p.parent_path()) break;
        }
    }
    RemovedOnSignal guard(left);
    auto clean = [&] {
        std::error_code ignored;
        if (fresh) {
            fs::remove_all(work, ignored);
            if (!created.empty()) fs::remove_all(created, ignored);
            return;
        }
        for (const auto& job : jobs)
            fs::remove(job.temp, ignored);
    };
    try {
        if (fresh) {
            fs::create_directories(parent, ec);
            if (ec || !fs::create_directory(work, ec) || ec)
                throw Error::io(output, fmt::format("cannot write sheets there: {}",
                                                    ec ? ec.message() : "cannot make a temporary folder beside it"));
        }
        run_jobs(jobs, write, threads);
        if (fresh) {
            fs::rename(work, dir, ec);
            if (!ec) return;
            // Another run made the folder meanwhile: move this run's set in under its lock, as into
            // any existing folder.
            if (!fs::is_directory(dir))
                throw Error::io(output, fmt::format("cannot write sheets there: {}", ec.message()));
            FolderLock lock(dir);
            for (const auto& job : jobs) {
                fs::rename(job.temp, job.target, ec);
                if (ec) throw Error::io(job.target.string(), fmt::format("cannot write: {}", ec.message()));
            }
            fs::remove(work, ec);
            return;
        }
        // Runs into the same folder take turns here: each renames its whole set while it holds the
        // folder's lock, so the folder ends with one run's sheets, never a mix of two.
        FolderLock lock(dir);
        // Nothing is renamed until every target is known to take a file.
        for (const auto& job : jobs)
            if (fs::exists(job.target, ec) && !fs::is_regular_file(job.target, ec))
                throw Error::io(job.target.string(), "cannot write: a folder or special file has that name");
        for (const auto& job : jobs) {
            fs::rename(job.temp, job.target, ec);
            if (ec) throw Error::io(job.target.string(), fmt::format("cannot write: {}", ec.message()));
        }
    } catch (...) {
        clean();
        throw;
    }
}

}  // namespace

int run_sheet(const SheetOptions& o, const Io& io) {
    std::string level = o.level;
    std::vector<std::string> who;
    for (const auto& w : split_commas(o.who)) {
        auto eq = w.find('=');
        if (eq != std::string::npos) {
            std::string named = w.substr(0, eq);
            if (!level.empty() && named != level)
                throw Error::usage(fmt::format("--who {}: sheets are for one level ({})", w, level));
            level = named;
            who.push_back(w.substr(eq + 1));
        } else {
            who.push_back(w);
        }
    }
    Plan plan = read_plan(o.plan, io);
    print_diagnostics(io, plan.warnings);
    if (level.empty()) level = default_sheet_level(plan);
    Decomposition decomposition(plan);
    Sheets sheets = quota_sheets(decomposition, level, who);
    if (o.actuals.empty() != o.as_of.empty())
        throw Error::usage("--actuals and --as-of go together", "e.g. --actuals sales.csv --as-of 2027-06-30");
    if (!o.actuals.empty()) {
        ProgressRequest request;
        request.by = {level};
        request.as_of = parse_as_of(o.as_of);
        request.metric = o.metric;
        check_distinct_actuals(o.actuals);
        request.actuals = o.actuals;
        request.options = actuals_options(o.actuals_flags, io);
        request.threads = thread_count(o.actuals_flags);
        for (const auto& step : plan.steps)  // months where the plan's time levels give them
            if (step.kind == Step::Kind::time && (step.time == TimeLevel::month || step.time == TimeLevel::day))
                request.grid = TimeLevel::month;
        ProgressReport report = progress(decomposition, request, io.in);
        print_diagnostics(io, actuals_notes(report.actuals, report.after_as_of, o.as_of));
        add_progress(sheets, report, o.as_of);
    }

    const SheetFormat format = o.format;
    // People's sheets (HTML, Markdown) show money in the unit and labels in the language; CSV and
    // xlsx carry exact amounts (a --unit there is a usage error).
    const bool people = format == SheetFormat::html || format == SheetFormat::markdown;
    if (!people && (!o.display.unit.empty() || o.display.decimals >= 0))
        throw Error::usage(
            fmt::format("{} applies to HTML and Markdown sheets", o.display.unit.empty() ? "--decimals" : "--unit"),
            fmt::format("{} sheets carry exact amounts in the metric's own unit", sheet_format_name(format)));
    RenderOptions look = display_options(o.display, people ? Format::markdown : Format::csv, plan.locale);
    sheets.lang = look.lang;
    sheets.unit = DisplayUnit{look.unit_power, look.places, look.unit_label};
    const std::string ext = format == SheetFormat::markdown ? "md" : std::string(sheet_format_name(format));
    if (format == SheetFormat::xlsx && !xlsx_available())
        throw Error::usage("--format xlsx: this tgt was built without libxlsxwriter",
                           "apt-get install libxlsxwriter-dev, then rebuild");
    if (o.single_file && format != SheetFormat::xlsx) throw Error::usage("--single-file is for --format xlsx");
    // -o is always a folder (the single workbook is sheets.xlsx inside it): a name that reads as a
    // file (out.xlsx, q1.csv) would be a folder wearing a file's extension.
    if (FileType type = file_type(fs::path(o.output).lexically_normal().filename().string());
        type.kind != FileType::Kind::unknown)
        throw Error::usage(fmt::format("-o {}: sheets go into a folder, not a .{} file", o.output, type.extension),
                           format == SheetFormat::xlsx && o.single_file
                               ? "name the folder, e.g. -o sheets (the workbook is sheets/sheets.xlsx)"
                               : "name the folder, e.g. -o sheets");

    // Names depend on the ids alone (of all the level's members, whoever is asked for): safe
    // everywhere, unique ignoring case, the same every run.
    std::vector<std::string> ids;
    for (const auto& sheet : sheets.sheets)
        ids.push_back(sheet.id);
    std::vector<Job> jobs;
    std::vector<SheetName> names;
    if (format == SheetFormat::xlsx && o.single_file) {
        std::vector<const QuotaSheet*> all;
        for (const auto& sheet : sheets.sheets)
            all.push_back(&sheet);
        jobs.push_back(Job{std::move(all), "sheets.xlsx", {}});
        names = names_among(sheets.level_ids, ids, worksheet_names);
    } else {
        names = names_among(sheets.level_ids, ids, [&](const auto& v) { return sheet_file_names(v, ext); });
        for (std::size_t i = 0; i < sheets.sheets.size(); ++i)
            jobs.push_back(Job{{&sheets.sheets[i]}, names[i].name, {}});
    }
    auto write_job = [&](const Job& job) {
        if (format == SheetFormat::xlsx) {
            write_xlsx(job.temp.string(), sheets, job.sheets);
            return;
        }
        const QuotaSheet& sheet = *job.sheets.front();
        std::string text = format == SheetFormat::html  ? sheet_html(sheets, sheet)
                           : format == SheetFormat::csv ? sheet_csv(sheets, sheet)
                                                        : sheet_markdown(sheets, sheet);
        std::ofstream out = create_file(job.temp);
        out.write(text.data(), static_cast<std::streamsize>(text.size()));
        out.close();
        if (!out) throw Error::io(job.temp.string(), fmt::format("cannot write: {}", std::strerror(errno)));
    };
    // Rendering and writing run on every core (one workbook at a time: libxlsxwriter's own pace).
    const int threads = format == SheetFormat::xlsx ? 1 : std::min<int>(thread_count(o.actuals_flags), 8);
    write_folder(o.output, jobs, write_job, threads);
    list_renamed(io, ids, names, o.single_file);
    say(io.err, fmt::format("tgt: wrote {} {} sheet(s) for {} to {}\n", sheets.sheets.size(), sheet_format_name(format),
                            level, o.output));
    return exit_ok;
}

}  // namespace tgt::cli
