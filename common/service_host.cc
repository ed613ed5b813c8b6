#include "common/service_host.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server_builder.h>
#include <pthread.h>
#include <signal.h>

#include <array>
#include <chrono>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "common/actor_interceptor.h"
#include "common/callback_handlers.h"
#include "common/log.h"
#include "common/no_server_reflection.h"
#include "common/parse_failure_interceptor.h"

namespace revisit {
namespace {

using grpc::experimental::InterceptionHookPoints;

sigset_t TerminationSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  return set;
}

// Metric series of one RPC method, looked up once and then reused.
class MethodMetrics {
 public:
  explicit MethodMetrics(const std::string& full_method) {
    // "/pkg.Service/Method" -> service "pkg.Service", method "Method".
    size_t slash = full_method.rfind('/');
    if (full_method.size() > 1 && full_method[0] == '/' && slash > 0) {
      service_ = full_method.substr(1, slash - 1);
      method_ = full_method.substr(slash + 1);
    } else {
      service_ = "unknown";
      method_ = full_method.empty() ? "unknown" : full_method;
    }
    latency_ = &Metrics()
                    .HistogramFamily("revisit_grpc_request_duration_seconds",
                                     "Server-side gRPC handling time.", {"service", "method"})
                    .WithLabels({service_, method_});
    for (auto& c : by_code_) c.store(nullptr);
  }

  void Record(grpc::StatusCode code, double seconds) {
    latency_->Observe(seconds);
    size_t i = static_cast<size_t>(code) < by_code_.size() ? static_cast<size_t>(code) : 2;
    Counter* c = by_code_[i].load(std::memory_order_acquire);
    if (c == nullptr) {
      c = &Metrics()
               .CounterFamily("revisit_grpc_requests_total", "gRPC requests handled, by code.",
                              {"service", "method", "code"})
               .WithLabels({service_, method_, CodeName(i)});
      by_code_[i].store(c, std::memory_order_release);
    }
    c->Inc();
  }

 private:
  static std::string CodeName(size_t code) {
    static const char* kNames[] = {
        "OK",        "CANCELLED",          "UNKNOWN",           "INVALID_ARGUMENT",
        "DEADLINE_EXCEEDED", "NOT_FOUND",  "ALREADY_EXISTS",    "PERMISSION_DENIED",
        "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE",
        "UNIMPLEMENTED", "INTERNAL",       "UNAVAILABLE",       "DATA_LOSS",
        "UNAUTHENTICATED"};
    return kNames[code];
  }

  std::string service_, method_;
  Histogram* latency_;
  std::array<std::atomic<Counter*>, 17> by_code_;
};

// Per call: counts and times it (PRE_SEND_STATUS: queueing in the executor included).
// The trace is the handler's business: CallbackHandlers sets it on the worker.
class RpcInterceptor : public grpc::experimental::Interceptor {
 public:
  RpcInterceptor(MethodMetrics* metrics, Gauge* in_flight)
      : metrics_(metrics), in_flight_(in_flight), start_(std::chrono::steady_clock::now()) {
    in_flight_->Inc();
  }
  ~RpcInterceptor() override { in_flight_->Dec(); }

  void Intercept(grpc::experimental::InterceptorBatchMethods* m) override {
    if (m->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      std::chrono::duration<double> took = std::chrono::steady_clock::now() - start_;
      metrics_->Record(m->GetSendStatus().error_code(), took.count());
    }
    m->Proceed();
  }

 private:
  MethodMetrics* metrics_;
  Gauge* in_flight_;
  std::chrono::steady_clock::time_point start_;
};

class RpcInterceptorFactory : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  RpcInterceptorFactory()
      : in_flight_(&Metrics()
                        .GaugeFamily("revisit_grpc_requests_in_flight",
                                     "gRPC requests being handled.")
                        .WithLabels()) {}

  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    return new RpcInterceptor(ForMethod(info->method() ? info->method() : ""), in_flight_);
  }

 private:
  MethodMetrics* ForMethod(const std::string& method) {
    absl::MutexLock lock(&mu_);
    auto& slot = methods_[method];
    if (!slot) slot = std::make_unique<MethodMetrics>(method);
    return slot.get();
  }

  Gauge* in_flight_;
  absl::Mutex mu_;
  std::map<std::string, std::unique_ptr<MethodMetrics>> methods_ ABSL_GUARDED_BY(mu_);
};

}  // namespace

void BlockTerminationSignals() {
  sigset_t set = TerminationSignals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

ServiceHost::ServiceHost(ServiceHostOptions options) : options_(std::move(options)) {}

ServiceHost::~ServiceHost() {
  Shutdown();
  if (abandoned_steps_ > 0) {  // an abandoned drain may still use them
    (void)server_.release();
    (void)executor_.release();
  }
}

void ServiceHost::AddService(grpc::Service* service, std::string health_name) {
  services_.push_back(service);
  if (!health_name.empty()) health_names_.push_back(std::move(health_name));
}

void ServiceHost::OnShutdown(std::string name, std::function<void()> step,
                             absl::Duration deadline) {
  steps_.push_back(Step{std::move(name), std::move(step), deadline});
}

absl::Status ServiceHost::Start() {
  if (server_ || shut_down_) return absl::FailedPreconditionError("ServiceHost already started");
  BlockTerminationSignals();  // idempotent; main() should have done it before any thread
  if (options_.metrics_port >= 0) {
    metrics_ = std::make_unique<MetricsHttpServer>(&Metrics(), [this] { return serving(); });
    absl::Status s = metrics_->Start(options_.metrics_port, options_.bind_address);
    if (!s.ok()) {
      metrics_.reset();
      return s;
    }
  }
  executor_ = std::make_unique<RpcExecutor>(RpcExecutorOptions{
      DefaultRpcWorkers(options_.grpc_workers), options_.grpc_queue});
  for (grpc::Service* s : services_) {
    if (auto* handlers = dynamic_cast<CallbackHandlers*>(s)) handlers->BindExecutor(executor_.get());
  }
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  if (!options_.reflection) builder.SetOption(std::make_unique<NoServerReflection>());
  std::string address = absl::StrCat(options_.bind_address, ":", options_.grpc_port);
  auto credentials = options_.credentials ? options_.credentials : grpc::InsecureServerCredentials();
  builder.AddListeningPort(address, credentials, &grpc_port_);
  builder.SetMaxReceiveMessageSize(options_.max_message_bytes);
  builder.SetMaxSendMessageSize(options_.max_message_bytes);
  // Accept the client keepalive pings MakeChannel configures (every 30 s, idle too).
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS, 10000);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  // A port someone else holds is an error, not a port shared in silence (gRPC sets
  // SO_REUSEPORT by default: a second server on the port would get half the calls).
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  for (grpc::Service* s : services_) builder.RegisterService(s);
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> creators;
  creators.push_back(std::make_unique<RpcInterceptorFactory>());
  creators.push_back(std::make_unique<ActorInterceptorFactory>());  // mTLS caller = actor
  // A request that does not parse (invalid UTF-8 in a string) → INVALID_ARGUMENT.
  creators.push_back(std::make_unique<ParseFailureInterceptorFactory>());
  builder.experimental().SetInterceptorCreators(std::move(creators));
  server_ = builder.BuildAndStart();
  if (!server_ || grpc_port_ == 0) {
    server_.reset();
    executor_.reset();
    if (metrics_) metrics_->Stop();
    metrics_.reset();
    return absl::UnavailableError("cannot start gRPC server on " + address);
  }
  if (options_.probe_port >= 0) {
    probe_ = std::make_unique<ProbeServer>();
    if (absl::Status s = probe_->Start(options_.bind_address, options_.probe_port); !s.ok()) {
      probe_.reset();
      server_->Shutdown();
      server_.reset();
      executor_.reset();
      if (metrics_) metrics_->Stop();
      metrics_.reset();
      return s;
    }
  }
  signal_thread_ = std::thread([this] { SignalLoop(); });
  SetLive(true);
  SetServing(true);
  LogInfo("service started", {{"service_name", options_.service_name},
                              {"grpc_port", grpc_port_}, {"metrics_port", metrics_port()},
                              {"probe_port", probe_port()}, {"mtls", options_.credentials != nullptr},
                              {"grpc_workers", executor_->workers()}});
  return absl::OkStatus();
}

namespace {
constexpr char kReadiness[] = "readiness";
constexpr char kLiveness[] = "liveness";
}  // namespace

void ServiceHost::SetServing(bool serving) {
  absl::MutexLock lock(&mu_);
  if (serving && stopping_) return;
  serving_ = serving;
  if (probe_) probe_->SetServing(serving);
  if (!server_ || !server_->GetHealthCheckService()) return;
  auto* health = server_->GetHealthCheckService();
  health->SetServingStatus("", serving);
  health->SetServingStatus(kReadiness, serving);
  for (const auto& name : health_names_) health->SetServingStatus(name, serving);
}

void ServiceHost::SetLive(bool live) {
  absl::MutexLock lock(&mu_);
  if (probe_) probe_->SetLive(live);
  if (!server_ || !server_->GetHealthCheckService()) return;
  server_->GetHealthCheckService()->SetServingStatus(kLiveness, live);
}

bool ServiceHost::serving() const {
  absl::MutexLock lock(&mu_);
  return serving_;
}

void ServiceHost::RequestShutdown() {
  absl::MutexLock lock(&mu_);
  shutdown_requested_ = true;
}

int ServiceHost::WaitForTermination() {
  int sig;
  {
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(&shutdown_requested_));
    sig = signal_;
  }
  LogInfo("shutdown requested", {{"signal", sig == 0 ? "none" : strsignal(sig)}});
  Shutdown();
  return sig;
}

void ServiceHost::SignalLoop() {
  sigset_t set = TerminationSignals();
  int sig = 0;
  sigwait(&set, &sig);
  absl::MutexLock lock(&mu_);
  if (stopping_signal_thread_) return;  // woken by StopSignalThread
  signal_ = sig;
  shutdown_requested_ = true;
}

void ServiceHost::StopSignalThread() {
  if (!signal_thread_.joinable()) return;
  {
    absl::MutexLock lock(&mu_);
    stopping_signal_thread_ = true;
  }
  // SIGTERM is blocked in that thread, so this only wakes its sigwait (or is
  // discarded if the thread already returned after a real signal).
  pthread_kill(signal_thread_.native_handle(), SIGTERM);
  signal_thread_.join();
}

bool ServiceHost::RunBounded(const Step& step) {
  absl::Time begin = absl::Now();
  LogInfo("shutdown: step", {{"step", step.name},
                             {"deadline_ms", absl::ToInt64Milliseconds(step.deadline)}});
  auto done = std::make_shared<absl::Notification>();
  std::thread worker([run = step.run, done] {
    run();
    done->Notify();
  });
  if (!done->WaitForNotificationWithTimeout(step.deadline)) {
    worker.detach();
    ++abandoned_steps_;
    LogError("shutdown: step exceeded its deadline, abandoned",
             {{"step", step.name}, {"deadline_ms", absl::ToInt64Milliseconds(step.deadline)}});
    return false;
  }
  worker.join();
  LogInfo("shutdown: step done", {{"step", step.name},
                                  {"ms", absl::ToInt64Milliseconds(absl::Now() - begin)}});
  return true;
}

void ServiceHost::Shutdown() {
  if (!server_ || shut_down_) return;
  shut_down_ = true;
  LogInfo("shutdown: health NOT_SERVING");
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  SetServing(false);
  if (options_.not_serving_delay > absl::ZeroDuration()) absl::SleepFor(options_.not_serving_delay);
  // Stop accepting (GOAWAY: new calls fail UNAVAILABLE), let in-flight calls finish,
  // cancel those still running at the drain deadline; then the executor answers what
  // it still holds (cancelled calls without running them) and stops.
  grpc::Server* server = server_.get();
  RpcExecutor* executor = executor_.get();
  absl::Time drain_deadline = absl::Now() + options_.drain_timeout;
  RunBounded({"drain RPCs",
              [server, executor, drain_deadline] {
                server->Shutdown(absl::ToChronoTime(drain_deadline));
                executor->Shutdown();
                server->Wait();
              },
              options_.drain_timeout + options_.cancel_grace});
  for (const Step& step : steps_) RunBounded(step);
  if (metrics_) metrics_->Stop();
  if (probe_) probe_->Stop();
  StopSignalThread();
  LogInfo("shutdown: complete", {{"abandoned_steps", abandoned_steps_}});
}

}  // namespace revisit
