#include "tests/chaos/work_claims.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "common/keys.h"
#include "common/timer_queue.h"

namespace revisit::e2e {

absl::StatusOr<std::map<int, std::string>> RelayLeaseHolders(RedisClient& redis,
                                                             const std::string& service) {
  std::map<int, std::string> holders;
  for (int shard = 0; shard < kShards; ++shard) {
    auto v = redis.Command({"GET", ShardKey(service, shard, "relay_lease")});
    if (!v.ok()) return v.status();
    holders[shard] = v->is_nil() ? "" : v->str;
  }
  return holders;
}

absl::StatusOr<std::map<std::string, std::string>> TimerClaims(RedisClient& redis,
                                                               const std::string& service) {
  std::map<std::string, std::string> claims;
  for (int shard = 0; shard < kShards; ++shard) {
    auto v = redis.Command({"HGETALL", TimerClaimKey(service, shard)});
    if (!v.ok()) return v.status();
    for (size_t i = 0; i + 1 < v->elements.size(); i += 2) {
      claims[absl::StrCat(shard, "/", v->elements[i].str)] = v->elements[i + 1].str;
    }
  }
  return claims;
}

absl::StatusOr<std::vector<std::string>> TimersDueBefore(RedisClient& redis,
                                                         const std::string& service,
                                                         absl::Time before) {
  std::vector<std::string> due;
  const std::string max = absl::StrCat("(", TimerScore(before));
  for (int shard = 0; shard < kShards; ++shard) {
    auto v = redis.Command({"ZRANGEBYSCORE", TimerSetKey(service, shard), "-inf", max});
    if (!v.ok()) return v.status();
    for (const RedisValue& id : v->elements) due.push_back(absl::StrCat(shard, "/", id.str));
  }
  return due;
}

}  // namespace revisit::e2e
