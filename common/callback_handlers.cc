#include "common/callback_handlers.h"

#include <chrono>
#include <optional>
#include <string>
#include <utility>

#include "common/log.h"

namespace revisit {
namespace {

// Runs on the worker: answers a call that can no longer use an answer, else the handler.
void RunQueued(grpc::CallbackServerContext* context, grpc::ServerUnaryReactor* reactor,
               const std::function<grpc::Status()>& handler) {
  if (context->IsCancelled()) {
    reactor->Finish(grpc::Status(grpc::StatusCode::CANCELLED, "call cancelled while queued"));
    return;
  }
  if (context->deadline() <= std::chrono::system_clock::now()) {
    reactor->Finish(
        grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, "deadline passed while queued"));
    return;
  }
  std::optional<std::string> trace = TraceIdFromMetadata(context->client_metadata());
  ScopedTraceId scoped(trace ? *std::move(trace) : NewTraceId());
  reactor->Finish(handler());
}

}  // namespace

grpc::ServerUnaryReactor* CallbackHandlers::Serve(grpc::CallbackServerContext* context,
                                                  std::function<grpc::Status()> handler) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  RpcExecutor* executor = executor_.load();
  if (executor == nullptr) {
    reactor->Finish(grpc::Status(grpc::StatusCode::UNAVAILABLE, "service not started"));
    return reactor;
  }
  bool queued = executor->TrySubmit([context, reactor, handler = std::move(handler)] {
    RunQueued(context, reactor, handler);
  });
  if (!queued) reactor->Finish(grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, "server busy"));
  return reactor;
}

}  // namespace revisit
