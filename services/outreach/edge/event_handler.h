// EventHandler: turns consumed order, complaint and loyalty events into touches.
// The reactions live one class per producer: OrderReactions (order_reactions.h),
// ComplaintReactions (complaint_reactions.h), ComplaintSteps (complaint_steps.h:
// the steps the customer hears, C3, C7, C8, C6/C15, C12, C9) and LoyaltyReactions
// (loyalty_reactions.h); each event's effect commits through EventApplier with the
// inbox guard, and touches have deterministic IDs per (customer, trigger, source):
// a redelivery or a replay from offset 0 changes nothing. Unknown types are
// acknowledged and ignored.
// Thread-safety: thread-safe.
// Errors: INVALID_ARGUMENT for an unparsable payload (the consumer dead-letters it
// after its retries); Redis errors (retried).
#ifndef REVISIT_SERVICES_OUTREACH_EDGE_EVENT_HANDLER_H_
#define REVISIT_SERVICES_OUTREACH_EDGE_EVENT_HANDLER_H_

#include "common/clock.h"
#include "common/event_dispatch.h"
#include "common/event_envelope.h"
#include "services/outreach/edge/complaint_reactions.h"
#include "services/outreach/edge/complaint_steps.h"
#include "services/outreach/edge/event_applier.h"
#include "services/outreach/edge/loyalty_reactions.h"
#include "services/outreach/edge/order_reactions.h"
#include "services/outreach/outreach_config.h"
#include "services/outreach/store/outreach_store.h"

namespace revisit::outreach {

class EventHandler {
 public:
  EventHandler(const OutreachConfig& config, OutreachStore& store, const Clock& clock);
  // Applies one consumed event; types outreach does not react to are OK and change
  // nothing.
  absl::Status Handle(const EventEnvelope& event);

 private:
  // The consumed event types and their reactions, by producer.
  EventDispatch<absl::Status> Events();

  const EventApplier apply_;
  OrderReactions order_;
  ComplaintReactions complaint_;
  ComplaintSteps complaint_steps_;
  LoyaltyReactions loyalty_;
  const EventDispatch<absl::Status> events_;
};

}  // namespace revisit::outreach

#endif  // REVISIT_SERVICES_OUTREACH_EDGE_EVENT_HANDLER_H_
