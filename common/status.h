// Status helpers shared by every Revisit module.
//
// Every fallible call returns absl::Status or absl::StatusOr<T>; exceptions never
// cross a module boundary. absl status codes are numerically identical to gRPC
// codes, so the mapping to grpc::Status is one-to-one (ToGrpcStatus/FromGrpcStatus).
// Thread-safety: all functions are pure and thread-safe.
#ifndef REVISIT_COMMON_STATUS_H_
#define REVISIT_COMMON_STATUS_H_

#include <grpcpp/support/status.h>

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/status_macros.h"  // IWYU pragma: export

namespace revisit {

// Converts an absl::Status to the grpc::Status with the same code and message.
grpc::Status ToGrpcStatus(const absl::Status& status);

// Converts a grpc::Status to the absl::Status with the same code and message.
absl::Status FromGrpcStatus(const grpc::Status& status);

// Prefixes the message of a non-OK status with `context: `, keeping its code.
absl::Status Annotate(const absl::Status& status, const std::string& context);

// True for codes that are safe to retry for an idempotent call
// (UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, ABORTED).
bool IsRetryable(const absl::Status& status);

}  // namespace revisit

#endif  // REVISIT_COMMON_STATUS_H_
