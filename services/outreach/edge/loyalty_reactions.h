// LoyaltyReactions: what outreach does on loyalty's events.
//
//   tier_changed (up)      welcome with the new benefits
//   churn_risk_detected    win-back with a real voucher at send time (R7)
// Thread-safety: thread-safe once registered (the handlers only read this object).
// Errors: as EventApplier (edge/event_applier.h).
#ifndef REVISIT_SERVICES_OUTREACH_EDGE_LOYALTY_REACTIONS_H_
#define REVISIT_SERVICES_OUTREACH_EDGE_LOYALTY_REACTIONS_H_

#include "absl/status/status.h"
#include "common/event_dispatch.h"
#include "services/outreach/edge/event_applier.h"

namespace revisit::outreach {

class LoyaltyReactions {
 public:
  explicit LoyaltyReactions(const EventApplier& apply) : apply_(apply) {}
  // Adds this producer's event types and their reactions to `d`; `d` calls back into
  // this object, which must outlive it.
  void Register(EventDispatch<absl::Status>& d);

 private:
  const EventApplier& apply_;
};

}  // namespace revisit::outreach

#endif  // REVISIT_SERVICES_OUTREACH_EDGE_LOYALTY_REACTIONS_H_
