// Who holds a service's work in the store: the outbox relay lease of each shard
// (common/outbox.h, key ShardKey(service, shard, "relay_lease") = holder's instance
// ID) and the timers claimed and not yet released (common/timer_queue.h, the claim
// token hash of each shard). The scale-out suite reads them to find the instance to
// kill and to see when a dead instance's share has been taken over.
// Thread-safety: free functions over a RedisClient (itself thread-safe).
// Errors: the Redis error of the first failed read.
#ifndef REVISIT_TESTS_CHAOS_WORK_CLAIMS_H_
#define REVISIT_TESTS_CHAOS_WORK_CLAIMS_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/redis_client.h"

namespace revisit::e2e {

// Shard -> the instance ID holding its relay lease ("" when no one holds it).
absl::StatusOr<std::map<int, std::string>> RelayLeaseHolders(RedisClient& redis,
                                                             const std::string& service);

// "<shard>/<timer id>" -> claim token, for every claimed timer not yet released.
absl::StatusOr<std::map<std::string, std::string>> TimerClaims(RedisClient& redis,
                                                               const std::string& service);

// Timers due before `before` (domain time) and not claimed (a claim moves the score
// to the end of its lease): "<shard>/<timer id>" for each.
absl::StatusOr<std::vector<std::string>> TimersDueBefore(RedisClient& redis,
                                                         const std::string& service,
                                                         absl::Time before);

}  // namespace revisit::e2e

#endif  // REVISIT_TESTS_CHAOS_WORK_CLAIMS_H_
