// ProbeServer: grpc.health.v1 alone on a plaintext port, for Kubernetes probes.
//
// Kubernetes' native gRPC probes speak no TLS, and the API port is mTLS only; so
// each service also serves the health service, and nothing else (no API, no
// reflection), on REVISIT_PROBE_PORT. ServiceHost mirrors its readiness and liveness here.
// Thread-safety: Start/Stop from one thread; SetServing from any thread.
// Errors: Start returns UNAVAILABLE when the port cannot be bound.
#ifndef REVISIT_COMMON_PROBE_SERVER_H_
#define REVISIT_COMMON_PROBE_SERVER_H_

#include <grpcpp/server.h>

#include <atomic>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "grpc/health/v1/health.grpc.pb.h"

namespace revisit {

class ProbeServer {
 public:
  ProbeServer() = default;
  ~ProbeServer() { Stop(); }
  ProbeServer(const ProbeServer&) = delete;
  ProbeServer& operator=(const ProbeServer&) = delete;

  // Binds `bind_address`:`port` (0 = ephemeral); health starts NOT_SERVING.
  absl::Status Start(const std::string& bind_address, int port);
  // Readiness: the status reported for every service name but "liveness".
  void SetServing(bool serving);
  // Liveness: the status reported for the service name "liveness".
  void SetLive(bool live);
  void Stop();
  int port() const { return port_; }

 private:
  // Check answers "liveness" with the liveness, any other name with the readiness
  // (the names of ServiceHost's health); Watch is not offered.
  class Health : public grpc::health::v1::Health::Service {
   public:
    grpc::Status Check(grpc::ServerContext* context,
                       const grpc::health::v1::HealthCheckRequest* request,
                       grpc::health::v1::HealthCheckResponse* response) override;
    std::atomic<bool> serving{false};
    std::atomic<bool> live{false};
  };

  Health health_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
};

}  // namespace revisit

#endif  // REVISIT_COMMON_PROBE_SERVER_H_
