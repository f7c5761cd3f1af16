// The one lenient reader of dates and amounts in table cells: every CSV (and spreadsheet) input
// goes through it, so that 2027/1/7 or ¥1,000.00 mean the same wherever they are typed.

#include "tgt/typed_values.hpp"
#include "blanks.hpp"

#include <fmt/format.h>

#include <vector>

namespace tgt {

namespace {

using namespace std::chrono;

constexpr std::string_view kDateHint = "write dates as YYYY-MM-DD (2027/1/7, 2027-1-7 and 2027年1月7日 are read too)";
constexpr std::string_view kAmountHint =
    "write amounts as 1234.50 (¥1,234.50, (500.00) for a negative and 86000万元 are read too)";

template <typename T>
std::optional<T> fail(ValueProblem* problem, std::string message, std::string_view hint) {
    if (problem) *problem = ValueProblem{std::move(message), std::string(hint)};
    return std::nullopt;
}

bool strip_prefix(std::string_view& s, std::string_view prefix) {
    if (s.substr(0, prefix.size()) != prefix) return false;
    s.remove_prefix(prefix.size());
    return true;
}

bool strip_suffix(std::string_view& s, std::string_view suffix) {
    if (s.size() < suffix.size() || s.substr(s.size() - suffix.size()) != suffix) return false;
    s.remove_suffix(suffix.size());
    return true;
}

// Takes between `least` and `most` digits from the front of `s`; -1 when there are not enough.
int take_number(std::string_view& s, std::size_t least, std::size_t most) {
    std::size_t n = 0;
    int value = 0;
    while (n < s.size() && n < most && s[n] >= '0' && s[n] <= '9')
        value = value * 10 + (s[n++] - '0');
    if (n < least) return -1;
    s.remove_prefix(n);
    return value;
}

// "9:30", "09:30:00", "00:00:00.000": a time of day, which a date cell may carry and which is ignored.
bool is_time(std::string_view s) {
    int h = take_number(s, 1, 2);
    if (h < 0 || h > 23 || !strip_prefix(s, ":")) return false;
    int m = take_number(s, 2, 2);
    if (m < 0 || m > 59) return false;
    if (strip_prefix(s, ":")) {
        int sec = take_number(s, 2, 2);
        if (sec < 0 || sec > 60) return false;
        if (strip_prefix(s, ".") && take_number(s, 1, 9) < 0) return false;
    }
    return s.empty();
}

std::optional<Date> make_date(int y, int m, int d) {
    year_month_day ymd{year{y}, month{static_cast<unsigned>(m)}, day{static_cast<unsigned>(d)}};
    if (m < 1 || d < 1 || !ymd.ok()) return std::nullopt;
    return sys_days{ymd};
}

// 1/7/2027 or 7.1.2027: the year last, so the day and the month could be either way round.
std::optional<Date> day_month_order(std::string_view text, int a, int b, int y, ValueProblem* problem) {
    std::vector<std::string> readings;
    if (auto d = make_date(y, b, a)) readings.push_back(format_date(*d) + " (day first)");
    if (auto d = make_date(y, a, b)) readings.push_back(format_date(*d) + " (month first)");
    if (readings.empty()) return fail<Date>(problem, fmt::format("not a date: \"{}\"", text), kDateHint);
    std::string both = readings.size() == 2 ? fmt::format("{} or {}", readings[0], readings[1]) : readings[0];
    return fail<Date>(problem, fmt::format("\"{}\" puts the year last: it could mean {}", text, both),
                      "write the date as YYYY-MM-DD (year first), so that it has one reading");
}

}  // namespace

std::optional<Date> read_date_cell(std::string_view text, ValueProblem* problem) {
    std::string_view s = trim_blanks(text);
    if (auto d = parse_date(s)) return d;  // the common case
    if (s.empty()) return fail<Date>(problem, "empty date", kDateHint);
    // A time of day after a space (or ISO's T) is dropped: the day is what counts.
    if (auto space = s.find(' '); space != std::string_view::npos) {
        if (!is_time(trim_blanks(s.substr(space + 1))))
            return fail<Date>(problem, fmt::format("not a date: \"{}\"", text), kDateHint);
        s = trim_blanks(s.substr(0, space));
    } else if (auto t = s.find('T'); t != std::string_view::npos && t >= 8) {
        if (!is_time(s.substr(t + 1))) return fail<Date>(problem, fmt::format("not a date: \"{}\"", text), kDateHint);
        s = s.substr(0, t);
    }
    std::string_view rest = s;
    int first = take_number(rest, 1, 4);
    if (first < 0) return fail<Date>(problem, fmt::format("not a date: \"{}\"", text), kDateHint);
    const std::size_t first_digits = s.size() - rest.size();
    int m = -1, d = -1;
    if (first_digits == 4 && strip_prefix(rest, "年")) {  // 2027年1月7日
        m = take_number(rest, 1, 2);
        if (m >= 0 && strip_prefix(rest, "月")) d = take_number(rest, 1, 2);
        strip_prefix(rest, "日");
    } else if (!rest.empty() && (rest[0] == '-' || rest[0] == '/' || rest[0] == '.')) {
        const std::string_view separator = rest.substr(0, 1);
        rest.remove_prefix(1);
        int second = take_number(rest, 1, 2);
        int third = -1;
        std::size_t third_digits = 0;
        if (second >= 0 && strip_prefix(rest, separator)) {
            const std::size_t before = rest.size();
            third = take_number(rest, 1, 4);
            third_digits = before - rest.size();
        }
        if (third >= 0 && rest.empty() && first_digits <= 2 && third_digits == 4)
            return day_month_order(text, first, second, third, problem);
        m = second;
        d = first_digits == 4 && third_digits <= 2 ? third : -1;
    }
    if (first_digits != 4 || m < 0 || d < 0 || !rest.empty())
        return fail<Date>(problem, fmt::format("not a date: \"{}\"", text), kDateHint);
    auto date = make_date(first, m, d);
    if (!date) return fail<Date>(problem, fmt::format("not a date: \"{}\"", text), kDateHint);
    return date;
}

std::optional<Decimal> read_amount_cell(std::string_view text, ValueProblem* problem) {
    std::string_view s = trim_blanks(text);
    // (500.00) is an accountant's -500.00.
    bool bracketed = (strip_prefix(s, "(") && strip_suffix(s, ")")) || (strip_prefix(s, "（") && strip_suffix(s, "）"));
    if (bracketed) s = trim_blanks(s);
    std::string sign;
    if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
        sign.assign(1, s[0]);
        s.remove_prefix(1);
    }
    if (strip_prefix(s, "¥") || strip_prefix(s, "￥")) s = trim_blanks(s);
    if (!sign.empty() && !s.empty() && (s[0] == '-' || s[0] == '+'))
        return fail<Decimal>(problem, fmt::format("two signs in \"{}\"", text), kAmountHint);
    if (strip_suffix(s, "元")) s = trim_blanks(s);
    // Excel writes 1.23457E+11 only for a number it shows rounded to 6 digits: the digits are lost.
    if (s.find_first_of("eE") != std::string_view::npos && s.find_first_of("0123456789") == 0)
        return fail<Decimal>(
            problem, fmt::format("\"{}\" is in scientific notation, rounded as Excel shows it", text),
            "scientific notation is what Excel saves after rounding a number to the digits it shows: format "
            "the column as Number with its decimals before saving the CSV");
    ParseProblem why;
    auto value = parse_decimal(sign + std::string(s), &why);
    if (!value)
        return fail<Decimal>(problem, fmt::format("not an amount: \"{}\" ({})", text, why.message), kAmountHint);
    if (bracketed) {
        if (value->is_negative() || !sign.empty())
            return fail<Decimal>(problem, fmt::format("a sign inside brackets: \"{}\"", text), kAmountHint);
        value->mantissa = -value->mantissa;
    }
    return value;
}

std::optional<Minor> read_minor_cell(std::string_view text, int decimals, ValueProblem* problem) {
    auto value = read_amount_cell(text, problem);
    if (!value) return std::nullopt;
    auto minor = to_minor(*value, decimals);
    if (!minor)
        return fail<Minor>(problem,
                           fmt::format("\"{}\" has more than {} decimal place(s), or is too large", text, decimals),
                           fmt::format("round it to {} decimal place(s)", decimals));
    return minor;
}

std::optional<Decimal> read_weight_cell(std::string_view text, ValueProblem* problem) {
    std::string_view s = trim_blanks(text);
    if (!strip_suffix(s, "%") && !strip_suffix(s, "％")) return read_amount_cell(s, problem);
    auto value = read_amount_cell(s, problem);
    if (!value) return std::nullopt;
    if (value->scale + 2 > 36) return fail<Decimal>(problem, fmt::format("too many decimal places: \"{}\"", text), "");
    return Decimal{value->mantissa, value->scale + 2};  // 12.5% = 0.125
}

}  // namespace tgt
