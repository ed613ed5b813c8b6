// KeyMemory: where a service's Redis memory goes, by kind of key, for benchmarks.
//
// A key's kind is its suffix after the shard's hash tag up to the next ':' with the
// shard removed ("outreach:{outreach:07}:touch:tch-..." -> "touch"), so every
// per-touch, per-customer and per-shard key kind gets one row: how many keys, their
// encoding (OBJECT ENCODING of a sampled key) and their bytes (MEMORY USAGE, of every
// key for kinds up to `sample` keys, else of `sample` keys scaled up). Not a test:
// a benchmark prints it (tools/bench_outreach).
// Thread-safety: a function over a thread-safe RedisClient.
// Errors: Redis errors pass through.
#ifndef REVISIT_TOOLS_BENCH_OUTREACH_KEY_MEMORY_H_
#define REVISIT_TOOLS_BENCH_OUTREACH_KEY_MEMORY_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/redis_client.h"

namespace revisit::bench {

struct KeyKindMemory {
  std::string kind;
  int64_t keys = 0;
  std::string encoding;
  int64_t bytes = 0;  // estimated over all keys of the kind
};

// The rows for every key of `service` in the database, largest first.
absl::StatusOr<std::vector<KeyKindMemory>> MemoryByKeyKind(RedisClient& redis,
                                                           const std::string& service,
                                                           int sample = 2000);

// The rows as a table, each with its bytes per `per` (e.g. per pending touch).
std::string FormatKeyMemory(const std::vector<KeyKindMemory>& rows, int64_t per);

}  // namespace revisit::bench

#endif  // REVISIT_TOOLS_BENCH_OUTREACH_KEY_MEMORY_H_
