// CallerIdentity: who is calling a gRPC API, taken from the client certificate.
//
// Every certificate carries one URI SAN in SPIFFE form (docs/security.md):
//   spiffe://revisit/service/<name>       a Revisit service (order, complaint, ...)
//   spiffe://revisit/<role>/<actor-id>    a person or tool, role one of agent,
//                                         supervisor, manager, platform, operator
// The role and the actor ID of a call come from here, never from a request body.
// The principal "<role>/<name>" (e.g. "service/complaint", "agent/a-17") is what
// the authorization table (common/authorization.h) matches.
// Thread-safety: an immutable value.
// Errors: Parse returns UNAUTHENTICATED naming what is wrong with the ID.
#ifndef REVISIT_COMMON_CALLER_IDENTITY_H_
#define REVISIT_COMMON_CALLER_IDENTITY_H_

#include <grpcpp/security/auth_context.h>

#include <optional>
#include <string>
#include "absl/strings/string_view.h"

#include "absl/status/statusor.h"
#include "revisit/common/v1/types.pb.h"

namespace revisit {

class CallerIdentity {
 public:
  // Parses "spiffe://revisit/<role>/<name>".
  static absl::StatusOr<CallerIdentity> Parse(absl::string_view spiffe_id);
  // The identity of the peer of an mTLS connection (its SPIFFE ID, else the first
  // spiffe:// URI SAN); UNAUTHENTICATED when there is none or it does not parse.
  static absl::StatusOr<CallerIdentity> FromAuthContext(const grpc::AuthContext& context);

  // "service" for services, else the person's role.
  const std::string& role() const { return role_; }
  // Service name or actor ID.
  const std::string& name() const { return name_; }
  bool is_service() const { return role_ == "service"; }
  // Services and operators (the back office, revisitctl) act on behalf of the
  // actor named in the request (delegation); a person's certificate is the actor.
  bool relays_actor() const { return is_service() || role_ == "operator"; }
  // "<role>/<name>".
  std::string principal() const { return role_ + "/" + name_; }
  std::string spiffe_id() const { return "spiffe://revisit/" + principal(); }
  // The actor a person's calls are recorded under: {id: actor-id, role: role}
  // (role "system" for a service).
  common::v1::Actor ToActor() const;

 private:
  CallerIdentity(std::string role, std::string name)
      : role_(std::move(role)), name_(std::move(name)) {}
  std::string role_, name_;
};

}  // namespace revisit

#endif  // REVISIT_COMMON_CALLER_IDENTITY_H_
