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

/// A field of a request (SplitRequest, ProgressRequest, ExplainRequest, a sheet's level and members,
/// ActualsOptions, …) that a message is about or mentions. The library never spells a front end's
/// names for them, such as command-line flags; the front end does, when it shows the message.
///
/// - A problem with a field's value (an Error::usage(field, …) diagnostic) carries the field in
///   Diagnostic::field, and its message is the rest: the value and what is wrong with it
///   ("quarter=Q9: no such member"). It is shown as the field's name, a space, the message (tgt's
///   CLI shows its flag for Field::where there).
/// - Text that mentions a field anywhere else (a hint: "map one: " + mention(Field::map) +
///   " COLUMN=sales") holds mention(field) where the name goes; spell() replaces each mention with
///   the front end's name (tgt's CLI: its flag).
///
/// message_text() and hint_text() do both; Error::what() shows the library's own names (field_name).
/// list_builtin is no request's field but how a front end lists the built-in calendars (tgt's CLI:
/// its calendar command's list of built-ins), mentioned by hints about a calendar name.
enum class Field {
    none,
    by,
    period,
    metric,
    where,
    as_of,
    cell,
    level,
    who,
    map,
    skip_bad_rows,
    show_task,
    list_builtin,
    encoding,
    format,
    output
};

/// The library's name of a field: "by", "as_of", "skip_bad_rows" ("" for none).
std::string_view field_name(Field field);
/// How a front end names fields (tgt's CLI: Field::as_of → its as-of flag).
using FieldNames = std::string_view (*)(Field);
/// A mention of `field` inside a message or hint, to be spelled by the front end (see Field).
std::string mention(Field field);
/// `text` with every mention of a field replaced by `names`' name for it.
std::string spell(std::string_view text, FieldNames names = field_name);

/// One problem found in a plan or data file, with an optional fix.
struct Diagnostic {
    Severity severity = Severity::error;
    SourceLocation where;
    std::string message;
    std::string hint;
    Field field = Field::none;  ///< set: the message is about this field's value, shown after its name
    int table_column = -1;      ///< a table input's 0-based column the problem is in (-1: the whole row)
};

/// The diagnostic's message as a front end shows it: the field's name first (when it is about one),
/// every mention spelled by `names`.
std::string message_text(const Diagnostic& diagnostic, FieldNames names = field_name);
/// The hint with every mention spelled by `names`.
std::string hint_text(const Diagnostic& diagnostic, FieldNames names = field_name);

/// What kind of failure an Error is; the CLI maps it to an exit code.
enum class ErrorKind { bad_input, usage, io };  ///< io: an output, never an input

/// Thrown by the library when input is wrong; holds every problem found, not just the first.
class Error : public std::runtime_error {
public:
    explicit Error(std::vector<Diagnostic> diagnostics, ErrorKind kind = ErrorKind::bad_input);
    /// A single problem without a file position (e.g. a bad command-line value).
    static Error usage(std::string message, std::string hint = {});
    /// A request's `field` has a wrong value: `message` is the value and what is wrong with it.
    static Error usage(Field field, std::string message, std::string hint = {});
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
