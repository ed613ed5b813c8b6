// WriteBatch: one atomic, guarded change to a service's Redis shard.
//
// Services keep domain logic pure: they read an entity (with its version), decide
// the new state and the events in C++, and commit the result as one WriteBatch.
// Commit runs lua/commit.lua, which atomically checks every guard (the idempotency
// or inbox record, the versions read, timer membership) and only then applies every
// write, appends the events to the shard's outbox stream and records the
// idempotency response. This is the transactional outbox and the inbox of
// ARCHITECTURE.md in one place.
//
// All keys of one batch must live in one shard (same hash tag); Commit checks it.
// A batch may carry several Dedupe keys: if any is recorded, nothing applies (a
// duplicate reporting that key's response); otherwise all are recorded.
// Errors from Commit: ABORTED when a VERSION guard failed (re-read and retry: see
// MutateWithRetry), NOT_FOUND when a MEMBER guard failed (a timer already fired),
// UNAVAILABLE/DEADLINE_EXCEEDED from Redis. A duplicate (DEDUPE hit) is not an
// error: CommitResult.duplicate is set with the first commit's response.
// Iterate reports the operations in order (like leveldb's WriteBatch::Iterate), so a
// unit test asserts what a decider staged without Redis.
// Thread-safety: a WriteBatch is a value; use one per thread.
#ifndef REVISIT_COMMON_WRITE_BATCH_H_
#define REVISIT_COMMON_WRITE_BATCH_H_

#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/redis_client.h"

namespace revisit {

struct EventEnvelope;

// What Commit reports.
struct CommitResult {
  // True when the DEDUPE key was already recorded: nothing was applied.
  bool duplicate = false;
  // The response recorded by the first commit (for a duplicate).
  std::string prior_response;
};

// One staged operation as Iterate reports it. `op` is the commit script's name for
// it: DEDUPE, VERSION, MEMBER, PUT, DEL, ZADD, ZREM, HSET, HDEL, SET, INCRBY, SADD,
// SREM, XADD or XADDF. `key` is the key it acts on; `args` are its other arguments in order
// (DEDUPE: ttl ms, response; VERSION: version; PUT: version, data; ZADD: score,
// member; HSET: field, value; XADD: the sequence key, then the event's field, value
// pairs as ToOutboxFields gives them (seq 0: the commit numbers it), whatever form
// the script receives (common/outbox_entry.h); XADDF, the eleven-field form written
// when CompactOutboxEntries() is false: the sequence key, the field count, then the
// field, value pairs).
struct BatchOp {
  std::string op;
  std::string key;
  std::vector<std::string> args;
};

class WriteBatch {
 public:
  // Guard: if `key` exists the batch is a duplicate; else record `response` there
  // for `ttl` once the batch applies. Used for request IDs and consumed event IDs.
  WriteBatch& Dedupe(const std::string& key, absl::Duration ttl, const std::string& response);
  // Guard: the entity at `key` still has `version` (0 = must not exist).
  WriteBatch& ExpectVersion(const std::string& key, int64_t version);
  // Guard: `member` is still in sorted set `key` (NOT_FOUND otherwise).
  WriteBatch& ExpectMember(const std::string& key, const std::string& member);

  // Writes entity `data` at `key` with `version` (hash fields v and d).
  WriteBatch& Put(const std::string& key, int64_t version, const std::string& data);
  WriteBatch& Delete(const std::string& key);
  WriteBatch& ZAdd(const std::string& key, double score, const std::string& member);
  WriteBatch& ZRem(const std::string& key, const std::string& member);
  WriteBatch& HSet(const std::string& key, const std::string& field, const std::string& value);
  WriteBatch& HDel(const std::string& key, const std::string& field);
  WriteBatch& Set(const std::string& key, const std::string& value);
  WriteBatch& IncrBy(const std::string& key, int64_t by);
  WriteBatch& SAdd(const std::string& key, const std::string& member);
  WriteBatch& SRem(const std::string& key, const std::string& member);
  // Appends the event to the outbox stream `stream` (see common/outbox.h). Its
  // ce_sequence is assigned at commit: the next number of event.subject's counter in
  // SequenceKey(stream), incremented in the same atomic step (event.sequence is
  // ignored). Several events of one subject in a batch get consecutive numbers.
  WriteBatch& AppendEvent(const std::string& stream, const EventEnvelope& event);

  bool empty() const { return ops_ == 0; }
  // Calls `visit` with each operation in the order it was staged.
  void Iterate(const std::function<void(const BatchOp&)>& visit) const;
  int event_count() const { return events_; }

  // The EVALSHA keys and arguments of this batch (for tools that run the commit
  // script themselves, e.g. revisit-bench-commit); INTERNAL when it spans shards.
  absl::StatusOr<RedisClient::EvalCall> ScriptCall() const;

  // Applies the batch atomically on `redis`. Afterwards (whatever the outcome) it
  // wakes this process's OutboxRelay when the batch appended events and its
  // TimerScheduler when it scheduled a timer (a ZADD to a timer set, common/timer_queue.h;
  // common/wake_signal.h).
  absl::StatusOr<CommitResult> Commit(RedisClient& redis) const;

  // Applies each batch atomically (each on its own, exactly as Commit would), all of
  // them in one pipelined round trip; one result per batch, in order. The outer error
  // is a connection failure: any batch may or may not have applied (each is guarded,
  // so re-running one is safe).
  // `batches` is taken by value: pass it with std::move and their arguments move into
  // the pipeline instead of being copied.
  static absl::StatusOr<std::vector<absl::StatusOr<CommitResult>>> CommitAll(
      RedisClient& redis, std::vector<WriteBatch> batches);

 private:
  static CommitResult ResultOf(const RedisValue& reply);
  // INTERNAL when the batch's keys span shards (hash tags differ).
  absl::Status CheckOneShard() const;
  // ScriptCall for a batch about to be dropped: moves its keys and arguments out.
  absl::StatusOr<RedisClient::EvalCall> TakeScriptCall();
  // Notifies the wake signals the committed `batches` concern.
  static void WakeLoops(const std::vector<const WriteBatch*>& batches);

  std::string KeyRef(const std::string& key);
  void Op(const std::string& name, std::vector<std::string> args);

  std::vector<std::string> keys_;
  std::map<std::string, int> key_index_;
  std::vector<std::string> args_;
  std::vector<size_t> op_starts_;  // index in args_ of each operation's name
  int ops_ = 0;
  int events_ = 0;
  // The lowest ZADD score on a timer set (a timer's due time, WakeSignal::NotifyDue),
  // if any; ZADDs to other sorted sets wake nothing.
  static constexpr double kNoScore = std::numeric_limits<double>::infinity();
  double earliest_score_ = kNoScore;
  std::vector<std::string> event_streams_;  // outbox streams appended to
};

// Runs read → decide → commit up to `attempts` times while Commit returns ABORTED
// (another writer changed what was read). `attempt` must re-read everything.
absl::Status MutateWithRetry(const std::function<absl::Status()>& attempt, int attempts = 8);

}  // namespace revisit

#endif  // REVISIT_COMMON_WRITE_BATCH_H_
