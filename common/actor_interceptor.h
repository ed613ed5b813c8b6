// ActorInterceptorFactory: makes the authenticated caller the actor of every call.
//
// Requests that record who acts carry a top-level field `actor`
// (revisit.common.v1.Actor) that drives C8's authority checks and the audit trail.
// When a person calls over mTLS (spiffe://revisit/<role>/<actor-id>, role agent,
// supervisor, manager or platform), the interceptor overwrites that field with
// {id: actor-id, role: role} before the handler runs: whatever role or actor the
// body claimed is IGNORED (and logged), never trusted. Trusted relays keep the
// body's actor: a service (spiffe://revisit/service/<name>, e.g. complaint refunding
// an order on an agent's resolution) and an operator (the back office or revisitctl
// acting for a named member of staff); what those may call at all is the
// authorization table's job. Without mTLS (REVISIT_TLS=off) nothing is changed. Only methods of
// the revisit.* packages are touched (health and reflection carry no actor).
// Thread-safety: the factory is thread-safe; one interceptor per call.
#ifndef REVISIT_COMMON_ACTOR_INTERCEPTOR_H_
#define REVISIT_COMMON_ACTOR_INTERCEPTOR_H_

#include <google/protobuf/message.h>
#include <grpcpp/support/server_interceptor.h>

#include "common/caller_identity.h"

namespace revisit {

// Sets `request`'s top-level `actor` to `caller`'s actor when the caller is a
// person; returns true when the body had claimed a different, non-empty actor.
bool ApplyCallerActor(const CallerIdentity& caller, google::protobuf::Message* request);

class ActorInterceptorFactory : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;
};

}  // namespace revisit

#endif  // REVISIT_COMMON_ACTOR_INTERCEPTOR_H_
