// LoyaltyReactions: what outreach does on loyalty's events.
//
//   tier_changed (up)      welcome with the new benefits
//   churn_risk_detected    win-back with a real voucher at send time (R7)
//   points_expiring        a warning before the points expire (L4, domain/loyalty_touches.h)
//   points_earned,         activity that postpones the expiry: pending warnings of an
//   points_redeemed        earlier date are cancelled (L4, ExpiryWarningsPostponedBy)
// Thread-safety: thread-safe once registered (the handlers only read this object).
// Errors: as EventApplier (edge/event_applier.h).
#ifndef REVISIT_SERVICES_OUTREACH_EDGE_LOYALTY_REACTIONS_H_
#define REVISIT_SERVICES_OUTREACH_EDGE_LOYALTY_REACTIONS_H_

#include "absl/status/status.h"
#include "absl/time/time.h"
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
  // L4: cancels the customer's pending warnings that activity at `at` made untrue.
  absl::Status EndPostponedWarnings(const EventEnvelope& e, const std::string& customer_id,
                                    absl::Time at) const;

  const EventApplier& apply_;
};

}  // namespace revisit::outreach

#endif  // REVISIT_SERVICES_OUTREACH_EDGE_LOYALTY_REACTIONS_H_
