// Scale-out on a real Redis Cluster (issue 12): 3 masters and 3 replicas
// (tests/harness/redis_cluster.h), every service in cluster mode (RedisClient routes
// by slot and follows MOVED/ASK) and every commit acknowledged only once a replica
// has it (REVISIT_REDIS_WAIT_REPLICAS=1).
//
// 1. TheLoopRunsOnACluster: the e2e story, end to end, verified.
// 2. MasterKilledAndSlotsMovedUnderLoad: four stories run the whole loop while this
//    thread SIGKILLs a master (its replica is promoted; no service restarts), brings
//    it back (it rejoins as a replica), then moves a shard's slot to another master
//    (keys migrate; clients meet ASK and MOVED). Afterwards every story is verified
//    and the invariant checker finds nothing lost, doubled, pending or unconsumed.
// The schedule is fixed; which node dies is the one serving order shard 0's slot.
#include <gtest/gtest.h>

#include <iostream>
#include <memory>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/keys.h"
#include "common/redis_client.h"
#include "common/redis_slots.h"
#include "tests/chaos/stack_invariants.h"
#include "tests/harness/stack.h"
#include "tests/e2e/story.h"
#include "tests/harness/invariant_checker.h"

namespace revisit::e2e {
namespace {

constexpr int kStories = 4;

StackOptions ClusterOptions() {
  StackOptions o = StoryStackOptions();
  o.redis_cluster = true;
  return o;
}

void ExpectInvariants(Stack& stack) {
  RedisClient redis(stack.StoreOptions());
  testing::InvariantChecker checker(StackCheckerOptions(stack, redis));
  AddStackEffectChecks(checker);
  auto report = checker.AwaitQuiescentThenCheck(absl::Seconds(120));
  ASSERT_TRUE(report.ok()) << report.status() << "\n" << stack.LogTails();
  std::cerr << "[cluster] " << report->Summary() << std::endl;
  EXPECT_TRUE(report->Clean()) << report->Summary();
}

TEST(RedisClusterTest, TheLoopRunsOnACluster) {
  auto started = Stack::Start(ClusterOptions());
  ASSERT_TRUE(started.ok()) << started.status();
  Story story(**started, "cluster");
  absl::Status st = story.RunAll();
  ASSERT_TRUE(st.ok()) << st << "\n" << (*started)->LogTails();
  story.Verify();
  ExpectInvariants(**started);
}

TEST(RedisClusterChaosTest, MasterKilledAndSlotsMovedUnderLoad) {
  auto started = Stack::Start(ClusterOptions());
  ASSERT_TRUE(started.ok()) << started.status();
  Stack& stack = **started;
  testing::RedisCluster& cluster = *stack.redis_cluster();

  const int slot = KeySlot(ShardKey("order", 0, "x"));
  StoryRun run = RunStoriesConcurrently(stack, "rchaos", kStories, absl::Milliseconds(700), [&] {
    absl::SleepFor(absl::Seconds(4));
    auto victim = cluster.MasterOf(slot);
    ASSERT_TRUE(victim.ok()) << victim.status();
    std::cerr << "[cluster] SIGKILL master " << cluster.node(*victim).Address() << " (slot "
              << slot << ")" << std::endl;
    absl::Time killed = absl::Now();
    ASSERT_TRUE(cluster.KillNode(*victim).ok());
    absl::Status promoted = cluster.AwaitHealthy();
    ASSERT_TRUE(promoted.ok()) << promoted;
    std::cerr << "[cluster] replica promoted, cluster ok after "
              << absl::FormatDuration(absl::Now() - killed) << std::endl;
    absl::SleepFor(absl::Seconds(3));
    ASSERT_TRUE(cluster.RestartNode(*victim).ok());
    absl::Status back = cluster.AwaitHealthy();
    ASSERT_TRUE(back.ok()) << back;
    std::cerr << "[cluster] old master back (as a replica)" << std::endl;
    absl::SleepFor(absl::Seconds(2));
    auto owner = cluster.MasterOf(slot);
    ASSERT_TRUE(owner.ok()) << owner.status();
    auto other = cluster.MasterOf((slot + kClusterSlots / 2) % kClusterSlots);
    ASSERT_TRUE(other.ok()) << other.status();
    ASSERT_NE(*owner, *other);
    std::cerr << "[cluster] moving slot " << slot << " to " << cluster.node(*other).Address()
              << std::endl;
    ASSERT_TRUE(cluster.MoveSlots(slot, slot, *other).ok());
  });
  ASSERT_FALSE(HasFailure()) << stack.LogTails();
  if (!run.ExpectAllVerified(stack)) return;
  ExpectInvariants(stack);
  if (HasFailure()) std::cerr << stack.LogTails();
}

}  // namespace
}  // namespace revisit::e2e
