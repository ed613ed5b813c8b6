// LoyaltyEngine: applies consumed order and complaint events, durable timers and the
// periodic reclassification to the store, each as atomic WriteBatches.
//
// Exactly-once effect of a consumed event: the account change is committed with
// Dedupe(inbox:<ce_id>) in the customer's shard (a batched chain of one customer's
// events commits all their inbox keys with the change, atomically), so a redelivery, a restart after a
// crash mid-batch (offsets not yet stored) or a replay from offset 0 finds the inbox
// record and changes nothing; beneath it the domain is idempotent per order and
// refund (account.h). A referral reward (L6) lives in the referrer's shard: it is
// committed first with Dedupe(referral:<referred_id>) there, then the referred
// customer's change; a crash between the two redoes the first as a no-op. Its reversal
// (the rewarded first order refunded in full) goes the same way under
// Dedupe(referral_reversal:<referred_id>), the reversal's only dedupe: the referred
// side asks again on every such fact (ReferralDedupeKey).
// Thread-safety: thread-safe (state lives in Redis; the config and clock are shared
// read-only).
// Errors: INVALID_ARGUMENT for an event that cannot be applied (dead-lettered by the
// consumer after retries); Redis errors (retried).
#ifndef REVISIT_SERVICES_LOYALTY_EDGE_LOYALTY_ENGINE_H_
#define REVISIT_SERVICES_LOYALTY_EDGE_LOYALTY_ENGINE_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/clock.h"
#include "common/event_envelope.h"
#include "common/timer_queue.h"
#include "services/loyalty/domain/effects.h"
#include "services/loyalty/loyalty_config.h"
#include "services/loyalty/store/loyalty_store.h"

namespace revisit::loyalty {

class LoyaltyEngine {
 public:
  LoyaltyEngine(const LoyaltyConfig& config, RedisClient& redis, const Clock& clock);

  // Consumer handler for revisit.order.v1 and revisit.complaint.v1 (resolved, rejected,
  // reopened for L7, complaints.h); other types are ignored. One event, three round
  // trips (inbox EXISTS, account read, guarded commit).
  absl::Status HandleEvent(const EventEnvelope& envelope);
  // Batch consumer handler: a polled batch in two pipelined round trips, falling back
  // to HandleEvent per customer on a conflict or error (batch_apply.h). One status
  // per event. Called from the consumer thread only.
  std::vector<absl::Status> HandleBatch(const std::vector<EventEnvelope>& events);
  // Timer handler: "review:<customer_id>", "reclassify" and "hold:<order_id>" (a
  // checkout reservation not confirmed in time is released, reservations.h).
  absl::Status HandleTimer(const DueTimer& timer);

  // Recomputes every customer's value class (L1), emitting class_changed.
  absl::StatusOr<v1::ReclassifyResponse> Reclassify();
  // Makes sure the periodic reclassify timer exists (idempotent).
  absl::Status EnsureReclassifyTimer();

  // Loads the account, runs `decide`, commits with the optional dedupe key (empty =
  // none) and retries on a concurrent change. A duplicate is OK.
  using Decide = std::function<absl::Status(internal::Account&, Effects&)>;
  absl::Status MutateAccount(const std::string& customer_id, const std::string& dedupe_key,
                             absl::Duration dedupe_ttl, const Decide& decide);

  const LoyaltyConfig& config() const { return config_; }
  const LoyaltyRules& rules() const { return config_.rules; }
  LoyaltyStore& store() { return store_; }
  const Clock& clock() const { return clock_; }

 private:
  // Applies a referral reward, or its reversal, in the referrer's shard (L6).
  absl::Status RewardReferrer(const ReferralReward& reward);
  // The "hold:<order>" timer (payload: the customer) fired.
  absl::Status ExpireHold(const std::string& reservation_id, const std::string& customer_id);

  const LoyaltyConfig& config_;
  LoyaltyStore store_;
  const Clock& clock_;
};

}  // namespace revisit::loyalty

#endif  // REVISIT_SERVICES_LOYALTY_EDGE_LOYALTY_ENGINE_H_
