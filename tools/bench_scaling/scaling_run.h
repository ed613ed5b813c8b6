// One configuration of the scaling benchmark: a whole Revisit stack (tests/harness/stack.h:
// real processes, real Kafka, real redis-server or a 3+3 Redis Cluster) with N
// instances of every service, measured twice:
//  1. order throughput: `clients` threads run orders create -> pay -> ship -> deliver
//     through the round-robin channel over the order instances (tools/load_order's
//     Driver) for `seconds` after a warm-up; orders delivered per second, and the CPU
//     the order instances, all service instances and the Redis processes used per order;
//  2. loyalty apply rate: the loyalty instances are paused (SIGSTOP) once they have
//     caught up, `events` order.completed events for `customers` customers are
//     published, the instances resume (SIGCONT, same consumer group members, no
//     rebalance) and the rate from the first applied event to the last is measured,
//     with the loyalty and Redis CPU per event.
// Thread-safety: run one at a time from the main thread (the stack's processes die with
// the thread that started them).
// Errors: the stack's start errors; DEADLINE_EXCEEDED when loyalty stalls (5 min guard).
#ifndef REVISIT_TOOLS_BENCH_SCALING_SCALING_RUN_H_
#define REVISIT_TOOLS_BENCH_SCALING_SCALING_RUN_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace revisit::bench {

struct ScalingOptions {
  absl::Duration warmup = absl::Seconds(2);
  absl::Duration seconds = absl::Seconds(8);
  int clients = 16;
  int customers = 200;
  int events = 4000;
};

struct ScalingResult {
  std::string store;  // "single" or "cluster"
  int instances = 0;
  // Order phase.
  double orders_per_s = 0;
  int64_t order_failures = 0;
  double order_cpu_ms = 0;     // the order instances, per order
  double services_cpu_ms = 0;  // every service instance (all four services), per order
  double redis_cpu_ms = 0;     // every redis-server (masters and replicas), per order
  double client_cpu_ms = 0;    // this benchmark's own process, per order
  double rest_cpu_ms = 0;      // the rest of the machine's busy time (Kafka, others), per order
  double machine_busy_pct = 0;
  // Loyalty phase.
  double loyalty_events_per_s = 0;
  double loyalty_cpu_ms = 0;        // the loyalty instances, per event
  double loyalty_redis_cpu_ms = 0;  // every redis-server, per event
  double loyalty_machine_busy_pct = 0;
};

absl::StatusOr<ScalingResult> RunScaling(const ScalingOptions& options, bool cluster,
                                         int instances);

}  // namespace revisit::bench

#endif  // REVISIT_TOOLS_BENCH_SCALING_SCALING_RUN_H_
