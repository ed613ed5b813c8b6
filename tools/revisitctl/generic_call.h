// GenericCall: one unary gRPC call of any method known to the generated descriptor
// pool, with dynamic protobuf messages: the CLI needs no per-RPC code, so it always
// covers the whole contract.
// Thread-safety: stateless function. Errors: the call's gRPC status as absl::Status;
// INTERNAL when the response does not parse as the method's output type.
#ifndef REVISIT_TOOLS_REVISITCTL_GENERIC_CALL_H_
#define REVISIT_TOOLS_REVISITCTL_GENERIC_CALL_H_

#include <memory>
#include <string>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>
#include <grpcpp/channel.h>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace revisit::ctl {

absl::StatusOr<std::unique_ptr<google::protobuf::Message>> GenericCall(
    const std::shared_ptr<grpc::Channel>& channel, const google::protobuf::MethodDescriptor& method,
    const google::protobuf::Message& request, absl::Duration deadline);

}  // namespace revisit::ctl

#endif  // REVISIT_TOOLS_REVISITCTL_GENERIC_CALL_H_
