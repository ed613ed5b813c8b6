// Chaos: the whole loop on a three-broker Kafka cluster that loses brokers under load
// (issue 11). Replication factor 3, min.insync.replicas 2, producers with acks=all
// and idempotence (common/kafka_producer.h).
//
// Several customers' stories (tests/e2e/story.h: order → pay → ship → deliver →
// feedback → complaint → refund → follow-up → revisit) run at once through the public
// gRPC APIs while this thread SIGKILLs the broker that leads most partitions, restarts
// it, then SIGKILLs another and restarts it. Afterwards:
//  - every story finished, and its Verify() holds: each effect exactly once (refund,
//    points reversal, complaint opened, touches scheduled and sent), every expected
//    event type present, per-subject ce_sequence gapless and without doubles;
//  - the invariant checker (tests/harness/invariant_checker.h) finds no ce_sequence
//    gap, inversion or reuse, no conflicting copy, no doubled effect, no entry left
//    in any outbox and every consumer group at the high watermark.
// The fault schedule is fixed (no randomness): which broker dies is decided by the
// cluster's own leadership at that moment, and the log says which one it was.
#include <gtest/gtest.h>

#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/redis_client.h"
#include "tests/chaos/stack_invariants.h"
#include "tests/harness/stack.h"
#include "tests/e2e/story.h"
#include "tests/harness/invariant_checker.h"

namespace revisit::e2e {
namespace {

constexpr int kStories = 4;

StackOptions ChaosOptions() {
  StackOptions o = StoryStackOptions();
  o.kafka_brokers = 3;
  return o;
}

TEST(KafkaBrokerChaosTest, TheLoopLosesNothingWhenBrokersDieUnderLoad) {
  auto started = Stack::Start(ChaosOptions());
  ASSERT_TRUE(started.ok()) << started.status();
  Stack& stack = **started;
  testing::KafkaCluster& kafka = *stack.kafka_cluster();

  // The fault schedule, on this thread (brokers die with the thread that started them);
  // the stories are staggered so faults hit every step.
  StoryRun run = RunStoriesConcurrently(stack, "kchaos", kStories, absl::Milliseconds(700), [&] {
    absl::SleepFor(absl::Seconds(4));
    auto first = kafka.BusiestLeader();
    ASSERT_TRUE(first.ok()) << first.status();
    std::cerr << "[kchaos] SIGKILL broker " << *first << " (leads most partitions)" << std::endl;
    ASSERT_TRUE(kafka.KillBroker(*first).ok());
    absl::SleepFor(absl::Seconds(8));
    std::cerr << "[kchaos] restart broker " << *first << std::endl;
    ASSERT_TRUE(kafka.RestartBroker(*first).ok()) << kafka.Log(*first);
    absl::SleepFor(absl::Seconds(4));
    auto second = kafka.BusiestLeader();
    ASSERT_TRUE(second.ok()) << second.status();
    int victim = *second != *first ? *second : (*first % kafka.brokers()) + 1;
    std::cerr << "[kchaos] SIGKILL broker " << victim << std::endl;
    ASSERT_TRUE(kafka.KillBroker(victim).ok());
    absl::SleepFor(absl::Seconds(8));
    std::cerr << "[kchaos] restart broker " << victim << std::endl;
    ASSERT_TRUE(kafka.RestartBroker(victim).ok()) << kafka.Log(victim);
  });
  ASSERT_FALSE(HasFailure()) << stack.LogTails();
  if (!run.ExpectAllVerified(stack)) return;
  RedisClient redis(stack.StoreOptions());
  testing::InvariantChecker checker(StackCheckerOptions(stack, redis));
  AddStackEffectChecks(checker);
  auto report = checker.AwaitQuiescentThenCheck(absl::Seconds(120));
  ASSERT_TRUE(report.ok()) << report.status() << "\n" << stack.LogTails();
  std::cerr << "[kchaos] " << report->Summary() << std::endl;
  EXPECT_TRUE(report->Clean()) << report->Summary();
  if (HasFailure()) std::cerr << stack.LogTails();
}

}  // namespace
}  // namespace revisit::e2e
