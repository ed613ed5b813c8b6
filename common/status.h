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

#define REVISIT_CONCAT_INNER_(a, b) a##b
#define REVISIT_CONCAT_(a, b) REVISIT_CONCAT_INNER_(a, b)

// Returns from the enclosing function if `expr` (an absl::Status) is not OK.
#define RETURN_IF_ERROR(expr)                       \
  do {                                              \
    ::absl::Status revisit_status_ = (expr);        \
    if (!revisit_status_.ok()) return revisit_status_; \
  } while (0)

// `lhs = value of expr` if expr (an absl::StatusOr) is OK, else returns its status.
#define ASSIGN_OR_RETURN(lhs, expr) \
  ASSIGN_OR_RETURN_IMPL_(REVISIT_CONCAT_(revisit_statusor_, __LINE__), lhs, expr)
#define ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                           \
  if (!tmp.ok()) return tmp.status();          \
  lhs = std::move(tmp).value()

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
