// Revisit attribution (R12): a paid order by the same customer within a window
// (default 14 days) after a touch is attributed to the latest such touch. Only
// non-transactional touches earn credit: a thank-you or an apology follows the
// purchase, it does not cause the next one, so it neither earns nor blocks credit.
// Holdout touches (suppressed for the control group) are attributed too, so a
// campaign's revisit rate can be compared with its holdout's.
// Thread-safety: pure functions.
#ifndef REVISIT_SERVICES_OUTREACH_DOMAIN_ATTRIBUTION_H_
#define REVISIT_SERVICES_OUTREACH_DOMAIN_ATTRIBUTION_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"

namespace revisit::outreach {

// A touch that reached the customer (sent) or would have (holdout).
struct TouchMark {
  std::string touch_id;
  std::string campaign;
  absl::Time at;
  bool holdout = false;
  // Already credited with a revisit: a touch is credited once.
  bool attributed = false;
  // A transactional touch (confirmation, apology, follow-up): never credited.
  bool transactional = false;
};

// The index in `marks` of the touch an order at `ordered_at` is attributed to: the
// latest non-transactional touch at or before the order, within `window`, not yet
// attributed.
// nullopt when none qualifies.
std::optional<size_t> AttributeRevisit(const std::vector<TouchMark>& marks,
                                       absl::Time ordered_at, absl::Duration window);

// Drops marks older than `window` before `now` (they can never be credited again)
// and keeps at most `max_marks` of the newest.
void PruneMarks(std::vector<TouchMark>& marks, absl::Time now, absl::Duration window,
                size_t max_marks = 32);

}  // namespace revisit::outreach

#endif  // REVISIT_SERVICES_OUTREACH_DOMAIN_ATTRIBUTION_H_
