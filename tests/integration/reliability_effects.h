// Effects shared by reliability_test.cc and reliability_helper.cc: what a consumer
// and a timer handler commit, written the way services must write them (inbox /
// CompleteTimer guard in the same WriteBatch as the effect), plus counters the
// tests read back to prove "applied exactly once".
#ifndef REVISIT_TESTS_INTEGRATION_RELIABILITY_EFFECTS_H_
#define REVISIT_TESTS_INTEGRATION_RELIABILITY_EFFECTS_H_

#include <cstdio>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/event_envelope.h"
#include "common/keys.h"
#include "common/redis_client.h"
#include "common/timer_queue.h"
#include "common/write_batch.h"

namespace revisit::reliability {

// The consuming service's keys (one shard: all share the hash tag).
inline std::string InboxKey(const std::string& event_id) {
  return ShardKey("sink", 0, "inbox:" + event_id);
}
inline std::string EffectKey(const std::string& event_id) {
  return ShardKey("sink", 0, "effect:" + event_id);
}
inline std::string AppliedTotalKey() { return ShardKey("sink", 0, "applied_total"); }

// Applies `e` once: inbox record (Dedupe on ce_id) + effect counters, atomically.
// Returns true when `e` had already been applied (a duplicate delivery).
inline absl::StatusOr<bool> ApplyEventOnce(RedisClient& redis, const EventEnvelope& e) {
  WriteBatch batch;
  batch.Dedupe(InboxKey(e.id), absl::Hours(24), "applied");
  batch.IncrBy(EffectKey(e.id), 1);
  batch.IncrBy(AppliedTotalKey(), 1);
  auto committed = batch.Commit(redis);
  if (!committed.ok()) return committed.status();
  return committed->duplicate;
}

// A timer's effect counter, in the timer's shard.
inline std::string FiredKey(const std::string& service, int shard, const std::string& id) {
  return ShardKey(service, shard, "fired:" + id);
}

// Fires `t` once: CompleteTimer guard + effect counter in one batch. NOT_FOUND (another
// firing won) is success: the timer is done.
inline absl::Status FireTimerOnce(RedisClient& redis, const std::string& service,
                                  const DueTimer& t) {
  WriteBatch batch;
  CompleteTimer(batch, service, t.shard, t.id);
  batch.IncrBy(FiredKey(service, t.shard, t.id), 1);
  auto committed = batch.Commit(redis);
  if (!committed.ok() && committed.status().code() == absl::StatusCode::kNotFound) {
    return absl::OkStatus();
  }
  return committed.status();
}

// Writes `text` to `path` atomically (tmp + rename), for helper → test signalling.
inline void WriteMarker(const std::string& path, const std::string& text) {
  std::string tmp = path + ".tmp";
  FILE* f = std::fopen(tmp.c_str(), "w");
  if (f == nullptr) return;
  std::fputs(text.c_str(), f);
  std::fclose(f);
  std::rename(tmp.c_str(), path.c_str());
}

}  // namespace revisit::reliability

#endif  // REVISIT_TESTS_INTEGRATION_RELIABILITY_EFFECTS_H_
