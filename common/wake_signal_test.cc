#include "common/wake_signal.h"

#include <algorithm>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace revisit {
namespace {

std::vector<std::string> Sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

TEST(WakeSignalTest, ANotifyBeforeTheWaitIsNotLost) {
  WakeSignal s;
  auto w = s.Register();
  w->Take();
  s.Notify();  // committed between a pass and its wait
  EXPECT_TRUE(w->Wait(absl::Hours(1)));
}

TEST(WakeSignalTest, WithoutANotifyTheWaitEndsAtItsBound) {
  WakeSignal s;
  auto w = s.Register();
  EXPECT_FALSE(w->Wait(absl::ZeroDuration()));
}

TEST(WakeSignalTest, ANotifyFromAnotherThreadWakesTheWaiter) {
  WakeSignal s;
  auto w = s.Register();
  std::thread notifier([&] { s.Notify(); });
  EXPECT_TRUE(w->Wait(absl::Hours(1)));
  notifier.join();
}

// Many commits before a pass starts: one wake, one pass naming every stream once.
TEST(WakeSignalTest, CommitsBeforeAPassCoalesceIntoThatPass) {
  WakeSignal s;
  auto w = s.Register();
  for (int i = 0; i < 100; ++i) s.Notify({i % 2 ? "outbox:{01}" : "outbox:{02}"});
  EXPECT_TRUE(w->Wait(absl::ZeroDuration()));
  EXPECT_EQ(Sorted(w->Take()), (std::vector<std::string>{"outbox:{01}", "outbox:{02}"}));
  // The pass covered them all: no second pass for any of the 100.
  EXPECT_FALSE(w->Wait(absl::ZeroDuration()));
  EXPECT_TRUE(w->Take().empty());
}

// Commits during a pass are recorded for exactly one further pass.
TEST(WakeSignalTest, CommitsDuringAPassCauseExactlyOneMorePass) {
  WakeSignal s;
  auto w = s.Register();
  s.Notify({"outbox:{01}"});
  EXPECT_EQ(w->Take(), std::vector<std::string>{"outbox:{01}"});  // pass 1 starts
  s.Notify({"outbox:{03}"});
  s.Notify({"outbox:{03}", "outbox:{04}"});
  EXPECT_TRUE(w->Wait(absl::ZeroDuration()));
  EXPECT_EQ(Sorted(w->Take()), (std::vector<std::string>{"outbox:{03}", "outbox:{04}"}));
  EXPECT_FALSE(w->Wait(absl::ZeroDuration()));
}

TEST(WakeSignalTest, EveryWaiterSeesEveryNotification) {
  WakeSignal s;
  auto a = s.Register();
  auto b = s.Register();
  s.Notify({"k"});
  EXPECT_EQ(a->Take(), std::vector<std::string>{"k"});
  EXPECT_TRUE(b->Wait(absl::ZeroDuration()));
  EXPECT_EQ(b->Take(), std::vector<std::string>{"k"});
  a.reset();  // unregisters; notifying goes on for the others
  s.Notify();
  EXPECT_TRUE(b->Wait(absl::ZeroDuration()));
}

TEST(WakeSignalTest, ATimerDueAfterTheKnownEarliestWakesNothing) {
  WakeSignal s;
  auto w = s.Register();
  w->Take();
  s.NotifyDue(5'000);
  s.NotifyDue(9'000);
  EXPECT_FALSE(w->Wait(absl::ZeroDuration(), /*wake_below=*/5'000));
  EXPECT_FALSE(w->Wait(absl::ZeroDuration(), /*wake_below=*/4'000));
}

TEST(WakeSignalTest, ATimerDueBeforeTheKnownEarliestWakes) {
  WakeSignal s;
  auto w = s.Register();
  w->Take();
  s.NotifyDue(9'000);
  s.NotifyDue(3'000);
  EXPECT_TRUE(w->Wait(absl::ZeroDuration(), /*wake_below=*/5'000));
  // Not knowing the earliest (kAnyDue), any scheduled timer wakes.
  EXPECT_TRUE(w->Wait(absl::ZeroDuration()));
  w->Take();
  EXPECT_FALSE(w->Wait(absl::ZeroDuration()));
}

TEST(WakeSignalTest, APlainNotifyWakesWhateverTheEarliest) {
  WakeSignal s;
  auto w = s.Register();
  w->Take();
  s.Notify();  // Stop()
  EXPECT_TRUE(w->Wait(absl::ZeroDuration(), /*wake_below=*/0));
}

}  // namespace
}  // namespace revisit
