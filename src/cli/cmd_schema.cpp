// tgt schema: the JSON Schema of plan files, for editors.

#include <cerrno>
#include <cstdio>

#include "cmd_schema.hpp"
#include "tgt/schema.hpp"

namespace tgt::cli {

int run_schema(const SchemaOptions&, const Io& io) {
    std::string_view text = plan_schema();
    if (std::fwrite(text.data(), 1, text.size(), io.out) != text.size()) throw WriteError{errno};
    return exit_ok;
}

}  // namespace tgt::cli
