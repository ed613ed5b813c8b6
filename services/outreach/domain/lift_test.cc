// Lift with its confidence interval (lift.h, R12).
#include "services/outreach/domain/lift.h"

#include "gtest/gtest.h"

namespace revisit::outreach {
namespace {

TEST(EstimateLiftTest, DifferenceOfRatesWithAWaldInterval) {
  // 30/100 treated vs 20/100 holdout: se = sqrt(.3*.7/100 + .2*.8/100) = 0.0608.
  LiftEstimate e = EstimateLift(100, 30, 100, 20);
  EXPECT_DOUBLE_EQ(e.treated_rate, 0.3);
  EXPECT_DOUBLE_EQ(e.holdout_rate, 0.2);
  EXPECT_NEAR(e.lift, 0.1, 1e-12);
  EXPECT_NEAR(e.low, 0.1 - 1.96 * 0.060827625, 1e-6);
  EXPECT_NEAR(e.high, 0.1 + 1.96 * 0.060827625, 1e-6);
}

TEST(EstimateLiftTest, MoreCustomersNarrowTheInterval) {
  LiftEstimate small = EstimateLift(100, 30, 100, 20);
  LiftEstimate big = EstimateLift(10000, 3000, 10000, 2000);
  EXPECT_NEAR(big.lift, small.lift, 1e-12);
  EXPECT_LT(big.high - big.low, (small.high - small.low) / 5);
  EXPECT_GT(big.low, 0) << "a real lift is told apart from none with enough customers";
  EXPECT_LT(small.low, 0.0) << "...but not with few";
}

TEST(EstimateLiftTest, AnEmptyGroupKnowsNothing) {
  for (LiftEstimate e : {EstimateLift(0, 0, 10, 2), EstimateLift(10, 2, 0, 0)}) {
    EXPECT_EQ(e.low, -1);
    EXPECT_EQ(e.high, 1);
  }
  EXPECT_DOUBLE_EQ(EstimateLift(10, 2, 0, 0).lift, 0.2);
}

TEST(EstimateLiftTest, ClampedToMinusOneOne) {
  LiftEstimate e = EstimateLift(2, 2, 2, 0);
  EXPECT_DOUBLE_EQ(e.lift, 1);
  EXPECT_LE(e.high, 1);
  EXPECT_GE(e.low, -1);
}

}  // namespace
}  // namespace revisit::outreach
