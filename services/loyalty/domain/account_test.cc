// Account decisions: L6 referrals, O7 perks, L8 pass, cancellation, review timing.
#include "services/loyalty/domain/account.h"

#include <gtest/gtest.h>

#include "services/loyalty/domain/ledger.h"
#include "services/loyalty/domain/testing/account_test_data.h"

namespace revisit::loyalty {
namespace {

using testing::Day;
using testing::Has;
using testing::Order;
using testing::Registered;

TEST(ReferralTest, RewardOnFirstCompletedOrderOnlyL6) {
  LoyaltyRules rules;
  auto a = NewAccount("cus-1");
  Effects e;
  OnCustomerRegistered(a, Registered("cus-1", "cus-old"), Day(0), rules, e);
  EXPECT_EQ(a.referrer_id(), "cus-old");
  ASSERT_TRUE(OnOrderCompleted(a, Order("o1", 10000, Day(1)), "ev1", Day(1), rules, e).ok());
  ASSERT_TRUE(e.referral.has_value());
  EXPECT_EQ(e.referral->referrer_id, "cus-old");
  EXPECT_EQ(e.referral->points, 500);
  Effects e2;
  ASSERT_TRUE(OnOrderCompleted(a, Order("o2", 10000, Day(5)), "ev2", Day(5), rules, e2).ok());
  EXPECT_FALSE(e2.referral.has_value());

  auto referrer = NewAccount("cus-old");
  Effects r;
  ApplyReferralReward(referrer, *e.referral, Day(1), r);
  EXPECT_EQ(referrer.points_available(), 500);
  EXPECT_EQ(r.entries.at(0).source_id(), "referral:cus-1");
  EXPECT_TRUE(Has(r, "referral_rewarded"));
}

TEST(ReferralTest, SelfReferralRefusedL6) {
  LoyaltyRules rules;
  auto a = NewAccount("cus-1");
  Effects e;
  OnCustomerRegistered(a, Registered("cus-1", "cus-1"), Day(0), rules, e);
  EXPECT_TRUE(a.referrer_id().empty());
  EXPECT_NE(a.referral_note().find("self-referral refused"), std::string::npos);
  ASSERT_TRUE(OnOrderCompleted(a, Order("o1", 10000, Day(1)), "ev1", Day(1), rules, e).ok());
  EXPECT_FALSE(e.referral.has_value());
}

TEST(ReferralTest, NotFirstOrderRefusedL6) {
  LoyaltyRules rules;
  auto a = NewAccount("cus-1");
  Effects e;
  ASSERT_TRUE(OnOrderCompleted(a, Order("o1", 10000, Day(1)), "ev1", Day(1), rules, e).ok());
  OnCustomerRegistered(a, Registered("cus-1", "cus-old"), Day(2), rules, e);
  EXPECT_TRUE(a.referrer_id().empty());
  EXPECT_NE(a.referral_note().find("after the first completed order"), std::string::npos);
  ASSERT_TRUE(OnOrderCompleted(a, Order("o2", 10000, Day(3)), "ev2", Day(3), rules, e).ok());
  EXPECT_FALSE(e.referral.has_value());
}

TEST(ReferralTest, RegistrationIsRecordedOnce) {
  LoyaltyRules rules;
  auto a = NewAccount("cus-1");
  Effects e;
  OnCustomerRegistered(a, Registered("cus-1", "cus-old"), Day(0), rules, e);
  OnCustomerRegistered(a, Registered("cus-1", "cus-other"), Day(0), rules, e);
  EXPECT_EQ(a.referrer_id(), "cus-old");
}

TEST(PerksTest, ParcelGiftForRepeatCustomersO7) {
  LoyaltyRules rules;
  auto a = NewAccount("cus-1");
  auto first = DecidePerks(a, Day(0));
  EXPECT_FALSE(first.parcel_gift());
  EXPECT_EQ(first.tier(), v1::TIER_REGULAR);
  Effects e;
  ASSERT_TRUE(OnOrderCompleted(a, Order("o1", 1200000, Day(1)), "ev1", Day(1), rules, e).ok());
  auto again = DecidePerks(a, Day(2));
  EXPECT_TRUE(again.parcel_gift());
  EXPECT_EQ(again.tier(), v1::TIER_GOLD);
  EXPECT_NE(again.reason().find("repeat customer"), std::string::npos);
}

TEST(PerksTest, FreeShippingPassL8) {
  auto a = NewAccount("cus-1");
  a.set_free_shipping_until_ms(ToMs(Day(365)));
  EXPECT_TRUE(HasFreeShipping(a, Day(364)));
  EXPECT_FALSE(HasFreeShipping(a, Day(365)));
  a.set_free_shipping_lifetime(true);
  auto b = CurrentBenefits(a, Day(9999));
  EXPECT_NE(std::find(b.begin(), b.end(), v1::BENEFIT_FREE_SHIPPING), b.end());
}

TEST(AccountTest, CancelledCompletedOrderIsReversedInFull) {
  LoyaltyRules rules;
  auto a = NewAccount("cus-1");
  Effects e;
  ASSERT_TRUE(OnOrderCompleted(a, Order("o1", 10000, Day(0)), "ev1", Day(0), rules, e).ok());
  ASSERT_TRUE(OnOrderCancelled(a, Order("o1", 10000, Day(1)), "ev2", Day(1), rules, e).ok());
  EXPECT_EQ(a.points_pending(), 0);
  ASSERT_TRUE(OnOrderCancelled(a, Order("o1", 10000, Day(1)), "ev2", Day(1), rules, e).ok());
  EXPECT_EQ(a.points_pending(), 0);
}

TEST(AccountTest, CancelledBeforeCompletionNeverEarns) {
  LoyaltyRules rules;
  auto a = NewAccount("cus-1");
  Effects e;
  ASSERT_TRUE(OnOrderCancelled(a, Order("o1", 10000, Day(0)), "ev1", Day(0), rules, e).ok());
  ASSERT_TRUE(OnOrderCompleted(a, Order("o1", 10000, Day(1)), "ev2", Day(1), rules, e).ok());
  EXPECT_EQ(a.points_pending(), 0);
  EXPECT_EQ(a.completed_orders(), 0);
}

TEST(AccountTest, ForeignCurrencyIsRefused) {
  LoyaltyRules rules;
  auto a = NewAccount("cus-1");
  auto o = Order("o1", 10000, Day(0));
  o.mutable_paid()->set_currency("USD");
  Effects e;
  EXPECT_EQ(OnOrderCompleted(a, o, "ev1", Day(0), rules, e).code(),
            absl::StatusCode::kInvalidArgument);
  o.set_order_id("");
  EXPECT_EQ(OnOrderCompleted(a, o, "ev1", Day(0), rules, e).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(AccountTest, NextReviewIsTheEarliestDueDecision) {
  LoyaltyRules rules;
  auto a = NewAccount("cus-1");
  EXPECT_EQ(NextReviewAt(a, Day(0), rules), Day(1));  // review_interval
  Effects e;
  ASSERT_TRUE(OnOrderCompleted(a, Order("o1", 10000, Day(0)), "ev1", Day(0), rules, e).ok());
  rules.review_interval = absl::Hours(24 * 30);
  EXPECT_EQ(NextReviewAt(a, Day(0), rules), Day(7));  // release
}

TEST(AccountTest, ProfileCarriesReasons) {
  LoyaltyRules rules;
  auto a = NewAccount("cus-1");
  Effects e;
  ASSERT_TRUE(OnOrderCompleted(a, Order("o1", 300000, Day(0)), "ev1", Day(0), rules, e).ok());
  auto p = BuildProfile(a, Day(1), rules);
  EXPECT_EQ(p.tier(), v1::TIER_SILVER);
  EXPECT_FALSE(p.tier_reason().empty());
  EXPECT_FALSE(p.segment_reason().empty());
  EXPECT_FALSE(p.lifetime_value_reason().empty());
  EXPECT_FALSE(p.churn_reason().empty());
  EXPECT_EQ(p.spend_12m().amount_minor(), 300000);
  EXPECT_EQ(p.points_pending(), 3000);
  EXPECT_EQ(p.completed_orders(), 1);
}

}  // namespace
}  // namespace revisit::loyalty
