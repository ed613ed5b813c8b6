// CallAuthorizer: the one place where every RPC on an mTLS port is authorized.
//
// Installed on the server credentials (grpc::ServerCredentials::
// SetAuthMetadataProcessor), it runs before any handler: it takes the caller's
// identity from the verified client certificate (common/caller_identity.h) and
// the RPC from the call's ":path", and lets the call through only when the
// authorization table allows it (common/authorization.h).
// Thread-safety: thread-safe (the policy is immutable).
// Errors (the call fails with them): UNAUTHENTICATED when the certificate has no
// usable spiffe://revisit/... identity; PERMISSION_DENIED naming the identity and
// the RPC when the table does not allow it.
#ifndef REVISIT_COMMON_CALL_AUTHORIZER_H_
#define REVISIT_COMMON_CALL_AUTHORIZER_H_

#include <grpcpp/security/auth_metadata_processor.h>
#include <grpcpp/security/server_credentials.h>

#include <memory>
#include <string>

#include "common/authorization.h"

namespace revisit {

class CallAuthorizer : public grpc::AuthMetadataProcessor {
 public:
  explicit CallAuthorizer(AuthorizationPolicy policy, std::string service)
      : policy_(std::move(policy)), service_(std::move(service)) {}

  // A table look-up: runs inline on the call's thread.
  bool IsBlocking() const override { return false; }
  grpc::Status Process(const InputMetadata& auth_metadata, grpc::AuthContext* context,
                       OutputMetadata* consumed_auth_metadata,
                       OutputMetadata* response_metadata) override;

  // `credentials` (mTLS) with a CallAuthorizer for `policy` installed.
  static std::shared_ptr<grpc::ServerCredentials> Install(
      std::shared_ptr<grpc::ServerCredentials> credentials, AuthorizationPolicy policy,
      const std::string& service);

 private:
  const AuthorizationPolicy policy_;
  const std::string service_;
};

}  // namespace revisit

#endif  // REVISIT_COMMON_CALL_AUTHORIZER_H_
