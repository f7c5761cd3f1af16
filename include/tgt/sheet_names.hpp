#pragma once
// Names for quota sheets: a file per member that Linux, macOS and Windows all take, and worksheet
// names that Excel takes. Deterministic: the same ids in the same order give the same names, on
// every run and every system (no file system is asked).

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace tgt {

/// The name a member's sheet gets, and whether it differs from the member's id (the CLI lists those).
struct SheetName {
    std::string name;      ///< a file name with its extension, or a worksheet name
    bool changed = false;  ///< characters replaced, the id cut short or a suffix added

    /// Equal names (tests compare runs).
    friend bool operator==(const SheetName&, const SheetName&) = default;
};

/// The longest file name, in bytes with its extension, that every common file system takes (ext4,
/// APFS and NTFS count 255 bytes, 255 UTF-8 characters and 255 UTF-16 units: bytes are the tightest).
inline constexpr std::size_t max_file_name_bytes = 255;
/// The longest worksheet name Excel takes, in UTF-16 units.
inline constexpr std::size_t max_worksheet_name_units = 31;

/// File names `STEM.extension` for the sheets of `ids` (plan order), one each. A name is the id as
/// it stands when every system takes it and no other id equals it ignoring case; otherwise the id
/// with `_` for what some system refuses (controls, `/\:*?"<>|`, bytes that are not UTF-8, a leading
/// dot, trailing dots and spaces, a `_` before a Windows device name such as `CON` or `com1.x`),
/// cut on a character boundary to fit 255 bytes, then `~` and the last 4 hex digits of the id's
/// FNV-1a 64-bit hash (8, then 16 digits, then `-2`, `-3`… in plan order, when that is taken).
/// `extension` is given without its dot and must be short and safe (html, xlsx, csv, md).
std::vector<SheetName> sheet_file_names(const std::vector<std::string>& ids, std::string_view extension);

/// Worksheet names for `ids` in one workbook, by the same scheme under Excel's rules: at most 31
/// UTF-16 units, none of `[]:*?/\` or control characters, no `'` first or last, not `History`,
/// unique ignoring case.
std::vector<SheetName> worksheet_names(const std::vector<std::string>& ids);

/// The names `namer` (sheet_file_names or worksheet_names) gives `ids` when it names all of
/// `universe`: every member of the level in plan order, so that writing the sheets of some members
/// (`who`) gives each the name it has among all. Among `ids` alone when `universe` lacks one.
std::vector<SheetName> names_among(const std::vector<std::string>& universe, const std::vector<std::string>& ids,
                                   const std::function<std::vector<SheetName>(const std::vector<std::string>&)>& namer);

/// Whether `name` is a file name Linux, macOS and Windows all take as it stands (the rules
/// sheet_file_names enforces; uniqueness aside).
bool portable_file_name(std::string_view name);

/// Whether Excel takes `name` for a worksheet (uniqueness aside).
bool valid_worksheet_name(std::string_view name);

/// The key two names are equal by on a case-insensitive file system and in Excel: letters of the
/// Latin (ASCII, Latin-1, Extended-A, Vietnamese), Greek, Cyrillic and Armenian alphabets and
/// full-width Latin in lower case (`ß` as `ss`); everything else, other scripts included, as it is.
/// Names that differ only in Unicode normalization (`é` as one code point or as `e` + accent) are
/// not seen as equal.
std::string case_fold(std::string_view name);

}  // namespace tgt
