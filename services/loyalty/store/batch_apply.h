// BatchApplier: applies a polled batch of order events with two store round trips
// instead of three per event, with the exactly-once guarantees of the one-at-a-time
// path (LoyaltyEngine::HandleEvent).
//
// 1. Read (one round trip): every distinct customer's account and, per event, whether
//    its inbox record (ce_id) exists.
// 2. Decide in memory, in batch order: each customer's events form a chain, each
//    deciding on the in-memory result of the previous one. An event already in the
//    inbox (or repeated in the batch) changes nothing. The chain stops before an event
//    whose decision fails or owes a referral reward (L6 writes the referrer's shard
//    first): that event and the customer's later ones take the one-at-a-time path.
// 3. Commit (one round trip): each chain is ONE atomic WriteBatch guarded by the
//    version read and by every step's inbox key (common/lua/commit.lua); it writes
//    the final account at read_version + steps. (Pipelining one commit per event
//    chained on versions v, v+1, ... would not do: if another writer, e.g. an
//    AwardPoints RPC, moved the account from v to v+1, the first commit would fail
//    and the second would pass on a stale state, losing the RPC's change.)
// 4. A chain that fails (ABORTED on a concurrent change, a duplicate, any error)
//    applied nothing: its events, and every later event of that customer in the
//    batch, go one at a time through BatchStore::ApplyOne, in order. After the first
//    failure among them the rest are reported ABORTED "not attempted", so the
//    consumer re-handles them after the failed one (per-customer order holds).
// Every returned OK means that event's effect is committed (or was already).
// Thread-safety: one Apply at a time per BatchApplier; the store must be safe for
// the concurrent writers it serves (RPCs, timers).
#ifndef REVISIT_SERVICES_LOYALTY_STORE_BATCH_APPLY_H_
#define REVISIT_SERVICES_LOYALTY_STORE_BATCH_APPLY_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/entity.h"
#include "common/event_envelope.h"
#include "services/loyalty/domain/effects.h"
#include "services/loyalty/domain/loyalty_rules.h"
#include "services/loyalty/loyalty_state.pb.h"

namespace revisit::loyalty {

// One consumed event of a chain: its ID (inbox key), trace, and what it decided.
struct ChainStep {
  std::string event_id;
  std::string traceparent;
  Effects effects;
};

// A customer's events of one batch, decided in memory, committed atomically:
// ExpectVersion(read_version), each step's inbox Dedupe, ledger lines and events,
// and `account` (the state after the last step) at read_version + steps.size().
struct AccountChain {
  std::string customer_id;
  int64_t read_version = 0;
  internal::Account account;
  std::vector<ChainStep> steps;
};

// The store's view for one batch (BatchStore::Read).
struct BatchSnapshot {
  // Per customer asked for: the account (fresh, version 0, when absent) or an error.
  std::vector<absl::StatusOr<Versioned<internal::Account>>> accounts;
  // Per (customer, event ID) asked for: whether its inbox record exists.
  std::vector<absl::StatusOr<bool>> seen;
};

// What BatchApplier needs from storage. Implemented over Redis by RedisBatchStore,
// by a fake in the unit tests.
class BatchStore {
 public:
  virtual ~BatchStore() = default;
  // One round trip. `events` are (customer ID, event ID) pairs.
  virtual absl::StatusOr<BatchSnapshot> Read(
      const std::vector<std::string>& customers,
      const std::vector<std::pair<std::string, std::string>>& events) = 0;
  // One round trip: commits each chain atomically. One status per chain: OK, ABORTED
  // (the account changed since the read), ALREADY_EXISTS (a step was already in the
  // inbox), or an I/O error; every non-OK chain applied nothing, or applied entirely
  // (an I/O error after Redis ran it: the inbox then recognises its events).
  virtual std::vector<absl::Status> Commit(const std::vector<AccountChain>& chains,
                                           absl::Time now) = 0;
  // The one-at-a-time path for one event (reads, decides, commits, retries conflicts).
  virtual absl::Status ApplyOne(const EventEnvelope& event) = 0;
};

class BatchApplier {
 public:
  BatchApplier(BatchStore& store, const LoyaltyRules& rules) : store_(store), rules_(rules) {}

  // Applies `events` (batch order = per-partition order) at `now`; one status each.
  std::vector<absl::Status> Apply(const std::vector<EventEnvelope>& events, absl::Time now);

 private:
  struct Group;
  void BuildChain(Group& group, const std::vector<EventEnvelope>& events);
  // Puts the group's chain account back to the read state plus the `decided` steps.
  static void Rewind(Group& group, const std::vector<size_t>& decided);
  void FallBack(Group& group, size_t from, const std::vector<EventEnvelope>& events);

  BatchStore& store_;
  const LoyaltyRules& rules_;
};

}  // namespace revisit::loyalty

#endif  // REVISIT_SERVICES_LOYALTY_STORE_BATCH_APPLY_H_
