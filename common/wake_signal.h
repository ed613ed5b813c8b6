// WakeSignal: wakes a background loop (the outbox relay, the timer scheduler) the
// moment this process commits work for it, instead of letting it poll.
//
// A generation counter under a mutex: Notify() bumps it and wakes every waiter;
// WaitFor(seen, max) returns at once when the generation moved past `seen` (work was
// committed since the caller last looked, so no notification is ever lost between a
// pass and its wait), else sleeps until the next Notify or `max` passes. Waiting is
// a latency shortcut only: loops still wake after `max` to see work committed by
// other processes, so a missed or spurious wake never loses or duplicates work.
// OutboxCommitted() and TimersChanged() are this process's two signals; WriteBatch
// notifies them after a commit that appended an outbox event or changed a sorted set
// (timers are sorted sets). A notification may name keys (the outbox streams a
// commit appended to): ChangedSince(seen) lists the keys notified after generation
// `seen`, so the relay reads only those shards between its full passes. The key
// set is bounded by the keys ever named (outbox streams: kShards per service).
// Thread-safety: all methods are thread-safe. Errors: none.
#ifndef REVISIT_COMMON_WAKE_SIGNAL_H_
#define REVISIT_COMMON_WAKE_SIGNAL_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace revisit {

class WakeSignal {
 public:
  uint64_t generation() const;
  void Notify();
  void Notify(const std::vector<std::string>& keys);
  // Keys named by notifications after generation `seen`.
  std::vector<std::string> ChangedSince(uint64_t seen) const;
  // True when woken (or already moved past `seen`), false when `max` passed.
  bool WaitFor(uint64_t seen, absl::Duration max) const;

 private:
  mutable absl::Mutex mu_;
  uint64_t generation_ ABSL_GUARDED_BY(mu_) = 0;
  // key -> generation of the last notification naming it.
  absl::flat_hash_map<std::string, uint64_t> last_ ABSL_GUARDED_BY(mu_);
};

// Notified after every commit that appended an outbox event (wakes OutboxRelay).
WakeSignal& OutboxCommitted();
// Notified after every commit that scheduled, moved or removed a timer (wakes
// TimerScheduler, which then re-reads the earliest due time).
WakeSignal& TimersChanged();

}  // namespace revisit

#endif  // REVISIT_COMMON_WAKE_SIGNAL_H_
