#include "common/entity.h"

#include "absl/strings/numbers.h"

namespace revisit {

absl::StatusOr<std::optional<std::pair<int64_t, std::string>>> ReadRaw(RedisClient& redis,
                                                                       const std::string& key) {
  auto reply = redis.Command({"HMGET", key, "v", "d"});
  if (!reply.ok()) return reply.status();
  using Out = std::optional<std::pair<int64_t, std::string>>;
  if (reply->elements.size() != 2 || reply->elements[1].is_nil()) return Out();
  int64_t version = 0;
  if (!absl::SimpleAtoi(reply->elements[0].str, &version)) {
    return absl::DataLossError("entity " + key + " has a bad version");
  }
  return Out(std::make_pair(version, reply->elements[1].str));
}

absl::Status ParseStored(const std::string& key, const std::string& bytes,
                         google::protobuf::Message* msg) {
  if (!msg->ParseFromString(bytes)) {
    return absl::DataLossError("stored " + msg->GetTypeName() + " at " + key + " does not parse");
  }
  return absl::OkStatus();
}

absl::StatusOr<bool> ReadPriorResponse(RedisClient& redis, const std::string& key,
                                       google::protobuf::Message* response) {
  auto reply = redis.Command({"GET", key});
  if (!reply.ok()) return reply.status();
  if (reply->is_nil()) return false;
  absl::Status st = ParseStored(key, reply->str, response);
  if (!st.ok()) return st;
  return true;
}

}  // namespace revisit
