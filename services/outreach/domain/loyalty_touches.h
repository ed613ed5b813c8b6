// Loyalty touches: the pure decisions behind touches that loyalty's facts cause.
//
//   L4 points_expiring  one warning touch per expiry date (source
//                       "points-expiring-<expiry unix ms>": loyalty warns once per
//                       expiry date, and a redelivery maps to the same touch); due at
//                       once; none when no points would expire or the expiry has
//                       already passed (a warning after the fact is no warning).
//                       Cancelled while pending when the customer buys or spends
//                       points before that date (ExpiryWarningsPostponedBy).
// Caps, quiet hours and consent apply at send time (measure.h) as for every touch.
// Thread-safety: pure functions over values.
#ifndef REVISIT_SERVICES_OUTREACH_DOMAIN_LOYALTY_TOUCHES_H_
#define REVISIT_SERVICES_OUTREACH_DOMAIN_LOYALTY_TOUCHES_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "revisit/loyalty/v1/events.pb.h"
#include "revisit/outreach/v1/outreach.pb.h"
#include "services/outreach/domain/messages.h"
#include "services/outreach/store/outreach_state.pb.h"

namespace revisit::outreach {

// A touch to schedule: trigger, source (the touch ID's third part), due time and the
// facts its message is composed from.
struct PlannedTouch {
  revisit::outreach::v1::Trigger trigger = revisit::outreach::v1::TRIGGER_UNSPECIFIED;
  std::string source_id;
  absl::Time due;
  MessageFacts facts;
};

// L4: the warning for `event` published at `event_time`, seen at `now`, with the
// customer's own facts `base` (locale, time zone, products); nullopt when there is
// nothing to warn about.
std::optional<PlannedTouch> PointsExpiringTouch(const revisit::loyalty::v1::PointsExpiring& event,
                                                absl::Time event_time, absl::Time now,
                                                MessageFacts base);

// L4: loyalty's points expire after inactivity, "no purchase or redemption" (its
// ledger.h), so points earned (a completed purchase) or redeemed at `activity_at`
// postpone every expiry after `activity_at` that a pending points_expiring touch of
// `c` warns of. Their touch IDs, to cancel: a warning of a date on which nothing
// expires any more is no warning. Loyalty warns again of the new date in time.
std::vector<std::string> ExpiryWarningsPostponedBy(const store::CustomerState& c,
                                                   absl::Time activity_at);

}  // namespace revisit::outreach

#endif  // REVISIT_SERVICES_OUTREACH_DOMAIN_LOYALTY_TOUCHES_H_
