// Decoding of hiredis replies into RedisValue, and of our Lua error convention.
//
// Lua scripts raise errors as "CODE:message" where CODE is an absl/gRPC code name
// (e.g. "FAILED_PRECONDITION:order is shipped"); DecodeReply turns such an error
// reply into that status code. Thread-safety: pure functions.
#ifndef REVISIT_COMMON_REDIS_REPLY_H_
#define REVISIT_COMMON_REDIS_REPLY_H_

#include <string>

#include "absl/status/statusor.h"
#include "common/redis_value.h"

struct redisReply;

namespace revisit {

// Converts a reply; an error reply becomes a non-OK status.
absl::StatusOr<RedisValue> DecodeReply(const redisReply* reply);

// Maps "CODE:message" to a status; Redis's transient refusals (LOADING, BUSY,
// MASTERDOWN, TRYAGAIN, CLUSTERDOWN) to UNAVAILABLE; other texts become INTERNAL with
// the full text.
absl::Status StatusFromErrorText(const std::string& text);

}  // namespace revisit

#endif  // REVISIT_COMMON_REDIS_REPLY_H_
