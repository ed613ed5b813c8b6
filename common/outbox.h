// The transactional outbox: events are appended to a per-shard Redis stream in the
// same Lua script as the state change (WriteBatch::AppendEvent), and OutboxRelay
// moves them to Kafka.
//
// OutboxRelay holds a lease per shard (so exactly one instance of a service relays a
// shard, which keeps each customer's events in order), reads the shard's stream
// through a consumer group, publishes every entry and acknowledges (XACK + XDEL) an
// entry only after its delivery report succeeded. A crash at any point leaves the
// entry pending; the next lease holder claims and re-publishes it: nothing is lost,
// at worst an event is sent twice with the same ce_id (consumers deduplicate).
// Thread-safety: Start/Stop from one thread; Backlog() is thread-safe.
// Errors: RunOnce returns Redis errors; delivery failures are retried next pass.
#ifndef REVISIT_COMMON_OUTBOX_H_
#define REVISIT_COMMON_OUTBOX_H_

#include <atomic>
#include <functional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <google/protobuf/message.h>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/event_envelope.h"
#include "common/redis_client.h"

namespace revisit {

// Stream fields for an envelope, and back (INVALID_ARGUMENT if a field is missing).
std::vector<std::pair<std::string, std::string>> ToOutboxFields(const EventEnvelope& e);
absl::StatusOr<EventEnvelope> FromOutboxFields(const std::vector<RedisValue>& flat_fields);

// The outbox stream of a service shard.
std::string OutboxStream(const std::string& service, int shard);

// The sequence counters of an outbox stream's events: a hash in the same shard,
// field = ce_subject, value = the last ce_sequence given to that subject. The one
// counter per (ce_source, ce_subject): WriteBatch::AppendEvent increments it in the
// commit that appends the event, so sequences are 1, 2, 3... without gaps or repeats.
// Every event of a subject must therefore be keyed by the same customer (shard).
std::string SequenceKey(const std::string& outbox_stream);

// Builds an event of `service` ("order") named `name` ("shipped", one snake_case
// token: common/event_type.h): topic revisit.<service>.v1, ce_type
// revisit.<service>.<name>.v1, a fresh ce_id, the current trace, key = customer ID,
// subject = aggregate ID. ce_sequence is left 0: the commit assigns it (SequenceKey).
EventEnvelope MakeEvent(const std::string& service, const std::string& name,
                        const std::string& customer_id, const std::string& subject,
                        absl::Time time, const google::protobuf::Message& payload);

// Publishes one envelope and reports the delivery result exactly once.
using PublishFn =
    std::function<void(const EventEnvelope&, std::function<void(absl::Status)> on_delivery)>;

struct OutboxRelayOptions {
  std::string service;
  // Unique per process (pod name); names this relay's consumer and lease holder.
  std::string instance_id;
  int batch_size = 256;
  // Sleep after an idle pass: starts at min, doubles while idle, capped at max.
  absl::Duration min_idle_sleep = absl::Milliseconds(5);
  absl::Duration max_idle_sleep = absl::Milliseconds(100);
  absl::Duration lease_ttl = absl::Seconds(10);
  absl::Duration delivery_timeout = absl::Seconds(30);
};

class OutboxRelay {
 public:
  OutboxRelay(RedisClient& redis, PublishFn publish, OutboxRelayOptions options);
  ~OutboxRelay();

  // Starts the relay thread / stops it (waits for the current pass).
  void Start();
  void Stop();

  // One pass over every shard: renew leases, read, publish, ack. Returns the number
  // of events acknowledged.
  absl::StatusOr<int> RunOnce();

  // Entries in this service's outbox streams not yet acknowledged (XLEN sum).
  int64_t Backlog();

 private:
  struct ShardState {
    bool held = false;
    bool replay = true;  // read own pending entries ("0") before new ones (">").
  };
  absl::Status RenewLeases();
  absl::Status TakeOver(int shard);
  absl::StatusOr<int> PublishAndAck(std::vector<std::pair<int, RedisValue>>& reads);

  RedisClient& redis_;
  PublishFn publish_;
  OutboxRelayOptions options_;
  std::vector<ShardState> shards_;
  absl::Time last_renewal_ = absl::InfinitePast();
  std::atomic<bool> running_{false};
  std::thread thread_;
};

}  // namespace revisit

#endif  // REVISIT_COMMON_OUTBOX_H_
