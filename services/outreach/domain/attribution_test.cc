// R12: a refund within the attribution window takes the revisit credit back
// (services/outreach/domain/attribution.h, TakeBackCredit).
#include "services/outreach/domain/attribution.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace revisit::outreach
