#include "common/idempotent.h"

namespace revisit {

absl::Status CommitAnswered(RedisClient& redis, WriteBatch& batch, const std::string& dedupe_key,
                            absl::Duration ttl, const google::protobuf::Message& request,
                            google::protobuf::Message* response, bool* applied) {
  batch.Dedupe(dedupe_key, ttl, RecordAnswer(request, *response));
  auto committed = batch.Commit(redis);
  if (!committed.ok()) return committed.status();
  if (applied != nullptr) *applied = !committed->duplicate;
  if (committed->duplicate) {
    return ReadAnswer(dedupe_key, committed->prior_response, request, response);
  }
  return absl::OkStatus();
}

}  // namespace revisit
