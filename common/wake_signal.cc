#include "common/wake_signal.h"

#include <algorithm>

namespace revisit {

WakeSignal::Waiter::~Waiter() {
  absl::MutexLock lock(&signal_.mu_);
  auto& all = signal_.waiters_;
  all.erase(std::remove(all.begin(), all.end(), this), all.end());
}

std::vector<std::string> WakeSignal::Waiter::Take() {
  absl::MutexLock lock(&signal_.mu_);
  std::vector<std::string> keys(keys_.begin(), keys_.end());
  keys_.clear();
  notified_ = false;
  earliest_due_ = kAnyDue;
  return keys;
}

bool WakeSignal::Waiter::Woken(int64_t wake_below) const {
  return notified_ || earliest_due_ < wake_below;
}

bool WakeSignal::Waiter::Wait(absl::Duration max, int64_t wake_below) {
  absl::MutexLock lock(&signal_.mu_);
  auto woken = [this, wake_below]() ABSL_NO_THREAD_SAFETY_ANALYSIS { return Woken(wake_below); };
  return signal_.mu_.AwaitWithTimeout(absl::Condition(&woken), max);
}

std::unique_ptr<WakeSignal::Waiter> WakeSignal::Register() {
  std::unique_ptr<Waiter> waiter(new Waiter(*this));
  absl::MutexLock lock(&mu_);
  waiters_.push_back(waiter.get());
  return waiter;
}

void WakeSignal::Notify() {
  absl::MutexLock lock(&mu_);
  for (Waiter* w : waiters_) w->notified_ = true;
}

void WakeSignal::Notify(const std::vector<std::string>& keys) {
  absl::MutexLock lock(&mu_);
  for (Waiter* w : waiters_) {
    w->notified_ = true;
    w->keys_.insert(keys.begin(), keys.end());
  }
}

void WakeSignal::NotifyDue(int64_t due) {
  absl::MutexLock lock(&mu_);
  for (Waiter* w : waiters_) w->earliest_due_ = std::min(w->earliest_due_, due);
}

WakeSignal& OutboxCommitted() {
  static WakeSignal* signal = new WakeSignal();
  return *signal;
}

WakeSignal& TimersChanged() {
  static WakeSignal* signal = new WakeSignal();
  return *signal;
}

}  // namespace revisit
