// R12: a refund within the attribution window takes the revisit credit back
// (services/outreach/domain/attribution.h, TakeBackCredit).
#include "services/outreach/domain/attribution.h"

#include <gtest/gtest.h>

#include "services/outreach/domain/touch_decide.h"

namespace revisit::outreach {
namespace {

TEST(TakeBackCreditTest, AFullRefundTakesTheRevisitAndAllItsRevenueR12) {
  CreditTakeBack back = TakeBackCredit(17600, 17600, 17600, 17600);
  EXPECT_TRUE(back.revisit);
  EXPECT_EQ(back.revenue_minor, 17600);
  // The last of several refunds completes it: what is still credited comes back.
  back = TakeBackCredit(8800, 8800, 17600, 17600);
  EXPECT_TRUE(back.revisit);
  EXPECT_EQ(back.revenue_minor, 8800);
  // More refunded than paid (a refund of postage on top): still full, never below zero.
  back = TakeBackCredit(5000, 9000, 20000, 17600);
  EXPECT_TRUE(back.revisit);
  EXPECT_EQ(back.revenue_minor, 5000);
}

TEST(TakeBackCreditTest, APartialRefundReducesRevenueOnlyR12) {
  CreditTakeBack back = TakeBackCredit(17600, 8800, 8800, 17600);
  EXPECT_FALSE(back.revisit);
  EXPECT_EQ(back.revenue_minor, 8800);
  // Never more than is still credited.
  back = TakeBackCredit(1000, 8800, 16600, 17600);
  EXPECT_FALSE(back.revisit);
  EXPECT_EQ(back.revenue_minor, 1000);
  back = TakeBackCredit(0, 100, 100, 17600);
  EXPECT_FALSE(back.revisit);
  EXPECT_EQ(back.revenue_minor, 0);
  back = TakeBackCredit(17600, -5, 0, 17600);  // a malformed amount takes nothing
  EXPECT_EQ(back.revenue_minor, 0);
}

TEST(TakeBackCreditTest, AnOrderNeverPaidIsNeverAFullRefund) {
  CreditTakeBack back = TakeBackCredit(0, 0, 0, 0);
  EXPECT_FALSE(back.revisit);
  EXPECT_EQ(back.revenue_minor, 0);
}

// A mark of spring-tea's touch `touch_id` credited with paid order `order_id`
// (176.00 CNY); `holdout`: the control group's.
store::Mark CreditedMark(const std::string& touch_id, const std::string& order_id,
                         bool holdout = false) {
  store::Mark m;
  m.set_touch_id(touch_id);
  m.set_campaign("spring-tea");
  m.set_holdout(holdout);
  m.set_attributed(true);
  m.set_order_id(order_id);
  m.set_revenue_minor(17600);
  return m;
}

// The decider on the customer's record: the campaign counters go down, the mark is
// uncredited on the full refund, and a second credited order keeps the revisit flag.
TEST(DecideRevisitTakeBackTest, CountersFollowTheRefundsR12) {
  store::CustomerState c;
  *c.add_marks() = CreditedMark("tch-1", "ord-1");
  (*c.mutable_campaign_flags())["spring-tea"] = 1 | 4;  // treated, treated revisit
  EXPECT_FALSE(DecideRevisitTakeBack(c, "ord-other", 100, 100, 17600).has_value());

  auto partial = DecideRevisitTakeBack(c, "ord-1", 5000, 5000, 17600);
  ASSERT_TRUE(partial.has_value());
  ASSERT_EQ(partial->counts.size(), 1u);
  EXPECT_EQ(partial->counts[0].counter, "revenue_minor");
  EXPECT_EQ(partial->counts[0].by, -5000);
  EXPECT_EQ(partial->customer.marks(0).revenue_minor(), 12600);
  EXPECT_TRUE(partial->customer.marks(0).attributed());
  // What attribution_reversed reports: the sent touch, the revenue, the revisit kept.
  EXPECT_EQ(partial->touch_id, "tch-1");
  EXPECT_EQ(partial->revenue_taken_minor, 5000);
  EXPECT_FALSE(partial->revisit_reversed);

  auto full = DecideRevisitTakeBack(partial->customer, "ord-1", 12600, 17600, 17600);
  ASSERT_TRUE(full.has_value());
  ASSERT_EQ(full->counts.size(), 2u);
  EXPECT_EQ(full->counts[0].by, -12600);
  EXPECT_EQ(full->counts[1].counter, "treated_revisits");
  EXPECT_EQ(full->counts[1].by, -1);
  EXPECT_FALSE(full->customer.marks(0).attributed());
  EXPECT_EQ(full->touch_id, "tch-1");
  EXPECT_EQ(full->revenue_taken_minor, 12600);
  EXPECT_TRUE(full->revisit_reversed);
  EXPECT_EQ(full->customer.campaign_flags().at("spring-tea"), 1);
  EXPECT_FALSE(DecideRevisitTakeBack(full->customer, "ord-1", 1, 17600, 17600).has_value());

  // Another credited order of the same campaign keeps the customer's revisit.
  *c.add_marks() = CreditedMark("tch-2", "ord-2");
  auto kept = DecideRevisitTakeBack(c, "ord-1", 17600, 17600, 17600);
  ASSERT_TRUE(kept.has_value());
  ASSERT_EQ(kept->counts.size(), 1u);
  EXPECT_EQ(kept->counts[0].counter, "revenue_minor");
  EXPECT_EQ(kept->customer.campaign_flags().at("spring-tea"), 1 | 4);
}

// A holdout mark's credit is taken back in the counters only: no touch was sent, so
// no attribution_reversed (as no revisit_attributed).
TEST(DecideRevisitTakeBackTest, AHoldoutMarkNamesNoTouchR12) {
  store::CustomerState c;
  *c.add_marks() = CreditedMark("tch-h", "ord-1", /*holdout=*/true);
  auto back = DecideRevisitTakeBack(c, "ord-1", 17600, 17600, 17600);
  ASSERT_TRUE(back.has_value());
  EXPECT_FALSE(back->touch_id.has_value());
  EXPECT_EQ(back->counts[0].counter, "holdout_revenue_minor");
  EXPECT_TRUE(back->revisit_reversed);
}

}  // namespace
}  // namespace revisit::outreach
