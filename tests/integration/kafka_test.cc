// Kafka reliability core against a real (mock-cluster) broker process: envelope
// round trip, dead-lettering of poison records and failing handlers, offsets stored
// only after success (redelivery after a crash), replay, batches (RunBatches).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <thread>

#include "absl/synchronization/notification.h"
#include "common/kafka_consumer.h"
#include "common/kafka_producer.h"
#include "tests/harness/kafka_reader.h"
#include "tests/harness/local_broker.h"
#include "tests/harness/subprocess.h"
#include "tests/harness/temp_dir.h"

namespace revisit {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::Pair;
using testing::LocalBroker;

constexpr char kTopics[] = "events:1,events.dlq:1";
constexpr absl::Duration kGuard = absl::Seconds(40);  // failure guard, not a timing check

EventEnvelope Event(const std::string& id, int64_t sequence = 1) {
  EventEnvelope e;
  e.id = id;
  e.source = "revisit/order";
  e.type = "revisit.order.shipped.v1";
  e.time = absl::FromUnixMillis(1767225600000 + sequence);
  e.subject = "order-1";
  e.sequence = sequence;
  e.traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  e.key = "cust-1";
  e.topic = "events";
  e.payload = "payload-" + id;
  return e;
}

class KafkaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto broker = LocalBroker::Start({1, kTopics});
    ASSERT_TRUE(broker.ok()) << broker.status();
    broker_ = *std::move(broker);
    auto producer = KafkaProducer::Create({broker_->Bootstrap(), "test", {}, broker_->Namespace()});
    ASSERT_TRUE(producer.ok()) << producer.status();
    producer_ = *std::move(producer);
  }

  void Produce(const EventEnvelope& e) {
    ASSERT_TRUE(producer_->ProduceSync(e, kGuard).ok());
  }

  std::unique_ptr<KafkaConsumer> Consumer(const std::string& group, bool replay = false) {
    return ConsumerWith(group, [&](KafkaConsumerOptions& o) { o.replay_from_beginning = replay; });
  }

  std::unique_ptr<KafkaConsumer> ConsumerWith(
      const std::string& group, const std::function<void(KafkaConsumerOptions&)>& edit) {
    KafkaConsumerOptions o;
    o.bootstrap = broker_->Bootstrap();
    o.group_id = group;
    o.topics = {"events"};
    o.dead_letter_topic = "events.dlq";
    o.kafka_namespace = broker_->Namespace();
    o.max_attempts = 3;
    o.retry_backoff = absl::Milliseconds(10);
    edit(o);
    auto c = KafkaConsumer::Create(o);
    EXPECT_TRUE(c.ok()) << c.status();
    return c.ok() ? *std::move(c) : nullptr;
  }

  // Runs `consumer` until the handler stops it, or the guard expires (a failure).
  void RunGuarded(KafkaConsumer& consumer, const KafkaConsumer::Handler& handler) {
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

  std::unique_ptr<LocalBroker> broker_;
  std::unique_ptr<KafkaProducer> producer_;
};

TEST_F(KafkaTest, EnvelopeRoundTripsThroughBroker) {
  EventEnvelope sent = Event("evt-1", 7);
  Produce(sent);
  absl::StatusOr<std::vector<EventEnvelope>> read = testing::ReadAll(broker_->Bootstrap(), "events");
  ASSERT_TRUE(read.ok()) << read.status();
  ASSERT_EQ(read->size(), 1u);

  std::unique_ptr<KafkaConsumer> consumer = Consumer("g-roundtrip");
  ASSERT_NE(consumer, nullptr);
  EventEnvelope got;
  RunGuarded(*consumer, [&](const EventEnvelope& e) {
    got = e;
    consumer->Stop();
    return absl::OkStatus();
  });
  for (const EventEnvelope& e : {read->front(), got}) {
    EXPECT_EQ(e.id, sent.id);
    EXPECT_EQ(e.source, sent.source);
    EXPECT_EQ(e.type, sent.type);
    EXPECT_EQ(e.time, sent.time);
    EXPECT_EQ(e.subject, sent.subject);
    EXPECT_EQ(e.sequence, 7);
    EXPECT_EQ(e.traceparent, sent.traceparent);
    EXPECT_EQ(e.key, "cust-1");
    EXPECT_EQ(e.topic, broker_->Namespace().Topic("events"));  // the physical topic
    EXPECT_EQ(e.payload, "payload-evt-1");
    EXPECT_EQ(e.partition, 0);
    EXPECT_EQ(e.offset, 0);
  }
  EXPECT_EQ(consumer->processed(), 1);
  EXPECT_TRUE(consumer->Close().ok());
}

TEST_F(KafkaTest, PoisonAndFailingRecordsAreDeadLetteredAndConsumerMovesOn) {
  ASSERT_TRUE(producer_->ProduceRawSync("events", "cust-1", "not-an-event", {}, kGuard).ok());
  Produce(Event("always-fails", 1));
  Produce(Event("fine", 2));

  std::unique_ptr<KafkaConsumer> consumer = Consumer("g-dlq");
  ASSERT_NE(consumer, nullptr);
  std::vector<std::string> calls;
  RunGuarded(*consumer, [&](const EventEnvelope& e) {
    calls.push_back(e.id);
    if (e.id == "always-fails") return absl::FailedPreconditionError("no such customer");
    consumer->Stop();
    return absl::OkStatus();
  });
  EXPECT_THAT(calls, ElementsAre("always-fails", "always-fails", "always-fails", "fine"));
  EXPECT_EQ(consumer->processed(), 1);
  EXPECT_EQ(consumer->retried(), 2);
  EXPECT_EQ(consumer->dead_lettered(), 2);
  ASSERT_TRUE(consumer->Close().ok());

  auto dlq = testing::ReadAtLeast(broker_->Bootstrap(), "events.dlq", 2);
  ASSERT_TRUE(dlq.ok()) << dlq.status();
  ASSERT_EQ(dlq->size(), 2u);
  const RawRecord& poison = (*dlq)[0];
  EXPECT_EQ(poison.value, "not-an-event");
  EXPECT_EQ(poison.key, "cust-1");
  EXPECT_THAT(poison.headers, Contains(Pair("dlq_error", "missing header ce_specversion")));
  EXPECT_THAT(poison.headers, Contains(Pair("dlq_code", "INVALID_ARGUMENT")));
  EXPECT_THAT(poison.headers, Contains(Pair("dlq_attempts", "0")));
  EXPECT_THAT(poison.headers, Contains(Pair("dlq_original_offset", "0")));
  const RawRecord& failed = (*dlq)[1];
  EXPECT_THAT(failed.headers, Contains(Pair("ce_id", "always-fails")));
  EXPECT_THAT(failed.headers, Contains(Pair("dlq_error", "no such customer")));
  EXPECT_THAT(failed.headers, Contains(Pair("dlq_code", "FAILED_PRECONDITION")));
  EXPECT_THAT(failed.headers, Contains(Pair("dlq_attempts", "3")));
  EXPECT_THAT(failed.headers, Contains(Pair("dlq_group", "g-dlq")));
  EXPECT_THAT(failed.headers,
              Contains(Pair("dlq_original_topic", broker_->Namespace().Topic("events"))));
  EXPECT_THAT(failed.headers, Contains(Pair("dlq_original_partition", "0")));
  EXPECT_THAT(failed.headers, Contains(Pair("dlq_original_offset", "1")));
  EXPECT_EQ(failed.value, "payload-always-fails");

  // The group's committed offset is past all three: a new member sees only new records.
  Produce(Event("next", 3));
  std::unique_ptr<KafkaConsumer> second = Consumer("g-dlq");
  ASSERT_NE(second, nullptr);
  std::string first_seen;
  RunGuarded(*second, [&](const EventEnvelope& e) {
    first_seen = e.id;
    second->Stop();
    return absl::OkStatus();
  });
  EXPECT_EQ(first_seen, "next");
}

// RunBatches: the batch handler sees the parsed records; the ones it fails go one at a
// time through the per-record handler (retries, dead letter) in partition order; the
// offsets end past every settled record.
TEST_F(KafkaTest, BatchFailuresAreHandledOneAtATimeInOrderAndOffsetsStored) {
  ASSERT_TRUE(producer_->ProduceRawSync("events", "cust-1", "not-an-event", {}, kGuard).ok());
  for (const char* id : {"b-ok-1", "b-fails", "b-retry", "b-ok-2"}) Produce(Event(id));
  std::unique_ptr<KafkaConsumer> consumer = Consumer("g-batch");
  ASSERT_NE(consumer, nullptr);
  std::vector<std::string> batched, single;
  bool retried = false, last_seen = false;
  auto batch = [&](const std::vector<EventEnvelope>& events) {
    std::vector<absl::Status> out;
    for (const auto& e : events) {
      batched.push_back(e.id);
      last_seen = last_seen || e.id == "b-ok-2";
      bool fail = e.id == "b-fails" || e.id == "b-retry";
      out.push_back(fail ? absl::AbortedError("conflict") : absl::OkStatus());
    }
    if (last_seen && retried) consumer->Stop();
    return out;
  };
  auto one = [&](const EventEnvelope& e) {
    single.push_back(e.id);
    if (e.id == "b-fails") return absl::FailedPreconditionError("no such customer");
    retried = true;
    if (last_seen) consumer->Stop();  // b-ok-2 settles after it, in this batch
    return absl::OkStatus();
  };
  absl::Notification finished;
  std::thread guard([&] {
    if (!finished.WaitForNotificationWithTimeout(kGuard)) {
      ADD_FAILURE() << "consumer guard expired";
      consumer->Stop();
    }
  });
  EXPECT_TRUE(consumer->RunBatches(batch, one).ok());
  finished.Notify();
  guard.join();
  EXPECT_THAT(batched, ElementsAre("b-ok-1", "b-fails", "b-retry", "b-ok-2"));
  EXPECT_THAT(single, ElementsAre("b-fails", "b-fails", "b-fails", "b-retry"));
  EXPECT_EQ(consumer->processed(), 3);
  EXPECT_EQ(consumer->dead_lettered(), 2);  // the poison record and b-fails
  ASSERT_TRUE(consumer->Close().ok());
  auto dlq = testing::ReadAtLeast(broker_->Bootstrap(), "events.dlq", 2);
  ASSERT_TRUE(dlq.ok()) << dlq.status();
  ASSERT_EQ(dlq->size(), 2u);
  EXPECT_EQ((*dlq)[0].value, "not-an-event");
  EXPECT_THAT((*dlq)[1].headers, Contains(Pair("ce_id", "b-fails")));

  Produce(Event("b-next"));  // the group's offset is past all five
  std::unique_ptr<KafkaConsumer> second = Consumer("g-batch");
  ASSERT_NE(second, nullptr);
  std::string first_seen;
  RunGuarded(*second, [&](const EventEnvelope& e) {
    first_seen = e.id;
    second->Stop();
    return absl::OkStatus();
  });
  EXPECT_EQ(first_seen, "b-next");
}

TEST_F(KafkaTest, RecordIsRedeliveredWhenConsumerStopsBeforeSuccess) {
  Produce(Event("evt-a", 1));
  std::unique_ptr<KafkaConsumer> first = Consumer("g-stop");
  ASSERT_NE(first, nullptr);
  RunGuarded(*first, [&](const EventEnvelope& e) {
    first->Stop();  // shutting down mid-retry: the offset must stay unstored
    return absl::UnavailableError("redis down");
  });
  EXPECT_EQ(first->dead_lettered(), 0);
  ASSERT_TRUE(first->Close().ok());

  std::unique_ptr<KafkaConsumer> second = Consumer("g-stop");
  ASSERT_NE(second, nullptr);
  std::string got;
  RunGuarded(*second, [&](const EventEnvelope& e) {
    got = e.id;
    second->Stop();
    return absl::OkStatus();
  });
  EXPECT_EQ(got, "evt-a");
}

TEST_F(KafkaTest, RecordIsRedeliveredAfterConsumerProcessIsKilled) {
  Produce(Event("evt-killed", 1));
  auto dir = testing::TempDir::Create();
  ASSERT_TRUE(dir.ok());
  std::string marker = (*dir)->File("marker");
  auto helper = testing::Subprocess::Start(
      {KAFKA_CONSUMER_HELPER_PATH,
       {broker_->Bootstrap(), "events", "g-kill", "events.dlq", marker}, {}, (*dir)->File("log")});
  ASSERT_TRUE(helper.ok()) << helper.status();
  absl::Time deadline = absl::Now() + kGuard;
  while (!testing::ReadFile(marker).ok() && (*helper)->Running() && absl::Now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_EQ(testing::ReadFile(marker).value_or(""), "evt-killed") << (*helper)->ReadLog();
  ASSERT_TRUE((*helper)->Kill().ok());

  // The dead member is evicted after its session timeout (6 s); then we get the record.
  std::unique_ptr<KafkaConsumer> next = Consumer("g-kill");
  ASSERT_NE(next, nullptr);
  std::string got;
  RunGuarded(*next, [&](const EventEnvelope& e) {
    got = e.id;
    next->Stop();
    return absl::OkStatus();
  });
  EXPECT_EQ(got, "evt-killed");
}

TEST_F(KafkaTest, ReplayFromBeginningIgnoresCommittedOffsets) {
  Produce(Event("r1", 1));
  Produce(Event("r2", 2));
  auto consume_all = [&](bool replay) {
    std::unique_ptr<KafkaConsumer> c = Consumer("g-replay", replay);
    std::vector<std::string> ids;
    if (c == nullptr) return ids;
    RunGuarded(*c, [&](const EventEnvelope& e) {
      ids.push_back(e.id);
      if (ids.size() == 2) c->Stop();
      return absl::OkStatus();
    });
    EXPECT_TRUE(c->Close().ok());
    return ids;
  };
  EXPECT_THAT(consume_all(false), ElementsAre("r1", "r2"));
  EXPECT_THAT(consume_all(true), ElementsAre("r1", "r2"));
}

TEST_F(KafkaTest, LagCountsRecordsAfterTheOneBeingHandled) {
  for (int i = 0; i < 5; ++i) Produce(Event("lag-" + std::to_string(i), i));
  std::unique_ptr<KafkaConsumer> consumer = ConsumerWith(
      "g-lag", [](KafkaConsumerOptions& o) { o.lag_refresh_interval = absl::ZeroDuration(); });
  ASSERT_NE(consumer, nullptr);
  std::vector<int64_t> lags;
  RunGuarded(*consumer, [&](const EventEnvelope& e) {
    lags.push_back(consumer->Lag());
    if (lags.size() == 5) consumer->Stop();
    return absl::OkStatus();
  });
  EXPECT_THAT(lags, ElementsAre(4, 3, 2, 1, 0));
  EXPECT_EQ(consumer->processed(), 5);
}

TEST_F(KafkaTest, ProducerReportsDeliveryExactlyOnceAndFlushes) {
  std::atomic<int> ok{0};
  for (int i = 0; i < 100; ++i) {
    ASSERT_TRUE(producer_->Produce(Event("bulk-" + std::to_string(i), i), [&](absl::Status s) {
      if (s.ok()) ++ok;
    }).ok());
  }
  ASSERT_TRUE(producer_->Flush(kGuard).ok());
  EXPECT_EQ(ok.load(), 100);
  EXPECT_EQ(producer_->Pending(), 0);
  EventEnvelope invalid = Event("x");
  invalid.key.clear();
  EXPECT_EQ(producer_->Produce(invalid, [](absl::Status) {}).code(),
            absl::StatusCode::kInvalidArgument);
  auto read = testing::ReadAll(broker_->Bootstrap(), "events");
  ASSERT_TRUE(read.ok()) << read.status();
  ASSERT_EQ(read->size(), 100u);
  for (int i = 0; i < 100; ++i) EXPECT_EQ((*read)[i].sequence, i);  // one key: in order
}

}  // namespace
}  // namespace revisit
