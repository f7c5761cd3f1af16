#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <istream>
#include <iterator>
#include <limits>
#include <new>
#include <streambuf>

#include "io.hpp"
#include "tgt/csv.hpp"
#include "tgt/report.hpp"

namespace tgt::cli {

void say(std::FILE* err, std::string_view text) {
    if (!err) return;
    std::fwrite(text.data(), 1, text.size(), err);
    std::fflush(err);
    std::clearerr(err);
}

std::string_view flag_name(Field field) {
    switch (field) {
        case Field::none:
            return "";
        case Field::by:
            return "--by";
        case Field::period:
            return "--period";
        case Field::metric:
            return "--metric";
        case Field::where:
            return "--where";
        case Field::as_of:
            return "--as-of";
        case Field::cell:
            return "--cell";
        case Field::level:
            return "--level";
        case Field::who:
            return "--who";
        case Field::map:
            return "--map";
        case Field::skip_bad_rows:
            return "--skip-bad-rows";
        case Field::show_task:
            return "--show-task";
        case Field::list_builtin:
            return "tgt calendar --list-builtin";
        case Field::encoding:
            return "--encoding";
        case Field::format:
            return "--format";
        case Field::output:
            return "-o";
    }
    return "";
}

int print_diagnostics(const Io& io, const std::vector<Diagnostic>& diagnostics) {
    int errors = 0;
    for (const auto& d : diagnostics) {
        bool is_error = d.severity == Severity::error;
        errors += is_error ? 1 : 0;
        std::string label = is_error ? "error" : "warning";
        if (io.color) label = (is_error ? "\x1b[1;31m" : "\x1b[1;33m") + label + "\x1b[0m";
        std::string where;
        if (!d.where.file.empty()) {
            where = d.where.file;
            if (d.where.line > 0) where += fmt::format(":{}", d.where.line);
            if (d.where.column > 0) where += fmt::format(":{}", d.where.column);
            where += ": ";
        }
        if (!d.where.pointer.empty()) where += d.where.pointer + ": ";
        say(io.err, fmt::format("tgt: {}: {}{}\n", label, where, message_text(d, flag_name)));
        if (!d.hint.empty()) say(io.err, fmt::format("  hint: {}\n", hint_text(d, flag_name)));
    }
    return errors;
}

namespace {

// A C stream read as a std::streambuf, block by block: how the library's stream reader reads io.in.
class FileBuffer : public std::streambuf {
public:
    explicit FileBuffer(std::FILE* file) : file_(file) {}

protected:
    int_type underflow() override {
        if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
        std::size_t n = file_ ? std::fread(buffer_, 1, sizeof buffer_, file_) : 0;
        if (n == 0) return traits_type::eof();
        setg(buffer_, buffer_, buffer_ + n);
        return traits_type::to_int_type(*gptr());
    }

private:
    std::FILE* file_;
    char buffer_[1 << 16];
};

}  // namespace

std::string read_plan_text(const std::string& path, const Io& io) {
    // The plan is JSON tgt or an editor wrote: UTF-8, or GB18030 found out; --encoding is for data files.
    InputLimits limits = io.limits;
    limits.encoding = Encoding::automatic;
    if (path != "-") return read_text_file(path, limits);
    FileBuffer buffer(io.in);
    std::istream in(&buffer);
    return read_text_stream(in, "<stdin>", limits);
}

Plan read_plan(const std::string& path, const Io& io) {
    if (path == "-") return parse_plan(read_plan_text(path, io), "<stdin>", io.limits);
    return parse_plan(read_plan_text(path, io), path, io.limits, Encoding::automatic);  // as read_plan_text reads it
}

std::vector<Input> plan_inputs(const std::string& path, const Plan& plan) {
    std::vector<Input> inputs{{path, "the plan"}};
    for (const auto& file : plan.files)
        if (file != path) inputs.push_back({file, "a file the plan reads"});
    return inputs;
}

namespace {

namespace fs = std::filesystem;

// Where a chain of symbolic links ends (a link to a link…, at most 40): the file -o really names,
// whether it exists or not. A path that is no link is itself.
std::string follow_links(const std::string& path) {
    std::string p = path;
    for (int hops = 0; hops < 40; ++hops) {
        struct stat st {};
        if (::lstat(p.c_str(), &st) != 0 || !S_ISLNK(st.st_mode)) return p;
        std::error_code ec;
        fs::path to = fs::read_symlink(p, ec);
        if (ec) return p;
        p = to.is_absolute() ? to.string() : (fs::path(p).parent_path() / to).string();
    }
    return p;
}

// `name` cut to at most `room` bytes, never inside a UTF-8 character.
std::string fit(std::string name, std::size_t room) {
    if (name.size() <= room) return name;
    std::size_t start = room;  // the character that would be cut
    while (start > 0 && (static_cast<unsigned char>(name[start]) & 0xC0) == 0x80)
        --start;
    name.resize(start);
    return name;
}

// Removes the temporary files (`prefix`PID.tmp) that runs now gone left in `dir` (killed with -9,
// or the machine stopped). A run still alive keeps its file; so does anything not named like one.
void remove_stale(const fs::path& dir, const std::string& prefix) {
    remove_dead_runs_leftovers(dir, prefix, [](std::string_view tail) { return tail == ".tmp"; });
}

bool same_path(const std::string& a, const std::string& b) {
    std::error_code ec1, ec2;
    fs::path pa = fs::weakly_canonical(fs::absolute(a), ec1), pb = fs::weakly_canonical(fs::absolute(b), ec2);
    return !ec1 && !ec2 && pa == pb;
}

// Refuses an -o (`shown`, ending at `target`) that names one of the command's inputs.
void refuse_inputs(const std::string& shown, const std::string& target, const struct stat* existing,
                   const std::vector<Input>& inputs, std::FILE* in) {
    for (const auto& input : inputs) {
        bool same = false;
        if (existing) {
            struct stat st {};
            int got = input.path == "-" ? (in && ::fileno(in) >= 0 ? ::fstat(::fileno(in), &st) : -1)
                                        : ::stat(input.path.c_str(), &st);
            same = got == 0 && st.st_dev == existing->st_dev && st.st_ino == existing->st_ino;
        } else {
            same = input.path != "-" && same_path(input.path, target);
        }
        if (same)
            throw Error::usage(fmt::format("-o {} would replace an input: {} ({})", shown, input.what,
                                           input.path == "-" ? "standard input" : input.path),
                               "write to another file, or add --force to replace it");
    }
}

}  // namespace

Output::Output(const std::string& path, const Io& io, const std::vector<Input>& inputs, bool force)
    : path_(path), encoding_(io.out_encoding), bom_(io.bom) {
    open(path, io, inputs, force);
    if (encoding_ != Encoding::gb18030 && !bom_) return;
    held_ = stream_;  // the data is converted on commit, so it is collected first
    stream_ = ::open_memstream(&memory_, &memory_size_);
    if (!stream_) {
        stream_ = held_;
        held_ = nullptr;
        throw Error::io(path_, fmt::format("cannot write: {}", std::strerror(errno)));
    }
}

void Output::write_converted() {
    std::FILE* memory = stream_;
    stream_ = held_;
    held_ = nullptr;
    if (std::fclose(memory) != 0) throw std::bad_alloc();
    // Text tgt writes is UTF-8; anything else is a binary format (a workbook), written as it is.
    const std::string_view data(memory_, memory_size_);
    const bool text_data = valid_utf8(data);
    std::string text = text_data ? encode_text(data, encoding_) : std::string(data);
    std::free(memory_);
    memory_ = nullptr;
    if (text_data && bom_ && encoding_ != Encoding::gb18030) text.insert(0, kUtf8Bom);
    if (!text.empty() && std::fwrite(text.data(), 1, text.size(), stream_) != text.size()) {
        if (!owned_) throw WriteError{errno};
        throw Error::io(path_, fmt::format("cannot write: {}", std::strerror(errno)));
    }
}

void Output::open(const std::string& path, const Io& io, const std::vector<Input>& inputs, bool force) {
    if (path.empty() || path == "-") {
        stream_ = io.out;
        return;
    }
    struct stat st {};
    const bool exists = ::stat(path.c_str(), &st) == 0;  // through links
    if (exists && (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) || S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode))) {
        open_direct(path);  // /dev/null, a terminal, a pipe: never replaced by a file
        return;
    }
    if (exists && S_ISDIR(st.st_mode)) throw Error::io(path, "cannot write: that is a folder");
    target_ = follow_links(path);
    if (!force) refuse_inputs(path, target_, exists ? &st : nullptr, inputs, io.in);
    open_temp(exists ? &st : nullptr);
}

void Output::open_direct(const std::string& path) {
    int fd = ::open(path.c_str(), O_WRONLY | O_NOCTTY | O_CLOEXEC);  // a FIFO waits for its reader
    if (fd >= 0) stream_ = ::fdopen(fd, "wb");
    if (!stream_) {
        int error = errno;
        if (fd >= 0) ::close(fd);
        throw Error::io(path_, fmt::format("cannot write: {}", std::strerror(error)));
    }
    owned_ = true;
}

void Output::open_temp(const struct stat* existing) {
    // The temp file sits beside the target so the final rename stays on one file system. Its name
    // says which run made it: .NAME.tgt-PID.tmp, within the 255 bytes a name may have.
    fs::path target(target_);
    fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
    const std::string prefix = "." + fit(target.filename().string(), 255 - 20) + ".tgt-";
    remove_stale(dir, prefix);
    temp_.files.push_back((dir / (prefix + std::to_string(::getpid()) + ".tmp")).string());
    on_signal_.emplace(temp_);
    int fd = -1;
    {
        Creating creating;  // a signal now waits until the file exists, then removes it
        errno = EINTR;
        if (creating.allowed())
            fd = ::open(temp_.files[0].c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);  // umask applies
    }
    if (fd < 0) throw Error::io(path_, fmt::format("cannot write: {}", std::strerror(errno)));
    if (existing) {
        // The replacement keeps what the old file had: owner and group where permitted (root; a
        // group of our own), then the mode (after fchown, which may clear set-id bits).
        if (::geteuid() == 0 || existing->st_gid != ::getegid()) {
            uid_t owner = ::geteuid() == 0 ? existing->st_uid : static_cast<uid_t>(-1);
            if (::fchown(fd, owner, existing->st_gid) != 0) {
                // not permitted: the file stays ours, as a new file would be
            }
        }
        ::fchmod(fd, existing->st_mode & 07777);
    }
    stream_ = ::fdopen(fd, "wb");
    if (!stream_) {
        int error = errno;
        ::close(fd);
        ::unlink(temp_.files[0].c_str());
        throw Error::io(path_, fmt::format("cannot write: {}", std::strerror(error)));
    }
    owned_ = renamed_ = true;
}

Output::~Output() {
    if (held_) {  // not committed: the collected data is dropped
        std::fclose(stream_);
        std::free(memory_);
        stream_ = held_;
    }
    if (!owned_) return;
    std::fclose(stream_);
    if (renamed_) ::unlink(temp_.files[0].c_str());
}

void Output::write(std::string_view data) {
    if (!data.empty() && std::fwrite(data.data(), 1, data.size(), stream_) != data.size() && write_errno_ == 0)
        write_errno_ = errno;
}

void Output::commit() {
    if (held_) write_converted();
    errno = write_errno_;
    // A write that failed earlier (a large fwrite goes past the buffer) leaves only the error flag.
    if (std::fflush(stream_) != 0 || std::ferror(stream_)) {
        if (write_errno_ != 0) errno = write_errno_;
        if (errno == 0) errno = EIO;
        if (!owned_) throw WriteError{errno};  // stdout: a closed pipe ends quietly in cli::run
        throw Error::io(path_, fmt::format("cannot write: {}", std::strerror(errno)));
    }
    if (!owned_) return;
    owned_ = false;
    const bool closed = std::fclose(stream_) == 0;
    int error = errno;
    if (closed && renamed_ && ::rename(temp_.files[0].c_str(), target_.c_str()) == 0) {
        on_signal_.reset();
        return;
    }
    if (closed && renamed_) error = errno;
    if (renamed_) ::unlink(temp_.files[0].c_str());
    if (!closed || renamed_) throw Error::io(path_, fmt::format("cannot write: {}", std::strerror(error)));
}

InputLimits input_limits(const char* value) {
    InputLimits limits;
    limits.file_hint = "set TGT_MAX_INPUT to read more, e.g. TGT_MAX_INPUT=4G";
    limits.record_hint =
        "one record is one row: check the line ends and the quotes (a record may hold 16 MiB, "
        "or TGT_MAX_INPUT when that is less)";
    if (!value || !*value) return limits;
    // Digits, then an optional binary unit: 65536, 64K, 64M, 2G, 2GiB, 1T.
    std::string_view text(value);
    std::uint64_t bytes = 0;
    std::size_t i = 0;
    bool ok = !text.empty() && text[0] >= '0' && text[0] <= '9';
    for (; ok && i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
        ok = bytes <= (std::numeric_limits<std::uint64_t>::max() - 9) / 10;
        bytes = bytes * 10 + static_cast<std::uint64_t>(text[i] - '0');
    }
    std::string unit(text.substr(i));
    for (auto& c : unit)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    static const std::pair<const char*, unsigned> kUnits[] = {
        {"", 0},     {"B", 0},  {"K", 10},  {"KB", 10},  {"KIB", 10}, {"M", 20},  {"MB", 20},
        {"MIB", 20}, {"G", 30}, {"GB", 30}, {"GIB", 30}, {"T", 40},   {"TB", 40}, {"TIB", 40}};
    bool known = false;
    for (const auto& [name, shift] : kUnits)
        if (unit == name) {
            known = true;
            ok = ok && bytes <= (std::numeric_limits<std::uint64_t>::max() >> shift);
            bytes <<= shift;
        }
    if (!ok || !known || bytes == 0)
        throw Error::usage(fmt::format("TGT_MAX_INPUT={}: not a size", value),
                           "write bytes, or a number with K, M, G or T (binary units): TGT_MAX_INPUT=64M");
    limits.file_bytes = bytes;
    limits.record_bytes = std::min(limits.record_bytes, bytes);
    return limits;
}

}  // namespace tgt::cli
