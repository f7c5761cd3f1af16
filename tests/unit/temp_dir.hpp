#pragma once
// A folder of its own for a test: unique (mkdtemp under the system's temp folder), removed with
// everything in it when the test ends, so tests running side by side never share files.

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

namespace tgt::test {

/// A fresh folder named `prefix` + six random characters under temp_directory_path(), removed
/// (with its contents) by the destructor.
class TempDir {
public:
    explicit TempDir(const std::string& prefix) {
        std::string pattern = (std::filesystem::temp_directory_path() / (prefix + "XXXXXX")).string();
        if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed for " + pattern);
        path_ = pattern;
    }
    ~TempDir() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    /// The folder.
    const std::filesystem::path& path() const { return path_; }
    operator const std::filesystem::path&() const { return path_; }
    /// A path inside the folder.
    std::filesystem::path operator/(const std::filesystem::path& name) const { return path_ / name; }
    /// Writes `text` (bytes as they are) to `name` inside the folder; returns its path.
    std::string write(const std::string& name, const std::string& text) const {
        std::ofstream(path_ / name, std::ios::binary) << text;
        return (path_ / name).string();
    }

private:
    std::filesystem::path path_;
};

}  // namespace tgt::test
