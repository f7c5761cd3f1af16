// The label catalog: every word a person reads on a table, sheet or report, in English and Chinese.

#include "tgt/labels.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

namespace tgt {

namespace {

struct Entry {
    std::string_view en;
    std::string_view zh;
};

// Sorted by the English text (checked by a unit test): looked up by binary search. Add words here,
// never in a renderer.
constexpr std::array kCatalog{
    Entry{"Activity it takes", "所需活动量"},
    Entry{"By month", "按月"},
    Entry{"By quarter", "按季度"},
    Entry{"By week", "按周"},
    Entry{"Customer visits", "客户拜访"},
    Entry{"Mix by", "构成：按"},
    Entry{"Monthly", "月度"},
    Entry{"Progress as of", "进度截至"},
    Entry{"Progress report", "进度报告"},
    Entry{"Target", "目标"},
    Entry{"Team", "团队"},
    Entry{"Total", "合计"},
    Entry{"Why these numbers", "数字从何而来"},
    Entry{"YTD", "年累计"},
    Entry{"Year", "全年"},
    Entry{"achievement", "达成率"},
    Entry{"actual", "实际"},
    Entry{"added", "新增"},
    Entry{"ahead", "领先"},
    Entry{"behind", "落后"},
    Entry{"behind to date", "至今落后"},
    Entry{"change", "变动"},
    Entry{"change %", "变动率"},
    Entry{"changed", "有变动"},
    Entry{"critical", "严重落后"},
    Entry{"cumulative actual", "累计实际"},
    Entry{"customers", "客户数"},
    Entry{"forecast by pace", "按进度预测"},
    Entry{"forecast by run rate", "按日均预测"},
    Entry{"gap", "差额"},
    Entry{"how often", "频率"},
    Entry{"month", "月份"},
    Entry{"needed per working day", "每工作日需完成"},
    Entry{"new", "新计划"},
    Entry{"old", "原计划"},
    Entry{"on track", "正常"},
    Entry{"on_track", "正常"},
    Entry{"pace", "进度比"},
    Entry{"period", "期间"},
    Entry{"plan", "计划"},
    Entry{"quota sheet", "指标单"},
    Entry{"ratio", "比率"},
    Entry{"removed", "删除"},
    Entry{"share", "占比"},
    Entry{"status", "状态"},
    Entry{"target", "目标"},
    Entry{"target to date", "至今目标"},
    Entry{"task", "任务"},
    Entry{"task achievement", "任务达成率"},
    Entry{"task gap", "任务差额"},
    Entry{"the plan", "计划"},
    Entry{"the whole plan", "整个计划"},
    Entry{"this month", "本月"},
    Entry{"this quarter", "本季度"},
    Entry{"tier", "等级"},
    Entry{"time elapsed", "时间进度"},
    Entry{"unchanged", "未变"},
    Entry{"unit", "单位"},
    Entry{"visits", "拜访次数"},
    Entry{"week", "周"},
    Entry{"working days", "工作日"},
};

constexpr bool sorted() {
    for (std::size_t i = 1; i < kCatalog.size(); ++i)
        if (!(kCatalog[i - 1].en < kCatalog[i].en)) return false;
    return true;
}
static_assert(sorted(), "keep the label catalog sorted by its English text");

std::string lower(std::string_view text) {
    std::string out(text);
    for (auto& c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

}  // namespace

std::string_view label(Lang lang, std::string_view english) {
    if (lang == Lang::en) return english;
    auto it = std::lower_bound(kCatalog.begin(), kCatalog.end(), english,
                               [](const Entry& e, std::string_view key) { return e.en < key; });
    return it != kCatalog.end() && it->en == english ? it->zh : english;
}

std::optional<Lang> parse_lang(std::string_view text) {
    std::string t = lower(text);
    auto is = [&](std::string_view code) {
        return t == code || (t.size() > code.size() && t.compare(0, code.size(), code) == 0 &&
                             (t[code.size()] == '-' || t[code.size()] == '_'));
    };
    if (is("zh")) return Lang::zh;
    if (is("en")) return Lang::en;
    return std::nullopt;
}

Lang lang_of_locale(std::string_view locale) {
    std::string t = lower(locale);
    return t == "zh" || t.rfind("zh_", 0) == 0 || t.rfind("zh-", 0) == 0 || t.rfind("zh.", 0) == 0 ? Lang::zh
                                                                                                   : Lang::en;
}

Lang choose_lang(std::optional<Lang> flag, std::string_view plan_locale, std::string_view environment_locale) {
    if (flag) return *flag;
    if (auto plan = parse_lang(plan_locale)) return *plan;
    return lang_of_locale(environment_locale);
}

std::string display_name(std::string_view id, std::string_view name) {
    return std::string(name.empty() ? id : name);
}

}  // namespace tgt
