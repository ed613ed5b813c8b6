// Durable timers: SLA deadlines, delayed touches, auto-completion.
//
// A timer is an ID in a per-shard sorted set scored by its due time (domain time,
// milliseconds) plus an opaque payload in a hash beside it. Timers are scheduled in
// the same WriteBatch as the state change that needs them (ScheduleTimer), so they
// are never lost. A timer's score is its due time rounded up to the millisecond, so
// it is never claimed before it is due. TimerScheduler claims due timers atomically
// (claim_timers.lua moves a claimed timer's score forward by a lease and records a
// claim token in a third hash), calls the handler, and after the handlers of a
// claim's batch ran removes each timer whose handler succeeded, only if its token is
// still the claim's (release_timer.lua; one pipelined round trip per batch).
// ScheduleTimer and CancelTimer clear the token, so a timer the handler (or anyone)
// re-scheduled meanwhile keeps its new schedule, whatever its score. Competing
// schedulers never claim the same due timer; a scheduler that dies mid-handler
// leaves the timer to fire again after the lease. For an exactly-once effect the
// handler commits its effect with CompleteTimer in the same WriteBatch: the MEMBER
// guard lets only one firing win. An idle scheduler does not poll: it sleeps until
// the earliest due time or until this process schedules a timer due before it
// (common/wake_signal.h), at most max_idle_wait.
// Thread-safety: the free functions are pure; TimerScheduler Start/Stop from one thread.
#ifndef REVISIT_COMMON_TIMER_QUEUE_H_
#define REVISIT_COMMON_TIMER_QUEUE_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "common/redis_client.h"
#include "common/write_batch.h"

namespace revisit {

// Keys of a shard's timer set, payload hash and claim-token hash.
std::string TimerSetKey(const std::string& service, int shard);
std::string TimerDataKey(const std::string& service, int shard);
std::string TimerClaimKey(const std::string& service, int shard);

// The sorted-set score of a timer due at `due`: Unix milliseconds rounded up, so a
// claim at `now` (scores <= now rounded down) never takes a timer before it is due.
int64_t TimerScore(absl::Time due);

// Adds (or moves) timer `id` due at `due` with `payload` to `batch`, and clears any
// claim token, so a scheduler that claimed the timer earlier no longer removes it.
// An empty payload stores nothing in the payload hash (a claim reads it as "").
void ScheduleTimer(WriteBatch& batch, const std::string& service, int shard,
                   const std::string& id, absl::Time due, const std::string& payload);
// Removes timer `id` and its claim token (no guard): cancelling a timer that may
// not exist.
void CancelTimer(WriteBatch& batch, const std::string& service, int shard, const std::string& id);
// Guards that timer `id` is still pending and removes it: include in the effect's
// batch so that only one firing of the timer can commit.
void CompleteTimer(WriteBatch& batch, const std::string& service, int shard,
                   const std::string& id);

// A claimed, due timer.
struct DueTimer {
  int shard = 0;
  std::string id;
  std::string payload;
};

struct TimerSchedulerOptions {
  std::string service;
  // How long a claimed timer is hidden from other schedulers (wall time).
  absl::Duration lease = absl::Seconds(30);
  // When nothing fired, the scheduler sleeps until the earliest due time (one
  // pipelined ZRANGE over the shards), or until a commit of this process schedules a
  // timer due before that and before the sleep ends (common/wake_signal.h; one due
  // later is read by the pass that ends the sleep), but at most this long: the bound
  // on how late it sees a timer another process scheduled earlier than any it knew of.
  absl::Duration max_idle_wait = absl::Seconds(1);
  int batch_size = 200;
};

class TimerScheduler {
 public:
  // The handler's result: OK removes the timer unless it was re-scheduled meanwhile;
  // an error leaves it to fire again after the lease (or at its new schedule).
  using Handler = std::function<absl::Status(const DueTimer&)>;
  // The same for the timers of one claim (one shard, up to batch_size), one result
  // per timer in order: a handler that reads or writes for many timers at once.
  using BatchHandler = std::function<std::vector<absl::Status>(const std::vector<DueTimer>&)>;

  TimerScheduler(RedisClient& redis, const Clock& clock, TimerSchedulerOptions options,
                 Handler handler);
  TimerScheduler(RedisClient& redis, const Clock& clock, TimerSchedulerOptions options,
                 BatchHandler handler);
  ~TimerScheduler();

  void Start();
  void Stop();
  // Claims and handles every due timer once; returns how many fired.
  absl::StatusOr<int> RunOnce();
  // Timers scheduled and not yet completed, over all shards.
  int64_t Pending();
  // The earliest score over all shards (a due time, or a claim's lease end), or
  // nullopt when no timer is pending.
  absl::StatusOr<std::optional<absl::Time>> NextDue();

 private:
  // After a pass that fired nothing: how long to sleep (see max_idle_wait), and the
  // earliest score known (a timer this process schedules before it ends the sleep).
  struct Idle {
    absl::Duration wait;
    int64_t wake_below;
  };
  Idle IdleWait();

  RedisClient& redis_;
  const Clock& clock_;
  TimerSchedulerOptions options_;
  BatchHandler handler_;
  // Claim tokens: a random per-scheduler prefix and a per-pass counter.
  std::string token_prefix_;
  std::atomic<int64_t> passes_{0};
  std::atomic<bool> running_{false};
  std::thread thread_;
};

}  // namespace revisit

#endif  // REVISIT_COMMON_TIMER_QUEUE_H_
