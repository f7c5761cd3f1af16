#pragma once
// Bars and colour for people reading a terminal: Unicode blocks in eighths, ANSI paint. Presentation:
// the CLI decides when a terminal gets them (the library never colours).

#include <optional>
#include <string>
#include <string_view>

#include "tgt/money.hpp"

namespace tgt::cli {

/// A bar `width` cells wide for a percentage held in hundredths (10000 = 100 %), in eighths of a
/// cell; full at 100 %, with "+" after it above 100 %. Absent values give blanks of the same width.
std::string percent_bar(std::optional<Minor> percent_hundredths, int width = 10);

enum class Paint { none, green, cyan, yellow, red };

/// `text` wrapped in an ANSI colour (and reset). display_width() ignores the escapes.
std::string paint(std::string_view text, Paint colour);

}  // namespace tgt::cli
