// OrderReactions: what outreach does on the order service's events.
//
//   customer_registered/updated  time zone, locale, consent once (R6), birthday (R3)
//   created              remembers the products (R10)
//   paid                 R12 revisit credit; thank-you and confirmation (O1/R5)
//   shipped              care tips for the category (R2)
//   delivered            feedback request at delivery + 3 days (R1)
//   cancelled/refunded   cancels the order's pending feedback request (and tips)
//   shipment_late        apology (O3)
// Thread-safety: thread-safe once registered (the handlers only read this object).
// Errors: as EventApplier (edge/event_applier.h).
#ifndef REVISIT_SERVICES_OUTREACH_EDGE_ORDER_REACTIONS_H_
#define REVISIT_SERVICES_OUTREACH_EDGE_ORDER_REACTIONS_H_

#include "absl/status/status.h"
#include "common/event_dispatch.h"
#include "revisit/order/v1/events.pb.h"
#include "services/outreach/edge/event_applier.h"

namespace revisit::outreach {

class OrderReactions {
 public:
  explicit OrderReactions(const EventApplier& apply) : apply_(apply) {}
  // Adds this producer's event types and their reactions to `d`; `d` calls back into
  // this object, which must outlive it.
  void Register(EventDispatch<absl::Status>& d);

 private:
  template <typename Event>
  using Reaction = absl::Status (OrderReactions::*)(const EventEnvelope&, const Event&) const;
  // Registers `react` for `ce_type` on `d`.
  template <typename Event>
  void On(EventDispatch<absl::Status>& d, const char* ce_type, Reaction<Event> react) const;

  // One reaction per event type (the table above), each one EventApplier::Apply.
  absl::Status OnRegistered(const EventEnvelope& e,
                            const revisit::order::v1::CustomerRegistered& ev) const;
  absl::Status OnUpdated(const EventEnvelope& e, const revisit::order::v1::CustomerUpdated& ev) const;
  absl::Status OnCreated(const EventEnvelope& e, const revisit::order::v1::OrderCreated& ev) const;
  absl::Status OnPaid(const EventEnvelope& e, const revisit::order::v1::OrderPaid& ev) const;
  absl::Status OnShipped(const EventEnvelope& e, const revisit::order::v1::OrderShipped& ev) const;
  absl::Status OnDelivered(const EventEnvelope& e, const revisit::order::v1::OrderDelivered& ev) const;
  absl::Status OnShipmentLate(const EventEnvelope& e,
                              const revisit::order::v1::ShipmentLate& ev) const;
  absl::Status OnCancelled(const EventEnvelope& e, const revisit::order::v1::OrderCancelled& ev) const;
  absl::Status OnRefunded(const EventEnvelope& e, const revisit::order::v1::OrderRefunded& ev) const;

  const EventApplier& apply_;
};

}  // namespace revisit::outreach

#endif  // REVISIT_SERVICES_OUTREACH_EDGE_ORDER_REACTIONS_H_
