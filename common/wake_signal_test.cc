#include "common/wake_signal.h"

#include <algorithm>
#include <string>
#include <thread>
#include <vector>

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

TEST(WakeSignalTest, ChangedSinceNamesOnlyTheKeysNotifiedAfterSeen) {
  WakeSignal s;
  s.Notify({"order:{order:01}:outbox"});
  const uint64_t seen = s.generation();
  s.Notify({"order:{order:02}:outbox", "order:{order:03}:outbox"});
  s.Notify();  // a notification without keys names none
  auto keys = s.ChangedSince(seen);
  std::sort(keys.begin(), keys.end());
  EXPECT_EQ(keys, (std::vector<std::string>{"order:{order:02}:outbox", "order:{order:03}:outbox"}));
  EXPECT_TRUE(s.ChangedSince(s.generation()).empty());
}

}  // namespace
}  // namespace revisit
