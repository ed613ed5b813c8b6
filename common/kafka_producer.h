// Idempotent Kafka producer for events and dead-letter records.
//
// KafkaProducer wraps one librdkafka producer configured with
// enable.idempotence=true and acks=all, so a retried send never duplicates or
// reorders within a partition. Produce() is asynchronous: it enqueues the record
// and `on_delivery` later receives the broker's verdict. A dedicated poll thread
// owned by the producer serves delivery reports, so callers never poll.
//
// Thread-safety: every method may be called concurrently from any thread.
// `on_delivery` runs on the producer's poll thread; it must not block for long and
// must not destroy the producer.
// Errors: Create returns INVALID_ARGUMENT for a bad property. Produce returns
// INVALID_ARGUMENT for an invalid envelope and INTERNAL once a fatal (idempotence)
// error occurred; a delivery failure reaches `on_delivery` as UNAVAILABLE,
// DEADLINE_EXCEEDED (message.timeout.ms), NOT_FOUND (unknown topic), CANCELLED
// (discarded by destruction) or INTERNAL (fatal error).
#ifndef REVISIT_COMMON_KAFKA_PRODUCER_H_
#define REVISIT_COMMON_KAFKA_PRODUCER_H_

#include <librdkafka/rdkafkacpp.h>

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/event_envelope.h"
#include "common/kafka_namespace.h"

namespace revisit {

// Maps a librdkafka error code to an absl::Status with `context` in the message.
absl::Status KafkaStatus(RdKafka::ErrorCode code, const std::string& context);

// Builds an RdKafka::Conf from properties; INVALID_ARGUMENT names a bad property.
absl::StatusOr<std::unique_ptr<RdKafka::Conf>> MakeKafkaConf(
    const std::map<std::string, std::string>& props);

struct KafkaProducerOptions {
  std::string bootstrap;  // "host:port[,host:port...]"
  std::string client_id = "revisit";
  // Extra librdkafka properties; applied last, so they override the defaults.
  std::map<std::string, std::string> extra;
  // Every topic this producer writes is mapped through it (REVISIT_TOPIC_PREFIX).
  KafkaNamespace kafka_namespace;
};

class KafkaProducer {
 public:
  using DeliveryCallback = std::function<void(absl::Status)>;

  static absl::StatusOr<std::unique_ptr<KafkaProducer>> Create(
      const KafkaProducerOptions& options);

  // Discards records not yet delivered (their callbacks get CANCELLED) and stops
  // the poll thread. Call Flush() first to deliver them.
  ~KafkaProducer();
  KafkaProducer(const KafkaProducer&) = delete;
  KafkaProducer& operator=(const KafkaProducer&) = delete;

  // Enqueues `envelope` (key, payload and CloudEvents headers) for
  // envelope.topic. On OK, `on_delivery` is called exactly once, later, from the
  // poll thread with the delivery result. On error it is never called. Blocks
  // while the local queue is full.
  absl::Status Produce(const EventEnvelope& envelope, DeliveryCallback on_delivery);

  // Like Produce() for a raw record (the dead-letter path): any key, value, headers.
  absl::Status ProduceRaw(const std::string& topic, const std::string& key,
                          const std::string& value, const KafkaHeaders& headers,
                          DeliveryCallback on_delivery);

  // Produces and waits for the delivery report. DEADLINE_EXCEEDED if none arrived
  // within `timeout` (the record may still be delivered later).
  absl::Status ProduceSync(const EventEnvelope& envelope, absl::Duration timeout);
  absl::Status ProduceRawSync(const std::string& topic, const std::string& key,
                              const std::string& value, const KafkaHeaders& headers,
                              absl::Duration timeout);

  // Waits until every enqueued record's callback has returned. DEADLINE_EXCEEDED
  // with the number still pending if `timeout` passes first.
  absl::Status Flush(absl::Duration timeout);

  // Asks any broker for metadata: OK when one answered within `timeout`, else
  // UNAVAILABLE / DEADLINE_EXCEEDED (readiness probe).
  absl::Status Ping(absl::Duration timeout);

  // Records enqueued whose callback has not yet returned.
  int64_t Pending() const;

  // OK when every topic in `logical` (mapped through the namespace) exists on the
  // cluster. Topics are created by the deployment, never auto-created, so a missing
  // one is NOT_FOUND naming it; UNAVAILABLE when no broker answers within `timeout`.
  absl::Status CheckTopicsExist(const std::vector<std::string>& logical,
                                absl::Duration timeout);

 private:
  KafkaProducer();
  class DeliveryReporter;
  void PollLoop();
  void OnDelivered(RdKafka::Message& message);
  absl::Status Enqueue(const std::string& topic, const std::string& key,
                       const std::string& value, const KafkaHeaders& headers,
                       DeliveryCallback on_delivery);
  absl::Status WaitFor(std::function<absl::Status(DeliveryCallback)> produce,
                       absl::Duration timeout);

  std::unique_ptr<DeliveryReporter> reporter_;  // outlives producer_
  std::unique_ptr<RdKafka::Producer> producer_;
  KafkaNamespace namespace_;
  std::atomic<bool> stopping_{false};
  std::thread poll_thread_;
  mutable absl::Mutex mu_;
  int64_t pending_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace revisit

#endif  // REVISIT_COMMON_KAFKA_PRODUCER_H_
