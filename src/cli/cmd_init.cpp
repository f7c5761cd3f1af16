// tgt init: a working starter plan from a template, to edit rather than write from nothing.

#include <fmt/format.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "cmd_init.hpp"
#include "tgt/plan_writer.hpp"
#include "tgt/templates.hpp"

namespace tgt::cli {

void setup_init(CLI::App& app, InitOptions& o) {
    app.add_option("--template", o.name, "company (default), regions-reps, store or dealer; --list describes them");
    app.add_flag("--list", o.list, "List the templates");
    app.add_flag("--force", o.force, "Replace an existing -o file");
    app.add_option("-o,--output", o.output, "Write the plan to this file (atomically) instead of standard output");
}

int run_init(const InitOptions& o, const Io& io) {
    auto templates = plan_templates();
    if (o.list) {
        Output output("", io);
        auto writer = make_writer(Format::table, output.stream(), RenderOptions{0, "", false, false});
        writer->begin({Column{"template", false, 0}, Column{"what it starts you with", false, 0}});
        for (const auto& t : templates) {
            std::string description = nlohmann::json::parse(t.text).value("description", "");
            std::vector<Cell> cells{Cell{t.name, 0, true}, Cell{description, 0, true}};
            writer->row(cells);
        }
        writer->end();
        output.commit();
        return exit_ok;
    }
    std::string name = o.name.empty() ? std::string(templates.front().name) : o.name;
    const PlanTemplate* chosen = nullptr;
    std::vector<std::string> names;
    for (const auto& t : templates) {
        names.emplace_back(t.name);
        if (t.name == name) chosen = &t;
    }
    if (!chosen) {
        std::string guess = did_you_mean(name, names);
        throw Error::usage(fmt::format("--template {}: no such template", name),
                           guess.empty() ? fmt::format("templates: {} (tgt init --list)", fmt::join(names, ", "))
                                         : fmt::format("did you mean \"{}\"?", guess));
    }
    check_output_name(o.output, "a plan (JSON)", "plan.json");
    if (!o.output.empty() && o.output != "-" && std::filesystem::exists(o.output) && !o.force)
        throw Error::usage(fmt::format("{} exists; tgt init does not replace a plan", o.output),
                           "choose another name, or add --force");
    // Through the plan writer, like every plan tgt writes (a starter plan, unedited, keeps its layout).
    std::string text = PlanWriter(chosen->text).text();
    Output output(o.output, io);
    std::fwrite(text.data(), 1, text.size(), output.stream());
    output.commit();
    if (!o.output.empty() && o.output != "-")
        say(io.err, fmt::format("tgt: wrote {} from the \"{}\" template; next: tgt validate {} && tgt split {}\n",
                                o.output, name, o.output, o.output));
    return exit_ok;
}

}  // namespace tgt::cli
