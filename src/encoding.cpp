// UTF-8 and GB18030 input and output through glibc's iconv: no converter of our own.

#include "tgt/encoding.hpp"
#include "tgt/stream_decoder.hpp"

#include <fmt/format.h>
#include <iconv.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>

#include "tgt/csv.hpp"
#include "tgt/error.hpp"

namespace tgt {

namespace {

// Why a conversion stopped.
enum class Stop { done, incomplete, invalid };

// One iconv conversion descriptor, closed with its owner.
class Iconv {
public:
    Iconv(const char* to, const char* from) : cd_(::iconv_open(to, from)) {
        if (cd_ == reinterpret_cast<iconv_t>(-1))
            throw Error::unreadable(from, fmt::format("this system's iconv cannot convert {} to {}", from, to));
    }
    ~Iconv() { ::iconv_close(cd_); }
    Iconv(const Iconv&) = delete;
    Iconv& operator=(const Iconv&) = delete;

    // Converts as much of `in` as it can, appending to `out`; `used` gets the bytes taken.
    Stop run(std::string_view in, std::string& out, std::size_t& used) {
        char* from = const_cast<char*>(in.data());  // iconv's signature; it does not write there
        std::size_t left = in.size();
        Stop stop = Stop::done;
        while (left > 0) {
            const std::size_t old = out.size();
            const std::size_t room = 2 * left + 16;  // GB18030 → UTF-8 at most doubles (2 → 3, 4 → 4)
            out.resize(old + room);
            char* to = out.data() + old;
            std::size_t free = room;
            const std::size_t r = ::iconv(cd_, &from, &left, &to, &free);
            out.resize(old + (room - free));
            if (r != static_cast<std::size_t>(-1)) continue;
            if (errno == E2BIG) continue;
            stop = errno == EINVAL ? Stop::incomplete : Stop::invalid;
            break;
        }
        used = in.size() - left;
        return stop;
    }

private:
    iconv_t cd_;
};

// Where byte `offset` of `text` is, given where `text` starts: a line and a column (in bytes), from 1.
std::pair<int, int> position(std::string_view text, std::size_t offset, int line, int column) {
    text = text.substr(0, std::min(offset, text.size()));
    line += static_cast<int>(std::count(text.begin(), text.end(), '\n'));
    const std::size_t newline = text.rfind('\n');
    column = newline == std::string_view::npos ? column + static_cast<int>(text.size())
                                               : static_cast<int>(text.size() - newline);
    return {line, column};
}

// The first byte that is not ASCII, eight at a time.
std::size_t first_non_ascii(std::string_view text) {
    std::size_t i = 0;
    for (; i + 8 <= text.size(); i += 8) {
        std::uint64_t word;
        std::memcpy(&word, text.data() + i, 8);
        if (word & 0x8080808080808080ull) break;
    }
    while (i < text.size() && (static_cast<unsigned char>(text[i]) & 0x80) == 0)
        ++i;
    return i;
}

// True when the bytes from `from` to the end are the start of one UTF-8 sequence, cut short.
bool cut_utf8(std::string_view bytes, std::size_t from) {
    const std::size_t n = bytes.size() - from;
    const auto lead = static_cast<unsigned char>(bytes[from]);
    const std::size_t want = (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xE ? 3 : (lead >> 3) == 0x1E ? 4 : 0;
    if (want == 0 || n >= want) return false;
    for (std::size_t k = 1; k < n; ++k)
        if ((static_cast<unsigned char>(bytes[from + k]) & 0xC0) != 0x80) return false;
    return true;
}

// The first line of `bytes` that is UTF-8 holding a character of three or more bytes (Chinese, in
// UTF-8): a line of GB18030 text almost never is. Its offset, or npos.
std::size_t first_utf8_cjk_line(std::string_view bytes) {
    std::size_t start = 0;
    while (start < bytes.size()) {
        std::size_t end = bytes.find('\n', start);
        if (end == std::string_view::npos) end = bytes.size();
        const std::string_view line = bytes.substr(start, end - start);
        const bool wide =
            std::any_of(line.begin(), line.end(), [](char c) { return static_cast<unsigned char>(c) >= 0xE0; });
        if (wide && valid_utf8(line)) return start;
        start = end + 1;
    }
    return std::string_view::npos;
}

// Text found out to be GB18030 with a line in UTF-8 among it (two exports joined): either reading
// garbles some lines, so it is an error that names both.
Error mixed(const std::string& file, int gb_line, int utf8_line) {
    return Error::input({file, gb_line, 0, ""},
                        fmt::format("the file mixes encodings: this line is not UTF-8 (GB18030, as Excel on Chinese "
                                    "Windows saves), line {} is UTF-8",
                                    utf8_line),
                        "save the whole file in one encoding (in Excel: Save As, \"CSV UTF-8\"); if it is all GBK, "
                        "pass " +
                            mention(Field::encoding) + " gb18030");
}

Error not_in(Encoding encoding, const std::string& file, int line, int column, std::string hint) {
    return Error::input({file, line, column, ""},
                        encoding == Encoding::automatic
                            ? std::string("neither UTF-8 nor GB18030 text: a byte here is invalid in both")
                            : fmt::format("not {} text: the byte here is invalid", encoding_label(encoding)),
                        std::move(hint));
}

// How to fix a file that is neither: save it as UTF-8 (for a CSV file, as Excel does it).
std::string save_as(const std::string& file) {
    const bool csv =
        file.size() > 4 && (file.substr(file.size() - 4) == ".csv" || file.substr(file.size() - 4) == ".tsv");
    return csv ? "save the file as UTF-8 (in Excel: Save As, \"CSV UTF-8\")" : "save the file as UTF-8";
}

}  // namespace

bool valid_gb18030(std::string_view bytes) {
    Iconv cd("UTF-8", "GB18030");
    std::string out;
    std::size_t used = 0;
    return cd.run(bytes, out, used) == Stop::done;
}

std::optional<Encoding> encoding_named(std::string_view name) {
    std::string lower(name);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](char c) { return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c); });
    if (lower == "auto") return Encoding::automatic;
    if (lower == "utf-8" || lower == "utf8") return Encoding::utf8;
    if (lower == "gb18030" || lower == "gbk" || lower == "gb2312" || lower == "cp936") return Encoding::gb18030;
    return std::nullopt;
}

std::string_view encoding_label(Encoding encoding) {
    return encoding == Encoding::gb18030 ? "GB18030" : "UTF-8";
}

std::string gb18030_hint() {
    return "this file looks like GB18030 (Excel on Chinese Windows): pass " + mention(Field::encoding) +
           " gb18030, or save it as UTF-8";
}

std::string decode_text(std::string_view bytes, Encoding encoding, const std::string& file, Encoding* seen) {
    if (bytes.substr(0, kUtf8Bom.size()) == kUtf8Bom) {  // Excel's mark: UTF-8, whatever was asked
        bytes.remove_prefix(kUtf8Bom.size());
        encoding = Encoding::utf8;
    }
    std::size_t bad = 0;
    if (encoding != Encoding::gb18030) {
        if (valid_utf8(bytes, &bad)) {
            if (seen) *seen = Encoding::utf8;
            return std::string(bytes);
        }
        const bool gb = valid_gb18030(bytes);
        if (encoding == Encoding::utf8 || !gb) {
            auto [line, column] = position(bytes, bad, 1, 1);
            throw not_in(encoding, file, line, column, gb ? gb18030_hint() : save_as(file));
        }
        if (const std::size_t at = first_utf8_cjk_line(bytes); at != std::string_view::npos)
            throw mixed(file, position(bytes, bad, 1, 1).first, position(bytes, at, 1, 1).first);
    }
    if (seen) *seen = Encoding::gb18030;
    Iconv cd("UTF-8", "GB18030");
    std::string out;
    out.reserve(bytes.size() + bytes.size() / 2);
    std::size_t used = 0;
    if (cd.run(bytes, out, used) != Stop::done) {
        auto [line, column] = position(bytes, used, 1, 1);
        throw not_in(Encoding::gb18030, file, line, column,
                     valid_utf8(bytes) ? "this file is UTF-8: leave out " + mention(Field::encoding) : save_as(file));
    }
    if (out.substr(0, kUtf8Bom.size()) == kUtf8Bom) out.erase(0, kUtf8Bom.size());  // GB18030's own mark
    return out;
}

std::string encode_text(std::string_view utf8, Encoding encoding) {
    if (encoding != Encoding::gb18030) return std::string(utf8);
    Iconv cd("GB18030", "UTF-8");
    std::string out;
    std::size_t used = 0;
    // Every Unicode character has a GB18030 form, so only text that is not UTF-8 stops this.
    if (cd.run(utf8, out, used) != Stop::done) throw std::runtime_error("output is not UTF-8");
    return out;
}

struct StreamDecoder::Converter {
    Iconv cd{"UTF-8", "GB18030"};
};

StreamDecoder::StreamDecoder(Encoding encoding, std::string file) : seen_(encoding), file_(std::move(file)) {}

StreamDecoder::~StreamDecoder() = default;

void StreamDecoder::advance(std::string_view consumed) {
    std::tie(line_, column_) = position(consumed, consumed.size(), line_, column_);
}

void StreamDecoder::feed(std::string_view bytes, bool last, std::string& out) {
    std::string joined;
    if (!pending_.empty()) {
        joined = pending_ + std::string(bytes);
        pending_.clear();
        bytes = joined;
    }
    if (seen_ == Encoding::utf8) {
        out.append(bytes);  // checked record by record where it is parsed
        return;
    }
    if (seen_ == Encoding::automatic) {
        // ASCII is the same in both: pass it on until the first byte that is not.
        const std::size_t ascii = first_non_ascii(bytes);
        out.append(bytes.substr(0, ascii));
        advance(bytes.substr(0, ascii));
        bytes.remove_prefix(ascii);
        if (bytes.empty()) return;
        std::size_t bad = 0;
        if (valid_utf8(bytes, &bad)) {
            seen_ = Encoding::utf8;
        } else if (!last && bad == 0 && cut_utf8(bytes, 0)) {
            pending_.assign(bytes);  // one character, cut: the next piece decides
            return;
        } else if (bad > 0 && !last && cut_utf8(bytes, bad)) {
            seen_ = Encoding::utf8;  // valid up to a character the next piece completes
        } else {
            seen_ = Encoding::gb18030;
            guessed_ = true;
            gb_line_ = position(bytes, bad, line_, column_).first;
            converter_ = std::make_unique<Converter>();
        }
        if (seen_ == Encoding::utf8) {
            out.append(bytes);
            return;
        }
    }
    if (!converter_) converter_ = std::make_unique<Converter>();
    convert(bytes, last, out);
}

void StreamDecoder::convert(std::string_view bytes, bool last, std::string& out) {
    if (guessed_) {
        if (const std::size_t at = first_utf8_cjk_line(bytes); at != std::string_view::npos) {
            const int utf8_line = position(bytes, at, line_, column_).first;
            throw mixed(file_, gb_line_, utf8_line);  // gb_line_: the line that chose GB18030
        }
    }
    std::size_t used = 0;
    const Stop stop = converter_->cd.run(bytes, out, used);
    const auto [line, column] = position(bytes, used, line_, column_);
    if (stop == Stop::invalid || (stop == Stop::incomplete && last)) {
        std::size_t bad = 0;
        const bool utf8 = valid_utf8(bytes.substr(used), &bad) || bad > 0;
        throw not_in(guessed_ ? Encoding::automatic : Encoding::gb18030, file_, line, column,
                     utf8 ? "the file mixes GB18030 and UTF-8 text: save it in one encoding" : save_as(file_));
    }
    advance(bytes.substr(0, used));
    pending_.assign(bytes.substr(used));
}

}  // namespace tgt
