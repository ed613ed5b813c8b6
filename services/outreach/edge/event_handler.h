// EventHandler: turns consumed order, complaint and loyalty events into touches.
//
//   order.customer_registered/updated  time zone, consent per channel, birthday (R6, R3)
//   order.created        R12 revisit attribution; remembers the products (R10)
//   order.paid           thank-you and confirmation (O1/R5, transactional)
//   order.shipped        care tips for the category (R2)
//   order.delivered      feedback request at delivery + 3 days (R1)
//   order.cancelled/refunded  cancels the order's pending feedback request and tips
//   order.shipment_late  apology (O3)
//   complaint.opened/reopened  holds feedback requests (R6)
//   complaint.closed/rejected  releases them
//   complaint.resolved   follow-up within 7 days (C10/R8)
//   complaint.follow_up_reminder_due  the one reminder after no answer (C10)
//   complaint.closed     also cancels follow-up touches of it not yet sent
//   complaint.acknowledged/update_promised/update_posted/rejected/remedies_proposed/
//     ruling_recorded/fulfilment_recorded/resolved  the customer hears the step (complaint_steps.h: C3,
//     C7, C8, C6/C15, C12, C9)
//   loyalty.tier_changed (up)  welcome with the new benefits
//   loyalty.churn_risk_detected  win-back with a real voucher (R7)
// Each event's effect commits with Dedupe(inbox key of ce_id), and touches have
// deterministic IDs per (customer, trigger, source): a redelivery or a replay from
// offset 0 changes nothing. Unknown types are acknowledged and ignored.
// Thread-safety: thread-safe.
// Errors: INVALID_ARGUMENT for an unparsable payload (the consumer dead-letters it
// after its retries); Redis errors (retried).
#ifndef REVISIT_SERVICES_OUTREACH_EDGE_EVENT_HANDLER_H_
#define REVISIT_SERVICES_OUTREACH_EDGE_EVENT_HANDLER_H_

#include <functional>
#include <string>

#include "common/clock.h"
#include "common/event_envelope.h"
#include "services/outreach/outreach_config.h"
#include "common/event_dispatch.h"
#include "services/outreach/store/outreach_store.h"
#include "services/outreach/store/touch_txn.h"

namespace revisit::outreach {

class EventHandler {
 public:
  EventHandler(const OutreachConfig& config, OutreachStore& store, const Clock& clock);
  // Applies one consumed event; types outreach does not react to are OK and change
  // nothing.
  absl::Status Handle(const EventEnvelope& event);

 private:
  using Effect = std::function<absl::Status(TouchTxn&)>;
  // Runs `effect` for the event's customer with the inbox guard, retrying conflicts.
  absl::Status Apply(const EventEnvelope& event, const std::string& customer_id,
                     const Effect& effect);
  // The consumed event types and their reactions, by producer.
  EventDispatch<absl::Status> Events();
  void OrderHandlers(EventDispatch<absl::Status>& d);      // order_reactions.cc
  void ComplaintHandlers(EventDispatch<absl::Status>& d);  // event_handler.cc
  void ComplaintStepHandlers(EventDispatch<absl::Status>& d);  // complaint_steps.cc
  void LoyaltyHandlers(EventDispatch<absl::Status>& d);    // event_handler.cc

  const OutreachConfig& config_;
  OutreachStore& store_;
  const Clock& clock_;
  const EventDispatch<absl::Status> events_;
};

}  // namespace revisit::outreach

#endif  // REVISIT_SERVICES_OUTREACH_EDGE_EVENT_HANDLER_H_
