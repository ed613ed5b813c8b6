// OutboxRelay against a real redis-server (AOF, appendfsync always) with a publisher
// the test controls, so a fault lands exactly where it is meant to (issue 18):
//   - redis-server is SIGKILLed while delivery reports are held, i.e. after the
//     events were published and before the relay acknowledged them, many times
//     under write load: the backlog and every pending list drain without a restart
//     of the relay, and the one relay process publishes every event exactly once,
//     each subject's events in ce_sequence order;
//   - a publisher that never reports: a pass ends after delivery_timeout, the entry
//     is not published again while its report is outstanding, and Stop() returns
//     with the entry still in the outbox.
#include <gtest/gtest.h>

#include <atomic>
#include <deque>
#include <functional>
#include <map>
#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "common/keys.h"
#include "common/outbox.h"
#include "common/redis_client.h"
#include "common/write_batch.h"
#include "tests/harness/eventually.h"
#include "tests/harness/redis_server.h"

namespace revisit {
namespace {

using testing::RedisServer;

constexpr absl::Duration kGuard = absl::Seconds(60);  // failure guard, not a timing check
constexpr absl::Duration kPoll = absl::Milliseconds(10);
constexpr char kService[] = "relaytest";
constexpr int kStreams = 4;  // shards the writer uses

// Publishes into memory. Delivery reports go out on its own thread, like a producer's,
// unless Hold() keeps them back until Release().
class ControlledPublisher {
 public:
  ControlledPublisher() : thread_([this] { Loop(); }) {}
  ~ControlledPublisher() {
    {
      absl::MutexLock lock(&mu_);
      done_ = true;
      held_ = false;
    }
    thread_.join();
  }

  PublishFn Fn() {
    return [this](const EventEnvelope& e, std::function<void(absl::Status)> report) {
      absl::MutexLock lock(&mu_);
      ++copies_[e.id];
      order_[e.subject].push_back(e.sequence);
      reports_.push_back(std::move(report));
    };
  }
  void Hold() {
    absl::MutexLock lock(&mu_);
    held_ = true;
  }
  // Waits until at least one report is held back (a pass is waiting for it).
  bool AwaitHeldReport() {
    absl::MutexLock lock(&mu_);
    auto some = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return !reports_.empty(); };
    return mu_.AwaitWithTimeout(absl::Condition(&some), kGuard);
  }
  void Release() {
    absl::MutexLock lock(&mu_);
    held_ = false;
  }
  std::map<std::string, int> copies() {
    absl::MutexLock lock(&mu_);
    return copies_;
  }
  std::map<std::string, std::vector<int64_t>> order() {
    absl::MutexLock lock(&mu_);
    return order_;
  }

 private:
  void Loop() {
    while (true) {
      std::deque<std::function<void(absl::Status)>> batch;
      {
        absl::MutexLock lock(&mu_);
        auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
          return done_ || (!held_ && !reports_.empty());
        };
        mu_.Await(absl::Condition(&ready));
        if (reports_.empty() && done_) return;
        batch.swap(reports_);
      }
      for (auto& report : batch) report(absl::OkStatus());
    }
  }

  absl::Mutex mu_;
  bool held_ ABSL_GUARDED_BY(mu_) = false;
  bool done_ ABSL_GUARDED_BY(mu_) = false;
  std::deque<std::function<void(absl::Status)>> reports_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, int> copies_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, std::vector<int64_t>> order_ ABSL_GUARDED_BY(mu_);
  std::thread thread_;
};

EventEnvelope Event(int i) {
  EventEnvelope e;
  e.id = absl::StrCat("evt-", i);
  e.source = absl::StrCat("revisit/", kService);
  e.type = absl::StrCat("revisit.", kService, ".happened.v1");
  e.time = absl::FromUnixMillis(1767225600000 + i);
  e.subject = absl::StrCat("agg-", i % 12);
  e.key = absl::StrCat("cus-", i % 12);
  e.topic = absl::StrCat("revisit.", kService, ".v1");
  e.payload = e.id;
  return e;
}

int Shard(int i) { return (i % 12) % kStreams; }  // a subject always lands in one shard

class OutboxRelayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = RedisServer::Start();
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    redis_ = std::make_unique<RedisClient>(Options());
  }

  RedisOptions Options() const {
    RedisOptions o;
    o.port = server_->port();
    o.reconnect_budget = absl::Milliseconds(200);
    return o;
  }

  // Commits event i (retried with the same request ID until it is acknowledged).
  absl::Status Commit(RedisClient& redis, int i) {
    WriteBatch batch;
    batch.Dedupe(ShardKey(kService, Shard(i), absl::StrCat("req:", i)), absl::Hours(1), "ok");
    batch.AppendEvent(OutboxStream(kService, Shard(i)), Event(i));
    return batch.Commit(redis).status();
  }

  // Relay options for this suite's service, as instance `instance_id`.
  static OutboxRelayOptions RelayOptions(const std::string& instance_id) {
    OutboxRelayOptions o;
    o.service = kService;
    o.instance_id = instance_id;
    return o;
  }

  // Runs relay passes until its backlog is empty (failure guard only).
  static absl::Status Drain(OutboxRelay& relay) {
    return testing::Eventually("the backlog drained", [&] {
      auto n = relay.RunOnce();
      return n.ok() && relay.Backlog() == 0;
    }, kGuard, kPoll);
  }

  int64_t Pending() {
    int64_t total = 0;
    for (int s = 0; s < kStreams; ++s) {
      auto r = redis_->Command({"XPENDING", OutboxStream(kService, s), "relay"});
      if (!r.ok()) return -1;
      if (r->type == RedisValue::Type::kArray && !r->elements.empty()) {
        total += r->elements[0].integer;
      }
    }
    return total;
  }

  std::unique_ptr<RedisServer> server_;
  std::unique_ptr<RedisClient> redis_;
};

TEST_F(OutboxRelayTest, RedisKilledBetweenDeliveryAndAckDrainsWithoutRepublishing) {
  constexpr int kKills = 12;
  ControlledPublisher publisher;
  RedisClient relay_redis(Options());
  OutboxRelayOptions o = RelayOptions("relay-crash-test");
  o.batch_size = 16;
  OutboxRelay relay(relay_redis, publisher.Fn(), o);
  relay.Start();

  RedisClient writer_redis(Options());
  std::atomic<bool> stop{false};
  std::atomic<int> committed{0};
  std::thread writer([&] {
    for (int i = 0; !stop;) {
      if (Commit(writer_redis, i).ok()) {
        committed = ++i;
      } else {
        absl::SleepFor(absl::Milliseconds(5));
      }
    }
  });

  for (int kill = 0; kill < kKills; ++kill) {
    const int before = committed;
    auto twenty_more = [&] { return committed >= before + 20; };
    ASSERT_TRUE(testing::Eventually("20 more commits", twenty_more, kGuard, kPoll).ok());
    publisher.Hold();
    ASSERT_TRUE(publisher.AwaitHeldReport()) << "the relay published nothing";
    ASSERT_TRUE(server_->Kill().ok());  // published, reports pending, nothing acked yet
    publisher.Release();                // delivered: the relay's acknowledgement fails
    absl::SleepFor(absl::Milliseconds(50));
    ASSERT_TRUE(server_->Restart().ok());
  }
  auto twenty = [&] { return committed >= 20; };
  ASSERT_TRUE(testing::Eventually("20 commits", twenty, kGuard, kPoll).ok());
  stop = true;
  writer.join();
  const int total = committed;

  auto drained = [&] { return relay.Backlog() == 0 && Pending() == 0; };
  EXPECT_TRUE(testing::Eventually("backlog and pending lists drained", drained, kGuard, kPoll).ok())
      << "backlog " << relay.Backlog() << ", pending " << Pending();
  relay.Stop();

  std::map<std::string, int> copies = publisher.copies();
  int published = 0;
  for (int i = 0; i < total; ++i) {
    const std::string id = absl::StrCat("evt-", i);
    EXPECT_EQ(copies[id], 1) << id << " published " << copies[id] << " times by one relay";
    published += copies[id] > 0 ? 1 : 0;
  }
  EXPECT_EQ(published, total);
  for (const auto& [subject, sequences] : publisher.order()) {
    for (size_t k = 0; k < sequences.size(); ++k) {
      ASSERT_EQ(sequences[k], static_cast<int64_t>(k + 1)) << subject << " out of order";
    }
  }
  std::cerr << "[outbox relay] " << kKills << " redis kills between delivery and ack, "
            << total << " events committed and published once each" << std::endl;
}

TEST_F(OutboxRelayTest, DeliveryTimeoutBoundsAPassAndStopLeavesTheEntryInTheOutbox) {
  ControlledPublisher publisher;
  publisher.Hold();  // no report arrives until Release()
  OutboxRelayOptions o = RelayOptions("relay-timeout-test");
  o.delivery_timeout = absl::Milliseconds(100);
  OutboxRelay relay(*redis_, publisher.Fn(), o);
  ASSERT_TRUE(Commit(*redis_, 0).ok());

  auto first = relay.RunOnce();  // returns although the report never came
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(*first, 0);
  auto second = relay.RunOnce();
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(publisher.copies()["evt-0"], 1) << "not published again while its report is out";
  EXPECT_EQ(relay.Backlog(), 1);

  publisher.Release();
  ASSERT_TRUE(Drain(relay).ok());
  EXPECT_EQ(publisher.copies()["evt-0"], 1);

  // Stop during a wait for a report that never comes: returns, the entry stays.
  publisher.Hold();
  ASSERT_TRUE(Commit(*redis_, 1).ok());
  OutboxRelayOptions slow = o;
  slow.delivery_timeout = absl::Hours(1);
  OutboxRelay stuck(*redis_, publisher.Fn(), slow);
  stuck.Start();
  ASSERT_TRUE(publisher.AwaitHeldReport());
  stuck.Stop();
  EXPECT_EQ(relay.Backlog(), 1) << "undelivered: stays in the outbox for the next start";
}

// Issue 14: an entry that cannot be decoded is kept in the shard's quarantine stream
// with its raw fields and the reason, never published and never silently dropped;
// the entries after it are still published.
TEST_F(OutboxRelayTest, CorruptEntryIsQuarantinedWithItsFieldsAndTheRestFlows) {
  ControlledPublisher publisher;
  OutboxRelayOptions o = RelayOptions("relay-quarantine-test");
  OutboxRelay relay(*redis_, publisher.Fn(), o);
  const std::string stream = OutboxStream(kService, Shard(0));
  auto added = redis_->Command({"XADD", stream, "*", "ce_id", "broken", "garbage", "x"});
  ASSERT_TRUE(added.ok()) << added.status();
  ASSERT_TRUE(Commit(*redis_, 0).ok());

  ASSERT_TRUE(Drain(relay).ok());
  EXPECT_EQ(publisher.copies()["evt-0"], 1);
  EXPECT_EQ(publisher.copies().count("broken"), 0u);

  auto kept = redis_->Command({"XRANGE", QuarantineStream(stream), "-", "+"});
  ASSERT_TRUE(kept.ok()) << kept.status();
  ASSERT_EQ(kept->elements.size(), 1u);
  std::map<std::string, std::string> fields;
  const auto& flat = kept->elements[0].elements[1].elements;
  for (size_t i = 0; i + 1 < flat.size(); i += 2) fields[flat[i].str] = flat[i + 1].str;
  EXPECT_EQ(fields["entry_id"], added->str);
  EXPECT_FALSE(fields["error"].empty());
  EXPECT_EQ(fields["ce_id"], "broken");
  EXPECT_EQ(fields["garbage"], "x");
}

// Issue 17, upgrade path: entries in the eleven-field form (what versions before the
// compact entry wrote; REVISIT_OUTBOX_COMPACT=false writes it) are published beside
// compact ones, numbered by the same counter, in stream order.
TEST_F(OutboxRelayTest, EntriesOfTheElevenFieldFormAreStillPublished) {
  ControlledPublisher publisher;
  OutboxRelayOptions o = RelayOptions("relay-upgrade-test");
  OutboxRelay relay(*redis_, publisher.Fn(), o);
  const std::string stream = OutboxStream(kService, Shard(0));
  SetCompactOutboxEntries(false);
  const absl::Status old_form = Commit(*redis_, 12);  // same subject and shard as event 0
  SetCompactOutboxEntries(true);
  ASSERT_TRUE(old_form.ok()) << old_form;
  ASSERT_TRUE(Commit(*redis_, 0).ok());
  auto entries = redis_->Command({"XRANGE", stream, "-", "+"});
  ASSERT_TRUE(entries.ok()) << entries.status();
  ASSERT_EQ(entries->elements.size(), 2u);
  EXPECT_EQ(entries->elements[0].elements[1].elements.size(), 22u);  // eleven pairs
  EXPECT_EQ(entries->elements[1].elements[1].elements.size(), 2u);   // one field

  ASSERT_TRUE(Drain(relay).ok());
  EXPECT_EQ(publisher.copies()["evt-12"], 1);
  EXPECT_EQ(publisher.copies()["evt-0"], 1);
  EXPECT_EQ(publisher.order()["agg-0"], (std::vector<int64_t>{1, 2}));
  auto kept = redis_->Command({"XLEN", QuarantineStream(stream)});
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(kept->integer, 0);
}

// A compact entry that does not decode is quarantined like any corrupt entry.
TEST_F(OutboxRelayTest, CorruptCompactEntryIsQuarantined) {
  ControlledPublisher publisher;
  OutboxRelayOptions o = RelayOptions("relay-quarantine-compact-test");
  OutboxRelay relay(*redis_, publisher.Fn(), o);
  const std::string stream = OutboxStream(kService, Shard(0));
  auto added = redis_->Command({"XADD", stream, "*", kOutboxEntryField, "7:truncated"});
  ASSERT_TRUE(added.ok()) << added.status();
  ASSERT_TRUE(Commit(*redis_, 0).ok());

  ASSERT_TRUE(Drain(relay).ok());
  EXPECT_EQ(publisher.copies()["evt-0"], 1);
  auto kept = redis_->Command({"XRANGE", QuarantineStream(stream), "-", "+"});
  ASSERT_TRUE(kept.ok()) << kept.status();
  ASSERT_EQ(kept->elements.size(), 1u);
  std::map<std::string, std::string> fields;
  const auto& flat = kept->elements[0].elements[1].elements;
  for (size_t i = 0; i + 1 < flat.size(); i += 2) fields[flat[i].str] = flat[i + 1].str;
  EXPECT_EQ(fields["entry_id"], added->str);
  EXPECT_EQ(fields[kOutboxEntryField], "7:truncated");
}

}  // namespace
}  // namespace revisit
