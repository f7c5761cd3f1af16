// What several commands' options share: lists, filters, formats, -o names and the actuals flags.

#include "options.hpp"

#include "tgt/display.hpp"

#include <fmt/format.h>
#include <sys/stat.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <optional>
#include <thread>

namespace tgt::cli {

std::vector<std::string> split_commas(const std::vector<std::string>& values) {
    std::vector<std::string> out;
    for (const auto& v : values) {
        std::size_t start = 0;
        while (start <= v.size()) {
            auto comma = v.find(',', start);
            if (comma == std::string::npos) comma = v.size();
            if (comma > start) out.push_back(v.substr(start, comma - start));
            start = comma + 1;
        }
    }
    return out;
}

void add_display_flags(CLI::App& app, DisplayFlags& flags) {
    app.add_option("--unit", flags.unit,
                   "Show money amounts in 元, 万 or 亿 (table and markdown; counts stay as they are), rounded "
                   "to 2 decimals (亿: 4)")
        ->check(CLI::IsMember({"", "元", "千", "万", "亿"}));
    app.add_option("--decimals", flags.decimals, "Decimals money amounts show in the --unit (0 to 8)")
        ->check(CLI::Range(0, 8));
    app.add_option("--lang", flags.lang, "Labels and headers in zh or en (default: the plan's \"locale\", else LANG)");
}

Lang display_lang(const DisplayFlags& flags, std::string_view plan_locale) {
    std::optional<Lang> flag;
    if (!flags.lang.empty()) {
        flag = parse_lang(flags.lang);
        if (!flag)
            throw Error::usage(fmt::format("--lang {}: expected zh or en", flags.lang),
                               "--lang zh for Chinese labels, --lang en for English");
    }
    const char* environment = nullptr;
    for (const char* name : {"LC_ALL", "LC_MESSAGES", "LANG"})
        if (const char* v = std::getenv(name); v && *v) {
            environment = v;
            break;
        }
    return choose_lang(flag, plan_locale, environment ? environment : "");
}

RenderOptions display_options(const DisplayFlags& flags, Format format, std::string_view plan_locale) {
    RenderOptions options;
    options.lang = display_lang(flags, plan_locale);
    bool people = format == Format::table || format == Format::markdown;
    if ((!flags.unit.empty() || flags.decimals >= 0) && !people)
        throw Error::usage(
            fmt::format("{} applies to table and markdown output", flags.unit.empty() ? "--decimals" : "--unit"),
            "csv, tsv and json always carry exact amounts in the metric's own unit");
    if (flags.unit.empty() && flags.decimals < 0) return options;
    options.unit_power = unit_power_of(flags.unit.empty() ? "元" : flags.unit).value_or(0);
    if (options.unit_power > 0) options.unit_label = flags.unit;
    options.places = flags.decimals >= 0 ? flags.decimals : default_places(options.unit_power);
    return options;
}

namespace {

constexpr Format kAllFormats[] = {Format::table,  Format::csv,      Format::tsv, Format::json,
                                  Format::ndjson, Format::markdown, Format::xlsx};

std::string names_of(std::span<const Format> formats) {
    std::string out;
    for (std::size_t i = 0; i < formats.size(); ++i)
        out += fmt::format("{}{}", i == 0 ? "" : i + 1 == formats.size() ? " or " : ", ", format_name(formats[i]));
    return out;
}

// What to do instead of writing a file tgt cannot write.
std::string foreign_hint(const FileType& type, std::string_view instead) {
    if (type.extension.starts_with("xl") || type.extension == "ods" || type.extension == "numbers")
        return fmt::format("write a .xlsx workbook (Excel, WPS and LibreOffice open it), or {}", instead);
    if (type.extension.starts_with("htm") || type.extension == "pdf")
        return fmt::format("write {}, or `tgt sheet --format html` for printable quota sheets", instead);
    return fmt::format("write {}", instead);
}

}  // namespace

CLI::Option* add_format_option(CLI::App& app, FormatOption& option, const std::string& help) {
    return app.add_option_function<std::string>(
        "--format",
        [&option](const std::string& text) {
            option.text = text;
            option.format = parse_format(text);
        },
        help);
}

CLI::Option* add_time_level_option(CLI::App& app, const std::string& name, std::optional<TimeLevel>& level,
                                   const std::string& help, std::vector<std::string> allowed) {
    auto* option = app.add_option_function<std::string>(
        name, [&level](const std::string& text) { level = parse_time_level(text); }, help);
    if (!allowed.empty()) option->check(CLI::IsMember(std::move(allowed)));
    return option;
}

void check_distinct_actuals(const std::vector<std::string>& files) {
    struct stat seen[2];
    for (std::size_t i = 0; i < files.size(); ++i)
        for (std::size_t j = 0; j < i; ++j) {
            const bool same_name = files[i] == files[j];
            const bool same_file = !same_name && ::stat(files[i].c_str(), &seen[0]) == 0 &&
                                   ::stat(files[j].c_str(), &seen[1]) == 0 && seen[0].st_dev == seen[1].st_dev &&
                                   seen[0].st_ino == seen[1].st_ino;
            if (same_name || same_file)
                throw Error::usage(
                    same_name ? fmt::format("actuals {} are named twice: their rows would be counted twice", files[i])
                              : fmt::format("actuals {} and {} are the same file: its rows would be counted twice",
                                            files[j], files[i]),
                    "name each file once");
        }
}

Format choose_format(const FormatOption& option, const std::string& output, Format fallback,
                     std::span<const Format> allowed) {
    if (allowed.empty()) allowed = kAllFormats;
    auto can_give = [&](Format f) { return std::find(allowed.begin(), allowed.end(), f) != allowed.end(); };
    const std::string& format = option.text;
    std::optional<Format> chosen;
    if (option.given()) {
        chosen = option.format;
        if (!chosen)
            throw Error::usage(fmt::format("--format {}: unknown format", format),
                               fmt::format("formats: {}", names_of(allowed)));
        if (!can_give(*chosen))
            throw Error::usage(fmt::format("--format {}: this command writes {}", format, names_of(allowed)));
    }
    if (output.empty() || output == "-") return chosen.value_or(fallback);
    FileType type = file_type(output);
    switch (type.kind) {
        case FileType::Kind::unknown:
        case FileType::Kind::text:
            return chosen.value_or(fallback);
        case FileType::Kind::foreign:
            throw Error::usage(fmt::format("-o {}: tgt cannot write .{} files here; this command writes {}", output,
                                           type.extension, names_of(allowed)),
                               foreign_hint(type, "a .csv, .json, .md or .txt file"));
        case FileType::Kind::format:
            if (!can_give(type.format))
                throw Error::usage(fmt::format("-o {}: this command cannot write {}; it writes {}", output,
                                               format_name(type.format), names_of(allowed)),
                                   "name the file for one of those (.txt for a table)");
            if (chosen && *chosen != type.format)
                throw Error::usage(fmt::format("-o {}: --format {} would put {} in a .{} file", output, format,
                                               format_name(*chosen), type.extension),
                                   "leave out --format (the extension chooses it), or rename the file");
            return type.format;
    }
    return chosen.value_or(fallback);
}

void add_force_flag(CLI::App& app, bool& force) {
    app.add_flag("--force", force, "Let -o replace a file this command reads (the plan, actuals, a calendar…)");
}

void check_output_name(const std::string& output, std::string_view what, std::string_view example) {
    if (output.empty() || output == "-") return;
    FileType type = file_type(output);
    if (type.kind == FileType::Kind::unknown || type.kind == FileType::Kind::text ||
        file_type(example).extension == type.extension)
        return;
    throw Error::usage(fmt::format("-o {}: this command writes {}, not a .{} file", output, what, type.extension),
                       fmt::format("name it like {}", example));
}

std::vector<std::pair<std::string, std::string>> parse_pairs(const std::vector<std::string>& values,
                                                             std::string_view option) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& v : split_commas(values)) {
        auto eq = v.find('=');
        if (eq == std::string::npos || eq == 0 || eq + 1 == v.size())
            throw Error::usage(fmt::format("{} {}: expected NAME=VALUE", option, v));
        out.emplace_back(v.substr(0, eq), v.substr(eq + 1));
    }
    return out;
}

std::vector<Diagnostic> actuals_notes(const ActualsSummary& actuals, std::size_t after_as_of, const std::string& as_of,
                                      const std::string& unplanned_counted) {
    Diagnostics notes;
    for (const auto& d : actuals.problems)
        notes.add(d);
    if (actuals.skipped > actuals.problems.size())
        notes.warning({}, fmt::format("{} bad row(s) skipped in all (the first {} are listed)", actuals.skipped,
                                      actuals.problems.size()));
    if (!actuals.unknown.empty()) {
        std::vector<std::string> values;
        for (const auto& [value, rows] : actuals.unknown)
            values.push_back(fmt::format("{} ({} rows)", value, rows));
        if (values.size() > 10) values.resize(10);
        notes.warning({},
                      fmt::format("{} row(s) name members the plan does not have; {}: {}", actuals.unplanned,
                                  unplanned_counted, fmt::join(values, ", ")),
                      "an older plan? rename them in the plan, or --map the column");
    }
    for (const auto& [what, rows] : actuals.moved)
        notes.warning({}, fmt::format("{}: {} row(s), counted under the plan's", what, rows));
    if (after_as_of > 0)
        notes.warning({}, fmt::format("{} row(s) dated after --as-of {} are not counted", after_as_of, as_of));
    return notes.items();
}

Date parse_as_of(const std::string& text) {
    auto as_of = parse_date(text);
    if (!as_of) throw Error::usage(fmt::format("--as-of {}: not a date", text), "write YYYY-MM-DD");
    return *as_of;
}

void add_actuals_flags(CLI::App& app, ActualsFlags& flags) {
    app.add_option("--map", flags.map, "COLUMN=LEVEL|METRIC|date when the actuals' names differ (repeatable)");
    app.add_flag("--skip-bad-rows", flags.skip_bad_rows,
                 "Skip malformed rows (reported in a summary) instead of failing");
    app.add_option("--sheet", flags.sheet, "NAME: the worksheet of .xlsx actuals (default: the first)");
    add_threads_option(app, flags.threads, "Threads for the split and for parsing actuals (default: the cores)");
}

CLI::Option* add_threads_option(CLI::App& app, int& threads, const std::string& help) {
    // CLI11's Range says "not in range" of a word too; this says what is wrong with each.
    auto whole_number = [](std::string& text) -> std::string {
        int value = 0;
        auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (error != std::errc() || end != text.data() + text.size()) return "expected a whole number, not " + text;
        if (value < 1 || value > 256) return "expected 1 to 256 threads, not " + text;
        return {};
    };
    return app.add_option("--threads", threads, help)->check(CLI::Validator(whole_number, "INT in [1 - 256]"));
}

int thread_count(int threads) {
    return threads > 0 ? threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

ActualsOptions actuals_options(const ActualsFlags& flags, const Io& io) {
    ActualsOptions options;
    options.limits = io.limits;
    options.map = parse_pairs(flags.map, "--map");
    options.skip_bad_rows = flags.skip_bad_rows;
    options.sheet = flags.sheet;
    return options;
}

int thread_count(const ActualsFlags& flags) {
    return thread_count(flags.threads);
}

}  // namespace tgt::cli
