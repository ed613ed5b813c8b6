// Injectable time for every Revisit component.
//
// Domain code never reads the system clock: it asks a Clock. RealClock is wall time;
// ScaledClock runs `scale` times faster than wall time from the moment it was made
// (REVISIT_TIME_SCALE; demos and end-to-end tests use it so "3 days after delivery"
// passes in seconds); ManualClock only moves when a test advances it.
// Thread-safety: all implementations are thread-safe.
#ifndef REVISIT_COMMON_CLOCK_H_
#define REVISIT_COMMON_CLOCK_H_

#include <atomic>
#include <chrono>
#include <memory>

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace revisit {

// Clock is the source of "now" for domain time (deadlines, windows, timers).
class Clock {
 public:
  virtual ~Clock() = default;
  // The current domain time.
  virtual absl::Time Now() const = 0;
  // Converts a domain-time duration into the wall-clock duration it takes to pass.
  virtual absl::Duration ToWall(absl::Duration domain) const { return domain; }
};

// Wall-clock time.
class RealClock : public Clock {
 public:
  absl::Time Now() const override { return absl::Now(); }
};

// Domain time that runs `scale` times faster than wall time, starting from the
// wall time at construction (or `origin` when given, so restarted processes agree).
class ScaledClock : public Clock {
 public:
  // `scale` must be >= 1.
  explicit ScaledClock(double scale, absl::Time origin = absl::Now());
  absl::Time Now() const override;
  absl::Duration ToWall(absl::Duration domain) const override;

 private:
  double scale_;
  absl::Time origin_;
};

// Time that moves only when told. For tests.
class ManualClock : public Clock {
 public:
  explicit ManualClock(absl::Time start = absl::FromUnixSeconds(1767225600));  // 2026-01-01
  absl::Time Now() const override;
  void Advance(absl::Duration d);
  void Set(absl::Time t);

 private:
  std::atomic<int64_t> now_ns_;
};

// Makes RealClock for scale 1, else ScaledClock with the given origin.
std::unique_ptr<Clock> MakeClock(double scale, absl::Time origin);

}  // namespace revisit

#endif  // REVISIT_COMMON_CLOCK_H_
