#include "common/actor_interceptor.h"

#include <grpcpp/server_context.h>

#include <cstring>
#include <memory>

#include "common/log.h"

namespace revisit {
namespace {

using grpc::experimental::InterceptionHookPoints;

class ActorInterceptor : public grpc::experimental::Interceptor {
 public:
  explicit ActorInterceptor(grpc::experimental::ServerRpcInfo* info) : info_(info) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* m) override {
    if (m->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_MESSAGE)) Apply(m);
    m->Proceed();
  }

 private:
  void Apply(grpc::experimental::InterceptorBatchMethods* m) {
    // Only Revisit's own APIs are generated protobuf services; gRPC's default health
    // service, for one, receives a raw ByteBuffer.
    if (info_->method() == nullptr || std::strncmp(info_->method(), "/revisit.", 9) != 0) return;
    grpc::ServerContextBase* ctx = info_->server_context();
    void* message = m->GetRecvMessage();
    if (ctx == nullptr || message == nullptr) return;
    std::shared_ptr<const grpc::AuthContext> auth = ctx->auth_context();
    if (!auth || !auth->IsPeerAuthenticated()) return;
    auto caller = CallerIdentity::FromAuthContext(*auth);
    if (!caller.ok()) return;  // CallAuthorizer already refused such calls
    // Every Revisit request is a generated protobuf message.
    auto* request = static_cast<google::protobuf::Message*>(message);
    if (ApplyCallerActor(*caller, request)) {
      LogWarn("actor in request body ignored; the caller's certificate decides",
              {{"method", info_->method() ? info_->method() : ""},
               {"caller", caller->spiffe_id()}});
    }
  }

  grpc::experimental::ServerRpcInfo* info_;
};

}  // namespace

bool ApplyCallerActor(const CallerIdentity& caller, google::protobuf::Message* request) {
  if (caller.relays_actor()) return false;
  const auto* field = request->GetDescriptor()->FindFieldByName("actor");
  if (field == nullptr || field->is_repeated() ||
      field->cpp_type() != google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE ||
      field->message_type()->full_name() != common::v1::Actor::descriptor()->full_name()) {
    return false;
  }
  const auto* reflection = request->GetReflection();
  common::v1::Actor actor = caller.ToActor();
  bool differed = false;
  if (reflection->HasField(*request, field)) {
    common::v1::Actor claimed;
    claimed.CopyFrom(reflection->GetMessage(*request, field));
    differed = (!claimed.id().empty() && claimed.id() != actor.id()) ||
               (!claimed.role().empty() && claimed.role() != actor.role());
  }
  reflection->MutableMessage(request, field)->CopyFrom(actor);
  return differed;
}

grpc::experimental::Interceptor* ActorInterceptorFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  return new ActorInterceptor(info);
}

}  // namespace revisit
