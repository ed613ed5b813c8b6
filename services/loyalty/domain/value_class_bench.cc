// L1 micro-benchmark: ABC classification of 1,000,000 synthetic customers with a
// Pareto-like (log-normal) spend distribution. Run: loyalty_value_class_bench.
#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include "services/loyalty/domain/value_class.h"

namespace revisit::loyalty {
namespace {

std::vector<int64_t> Synthetic(int64_t n) {
  std::mt19937_64 rng(42);
  std::lognormal_distribution<double> dist(9.0, 1.6);
  std::vector<int64_t> spend(static_cast<size_t>(n));
  for (auto& s : spend) s = static_cast<int64_t>(dist(rng));
  return spend;
}

void BM_ClassifyAbc(benchmark::State& state) {
  LoyaltyRules rules;
  auto spend = Synthetic(state.range(0));
  for (auto _ : state) {
    auto out = ClassifyAbc(spend, rules);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_ClassifyAbc)->Arg(10000)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace revisit::loyalty

BENCHMARK_MAIN();
