// Sheet names: one scheme for files and worksheets. Each id is first made acceptable character by
// character; an id that had to change, that is too long, or that equals another ignoring case then
// gets `~` and a hash of the id, so its name depends on its own id only and never on the file system.

#include "tgt/sheet_names.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <set>
#include <unordered_map>
#include <unordered_set>

namespace tgt {

namespace {

// One character of a UTF-8 string: its code point and byte length, or one byte that is not UTF-8
// (a stray continuation byte, an overlong form, a surrogate, past U+10FFFF, cut short).
struct Char {
    char32_t code = 0;
    std::size_t bytes = 1;
    bool valid = false;
};

Char char_at(std::string_view s, std::size_t i) {
    auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    unsigned char lead = byte(i);
    if (lead < 0x80) return {lead, 1, true};
    std::size_t len = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 0;
    if (len == 0 || lead > 0xF4 || i + len > s.size()) return {};
    char32_t code = lead & (0x7F >> len);
    for (std::size_t k = 1; k < len; ++k) {
        if ((byte(i + k) & 0xC0) != 0x80) return {};
        code = (code << 6) | (byte(i + k) & 0x3F);
    }
    static constexpr std::array<char32_t, 5> least{0, 0, 0x80, 0x800, 0x10000};
    if (code < least[len] || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return {};
    return {code, len, true};
}

void append_utf8(std::string& out, char32_t c) {
    if (c < 0x80) {
        out += static_cast<char>(c);
    } else if (c < 0x800) {
        out += static_cast<char>(0xC0 | (c >> 6));
        out += static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
        out += static_cast<char>(0xE0 | (c >> 12));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (c >> 18));
        out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
    }
}

bool between(char32_t c, char32_t first, char32_t last) {
    return c >= first && c <= last;
}

// The lower case of a letter of the alphabets case_fold names (simple mappings, as NTFS's upcase
// table and APFS's folding agree on them); anything else as it is.
char32_t lower(char32_t c) {
    if (c < 0x80) return between(c, 'A', 'Z') ? c + 32 : c;
    if (between(c, 0xC0, 0xDE) && c != 0xD7) return c + 32;
    if (c == 0x130 || c == 0x131) return 'i';  // İ and dotless ı: either way an i
    if (c == 0x178) return 0xFF;               // Ÿ
    if (c == 0x17F) return 's';                // long s
    // Latin Extended-A, Cyrillic and Vietnamese pairs: upper case on the even code point…
    if (between(c, 0x100, 0x12F) || between(c, 0x132, 0x137) || between(c, 0x14A, 0x177) || between(c, 0x460, 0x481) ||
        between(c, 0x48A, 0x4BF) || between(c, 0x4D0, 0x52F) || between(c, 0x1E00, 0x1E95) ||
        between(c, 0x1EA0, 0x1EFF))
        return c | 1;
    // … or on the odd one.
    if (between(c, 0x139, 0x148) || between(c, 0x179, 0x17E) || between(c, 0x4C1, 0x4CE)) return c + (c & 1);
    if (c == 0x386) return 0x3AC;
    if (between(c, 0x388, 0x38A)) return c + 37;
    if (c == 0x38C) return 0x3CC;
    if (between(c, 0x38E, 0x38F)) return c + 63;
    if (between(c, 0x391, 0x3AB) && c != 0x3A2) return c + 32;
    if (c == 0x3C2) return 0x3C3;  // final sigma
    if (between(c, 0x400, 0x40F)) return c + 80;
    if (between(c, 0x410, 0x42F)) return c + 32;
    if (c == 0x4C0) return 0x4CF;
    if (between(c, 0x531, 0x556)) return c + 48;
    if (c == 0x212A) return 'k';   // Kelvin sign
    if (c == 0x212B) return 0xE5;  // Ångström sign
    if (between(c, 0xFF21, 0xFF3A)) return c + 32;
    return c;
}

bool control(char32_t c) {
    return c < 0x20 || between(c, 0x7F, 0x9F);
}

// A 64-bit FNV-1a hash: the same on every system and every run (std::hash promises neither).
std::uint64_t stable_hash(std::string_view s) {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (char c : s) {
        h ^= static_cast<unsigned char>(c);
        h *= 0x100000001b3ULL;
    }
    return h;
}

// Each character of `id`, or `_` where `refused` says so (bytes that are not UTF-8 always).
template <class Refused>
std::string replace_chars(std::string_view id, Refused refused) {
    std::string out;
    for (std::size_t i = 0; i < id.size();) {
        Char c = char_at(id, i);
        if (!c.valid || refused(c.code))
            out += '_';
        else
            out.append(id.substr(i, c.bytes));
        i += c.bytes;
    }
    return out;
}

// Windows' device names, which it takes for the device whatever the extension and case: the part
// before the first dot, trailing spaces aside.
bool device_name(std::string_view name) {
    std::string_view base = name.substr(0, name.find('.'));
    while (!base.empty() && base.back() == ' ')
        base.remove_suffix(1);
    std::string upper;
    for (char c : base)
        upper += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c;
    for (const char* device : {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"})
        if (upper == device) return true;
    if (upper.size() < 4 || (upper.compare(0, 3, "COM") != 0 && upper.compare(0, 3, "LPT") != 0)) return false;
    std::string_view digit = std::string_view(upper).substr(3);
    return (digit.size() == 1 && digit[0] >= '0' && digit[0] <= '9') || digit == "\u00B9" || digit == "\u00B2" ||
           digit == "\u00B3";
}

bool file_refuses(char32_t c) {
    return control(c) ||
           (c < 0x80 && std::string_view("/\\:*?\"<>|").find(static_cast<char>(c)) != std::string_view::npos);
}

bool worksheet_refuses(char32_t c) {
    return control(c) ||
           (c < 0x80 && std::string_view("[]:*?/\\").find(static_cast<char>(c)) != std::string_view::npos);
}

// The id as a file name's stem, character by character (before any cut or suffix).
std::string file_stem(std::string_view id) {
    std::string out = replace_chars(id, file_refuses);
    if (out.empty() || out[0] == '.') out.insert(0, "_");  // hidden on Unix, or "." and ".."
    for (auto it = out.rbegin(); it != out.rend() && (*it == '.' || *it == ' '); ++it)
        *it = '_';  // Windows drops trailing dots and spaces
    if (device_name(out)) out.insert(0, "_");
    return out;
}

std::string worksheet_stem(std::string_view id) {
    std::string out = replace_chars(id, worksheet_refuses);
    if (out.empty()) out = "_";
    if (out.front() == '\'') out.front() = '_';
    if (out.back() == '\'') out.back() = '_';
    return out;
}

// A name's length in what its limit counts: bytes for files, UTF-16 units for Excel.
std::size_t bytes(const Char& c) {
    return c.bytes;
}

std::size_t utf16_units(const Char& c) {
    return c.code >= 0x10000 ? 2 : 1;
}

std::size_t length(std::string_view s, std::size_t (*units)(const Char&)) {
    std::size_t total = 0;
    for (std::size_t i = 0; i < s.size();) {
        Char c = char_at(s, i);
        total += units(c);
        i += c.bytes;
    }
    return total;
}

struct Rules {
    std::string (*stem)(std::string_view id);
    std::size_t (*units)(const Char& c);          // what `budget` counts
    std::size_t budget;                           // for the stem
    std::string ending;                           // after the stem: ".html", or nothing
    bool (*refused_name)(std::string_view stem);  // a whole stem that must change
};

// The longest prefix of `stem` at most `budget` long, cut between characters.
std::string fit(std::string_view stem, std::size_t budget, const Rules& rules) {
    std::size_t end = 0, used = 0;
    while (end < stem.size()) {
        Char c = char_at(stem, end);
        used += rules.units(c);
        if (used > budget) break;
        end += c.bytes;
    }
    return std::string(stem.substr(0, end));
}

std::vector<SheetName> assign(const std::vector<std::string>& ids, const Rules& rules) {
    const std::size_t n = ids.size();
    std::vector<std::string> stems(n);
    std::vector<bool> suffixed(n);
    std::unordered_map<std::string, std::vector<std::size_t>> twins;
    for (std::size_t i = 0; i < n; ++i) {
        stems[i] = rules.stem(ids[i]);
        suffixed[i] =
            stems[i] != ids[i] || length(stems[i], rules.units) > rules.budget || rules.refused_name(stems[i]);
        if (!suffixed[i]) twins[case_fold(stems[i])].push_back(i);
    }
    // Ids equal ignoring case all get a suffix: none of them is the one that "keeps" the name.
    for (const auto& [key, members] : twins)
        if (members.size() > 1)
            for (std::size_t i : members)
                suffixed[i] = true;
    std::vector<SheetName> names(n);
    std::unordered_set<std::string> taken;
    for (std::size_t i = 0; i < n; ++i)
        if (!suffixed[i]) {
            names[i] = {stems[i] + rules.ending, false};
            taken.insert(case_fold(names[i].name));
        }
    for (std::size_t i = 0; i < n; ++i) {
        if (!suffixed[i]) continue;
        const std::string hash = fmt::format("{:016x}", stable_hash(ids[i]));
        auto take = [&](const std::string& tail) {
            // The tail is ASCII: its bytes are its units.
            std::string name = fit(stems[i], rules.budget - tail.size(), rules) + tail + rules.ending;
            if (!taken.insert(case_fold(name)).second) return false;
            names[i] = {std::move(name), true};
            return true;
        };
        // The low digits: FNV's last multiplication spreads a change in the last bytes upwards only.
        if (take("~" + hash.substr(12)) || take("~" + hash.substr(8)) || take("~" + hash)) continue;
        for (std::size_t k = 2; !take(fmt::format("~{}-{}", hash, k)); ++k) {
        }
    }
    return names;
}

bool never_refused(std::string_view) {
    return false;
}

bool history(std::string_view stem) {
    return case_fold(stem) == "history";
}

}  // namespace

std::string case_fold(std::string_view name) {
    std::string out;
    out.reserve(name.size());
    for (std::size_t i = 0; i < name.size();) {
        Char c = char_at(name, i);
        if (!c.valid)
            out += name[i];
        else if (c.code == 0xDF || c.code == 0x1E9E)  // ß, ẞ
            out += "ss";
        else
            append_utf8(out, lower(c.code));
        i += c.bytes;
    }
    return out;
}

std::vector<SheetName> sheet_file_names(const std::vector<std::string>& ids, std::string_view extension) {
    std::string ending = "." + std::string(extension);
    Rules rules{file_stem, bytes, max_file_name_bytes - ending.size(), ending, never_refused};
    return assign(ids, rules);
}

std::vector<SheetName> worksheet_names(const std::vector<std::string>& ids) {
    Rules rules{worksheet_stem, utf16_units, max_worksheet_name_units, "", history};
    return assign(ids, rules);
}

std::vector<SheetName> names_among(
    const std::vector<std::string>& universe, const std::vector<std::string>& ids,
    const std::function<std::vector<SheetName>(const std::vector<std::string>&)>& namer) {
    std::unordered_map<std::string, std::size_t> position;
    for (std::size_t i = 0; i < universe.size(); ++i)
        position.emplace(universe[i], i);
    std::set<std::size_t> seen;
    for (const auto& id : ids)
        if (!position.contains(id) || !seen.insert(position[id]).second) return namer(ids);  // not one each
    std::vector<SheetName> all = namer(universe), out;
    for (const auto& id : ids)
        out.push_back(all[position[id]]);
    return out;
}

namespace {

// Whether `name` is valid UTF-8 with no character that `refuses`.
bool every_character(std::string_view name, bool (*refuses)(char32_t)) {
    for (std::size_t i = 0; i < name.size();) {
        Char c = char_at(name, i);
        if (!c.valid || refuses(c.code)) return false;
        i += c.bytes;
    }
    return true;
}

}  // namespace

bool portable_file_name(std::string_view name) {
    if (name.empty() || name.size() > max_file_name_bytes || name.front() == '.' || name.back() == '.' ||
        name.back() == ' ' || device_name(name))
        return false;
    return every_character(name, file_refuses);
}

bool valid_worksheet_name(std::string_view name) {
    if (name.empty() || length(name, utf16_units) > max_worksheet_name_units || name.front() == '\'' ||
        name.back() == '\'' || history(name))
        return false;
    return every_character(name, worksheet_refuses);
}

}  // namespace tgt
