// Redis key layout shared by every service (ARCHITECTURE.md "Storage").
//
// Every key of a service starts with the service name and carries a hash tag
// naming one of kShards shards: "order:{order:07}:customer:cus-...". All keys one
// Lua script touches (an entity, its outbox stream, its timers, its idempotency
// records) live in the same shard, so the scheme moves to Redis Cluster unchanged.
// A customer's shard is a stable hash of the customer ID; entity IDs embed the
// shard of their customer ("ord-07-9f3a...") so they can be found from the ID alone.
// kShards is part of the storage format: changing it needs a migration.
// Thread-safety: pure functions; NewEntityId is thread-safe.
#ifndef REVISIT_COMMON_KEYS_H_
#define REVISIT_COMMON_KEYS_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace revisit {

inline constexpr int kShards = 16;

// Stable shard of a customer ID (FNV-1a 64, modulo kShards).
int ShardOf(absl::string_view customer_id);

// "service:{service:07}:" — the prefix of every key of `service` in `shard`.
std::string ShardPrefix(absl::string_view service, int shard);

// ShardPrefix + suffix, e.g. ShardKey("order", 7, "outbox").
std::string ShardKey(absl::string_view service, int shard, absl::string_view suffix);

// A fresh random ID "<prefix>-<shard two hex>-<16 hex>".
std::string NewEntityId(absl::string_view prefix, int shard);

// A deterministic ID of the same form, "<prefix>-<shard two hex>-<16 hex FNV-1a 64 of
// seed>": the same seed always names the same entity (an effect decided twice, e.g. on
// redelivery, writes the same entity once).
std::string StableEntityId(absl::string_view prefix, int shard, absl::string_view seed);

// The shard embedded in an entity ID made by NewEntityId, or NOT_FOUND naming `field`
// when the ID is not of that form (an ID we never issued cannot exist).
absl::StatusOr<int> ShardOfEntityId(absl::string_view id, absl::string_view prefix,
                                    absl::string_view field);

}  // namespace revisit

#endif  // REVISIT_COMMON_KEYS_H_
