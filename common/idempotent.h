// RunIdempotent: the shape of every mutating RPC (ARCHITECTURE.md: "Mutating RPCs
// take a client request ID; a repeated request returns the first answer").
//
// `decide` reads what it needs, validates, fills `response` and adds its writes
// (with version guards) to a fresh WriteBatch; the batch is committed with
// Dedupe(dedupe_key, ttl, response) so the effect and the recorded answer are one
// atomic step. A concurrent change (ABORTED) re-runs `decide`.
//
// Repeats cost no extra round trip on the first-time path: there is no up-front
// GET of `dedupe_key`. The commit script checks DEDUPE before any other guard, so
// a repeat whose `decide` succeeds is answered there with the recorded response
// (nothing applies). When `decide` fails (e.g. the entity has since moved on and
// the action is no longer legal), the recorded response is read and, if there is
// one, returned instead of the error. Either way a repeat gets the first answer
// byte for byte. So `decide` may run for a repeat: it must have no effect outside
// the batch (an RPC that must call another service first reads the recorded
// response itself, see ReadPriorOrRaw in common/entity.h).
// Round trips: first time = decide's reads + 1 EVALSHA; failing decide + 1 GET.
// Thread-safety: as RedisClient. Errors: whatever `decide` returns (when nothing
// is recorded), Redis errors, ABORTED after repeated contention.
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
  absl::Status st = MutateWithRetry([&]() -> absl::Status {
    WriteBatch batch;
    response->Clear();
    absl::Status decided = decide(batch, response);
    if (!decided.ok()) return decided;
    batch.Dedupe(dedupe_key, ttl, response->SerializeAsString());
    auto committed = batch.Commit(redis);
    if (!committed.ok()) return committed.status();
    if (committed->duplicate) {
      return ParseStored(dedupe_key, committed->prior_response, response);
    }
    return absl::OkStatus();
  });
  if (st.ok()) return st;
  // A repeat whose decide no longer passes still gets the first answer.
  response->Clear();
  auto prior = ReadPriorResponse(redis, dedupe_key, response);
  if (!prior.ok() || !*prior) {
    response->Clear();
    return st;
  }
  return absl::OkStatus();
}

}  // namespace revisit

#endif  // REVISIT_COMMON_IDEMPOTENT_H_
