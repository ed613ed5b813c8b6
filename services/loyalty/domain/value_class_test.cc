// L1 value classes by cumulative share of spend (70/20/10).
#include "services/loyalty/domain/value_class.h"

#include <gtest/gtest.h>

#include <random>

namespace revisit::loyalty {
namespace {

std::string Letters(const std::vector<ClassAssignment>& v) {
  std::string s;
  for (const auto& a : v) s += ClassLetter(a.value_class);
  return s;
}

TEST(ValueClassTest, CumulativeShareSplitL1) {
  LoyaltyRules rules;
  struct Case { std::vector<int64_t> spend; std::string want; } cases[] = {
      // Total 100: 60 starts at 0% (A), 15 at 60% (A), 10 at 75% (B), 10 at 85% (B),
      // 5 at 95% (C).
      {{60, 15, 10, 10, 5}, "AABBC"},
      // Input order does not matter.
      {{5, 10, 60, 10, 15}, "CBABA"},
      // One whale: everyone else starts after 90%.
      {{1000, 1, 1, 1}, "ACCC"},
      // Zero spend is always C, even if everyone has zero.
      {{0, 0}, "CC"},
      {{100, 0}, "AC"},
      {{}, ""},
  };
  for (const auto& c : cases) EXPECT_EQ(Letters(ClassifyAbc(c.spend, rules)), c.want);
}

TEST(ValueClassTest, EqualSpendSharesAClassL1) {
  LoyaltyRules rules;
  // Ten equal customers: the group starts at 0%, so all are A.
  EXPECT_EQ(Letters(ClassifyAbc(std::vector<int64_t>(10, 7), rules)), "AAAAAAAAAA");
  auto r = ClassifyAbc({50, 20, 20, 10}, rules);
  // Both 20s start at 50% (< 70%): A together, although the second passes 70%;
  // the 10 starts at 90%: C.
  EXPECT_EQ(Letters(r), "AAAC");
}

TEST(ValueClassTest, RanksAndReasons) {
  LoyaltyRules rules;
  auto r = ClassifyAbc({10, 80, 10}, rules);
  EXPECT_EQ(r[1].rank, 1);
  EXPECT_EQ(r[0].rank, 2);
  EXPECT_EQ(r[2].rank, 2);
  EXPECT_EQ(r[0].share_before_bp, 8000);
  EXPECT_EQ(ClassReason(r[0], 3, rules),
            "class B: rank 2 of 3; customers ranked above make 80.00% of spend; A is the top 70%, "
            "B the next 20% (L1)");
}

TEST(ValueClassTest, ConfigurableSplitL1) {
  LoyaltyRules rules;
  rules.a_share_pct = 50;
  rules.b_share_pct = 30;
  // The two 10s start at 75% (< 80%): B together.
  EXPECT_EQ(Letters(ClassifyAbc({60, 15, 10, 10, 5}, rules)), "ABBBC");
}

TEST(ValueClassTest, ParetoPopulationHasFewAManyC) {
  LoyaltyRules rules;
  std::mt19937_64 rng(7);
  std::lognormal_distribution<double> dist(8.0, 1.5);
  std::vector<int64_t> spend(100000);
  for (auto& s : spend) s = static_cast<int64_t>(dist(rng));
  auto r = ClassifyAbc(spend, rules);
  int64_t counts[4] = {0, 0, 0, 0};
  for (const auto& a : r) counts[a.value_class]++;
  EXPECT_LT(counts[v1::VALUE_CLASS_A], counts[v1::VALUE_CLASS_C]);
  EXPECT_GT(counts[v1::VALUE_CLASS_A], 0);
}

}  // namespace
}  // namespace revisit::loyalty
