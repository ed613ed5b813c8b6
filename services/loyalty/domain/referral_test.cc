// L6 referral reversal: the reward is taken back (a ledger entry, never a deletion)
// when the referred customer's first order, the one rewarded, is refunded in full;
// once under redelivery; a partial refund keeps it.
#include <gtest/gtest.h>

#include "services/loyalty/domain/account.h"
#include "services/loyalty/domain/ledger.h"
#include "services/loyalty/domain/testing/account_test_data.h"

namespace revisit::loyalty {
namespace {

using testing::Day;
using testing::Has;
using testing::Order;
using testing::RefundOf;
using testing::ReferredCustomer;
using testing::RewardedReferred;

TEST(ReferralReversalTest, FullRefundOfTheFirstOrderTakesTheRewardBackL6) {
  LoyaltyRules rules;
  auto a = RewardedReferred(rules);
  Effects e;
  ASSERT_TRUE(OnOrderRefunded(a, Order("o1", 10000, Day(1)), RefundOf("rf1", 10000, Day(3)),
                              "ev2", Day(3), rules, e).ok());
  ASSERT_TRUE(e.referral.has_value());
  EXPECT_TRUE(e.referral->reversal);
  EXPECT_EQ(e.referral->referrer_id, "cus-old");
  EXPECT_EQ(e.referral->referred_id, "cus-1");
  EXPECT_EQ(e.referral->order_id, "o1");
  EXPECT_EQ(e.referral->points, 500);
  EXPECT_NE(a.referral_note().find("refunded in full"), std::string::npos);
}

// The referred side keeps no "reversed" flag: a later full-refund fact of the order
// asks for the same reversal again, so the referrer's one dedupe key
// (ReferralDedupeKey: referral_reversal:cus-1) makes it a no-op there
// (store/referral_key_test.cc; with Redis: loyalty_exactly_once_test
// ASecondReversalOfOneReferralIsANoOpL6).
TEST(ReferralReversalTest, ALaterFullRefundAsksForTheSameReversalAgainL6) {
  LoyaltyRules rules;
  auto a = RewardedReferred(rules);
  Effects e1, e2, e3, e4;
  const auto o1 = Order("o1", 10000, Day(1));
  ASSERT_TRUE(OnOrderRefunded(a, o1, RefundOf("rf1", 10000, Day(3)), "ev2", Day(3), rules, e1).ok());
  ASSERT_TRUE(e1.referral.has_value());
  // A redelivered refund is a replay: nothing at all.
  ASSERT_TRUE(OnOrderRefunded(a, o1, RefundOf("rf1", 10000, Day(3)), "ev2", Day(3), rules, e2).ok());
  EXPECT_FALSE(e2.referral.has_value());
  EXPECT_TRUE(e2.entries.empty());
  // Another full refund of the same order: the same reversal, asked again.
  ASSERT_TRUE(OnOrderRefunded(a, o1, RefundOf("rf2", 10000, Day(4)), "ev3", Day(4), rules, e3).ok());
  ASSERT_TRUE(e3.referral.has_value());
  EXPECT_TRUE(e3.referral->reversal);
  EXPECT_EQ(e3.referral->referrer_id, e1.referral->referrer_id);
  EXPECT_EQ(e3.referral->referred_id, e1.referral->referred_id);
  EXPECT_EQ(e3.referral->order_id, e1.referral->order_id);
  EXPECT_EQ(e3.referral->points, e1.referral->points);
  // A cancellation after the full refund reverses nothing more.
  ASSERT_TRUE(OnOrderCancelled(a, o1, "ev4", Day(5), rules, e4).ok());
  EXPECT_FALSE(e4.referral.has_value());
}

TEST(ReferralReversalTest, PartialRefundKeepsTheRewardUntilTheRestIsRefundedL6) {
  LoyaltyRules rules;
  auto a = RewardedReferred(rules);
  Effects e1, e2;
  const auto o1 = Order("o1", 10000, Day(1));
  ASSERT_TRUE(OnOrderRefunded(a, o1, RefundOf("rf1", 9999, Day(3)), "ev2", Day(3), rules, e1).ok());
  EXPECT_FALSE(e1.referral.has_value());
  ASSERT_TRUE(OnOrderRefunded(a, o1, RefundOf("rf2", 1, Day(4)), "ev3", Day(4), rules, e2).ok());
  ASSERT_TRUE(e2.referral.has_value());
  EXPECT_TRUE(e2.referral->reversal);
}

TEST(ReferralReversalTest, RefundOfAnotherOrderKeepsTheRewardL6) {
  LoyaltyRules rules;
  auto a = RewardedReferred(rules);
  Effects e1, e2;
  ASSERT_TRUE(OnOrderCompleted(a, Order("o2", 5000, Day(5)), "ev3", Day(5), rules, e1).ok());
  ASSERT_TRUE(OnOrderRefunded(a, Order("o2", 5000, Day(5)), RefundOf("rf1", 5000, Day(6)), "ev4",
                              Day(6), rules, e2).ok());
  EXPECT_FALSE(e2.referral.has_value());
}

TEST(ReferralReversalTest, CancellationAfterCompletionTakesTheRewardBackL6) {
  LoyaltyRules rules;
  auto a = RewardedReferred(rules);
  Effects e;
  ASSERT_TRUE(OnOrderCancelled(a, Order("o1", 10000, Day(1)), "ev2", Day(2), rules, e).ok());
  ASSERT_TRUE(e.referral.has_value());
  EXPECT_TRUE(e.referral->reversal);
}

TEST(ReferralReversalTest, TheRewardGivenIsTheRewardTakenBackL6) {
  LoyaltyRules rules;
  auto a = RewardedReferred(rules);
  rules.referral_reward_points = 800;  // the rule changed after the reward
  Effects e;
  ASSERT_TRUE(OnOrderRefunded(a, Order("o1", 10000, Day(1)), RefundOf("rf1", 10000, Day(3)),
                              "ev2", Day(3), rules, e).ok());
  ASSERT_TRUE(e.referral.has_value());
  EXPECT_EQ(e.referral->points, 500);
}

TEST(ReferralReversalTest, FirstOrderRefundedInFullBeforeCompletionEarnsNoRewardL6) {
  LoyaltyRules rules;
  auto a = ReferredCustomer(rules);
  Effects e1, e2;
  auto o1 = Order("o1", 10000, Day(2));
  ASSERT_TRUE(OnOrderRefunded(a, o1, RefundOf("rf1", 10000, Day(1)), "ev1", Day(1), rules, e1).ok());
  o1.mutable_refunded()->set_amount_minor(10000);
  ASSERT_TRUE(OnOrderCompleted(a, o1, "ev2", Day(2), rules, e2).ok());
  EXPECT_FALSE(e2.referral.has_value());
  EXPECT_FALSE(a.referral_rewarded());
  EXPECT_NE(a.referral_note().find("no referral reward"), std::string::npos);
}

TEST(ReferralReversalTest, ReferrerGetsAReverseEntryNotADeletionL6) {
  LoyaltyRules rules;
  auto referrer = NewAccount("cus-old");
  Effects r1, r2;
  ReferralReward reward{"cus-old", "cus-1", "o1", 500, false};
  ApplyReferralReward(referrer, reward, Day(1), r1);
  reward.reversal = true;
  ApplyReferralReversal(referrer, reward, Day(3), r2);
  EXPECT_EQ(referrer.points_available(), 0);
  EXPECT_EQ(referrer.ledger_seq(), 2);  // the award stays; the reversal is a new entry
  ASSERT_EQ(r2.entries.size(), 1u);
  EXPECT_EQ(r2.entries[0].kind(), v1::ENTRY_KIND_REVERSE);
  EXPECT_EQ(r2.entries[0].available_delta(), -500);
  EXPECT_EQ(r2.entries[0].source_id(), "referral-reversal:cus-1");
  EXPECT_TRUE(Has(r2, "referral_reversed"));
}

TEST(ReferralReversalTest, ReversalAfterTheRewardWasSpentGoesNegativeL6) {
  auto referrer = NewAccount("cus-old");
  Effects r;
  ApplyReferralReversal(referrer, {"cus-old", "cus-1", "o1", 500, true}, Day(3), r);
  EXPECT_EQ(referrer.points_available(), -500);  // recovered from later earnings (L4)
}

}  // namespace
}  // namespace revisit::loyalty
