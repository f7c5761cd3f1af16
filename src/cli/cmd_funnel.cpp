// tgt funnel: the activity a target takes, per cell of the plan at any grain, or for a quick what-if.

#include <fmt/format.h>

#include "cmd_funnel.hpp"
#include "tgt/fraction.hpp"
#include "tgt/funnel.hpp"

namespace tgt::cli {

void setup_funnel(CLI::App& app, FunnelOptions& o) {
    app.add_option("plan", o.plan, "Plan file with a \"funnel\" (leave out for a what-if with --target and --stages)");
    app.add_option("--by", o.by, "Dimension levels to keep, e.g. region,rep");
    add_time_level_option(app, "--period", o.period, "Time grain: year, half, quarter, month, week or day");
    app.add_option("--where", o.where, "Only cells where LEVEL=VALUE");
    app.add_option("--target", o.target, "What-if: the target (an amount with --order-value, else a count)");
    app.add_option("--stages", o.stages,
                   "What-if: stages from first to last with the rate into each, e.g. "
                   "leads,opportunities=85%,drafts=30%,orders=40%,deliveries=95%");
    app.add_option("--target-stage", o.target_stage, "What-if: the stage the target counts (default: the last)");
    app.add_option("--order-value", o.order_value, "What-if: the amount one unit of the target stage brings");
    add_threads_option(app, o.threads, "Threads to compute on (default: the cores; the output is the same)");
    add_format_option(app, o.format, "table, csv, tsv, json, ndjson, markdown or xlsx (default: table, or from -o)");
    app.add_option("-o,--output", o.output, "Write to this file (atomically) instead of standard output");
    add_force_flag(app, o.force);
}

namespace {

// "30%" as a ratio. A bare "0.3" could be 30 % or 0.3 %: refused, naming both (as in plans).
Decimal parse_ratio(const std::string& text, const std::string& what) {
    std::string t = text;
    bool percent = !t.empty() && t.back() == '%';
    if (percent) t.pop_back();
    auto d = parse_decimal(t);
    if (!d) throw Error::usage(fmt::format("{}: not a rate: \"{}\"", what, text), "write a percentage such as \"30%\"");
    if (percent) {
        d->scale += 2;
    } else if (!d->is_zero()) {
        Decimal as_ratio{d->mantissa, d->scale - 2};
        if (as_ratio.scale < 0) as_ratio = Decimal{d->mantissa * pow10_wide(-as_ratio.scale), 0};
        throw Error::usage(fmt::format("{}: {} can be read two ways: as a percentage ({}%) or as a ratio ({}%)", what,
                                       text, format_decimal(*d), format_decimal(as_ratio)),
                           fmt::format("write the one you mean with a percent sign: {}% or {}%", format_decimal(*d),
                                       format_decimal(as_ratio)));
    }
    return *d;
}

// The funnel of a what-if, checked as a plan's would be.
Funnel what_if(const FunnelOptions& o) {
    Funnel f;
    std::vector<std::string> ids;
    for (const auto& token : split_commas(o.stages)) {
        FunnelStage stage;
        auto eq = token.find('=');
        stage.id = token.substr(0, eq);
        if (eq != std::string::npos) {
            stage.rate = parse_ratio(token.substr(eq + 1), "--stages " + stage.id);
            if (ids.empty()) throw Error::usage("--stages: the first stage has no conversion rate");
            if (stage.rate.is_zero() || Decimal{1, 0} < stage.rate)
                throw Error::usage(fmt::format("--stages {}: a conversion rate is above 0% and at most 100%", token));
        } else if (!ids.empty()) {
            throw Error::usage(fmt::format("--stages {}: needs a rate, e.g. {}=30%", token, token));
        }
        if (stage.id.empty()) throw Error::usage("--stages: a stage without a name");
        ids.push_back(stage.id);
        f.stages.push_back(stage);
    }
    if (f.stages.size() < 2) throw Error::usage("--stages: at least two stages", "e.g. --stages leads,orders=10%");
    f.target_stage = f.stages.size() - 1;
    if (!o.target_stage.empty()) {
        auto it = std::find(ids.begin(), ids.end(), o.target_stage);
        if (it == ids.end())
            throw Error::usage(
                fmt::format("--target-stage {}: not one of the stages ({})", o.target_stage, fmt::join(ids, ", ")));
        f.target_stage = static_cast<std::size_t>(it - ids.begin());
    }
    if (!o.order_value.empty()) {
        auto value = parse_decimal(o.order_value);
        if (!value || !(Decimal{0, 0} < *value))
            throw Error::usage(fmt::format("--order-value {}: not an amount above 0", o.order_value));
        f.order_value = value;
    }
    return f;
}

// Column names: what is needed up to the target stage, what it yields after it.
std::vector<Column> stage_columns(const Funnel& f) {
    std::vector<Column> columns;
    for (std::size_t s = 0; s < f.stages.size(); ++s)
        columns.push_back(Column{s > f.target_stage ? f.stages[s].id + "_expected" : f.stages[s].id, true, 0});
    return columns;
}

std::string rounding_note(const Funnel& f) {
    std::string note = fmt::format(
        "Activity rounds up: {} is ⌈target{}⌉, and each stage before it is ⌈{} ÷ the product of the rates "
        "between⌉, from the target, not stage by stage",
        f.stages[f.target_stage].id, f.order_value ? " ÷ " + format_decimal(*f.order_value) : "",
        f.stages[f.target_stage].id);
    if (f.target_stage + 1 < f.stages.size())
        note += "; stages after it are what it yields, rounded down once (sources share it by largest remainder)";
    if (!f.sources.empty()) note += "; lead sources share the target stage by largest remainder";
    note += ".\n";
    if (funnel_observed(f)) {
        note += "Rates from the observed counts:";
        for (std::size_t s = 1; s < f.stages.size(); ++s)
            note += fmt::format("{} {} {} ÷ {} = {}%", s == 1 ? "" : ",", f.stages[s].id, f.stages[s].observed,
                                f.stages[s - 1].observed,
                                format_fraction_decimal(funnel_fraction(f, f.sources.size(), s) * Fraction(100), 2));
        note += ".\n";
    }
    return note + "\n";
}

// The plan's finest time level, if it splits time at all.
std::optional<TimeLevel> finest_time(const Plan& plan) {
    std::optional<TimeLevel> finest;
    for (const auto& step : plan.steps)
        if (step.kind == Step::Kind::time && (!finest || *finest < step.time)) finest = step.time;
    return finest;
}

// Prints the funnel's counts at a grain finer than the plan splits (see FunnelSpread).
void write_spread(const Plan& plan, Decomposition& decomposition, const SplitRequest& request, TimeLevel fine,
                  TableWriter& writer) {
    const Funnel& f = *plan.funnel;
    const int decimals = plan.metrics[static_cast<std::size_t>(f.metric)].decimals;
    FunnelSpread spread(plan, *request.period, fine);
    std::vector<std::string> member;  // the keys of the rows being gathered, without the period
    std::vector<Cell> cells;
    auto flush = [&] {
        spread.flush([&](const std::string& label, std::size_t src, const std::vector<std::int64_t>& counts) {
            cells.clear();
            for (const auto& key : member)
                cells.push_back(Cell{key, 0, true});
            cells.push_back(Cell{label, 0, true});
            if (!f.sources.empty()) cells.push_back(Cell{f.sources[src].id, 0, true});
            for (auto count : counts)
                cells.push_back(Cell{{}, count, true});
            writer.row(cells);
        });
    };
    decomposition.run(request, [&](const SplitRow& row) {
        std::vector<std::string> keys(row.keys.begin(), row.keys.end() - 1);
        if (keys != member) {
            flush();
            member = std::move(keys);
        }
        auto counts = funnel_counts(f, row.amounts[0], decimals);
        for (std::size_t src = 0; src < counts.size(); ++src)
            spread.add(row.keys.back(), src, counts[src].stages);
    });
    flush();
}

}  // namespace

int run_funnel(const FunnelOptions& o, const Io& io) {
    Format format = choose_format(o.format, o.output, Format::table);
    const bool people = format == Format::table || format == Format::markdown;
    if (o.plan.empty()) {
        if (o.target.empty() || o.stages.empty())
            throw Error::usage("tgt funnel needs a plan, or --target and --stages for a what-if",
                               "tgt funnel --target 10 --stages leads,opportunities=85%,drafts=30%,orders=40%");
        Funnel f = what_if(o);
        auto target = parse_decimal(o.target);
        if (!target) throw Error::usage(fmt::format("--target {}: not an amount", o.target));
        int decimals = std::max(0, target->scale);
        auto minor = to_minor(*target, decimals);
        if (!minor) throw Error::usage(fmt::format("--target {}: too large", o.target));
        Output output(o.output, io);
        if (people) fmt::print(output.stream(), "{}", rounding_note(f));
        std::vector<Column> columns{Column{"target", true, decimals}};
        for (auto& c : stage_columns(f))
            columns.push_back(c);
        RenderOptions options;
        options.totals = false;
        auto writer = make_writer(format, output.stream(), options);
        writer->begin(columns);
        std::vector<Cell> cells{Cell{{}, *minor, true}};
        auto counts = funnel_counts(f, *minor, decimals);
        for (auto count : counts[0].stages)
            cells.push_back(Cell{{}, count, true});
        writer->row(cells);
        writer->end();
        output.commit();
        return exit_ok;
    }

    Plan plan = read_plan(o.plan, io);
    print_diagnostics(io, plan.warnings);
    if (!plan.funnel)
        throw Error::usage(fmt::format("{}: the plan has no \"funnel\"", o.plan),
                           "declare one (see README), or give --target and --stages for a what-if");
    Output output(o.output, io, plan_inputs(o.plan, plan), o.force);
    const Funnel& f = *plan.funnel;
    const Metric& metric = plan.metrics[static_cast<std::size_t>(f.metric)];
    Decomposition decomposition(plan);
    SplitRequest request;
    request.by = split_commas(o.by);
    // A grain finer than the plan splits: counts at the plan's finest level, spread over working days.
    const std::optional<TimeLevel> finest = finest_time(plan);
    const bool spread = o.period && finest && *finest < *o.period;
    request.period = spread ? finest : o.period;
    request.where = parse_filters(o.where);
    request.metrics = {metric.id};
    request.threads = thread_count(o.threads);
    SplitLayout layout = decomposition.layout(request);

    std::vector<Column> columns;
    for (const auto& k : layout.key_columns)
        columns.push_back(Column{k, false, 0});
    if (!f.sources.empty()) columns.push_back(Column{"source", false, 0});
    if (!spread) columns.push_back(Column{metric.id, true, metric.decimals});
    for (auto& c : stage_columns(f))
        columns.push_back(c);
    if (people) fmt::print(output.stream(), "{}", rounding_note(f));
    if (people && spread)
        fmt::print(output.stream(),
                   "Per {}: each {}'s counts fall on its working days (the first k of n owe count × k ÷ n, "
                   "rounded); the plan splits {} no finer than {}.\n\n",
                   time_level_name(*o.period), time_level_name(*finest), metric.id, time_level_name(*finest));
    RenderOptions options;
    options.stable_text = true;
    auto writer = make_writer(format, output.stream(), options);
    writer->begin(columns);
    if (spread) {
        write_spread(plan, decomposition, request, *o.period, *writer);
        writer->end();
        output.commit();
        return exit_ok;
    }
    std::vector<Cell> cells;
    decomposition.run(request, [&](const SplitRow& row) {
        auto counts = funnel_counts(f, row.amounts[0], metric.decimals);
        for (std::size_t src = 0; src < counts.size(); ++src) {
            cells.clear();
            for (auto key : row.keys)
                cells.push_back(Cell{key, 0, true});
            if (!f.sources.empty()) cells.push_back(Cell{f.sources[src].id, 0, true});
            // With sources the target is shown once, on the first source's row, so totals add up.
            cells.push_back(Cell{{}, src == 0 ? row.amounts[0] : 0, src == 0});
            for (auto count : counts[src].stages)
                cells.push_back(Cell{{}, count, true});
            writer->row(cells);
        }
    });
    writer->end();
    output.commit();
    return exit_ok;
}

}  // namespace tgt::cli
