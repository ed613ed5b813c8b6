// ServiceRuntime: everything a Revisit service process runs besides its own logic.
//
// From the common configuration (REVISIT_* variables, see LoadCommonConfig) it
// builds the Redis client, the domain clock, the gRPC ServiceHost, and on request
// the outbox relay (with its Kafka producer), the durable-timer scheduler and the
// Kafka consumer (group = service name, dead-letter topic revisit.<service>.dlq.v1).
// Run() starts serving and blocks until SIGTERM/SIGINT, then shuts down in the
// order of ARCHITECTURE.md: health NOT_SERVING → drain RPCs → stop and close the
// consumer (commits offsets) → stop timers → stop the relay → flush the producer.
// Every step has a deadline (REVISIT_*_TIMEOUT, ShutdownBudget() is their sum); a
// step that overruns it (e.g. closing a consumer while no broker answers) is
// abandoned and the process exits 0 without running destructors: what was not
// delivered stays in the outbox, what was not committed is redelivered.
// It also keeps the gauges revisit_outbox_backlog, revisit_timers_pending and
// revisit_consumer_lag current, and runs a HealthMonitor: readiness ("",
// "readiness") follows Redis and the broker, liveness ("liveness") the relay and
// the consumer thread. A consumer thread that dies makes both NOT_SERVING and
// Run() shut down and return 1.
// Thread-safety: build and start from main(); accessors are thread-safe.
// Create waits up to 60 s for Redis to answer PING (a Redis loading its AOF answers
// LOADING, i.e. UNAVAILABLE), then goes on.
// Errors: Create/Start* return the failing component's status (bad address; a
// Kafka topic the cluster says does not exist: NOT_FOUND naming it, since topics are
// created by the deployment, never auto-created); the process should exit non-zero.
// A cluster that does not answer at start-up is logged, not fatal: the outbox keeps
// events until it returns.
#ifndef REVISIT_COMMON_SERVICE_RUNTIME_H_
#define REVISIT_COMMON_SERVICE_RUNTIME_H_

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "common/clock.h"
#include "common/config.h"
#include "common/health_monitor.h"
#include "common/kafka_consumer.h"
#include "common/kafka_namespace.h"
#include "common/kafka_producer.h"
#include "common/kafka_security.h"
#include "common/outbox.h"
#include "common/redis_client.h"
#include "common/service_host.h"
#include "common/timer_queue.h"
#include "common/tls_config.h"

namespace revisit {

// The configuration every service shares.
struct CommonConfig {
  std::string service;
  int grpc_port = 50051;
  int metrics_port = 9464;
  std::string bind_address;
  int grpc_workers = 0;  // REVISIT_GRPC_WORKERS (ServiceHostOptions::grpc_workers)
  int grpc_queue = 256;  // REVISIT_GRPC_QUEUE
  RedisOptions redis;
  std::string kafka_bootstrap;
  KafkaNamespace kafka_namespace;  // REVISIT_TOPIC_PREFIX
  KafkaSecurity kafka_security;    // REVISIT_KAFKA_CERT_FILE, ... (mTLS principal)
  std::string log_level;
  double time_scale = 1;
  absl::Time time_origin;
  std::string instance_id;
  // Shutdown deadlines (see ShutdownBudget).
  absl::Duration not_serving_delay;
  absl::Duration drain_timeout;
  absl::Duration consumer_close_timeout;
  absl::Duration relay_stop_timeout;
  absl::Duration producer_flush_timeout;
  absl::Duration shutdown_step_timeout;  // timers, gauges
  // The relay waits this long for delivery reports; the producer gives up on a
  // record by then (message.timeout.ms).
  absl::Duration outbox_delivery_timeout;
  // REVISIT_OUTBOX_COMPACT: the outbox entry form commits write (common/outbox_entry.h).
  bool outbox_compact = true;
  // Kafka latency settings (docs/performance.md): producer linger.ms, consumer
  // fetch.wait.max.ms.
  absl::Duration kafka_linger;
  absl::Duration kafka_fetch_wait_max;
  // Health (HealthMonitor).
  absl::Duration health_probe_interval;
  absl::Duration broker_unreachable_grace;
  absl::Duration liveness_stall_timeout;
  // Security (docs/security.md): mTLS material, the authorization table, the
  // plaintext health probe port.
  TlsConfig tls;
  std::string authz_file;
  int probe_port = -1;
  bool grpc_reflection = false;  // REVISIT_GRPC_REFLECTION
};

// The longest a SIGTERM shutdown can take with `c`: the sum of its step deadlines
// (plus the drain's cancel grace). Must stay below terminationGracePeriodSeconds.
absl::Duration ShutdownBudget(const CommonConfig& c);

// Declares and reads the REVISIT_* variables every service accepts.
CommonConfig LoadCommonConfig(EnvConfig& env, const std::string& service);
// The security part of it: REVISIT_TLS*, REVISIT_AUTHZ_FILE, REVISIT_PROBE_PORT.
void LoadSecurityConfig(EnvConfig& env, CommonConfig& config);

// If argv contains --print-env, prints env.SpecsJson() and returns true.
bool WantsPrintEnv(int argc, char** argv);

class ServiceRuntime {
 public:
  static absl::StatusOr<std::unique_ptr<ServiceRuntime>> Create(const CommonConfig& config);
  ~ServiceRuntime();

  const CommonConfig& config() const { return config_; }
  RedisClient& redis() { return *redis_; }
  const Clock& clock() const { return *clock_; }
  ServiceHost& host() { return *host_; }

  // Starts the Kafka producer and the outbox relay of this service.
  absl::Status StartOutbox();
  // Starts the durable-timer scheduler with `handler`.
  void StartTimers(TimerScheduler::Handler handler);
  // Starts consuming `topics` in group <service> on a background thread. With
  // `replay_from_beginning`, every partition is read from offset 0 on first
  // assignment (rebuilds projections; safe because handlers deduplicate on ce_id).
  absl::Status StartConsumer(const std::vector<std::string>& topics,
                             KafkaConsumer::Handler handler, bool replay_from_beginning = false);

  // Like StartConsumer, in batches (KafkaConsumer::RunBatches): `batch` gets up to
  // `max_batch` records per call and sets each event's trace itself; the records it
  // reports failed go one at a time through `single` (under each event's trace).
  absl::Status StartBatchConsumer(const std::vector<std::string>& topics,
                                  KafkaConsumer::BatchHandler batch,
                                  KafkaConsumer::Handler single,
                                  bool replay_from_beginning = false, int max_batch = 256);

  // Starts the gRPC host and blocks until SIGTERM/SIGINT; returns the process exit
  // code: 0 after an orderly shutdown, 1 when the host cannot start.
  int Run();

 private:
  explicit ServiceRuntime(CommonConfig config);
  void RegisterShutdownSteps();
  absl::Status CreateConsumer(const std::vector<std::string>& topics, bool replay_from_beginning,
                              int max_batch);
  void RefreshGauges();
  void StartHealthMonitor();
  // The consumer thread ended on an error: not ready, not live, shut down, exit 1.
  void ConsumerDied(const absl::Status& status);

  CommonConfig config_;
  std::unique_ptr<Clock> clock_;
  std::unique_ptr<RedisClient> redis_;
  std::unique_ptr<ServiceHost> host_;
  std::unique_ptr<KafkaProducer> producer_;
  std::unique_ptr<OutboxRelay> relay_;
  std::unique_ptr<TimerScheduler> timers_;
  std::unique_ptr<KafkaConsumer> consumer_;
  std::thread consumer_thread_;
  std::thread gauges_thread_;
  std::atomic<bool> running_{true};
  RealClock wall_clock_;
  std::unique_ptr<HealthMonitor> health_;
  std::atomic<bool> consumer_failed_{false};
  // Whether the cluster answered the producer's topic check at start-up (if not, the
  // consumer's check is skipped rather than waited for again).
  bool kafka_answered_at_start_ = true;
};

}  // namespace revisit

#endif  // REVISIT_COMMON_SERVICE_RUNTIME_H_
