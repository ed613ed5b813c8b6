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
#include "services/outreach/edge/event_applier.h"

namespace revisit::outreach {

class OrderReactions {
 public:
  explicit OrderReactions(const EventApplier& apply) : apply_(apply) {}
  // Adds this producer's event types and their reactions to `d`; `d` calls back into
  // this object, which must outlive it.
  void Register(EventDispatch<absl::Status>& d);

 private:
  const EventApplier& apply_;
};

}  // namespace revisit::outreach

#endif  // REVISIT_SERVICES_OUTREACH_EDGE_ORDER_REACTIONS_H_
