#include "common/clock.h"

#include <gtest/gtest.h>

namespace revisit {
namespace {

TEST(ClockTest, ManualClockMovesOnlyWhenAdvanced) {
  ManualClock clock;
  absl::Time t0 = clock.Now();
  EXPECT_EQ(clock.Now(), t0);
  clock.Advance(absl::Hours(72));
  EXPECT_EQ(clock.Now() - t0, absl::Hours(72));
}

TEST(ClockTest, ScaledClockConvertsDomainToWall) {
  ScaledClock clock(3600, absl::Now());
  EXPECT_EQ(clock.ToWall(absl::Hours(1)), absl::Seconds(1));
  EXPECT_GE(clock.Now(), absl::Now() - absl::Seconds(1));
}

TEST(ClockTest, ScaledClocksWithSameOriginAgree) {
  absl::Time origin = absl::Now() - absl::Seconds(10);
  ScaledClock a(100, origin), b(100, origin);
  EXPECT_LT(absl::AbsDuration(a.Now() - b.Now()), absl::Seconds(5));
  EXPECT_GT(a.Now(), origin + absl::Seconds(999));
}

}  // namespace
}  // namespace revisit
