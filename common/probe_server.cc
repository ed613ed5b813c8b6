#include "common/probe_server.h"

#include <grpcpp/ext/health_check_service_server_builder_option.h>
#include <grpcpp/impl/server_builder_option.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server_builder.h>

#include <chrono>

#include "absl/strings/str_cat.h"

namespace revisit {
namespace {

// Drops the process-wide server plugins (server reflection) from one builder.
class NoPlugins : public grpc::ServerBuilderOption {
 public:
  void UpdateArguments(grpc::ChannelArguments*) override {}
  void UpdatePlugins(std::vector<std::unique_ptr<grpc::ServerBuilderPlugin>>* plugins) override {
    plugins->clear();
  }
};

}  // namespace

grpc::Status ProbeServer::Health::Check(grpc::ServerContext*,
                                        const grpc::health::v1::HealthCheckRequest* request,
                                        grpc::health::v1::HealthCheckResponse* response) {
  bool up = request->service() == "liveness" ? live.load() : serving.load();
  response->set_status(up ? grpc::health::v1::HealthCheckResponse::SERVING
                          : grpc::health::v1::HealthCheckResponse::NOT_SERVING);
  return grpc::Status::OK;
}

absl::Status ProbeServer::Start(const std::string& bind_address, int port) {
  grpc::ServerBuilder builder;
  builder.SetOption(std::make_unique<NoPlugins>());
  builder.SetOption(std::make_unique<grpc::HealthCheckServiceServerBuilderOption>(nullptr));
  builder.RegisterService(&health_);
  std::string address = absl::StrCat(bind_address, ":", port);
  builder.AddListeningPort(address, grpc::InsecureServerCredentials(), &port_);
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);  // a taken port fails the start
  server_ = builder.BuildAndStart();
  if (!server_ || port_ == 0) {
    server_.reset();
    return absl::UnavailableError("cannot start the health probe server on " + address);
  }
  SetServing(false);
  return absl::OkStatus();
}

void ProbeServer::SetServing(bool serving) { health_.serving = serving; }

void ProbeServer::Stop() {
  if (!server_) return;
  server_->Shutdown(std::chrono::system_clock::now());
  server_->Wait();
  server_.reset();
}

void ProbeServer::SetLive(bool live) { health_.live = live; }

}  // namespace revisit
