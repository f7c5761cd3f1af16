#pragma once
// Typed errors that carry where the problem is and how to fix it.

#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace tgt {

/// Where a problem sits: a file, a 1-based line and column (in characters), and a JSON pointer.
struct SourceLocation {
    std::string file;
    int line = 0;
    int column = 0;
    std::string pointer;
};

enum class Severity { error, warning };

/// One problem found in a plan or data file, with an optional fix.
struct Diagnostic {
    Severity severity = Severity::error;
    SourceLocation where;
    std::string message;
    std::string hint;
};

/// What kind of failure an Error is; the CLI maps it to an exit code.
enum class ErrorKind { bad_input, usage, io };  ///< io: an output, never an input

/// Thrown by the library when input is wrong; holds every problem found, not just the first.
class Error : public std::runtime_error {
public:
    explicit Error(std::vector<Diagnostic> diagnostics, ErrorKind kind = ErrorKind::bad_input);
    /// A single problem without a file position (e.g. a bad command-line value).
    static Error usage(std::string message, std::string hint = {});
    /// An output that could not be written (exit code 4).
    static Error io(std::string file, std::string message);
    /// An input file that is missing or cannot be read: bad data, like a wrong plan (exit code 1).
    static Error unreadable(std::string file, std::string message, std::string hint = {});
    static Error input(SourceLocation where, std::string message, std::string hint = {});

    const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }
    ErrorKind kind() const { return kind_; }

private:
    std::vector<Diagnostic> diagnostics_;
    ErrorKind kind_;
};

/// Collects problems while reading so all of them can be reported at once.
class Diagnostics {
public:
    void error(SourceLocation where, std::string message, std::string hint = {});
    void warning(SourceLocation where, std::string message, std::string hint = {});
    void add(Diagnostic d) { items_.push_back(std::move(d)); }
    bool has_errors() const;
    const std::vector<Diagnostic>& items() const { return items_; }
    /// Throws an Error with every collected diagnostic if any of them is an error.
    void throw_if_errors() const;

private:
    std::vector<Diagnostic> items_;
    std::unordered_set<std::string> errors_seen_;  // file, line, column and message of each error
};

/// The closest candidate to `word` by edit distance, or empty when nothing is close enough.
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace tgt
