#include "common/redis_reply.h"

#include <hiredis/hiredis.h>

#include <utility>


namespace revisit {
namespace {

const std::pair<const char*, absl::StatusCode> kCodes[] = {
    {"INVALID_ARGUMENT", absl::StatusCode::kInvalidArgument},
    {"FAILED_PRECONDITION", absl::StatusCode::kFailedPrecondition},
    {"NOT_FOUND", absl::StatusCode::kNotFound},
    {"ALREADY_EXISTS", absl::StatusCode::kAlreadyExists},
    {"ABORTED", absl::StatusCode::kAborted},
    {"PERMISSION_DENIED", absl::StatusCode::kPermissionDenied},
    {"OUT_OF_RANGE", absl::StatusCode::kOutOfRange},
    {"RESOURCE_EXHAUSTED", absl::StatusCode::kResourceExhausted},
};

// Redis's own transient refusals: the server is up but cannot answer yet (loading the
// AOF after a restart, a long script, a replica without its primary, a resharding).
// Retrying later succeeds, so they are UNAVAILABLE, like a lost connection.
const char* const kTransientPrefixes[] = {"LOADING ", "BUSY ", "MASTERDOWN ", "TRYAGAIN ",
                                          "CLUSTERDOWN "};

}  // namespace

absl::Status StatusFromErrorText(const std::string& text) {
  for (const char* prefix : kTransientPrefixes) {
    if (text.rfind(prefix, 0) == 0) return absl::UnavailableError("redis: " + text);
  }
  for (const auto& [name, code] : kCodes) {
    std::string tag = std::string(name) + ":";
    auto pos = text.find(tag);
    if (pos != std::string::npos) return absl::Status(code, text.substr(pos + tag.size()));
  }
  return absl::InternalError("redis: " + text);
}

absl::StatusOr<RedisValue> DecodeReply(const redisReply* reply) {
  RedisValue v;
  switch (reply->type) {
    case REDIS_REPLY_ERROR:
      return StatusFromErrorText(std::string(reply->str, reply->len));
    case REDIS_REPLY_STRING:
    case REDIS_REPLY_STATUS:
      v.type = RedisValue::Type::kString;
      v.str.assign(reply->str, reply->len);
      return v;
    case REDIS_REPLY_INTEGER:
      v.type = RedisValue::Type::kInteger;
      v.integer = reply->integer;
      return v;
    case REDIS_REPLY_ARRAY:
      v.type = RedisValue::Type::kArray;
      for (size_t i = 0; i < reply->elements; ++i) {
        auto e = DecodeReply(reply->element[i]);
        // An error element inside an array (rare) is surfaced as the whole reply's error.
        if (!e.ok()) return e.status();
        v.elements.push_back(*std::move(e));
      }
      return v;
    default:
      return v;  // nil
  }
}

}  // namespace revisit
