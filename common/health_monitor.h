// HealthMonitor: decides readiness and liveness from the process's dependencies.
//
// Readiness ("can this instance do its work now?") is NOT ready while Redis does not
// answer PING, while no Kafka broker has answered the producer for longer than
// `broker_grace` (a short blip does not take every instance out of rotation at once),
// or once the consumer thread died. Liveness ("is this process wedged?") fails only
// when restarting the process is the cure: the consumer thread died, or the outbox
// relay has not completed a pass for `stall_timeout` (each pass is bounded by Redis
// command timeouts and the delivery timeout, so a stale pass means a stuck thread).
// A dependency outage never fails liveness: a restart would not bring Redis back.
//
// CheckOnce() probes, decides and hands the verdict to `apply` whenever it changed
// (logging the transition with its reason); Start() repeats it every `interval` on
// its own thread. ServiceRuntime applies ready to the grpc.health.v1 names "",
// "readiness" and the service names, live to "liveness".
// Thread-safety: Start/Stop from one thread; CheckOnce from one thread at a time.
// Errors: probes report theirs as a non-OK status; nothing is returned.
#ifndef REVISIT_COMMON_HEALTH_MONITOR_H_
#define REVISIT_COMMON_HEALTH_MONITOR_H_

#include <atomic>
#include <functional>
#include <optional>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "common/clock.h"

namespace revisit {

struct HealthPolicy {
  absl::Duration broker_grace = absl::Seconds(15);
  absl::Duration stall_timeout = absl::Seconds(60);
};

// What the monitor asks; an empty function is a dependency this process lacks.
struct HealthProbes {
  std::function<absl::Status()> redis;          // e.g. PING
  std::function<absl::Status()> broker;         // e.g. the producer's metadata request
  std::function<absl::Time()> relay_last_pass;  // when the relay last finished a pass
  std::function<bool()> consumer_dead;          // the consumer thread ended on an error
};

struct HealthVerdict {
  bool ready = true;
  bool live = true;
  std::string reason;  // why not ready / not live; empty when both hold

  bool operator==(const HealthVerdict& o) const {
    return ready == o.ready && live == o.live && reason == o.reason;
  }
};

class HealthMonitor {
 public:
  using Apply = std::function<void(const HealthVerdict&)>;
  // `clock` is wall time (RealClock; ManualClock in tests) and must outlive this.
  HealthMonitor(HealthProbes probes, HealthPolicy policy, const Clock& clock, Apply apply);
  ~HealthMonitor();
  HealthMonitor(const HealthMonitor&) = delete;
  HealthMonitor& operator=(const HealthMonitor&) = delete;

  HealthVerdict CheckOnce();
  void Start(absl::Duration interval);
  void Stop();

 private:
  HealthProbes probes_;
  const HealthPolicy policy_;
  const Clock& clock_;
  Apply apply_;
  std::optional<HealthVerdict> last_;
  absl::Time broker_down_since_ = absl::InfiniteFuture();
  absl::Notification stop_;
  std::thread thread_;
};

}  // namespace revisit

#endif  // REVISIT_COMMON_HEALTH_MONITOR_H_
