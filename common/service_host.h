// ServiceHost: the gRPC server bootstrap every Revisit service runs in.
//
// It serves the service's gRPC API plus grpc.health.v1 and server reflection,
// exposes Prometheus metrics on an HTTP port, counts and times every RPC
// (revisit_grpc_requests_total{service,method,code},
// revisit_grpc_request_duration_seconds{service,method}). Services use gRPC's
// callback API through CallbackHandlers (common/callback_handlers.h): the host owns
// the RpcExecutor (options.grpc_workers threads, a queue of options.grpc_queue calls;
// full: RESOURCE_EXHAUSTED "server busy") that runs their blocking handlers under the
// caller's trace, and binds it to every such service at Start. It owns the shutdown
// sequence:
//
//   health NOT_SERVING → (optional pause for load balancers) → stop accepting and
//   drain in-flight RPCs until drain_timeout, then cancel the rest, then stop the
//   executor once it has answered every queued call → OnShutdown
//   steps in registration order (close consumer, flush producer, ...) → stop the
//   metrics server.
//
// Every part is bounded: the drain by drain_timeout + cancel_grace, each step by its
// own deadline. A part that overruns is abandoned (left running on its thread, logged
// as an error) and the sequence goes on; abandoned_steps() then tells the owner to
// end the process without running destructors (ServiceRuntime does, exit code 0: what
// the steps did not finish stays durable in Redis and Kafka). A host with abandoned
// steps leaks its gRPC server on destruction rather than wait for it.
//
// Typical main():
//   BlockTerminationSignals();            // first, before any thread starts
//   ServiceHost host({.service_name = "order", .grpc_port = 50051, ...});
//   host.AddService(&order_service);
//   host.OnShutdown("kafka consumer", [&] { consumer.Close(); });
//   if (auto s = host.Start(); !s.ok()) return 1;
//   host.WaitForTermination();            // SIGTERM/SIGINT
//   return 0;
//
// Health (grpc.health.v1): readiness is reported under "", "readiness" and every
// name given to AddService; liveness under "liveness". Start marks both SERVING;
// the shutdown sequence marks readiness NOT_SERVING first and then ignores
// SetServing(true) (a health monitor cannot make a stopping host ready again).
//
// Security (docs/security.md): with options.credentials (TlsConfig mTLS credentials
// carrying a CallAuthorizer) every call is authenticated and authorized before its
// handler, and ActorInterceptor makes a person's certificate the request's actor;
// options.probe_port serves grpc.health.v1 alone in plaintext (ProbeServer).
//
// A request gRPC cannot parse (a string field with invalid UTF-8, malformed bytes)
// is refused INVALID_ARGUMENT naming the field and the rule, for every service
// (ParseFailureInterceptorFactory), instead of gRPC's INTERNAL with no message.
//
// A plain sync-API grpc::Service is still served (gRPC's own thread pool, no trace
// set); the four services and the tests' fakes use CallbackHandlers.
// Thread-safety: AddService/OnShutdown/Start/WaitForTermination from one thread
// (main); SetServing, RequestShutdown, grpc_port, metrics_port from any thread.
// Errors: Start returns UNAVAILABLE when a port cannot be bound (also one another
// process holds: SO_REUSEPORT is off, so two servers never share a port) and
// FAILED_PRECONDITION when called twice.
#ifndef REVISIT_COMMON_SERVICE_HOST_H_
#define REVISIT_COMMON_SERVICE_HOST_H_

#include <grpcpp/server.h>
#include <grpcpp/impl/service_type.h>
#include <grpcpp/security/server_credentials.h>

#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/metrics.h"
#include "common/probe_server.h"
#include "common/rpc_executor.h"

namespace revisit {

// Blocks SIGTERM and SIGINT in the calling thread and so in every thread it
// starts later; ServiceHost then receives them with sigwait. Call first in main().
void BlockTerminationSignals();

struct ServiceHostOptions {
  std::string service_name;  // used in logs and metric labels
  int grpc_port = 0;         // 0 = ephemeral (see grpc_port())
  int metrics_port = 0;      // 0 = ephemeral, -1 = no metrics HTTP server
  std::string bind_address = "0.0.0.0";  // "127.0.0.1" for loopback only
  absl::Duration drain_timeout = absl::Seconds(10);  // in-flight RPCs after this are cancelled
  // How long handlers get to return after the drain deadline cancelled their calls.
  absl::Duration cancel_grace = absl::Seconds(1);
  // Pause between NOT_SERVING and closing the listener so load balancers and
  // Kubernetes readiness probes stop routing here first.
  absl::Duration not_serving_delay = absl::ZeroDuration();
  int max_message_bytes = 4 * 1024 * 1024;
  // Security (docs/security.md). Credentials of the API port: mTLS with a
  // CallAuthorizer (TlsConfig + CallAuthorizer::Install); null = plaintext.
  std::shared_ptr<grpc::ServerCredentials> credentials;
  // Plaintext port serving grpc.health.v1 alone, for Kubernetes probes
  // (-1 = none, 0 = ephemeral, see probe_port()).
  int probe_port = -1;
  // gRPC server reflection on the API port (behind mTLS and the authorization table:
  // operators only). Off unless REVISIT_GRPC_REFLECTION=true (never in production).
  bool reflection = false;
  // Handler threads (REVISIT_GRPC_WORKERS; 0 = twice the cores, at least 8) and calls waiting for
  // one (REVISIT_GRPC_QUEUE) of the RpcExecutor.
  int grpc_workers = 0;
  int grpc_queue = 256;
};

// Hosts one process's gRPC services; see the file comment.
class ServiceHost {
 public:
  explicit ServiceHost(ServiceHostOptions options);
  // Runs the shutdown sequence if Start succeeded and it has not run yet.
  ~ServiceHost();
  ServiceHost(const ServiceHost&) = delete;
  ServiceHost& operator=(const ServiceHost&) = delete;

  // Registers a service (not owned; must outlive the host). Before Start only.
  // `health_name` (e.g. OrderService::service_full_name()) is also reported by
  // grpc.health.v1 under that name; the overall status ("") always is.
  void AddService(grpc::Service* service, std::string health_name = "");
  // Adds a step run after the drain, in registration order, abandoned after
  // `deadline`. Before Start only.
  void OnShutdown(std::string name, std::function<void()> step,
                  absl::Duration deadline = absl::InfiniteDuration());

  // Binds the ports, starts serving and marks health SERVING. Needs at least one
  // AddService (gRPC refuses a server without one once reflection is off).
  absl::Status Start();
  // Readiness: the status of "", "readiness" and the services' names.
  void SetServing(bool serving);
  bool serving() const;
  // Liveness: the status of "liveness".
  void SetLive(bool live);

  // Blocks until SIGTERM/SIGINT arrives or RequestShutdown() is called, then runs
  // the shutdown sequence. Returns the signal number, or 0 for RequestShutdown.
  int WaitForTermination();
  // Wakes WaitForTermination (tests, fatal errors in background threads).
  void RequestShutdown();

  // Parts of the shutdown sequence (drain, steps) abandoned at their deadline.
  int abandoned_steps() const { return abandoned_steps_; }

  // Bound ports once started, else 0.
  int grpc_port() const { return grpc_port_; }
  int metrics_port() const { return metrics_ ? metrics_->port() : 0; }
  int probe_port() const { return probe_ ? probe_->port() : 0; }
  // Calls waiting for an executor worker once started, else 0.
  int queued_calls() const { return executor_ ? executor_->queued() : 0; }

 private:
  void SignalLoop();
  void StopSignalThread();
  void Shutdown();
  struct Step {
    std::string name;
    std::function<void()> run;
    absl::Duration deadline;
  };
  // Runs `step` on its own thread; false (and the thread left running) on overrun.
  bool RunBounded(const Step& step);

  const ServiceHostOptions options_;
  std::vector<grpc::Service*> services_;
  std::vector<std::string> health_names_;
  std::vector<Step> steps_;
  int abandoned_steps_ = 0;
  std::unique_ptr<RpcExecutor> executor_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<MetricsHttpServer> metrics_;
  int grpc_port_ = 0;
  std::unique_ptr<ProbeServer> probe_;  // grpc.health.v1 only, plaintext
  bool shut_down_ = false;
  std::thread signal_thread_;

  mutable absl::Mutex mu_;
  bool serving_ ABSL_GUARDED_BY(mu_) = false;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool shutdown_requested_ ABSL_GUARDED_BY(mu_) = false;
  bool stopping_signal_thread_ ABSL_GUARDED_BY(mu_) = false;
  int signal_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace revisit

#endif  // REVISIT_COMMON_SERVICE_HOST_H_
