#include "common/health_monitor.h"

#include <gtest/gtest.h>

#include <vector>

namespace revisit {
namespace {

// Fake dependencies whose answers the test sets, on a manual wall clock.
struct Fixture {
  ManualClock clock;
  absl::Status redis, broker;
  absl::Time relay_pass = clock.Now();
  bool consumer_dead = false;
  std::vector<HealthVerdict> applied;

  HealthMonitor Make(bool with_broker = true) {
    HealthProbes p;
    p.redis = [this] { return redis; };
    if (with_broker) p.broker = [this] { return broker; };
    p.relay_last_pass = [this] { return relay_pass; };
    p.consumer_dead = [this] { return consumer_dead; };
    HealthPolicy policy;
    policy.broker_grace = absl::Seconds(10);
    policy.stall_timeout = absl::Seconds(60);
    return HealthMonitor(p, policy, clock, [this](const HealthVerdict& v) { applied.push_back(v); });
  }
};

TEST(HealthMonitorTest, HealthyIsReadyAndLiveAndAppliedOnceUntilItChanges) {
  Fixture f;
  HealthMonitor m = f.Make();
  HealthVerdict v = m.CheckOnce();
  EXPECT_TRUE(v.ready);
  EXPECT_TRUE(v.live);
  EXPECT_EQ(v.reason, "");
  m.CheckOnce();
  EXPECT_EQ(f.applied.size(), 1u) << "unchanged verdicts are not re-applied";
}

TEST(HealthMonitorTest, RedisDownIsNotReadyAtOnceButStaysLiveAndRecovers) {
  Fixture f;
  HealthMonitor m = f.Make();
  m.CheckOnce();
  f.redis = absl::UnavailableError("connection refused");
  HealthVerdict v = m.CheckOnce();
  EXPECT_FALSE(v.ready);
  EXPECT_TRUE(v.live) << "a restart does not bring Redis back";
  EXPECT_NE(v.reason.find("redis does not answer"), std::string::npos) << v.reason;
  f.redis = absl::OkStatus();
  EXPECT_TRUE(m.CheckOnce().ready);
  ASSERT_EQ(f.applied.size(), 3u);
}

TEST(HealthMonitorTest, BrokerUnreachableIsNotReadyOnlyAfterTheGrace) {
  Fixture f;
  HealthMonitor m = f.Make();
  f.broker = absl::UnavailableError("all brokers down");
  EXPECT_TRUE(m.CheckOnce().ready) << "first failure starts the grace";
  f.clock.Advance(absl::Seconds(10));
  EXPECT_TRUE(m.CheckOnce().ready) << "exactly the grace: still ready";
  f.clock.Advance(absl::Seconds(1));
  HealthVerdict v = m.CheckOnce();
  EXPECT_FALSE(v.ready);
  EXPECT_TRUE(v.live);
  EXPECT_NE(v.reason.find("no kafka broker reachable for 11s"), std::string::npos) << v.reason;
  f.broker = absl::OkStatus();
  EXPECT_TRUE(m.CheckOnce().ready);
  f.broker = absl::UnavailableError("down again");
  f.clock.Advance(absl::Seconds(5));
  EXPECT_TRUE(m.CheckOnce().ready) << "a new outage starts a new grace";
}

TEST(HealthMonitorTest, WithoutAProducerTheBrokerIsNotAsked) {
  Fixture f;
  HealthMonitor m = f.Make(/*with_broker=*/false);
  f.broker = absl::UnavailableError("unused");
  f.clock.Advance(absl::Hours(1));
  f.relay_pass = f.clock.Now();
  EXPECT_TRUE(m.CheckOnce().ready);
}

TEST(HealthMonitorTest, AStalledRelayIsNotLive) {
  Fixture f;
  HealthMonitor m = f.Make();
  f.clock.Advance(absl::Seconds(60));
  EXPECT_TRUE(m.CheckOnce().live) << "exactly the stall timeout: still live";
  f.clock.Advance(absl::Seconds(1));
  HealthVerdict v = m.CheckOnce();
  EXPECT_FALSE(v.live);
  EXPECT_FALSE(v.ready);
  f.relay_pass = f.clock.Now();
  v = m.CheckOnce();
  EXPECT_TRUE(v.live);
  EXPECT_TRUE(v.ready);
}

TEST(HealthMonitorTest, ADeadConsumerIsNeitherLiveNorReadyAndReasonsAccumulate) {
  Fixture f;
  HealthMonitor m = f.Make();
  f.consumer_dead = true;
  f.redis = absl::UnavailableError("refused");
  HealthVerdict v = m.CheckOnce();
  EXPECT_FALSE(v.live);
  EXPECT_FALSE(v.ready);
  EXPECT_NE(v.reason.find("consumer thread died"), std::string::npos) << v.reason;
  EXPECT_NE(v.reason.find("; redis does not answer"), std::string::npos) << v.reason;
}

TEST(HealthMonitorTest, StartChecksRightAwayAndStopEndsTheThread) {
  Fixture f;
  HealthMonitor m = f.Make();
  m.Start(absl::Hours(1));
  m.Stop();
  ASSERT_EQ(f.applied.size(), 1u) << "one check before the first interval";
  m.Stop();  // idempotent
}

}  // namespace
}  // namespace revisit
