// ParseFailureInterceptorFactory: a request that cannot be parsed is the caller's
// fault, so it is refused INVALID_ARGUMENT naming the field and the rule (issue 14).
//
// gRPC deserialises a request before any handler runs; protobuf 3.21 refuses a proto3
// string field holding invalid UTF-8 (and any malformed wire bytes), and gRPC then
// answers INTERNAL with an empty message. ServiceHost registers this interceptor for
// every service, the one place that turns that into:
//   INVALID_ARGUMENT "revisit.order.v1.Customer.name: must be valid UTF-8"
//   (the field as protobuf reports it: message type and field name), or
//   INVALID_ARGUMENT "request: not a valid revisit.order.v1.CreateOrderRequest
//   (malformed protobuf)" when no field was named.
// How: InstallProtobufUtf8Capture() wraps protobuf's log handler so that the
// "String field '<name>' contains invalid UTF-8 data when parsing" line it writes on
// the parsing thread is also remembered on that thread (other lines pass through to
// the previous handler). gRPC parses and runs POST_RECV_MESSAGE on the same thread
// (sync and callback API alike): a null message there is a failed parse, and
// PRE_SEND_STATUS (before anything else is sent) replaces gRPC's answer to it
// (INTERNAL from the sync API, UNIMPLEMENTED from the callback API, both without a
// message) with the refusal.
// Thread-safety: the factory is thread-safe; one interceptor per call;
// InstallProtobufUtf8Capture is idempotent and thread-safe (call it before serving).
// Errors: none of its own; it only rewrites a failed parse's status.
#ifndef REVISIT_COMMON_PARSE_FAILURE_INTERCEPTOR_H_
#define REVISIT_COMMON_PARSE_FAILURE_INTERCEPTOR_H_

#include <grpcpp/support/server_interceptor.h>
#include <grpcpp/support/status.h>

#include <optional>
#include <string>

#include "absl/strings/string_view.h"

namespace revisit {

// The field a protobuf log line says holds invalid UTF-8 while parsing, else nullopt.
std::optional<std::string> InvalidUtf8FieldOf(absl::string_view protobuf_log_line);

// The refusal of a request to `method` ("/pkg.Service/Method") that did not parse;
// `field` as InvalidUtf8FieldOf found it, or "" when none was named.
grpc::Status UnparsableRequestStatus(absl::string_view method, absl::string_view field);

// Makes protobuf's UTF-8 complaints visible to the interceptor (see file comment).
void InstallProtobufUtf8Capture();

// The field protobuf last found invalid UTF-8 in while parsing on this thread since
// the last call ("" if none), and forgets it.
std::string TakeInvalidUtf8Field();

class ParseFailureInterceptorFactory
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  ParseFailureInterceptorFactory() { InstallProtobufUtf8Capture(); }
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;
};

}  // namespace revisit

#endif  // REVISIT_COMMON_PARSE_FAILURE_INTERCEPTOR_H_
