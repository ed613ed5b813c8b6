// At-least-once Kafka consumer with bounded retries and a dead-letter topic.
//
// KafkaConsumer joins a consumer group and hands each record, parsed into an
// EventEnvelope, to a handler on the caller's thread (Run). A record's offset is
// stored (and then auto-committed) only after
//   - the handler returned OK (its effect is committed), or
//   - the record was durably written to the dead-letter topic (delivery report
//     received): right away when its envelope cannot be parsed (poison), or after
//     `max_attempts` handler failures with exponential backoff in between.
// The dead-letter copy keeps key, value and headers and adds dlq_error, dlq_code,
// dlq_attempts, dlq_group, dlq_original_{topic,partition,offset}. Records of one
// partition are handled strictly in order; a failing record blocks its successors
// until it is retried out. A crash before storing the offset means redelivery, so
// handlers must be idempotent on envelope.id.
//
// Batches (RunBatches): the records already fetched (up to max_batch) go to a batch
// handler in one call, so a service can pipeline its store round trips. Each record
// the batch handler reports failed is then handled one at a time by the per-record
// handler (retries, backoff, dead letter) in partition order. A partition's offset is
// stored only up to the last record whose effect is committed or dead-lettered, so it
// never passes an unsettled record; records after one are redelivered (idempotency).
//
// Thread-safety: Run()/RunBatches() and Close() are called from one thread. Stop(), Lag() and
// the counters may be called from any thread (Stop() also from a sigwait thread,
// not from an async signal handler).
// Errors: Create returns INVALID_ARGUMENT for bad options or properties. Run
// returns OK after Stop(), INTERNAL on a fatal client error.
#ifndef REVISIT_COMMON_KAFKA_CONSUMER_H_
#define REVISIT_COMMON_KAFKA_CONSUMER_H_

#include <librdkafka/rdkafkacpp.h>

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "common/event_envelope.h"
#include "common/kafka_namespace.h"
#include "common/kafka_producer.h"

namespace revisit {

struct KafkaConsumerOptions {
  std::string bootstrap;
  std::string group_id;
  std::string client_id = "revisit";
  std::vector<std::string> topics;
  std::string dead_letter_topic;  // required
  int max_attempts = 5;           // handler calls per record before dead-lettering
  absl::Duration retry_backoff = absl::Milliseconds(200);  // doubles per retry
  absl::Duration max_retry_backoff = absl::Seconds(5);     // cap for the doubling
  absl::Duration session_timeout = absl::Seconds(6);
  // How often Run() recomputes Lag(); zero means before every record (tests).
  absl::Duration lag_refresh_interval = absl::Seconds(1);
  // RunBatches: at most this many records per batch handler call.
  int max_batch = 256;
  // Replay: when true, each partition is read from its beginning the first time it
  // is assigned to this consumer, ignoring committed offsets.
  bool replay_from_beginning = false;
  // Extra librdkafka properties of the consumer and of its dead-letter producer
  // (security, sockets); applied last, so they override the defaults.
  std::map<std::string, std::string> extra;
  // Extra properties of the consumer only (fetch.wait.max.ms, ...), never handed to
  // the dead-letter producer: librdkafka warns (CONFWARN) of a consumer property
  // given to a producer at every start. Applied after `extra`.
  std::map<std::string, std::string> consumer_extra;
  // Maps the group ID, the subscribed topics and the dead-letter topic
  // (REVISIT_TOPIC_PREFIX). Records keep their physical topic name.
  KafkaNamespace kafka_namespace;
};

// The librdkafka properties of the consumer `o` describes (defaults, then `extra`,
// then `consumer_extra`), and the options of its dead-letter producer (`extra` only).
std::map<std::string, std::string> ConsumerProperties(const KafkaConsumerOptions& o);
KafkaProducerOptions DeadLetterProducerOptions(const KafkaConsumerOptions& o);

class KafkaConsumer {
 public:
  // Handles one record. OK means its effect is committed; an error is retried.
  using Handler = std::function<absl::Status(const EventEnvelope&)>;
  // Handles a polled batch: records of one or more partitions, each partition's in
  // offset order. Returns one status per envelope, in the same order (a size mismatch
  // fails the whole batch). OK means that envelope's effect is committed. A failed
  // envelope is re-handled by the per-record Handler after the batch returns, in
  // partition order, so the batch handler must not apply an envelope that has to
  // follow a failed one (same ordering key): it reports those as failed as well.
  using BatchHandler =
      std::function<std::vector<absl::Status>(const std::vector<EventEnvelope>&)>;

  static absl::StatusOr<std::unique_ptr<KafkaConsumer>> Create(
      const KafkaConsumerOptions& options);

  // Calls Close() if it was not called.
  ~KafkaConsumer();
  KafkaConsumer(const KafkaConsumer&) = delete;
  KafkaConsumer& operator=(const KafkaConsumer&) = delete;

  // Subscribes and handles records until Stop(). A record being retried when Stop()
  // arrives is left unstored (it will be redelivered). Call at most once.
  absl::Status Run(const Handler& handler);

  // Like Run, with batches: waits for a first record, takes the records already
  // fetched up to max_batch, hands their envelopes to `batch`, then settles every
  // record in partition order (poison and failed records through the per-record path
  // with `single`) and stores offsets. Call at most once, instead of Run.
  absl::Status RunBatches(const BatchHandler& batch, const Handler& single);

  // Makes Run() return soon. Idempotent.
  void Stop();

  // The dead-letter producer's view of CheckTopicsExist: OK when the subscribed
  // topics and the dead-letter topic exist (NOT_FOUND names a missing one).
  absl::Status CheckTopicsExist(absl::Duration timeout);

  // Commits stored offsets, leaves the group, flushes the dead-letter producer.
  // Call after Run() returned (or instead of it). Idempotent.
  absl::Status Close();

  // Sum over assigned partitions of (high watermark - position), from the
  // watermarks cached by fetches; recomputed by Run() every lag_refresh_interval
  // (before a record is handled, so the record itself is not counted). Partitions
  // not yet fetched from count as 0.
  int64_t Lag() const { return lag_.load(); }
  int64_t processed() const { return processed_.load(); }  // effect committed (OK)
  int64_t retried() const { return retried_.load(); }           // handler re-invocations
  int64_t dead_lettered() const { return dead_lettered_.load(); }

 private:
  class Rebalancer;
  explicit KafkaConsumer(KafkaConsumerOptions options);
  struct Polled {
    RawRecord record;
    absl::StatusOr<EventEnvelope> envelope;
  };
  absl::Status HandleMessage(RdKafka::Message& message, const Handler& handler);
  absl::Status HandleRecord(const RawRecord& record,
                            const absl::StatusOr<EventEnvelope>& envelope,
                            const Handler& handler);
  absl::Status PollBatch(std::vector<Polled>* out);
  absl::Status HandleBatch(std::vector<Polled>& polled, const BatchHandler& batch,
                           const Handler& single);
  absl::Status CallWithRetries(const EventEnvelope& envelope, const Handler& handler,
                               int* attempts);
  absl::Status DeadLetter(const RawRecord& record, const absl::Status& error, int attempts);
  void StoreOffset(const RawRecord& record);
  void RefreshLag();
  absl::Duration Backoff(int failures) const;

  const KafkaConsumerOptions options_;
  std::unique_ptr<Rebalancer> rebalancer_;  // outlives consumer_
  std::unique_ptr<RdKafka::KafkaConsumer> consumer_;
  std::unique_ptr<KafkaProducer> dead_letters_;
  std::atomic<bool> stop_requested_{false};
  absl::Notification stop_;
  bool closed_ = false;
  absl::Time next_lag_refresh_ = absl::InfinitePast();
  std::atomic<int64_t> lag_{0};
  std::atomic<int64_t> processed_{0};
  std::atomic<int64_t> retried_{0};
  std::atomic<int64_t> dead_lettered_{0};
};

}  // namespace revisit

#endif  // REVISIT_COMMON_KAFKA_CONSUMER_H_
