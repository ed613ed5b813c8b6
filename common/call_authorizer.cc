#include "common/call_authorizer.h"

#include "common/log.h"
#include "common/status.h"

namespace revisit {

grpc::Status CallAuthorizer::Process(const InputMetadata& auth_metadata, grpc::AuthContext* context,
                                     OutputMetadata*, OutputMetadata*) {
  auto path = auth_metadata.find(":path");
  std::string method = path == auth_metadata.end()
                           ? std::string("(unknown RPC)")
                           : std::string(path->second.data(), path->second.size());
  auto caller = CallerIdentity::FromAuthContext(*context);
  if (!caller.ok()) {
    LogWarn("rpc refused: unauthenticated", {{"service_name", service_}, {"method", method},
                                              {"error", caller.status().message()}});
    return ToGrpcStatus(caller.status());
  }
  absl::Status allowed = path == auth_metadata.end()
                             ? absl::PermissionDeniedError(caller->spiffe_id() +
                                                           " called an RPC without a :path")
                             : policy_.Check(*caller, method);
  if (!allowed.ok()) {
    LogWarn("rpc refused: not authorized", {{"service_name", service_}, {"method", method},
                                             {"caller", caller->spiffe_id()}});
  }
  return ToGrpcStatus(allowed);
}

std::shared_ptr<grpc::ServerCredentials> CallAuthorizer::Install(
    std::shared_ptr<grpc::ServerCredentials> credentials, AuthorizationPolicy policy,
    const std::string& service) {
  credentials->SetAuthMetadataProcessor(
      std::make_shared<CallAuthorizer>(std::move(policy), service));
  return credentials;
}

}  // namespace revisit
