#pragma once
// The words people read on tables, sheets and reports, in English and Chinese: one catalog, looked up
// by the English text, so that no format keeps strings of its own.

#include <optional>
#include <string>
#include <string_view>

namespace tgt {

/// The language labels are shown in.
enum class Lang { en, zh };

/// `english` in `lang`: the catalog's translation, or `english` itself when the catalog has none (and
/// always for Lang::en). The view points into the catalog or into `english`.
std::string_view label(Lang lang, std::string_view english);

/// A --lang value or a plan's "locale" as a language: "zh", "zh-CN", "zh_TW", "en", "en-US"… (case
/// ignored); nullopt for anything else.
std::optional<Lang> parse_lang(std::string_view text);

/// What a POSIX locale name (LC_ALL, LC_MESSAGES or LANG: "zh_CN.UTF-8", "C.UTF-8") says: zh for any
/// zh locale, en otherwise (C, POSIX, empty, others).
Lang lang_of_locale(std::string_view locale);

/// The language to show: --lang if given, else the plan's "locale" if set, else the environment's
/// locale (the first of LC_ALL, LC_MESSAGES, LANG that is set, as the caller read them).
Lang choose_lang(std::optional<Lang> flag, std::string_view plan_locale, std::string_view environment_locale);

/// The CSS font stack HTML output names so that Chinese shows on Windows, macOS and Linux (where the
/// Debian package fonts-noto-cjk provides Noto Sans CJK SC).
inline constexpr std::string_view kChineseFonts =
    R"("Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "Noto Sans", sans-serif)";

/// The name the plan gives a metric, else its id: what a table header shows people.
std::string display_name(std::string_view id, std::string_view name);

}  // namespace tgt
