#include "common/clock.h"

namespace revisit {

ScaledClock::ScaledClock(double scale, absl::Time origin) : scale_(scale), origin_(origin) {}

absl::Time ScaledClock::Now() const {
  return origin_ + (absl::Now() - origin_) * scale_;
}

absl::Duration ScaledClock::ToWall(absl::Duration domain) const { return domain / scale_; }

ManualClock::ManualClock(absl::Time start) : now_ns_(absl::ToUnixNanos(start)) {}

absl::Time ManualClock::Now() const { return absl::FromUnixNanos(now_ns_.load()); }

void ManualClock::Advance(absl::Duration d) { now_ns_ += absl::ToInt64Nanoseconds(d); }

void ManualClock::Set(absl::Time t) { now_ns_ = absl::ToUnixNanos(t); }

std::unique_ptr<Clock> MakeClock(double scale, absl::Time origin) {
  if (scale == 1.0) return std::make_unique<RealClock>();
  return std::make_unique<ScaledClock>(scale, origin);
}

}  // namespace revisit
