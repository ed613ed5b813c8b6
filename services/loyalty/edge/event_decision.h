// PrepareEvent: what one consumed revisit.order.v1 / revisit.complaint.v1 event asks of one loyalty account,
// worked out without I/O, so the one-at-a-time path (LoyaltyEngine::HandleEvent) and
// the batched path (BatchApplier) apply events the same way.
// Thread-safety: pure; a PreparedEvent is a value (its decide function owns the
// parsed payload and refers to `rules`, which must outlive it).
// Errors: INVALID_ARGUMENT when the payload does not parse or names no customer
// (the consumer dead-letters it after retries).
#ifndef REVISIT_SERVICES_LOYALTY_EDGE_EVENT_DECISION_H_
#define REVISIT_SERVICES_LOYALTY_EDGE_EVENT_DECISION_H_

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/event_envelope.h"
#include "services/loyalty/domain/effects.h"
#include "services/loyalty/domain/loyalty_rules.h"
#include "services/loyalty/loyalty_state.pb.h"

namespace revisit::loyalty {

// A pure change of one account: mutates it and appends what to write and publish.
using AccountDecision = std::function<absl::Status(internal::Account&, Effects&)>;

struct PreparedEvent {
  // False for event types loyalty does not react to (nothing to do).
  bool applies = false;
  // Whose account changes: the payload's customer_id, else the record key.
  std::string customer_id;
  // The change (account.h appliers at `now`); set when `applies`.
  AccountDecision decide;
};

PreparedEvent IgnoredEvent();

// Parses `event` (order: customer_registered, completed, refunded, cancelled;
// complaint: resolved, rejected, reopened for L7).
absl::StatusOr<PreparedEvent> PrepareEvent(const EventEnvelope& event, absl::Time now,
                                           const LoyaltyRules& rules);

}  // namespace revisit::loyalty

#endif  // REVISIT_SERVICES_LOYALTY_EDGE_EVENT_DECISION_H_
