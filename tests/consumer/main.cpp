// Uses tgt as a library, no CLI: load a plan, split it, read cells, explain one.
// Usage: consumer PLAN LEVEL — prints "LEVEL,total" rows and checks that they add up.
#include <tgt/decompose.hpp>
#include <tgt/explain.hpp>
#include <tgt/plan.hpp>

#include <cstdio>
#include <string>

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: consumer PLAN LEVEL\n");
        return 2;
    }
    try {
        tgt::Plan plan = tgt::load_plan(argv[1]);
        tgt::Decomposition decomposition(plan);
        tgt::SplitRequest request;
        request.by = {argv[2]};
        tgt::Minor sum = 0;
        std::string first;
        decomposition.run(request, [&](const tgt::SplitRow& row) {
            std::string key(row.keys.back());
            if (first.empty()) first = key;
            std::printf("%s,%s\n", key.c_str(), tgt::format_minor(row.amounts[0], plan.metrics[0].decimals).c_str());
            sum += row.amounts[0];
        });
        if (sum != plan.metrics[0].total) {
            std::fprintf(stderr, "rows add up to %lld, not %lld\n", static_cast<long long>(sum),
                         static_cast<long long>(plan.metrics[0].total));
            return 1;
        }
        tgt::Explanation x = tgt::explain(decomposition, {tgt::Filter{argv[2], first}}, "");
        std::printf("explain %s: %zu step(s), %s\n", first.c_str(), x.steps.size(),
                    tgt::format_minor(x.value, x.decimals).c_str());
        return 0;
    } catch (const tgt::Error& e) {
        for (const auto& d : e.diagnostics())
            std::fprintf(stderr, "error: %s\n", d.message.c_str());
        return 1;
    }
}
