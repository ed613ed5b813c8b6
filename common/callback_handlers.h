// CallbackHandlers: serves blocking handlers through gRPC's callback server API.
//
// A service implementation derives from its generated `X::CallbackService` and from
// CallbackHandlers, and declares each unary RPC with REVISIT_UNARY_RPC(Method,
// Request, Response): that declares the blocking handler
//   grpc::Status Method(grpc::ServerContextBase*, const Request*, Response*);
// (written as for the sync API, in the .cc) and overrides the callback method so
// that it hands the call to the host's RpcExecutor and returns at once. gRPC's
// callback threads only parse, intercept and queue; the handler (hiredis round
// trips, calls to peers) runs on an executor worker, which finishes the call.
// On the worker, before the handler:
//   - a call cancelled while queued is answered CANCELLED without running;
//   - a call whose deadline passed while queued is answered DEADLINE_EXCEEDED
//     "deadline passed while queued" without running;
//   - the caller's trace (metadata `traceparent`, or a new one) becomes the
//     worker's current trace for the handler (every log line carries it).
// A full executor queue answers RESOURCE_EXHAUSTED "server busy" at once.
// Interceptors (metrics, ActorInterceptor, ParseFailureInterceptor) run as with the
// sync API: the handler sees the request after them.
// ServiceHost binds its executor at Start (BindExecutor); an unbound service answers
// UNAVAILABLE "service not started". Tests may call the blocking handlers directly
// with any grpc::ServerContext.
// Thread-safety: BindExecutor before serving; Serve from any gRPC thread.
#ifndef REVISIT_COMMON_CALLBACK_HANDLERS_H_
#define REVISIT_COMMON_CALLBACK_HANDLERS_H_

#include <grpcpp/server_context.h>
#include <grpcpp/support/server_callback.h>
#include <grpcpp/support/status.h>

#include <atomic>
#include <functional>

#include "common/rpc_executor.h"

namespace revisit {

class CallbackHandlers {
 public:
  virtual ~CallbackHandlers() = default;
  // The executor that runs this service's handlers (not owned; outlives serving).
  void BindExecutor(RpcExecutor* executor) { executor_.store(executor); }

 protected:
  // Queues `handler` for `context`'s call on the executor; returns the call's reactor.
  grpc::ServerUnaryReactor* Serve(grpc::CallbackServerContext* context,
                                  std::function<grpc::Status()> handler);

 private:
  std::atomic<RpcExecutor*> executor_{nullptr};
};

// What a test passes as the context when it calls a blocking handler directly
// (a bare nullptr would be ambiguous with the callback overload).
inline grpc::ServerContextBase* const kNoServerContext = nullptr;

}  // namespace revisit

// Inside a class deriving from `X::CallbackService` and CallbackHandlers: declares the
// blocking handler of `Method` and serves it through the executor (see above).
#define REVISIT_UNARY_RPC(Method, Request, Response)                                  \
  grpc::Status Method(grpc::ServerContextBase*, const Request*, Response*);            \
  grpc::ServerUnaryReactor* Method(grpc::CallbackServerContext* context,               \
                                   const Request* request, Response* response) override { \
    return Serve(context, [this, context, request, response] {                         \
      return Method(static_cast<grpc::ServerContextBase*>(context), request, response); \
    });                                                                                \
  }

#endif  // REVISIT_COMMON_CALLBACK_HANDLERS_H_
