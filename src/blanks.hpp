#pragma once
// Cells and amounts as people type them carry stray spaces and tabs around the value.

#include <string_view>

namespace tgt {

/// `s` without the spaces and tabs at either end.
inline std::string_view trim_blanks(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    return s;
}

}  // namespace tgt
