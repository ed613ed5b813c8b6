// The reliability core (WriteBatch/commit.lua, OutboxRelay, inbox, TimerScheduler,
// RedisClient) against a real redis-server (AOF, appendfsync always) and the real
// local broker, each test on its own free ports. Crashes are real: a helper process
// (reliability_helper.cc) is SIGKILLed at the point under test, or redis-server is.
//
// Issue 2 scenario 3 (a poison message goes to the dead-letter topic with the error
// in its headers and the consumer continues) is proved by
// kafka_test.cc: KafkaTest.PoisonAndFailingRecordsAreDeadLetteredAndConsumerMovesOn.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <functional>
#include <map>
#include <set>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "common/clock.h"
#include "common/entity.h"
#include "common/kafka_consumer.h"
#include "common/kafka_producer.h"
#include "common/keys.h"
#include "common/outbox.h"
#include "common/redis_client.h"
#include "common/timer_queue.h"
#include "common/write_batch.h"
#include "tests/harness/kafka_reader.h"
#include "tests/harness/local_broker.h"
#include "tests/harness/eventually.h"
#include "tests/harness/redis_server.h"
#include "tests/harness/subprocess.h"
#include "tests/harness/temp_dir.h"
#include "tests/integration/reliability_effects.h"

namespace revisit {
namespace {

using reliability::AppliedTotalKey;
using reliability::ApplyEventOnce;
using reliability::EffectKey;
using reliability::FiredKey;
using reliability::FireTimerOnce;
using testing::LocalBroker;
using testing::RedisServer;
using testing::Subprocess;

constexpr absl::Duration kGuard = absl::Seconds(40);  // failure guard, not a timing check
constexpr absl::Duration kPoll = absl::Milliseconds(10);

class ReliabilityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = RedisServer::Start();
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    redis_ = std::make_unique<RedisClient>(Options());
    auto dir = testing::TempDir::Create("reliability");
    ASSERT_TRUE(dir.ok()) << dir.status();
    dir_ = *std::move(dir);
  }

  RedisOptions Options() const {
    RedisOptions o;
    o.port = server_->port();
    return o;
  }

  void StartBroker(const std::string& topics) {
    auto broker = LocalBroker::Start({1, topics});
    ASSERT_TRUE(broker.ok()) << broker.status();
    broker_ = *std::move(broker);
  }

  std::unique_ptr<KafkaProducer> Producer() {
    auto p = KafkaProducer::Create({broker_->Bootstrap(), "reliability-test", {}, broker_->Namespace()});
    EXPECT_TRUE(p.ok()) << p.status();
    return p.ok() ? *std::move(p) : nullptr;
  }

  // A helper process; its log goes to the test's temp dir.
  std::unique_ptr<Subprocess> Helper(const std::string& name, std::vector<std::string> args) {
    auto p = Subprocess::Start({RELIABILITY_HELPER_PATH, std::move(args), {}, dir_->File(name + ".log")});
    EXPECT_TRUE(p.ok()) << p.status();
    return p.ok() ? *std::move(p) : nullptr;
  }

  // Waits for a helper's marker file (or its exit, or the guard): the marker text.
  std::string AwaitMarker(Subprocess& helper, const std::string& marker) {
    absl::Time deadline = absl::Now() + kGuard;
    while (!testing::ReadFile(marker).ok() && helper.Running() && absl::Now() < deadline) {
      absl::SleepFor(absl::Milliseconds(20));
    }
    return testing::ReadFile(marker).value_or("");
  }


  int64_t Int(const std::string& key) {
    auto v = redis_->Command({"GET", key});
    EXPECT_TRUE(v.ok()) << v.status();
    int64_t n = 0;
    if (v.ok() && !v->is_nil()) {
      EXPECT_TRUE(absl::SimpleAtoi(v->str, &n)) << v->str;
    }
    return n;
  }

  std::string Str(const std::vector<std::string>& argv) {
    auto v = redis_->Command(argv);
    EXPECT_TRUE(v.ok()) << v.status();
    return v.ok() ? v->str : "";
  }

  int64_t Integer(const std::vector<std::string>& argv) {
    auto v = redis_->Command(argv);
    EXPECT_TRUE(v.ok()) << v.status();
    return v.ok() ? v->integer : -1;
  }

  std::unique_ptr<KafkaConsumer> Consumer(const std::string& group) {
    KafkaConsumerOptions o;
    o.bootstrap = broker_->Bootstrap();
    o.group_id = group;
    o.topics = {"events"};
    o.dead_letter_topic = "events.dlq";
    o.kafka_namespace = broker_->Namespace();
    o.retry_backoff = absl::Milliseconds(10);
    auto c = KafkaConsumer::Create(o);
    EXPECT_TRUE(c.ok()) << c.status();
    return c.ok() ? *std::move(c) : nullptr;
  }

  // Runs `consumer` until the handler stops it, or the guard expires (a failure).
  static void RunGuarded(KafkaConsumer& consumer, const KafkaConsumer::Handler& handler) {
    absl::Notification finished;
    std::thread guard([&] {
      if (!finished.WaitForNotificationWithTimeout(kGuard)) {
        ADD_FAILURE() << "consumer guard expired";
        consumer.Stop();
      }
    });
    EXPECT_TRUE(consumer.Run(handler).ok());
    finished.Notify();
    guard.join();
  }

  std::unique_ptr<RedisServer> server_;
  std::unique_ptr<RedisClient> redis_;
  std::unique_ptr<testing::TempDir> dir_;
  std::unique_ptr<LocalBroker> broker_;
};

EventEnvelope Event(const std::string& id, int64_t sequence) {
  EventEnvelope e;
  e.id = id;
  e.source = "revisit/src";
  e.type = "revisit.src.happened.v1";
  e.time = absl::FromUnixMillis(1767225600000 + sequence);
  e.subject = "agg-" + std::to_string(sequence % 5);
  e.sequence = sequence;
  e.key = "cust-" + std::to_string(sequence % 3);
  e.topic = "events";
  e.payload = "payload-" + id;
  return e;
}

// Scenario 1: the relay process dies after producing a pass but before acknowledging
// it. A new relay (other instance, after the lease) re-sends the unacknowledged
// events; every event reaches the topic, the crash window twice, and a consumer with
// the inbox applies each exactly once.
TEST_F(ReliabilityTest, RelayKilledBetweenProduceAndAckResendsAndInboxAppliesOnce) {
  StartBroker("events:2,events.dlq:1");
  constexpr int kEvents = 40;
  const std::string stream = OutboxStream("src", 5);
  for (int i = 0; i < kEvents; ++i) {
    WriteBatch batch;
    batch.Put(ShardKey("src", 5, absl::StrCat("agg:", i)), 1, "state");
    batch.AppendEvent(stream, Event(absl::StrFormat("evt-%02d", i), i));
    ASSERT_TRUE(batch.Commit(*redis_).ok());
  }

  // Passes of 10: the first pass is acknowledged, the second hangs on its 10th
  // delivery report (all 10 produced, none acknowledged) and is killed there.
  std::string marker = dir_->File("relay.marker");
  auto helper = Helper("relay", {"relay", std::to_string(server_->port()), broker_->Bootstrap(),
                                 "src", "10", "1500", "20", marker});
  ASSERT_NE(helper, nullptr);
  ASSERT_EQ(AwaitMarker(*helper, marker), "delivered") << helper->ReadLog();
  ASSERT_TRUE(helper->Kill().ok());
  EXPECT_EQ(Integer({"XLEN", stream}), kEvents - 10) << "only the first pass was acknowledged";
  auto pending = redis_->Command({"XPENDING", stream, "relay"});
  ASSERT_TRUE(pending.ok()) << pending.status();
  EXPECT_EQ(pending->elements.at(0).integer, 10) << "the second pass is pending, unacked";
  auto before = testing::ReadAtLeast(broker_->Bootstrap(), "events", 20);
  ASSERT_TRUE(before.ok()) << before.status();
  EXPECT_EQ(before->size(), 20u) << "both passes were produced before the crash";

  // A new relay instance takes over once the dead one's lease has expired.
  std::unique_ptr<KafkaProducer> producer = Producer();
  ASSERT_NE(producer, nullptr);
  PublishFn publish = [&](const EventEnvelope& e, std::function<void(absl::Status)> done) {
    absl::Status st = producer->Produce(e, done);
    if (!st.ok()) done(st);
  };
  OutboxRelayOptions o;
  o.service = "src";
  o.instance_id = "relay-test";
  o.batch_size = 10;
  o.lease_ttl = absl::Milliseconds(1500);
  OutboxRelay relay(*redis_, publish, o);
  int acked = 0;
  ASSERT_TRUE(testing::Eventually("the relay acknowledged every event", [&] {
    auto n = relay.RunOnce();
    EXPECT_TRUE(n.ok()) << n.status();
    acked += n.value_or(0);
    return relay.Backlog() == 0;
  }, kGuard, kPoll).ok()) << "backlog " << relay.Backlog();
  EXPECT_EQ(acked, kEvents - 10);

  auto records = testing::ReadAll(broker_->Bootstrap(), "events");
  ASSERT_TRUE(records.ok()) << records.status();
  std::map<std::string, int> copies;
  for (const EventEnvelope& e : *records) ++copies[e.id];
  for (int i = 0; i < kEvents; ++i) {
    std::string id = absl::StrFormat("evt-%02d", i);
    int expected = (i >= 10 && i < 20) ? 2 : 1;  // the crash window is re-sent
    EXPECT_EQ(copies[id], expected) << id;
  }
  EXPECT_EQ(records->size(), static_cast<size_t>(kEvents + 10));

  // A consumer with the inbox applies every event exactly once.
  std::unique_ptr<KafkaConsumer> consumer = Consumer("sink");
  ASSERT_NE(consumer, nullptr);
  size_t calls = 0;
  int duplicates = 0;
  RunGuarded(*consumer, [&](const EventEnvelope& e) -> absl::Status {
    auto dup = ApplyEventOnce(*redis_, e);
    if (!dup.ok()) return dup.status();
    duplicates += *dup ? 1 : 0;
    if (++calls == records->size()) consumer->Stop();
    return absl::OkStatus();
  });
  EXPECT_TRUE(consumer->Close().ok());
  EXPECT_EQ(duplicates, 10);
  EXPECT_EQ(Int(AppliedTotalKey()), kEvents);
  for (int i = 0; i < kEvents; ++i) {
    EXPECT_EQ(Int(EffectKey(absl::StrFormat("evt-%02d", i))), 1) << i;
  }
}

// Scenario 2: a consumer process commits its effect and dies before storing the
// offset. The record is redelivered to the next group member, the inbox recognises
// it, and the effect stays applied once; the consumer continues with the rest.
TEST_F(ReliabilityTest, ConsumerKilledBeforeOffsetStoreIsRedeliveredAndAppliedOnce) {
  StartBroker("events:1,events.dlq:1");
  std::unique_ptr<KafkaProducer> producer = Producer();
  ASSERT_NE(producer, nullptr);
  for (int i = 1; i <= 3; ++i) {
    ASSERT_TRUE(producer->ProduceSync(Event("c" + std::to_string(i), i), kGuard).ok());
  }

  std::string marker = dir_->File("consumer.marker");
  auto helper = Helper("consumer", {"consumer", std::to_string(server_->port()),
                                    broker_->Bootstrap(), "events", "sink", "events.dlq", marker});
  ASSERT_NE(helper, nullptr);
  ASSERT_EQ(AwaitMarker(*helper, marker), "c1") << helper->ReadLog();
  ASSERT_TRUE(helper->Kill().ok());
  EXPECT_EQ(Int(EffectKey("c1")), 1) << "the effect was committed before the crash";

  // The dead member is evicted after its session timeout; then c1 comes again.
  std::unique_ptr<KafkaConsumer> consumer = Consumer("sink");
  ASSERT_NE(consumer, nullptr);
  std::vector<std::pair<std::string, bool>> seen;
  RunGuarded(*consumer, [&](const EventEnvelope& e) -> absl::Status {
    auto dup = ApplyEventOnce(*redis_, e);
    if (!dup.ok()) return dup.status();
    seen.emplace_back(e.id, *dup);
    if (seen.size() == 3) consumer->Stop();
    return absl::OkStatus();
  });
  EXPECT_TRUE(consumer->Close().ok());
  EXPECT_THAT(seen, ::testing::ElementsAre(::testing::Pair("c1", true), ::testing::Pair("c2", false),
                                           ::testing::Pair("c3", false)));
  for (const char* id : {"c1", "c2", "c3"}) EXPECT_EQ(Int(EffectKey(id)), 1) << id;
  EXPECT_EQ(Int(AppliedTotalKey()), 3);
}

void ScheduleAll(RedisClient& redis, const std::string& service,
                 const std::vector<std::pair<int, std::string>>& timers, absl::Time due) {
  for (const auto& [shard, id] : timers) {
    WriteBatch batch;
    ScheduleTimer(batch, service, shard, id, due, "payload-" + id);
    auto committed = batch.Commit(redis);
    ASSERT_TRUE(committed.ok()) << committed.status();
  }
}

// Scenario 4a: two schedulers (own threads, own connections, one Redis) race over 500
// due timers in small claim batches: each timer is claimed once and its effect
// committed once.
TEST_F(ReliabilityTest, CompetingSchedulersFireEachTimerExactlyOnce) {
  ManualClock clock;
  std::vector<std::pair<int, std::string>> timers;
  for (int i = 0; i < 500; ++i) timers.emplace_back(i % kShards, absl::StrCat("t", i));
  ScheduleAll(*redis_, "tq", timers, clock.Now() - absl::Seconds(1));

  absl::Mutex mu;
  std::map<std::string, int> handled;  // handler calls per timer, both schedulers
  auto run = [&](int* fired) {
    RedisClient redis(Options());
    TimerSchedulerOptions o;
    o.service = "tq";
    o.batch_size = 7;
    TimerScheduler scheduler(redis, clock, o, [&](const DueTimer& t) {
      {
        absl::MutexLock lock(&mu);
        ++handled[t.id];
      }
      EXPECT_EQ(t.payload, "payload-" + t.id);
      return FireTimerOnce(redis, "tq", t);
    });
    EXPECT_TRUE(testing::Eventually("the timer fired", [&] {
      auto n = scheduler.RunOnce();
      EXPECT_TRUE(n.ok()) << n.status();
      *fired += n.value_or(0);
      return scheduler.Pending() == 0;
    }, kGuard, kPoll).ok());
  };
  int fired_a = 0, fired_b = 0;
  std::thread a(run, &fired_a);
  std::thread b(run, &fired_b);
  a.join();
  b.join();

  EXPECT_EQ(fired_a + fired_b, 500);
  std::printf("scheduler A fired %d, B fired %d\n", fired_a, fired_b);
  EXPECT_EQ(handled.size(), 500u);
  for (const auto& [shard, id] : timers) {
    EXPECT_EQ(handled[id], 1) << id << " was claimed twice";
    EXPECT_EQ(Int(FiredKey("tq", shard, id)), 1) << id;
  }
  EXPECT_EQ(Integer({"HLEN", TimerDataKey("tq", 0)}), 0);
}

// Scenario 4b: a scheduler process claims a batch, fires some, and is killed in the
// middle. Its fired timers stay fired; the rest of its claimed batch is hidden until
// the lease ends and then fired by another scheduler; every effect happens once.
TEST_F(ReliabilityTest, KilledSchedulersClaimedTimersFireAfterLeaseExactlyOnce) {
  RealClock clock;
  // Whole milliseconds, so the timers' scores are exactly due_ms below.
  const absl::Time due = absl::FromUnixMillis(absl::ToUnixMillis(clock.Now()) - 1000);
  std::vector<std::pair<int, std::string>> timers;
  for (int i = 0; i < 100; ++i) timers.emplace_back(3, absl::StrFormat("k%03d", i));
  ScheduleAll(*redis_, "tk", timers, due);

  // Claims k000..k049 with a 2 s lease, fires k000..k003, hangs on k004.
  std::string marker = dir_->File("timers.marker");
  auto helper = Helper("timers", {"timers", std::to_string(server_->port()), "tk", "2000", "50",
                                  "5", marker});
  ASSERT_NE(helper, nullptr);
  ASSERT_EQ(AwaitMarker(*helper, marker), "k004") << helper->ReadLog();
  ASSERT_TRUE(helper->Kill().ok());

  const std::string set = TimerSetKey("tk", 3);
  EXPECT_EQ(Integer({"ZCARD", set}), 96);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(Int(FiredKey("tk", 3, absl::StrFormat("k%03d", i))), 1);
  // The claimed, unfired rest of the batch was moved past its due time by the lease.
  std::string due_ms = std::to_string(absl::ToUnixMillis(due));
  EXPECT_EQ(Integer({"ZCOUNT", set, "(" + due_ms, "+inf"}), 46);

  std::map<std::string, int> handled;
  TimerSchedulerOptions o;
  o.service = "tk";
  TimerScheduler scheduler(*redis_, clock, o, [&](const DueTimer& t) {
    ++handled[t.id];
    return FireTimerOnce(*redis_, "tk", t);
  });
  ASSERT_TRUE(testing::Eventually("the timer fired after the restart", [&] {
    auto n = scheduler.RunOnce();
    EXPECT_TRUE(n.ok()) << n.status();
    return scheduler.Pending() == 0;
  }, kGuard, kPoll).ok()) << "pending " << scheduler.Pending();

  EXPECT_EQ(handled.size(), 96u);
  EXPECT_EQ(handled["k004"], 1) << "the timer the dead scheduler was handling";
  for (const auto& [id, n] : handled) EXPECT_EQ(n, 1) << id;
  for (const auto& [shard, id] : timers) EXPECT_EQ(Int(FiredKey("tk", shard, id)), 1) << id;
}

// Scenario 4c: a handler re-schedules its own timer at exactly the lease score the
// claim gave it. The release removes only a timer still holding the claim's token,
// and the re-schedule cleared it: the new schedule stands and fires once, then.
TEST_F(ReliabilityTest, HandlerReschedulingAtTheLeaseScoreKeepsItsNewSchedule) {
  ManualClock clock;
  ScheduleAll(*redis_, "tr", {{2, "again"}}, clock.Now() - absl::Seconds(1));
  TimerSchedulerOptions o;
  o.service = "tr";
  o.lease = absl::Seconds(30);
  const absl::Time lease_end = absl::FromUnixMillis(absl::ToUnixMillis(clock.Now())) + o.lease;
  int calls = 0;
  TimerScheduler scheduler(*redis_, clock, o, [&](const DueTimer& t) {
    if (++calls > 1) return FireTimerOnce(*redis_, "tr", t);
    EXPECT_EQ(Str({"ZSCORE", TimerSetKey("tr", 2), t.id}), std::to_string(TimerScore(lease_end)));
    WriteBatch batch;  // the first firing asks for another one, at the lease score
    ScheduleTimer(batch, "tr", t.shard, t.id, lease_end, "second");
    return batch.Commit(*redis_).status();
  });
  ASSERT_EQ(scheduler.RunOnce().value_or(-1), 1);
  EXPECT_EQ(scheduler.Pending(), 1) << "the release deleted the new schedule";
  EXPECT_EQ(Str({"ZSCORE", TimerSetKey("tr", 2), "again"}), std::to_string(TimerScore(lease_end)));
  EXPECT_EQ(Str({"HGET", TimerDataKey("tr", 2), "again"}), "second");
  clock.Advance(o.lease - absl::Milliseconds(1));
  EXPECT_EQ(scheduler.RunOnce().value_or(-1), 0);
  clock.Advance(absl::Milliseconds(1));
  EXPECT_EQ(scheduler.RunOnce().value_or(-1), 1);
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(Int(FiredKey("tr", 2, "again")), 1);
  EXPECT_EQ(scheduler.Pending(), 0);
  EXPECT_EQ(Integer({"HLEN", TimerClaimKey("tr", 2)}), 0) << "claim tokens left behind";
}

// Scenario 4d: a scheduler whose lease ran out while its handler was slow does not
// remove the timer another scheduler claimed since (the token is the newer claim's).
TEST_F(ReliabilityTest, ASlowSchedulersReleaseKeepsATimerReclaimedByAnother) {
  ManualClock clock;
  ScheduleAll(*redis_, "ts", {{1, "slow"}}, clock.Now());
  TimerSchedulerOptions o;
  o.service = "ts";
  o.lease = absl::Seconds(5);
  int b_calls = 0;
  TimerScheduler b(*redis_, clock, o, [&](const DueTimer&) {
    ++b_calls;
    return absl::UnavailableError("b fails: leaves its claim");
  });
  TimerScheduler a(*redis_, clock, o, [&](const DueTimer&) {
    clock.Advance(o.lease);  // a's lease runs out while its handler works
    EXPECT_EQ(b.RunOnce().value_or(-1), 0);  // b claims the timer again (and fails)
    return absl::OkStatus();
  });
  ASSERT_EQ(a.RunOnce().value_or(-1), 1);
  EXPECT_EQ(b_calls, 1);
  EXPECT_EQ(a.Pending(), 1) << "a's stale release removed b's claim";
}

// Scenario 4e: a timer is never claimed before its due time, also when the due time
// is not a whole millisecond (its score rounds up, the claim's "now" rounds down).
TEST_F(ReliabilityTest, ATimerNeverFiresBeforeItsDueTime) {
  ManualClock clock(absl::FromUnixMillis(1767225600000) + absl::Microseconds(100));
  const absl::Time due = clock.Now() + absl::Microseconds(500);  // ms boundary + 600 us
  ScheduleAll(*redis_, "te", {{0, "soon"}}, due);
  TimerSchedulerOptions o;
  o.service = "te";
  std::vector<absl::Time> fired_at;
  TimerScheduler scheduler(*redis_, clock, o, [&](const DueTimer& t) {
    fired_at.push_back(clock.Now());
    return FireTimerOnce(*redis_, "te", t);
  });
  EXPECT_EQ(scheduler.RunOnce().value_or(-1), 0);  // same millisecond, before due
  clock.Advance(absl::Microseconds(499));
  EXPECT_EQ(scheduler.RunOnce().value_or(-1), 0);  // 1 us before due
  clock.Advance(absl::Microseconds(1));
  scheduler.RunOnce().value_or(-1);  // due now; fires now or in the next millisecond
  clock.Advance(absl::Microseconds(400));
  scheduler.RunOnce().value_or(-1);
  ASSERT_EQ(fired_at.size(), 1u);
  EXPECT_GE(fired_at[0], due);
  EXPECT_EQ(Int(FiredKey("te", 0, "soon")), 1);
}

// Scenario 5: redis-server is killed (SIGKILL) and restarted while a writer commits
// batches. Calls fail with UNAVAILABLE while it is down, then succeed on re-dialled
// connections (and reloaded scripts); every batch whose Commit returned OK survives,
// and the retried ones (Dedupe on the request ID) are applied once.
TEST_F(ReliabilityTest, RedisRestartMidRunReconnectsAndLosesNothingAcknowledged) {
  RedisOptions opts = Options();
  opts.reconnect_budget = absl::Milliseconds(200);
  RedisClient writer_redis(opts);
  const std::string stream = OutboxStream("w", 0);
  auto item = [](int i) { return ShardKey("w", 0, absl::StrCat("item:", i)); };

  std::atomic<bool> stop{false};
  std::atomic<int> acked{0};
  absl::Mutex mu;
  std::vector<absl::Status> errors;
  std::thread writer([&] {
    for (int i = 0; !stop; ) {
      WriteBatch batch;
      batch.Dedupe(ShardKey("w", 0, absl::StrCat("req:", i)), absl::Hours(1), "ok");
      batch.Set(item(i), absl::StrCat("v", i));
      batch.IncrBy(ShardKey("w", 0, "count"), 1);
      batch.AppendEvent(stream, Event(absl::StrCat("w", i), i));
      auto committed = batch.Commit(writer_redis);
      if (committed.ok()) {
        acked = ++i;  // acknowledged: 0..i-1
      } else {
        {
          absl::MutexLock lock(&mu);
          errors.push_back(committed.status());  // retried with the same request ID
        }
        absl::SleepFor(absl::Milliseconds(5));
      }
    }
  });
  auto error_count = [&] {
    absl::MutexLock lock(&mu);
    return errors.size();
  };

  auto hundred = [&] { return acked >= 100; };
  if (!testing::Eventually("100 commits acknowledged", hundred, kGuard, kPoll).ok()) {
    stop = true;
    writer.join();
    FAIL() << "writer stuck before the restart: " << errors.back();
  }
  ASSERT_TRUE(server_->Kill().ok());
  int acked_at_kill = acked;
  auto three_errors = [&] { return error_count() >= 3; };
  ASSERT_TRUE(testing::Eventually("three errors while Redis is down", three_errors, kGuard, kPoll).ok());
  ASSERT_TRUE(server_->Restart().ok());
  auto hundred_more = [&] { return acked >= acked_at_kill + 100; };
  bool resumed =
      testing::Eventually("100 more commits after the restart", hundred_more, kGuard, kPoll).ok();
  stop = true;
  writer.join();
  ASSERT_TRUE(resumed) << "writer did not resume; last error: "
                       << (errors.empty() ? absl::OkStatus() : errors.back());

  for (const absl::Status& e : errors) {
    EXPECT_EQ(e.code(), absl::StatusCode::kUnavailable) << e;
  }
  // A fresh client sees every acknowledged batch, each applied once.
  redis_ = std::make_unique<RedisClient>(Options());
  const int n = acked;
  for (int i = 0; i < n; ++i) {
    auto v = redis_->Command({"GET", item(i)});
    ASSERT_TRUE(v.ok()) << v.status();
    EXPECT_EQ(v->str, absl::StrCat("v", i)) << "acknowledged batch " << i << " lost";
  }
  EXPECT_EQ(Int(ShardKey("w", 0, "count")), n);
  EXPECT_EQ(Integer({"XLEN", stream}), n);

  // And again across a graceful restart, with nothing in flight: the pooled connection
  // is broken (one UNAVAILABLE at most), then the data is back.
  ASSERT_TRUE(server_->Restart().ok());
  absl::StatusOr<RedisValue> count;
  ASSERT_TRUE(testing::Eventually("the counter readable after the restart", [&] {
    count = redis_->Command({"GET", ShardKey("w", 0, "count")});
    EXPECT_TRUE(count.ok() || count.status().code() == absl::StatusCode::kUnavailable)
        << count.status();
    return count.ok();
  }, kGuard, kPoll).ok());
  EXPECT_EQ(count->str, std::to_string(n));
}

// WriteBatch guards: checked before any write; a failed guard writes nothing.
TEST_F(ReliabilityTest, WriteBatchGuards) {
  const std::string entity = ShardKey("g", 1, "entity");
  const std::string other = ShardKey("g", 1, "other");
  const std::string counter = ShardKey("g", 1, "counter");
  const std::string stream = OutboxStream("g", 1);
  {
    WriteBatch create;
    create.ExpectVersion(entity, 0).Put(entity, 1, "one");
    ASSERT_TRUE(create.Commit(*redis_).ok());
  }
  // VERSION mismatch: ABORTED, and neither the writes before nor after the guard land.
  WriteBatch stale;
  stale.Set(other, "x").IncrBy(counter, 1).AppendEvent(stream, Event("g1", 1));
  stale.ExpectVersion(entity, 2).Put(entity, 3, "three");
  auto aborted = stale.Commit(*redis_);
  EXPECT_EQ(aborted.status().code(), absl::StatusCode::kAborted) << aborted.status();
  EXPECT_EQ(Integer({"EXISTS", other, counter, stream}), 0);
  auto raw = ReadRaw(*redis_, entity);
  ASSERT_TRUE(raw.ok() && raw->has_value()) << raw.status();
  EXPECT_EQ((*raw)->first, 1);
  EXPECT_EQ((*raw)->second, "one");
  // ExpectVersion(0) on an existing entity is a mismatch too.
  WriteBatch recreate;
  recreate.ExpectVersion(entity, 0).Put(entity, 1, "again");
  EXPECT_EQ(recreate.Commit(*redis_).status().code(), absl::StatusCode::kAborted);

  // Dedupe: the first commit applies; a repeat returns the first response, applies
  // nothing. (Dedupe last, as RunIdempotent adds it after the decide step's guards.)
  const std::string req = ShardKey("g", 1, "req:1");
  WriteBatch first;
  first.ExpectVersion(entity, 1).Put(entity, 2, "two").IncrBy(counter, 1);
  first.Dedupe(req, absl::Hours(1), "first");
  auto r1 = first.Commit(*redis_);
  ASSERT_TRUE(r1.ok()) << r1.status();
  EXPECT_FALSE(r1->duplicate);
  WriteBatch again;
  again.Dedupe(req, absl::Hours(1), "second").IncrBy(counter, 1);
  auto r2 = again.Commit(*redis_);
  ASSERT_TRUE(r2.ok()) << r2.status();
  EXPECT_TRUE(r2->duplicate);
  EXPECT_EQ(r2->prior_response, "first");
  EXPECT_EQ(Int(counter), 1);
  // A repeat whose version guard is now stale (the first commit moved the version) is
  // still a duplicate with the first response, not ABORTED: RunIdempotent relies on
  // this to answer a concurrent duplicate with the winner's response.
  auto r3 = first.Commit(*redis_);
  ASSERT_TRUE(r3.ok()) << r3.status();
  EXPECT_TRUE(r3->duplicate);
  EXPECT_EQ(r3->prior_response, "first");

  // MEMBER guard: NOT_FOUND, nothing written.
  WriteBatch member;
  member.IncrBy(counter, 1).ExpectMember(TimerSetKey("g", 1), "gone");
  EXPECT_EQ(member.Commit(*redis_).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(Int(counter), 1);

  // A batch spanning two shards is refused before it reaches Redis.
  WriteBatch spanning;
  spanning.Set(ShardKey("g", 1, "a"), "1").Set(ShardKey("g", 2, "b"), "2");
  auto refused = spanning.Commit(*redis_);
  EXPECT_FALSE(refused.ok());
  EXPECT_THAT(std::string(refused.status().message()), ::testing::HasSubstr("spans shards"));
  EXPECT_EQ(Integer({"EXISTS", ShardKey("g", 1, "a"), ShardKey("g", 2, "b")}), 0);
}

// ce_sequence comes from one counter per (source, subject), bumped in the commit
// that appends the event: consecutive within a batch, untouched by a batch that a
// guard refused or a duplicate, whatever sequence the envelope carried.
TEST_F(ReliabilityTest, WriteBatchNumbersEventsPerSubjectWithoutGaps) {
  const std::string entity = ShardKey("g", 1, "entity");
  const std::string stream = OutboxStream("g", 1);
  auto event = [](const std::string& id, const std::string& subject) {
    EventEnvelope e = Event(id, 99);
    e.subject = subject;
    return e;
  };
  WriteBatch first;
  first.AppendEvent(stream, event("s1", "agg-a")).AppendEvent(stream, event("s2", "agg-a"));
  first.AppendEvent(stream, event("s3", "agg-b")).ExpectVersion(entity, 0).Put(entity, 1, "x");
  ASSERT_TRUE(first.Commit(*redis_).ok());
  WriteBatch stale;  // refused by its version guard
  stale.ExpectVersion(entity, 0).AppendEvent(stream, event("s4", "agg-a"));
  EXPECT_EQ(stale.Commit(*redis_).status().code(), absl::StatusCode::kAborted);
  const std::string req = ShardKey("g", 1, "req:seq");
  WriteBatch once;
  once.Dedupe(req, absl::Hours(1), "r").AppendEvent(stream, event("s5", "agg-a"));
  ASSERT_TRUE(once.Commit(*redis_).ok());
  auto dup = once.Commit(*redis_);  // a duplicate: applies nothing
  ASSERT_TRUE(dup.ok()) << dup.status();
  EXPECT_TRUE(dup->duplicate);
  WriteBatch last;
  last.AppendEvent(stream, event("s6", "agg-b")).AppendEvent(stream, event("s7", "agg-a"));
  ASSERT_TRUE(last.Commit(*redis_).ok());
  WriteBatch interleaved;  // one counter increment per subject numbers them in op order
  interleaved.AppendEvent(stream, event("s8", "agg-a")).AppendEvent(stream, event("s9", "agg-b"));
  interleaved.AppendEvent(stream, event("s10", "agg-a")).AppendEvent(stream, event("s11", "agg-a"));
  ASSERT_TRUE(interleaved.Commit(*redis_).ok());

  auto range = redis_->Command({"XRANGE", stream, "-", "+"});
  ASSERT_TRUE(range.ok()) << range.status();
  std::vector<std::string> got;
  for (const auto& entry : range->elements) {
    auto e = FromOutboxFields(entry.elements[1].elements);
    ASSERT_TRUE(e.ok()) << e.status();
    got.push_back(absl::StrCat(e->id, ":", e->subject, ":", e->sequence));
  }
  EXPECT_THAT(got, ::testing::ElementsAre("s1:agg-a:1", "s2:agg-a:2", "s3:agg-b:1", "s5:agg-a:3",
                                          "s6:agg-b:2", "s7:agg-a:4", "s8:agg-a:5", "s9:agg-b:3",
                                          "s10:agg-a:6", "s11:agg-a:7"));
  auto counters = redis_->Command({"HMGET", SequenceKey(stream), "agg-a", "agg-b"});
  ASSERT_TRUE(counters.ok()) << counters.status();
  ASSERT_EQ(counters->elements.size(), 2u);
  EXPECT_EQ(counters->elements[0].str, "7");  // the counters end at the last number
  EXPECT_EQ(counters->elements[1].str, "3");
}

// Several Dedupe keys in one batch (a batched chain of consumed events): if any is
// recorded nothing applies; otherwise all are recorded. CommitAll pipelines batches,
// each atomic on its own.
TEST_F(ReliabilityTest, WriteBatchWithSeveralDedupeKeysAndCommitAll) {
  const std::string counter = ShardKey("g", 3, "counter");
  const std::string in1 = ShardKey("g", 3, "inbox:1"), in2 = ShardKey("g", 3, "inbox:2"),
                    in3 = ShardKey("g", 3, "inbox:3");
  WriteBatch chain;
  chain.Dedupe(in1, absl::Hours(1), "1").Dedupe(in2, absl::Hours(1), "1").IncrBy(counter, 2);
  auto applied = chain.Commit(*redis_);
  ASSERT_TRUE(applied.ok()) << applied.status();
  EXPECT_FALSE(applied->duplicate);
  EXPECT_EQ(Integer({"EXISTS", in1, in2}), 2);
  EXPECT_EQ(Int(counter), 2);
  WriteBatch overlapping;  // in3 is new, in2 is recorded: nothing applies
  overlapping.Dedupe(in3, absl::Hours(1), "3").Dedupe(in2, absl::Hours(1), "x").IncrBy(counter, 5);
  auto dup = overlapping.Commit(*redis_);
  ASSERT_TRUE(dup.ok()) << dup.status();
  EXPECT_TRUE(dup->duplicate);
  EXPECT_EQ(dup->prior_response, "1");
  EXPECT_EQ(Integer({"EXISTS", in3}), 0);
  EXPECT_EQ(Int(counter), 2);

  const std::string e1 = ShardKey("g", 4, "e1"), e2 = ShardKey("g", 5, "e2");
  std::vector<WriteBatch> batches(3);
  batches[0].ExpectVersion(e1, 0).Put(e1, 1, "a");
  batches[1].ExpectVersion(e2, 7).Put(e2, 8, "b");  // stale guard: ABORTED, nothing written
  // batches[2] is empty: OK without a round trip.
  auto results = WriteBatch::CommitAll(*redis_, batches);
  ASSERT_TRUE(results.ok()) << results.status();
  ASSERT_EQ(results->size(), 3u);
  EXPECT_TRUE((*results)[0].ok()) << (*results)[0].status();
  EXPECT_EQ((*results)[1].status().code(), absl::StatusCode::kAborted);
  EXPECT_TRUE((*results)[2].ok());
  EXPECT_EQ(Integer({"EXISTS", e1}), 1);
  EXPECT_EQ(Integer({"EXISTS", e2}), 0);
  // After SCRIPT FLUSH (as after a Redis restart) the pipelined EVALSHAs answer
  // NOSCRIPT and are re-run after loading the script.
  ASSERT_TRUE(redis_->Command({"SCRIPT", "FLUSH"}).ok());
  std::vector<WriteBatch> again(1);
  again[0].ExpectVersion(e1, 1).Put(e1, 2, "b");
  auto reloaded = WriteBatch::CommitAll(*redis_, again);
  ASSERT_TRUE(reloaded.ok()) << reloaded.status();
  EXPECT_TRUE((*reloaded)[0].ok()) << (*reloaded)[0].status();
}

}  // namespace
}  // namespace revisit
