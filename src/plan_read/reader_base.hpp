#pragma once
// The plan reader's base: the reading state (the document, the plan being built, the problems
// found) and the helpers every section reader shares: kind and key checks, numbers, dates,
// percentages, amounts, shares and the CSV side files. Internal.

#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "../json_document.hpp"
#include "tgt/csv.hpp"
#include "tgt/plan.hpp"

namespace tgt::detail {

/// Weights have at most this many digits.
inline constexpr int kMaxWeightDigits = 18;

/// "a, b, c".
std::string join(const std::vector<std::string>& items, std::string_view sep = ", ");
/// The folder relative paths in `file` resolve against ("<stdin>": the working directory).
std::filesystem::path folder_of(const std::string& file);

/// The state of one reading and the helpers the section readers share.
class ReaderBase {
public:
    using Kind = JsonValue::Kind;

    /// `files` collects every file read (by default the plan's own list).
    ReaderBase(const JsonDocument& doc, std::filesystem::path base, Diagnostics& problems, InputLimits limits,
               std::vector<std::string>* files = nullptr);

    /// Members and shares keep their places as offsets in `text` (the text of the document being
    /// read), which they keep alive: the document itself can go once the plan is read.
    void keep_places(std::shared_ptr<const JsonText> text) { places_ = PlanPlace(std::move(text), 0); }

protected:
    // How a field that means a percentage takes a number written without "%". Such a number can be
    // read as a ratio (0.2 = 20 %) or as a percentage that lost its sign (20 = 20 %), so it is
    // taken only where one reading is impossible: zero (the same either way), or for "allocate" a
    // multiplier from 1 to 2 (1.1 = 110 %; read as a percentage it would hand out less than the parent).
    enum class BareNumber { ambiguous, multiplier };

    SourceLocation at(const JsonValue& v) const { return doc_.locate(v); }
    /// Where `v` sits, resolved only when a message asks (a full location without keep_places).
    PlanPlace place(const JsonValue& v) const;
    void error(const JsonValue& v, std::string message, std::string hint = {});
    void warning(const JsonValue& v, std::string message, std::string hint = {});

    bool expect_kind(const JsonValue& v, Kind kind, std::string_view what);

    void check_keys(const JsonValue& obj, std::initializer_list<std::string_view> known);

    const JsonValue* field(const JsonValue& obj, std::string_view key, Kind kind, bool required = false);

    std::optional<Decimal> number_of(const JsonValue& v);

    std::optional<std::int64_t> whole_number(const JsonValue& v);

    std::optional<Date> date_of(const JsonValue& v);

    std::filesystem::path resolve(const std::string& path) const;

    // An amount as stated: plain, or {"baseline": …, "growth": "20%"} (recorded in `origin`).
    std::optional<Minor> stated_amount(const JsonValue& v, const Metric& m, std::string_view what, std::string& origin);

    // A rate target: a percentage with at most 4 decimals (rates are held in millionths), at most 1000 %.
    std::optional<Decimal> rate_of(const JsonValue& v);

    // A percentage's number is plain digits: "2万%" or "1e2%" are typos, not percentages.
    static bool plain_number(std::string_view text);

    // A percentage ("25%", "+20%", "-5%"), returned as a ratio. `signed_ok` allows negatives.
    std::optional<Decimal> ratio_of(const JsonValue& v, std::string_view what, bool signed_ok,
                                    BareNumber bare = BareNumber::ambiguous);

    // An amount of metric `m` in minor units; errors name the metric's precision and quantum.
    std::optional<Minor> amount(const JsonValue& v, const Metric& m, std::string_view what, bool check_quantum = true);

    Share weight_share(const JsonValue& v);

    // A hold: a scalar amount (plans with one metric) or {"metric": amount, …}.
    Share hold_share(const JsonValue& v);

    // A value in a "weights" map or list: a weight, or {"amount": …} for a hold.
    Share keyed_share(const JsonValue& v);

    // A ramp schedule: the share of full quota in tenure months 1, 2, … ("25%", "50%", "75%").
    std::vector<Decimal> read_ramp(const JsonValue& v);

    std::optional<CsvTable> read_csv_at(const JsonValue& file);

    // A CSV file with a key column and a value column, both named in the plan; nullopt (reported)
    // when the file or a column is missing.
    std::optional<CsvTable> read_keyed_csv(const JsonValue& file, const JsonValue& key, const JsonValue& column,
                                           int& key_index, int& column_index);

    void missing_column(const JsonValue& v, const CsvTable& table, std::string_view name);

    const JsonDocument& doc_;
    std::filesystem::path base_;
    Diagnostics& problems_;
    InputLimits limits_;  // what a calendar or CSV file it names may hold
    Plan plan_;
    std::vector<std::string>* files_;  // where every file read is listed
    PlanPlace places_;  // a place in the kept text (none without keep_places): the others are made from it
};

}  // namespace tgt::detail
