#pragma once
// What a writer printed, as a string: the render and bar tests read their output back this way.

#include <cstdio>
#include <string>
#include <vector>

#include "tgt/report.hpp"

namespace tgt::test {

/// Everything written to `f` so far; leaves the position at the end, so writing can go on.
inline std::string file_text(std::FILE* f) {
    std::fflush(f);
    std::rewind(f);
    std::string out;
    char buf[4096];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0)
        out.append(buf, n);
    std::fseek(f, 0, SEEK_END);
    return out;
}

/// `rows` under `columns` through the writer of `format`, as text.
inline std::string render(Format format, const std::vector<Column>& columns,
                          const std::vector<std::vector<Cell>>& rows) {
    std::FILE* f = std::tmpfile();
    auto writer = make_writer(format, f);
    writer->begin(columns);
    for (const auto& r : rows)
        writer->row(r);
    writer->end();
    std::string out = file_text(f);
    std::fclose(f);
    return out;
}

}  // namespace tgt::test
