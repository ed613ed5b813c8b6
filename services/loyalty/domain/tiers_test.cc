// L3 tiers: rolling 12-month spend, thresholds, grace period before a downgrade.
#include "services/loyalty/domain/tiers.h"

#include <gtest/gtest.h>

#include "services/loyalty/domain/account.h"
#include "services/loyalty/domain/testing/account_test_data.h"

namespace revisit::loyalty {
namespace {

using testing::Complete;
using testing::Day;
using testing::Has;
using testing::Order;

TEST(TierForSpendTest, ThresholdsL3) {
  LoyaltyRules rules;
  struct Case { int64_t spend; v1::Tier want; } cases[] = {
      {0, v1::TIER_REGULAR},         {199999, v1::TIER_REGULAR}, {200000, v1::TIER_SILVER},
      {999999, v1::TIER_SILVER},     {1000000, v1::TIER_GOLD},   {4999999, v1::TIER_GOLD},
      {5000000, v1::TIER_PLATINUM},  {900000000, v1::TIER_PLATINUM},
  };
  for (const auto& c : cases) EXPECT_EQ(TierForSpend(c.spend, rules), c.want) << c.spend;
}

TEST(TierTest, BenefitsAreExplicitDataL3) {
  EXPECT_TRUE(TierBenefits(v1::TIER_REGULAR).empty());
  EXPECT_EQ(TierBenefits(v1::TIER_SILVER), std::vector<v1::Benefit>{v1::BENEFIT_EARLY_PRODUCT_NOTICE});
  auto platinum = TierBenefits(v1::TIER_PLATINUM);
  EXPECT_NE(std::find(platinum.begin(), platinum.end(), v1::BENEFIT_DEDICATED_CONTACT),
            platinum.end());
  EXPECT_NE(std::find(platinum.begin(), platinum.end(), v1::BENEFIT_PRIORITY_COMPLAINT_HANDLING),
            platinum.end());
}

TEST(TierTest, UpgradeAtOnceWithReasonL3) {
  LoyaltyRules rules;
  auto a = NewAccount("cus-1");
  Effects e;
  ASSERT_TRUE(Complete(a, "o1", 1200000, 0, rules, e).ok());
  EXPECT_EQ(a.tier(), v1::TIER_GOLD);
  ASSERT_TRUE(Has(e, "tier_changed"));
  EXPECT_NE(a.tier_reason().find("gold threshold 10000.00 CNY"), std::string::npos) << a.tier_reason();
  // Points of the upgrading order use the tier held before it (regular).
  EXPECT_EQ(a.points_pending(), 12000);
}

TEST(TierTest, RollingWindowThenGraceThenDowngradeL3) {
  LoyaltyRules rules;
  auto a = NewAccount("cus-1");
  Effects e;
  ASSERT_TRUE(Complete(a, "o1", 300000, 0, rules, e).ok());
  EXPECT_EQ(a.tier(), v1::TIER_SILVER);
  EXPECT_EQ(NextTierCheck(a, Day(1), rules), Day(365) + absl::Milliseconds(1));

  Effects e2;
  Review(a, Day(366), rules, e2);  // spend left the window: grace starts, tier holds
  EXPECT_EQ(a.tier(), v1::TIER_SILVER);
  EXPECT_EQ(FromMs(a.downgrade_at_ms()), Day(366 + 90));
  EXPECT_FALSE(Has(e2, "tier_changed"));
  EXPECT_NE(a.tier_reason().find("downgrade to regular"), std::string::npos) << a.tier_reason();

  Effects e3;
  Review(a, Day(366 + 89), rules, e3);
  EXPECT_EQ(a.tier(), v1::TIER_SILVER);
  Review(a, Day(366 + 90), rules, e3);
  EXPECT_EQ(a.tier(), v1::TIER_REGULAR);
  ASSERT_TRUE(Has(e3, "tier_changed"));
  EXPECT_NE(a.tier_reason().find("grace period ended"), std::string::npos);
  EXPECT_EQ(a.downgrade_at_ms(), 0);
}

TEST(TierTest, SpendRecoveryCancelsPendingDowngradeL3) {
  LoyaltyRules rules;
  auto a = NewAccount("cus-1");
  Effects e;
  ASSERT_TRUE(Complete(a, "o1", 300000, 0, rules, e).ok());
  Review(a, Day(400), rules, e);
  ASSERT_NE(a.downgrade_at_ms(), 0);
  ASSERT_TRUE(Complete(a, "o2", 250000, 420, rules, e).ok());
  EXPECT_EQ(a.tier(), v1::TIER_SILVER);
  EXPECT_EQ(a.downgrade_at_ms(), 0);
  EXPECT_NE(a.tier_reason().find("recovered"), std::string::npos);
}

TEST(TierTest, RefundCanStartAGracePeriodL3) {
  LoyaltyRules rules;
  auto a = NewAccount("cus-1");
  Effects e;
  ASSERT_TRUE(Complete(a, "o1", 250000, 0, rules, e).ok());
  ASSERT_EQ(a.tier(), v1::TIER_SILVER);
  ASSERT_TRUE(OnOrderRefunded(a, Order("o1", 250000, Day(1)),
                              testing::RefundOf("r1", 100000, Day(1)), "ev2", Day(1), rules, e)
                  .ok());
  EXPECT_EQ(RollingSpend(a, Day(1), rules), 150000);
  EXPECT_EQ(a.tier(), v1::TIER_SILVER);
  EXPECT_EQ(FromMs(a.downgrade_at_ms()), Day(91));
}

}  // namespace
}  // namespace revisit::loyalty
