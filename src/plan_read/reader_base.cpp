// The helpers every section of the plan reader shares: kinds, keys, numbers, dates, percentages,
// amounts, shares and CSV side files.

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "plan_reader.hpp"
#include "tgt/capacity.hpp"

namespace tgt::detail {

std::string join(const std::vector<std::string>& items, std::string_view sep) {
    std::string out;
    for (const auto& s : items) {
        if (!out.empty()) out += sep;
        out += s;
    }
    return out;
}

std::filesystem::path folder_of(const std::string& file) {
    if (file == "<stdin>") return std::filesystem::current_path();
    auto parent = std::filesystem::path(file).parent_path();
    return parent.empty() ? std::filesystem::path(".") : parent;
}

ReaderBase::ReaderBase(const JsonDocument& doc, std::filesystem::path base, Diagnostics& problems, InputLimits limits,
                       std::vector<std::string>* files)
    : doc_(doc),
      base_(std::move(base)),
      problems_(problems),
      limits_(std::move(limits)),
      files_(files ? files : &plan_.files) {}

PlanPlace ReaderBase::place(const JsonValue& v) const {
    if (places_.known() && (doc_.holds(v) || v.scanned())) return places_.at(v.offset);
    return at(v);
}

void ReaderBase::error(const JsonValue& v, std::string message, std::string hint) {
    problems_.error(at(v), std::move(message), std::move(hint));
}

void ReaderBase::warning(const JsonValue& v, std::string message, std::string hint) {
    problems_.warning(at(v), std::move(message), std::move(hint));
}

bool ReaderBase::expect_kind(const JsonValue& v, Kind kind, std::string_view what) {
    if (v.kind == kind) return true;
    error(v, fmt::format("expected {} ({}), got {}", describe_kind(kind), what, describe_kind(v.kind)));
    return false;
}

void ReaderBase::check_keys(const JsonValue& obj, std::initializer_list<std::string_view> known) {
    for (const auto& [key, value] : obj.members()) {
        if (std::find(known.begin(), known.end(), key) != known.end()) continue;
        std::vector<std::string> allowed(known.begin(), known.end());  // made only for the message
        std::string guess = did_you_mean(key, allowed);
        std::string hint = guess.empty() ? fmt::format("known keys here: {}", join(allowed))
                                         : fmt::format("did you mean \"{}\"?", guess);
        problems_.error(doc_.locate_key(value), fmt::format("unknown key \"{}\"", key), hint);
    }
}

const JsonValue* ReaderBase::field(const JsonValue& obj, std::string_view key, Kind kind, bool required) {
    const JsonValue* v = obj.find(key);
    if (!v) {
        if (required)
            problems_.error(at(obj), fmt::format("missing \"{}\"", key), fmt::format("add \"{}\" to this object", key));
        return nullptr;
    }
    if (v->kind != kind) {
        error(*v, fmt::format("\"{}\" must be {}, got {}", key, describe_kind(kind), describe_kind(v->kind)));
        return nullptr;
    }
    return v;
}

std::optional<Decimal> ReaderBase::number_of(const JsonValue& v) {
    if (v.kind != Kind::number && v.kind != Kind::string) {
        error(v, fmt::format("expected a number, got {}", describe_kind(v.kind)));
        return std::nullopt;
    }
    ParseProblem problem;
    auto d = parse_decimal(v.text, &problem);
    if (!d)
        error(v, fmt::format("not a number: \"{}\" ({})", v.text, problem.message),
              "write amounts like 1234.56, \"2500万\", \"1.2e6\" or \"1,000,000.00\"");
    return d;
}

std::optional<std::int64_t> ReaderBase::whole_number(const JsonValue& v) {
    if (v.kind != Kind::number) return std::nullopt;
    auto d = parse_decimal(v.text);
    if (!d) return std::nullopt;
    return d->scaled_to(0);
}

std::optional<Date> ReaderBase::date_of(const JsonValue& v) {
    if (v.kind != Kind::string) {
        error(v, fmt::format("expected a date \"YYYY-MM-DD\", got {}", describe_kind(v.kind)));
        return std::nullopt;
    }
    auto d = parse_date(v.text);
    if (!d) error(v, fmt::format("not a date: \"{}\"", v.text), "write dates as YYYY-MM-DD, e.g. 2027-03-01");
    return d;
}

std::filesystem::path ReaderBase::resolve(const std::string& path) const {
    std::filesystem::path p(path);
    return p.is_absolute() ? p : base_ / p;
}

// An amount as stated: plain, or {"baseline": …, "growth": "20%"} (recorded in `origin`).
std::optional<Minor> ReaderBase::stated_amount(const JsonValue& v, const Metric& m, std::string_view what,
                                               std::string& origin) {
    if (v.kind != Kind::object) return amount(v, m, what);
    check_keys(v, {"baseline", "growth"});
    auto* b = v.find("baseline");
    auto* g = v.find("growth");
    if (!b || !g) {
        error(v, fmt::format("{} as an object needs \"baseline\" and \"growth\"", what),
              "e.g. {\"baseline\": \"8333万\", \"growth\": \"20%\"}");
        return std::nullopt;
    }
    auto base = amount(*b, m, "baseline", false);
    auto growth = ratio_of(*g, "growth", true);
    if (!base || !growth) return std::nullopt;
    try {
        Minor result = grown_amount(*base, *growth, m.quantum);
        origin = fmt::format("baseline {} × (1 + {})", format_minor(*base, m.decimals), g->text);
        return result;
    } catch (const std::exception& e) {
        error(*g, fmt::format("growth {}: {}", g->text, e.what()));
        return std::nullopt;
    }
}

// A rate target: a percentage with at most 4 decimals (rates are held in millionths), at most 1000 %.
std::optional<Decimal> ReaderBase::rate_of(const JsonValue& v) {
    auto r = ratio_of(v, "a rate target", false);
    if (!r) return r;
    Decimal d = *r;
    while (d.scale > 0 && d.mantissa % 10 == 0) {
        d.mantissa /= 10;
        --d.scale;
    }
    if (d.scale > 6 || Decimal{10, 0} < d) {
        error(v, fmt::format("rate {} is too precise or too large (at most 4 decimals of a percent, up to 1000%)",
                             v.text));
        return std::nullopt;
    }
    return d;
}

// A percentage's number is plain digits: "2万%" or "1e2%" are typos, not percentages.
bool ReaderBase::plain_number(std::string_view text) {
    return text.find_first_of("eE") == std::string_view::npos && text.find("万") == std::string_view::npos &&
           text.find("亿") == std::string_view::npos && text.find("千") == std::string_view::npos;
}

// A percentage ("25%", "+20%", "-5%"), returned as a ratio. `signed_ok` allows negatives.
std::optional<Decimal> ReaderBase::ratio_of(const JsonValue& v, std::string_view what, bool signed_ok,
                                            BareNumber bare) {
    if (v.kind != Kind::string && v.kind != Kind::number) {
        error(v, fmt::format("{} is a percentage such as \"25%\", got {}", what, describe_kind(v.kind)));
        return std::nullopt;
    }
    std::string text(v.text);
    bool percent = v.kind == Kind::string && !text.empty() && text.back() == '%';
    if (percent) text.pop_back();
    ParseProblem problem;
    auto d = plain_number(text) ? parse_decimal(text, &problem) : std::nullopt;
    if (!d || d->scale > 8 || d->mantissa > pow10_wide(15) || d->mantissa < -pow10_wide(15)) {
        error(v, fmt::format("not {}: \"{}\"", what, v.text), "a percentage is plain digits and a percent sign");
        return std::nullopt;
    }
    if (!signed_ok && d->is_negative()) {
        error(v, fmt::format("{} must be >= 0 (got {})", what, v.text));
        return std::nullopt;
    }
    if (percent) {
        d->scale += 2;
        return d;
    }
    bool multiplier = bare == BareNumber::multiplier && !(*d < Decimal{1, 0}) && !(Decimal{2, 0} < *d);
    if (d->is_zero() || multiplier) return d;
    Decimal as_ratio = *d;  // 0.2 read as a ratio is 20 %
    as_ratio.scale -= 2;
    if (as_ratio.scale < 0) {
        as_ratio.mantissa *= pow10_wide(-as_ratio.scale);
        as_ratio.scale = 0;
    }
    std::string as_percent = format_decimal(*d), ratio_percent = format_decimal(as_ratio);
    error(v,
          fmt::format("{} {} can be read two ways: as a percentage ({}%) or as a ratio ({}%)", what, v.text, as_percent,
                      ratio_percent),
          fmt::format("write the one you mean with a percent sign: \"{}%\" or \"{}%\"", as_percent, ratio_percent));
    return std::nullopt;
}

// An amount of metric `m` in minor units; errors name the metric's precision and quantum.
std::optional<Minor> ReaderBase::amount(const JsonValue& v, const Metric& m, std::string_view what,
                                        bool check_quantum) {
    auto d = number_of(v);
    if (!d) return std::nullopt;
    if (d->is_negative()) {
        error(v, fmt::format("{} must be >= 0 (got {})", what, v.text));
        return std::nullopt;
    }
    auto minor = to_minor(*d, m.decimals);
    if (!minor) {
        auto wide = d->scaled_to(d->scale);
        if (d->scale > m.decimals && wide)
            error(v,
                  fmt::format("{} {} has more decimals than metric \"{}\" allows ({})", what, v.text, m.id, m.decimals),
                  "round it yourself or raise the metric's \"decimals\"");
        else
            error(v, fmt::format("{} {} is too large (overflows 64-bit minor units)", what, v.text));
        return std::nullopt;
    }
    if (check_quantum && m.quantum > 1 && *minor % m.quantum != 0) {
        error(v,
              fmt::format("{} {} is not a multiple of metric \"{}\"'s quantum {}", what, v.text, m.id,
                          format_minor(m.quantum, m.decimals)),
              "amounts are split in whole quanta; use a multiple or a smaller quantum");
        return std::nullopt;
    }
    return minor;
}

Share ReaderBase::weight_share(const JsonValue& v) {
    Share s;
    s.where = place(v);
    std::string text(v.text);
    bool percent = false;
    if (v.kind == Kind::string && !text.empty() && text.back() == '%') {
        percent = true;
        text.pop_back();
    }
    if (v.kind != Kind::number && v.kind != Kind::string) {
        error(v, fmt::format("a weight is a number or a percentage string such as \"25%\", got {}",
                             describe_kind(v.kind)));
        return s;
    }
    ParseProblem problem;
    auto d = parse_decimal(text, &problem);
    if (d && percent && !plain_number(text)) {
        d.reset();
        problem.message = "a percentage is plain digits";
    }
    if (!d) {
        error(v, fmt::format("not a weight: \"{}\" ({})", v.text, problem.message),
              "write a ratio such as 3 or 1.5, or a percentage such as \"25%\"");
        return s;
    }
    if (d->is_negative()) {
        error(v, fmt::format("weight must be >= 0 (got {})", v.text));
        return s;
    }
    static const Wide kWeightLimit = pow10_wide(kMaxWeightDigits);  // once: a plan may have millions of weights
    if (d->mantissa >= kWeightLimit || d->scale > 9) {
        error(v, fmt::format("weight {} is too large or too precise (at most 18 digits, 9 decimals)", v.text));
        return s;
    }
    if (percent && Decimal{100, 0} < *d) {
        error(v, fmt::format("a percentage above 100 (got {})", v.text),
              "to hand out more than the parent, set \"allocate\" on the split step");
        return s;
    }
    s.kind = percent ? Share::Kind::percent : Share::Kind::ratio;
    s.value = *d;
    s.bare = !percent;
    return s;
}

// A hold: a scalar amount (plans with one metric) or {"metric": amount, …}.
Share ReaderBase::hold_share(const JsonValue& v) {
    Share s;
    s.kind = Share::Kind::amount;
    s.where = place(v);
    s.amounts.assign(plan_.metrics.size(), std::nullopt);
    if (v.kind == Kind::object) {
        for (const auto& [key, value] : v.members()) {
            int m = plan_.metric_index(key);
            if (m < 0) {
                std::vector<std::string> ids = plan_.metric_ids();
                std::string guess = did_you_mean(key, ids);
                error(value, fmt::format("unknown metric \"{}\"", key),
                      guess.empty() ? "metrics: " + join(ids) : fmt::format("did you mean \"{}\"?", guess));
                continue;
            }
            s.amounts[static_cast<std::size_t>(m)] =
                amount(value, plan_.metrics[static_cast<std::size_t>(m)], "amount");
        }
        return s;
    }
    int only = -1, primaries = 0;
    for (std::size_t m = 0; m < plan_.metrics.size(); ++m)
        if (!plan_.metrics[m].rate && plan_.metrics[m].stretch_of < 0) {
            only = static_cast<int>(m);
            ++primaries;
        }
    if (primaries != 1) {
        error(v, "this plan has several metrics: say which one the amount is for", "write {\"revenue\": \"150万\"}");
        return s;
    }
    s.amounts[static_cast<std::size_t>(only)] = amount(v, plan_.metrics[static_cast<std::size_t>(only)], "amount");
    return s;
}

// A value in a "weights" map or list: a weight, or {"amount": …} for a hold.
Share ReaderBase::keyed_share(const JsonValue& v) {
    if (v.kind == Kind::object) {
        check_keys(v, {"amount"});
        if (auto* a = v.find("amount")) return hold_share(*a);
        error(v, "expected a weight, a percentage or {\"amount\": …}");
        return {};
    }
    return weight_share(v);
}

// A ramp schedule: the share of full quota in tenure months 1, 2, … ("25%", "50%", "75%").
std::vector<Decimal> ReaderBase::read_ramp(const JsonValue& v) {
    std::vector<Decimal> out;
    if (!expect_kind(v, Kind::array, "a ramp schedule such as [\"25%\", \"50%\", \"75%\"]")) return out;
    if (v.items().size() > 36) error(v, "a ramp longer than 36 months");
    for (const auto& item : v.items()) {
        auto r = ratio_of(item, "a ramp step", false);
        if (r && Decimal{1, 0} < *r) error(item, fmt::format("a ramp step above 100% (got {})", item.text));
        out.push_back(r.value_or(Decimal{1, 0}));
    }
    return out;
}

std::optional<CsvTable> ReaderBase::read_csv_at(const JsonValue& file) {
    try {
        files_->push_back(resolve(std::string(file.text)).string());
        return read_csv_file(files_->back(), limits_);
    } catch (const Error& e) {
        for (auto d : e.diagnostics()) {
            if (d.where.line == 0) {
                d.message = fmt::format("{}: {}", d.where.file, d.message);
                d.where = at(file);
            }
            problems_.add(std::move(d));
        }
        return std::nullopt;
    }
}

// A CSV file with a key column and a value column, both named in the plan; nullopt (reported)
// when the file or a column is missing.
std::optional<CsvTable> ReaderBase::read_keyed_csv(const JsonValue& file, const JsonValue& key, const JsonValue& column,
                                                   int& key_index, int& column_index) {
    auto table = read_csv_at(file);
    if (!table) return std::nullopt;
    key_index = table->column(key.text);
    column_index = table->column(column.text);
    if (key_index < 0) missing_column(key, *table, key.text);
    if (column_index < 0) missing_column(column, *table, column.text);
    if (key_index < 0 || column_index < 0) return std::nullopt;
    return table;
}

void ReaderBase::missing_column(const JsonValue& v, const CsvTable& table, std::string_view name) {
    std::string guess = did_you_mean(name, table.header);
    error(v, fmt::format("{} has no column \"{}\"", table.file, name),
          guess.empty() ? "columns: " + join(table.header) : fmt::format("did you mean \"{}\"?", guess));
}

}  // namespace tgt::detail
