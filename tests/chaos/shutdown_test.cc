// Issue 18: a SIGTERM ends every service within its shutdown budget, exit code 0,
// while the broker is down and events wait in the outboxes; the events stay there.
//
// The step deadlines are shortened so the budget is small (ShutdownBudget sums
// them); the wait for the exit is that budget plus a slack for process exit, so the
// bound is the service's contract, not a performance expectation.
#include <gtest/gtest.h>

#include <iostream>

#include "absl/strings/str_cat.h"
#include "common/keys.h"
#include "common/outbox.h"
#include "common/redis_client.h"
#include "tests/harness/stack.h"
#include "tests/e2e/story.h"

namespace revisit::e2e {
namespace {

// REVISIT_NOT_SERVING_DELAY 0 + drain 1 s + cancel grace 1 s + consumer 1 s + timers
// 0.5 s + relay 1 s + producer 1 s (+0.1 s) + gauges 0.5 s (ShutdownBudget).
constexpr absl::Duration kBudget = absl::Milliseconds(6100);
constexpr absl::Duration kExitSlack = absl::Seconds(3);

StackOptions ShortDeadlines() {
  StackOptions o;
  o.kafka_brokers = 1;  // a private broker this test can stop
  o.env = {
      {"REVISIT_DRAIN_TIMEOUT", "1s"},          {"REVISIT_CONSUMER_CLOSE_TIMEOUT", "1s"},
      {"REVISIT_RELAY_STOP_TIMEOUT", "1s"},     {"REVISIT_PRODUCER_FLUSH_TIMEOUT", "1s"},
      {"REVISIT_SHUTDOWN_STEP_TIMEOUT", "500ms"}, {"REVISIT_OUTBOX_DELIVERY_TIMEOUT", "30s"},
  };
  return o;
}

int64_t OutboxBacklog(RedisClient& redis, const std::string& service) {
  return SumOverShards(redis, "XLEN", [&](int s) { return OutboxStream(service, s); });
}

TEST(ShutdownTest, SigtermWithTheBrokerDownExitsZeroWithinTheBudget) {
  auto stack = Stack::Start(ShortDeadlines());
  ASSERT_TRUE(stack.ok()) << stack.status();
  Stack& s = **stack;
  ASSERT_TRUE(s.StopBroker().ok());
  // Events committed while no broker answers: they wait in order's outbox.
  Story story(s, "shutdown");
  auto steps = story.Steps();
  for (size_t i = 0; i < 2; ++i) {  // register, order
    absl::Status st = steps[i].second();
    ASSERT_TRUE(st.ok()) << steps[i].first << ": " << st;
  }
  RedisClient redis(s.StoreOptions());
  const int64_t waiting = OutboxBacklog(redis, "order");
  ASSERT_GT(waiting, 0) << "order's events should wait for the broker";

  for (Svc svc : kAllServices) {
    absl::Time begin = absl::Now();
    absl::StatusOr<int> code = s.Terminate(svc, kBudget + kExitSlack);
    ASSERT_TRUE(code.ok()) << "revisit-" << SvcName(svc) << " still running after "
                           << absl::FormatDuration(kBudget + kExitSlack) << "\n" << s.LogTails();
    EXPECT_EQ(*code, 0) << SvcName(svc) << "\n" << s.LogTails();
    std::cerr << "[shutdown] revisit-" << SvcName(svc) << " exited " << *code << " after "
              << absl::FormatDuration(absl::Now() - begin) << " (budget "
              << absl::FormatDuration(kBudget) << ")" << std::endl;
  }
  EXPECT_EQ(OutboxBacklog(redis, "order"), waiting) << "undelivered events stay in the outbox";
}

}  // namespace
}  // namespace revisit::e2e
