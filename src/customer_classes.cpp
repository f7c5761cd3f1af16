// Customer classes: parsing and evaluating threshold rules over a customers CSV's columns.

#include "tgt/customer_classes.hpp"
#include "blanks.hpp"

#include <fmt/format.h>

#include <array>
#include <utility>

namespace tgt {

namespace {

// The conditions joined by " and " (or "且" / "&&").
std::vector<std::string_view> split_and(std::string_view text) {
    std::vector<std::string_view> parts;
    while (true) {
        std::size_t best = std::string_view::npos, width = 0;
        for (std::string_view sep : {std::string_view(" and "), std::string_view("且"), std::string_view("&&")}) {
            std::size_t at = text.find(sep);
            if (at < best) best = at, width = sep.size();
        }
        if (best == std::string_view::npos) break;
        parts.push_back(text.substr(0, best));
        text.remove_prefix(best + width);
    }
    parts.push_back(text);
    return parts;
}

constexpr std::array<std::pair<std::string_view, ClassCondition::Op>, 8> kOps{{
    {">=", ClassCondition::Op::ge},
    {"≥", ClassCondition::Op::ge},
    {"<=", ClassCondition::Op::le},
    {"≤", ClassCondition::Op::le},
    {"==", ClassCondition::Op::eq},
    {">", ClassCondition::Op::gt},
    {"<", ClassCondition::Op::lt},
    {"=", ClassCondition::Op::eq},
}};

}  // namespace

std::optional<std::vector<ClassCondition>> parse_class_rule(std::string_view text, std::string* problem) {
    std::vector<ClassCondition> out;
    for (std::string_view part : split_and(text)) {
        part = trim_blanks(part);
        std::size_t at = std::string_view::npos, width = 0;
        ClassCondition c;
        for (const auto& [word, op] : kOps) {
            std::size_t found = part.find(word);
            if (found != std::string_view::npos && (found < at || (found == at && word.size() > width))) {
                at = found;
                width = word.size();
                c.op = op;
            }
        }
        if (at == std::string_view::npos) {
            if (problem) *problem = fmt::format("\"{}\" has no comparison (>=, >, <=, <, =)", part);
            return std::nullopt;
        }
        c.column = std::string(trim_blanks(part.substr(0, at)));
        std::string_view number = trim_blanks(part.substr(at + width));
        if (c.column.empty()) {
            if (problem) *problem = fmt::format("\"{}\" names no column before the comparison", part);
            return std::nullopt;
        }
        ParseProblem p;
        auto value = parse_decimal(number, &p);
        if (!value) {
            if (problem) *problem = fmt::format("\"{}\": {} (\"{}\")", part, p.message, number);
            return std::nullopt;
        }
        c.value = *value;
        out.push_back(std::move(c));
    }
    return out;
}

bool meets(const ClassCondition& condition, const Decimal& value) {
    switch (condition.op) {
        case ClassCondition::Op::ge:
            return !(value < condition.value);
        case ClassCondition::Op::gt:
            return condition.value < value;
        case ClassCondition::Op::le:
            return !(condition.value < value);
        case ClassCondition::Op::lt:
            return value < condition.value;
        case ClassCondition::Op::eq:
            return value == condition.value;
    }
    return false;
}

std::string describe(const ClassCondition& condition) {
    constexpr std::array<std::string_view, 5> words{">=", ">", "<=", "<", "="};
    return fmt::format("{} {} {}", condition.column, words[static_cast<std::size_t>(condition.op)],
                       format_decimal(condition.value));
}

}  // namespace tgt
