#pragma once
// Test helper: what a plan text is rejected with.

#include <string>
#include <vector>

#include "tgt/plan.hpp"

/// Every problem reading `text` (as if from `file`) reports, one "message | hint" line each;
/// empty when the plan is accepted.
inline std::string plan_problems(const std::string& text, const std::string& file) {
    try {
        tgt::parse_plan(text, file);
    } catch (const tgt::Error& e) {
        std::string all;
        for (const auto& d : e.diagnostics())
            all += d.message + " | " + d.hint + "\n";
        return all;
    }
    return {};
}

/// Whether any diagnostic's message or hint contains `text`.
inline bool mentions(const std::vector<tgt::Diagnostic>& ds, const std::string& text) {
    for (const auto& d : ds)
        if (d.message.find(text) != std::string::npos || d.hint.find(text) != std::string::npos) return true;
    return false;
}
