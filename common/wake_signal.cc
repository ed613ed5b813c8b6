#include "common/wake_signal.h"

namespace revisit {

uint64_t WakeSignal::generation() const {
  absl::MutexLock lock(&mu_);
  return generation_;
}

void WakeSignal::Notify() {
  absl::MutexLock lock(&mu_);
  ++generation_;
}

void WakeSignal::Notify(const std::vector<std::string>& keys) {
  absl::MutexLock lock(&mu_);
  ++generation_;
  for (const auto& k : keys) last_[k] = generation_;
}

std::vector<std::string> WakeSignal::ChangedSince(uint64_t seen) const {
  absl::MutexLock lock(&mu_);
  std::vector<std::string> keys;
  for (const auto& [k, g] : last_) {
    if (g > seen) keys.push_back(k);
  }
  return keys;
}

bool WakeSignal::WaitFor(uint64_t seen, absl::Duration max) const {
  absl::MutexLock lock(&mu_);
  auto moved = [this, seen]() ABSL_SHARED_LOCKS_REQUIRED(mu_) { return generation_ != seen; };
  return mu_.AwaitWithTimeout(absl::Condition(&moved), max);
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
