#include "common/health_monitor.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/log.h"

namespace revisit {

HealthMonitor::HealthMonitor(HealthProbes probes, HealthPolicy policy, const Clock& clock,
                             Apply apply)
    : probes_(std::move(probes)), policy_(policy), clock_(clock), apply_(std::move(apply)) {}

HealthMonitor::~HealthMonitor() { Stop(); }

HealthVerdict HealthMonitor::CheckOnce() {
  HealthVerdict v;
  auto not_ready = [&v](const std::string& why) {
    v.ready = false;
    if (!v.reason.empty()) v.reason += "; ";
    v.reason += why;
  };
  const absl::Time now = clock_.Now();
  if (probes_.consumer_dead && probes_.consumer_dead()) {
    v.live = false;
    not_ready("the kafka consumer thread died");
  }
  if (probes_.relay_last_pass) {
    absl::Duration since = now - probes_.relay_last_pass();
    if (since > policy_.stall_timeout) {
      v.live = false;
      not_ready(absl::StrCat("the outbox relay made no pass for ", absl::FormatDuration(since)));
    }
  }
  if (probes_.redis) {
    absl::Status redis = probes_.redis();
    if (!redis.ok()) not_ready("redis does not answer: " + redis.ToString());
  }
  if (probes_.broker) {
    absl::Status broker = probes_.broker();
    if (broker.ok()) {
      broker_down_since_ = absl::InfiniteFuture();
    } else {
      if (broker_down_since_ == absl::InfiniteFuture()) broker_down_since_ = now;
      if (now - broker_down_since_ > policy_.broker_grace) {
        not_ready(absl::StrCat("no kafka broker reachable for ",
                               absl::FormatDuration(now - broker_down_since_), ": ",
                               broker.ToString()));
      }
    }
  }
  bool changed = !last_ || last_->ready != v.ready || last_->live != v.live;
  if (changed) {
    if (v.ready && v.live) {
      if (last_) LogInfo("health: ready and live again");
    } else {
      LogWarn("health: degraded", {{"ready", v.ready}, {"live", v.live}, {"reason", v.reason}});
    }
    apply_(v);
  }
  last_ = v;
  return v;
}

void HealthMonitor::Start(absl::Duration interval) {
  thread_ = std::thread([this, interval] {
    do {
      CheckOnce();
    } while (!stop_.WaitForNotificationWithTimeout(interval));
  });
}

void HealthMonitor::Stop() {
  if (!stop_.HasBeenNotified()) stop_.Notify();
  if (thread_.joinable()) thread_.join();
}

}  // namespace revisit
