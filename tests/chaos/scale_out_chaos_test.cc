// Scale-out (issue 12): three instances of every service share one Redis Cluster
// (3 masters + 3 replicas, each service connecting as its own ACL user, as in the prod
// overlay) and the run's Kafka. Outbox relay leases (one holder per
// shard, common/outbox.h), timer claims (common/timer_queue.h) and consumer groups
// (group = service) divide the work.
//
// Four customers' stories (tests/e2e/story.h) run the whole loop through the public
// APIs (the test's stubs round-robin over the instances) while this thread SIGKILLs,
// in each service, the instance holding most relay leases. It then watches the store
// until every shard's lease is held by a live instance and every timer claim open at
// the kill is released or re-claimed, prints both takeover times (the bounds are in
// docs/operations.md: relay lease_ttl + a renewal period; timer lease + a poll), and
// restarts the dead instances (as Kubernetes restarts a pod). Afterwards:
//  - every story finished and Verify() holds (each effect exactly once);
//  - the invariant checker finds nothing lost, doubled, left in an outbox or unconsumed;
//  - every outbox shard of every service has a lease holder, and no timer is overdue
//    by more than the timer lease (a timer no instance claims would be).
// The schedule is fixed; which instance dies is decided by who holds the leases.
#include <gtest/gtest.h>

#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/keys.h"
#include "common/outbox.h"
#include "common/redis_client.h"
#include "common/timer_queue.h"
#include "tests/chaos/stack_invariants.h"
#include "tests/chaos/work_claims.h"
#include "tests/harness/stack.h"
#include "tests/e2e/story.h"
#include "tests/harness/invariant_checker.h"

namespace revisit::e2e {
namespace {

constexpr int kInstances = 3;
constexpr int kStories = 4;
constexpr absl::Duration kTakeoverGuard = absl::Seconds(120);  // hang guard only

const absl::Duration kRelayLeaseTtl = OutboxRelayOptions().lease_ttl;
const absl::Duration kTimerLease = TimerSchedulerOptions().lease;

StackOptions ScaleOutOptions() {
  StackOptions o = StoryStackOptions();
  o.redis_cluster = true;
  o.instances = kInstances;
  o.redis_acl_users = true;  // as in deploy/k8s/overlays/prod/redis-cluster
  return o;
}

// One killed instance and what became of its share of the work.
struct Victim {
  Svc svc = Svc::kOrder;
  int instance = 0;
  int leases_held = 0;
  std::map<std::string, std::string> claims_at_kill;  // timer -> claim token
  std::optional<absl::Duration> leases_taken_over;    // since the kill
  std::optional<absl::Duration> claims_released;      // since the kill
};

// The instance of `svc` holding most relay leases, once every shard has a holder.
absl::StatusOr<Victim> LeaseHolder(Stack& stack, RedisClient& redis, Svc svc) {
  std::map<int, std::string> holders;
  absl::Status held = Eventually(absl::StrCat(SvcName(svc), " relay leases all held"), [&] {
    auto h = RelayLeaseHolders(redis, SvcName(svc));
    if (!h.ok()) return false;
    holders = *h;
    for (const auto& [shard, id] : holders) {
      if (id.empty()) return false;
    }
    return true;
  });
  if (!held.ok()) return held;
  Victim v;
  v.svc = svc;
  v.leases_held = -1;
  for (int i = 0; i < stack.instances(); ++i) {
    int n = 0;
    for (const auto& [shard, id] : holders) n += id == stack.InstanceId(svc, i) ? 1 : 0;
    std::cerr << "[scale] " << stack.InstanceId(svc, i) << " holds " << n << " of " << kShards
              << " relay leases" << std::endl;
    if (n > v.leases_held) v = Victim{svc, i, n, {}, {}, {}};
  }
  return v;
}

bool LeasesTakenOver(Stack& stack, RedisClient& redis, const Victim& v) {
  auto holders = RelayLeaseHolders(redis, SvcName(v.svc));
  if (!holders.ok()) return false;
  for (const auto& [shard, id] : *holders) {
    if (id.empty() || id == stack.InstanceId(v.svc, v.instance)) return false;
  }
  return true;
}

bool ClaimsReleased(RedisClient& redis, const Victim& v) {
  auto now = TimerClaims(redis, SvcName(v.svc));
  if (!now.ok()) return false;
  for (const auto& [timer, token] : v.claims_at_kill) {
    auto it = now->find(timer);
    if (it != now->end() && it->second == token) return false;
  }
  return true;
}

// Polls until every victim's leases and claims are taken over (or the guard); restarts
// the victims once their leases are (so the restart cannot take them back).
void WatchTakeover(Stack& stack, RedisClient& redis, std::vector<Victim>& victims,
                   absl::Time killed) {
  bool restarted = false;
  while (absl::Now() < killed + kTakeoverGuard) {
    bool leases_done = true, claims_done = true;
    for (Victim& v : victims) {
      if (!v.leases_taken_over && LeasesTakenOver(stack, redis, v)) {
        v.leases_taken_over = absl::Now() - killed;
      }
      if (!v.claims_released && ClaimsReleased(redis, v)) v.claims_released = absl::Now() - killed;
      leases_done = leases_done && v.leases_taken_over.has_value();
      claims_done = claims_done && v.claims_released.has_value();
    }
    if (leases_done && !restarted) {
      for (const Victim& v : victims) {
        absl::Status st = stack.Restart(v.svc, v.instance);
        ASSERT_TRUE(st.ok()) << st;
      }
      restarted = true;
    }
    if (restarted && claims_done) return;
    absl::SleepFor(absl::Milliseconds(100));
  }
  ADD_FAILURE() << "takeover not complete within the guard";
}

void PrintTakeover(Stack& stack, const Victim& v) {
  auto show = [](const std::optional<absl::Duration>& d) {
    return d ? absl::FormatDuration(*d) : std::string("never");
  };
  std::cerr << "[scale] takeover " << SvcName(v.svc) << ": killed "
            << stack.InstanceId(v.svc, v.instance) << " (" << v.leases_held << "/" << kShards
            << " relay leases, " << v.claims_at_kill.size()
            << " timer claims open); its relay shards held by live instances after "
            << show(v.leases_taken_over) << " (bound lease_ttl " << kRelayLeaseTtl
            << " + renewal period " << kRelayLeaseTtl / 3 << "), open timer claims released or "
            << "re-claimed after " << show(v.claims_released) << " (bound timer lease "
            << kTimerLease << " + poll)" << std::endl;
}

// Every outbox shard has a lease holder and no timer waits beyond the timer lease.
void ExpectNoWorkUnclaimed(Stack& stack, RedisClient& redis) {
  for (Svc svc : kAllServices) {
    absl::Status held = Eventually(absl::StrCat(SvcName(svc), " relay leases all held"), [&] {
      auto h = RelayLeaseHolders(redis, SvcName(svc));
      if (!h.ok()) return false;
      for (const auto& [shard, id] : *h) {
        if (id.empty()) return false;
      }
      return true;
    });
    EXPECT_TRUE(held.ok()) << held;
    absl::Time before = stack.DomainNow() - (kTimerLease + absl::Seconds(10)) * stack.time_scale();
    auto stuck = TimersDueBefore(redis, SvcName(svc), before);
    ASSERT_TRUE(stuck.ok()) << stuck.status();
    EXPECT_TRUE(stuck->empty()) << SvcName(svc) << ": " << stuck->size()
                                << " timers overdue beyond the timer lease, e.g. "
                                << stuck->front();
  }
}

TEST(ScaleOutChaosTest, ThreeInstancesEachShareTheWorkAndTakeOverFromAKilledOne) {
  auto started = Stack::Start(ScaleOutOptions());
  ASSERT_TRUE(started.ok()) << started.status();
  Stack& stack = **started;
  RedisClient redis(stack.StoreOptions());

  std::vector<Victim> victims;
  StoryRun run = RunStoriesConcurrently(stack, "scale", kStories, absl::Milliseconds(700), [&] {
    absl::SleepFor(absl::Seconds(5));
    for (Svc svc : kAllServices) {
      auto v = LeaseHolder(stack, redis, svc);
      ASSERT_TRUE(v.ok()) << v.status();
      victims.push_back(*v);
    }
    absl::Time killed = absl::Now();
    for (Victim& v : victims) {
      std::cerr << "[scale] SIGKILL " << stack.InstanceId(v.svc, v.instance) << std::endl;
      ASSERT_TRUE(stack.Kill(v.svc, v.instance).ok());
    }
    for (Victim& v : victims) {
      auto claims = TimerClaims(redis, SvcName(v.svc));
      ASSERT_TRUE(claims.ok()) << claims.status();
      v.claims_at_kill = *claims;
    }
    WatchTakeover(stack, redis, victims, killed);
  });
  for (const Victim& v : victims) PrintTakeover(stack, v);
  ASSERT_FALSE(HasFailure()) << stack.LogTails();
  if (!run.ExpectAllVerified(stack)) return;

  testing::InvariantChecker checker(StackCheckerOptions(stack, redis));
  AddStackEffectChecks(checker);
  auto report = checker.AwaitQuiescentThenCheck(absl::Seconds(120));
  ASSERT_TRUE(report.ok()) << report.status() << "\n" << stack.LogTails();
  std::cerr << "[scale] " << report->Summary() << std::endl;
  EXPECT_TRUE(report->Clean()) << report->Summary();
  ExpectNoWorkUnclaimed(stack, redis);
  if (HasFailure()) std::cerr << stack.LogTails();
}

}  // namespace
}  // namespace revisit::e2e
