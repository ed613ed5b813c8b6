// RunIdempotent: the shape of every mutating RPC (ARCHITECTURE.md: "Mutating RPCs
// take a client request ID; a repeated request returns the first answer").
//
// 1. If `dedupe_key` already holds a response, that response is returned and
//    nothing runs.
// 2. Otherwise `decide` reads what it needs, validates, fills `response` and adds
//    its writes (with version guards) to a fresh WriteBatch; the batch is committed
//    with Dedupe(dedupe_key, ttl, response) so the effect and the recorded answer
//    are one atomic step. A concurrent change (ABORTED) re-runs `decide`; a
//    concurrent duplicate returns the winner's response.
// Thread-safety: as RedisClient. Errors: whatever `decide` returns, Redis errors,
// ABORTED after repeated contention.
#ifndef REVISIT_COMMON_IDEMPOTENT_H_
#define REVISIT_COMMON_IDEMPOTENT_H_

#include <functional>
#include <string>

#include "absl/time/time.h"
#include "common/entity.h"
#include "common/write_batch.h"

namespace revisit {

template <typename Response>
absl::Status RunIdempotent(RedisClient& redis, const std::string& dedupe_key, absl::Duration ttl,
                           Response* response,
                           const std::function<absl::Status(WriteBatch&, Response*)>& decide) {
  auto prior = ReadPriorResponse(redis, dedupe_key, response);
  if (!prior.ok()) return prior.status();
  if (*prior) return absl::OkStatus();
  return MutateWithRetry([&]() -> absl::Status {
    WriteBatch batch;
    response->Clear();
    absl::Status st = decide(batch, response);
    if (!st.ok()) return st;
    batch.Dedupe(dedupe_key, ttl, response->SerializeAsString());
    auto committed = batch.Commit(redis);
    if (!committed.ok()) return committed.status();
    if (committed->duplicate) {
      return ParseStored(dedupe_key, committed->prior_response, response);
    }
    return absl::OkStatus();
  });
}

}  // namespace revisit

#endif  // REVISIT_COMMON_IDEMPOTENT_H_
