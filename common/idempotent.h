// RunIdempotent: the one idempotency runner of every mutating RPC (ARCHITECTURE.md:
// "Mutating RPCs take a client request ID; a repeated request returns the first
// answer"). A request_id reused with a different request is refused with
// FAILED_PRECONDITION naming request_id (common/recorded_answer.h).
//
// `decide` reads what it needs, validates, fills `response` and adds its writes
// (with version guards) to a fresh WriteBatch; the batch is committed with
// Dedupe(dedupe_key, ttl, RecordAnswer(request, response)) so the effect and the
// recorded answer are one atomic step. A concurrent change (ABORTED) re-runs
// `decide`.
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
// `applied` (optional) tells the caller whether this call's batch was committed
// (false for a repeat answered from the record, and on any error), e.g. to cache
// the state it wrote (services/order/store/order_cache.h).
//
// RunIdempotentOnce is the same contract for work that cannot be one batch (it
// commits several, e.g. one per customer): the recorded answer is read first, then
// `work` runs and its answer is recorded. `work` must be safe to re-run (a crash
// between its commits and the record re-runs it on the client's retry).
// Thread-safety: as RedisClient. Errors: whatever `decide`/`work` returns (when
// nothing is recorded), FAILED_PRECONDITION for a reused request_id, Redis errors,
// ABORTED after repeated contention.
#ifndef REVISIT_COMMON_IDEMPOTENT_H_
#define REVISIT_COMMON_IDEMPOTENT_H_

#include <functional>
#include <string>

#include "absl/time/time.h"
#include "common/entity.h"
#include "common/recorded_answer.h"
#include "common/write_batch.h"

namespace revisit {

// Adds Dedupe(dedupe_key, ttl, RecordAnswer(request, *response)) to `batch` and
// commits it; for a duplicate, `response` becomes the recorded first answer (or the
// refusal of a reused request_id). `applied` (optional): set to whether `batch` was
// committed (false for a duplicate).
absl::Status CommitAnswered(RedisClient& redis, WriteBatch& batch, const std::string& dedupe_key,
                            absl::Duration ttl, const google::protobuf::Message& request,
                            google::protobuf::Message* response, bool* applied = nullptr);

template <typename Response>
absl::Status RunIdempotent(RedisClient& redis, const std::string& dedupe_key, absl::Duration ttl,
                           const google::protobuf::Message& request, Response* response,
                           const std::function<absl::Status(WriteBatch&, Response*)>& decide,
                           bool* applied = nullptr) {
  if (applied != nullptr) *applied = false;
  absl::Status st = MutateWithRetry([&]() -> absl::Status {
    WriteBatch batch;
    response->Clear();
    absl::Status decided = decide(batch, response);
    if (!decided.ok()) return decided;
    return CommitAnswered(redis, batch, dedupe_key, ttl, request, response, applied);
  });
  if (st.ok() || IsReusedRequestId(st)) return st;
  // A repeat whose decide no longer passes still gets the first answer.
  response->Clear();
  auto prior = ReadPriorResponse(redis, dedupe_key, request, response);
  if (!prior.ok() && IsReusedRequestId(prior.status())) {
    response->Clear();
    return prior.status();
  }
  if (!prior.ok() || !*prior) {
    response->Clear();
    return st;
  }
  return absl::OkStatus();
}

template <typename Response>
absl::Status RunIdempotentOnce(RedisClient& redis, const std::string& dedupe_key,
                               absl::Duration ttl, const google::protobuf::Message& request,
                               Response* response,
                               const std::function<absl::Status(Response*)>& work) {
  auto prior = ReadPriorResponse(redis, dedupe_key, request, response);
  if (!prior.ok()) return prior.status();
  if (*prior) return absl::OkStatus();
  response->Clear();
  absl::Status st = work(response);
  if (!st.ok()) return st;
  WriteBatch batch;
  return CommitAnswered(redis, batch, dedupe_key, ttl, request, response);
}

}  // namespace revisit

#endif  // REVISIT_COMMON_IDEMPOTENT_H_
