#pragma once
// Text encodings of input and output files: UTF-8 (with or without a byte-order mark) and
// GB18030 (GBK's superset, what Excel on Chinese Windows saves), converted through iconv. Inside
// tgt everything is UTF-8; files are converted on the way in and, when asked, on the way out.

#include <optional>
#include <string>
#include <string_view>

namespace tgt {

/// How an input's bytes are read, or an output's written.
enum class Encoding {
    automatic,  ///< input: UTF-8 when valid, else GB18030 when valid, else an error; output: UTF-8
    utf8,
    gb18030,  ///< GB18030, read for GBK and GB2312 too (it is their superset)
};

/// "utf-8", "utf8", "gb18030", "gbk", "gb2312", "auto" (any case) → the encoding; nullopt otherwise.
std::optional<Encoding> encoding_named(std::string_view name);

/// "UTF-8" or "GB18030", as messages show it.
std::string_view encoding_label(Encoding encoding);

/// The byte-order mark that tells Excel a CSV file is UTF-8.
inline constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

/// A whole file's bytes as UTF-8 text, without a byte-order mark. `automatic` keeps valid UTF-8 as
/// it is and converts a file that is not but is valid GB18030 (`seen` tells which was read). Throws
/// Error naming file:line:col of the first byte that is valid in neither (or not in the encoding
/// asked for), with a hint naming the encoding the bytes look like.
std::string decode_text(std::string_view bytes, Encoding encoding, const std::string& file, Encoding* seen = nullptr);

/// UTF-8 text in `encoding` (automatic and utf8 leave it as it is).
std::string encode_text(std::string_view utf8, Encoding encoding);

/// True when `bytes` are whole, valid GB18030 text.
bool valid_gb18030(std::string_view bytes);

/// The hint for a file that is not UTF-8 but reads as GB18030.
std::string gb18030_hint();

}  // namespace tgt
