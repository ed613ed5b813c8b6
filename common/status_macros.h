// RETURN_IF_ERROR / ASSIGN_OR_RETURN: early return on a non-OK absl::Status or
// absl::StatusOr. Header-only and pure (abseil only), so a service's domain target
// (which must not link revisit_common) can use them; common/status.h includes this
// header, so code that includes status.h keeps getting them.
// Thread-safety: macros only, no state.
#ifndef REVISIT_COMMON_STATUS_MACROS_H_
#define REVISIT_COMMON_STATUS_MACROS_H_

#include <utility>

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

#endif  // REVISIT_COMMON_STATUS_MACROS_H_
