#include "common/wake_signal.h"

#include <thread>

#include "gtest/gtest.h"

namespace revisit {
namespace {

TEST(WakeSignalTest, ANotifyBeforeTheWaitIsNotLost) {
  WakeSignal s;
  const uint64_t seen = s.generation();
  s.Notify();  // committed between a pass and its wait
  EXPECT_TRUE(s.WaitFor(seen, absl::Hours(1)));
}

TEST(WakeSignalTest, WithoutANotifyTheWaitEndsAtItsBound) {
  WakeSignal s;
  EXPECT_FALSE(s.WaitFor(s.generation(), absl::Milliseconds(1)));
}

TEST(WakeSignalTest, ANotifyFromAnotherThreadWakesTheWaiter) {
  WakeSignal s;
  const uint64_t seen = s.generation();
  std::thread notifier([&] { s.Notify(); });
  EXPECT_TRUE(s.WaitFor(seen, absl::Hours(1)));
  notifier.join();
  EXPECT_EQ(s.generation(), seen + 1);
}

}  // namespace
}  // namespace revisit
