#include "common/entity.h"

#include "absl/strings/numbers.h"
#include "common/recorded_answer.h"

namespace revisit {

using RawEntity = std::optional<std::pair<int64_t, std::string>>;

absl::StatusOr<RawEntity> DecodeRaw(const std::string& key, const RedisValue& reply) {
  if (reply.elements.size() != 2 || reply.elements[1].is_nil()) return RawEntity();
  int64_t version = 0;
  if (!absl::SimpleAtoi(reply.elements[0].str, &version)) {
    return absl::DataLossError("entity " + key + " has a bad version");
  }
  return RawEntity(std::make_pair(version, reply.elements[1].str));
}

absl::StatusOr<std::optional<std::pair<int64_t, std::string>>> ReadRaw(RedisClient& redis,
                                                                       const std::string& key) {
  auto reply = redis.Command({"HMGET", key, "v", "d"});
  if (!reply.ok()) return reply.status();
  return DecodeRaw(key, *reply);
}

absl::Status ParseStored(const std::string& key, const std::string& bytes,
                         google::protobuf::Message* msg) {
  if (!msg->ParseFromString(bytes)) {
    return absl::DataLossError("stored " + msg->GetTypeName() + " at " + key + " does not parse");
  }
  return absl::OkStatus();
}

absl::StatusOr<bool> ReadPriorResponse(RedisClient& redis, const std::string& key,
                                       const google::protobuf::Message& request,
                                       google::protobuf::Message* response) {
  auto reply = redis.Command({"GET", key});
  if (!reply.ok()) return reply.status();
  if (reply->is_nil()) return false;
  absl::Status st = ReadAnswer(key, reply->str, request, response);
  if (!st.ok()) return st;
  return true;
}

absl::StatusOr<PriorOrRaw> ReadPriorOrRaw(RedisClient& redis, const std::string& dedupe_key,
                                          const google::protobuf::Message& request,
                                          google::protobuf::Message* response,
                                          const std::string& key) {
  auto replies = redis.Pipeline({{"GET", dedupe_key}, {"HMGET", key, "v", "d"}});
  if (!replies.ok()) return replies.status();
  auto& prior = (*replies)[0];
  auto& entity = (*replies)[1];
  if (!prior.ok()) return prior.status();
  if (!entity.ok()) return entity.status();
  PriorOrRaw out;
  if (!prior->is_nil()) {
    absl::Status st = ReadAnswer(dedupe_key, prior->str, request, response);
    if (!st.ok()) return st;
    out.repeat = true;
    return out;
  }
  auto raw = DecodeRaw(key, *entity);
  if (!raw.ok()) return raw.status();
  out.raw = *std::move(raw);
  return out;
}

}  // namespace revisit
