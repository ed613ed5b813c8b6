// RpcExecutor: runs tasks on its workers, refuses beyond its queue, drains on Shutdown.
#include "common/rpc_executor.h"

#include <algorithm>
#include <atomic>
#include <thread>

#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"

namespace revisit {
namespace {

TEST(RpcExecutorTest, RunsTasksOnItsWorkers) {
  RpcExecutor executor({2, 8});
  EXPECT_EQ(executor.workers(), 2);
  absl::Notification done;
  std::thread::id ran_on;
  ASSERT_TRUE(executor.TrySubmit([&] {
    ran_on = std::this_thread::get_id();
    done.Notify();
  }));
  done.WaitForNotification();
  EXPECT_NE(ran_on, std::this_thread::get_id());
}

TEST(RpcExecutorTest, RefusesWhenTheQueueIsFull) {
  RpcExecutor executor({1, 2});
  absl::Notification started, release;
  ASSERT_TRUE(executor.TrySubmit([&] {
    started.Notify();
    release.WaitForNotification();
  }));
  started.WaitForNotification();  // the one worker is busy, the queue is empty
  std::atomic<int> ran{0};
  EXPECT_TRUE(executor.TrySubmit([&] { ++ran; }));
  EXPECT_TRUE(executor.TrySubmit([&] { ++ran; }));
  EXPECT_EQ(executor.queued(), 2);
  EXPECT_FALSE(executor.TrySubmit([&] { ran += 100; })) << "a third waiting task is refused";
  release.Notify();
  executor.Shutdown();
  EXPECT_EQ(ran.load(), 2);
}

TEST(RpcExecutorTest, ShutdownRunsWhatIsQueuedThenRefuses) {
  RpcExecutor executor({1, 1 << 30});
  absl::Notification started, release;
  ASSERT_TRUE(executor.TrySubmit([&] {
    started.Notify();
    release.WaitForNotification();
  }));
  started.WaitForNotification();
  std::atomic<int> ran{0};
  for (int i = 0; i < 50; ++i) ASSERT_TRUE(executor.TrySubmit([&] { ++ran; }));
  std::thread stopper([&] { executor.Shutdown(); });
  // Until Shutdown begins a task is still taken (the queue is never full here); from
  // then on every one is refused.
  int accepted_late = 0;
  while (executor.TrySubmit([&] { ++ran; })) ++accepted_late;
  EXPECT_FALSE(executor.TrySubmit([&] { ran += 1000; }));
  release.Notify();
  stopper.join();
  EXPECT_EQ(ran.load(), 50 + accepted_late) << "every queued task ran before the workers stopped";
  EXPECT_EQ(executor.queued(), 0);
  EXPECT_FALSE(executor.TrySubmit([] {}));
  executor.Shutdown();  // idempotent
}

TEST(RpcExecutorTest, ZeroWorkersMeansTwiceTheCoresAndAtLeastEight) {
  EXPECT_EQ(DefaultRpcWorkers(3), 3);
  int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  EXPECT_EQ(DefaultRpcWorkers(0), std::max(8, 2 * cores));
}

}  // namespace
}  // namespace revisit
