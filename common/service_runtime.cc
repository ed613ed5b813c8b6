#include "common/service_runtime.h"

#include "common/outbox_entry.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <thread>

#include "common/allocator.h"
#include "common/event_type.h"
#include "common/call_authorizer.h"
#include "common/grpc_client.h"
#include "common/log.h"
#include "common/metrics.h"
#include "common/status.h"
#include "spdlog/spdlog.h"

namespace revisit {
namespace {

std::string HostName() {
  char buf[256] = {0};
  if (gethostname(buf, sizeof(buf) - 1) != 0) return "revisit";
  return buf;
}

// How long start-up waits for a Redis that answers but is not ready (LOADING its AOF
// after a restart) or not reachable yet, before going on and letting the first
// command fail as it would have.
constexpr absl::Duration kRedisReadyWait = absl::Seconds(60);

// Blocks until PING succeeds, Redis refuses for a non-transient reason, or the wait
// is over. Logs once while waiting.
void WaitForRedisReady(RedisClient& redis) {
  const absl::Time give_up = absl::Now() + kRedisReadyWait;
  bool logged = false;
  while (true) {
    auto pong = redis.Command({"PING"});
    if (pong.ok() || pong.status().code() != absl::StatusCode::kUnavailable) return;
    if (absl::Now() > give_up) return;
    if (!logged) {
      LogWarn("waiting for redis to become ready", {{"error", pong.status().ToString()}});
      logged = true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
}

// How long start-up waits for the cluster's metadata to check topics exist.
constexpr absl::Duration kTopicCheckTimeout = absl::Seconds(5);

// A topic the cluster says does not exist stops start-up (topics are created by the
// deployment). A cluster that does not answer does not: the outbox keeps events
// until it returns, so the service may serve through a broker outage.
absl::Status TopicsChecked(absl::Status checked) {
  if (checked.code() != absl::StatusCode::kUnavailable) return checked;
  LogWarn("kafka topics not checked at start-up: " + checked.ToString());
  return absl::OkStatus();
}

// How long handlers get to return after the drain deadline cancelled their calls.
constexpr absl::Duration kCancelGrace = absl::Seconds(1);
// The producer step's deadline over its flush timeout (the flush itself must end first).
constexpr absl::Duration kFlushSlack = absl::Milliseconds(100);

void LoadShutdownConfig(EnvConfig& env, CommonConfig& c) {
  const absl::Duration zero = absl::ZeroDuration();
  c.not_serving_delay = env.Duration(
      "REVISIT_NOT_SERVING_DELAY", "0s", zero,
      "on SIGTERM, health is NOT_SERVING this long before the listener closes (endpoint removal)");
  c.drain_timeout = env.Duration("REVISIT_DRAIN_TIMEOUT", "10s", zero,
                                 "on SIGTERM, how long in-flight RPCs may finish before they are cancelled");
  c.consumer_close_timeout = env.Duration(
      "REVISIT_CONSUMER_CLOSE_TIMEOUT", "4s", zero,
      "on SIGTERM, how long stopping the consumer and committing its offsets may take");
  c.relay_stop_timeout = env.Duration(
      "REVISIT_RELAY_STOP_TIMEOUT", "4s", zero,
      "on SIGTERM, how long stopping the outbox relay may take (undelivered events stay in the outbox)");
  c.producer_flush_timeout = env.Duration(
      "REVISIT_PRODUCER_FLUSH_TIMEOUT", "2s", zero,
      "on SIGTERM, how long the producer may deliver what it still holds");
  c.shutdown_step_timeout = env.Duration(
      "REVISIT_SHUTDOWN_STEP_TIMEOUT", "1s", zero,
      "on SIGTERM, deadline of each remaining step (timers, gauges)");
  c.health_probe_interval = env.Duration(
      "REVISIT_HEALTH_PROBE_INTERVAL", "1s", absl::Milliseconds(10),
      "how often readiness and liveness are re-evaluated (Redis PING, broker metadata)");
  c.broker_unreachable_grace = env.Duration(
      "REVISIT_BROKER_UNREACHABLE_GRACE", "15s", zero,
      "readiness turns NOT_SERVING once no Kafka broker answered the producer for this long");
  c.liveness_stall_timeout = env.Duration(
      "REVISIT_LIVENESS_STALL_TIMEOUT", "60s", absl::Seconds(1),
      "liveness turns NOT_SERVING when the outbox relay made no pass for this long (wedged)");
  c.outbox_delivery_timeout = env.Duration(
      "REVISIT_OUTBOX_DELIVERY_TIMEOUT", "10s", absl::Milliseconds(100),
      "the relay waits this long for Kafka delivery reports; undelivered events are retried");
  c.outbox_compact = env.Bool(
      "REVISIT_OUTBOX_COMPACT", true,
      "write outbox entries as one compact field; false = the eleven-field form versions "
      "before it read (set during a rollout from, or a rollback to, such a version)");
  c.kafka_linger = env.Duration(
      "REVISIT_KAFKA_LINGER", "1ms", absl::ZeroDuration(),
      "the outbox producer's linger.ms: how long a record waits for others to share its batch");
  c.kafka_fetch_wait_max = env.Duration(
      "REVISIT_KAFKA_FETCH_WAIT_MAX", "100ms", absl::Milliseconds(1),
      "the consumer's fetch.wait.max.ms: longest broker wait on an idle partition");
}

}  // namespace

CommonConfig LoadCommonConfig(EnvConfig& env, const std::string& service) {
  CommonConfig c;
  c.service = service;
  c.grpc_port = env.Int("REVISIT_GRPC_PORT", 50051, 0, 65535, "gRPC port (0 = ephemeral)");
  c.metrics_port = env.Int("REVISIT_METRICS_PORT", 9464, -1, 65535,
                           "Prometheus /metrics HTTP port (0 = ephemeral, -1 = off)");
  c.bind_address = env.String("REVISIT_BIND_ADDRESS", "0.0.0.0", "address to bind gRPC and metrics");
  c.grpc_workers = static_cast<int>(env.Int(
      "REVISIT_GRPC_WORKERS", 0, 0, 1024,
      "threads running gRPC handlers (blocking Redis and peer calls); 0 = twice the cores, at least 8"));
  c.grpc_queue = static_cast<int>(env.Int(
      "REVISIT_GRPC_QUEUE", 256, 0, 1000000,
      "calls waiting for a handler thread; beyond it a call is refused RESOURCE_EXHAUSTED"));
  std::string redis = env.RequiredString(
      "REVISIT_REDIS_ADDR", "127.0.0.1:6379",
      "Redis host:port of this service's store; in cluster mode host:port[,host:port...] seeds");
  bool cluster = env.Bool("REVISIT_REDIS_CLUSTER", false,
                          "the store is a Redis Cluster (REVISIT_REDIS_ADDR lists seed nodes)");
  auto parsed = ParseRedisAddresses(redis, cluster);
  if (parsed.ok()) c.redis = *parsed;
  else env.Invalid("REVISIT_REDIS_ADDR", redis, std::string(parsed.status().message()));
  c.redis.wait_replicas = env.Int(
      "REVISIT_REDIS_WAIT_REPLICAS", 0, 0, 5,
      "a commit is acknowledged only once this many replicas have it (WAIT); 1 with a cluster");
  c.redis.wait_timeout = env.Duration(
      "REVISIT_REDIS_WAIT_TIMEOUT", "500ms", absl::Milliseconds(1),
      "how long a commit waits for its replicas before the call is UNAVAILABLE (retried)");
  c.redis.user = env.String("REVISIT_REDIS_USER", "",
                            "Redis ACL user of this service (docs/security.md); empty = default user");
  c.redis.password = env.String("REVISIT_REDIS_PASSWORD", "", "Redis AUTH password (secret)");
  c.kafka_bootstrap = env.RequiredString("REVISIT_KAFKA_BOOTSTRAP", "127.0.0.1:9092",
                                         "Kafka bootstrap servers host:port[,host:port]");
  c.kafka_security = KafkaSecurity::Load(env);
  std::string prefix = env.String("REVISIT_TOPIC_PREFIX", "",
                                  "prefix of every Kafka topic and consumer group of this "
                                  "deployment (shared clusters, tests); empty in production");
  if (absl::Status valid = KafkaNamespace::Validate(prefix); valid.ok()) {
    c.kafka_namespace = KafkaNamespace(prefix);
  } else {
    env.Invalid("REVISIT_TOPIC_PREFIX", prefix, "letters, digits, '.', '_', '-'; at most 100");
  }
  c.log_level = env.String("REVISIT_LOG_LEVEL", "info", "trace|debug|info|warn|error");
  c.time_scale = env.Double("REVISIT_TIME_SCALE", 1, 1, 1e7,
                            "domain time runs this many times faster than wall time (demos, e2e)");
  int64_t origin = env.Int("REVISIT_TIME_ORIGIN", 0, 0, 1LL << 40,
                           "unix seconds where scaled time starts; shared by all services");
  c.time_origin = origin == 0 ? absl::Now() : absl::FromUnixSeconds(origin);
  c.instance_id = env.String("REVISIT_INSTANCE_ID", HostName() + "-" + std::to_string(getpid()),
                             "unique name of this process (pod name)");
  LoadShutdownConfig(env, c);
  LoadSecurityConfig(env, c);
  return c;
}

void LoadSecurityConfig(EnvConfig& env, CommonConfig& c) {
  c.tls = TlsConfig::Load(env);
  c.authz_file = env.String("REVISIT_AUTHZ_FILE", "/etc/revisit/authz/authz.conf",
                            "authorization table: identity -> allowed RPCs (docs/security.md); "
                            "required when REVISIT_TLS=on");
  if (c.tls.enabled() && c.authz_file.empty()) {
    env.Invalid("REVISIT_AUTHZ_FILE", "", "required when REVISIT_TLS=on");
  }
  c.probe_port = env.Int("REVISIT_PROBE_PORT", -1, -1, 65535,
                         "plaintext port serving grpc.health.v1 only, for Kubernetes probes "
                         "(0 = ephemeral, -1 = off)");
  c.grpc_reflection = env.Bool("REVISIT_GRPC_REFLECTION", false,
                               "serve gRPC server reflection on the API port (mTLS, operators "
                               "only); for debugging with grpcurl, never in production");
}

absl::Duration ShutdownBudget(const CommonConfig& c) {
  return c.not_serving_delay + c.drain_timeout + kCancelGrace + c.consumer_close_timeout +
         c.shutdown_step_timeout /* timers */ + c.relay_stop_timeout +
         c.producer_flush_timeout + kFlushSlack + c.shutdown_step_timeout /* gauges */;
}

bool WantsPrintEnv(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--print-env") == 0) return true;
  }
  return false;
}

ServiceRuntime::ServiceRuntime(CommonConfig config) : config_(std::move(config)) {}

ServiceRuntime::~ServiceRuntime() {
  running_ = false;
  if (health_) health_->Stop();
  if (gauges_thread_.joinable()) gauges_thread_.join();
  if (consumer_) consumer_->Stop();
  if (consumer_thread_.joinable()) consumer_thread_.join();
}

// mTLS server credentials with the authorization table, or null (plaintext) when
// REVISIT_TLS=off; also makes this process's certificate the default of MakeChannel.
static absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> SecureServerCredentials(
    const CommonConfig& c) {
  c.tls.WarnIfOff("revisit-" + c.service);
  if (!c.tls.enabled()) return std::shared_ptr<grpc::ServerCredentials>();
  auto policy = AuthorizationPolicy::LoadFile(c.authz_file);
  if (!policy.ok()) return Annotate(policy.status(), "REVISIT_AUTHZ_FILE");
  SetDefaultChannelCredentials(c.tls.ChannelCredentials());
  return CallAuthorizer::Install(c.tls.ServerCredentials(), *std::move(policy), c.service);
}

absl::StatusOr<std::unique_ptr<ServiceRuntime>> ServiceRuntime::Create(const CommonConfig& c) {
  std::unique_ptr<ServiceRuntime> rt(new ServiceRuntime(c));
  SetCompactOutboxEntries(c.outbox_compact);  // before any commit
  rt->clock_ = MakeClock(c.time_scale, c.time_origin);
  rt->redis_ = std::make_unique<RedisClient>(c.redis);
  WaitForRedisReady(*rt->redis_);  // e.g. LOADING the AOF after a restart
  ServiceHostOptions host;
  host.service_name = c.service;
  host.grpc_port = c.grpc_port;
  host.metrics_port = c.metrics_port;
  host.bind_address = c.bind_address;
  host.drain_timeout = c.drain_timeout;
  host.cancel_grace = kCancelGrace;
  host.not_serving_delay = c.not_serving_delay;
  ASSIGN_OR_RETURN(host.credentials, SecureServerCredentials(c));
  host.probe_port = c.probe_port;
  host.reflection = c.grpc_reflection;
  host.grpc_workers = c.grpc_workers;
  host.grpc_queue = c.grpc_queue;
  rt->host_ = std::make_unique<ServiceHost>(host);
  return rt;
}

absl::Status ServiceRuntime::StartOutbox() {
  KafkaProducerOptions opts;
  opts.bootstrap = config_.kafka_bootstrap;
  opts.client_id = config_.service + "-relay";
  opts.kafka_namespace = config_.kafka_namespace;
  // A record not delivered by then fails (and is retried by a later pass).
  opts.extra["message.timeout.ms"] =
      std::to_string(absl::ToInt64Milliseconds(config_.outbox_delivery_timeout));
  // A broker connection that stops answering is dropped and re-dialled after 10 s
  // (librdkafka's default is 60 s), so readiness recovers soon after the broker does.
  opts.extra["socket.timeout.ms"] = "10000";
  opts.extra = config_.kafka_security.Apply(opts.extra);
  // Latency over batching (docs/performance.md): a relay pass waits for its reports.
  opts.extra["linger.ms"] = std::to_string(absl::ToInt64Milliseconds(config_.kafka_linger));
  auto producer = KafkaProducer::Create(opts);
  if (!producer.ok()) return producer.status();
  producer_ = *std::move(producer);
  absl::Status topics =
      producer_->CheckTopicsExist({EventTopic(config_.service)}, kTopicCheckTimeout);
  kafka_answered_at_start_ = topics.code() != absl::StatusCode::kUnavailable;
  RETURN_IF_ERROR(TopicsChecked(topics));
  OutboxRelayOptions relay;
  relay.service = config_.service;
  relay.instance_id = config_.instance_id;
  relay.delivery_timeout = config_.outbox_delivery_timeout;
  KafkaProducer* p = producer_.get();
  relay_ = std::make_unique<OutboxRelay>(
      *redis_,
      [p](const EventEnvelope& e, std::function<void(absl::Status)> done) {
        absl::Status st = p->Produce(e, done);
        if (!st.ok()) done(st);
      },
      relay);
  relay_->Start();
  return absl::OkStatus();
}

void ServiceRuntime::StartTimers(TimerScheduler::Handler handler) {
  TimerSchedulerOptions opts;
  opts.service = config_.service;
  timers_ = std::make_unique<TimerScheduler>(*redis_, *clock_, opts, std::move(handler));
  timers_->Start();
}

namespace {

// Each event is handled under the trace it was produced in (ce_traceparent).
KafkaConsumer::Handler Traced(KafkaConsumer::Handler handler) {
  return [handler = std::move(handler)](const EventEnvelope& e) {
    ScopedTraceId trace(ParseTraceparent(e.traceparent).value_or(NewTraceId()));
    return handler(e);
  };
}

}  // namespace

absl::Status ServiceRuntime::CreateConsumer(const std::vector<std::string>& topics,
                                            bool replay_from_beginning, int max_batch) {
  KafkaConsumerOptions opts;
  opts.bootstrap = config_.kafka_bootstrap;
  opts.group_id = config_.service;
  opts.client_id = config_.instance_id;
  opts.topics = topics;
  opts.dead_letter_topic = DeadLetterTopic(config_.service);
  opts.kafka_namespace = config_.kafka_namespace;
  opts.replay_from_beginning = replay_from_beginning;
  opts.max_batch = max_batch;
  opts.extra = config_.kafka_security.Properties();  // also the dead-letter producer's
  opts.consumer_extra["fetch.wait.max.ms"] =
      std::to_string(absl::ToInt64Milliseconds(config_.kafka_fetch_wait_max));
  auto consumer = KafkaConsumer::Create(opts);
  if (!consumer.ok()) return consumer.status();
  consumer_ = *std::move(consumer);
  // The producer's check already waited for a cluster that did not answer: do not
  // wait a second time (start-up through a broker outage stays quick).
  if (kafka_answered_at_start_) {
    RETURN_IF_ERROR(TopicsChecked(consumer_->CheckTopicsExist(kTopicCheckTimeout)));
  }
  return absl::OkStatus();
}

absl::Status ServiceRuntime::StartConsumer(const std::vector<std::string>& topics,
                                           KafkaConsumer::Handler handler,
                                           bool replay_from_beginning) {
  RETURN_IF_ERROR(CreateConsumer(topics, replay_from_beginning, 1));
  consumer_thread_ = std::thread([this, traced = Traced(std::move(handler))] {
    absl::Status st = consumer_->Run(traced);
    if (!st.ok()) ConsumerDied(st);
  });
  return absl::OkStatus();
}

absl::Status ServiceRuntime::StartBatchConsumer(const std::vector<std::string>& topics,
                                                KafkaConsumer::BatchHandler batch,
                                                KafkaConsumer::Handler single,
                                                bool replay_from_beginning, int max_batch) {
  RETURN_IF_ERROR(CreateConsumer(topics, replay_from_beginning, max_batch));
  consumer_thread_ = std::thread(
      [this, batch = std::move(batch), traced = Traced(std::move(single))] {
        absl::Status st = consumer_->RunBatches(batch, traced);
        if (!st.ok()) ConsumerDied(st);
      });
  return absl::OkStatus();
}

void ServiceRuntime::ConsumerDied(const absl::Status& status) {
  LogError("kafka consumer thread died; shutting down to be restarted",
           {{"error", status.ToString()}});
  consumer_failed_ = true;
  host_->SetLive(false);
  host_->SetServing(false);
  host_->RequestShutdown();
}

void ServiceRuntime::StartHealthMonitor() {
  HealthProbes probes;
  probes.redis = [this] { return redis_->Command({"PING"}).status(); };
  if (producer_) {
    absl::Duration timeout = std::min(config_.health_probe_interval, absl::Seconds(2));
    probes.broker = [this, timeout] { return producer_->Ping(timeout); };
  }
  if (relay_) probes.relay_last_pass = [this] { return relay_->last_pass(); };
  probes.consumer_dead = [this] { return consumer_failed_.load(); };
  HealthPolicy policy;
  policy.broker_grace = config_.broker_unreachable_grace;
  policy.stall_timeout = config_.liveness_stall_timeout;
  health_ = std::make_unique<HealthMonitor>(probes, policy, wall_clock_,
                                            [this](const HealthVerdict& v) {
                                              host_->SetServing(v.ready);
                                              host_->SetLive(v.live);
                                            });
  health_->Start(config_.health_probe_interval);
}

void ServiceRuntime::RefreshGauges() {
  auto& backlog = Metrics().GaugeFamily("revisit_outbox_backlog",
                                        "Outbox entries not yet acknowledged by Kafka.",
                                        {"service"}).WithLabels({config_.service});
  auto& pending = Metrics().GaugeFamily("revisit_timers_pending",
                                        "Durable timers scheduled and not yet fired.",
                                        {"service"}).WithLabels({config_.service});
  auto& lag = Metrics().GaugeFamily("revisit_consumer_lag",
                                    "Messages behind the high watermark, all partitions.",
                                    {"service"}).WithLabels({config_.service});
  while (running_) {
    if (relay_) backlog.Set(static_cast<double>(relay_->Backlog()));
    if (timers_) pending.Set(static_cast<double>(timers_->Pending()));
    if (consumer_) lag.Set(static_cast<double>(consumer_->Lag()));
    for (int i = 0; i < 20 && running_; ++i) absl::SleepFor(absl::Milliseconds(100));
  }
}

void ServiceRuntime::RegisterShutdownSteps() {
  host_->OnShutdown("kafka consumer", [this] {
    if (!consumer_) return;
    consumer_->Stop();
    if (consumer_thread_.joinable()) consumer_thread_.join();
    consumer_->Close().IgnoreError();
  }, config_.consumer_close_timeout);
  host_->OnShutdown("timers", [this] {
    if (timers_) timers_->Stop();
  }, config_.shutdown_step_timeout);
  host_->OnShutdown("outbox relay", [this] {
    if (relay_) relay_->Stop();
  }, config_.relay_stop_timeout);
  host_->OnShutdown("kafka producer", [this] {
    if (producer_) producer_->Flush(config_.producer_flush_timeout).IgnoreError();
  }, config_.producer_flush_timeout + kFlushSlack);
  host_->OnShutdown("gauges and health monitor", [this] {
    running_ = false;
    if (gauges_thread_.joinable()) gauges_thread_.join();
    if (health_) health_->Stop();
  }, config_.shutdown_step_timeout);
}

int ServiceRuntime::Run() {
  RegisterShutdownSteps();
  gauges_thread_ = std::thread([this] { RefreshGauges(); });
  absl::Status st = host_->Start();
  if (!st.ok()) {
    LogError("cannot start " + config_.service + ": " + st.ToString());
    return 1;
  }
  StartHealthMonitor();
  LogInfo(config_.service + " serving",
          {{"grpc_port", std::to_string(host_->grpc_port())},
           {"metrics_port", std::to_string(host_->metrics_port())},
           {"allocator", AllocatorName()},
           {"shutdown_budget_ms", absl::ToInt64Milliseconds(ShutdownBudget(config_))}});
  int signal = host_->WaitForTermination();
  // An orderly shutdown on SIGTERM/SIGINT is a success (Kubernetes, launcher); a dead
  // consumer is not (the pod must restart).
  const int code = consumer_failed_ ? 1 : 0;
  LogInfo(config_.service + " stopped", {{"signal", signal}, {"exit_code", code}});
  if (host_->abandoned_steps() > 0) {
    // A step still runs on its thread: destructors would race it. Everything it did
    // not finish is durable (outbox entries unacknowledged, offsets uncommitted).
    spdlog::default_logger()->flush();
    std::fflush(nullptr);
    std::_Exit(code);
  }
  return code;
}

}  // namespace revisit
