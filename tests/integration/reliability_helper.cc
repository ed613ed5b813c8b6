// reliability_helper: a process for reliability_test.cc to SIGKILL at a chosen point.
//
//   reliability_helper relay REDIS_PORT BOOTSTRAP SERVICE BATCH LEASE_MS BLOCK_AT MARKER
//     An OutboxRelay (instance "relay-helper") publishing with a real KafkaProducer.
//     On the BLOCK_AT-th delivery report it writes the report's status to MARKER and
//     hangs in the report callback, so the relay's current pass never acknowledges:
//     the process is "between produce and ack" when the test kills it.
//   reliability_helper consumer REDIS_PORT BOOTSTRAP TOPIC GROUP DLQ MARKER
//     A KafkaConsumer whose handler commits the effect (with its inbox record), writes
//     the event's ce_id to MARKER and hangs: killed before its offset is stored.
//   reliability_helper timers REDIS_PORT SERVICE LEASE_MS BATCH HANG_AT MARKER
//     A TimerScheduler on the real clock whose handler fires timers exactly once and,
//     on its HANG_AT-th call, writes the timer ID to MARKER and hangs before firing it
//     (the rest of its claimed batch stays hidden until the lease ends).
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

#include "common/clock.h"
#include "common/kafka_consumer.h"
#include "common/kafka_producer.h"
#include "common/outbox.h"
#include "common/redis_client.h"
#include "common/timer_queue.h"
#include "tests/integration/reliability_effects.h"

namespace revisit::reliability {
namespace {

[[noreturn]] void Hang() {
  while (true) std::this_thread::sleep_for(std::chrono::seconds(1));
}

int Fail(const absl::Status& st) {
  std::fprintf(stderr, "reliability_helper: %s\n", st.ToString().c_str());
  return 1;
}

// The namespace the test exported (REVISIT_TOPIC_PREFIX).
KafkaNamespace TestNamespace() { return KafkaNamespace::FromEnvironment().value_or(KafkaNamespace()); }

RedisOptions Redis(const char* port) {
  RedisOptions o;
  o.port = std::atoi(port);
  return o;
}

int RunRelay(char** a) {
  RedisClient redis(Redis(a[0]));
  auto producer = KafkaProducer::Create({a[1], "relay-helper", {}, TestNamespace()});
  if (!producer.ok()) return Fail(producer.status());
  const int block_at = std::atoi(a[5]);
  const std::string marker = a[6];
  std::atomic<int> reports{0};
  PublishFn publish = [&](const EventEnvelope& e, std::function<void(absl::Status)> done) {
    absl::Status st = (*producer)->Produce(e, [&, done](absl::Status s) {
      if (++reports == block_at) {
        WriteMarker(marker, s.ok() ? "delivered" : s.ToString());
        Hang();
      }
      done(std::move(s));
    });
    if (!st.ok()) done(st);
  };
  OutboxRelayOptions o;
  o.service = a[2];
  o.instance_id = "relay-helper";
  o.batch_size = std::atoi(a[3]);
  o.lease_ttl = absl::Milliseconds(std::atoi(a[4]));
  OutboxRelay relay(redis, publish, o);
  while (true) {
    auto n = relay.RunOnce();
    if (!n.ok()) std::fprintf(stderr, "relay pass: %s\n", n.status().ToString().c_str());
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

int RunConsumer(char** a) {
  RedisClient redis(Redis(a[0]));
  KafkaConsumerOptions o;
  o.bootstrap = a[1];
  o.topics = {a[2]};
  o.group_id = a[3];
  o.dead_letter_topic = a[4];
  o.kafka_namespace = TestNamespace();
  const std::string marker = a[5];
  auto consumer = KafkaConsumer::Create(o);
  if (!consumer.ok()) return Fail(consumer.status());
  absl::Status run = (*consumer)->Run([&](const EventEnvelope& e) -> absl::Status {
    auto applied = ApplyEventOnce(redis, e);
    if (!applied.ok()) return applied.status();
    WriteMarker(marker, e.id);
    Hang();  // effect committed, offset not stored
  });
  return run.ok() ? 0 : Fail(run);
}

int RunTimers(char** a) {
  RedisClient redis(Redis(a[0]));
  RealClock clock;
  const std::string service = a[1];
  TimerSchedulerOptions o;
  o.service = service;
  o.lease = absl::Milliseconds(std::atoi(a[2]));
  o.batch_size = std::atoi(a[3]);
  const int hang_at = std::atoi(a[4]);
  const std::string marker = a[5];
  int calls = 0;
  TimerScheduler scheduler(redis, clock, o, [&](const DueTimer& t) {
    if (++calls == hang_at) {
      WriteMarker(marker, t.id);
      Hang();  // claimed, not fired
    }
    return FireTimerOnce(redis, service, t);
  });
  while (true) {
    auto n = scheduler.RunOnce();
    if (!n.ok()) std::fprintf(stderr, "timer pass: %s\n", n.status().ToString().c_str());
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

}  // namespace
}  // namespace revisit::reliability

int main(int argc, char** argv) {
  using namespace revisit::reliability;  // NOLINT
  std::string mode = argc > 1 ? argv[1] : "";
  if (mode == "relay" && argc == 9) return RunRelay(argv + 2);
  if (mode == "consumer" && argc == 8) return RunConsumer(argv + 2);
  if (mode == "timers" && argc == 8) return RunTimers(argv + 2);
  std::fprintf(stderr,
               "usage: %s relay REDIS_PORT BOOTSTRAP SERVICE BATCH LEASE_MS BLOCK_AT MARKER\n"
               "       %s consumer REDIS_PORT BOOTSTRAP TOPIC GROUP DLQ MARKER\n"
               "       %s timers REDIS_PORT SERVICE LEASE_MS BATCH HANG_AT MARKER\n",
               argv[0], argv[0], argv[0]);
  return 2;
}
