// Funnels: the activity a target takes, rounded up once from the target stage, per lead source.
#include <catch2/catch.hpp>

#include <random>

#include "plan_problems.hpp"
#include "tgt/fraction.hpp"
#include "tgt/funnel.hpp"
#include "tgt/plan.hpp"

using namespace tgt;

namespace {

Funnel dealer() {
    Funnel f;
    f.stages = {{"leads", "线索", {1, 0}},
                {"opportunities", "商机", {85, 2}},
                {"drafts", "草签", {30, 2}},
                {"orders", "订单", {40, 2}},
                {"deliveries", "交车", {95, 2}}};
    f.target_stage = 3;
    return f;
}

}  // namespace

TEST_CASE("funnel: DOMAIN.md example 8, 10 orders take 99 leads, computed from the target") {
    Funnel f = dealer();
    auto counts = funnel_counts(f, 10, 0);
    REQUIRE(counts.size() == 1);
    // ⌈10 ÷ 0.102⌉ = 99 leads; ⌈10 ÷ 0.12⌉ = 84; ⌈10 ÷ 0.4⌉ = 25; ⌊10 × 0.95⌋ = 9 deliveries.
    // Stage by stage from the bottom would ask for ⌈⌈25 ÷ 0.3⌉ ÷ 0.85⌉ = ⌈84 ÷ 0.85⌉ = 99 here, more elsewhere.
    CHECK(counts[0].stages == std::vector<std::int64_t>{99, 84, 25, 10, 9});
    f.order_value = Decimal{150000, 0};  // 15万 an order: 143万 takes ⌈9.53⌉ = 10 orders
    CHECK(funnel_counts(f, 143'000'000, 2)[0].stages[3] == 10);
    CHECK(funnel_counts(f, 0, 2)[0].stages == std::vector<std::int64_t>{0, 0, 0, 0, 0});
    CHECK(funnel_counts(f, -500, 2)[0].stages[0] == 0);  // returns need no activity
}

TEST_CASE("funnel: every count is the least that still reaches the target stage, for any rates") {
    std::mt19937 random(8);
    for (int round = 0; round < 2000; ++round) {
        Funnel f;
        std::size_t n = 2 + random() % 5;
        f.stages.push_back({"s0", "", {1, 0}});
        for (std::size_t s = 1; s < n; ++s)
            f.stages.push_back({"s" + std::to_string(s), "", {static_cast<Wide>(1 + random() % 10000), 4}});
        f.target_stage = random() % n;
        if (random() % 2) f.order_value = Decimal{static_cast<Wide>(1 + random() % 100000), 2};
        int sources = static_cast<int>(random() % 3);
        for (int i = 0; i < sources; ++i) {
            LeadSource src;
            src.id = "src" + std::to_string(i);
            src.share = Decimal{i + 1 == sources ? 100 - 30 * i : 30, 2};
            if (f.target_stage > 0 && random() % 2)
                src.rates.emplace_back(1 + random() % f.target_stage,
                                       Decimal{static_cast<Wide>(1 + random() % 100), 2});
            f.sources.push_back(src);
        }
        Minor target = static_cast<Minor>(random() % 100'000'000);
        auto all = funnel_counts(f, target, 2);
        INFO("round " << round);
        std::int64_t units = 0;
        for (std::size_t src = 0; src < all.size(); ++src) {
            const auto& c = all[src].stages;
            units += c[f.target_stage];
            Fraction through(1);
            for (std::size_t s = f.target_stage; s-- > 0;) {
                through = through * Fraction::of(funnel_rate(f, src, s + 1));
                // Enough: c[s] through the rates reaches the target stage; one fewer does not.
                CHECK(!(Fraction(c[s]) * through < Fraction(c[f.target_stage])));
                if (c[s] > 0) CHECK(Fraction(c[s] - 1) * through < Fraction(c[f.target_stage]));
            }
        }
        // Below the target stage: the exact yields over all sources, rounded down once, each source
        // getting its own yield rounded down or up.
        std::vector<Fraction> yields;
        for (std::size_t src = 0; src < all.size(); ++src)
            yields.emplace_back(all[src].stages[f.target_stage]);
        for (std::size_t s = f.target_stage + 1; s < f.stages.size(); ++s) {
            Fraction total(0);
            std::int64_t shown = 0;
            for (std::size_t src = 0; src < all.size(); ++src) {
                yields[src] = yields[src] * Fraction::of(funnel_rate(f, src, s));
                total = total + yields[src];
                std::int64_t c = all[src].stages[s];
                shown += c;
                CHECK(!(yields[src] < Fraction(c - 1)));  // at most one above its own floor…
                CHECK(Fraction(c - 1) < yields[src]);     // …and never below it
            }
            CHECK(!(total < Fraction(shown)));   // ⌊Σ yields⌋: no more than they yield…
            CHECK(total < Fraction(shown + 1));  // …and all of its whole part
        }
        Fraction needed = Fraction(target, 100) / (f.order_value ? Fraction::of(*f.order_value) : Fraction(1));
        CHECK(!(Fraction(units) < needed));                  // the target stage covers the target…
        if (units > 0) CHECK(Fraction(units - 1) < needed);  // …with nothing to spare
    }
}

TEST_CASE("funnel: bad funnels in a plan are all reported, with hints") {
    std::string all = plan_problems(R"({"period": "2027", "metrics": [{"id": "sales", "total": 100}],
            "dimensions": [{"id": "rep", "members": ["a"]}], "split": [{"level": "rep"}],
            "funnel": {"stages": [{"id": "leads", "rate": "50%"}, {"id": "orders", "rate": "0%"},
                                  {"id": "deliveries", "rate": "120%"}, {"id": "orders", "rate": "10%"}],
                       "sources": [{"id": "a", "share": "60%", "rates": {"ordrs": "20%"}}, {"id": "b", "share": "30%"}]}})",
                                    "funnel.json");
    REQUIRE_FALSE(all.empty());
    CHECK_THAT(all, Catch::Contains("first stage has no conversion rate"));
    CHECK_THAT(all, Catch::Contains("a conversion rate of 0% would need endless activity"));
    CHECK_THAT(all, Catch::Contains("a conversion rate above 100% (120%)"));
    CHECK_THAT(all, Catch::Contains("stage \"orders\" appears twice"));
    CHECK_THAT(all, Catch::Contains("no stage \"ordrs\" in the funnel | did you mean \"orders\"?"));
    CHECK_THAT(all, Catch::Contains("the sources' shares add up to 90%, not 100%"));
    CHECK_THAT(all, Catch::Contains("metric \"sales\" is money: the funnel needs \"order_value\""));
}
