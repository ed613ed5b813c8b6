// WakeSignal: wakes a background loop (the outbox relay, the timer scheduler) the
// moment this process commits work for it, instead of letting it poll, and coalesces
// the wakes: a loop runs one pass for all the commits signalled before it starts,
// never one pass per commit.
//
// Each loop registers a Waiter. A notification is recorded in every waiter until the
// waiter's next Take(), which starts a pass: it returns the keys named since the last
// Take (the outbox streams commits appended to) and forgets everything recorded, so
// the pass covers them all; commits during the pass are recorded for exactly one
// further pass. Wait(max) returns at once when something was recorded since the last
// Take (so no notification is lost between a pass and its wait), else sleeps until
// the next notification or `max`.
// Timers: NotifyDue(score) says a timer was scheduled at `score` (ms, the timer's
// sorted-set score). It wakes a Wait(max, wake_below) only when score < wake_below,
// the earliest due time the loop already waits for: scheduling a timer that is due
// later than one already known wakes nothing (order commits schedule timers days
// ahead; waking on each cost a 16-shard claim pass per commit).
// Waking is a latency shortcut only: loops still wake after `max` to see work other
// processes committed, so a missed or spurious wake never loses or duplicates work.
// OutboxCommitted() and TimersChanged() are this process's two signals; WriteBatch
// notifies them after a commit (common/write_batch.h).
// Thread-safety: all methods are thread-safe; a Waiter is used by one loop thread
// and must not outlive its signal. Errors: none.
#ifndef REVISIT_COMMON_WAKE_SIGNAL_H_
#define REVISIT_COMMON_WAKE_SIGNAL_H_

#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace revisit {

class WakeSignal {
 public:
  // A Wait bound that any NotifyDue is earlier than.
  static constexpr int64_t kAnyDue = std::numeric_limits<int64_t>::max();

  class Waiter {
   public:
    ~Waiter();
    Waiter(const Waiter&) = delete;
    Waiter& operator=(const Waiter&) = delete;
    // Starts a pass: the keys named since the last Take; forgets what was recorded.
    std::vector<std::string> Take();
    // True when a notification was recorded since the last Take (a NotifyDue only
    // when earlier than `wake_below`), at once or within `max`; false when `max` passed.
    bool Wait(absl::Duration max, int64_t wake_below = kAnyDue);

   private:
    friend class WakeSignal;
    explicit Waiter(WakeSignal& signal) : signal_(signal) {}
    bool Woken(int64_t wake_below) const;

    WakeSignal& signal_;
    // Recorded since the last Take; guarded by signal_.mu_.
    bool notified_ = false;
    int64_t earliest_due_ = kAnyDue;
    absl::flat_hash_set<std::string> keys_;
  };

  std::unique_ptr<Waiter> Register();
  // Wakes every waiter.
  void Notify();
  // Wakes every waiter; its next Take() lists `keys`.
  void Notify(const std::vector<std::string>& keys);
  // A timer was scheduled at `due` (its score): wakes a waiter waiting for a later one.
  void NotifyDue(int64_t due);

 private:
  absl::Mutex mu_;
  std::vector<Waiter*> waiters_ ABSL_GUARDED_BY(mu_);
};

// Notified after every commit that appended an outbox event (wakes OutboxRelay).
WakeSignal& OutboxCommitted();
// Notified after every commit that scheduled a timer (NotifyDue: wakes TimerScheduler
// when that timer is due before the earliest it knew).
WakeSignal& TimersChanged();

}  // namespace revisit

#endif  // REVISIT_COMMON_WAKE_SIGNAL_H_
