#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>

#include "cli.hpp"
#include "tgt/csv.hpp"
#include "tgt/report.hpp"

namespace tgt::cli {

void say(std::FILE* err, std::string_view text) {
    if (!err) return;
    std::fwrite(text.data(), 1, text.size(), err);
    std::fflush(err);
    std::clearerr(err);
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
        say(io.err, fmt::format("tgt: {}: {}{}\n", label, where, d.message));
        if (!d.hint.empty()) say(io.err, fmt::format("  hint: {}\n", d.hint));
    }
    return errors;
}

std::string read_plan_text(const std::string& path, const InputLimits& limits) {
    return path == "-" ? read_text_stream(std::cin, "<stdin>", limits) : read_text_file(path, limits);
}

Plan read_plan(const std::string& path, const InputLimits& limits) {
    return parse_plan(read_plan_text(path, limits), path == "-" ? "<stdin>" : path, limits);
}

Output::Output(const std::string& path, std::FILE* stdout_stream) : path_(path) {
    if (path.empty() || path == "-") {
        stream_ = stdout_stream;
        return;
    }
    // The temp file sits beside the target so the final rename stays on one file system.
    std::filesystem::path target(path);
    std::string dir = target.has_parent_path() ? target.parent_path().string() : ".";
    std::string pattern = (std::filesystem::path(dir) / ("." + target.filename().string() + ".tmp-XXXXXX")).string();
    std::vector<char> name(pattern.begin(), pattern.end());
    name.push_back('\0');
    int fd = mkstemp(name.data());
    if (fd < 0) throw Error::io(path, fmt::format("cannot write: {}", std::strerror(errno)));
    temp_ = name.data();
    // mkstemp makes the file private; give it the permissions a plain new file would get.
    mode_t mask = ::umask(0);
    ::umask(mask);
    ::fchmod(fd, static_cast<mode_t>(0666 & ~mask));
    stream_ = fdopen(fd, "wb");
    if (!stream_) {
        ::close(fd);
        std::filesystem::remove(temp_);
        throw Error::io(path, fmt::format("cannot write: {}", std::strerror(errno)));
    }
    owned_ = true;
}

Output::~Output() {
    if (owned_) {
        std::fclose(stream_);
        std::error_code ignored;
        std::filesystem::remove(temp_, ignored);
    }
}

void Output::commit() {
    if (std::fflush(stream_) != 0) {
        if (!owned_) throw WriteError{errno};  // stdout: a closed pipe ends quietly in cli::run
        throw Error::io(path_, std::strerror(errno));
    }
    if (!owned_) return;
    owned_ = false;
    if (std::fclose(stream_) != 0) {
        std::filesystem::remove(temp_);
        throw Error::io(path_, fmt::format("cannot write: {}", std::strerror(errno)));
    }
    std::error_code ec;
    std::filesystem::rename(temp_, path_, ec);
    if (ec) {
        std::filesystem::remove(temp_);
        throw Error::io(path_, fmt::format("cannot write: {}", ec.message()));
    }
}

}  // namespace tgt::cli
