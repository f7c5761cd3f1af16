// Reading UTF-8 and GB18030 (GBK) input, writing GB18030 output: the bytes are worked out by hand
// from the GBK code table (华 = BB AA, 东 = B6 AB, 张 = D5 C5, 伟 = CE B0).

#include <catch2/catch.hpp>

#include "tgt/encoding.hpp"
#include "tgt/error.hpp"
#include "tgt/stream_decoder.hpp"

using namespace tgt;

namespace {

const std::string kGbk = "region,rep\n\xBB\xAA\xB6\xAB,\xD5\xC5\xCE\xB0\n";  // 华东,张伟 in GBK
const std::string kUtf8 = "region,rep\n华东,张伟\n";

Diagnostic failure(std::string_view bytes, Encoding encoding) {
    try {
        decode_text(bytes, encoding, "f.csv");
    } catch (const Error& e) {
        return e.diagnostics().at(0);
    }
    FAIL("expected an error");
    return {};
}

}  // namespace

TEST_CASE("encoding names", "[encoding]") {
    CHECK(encoding_named("GBK") == Encoding::gb18030);
    CHECK(encoding_named("gb2312") == Encoding::gb18030);
    CHECK(encoding_named("UTF-8") == Encoding::utf8);
    CHECK(encoding_named("auto") == Encoding::automatic);
    CHECK_FALSE(encoding_named("big5"));
}

TEST_CASE("whole files: UTF-8 with or without a BOM, GBK found out or named", "[encoding]") {
    Encoding seen = Encoding::automatic;
    CHECK(decode_text(kUtf8, Encoding::automatic, "f.csv", &seen) == kUtf8);
    CHECK(seen == Encoding::utf8);
    CHECK(decode_text("\xEF\xBB\xBF" + kUtf8, Encoding::automatic, "f.csv") == kUtf8);  // the BOM goes
    CHECK(decode_text(kGbk, Encoding::automatic, "f.csv", &seen) == kUtf8);
    CHECK(seen == Encoding::gb18030);
    CHECK(decode_text(kGbk, Encoding::gb18030, "f.csv") == kUtf8);
    CHECK(encode_text(kUtf8, Encoding::gb18030) == kGbk);
    CHECK(encode_text(kUtf8, Encoding::utf8) == kUtf8);
}

TEST_CASE("bytes valid in neither encoding: the first bad byte's line and column", "[encoding]") {
    // Latin-1 é (E9) then a comma: E9 starts a UTF-8 sequence a comma cannot continue, and a GBK
    // pair whose second byte (2C) is below 40.
    Diagnostic d = failure("a,b\nx,\xE9,y\n", Encoding::automatic);
    CHECK(d.where.line == 2);
    CHECK(d.where.column == 3);
    CHECK(d.message == "neither UTF-8 nor GB18030 text: a byte here is invalid in both");
    // Told UTF-8, a GBK file: refused, and the hint names what it looks like.
    d = failure(kGbk, Encoding::utf8);
    CHECK(d.where.line == 2);
    CHECK(d.where.column == 1);
    CHECK(d.hint.find("looks like GB18030") != std::string::npos);
}

TEST_CASE("streams: a character cut between pieces waits for the next piece", "[encoding]") {
    for (Encoding asked : {Encoding::automatic, Encoding::gb18030}) {
        StreamDecoder decoder(asked, "f.csv");
        std::string out;
        for (std::size_t i = 0; i < kGbk.size(); ++i)
            decoder.feed(std::string_view(kGbk).substr(i, 1), false, out);
        decoder.feed({}, true, out);
        CHECK(out == kUtf8);
        CHECK(decoder.seen() == Encoding::gb18030);
    }
    StreamDecoder decoder(Encoding::automatic, "f.csv");
    std::string out;
    for (std::size_t i = 0; i < kUtf8.size(); ++i)
        decoder.feed(std::string_view(kUtf8).substr(i, 1), false, out);
    decoder.feed({}, true, out);
    CHECK(out == kUtf8);
    CHECK(decoder.seen() == Encoding::utf8);
    // A GBK lead byte with nothing after it at the end of the stream.
    StreamDecoder cut(Encoding::gb18030, "f.csv");
    std::string ignored;
    CHECK_THROWS_AS(cut.feed("ab\n\xBB", true, ignored), Error);
}
