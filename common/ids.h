// Identifiers in requests: the one rule for request IDs and for opaque entity IDs.
//
// request_id (every mutating RPC of every service): 1..128 characters of
// [A-Za-z0-9._:-], so a UUID, a ULID or "<complaint>:<remedy>:exec" fits and
// nothing needs escaping in keys or logs.
// An entity ID a client passes (customer_id, order_id, ...): 1..128 printable
// ASCII characters without spaces. Whether it names something is the store's
// answer (NOT_FOUND); IDs this system issues have the form of NewEntityId in
// common/keys.h and ShardOfEntityId reads their shard.
// Refusals are INVALID_ARGUMENT naming the field and the rule, and quote at most a
// short excerpt of the value (common/text.h).
// Thread-safety: pure functions.
#ifndef REVISIT_COMMON_IDS_H_
#define REVISIT_COMMON_IDS_H_

#include <cstddef>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace revisit {

inline constexpr size_t kMaxIdChars = 128;

// The request_id rule above, for the field named "request_id".
absl::Status ValidateRequestId(absl::string_view request_id);

// The entity ID rule above, naming `field`.
absl::Status ValidateId(absl::string_view field, absl::string_view value);

}  // namespace revisit

#endif  // REVISIT_COMMON_IDS_H_
