// tgt man and tgt completion: the manual page and shell completions, generated from the same
// commands, options and help texts the CLI parses, so they never drift from it.

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <map>

#include "cmd_meta.hpp"
#include "tgt/templates.hpp"
#include "tgt/version.hpp"

namespace tgt::cli {

namespace {

// Values an option takes, for completion.
std::vector<std::string> values_of(const std::string& option) {
    static const std::map<std::string, std::vector<std::string>> known{
        {"--format", {"table", "csv", "tsv", "json", "ndjson", "markdown", "xlsx", "html"}},
        {"--period", {"year", "half", "quarter", "month", "week", "day"}},
        {"--grid", {"week", "month", "quarter"}},
        {"--fail-on", {"behind", "critical"}},
        {"--color", {"auto", "always", "never"}},
        {"--unit", {"元", "万", "亿", "千"}},
        {"--lang", {"zh", "en"}},
    };
    if (option == "--template") {
        std::vector<std::string> names;
        for (const auto& t : plan_templates())
            names.emplace_back(t.name);
        return names;
    }
    auto it = known.find(option);
    return it == known.end() ? std::vector<std::string>{} : it->second;
}

std::vector<const CLI::App*> commands_of(const CLI::App& app) {
    return app.get_subcommands([](const CLI::App* sub) { return !sub->get_group().empty(); });
}

std::vector<const CLI::Option*> options_of(const CLI::App& app) {
    return app.get_options([](const CLI::Option* o) { return o->nonpositional(); });
}

// Text for roff: backslashes and hyphens escaped, and every non-ASCII character written as
// \[uXXXX], so the page renders without preconv (Chinese terms, em dashes).
std::string roff(std::string text) {
    std::string out;
    for (std::size_t i = 0; i < text.size();) {
        unsigned char c = static_cast<unsigned char>(text[i]);
        if (c < 0x80) {
            if (c == '\\')
                out += "\\e";
            else if (c == '-')
                out += "\\-";
            else
                out += static_cast<char>(c);
            ++i;
            continue;
        }
        std::size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
        std::uint32_t cp = c & (len == 4 ? 0x07u : len == 3 ? 0x0Fu : 0x1Fu);
        for (std::size_t k = 1; k < len && i + k < text.size(); ++k)
            cp = (cp << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3Fu);
        out += fmt::format("\\[u{:04X}]", cp);
        i += len;
    }
    if (!out.empty() && (out[0] == '.' || out[0] == '\'')) out = "\\&" + out;
    return out;
}

std::string zsh_text(std::string text) {
    for (char& c : text)
        if (c == '[' || c == ']' || c == ':' || c == '\'') c = ' ';
    return text;
}

}  // namespace

std::string man_page(const CLI::App& app) {
    std::string out;
    out += fmt::format(".TH TGT 1 \"\" \"tgt {}\" \"User Commands\"\n", tgt::version);
    out += ".SH NAME\ntgt \\- split sales targets exactly, and track them\n";
    out += ".SH SYNOPSIS\n.B tgt\n[\\fB\\-\\-color\\fR \\fIWHEN\\fR] \\fICOMMAND\\fR [\\fIOPTIONS\\fR]\n";
    out += ".SH DESCRIPTION\n" + roff(app.get_description()) +
           ". Amounts are exact decimals; every split hands out every unit, so children add up to their "
           "parent at every level. Plans are JSON files (see \\fBtgt schema\\fR and the README).\n";
    out += ".SH COMMANDS\n";
    for (const CLI::App* sub : commands_of(app)) {
        out += ".SS " + roff("tgt " + sub->get_name());
        for (const CLI::Option* p : sub->get_options([](const CLI::Option* o) { return o->get_positional(); }))
            out += roff(" " + p->get_name());
        out += "\n" + roff(sub->get_description()) + "\n";
        for (const CLI::Option* o : options_of(*sub)) {
            if (o->get_name(false, true) == "-h,--help") continue;
            out += ".TP\n.B " + roff(o->get_name(false, true)) + "\n" + roff(o->get_description()) + "\n";
        }
    }
    out +=
        ".SH EXIT STATUS\n"
        ".TP\n0\nsuccess\n.TP\n1\nthe plan or a data file is wrong, or an input file is missing or cannot be "
        "read\n.TP\n2\nbad command line\n"
        ".TP\n3\n\\fBtgt check\\fR flagged something, or \\fBtgt progress \\-\\-fail\\-on\\fR found a row at that "
        "status, or \\fBtgt diff \\-\\-fail\\-on\\-change\\fR found a change\n.TP\n4\nan output could not be written "
        "(never an input)\n";
    out += ".SH ENVIRONMENT\n.TP\nNO_COLOR\nno colour in diagnostics or tables\n";
    out +=
        ".TP\nTGT_MAX_INPUT\nthe most a plan, calendar or CSV file may hold (default 1G; 64M, 512K or bytes); "
        "an actuals record may hold 16 MiB of it\n";
    out += ".SH FILES\n.TP\n/usr/share/tgt/plan.schema.json\nthe JSON Schema of plan files\n";
    return out;
}

std::string completion_script(const CLI::App& app, const std::string& shell) {
    auto commands = commands_of(app);
    std::string out;
    if (shell == "bash") {
        out += "# bash completion for tgt (generated by `tgt completion bash`)\n_tgt() {\n";
        out += "    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} opts=\"\"\n";
        out += "    case \"$prev\" in\n";
        std::map<std::string, std::vector<std::string>> value_options;
        for (const CLI::App* sub : commands)
            for (const CLI::Option* o : options_of(*sub))
                for (const auto& name : o->get_lnames())
                    if (auto values = values_of("--" + name); !values.empty()) value_options["--" + name] = values;
        value_options["--color"] = values_of("--color");
        for (const auto& [option, values] : value_options)
            out += fmt::format("        {}) COMPREPLY=($(compgen -W \"{}\" -- \"$cur\")); return ;;\n", option,
                               fmt::join(values, " "));
        out += "    esac\n";
        std::vector<std::string> names;
        for (const CLI::App* sub : commands)
            names.push_back(sub->get_name());
        out += fmt::format(
            "    if [ \"$COMP_CWORD\" -eq 1 ]; then COMPREPLY=($(compgen -W \"{} --help --version --color\" -- "
            "\"$cur\")); return; fi\n",
            fmt::join(names, " "));
        out += "    case \"${COMP_WORDS[1]}\" in\n";
        for (const CLI::App* sub : commands) {
            std::vector<std::string> flags;
            for (const CLI::Option* o : options_of(*sub))
                for (const auto& name : o->get_lnames())
                    flags.push_back("--" + name);
            out += fmt::format("        {}) opts=\"{} --color\" ;;\n", sub->get_name(), fmt::join(flags, " "));
        }
        out += "    esac\n";
        out +=
            "    if [[ \"$cur\" == -* ]]; then COMPREPLY=($(compgen -W \"$opts\" -- \"$cur\"));"
            " else COMPREPLY=($(compgen -f -- \"$cur\")); fi\n}\n";
        out += "complete -o filenames -F _tgt tgt\n";
        return out;
    }
    // zsh
    out += "#compdef tgt\n# zsh completion for tgt (generated by `tgt completion zsh`)\n_tgt() {\n";
    out += "    local -a commands\n    commands=(\n";
    for (const CLI::App* sub : commands)
        out += fmt::format("        '{}:{}'\n", sub->get_name(), zsh_text(sub->get_description()));
    out += "    )\n    if (( CURRENT == 2 )); then _describe 'command' commands; return; fi\n";
    out += "    case $words[2] in\n";
    for (const CLI::App* sub : commands) {
        out += fmt::format("        {})\n            _arguments \\\n", sub->get_name());
        for (const CLI::Option* o : options_of(*sub)) {
            for (const auto& name : o->get_lnames()) {
                std::string spec = fmt::format("'--{}[{}]", name, zsh_text(o->get_description()));
                if (o->get_expected_min() > 0 || o->get_type_size() > 0) {
                    auto values = values_of("--" + name);
                    spec += values.empty() ? fmt::format(":{}:_files", name)
                                           : fmt::format(":{}:({})", name, fmt::join(values, " "));
                }
                out += "                " + spec + "' \\\n";
            }
        }
        out += "                '*:file:_files' ;;\n";
    }
    out += "    esac\n}\n_tgt \"$@\"\n";
    return out;
}

void setup_man(CLI::App& app, MetaOptions& o) {
    o.root = app.get_parent();
    app.add_option("-o,--output", o.output, "Write it to this file (atomically)");
}

int run_man(const MetaOptions& o, const Io& io) {
    check_output_name(o.output, "a manual page (roff)", "tgt.1");
    Output output(o.output, io);
    fmt::print(output.stream(), "{}", man_page(*o.root));
    output.commit();
    return exit_ok;
}

void setup_completion(CLI::App& app, MetaOptions& o) {
    o.root = app.get_parent();
    app.add_option("shell", o.shell, "bash or zsh")->required()->check(CLI::IsMember({"bash", "zsh"}));
    app.add_option("-o,--output", o.output, "Write it to this file (atomically)");
}

int run_completion(const MetaOptions& o, const Io& io) {
    check_output_name(o.output, "a shell script", "tgt." + o.shell);
    Output output(o.output, io);
    fmt::print(output.stream(), "{}", completion_script(*o.root, o.shell));
    output.commit();
    return exit_ok;
}

}  // namespace tgt::cli
