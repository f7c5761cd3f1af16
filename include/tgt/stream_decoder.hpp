#pragma once
// Decoding an actuals stream as it is read (a file that is never read whole), for the actuals reader.

#include <memory>
#include <string>
#include <string_view>

#include "tgt/encoding.hpp"

namespace tgt {

/// A stream's bytes decoded piece by piece (an actuals file is never read whole): bytes pass
/// through while they are ASCII or UTF-8; in `automatic`, the first non-ASCII bytes decide between
/// UTF-8 and GB18030. A sequence cut at the end of a piece waits for the next piece.
class StreamDecoder {
public:
    /// Decodes `encoding`; `file` names the file in errors.
    StreamDecoder(Encoding encoding, std::string file);
    ~StreamDecoder();
    StreamDecoder(const StreamDecoder&) = delete;
    StreamDecoder& operator=(const StreamDecoder&) = delete;

    /// Appends the UTF-8 text of the stream's next `bytes` to `out` (`last`: no bytes follow).
    /// Throws Error at file:line:col when GB18030 bytes are invalid or a sequence is cut at the end.
    void feed(std::string_view bytes, bool last, std::string& out);
    /// What the stream is read as so far (automatic until a non-ASCII byte was seen).
    Encoding seen() const { return seen_; }

private:
    void convert(std::string_view bytes, bool last, std::string& out);
    void advance(std::string_view consumed);

    Encoding seen_;
    bool guessed_ = false;  // GB18030 was found out, not asked for
    int gb_line_ = 0;       // the first line found not to be UTF-8 (when guessed_)
    std::string file_;
    std::string pending_;  // the start of a sequence cut at the end of the last piece
    int line_ = 1;         // where the next byte is, for errors
    int column_ = 1;
    struct Converter;
    std::unique_ptr<Converter> converter_;
};

}  // namespace tgt
