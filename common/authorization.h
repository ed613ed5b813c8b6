// AuthorizationPolicy: which caller may call which RPC (docs/security.md).
//
// A table, one rule a line, `#` starts a comment:
//   <principal>  <method> [<method> ...]
// principal: "<role>/<name>" as in common/caller_identity.h, or "<role>/*" for
// every identity of that role (e.g. "service/complaint", "agent/*").
// method: "<package>.<Service>/<Method>", "<package>.<Service>/*" or "*".
// A call is allowed when any rule matches both its caller and its method; every
// authenticated caller may use grpc.health.v1.Health. Anything else is denied.
// The shipped table is deploy/k8s/base/security/authz.conf (REVISIT_AUTHZ_FILE).
// Thread-safety: immutable after Parse/LoadFile; Check is thread-safe.
// Errors: Parse/LoadFile return INVALID_ARGUMENT naming the line; Check returns
// PERMISSION_DENIED naming the caller and the RPC.
#ifndef REVISIT_COMMON_AUTHORIZATION_H_
#define REVISIT_COMMON_AUTHORIZATION_H_

#include <string>
#include "absl/strings/string_view.h"
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/caller_identity.h"

namespace revisit {

class AuthorizationPolicy {
 public:
  static absl::StatusOr<AuthorizationPolicy> Parse(absl::string_view text);
  static absl::StatusOr<AuthorizationPolicy> LoadFile(const std::string& path);

  // `method` is gRPC's ":path", "/<package>.<Service>/<Method>".
  bool Allows(const CallerIdentity& caller, absl::string_view method) const;
  // OK, or PERMISSION_DENIED "<spiffe id> may not call <method>".
  absl::Status Check(const CallerIdentity& caller, absl::string_view method) const;

 private:
  struct Rule {
    std::string role, name;  // name "*" = any
    std::vector<std::string> methods;
  };
  std::vector<Rule> rules_;
};

}  // namespace revisit

#endif  // REVISIT_COMMON_AUTHORIZATION_H_
