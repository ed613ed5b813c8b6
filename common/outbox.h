// The transactional outbox: events are appended to a per-shard Redis stream in the
// same Lua script as the state change (WriteBatch::AppendEvent), and OutboxRelay
// moves them to Kafka.
//
// OutboxRelay holds a lease per shard (so exactly one instance of a service relays a
// shard, which keeps each customer's events in order), reads the shard's stream
// through a consumer group, publishes every entry and acknowledges (XACK + XDEL, in
// batches per stream) an entry only after its delivery report succeeded. A crash at any point leaves the
// entry pending; the next lease holder claims and re-publishes it: nothing is lost,
// at worst an event is sent twice with the same ce_id (consumers deduplicate).
//
// The relay finishes what it started without a restart: its OutboxLedger remembers
// every entry it published and not yet acknowledged, keyed by stream entry ID. When
// Redis fails between the delivery report and the acknowledgement (a crash, a lost
// reply), the next pass acknowledges the delivered entries first and re-reads its
// own pending entries (XREADGROUP 0): an entry already delivered is acknowledged,
// not published again, so one process never publishes an entry twice unless its
// first publication failed. A pass waits at most `delivery_timeout` for delivery
// reports; a shard whose reports are still outstanding is not read again until they
// arrive (keeps per-customer order), and Stop() ends the wait at once.
// Between full passes (at least every max_idle_sleep) the relay thread reads only
// the shards this process committed events to (WakeSignal names the streams) and
// shards whose last read filled a batch; RunOnce is always a full pass.
// Thread-safety: Start/Stop from one thread; Backlog() is thread-safe.
// Errors: RunOnce returns Redis errors; delivery failures are retried next pass.
#ifndef REVISIT_COMMON_OUTBOX_H_
#define REVISIT_COMMON_OUTBOX_H_

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <google/protobuf/message.h>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/event_envelope.h"
#include "common/outbox_entry.h"
#include "common/outbox_ledger.h"
#include "common/redis_client.h"

namespace revisit {

// The outbox stream of a service shard.
std::string OutboxStream(const std::string& service, int shard);

// The consumer group every OutboxRelay reads its outbox streams through.
inline constexpr char kOutboxRelayGroup[] = "relay";

// The sequence counters of an outbox stream's events: a hash in the same shard,
// field = ce_subject, value = the last ce_sequence given to that subject. The one
// counter per (ce_source, ce_subject): WriteBatch::AppendEvent increments it in the
// commit that appends the event, so sequences are 1, 2, 3... without gaps or repeats.
// Every event of a subject must therefore be keyed by the same customer (shard).
std::string SequenceKey(const std::string& outbox_stream);

// Where the relay keeps an outbox entry it cannot decode (same shard, so same slot):
// fields entry_id (the original stream ID), error, then the entry's raw fields. Such
// an entry is never published and never silently dropped; operators read the stream
// (runbook: docs/operations.md) and the revisit_outbox_quarantined_total counter.
std::string QuarantineStream(const std::string& outbox_stream);

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
  // Wait after an idle pass: starts at min, doubles while idle, capped at max. A
  // commit of this process (WriteBatch, common/wake_signal.h) ends the wait at once;
  // the cap bounds how late entries committed by other processes are seen.
  absl::Duration min_idle_sleep = absl::Milliseconds(5);
  absl::Duration max_idle_sleep = absl::Milliseconds(100);
  absl::Duration lease_ttl = absl::Seconds(10);
  // A pass waits at most this long for its delivery reports; the producer should
  // give up on a record by then too (message.timeout.ms).
  absl::Duration delivery_timeout = absl::Seconds(30);
};

class OutboxRelay {
 public:
  OutboxRelay(RedisClient& redis, PublishFn publish, OutboxRelayOptions options);
  ~OutboxRelay();

  // Starts the relay thread / stops it (once; final): ends the current pass's wait for delivery
  // reports, joins the thread, then acknowledges what was delivered meanwhile (one
  // Redis round trip). Entries not delivered stay in the outbox for the next start.
  void Start();
  void Stop();

  // One pass over every shard: renew leases, acknowledge what earlier passes
  // delivered, read, publish, wait for the reports, ack. Returns the number of
  // events acknowledged.
  absl::StatusOr<int> RunOnce();

  // Entries in this service's outbox streams not yet acknowledged (XLEN sum).
  int64_t Backlog();

  // When the relay thread last finished a pass (or was started); for liveness.
  absl::Time last_pass() const { return absl::FromUnixNanos(last_pass_ns_.load()); }

 private:
  struct ShardState {
    bool held = false;
    bool replay = true;  // read own pending entries ("0") before new ones (">").
  };
  absl::Status RenewLeases();
  absl::Status TakeOver(int shard);
  // A pass over every shard (only == nullptr) or over the shards marked in `only`
  // (and any shard replaying its own pending entries).
  absl::StatusOr<int> Pass(const std::vector<bool>* only);
  // Shards of the `committed` streams (WakeSignal::Waiter::Take) and shards whose
  // last read filled a batch.
  std::vector<bool> DirtyShards(const std::vector<std::string>& committed) const;
  absl::StatusOr<std::vector<std::pair<int, RedisValue>>> ReadShards(const std::vector<bool>* only);
  // Publishes what the ledger does not know yet and waits for the reports.
  void Publish(const std::vector<std::pair<int, RedisValue>>& entries);
  // XACK + XDEL of every delivered entry and XACK of `tombstones` (pending IDs
  // whose entry was already deleted): one XACK and one XDEL per stream, all streams
  // in one pipeline. Returns the number of delivered entries acked.
  absl::StatusOr<int> AckDelivered(const std::vector<std::pair<int, std::string>>& tombstones);
  // Copies an undecodable entry to QuarantineStream, then marks it settled so it is
  // acknowledged and deleted with the others; if the copy fails the entry stays.
  void Quarantine(int shard, const OutboxLedger::Entry& key, const RedisValue& entry,
                  const absl::Status& why);
  void ReplayAll();

  RedisClient& redis_;
  PublishFn publish_;
  OutboxRelayOptions options_;
  std::shared_ptr<OutboxLedger> ledger_;  // shared with delivery callbacks
  std::vector<ShardState> shards_;
  std::vector<bool> more_;  // per shard: its last read filled a batch
  std::map<std::string, int> shard_of_stream_;
  absl::Time last_renewal_ = absl::InfinitePast();
  std::atomic<bool> running_{false};
  std::atomic<int64_t> last_pass_ns_{0};
  std::thread thread_;
};

}  // namespace revisit

#endif  // REVISIT_COMMON_OUTBOX_H_
