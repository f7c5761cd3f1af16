#include "bar.hpp"

namespace tgt::cli {

std::string percent_bar(std::optional<Minor> percent_hundredths, int width) {
    if (!percent_hundredths) return std::string(static_cast<std::size_t>(width) + 1, ' ');
    // Eighths of a cell: U+2588 (full) down to U+258F (one eighth).
    static constexpr std::string_view eighths[] = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};
    Minor value = *percent_hundredths < 0 ? 0 : *percent_hundredths;
    Minor full_scale = 10000;
    Minor filled = value >= full_scale ? Minor(width) * 8 : value * width * 8 / full_scale;
    std::string out;
    int cells = 0;
    for (; filled >= 8; filled -= 8, ++cells)
        out += "█";
    if (filled > 0) {
        out += eighths[filled];
        ++cells;
    }
    out.append(static_cast<std::size_t>(width - cells), ' ');
    out += value > full_scale ? '+' : ' ';
    return out;
}

std::string paint(std::string_view text, Paint colour) {
    const char* code = nullptr;
    switch (colour) {
        case Paint::none:
            return std::string(text);
        case Paint::green:
            code = "\x1b[32m";
            break;
        case Paint::cyan:
            code = "\x1b[36m";
            break;
        case Paint::yellow:
            code = "\x1b[33m";
            break;
        case Paint::red:
            code = "\x1b[31m";
            break;
    }
    std::string out = code;
    out += text;
    out += "\x1b[0m";
    return out;
}

}  // namespace tgt::cli
