// DecideDue: what happens to a touch whose durable timer fired, as a pure function
// over the customer's record and the touch (R6 measure.h + the transition table):
//   - not pending (decided already, e.g. by another instance): nothing;
//   - not yet due (a timer written before scores were rounded up can fire up to
//     1 ms early): re-arm at the due time, so the touch is never lost;
//   - due: the measure decides against the customer's other pending touches —
//     defer (cap, quiet hours; an open complaint holds it, R6), suppress (no
//     consent R6, holdout R12, with the mark for the lift) or send (the edge then
//     delivers and records the outcome with DecideSend/DecideFail).
// Thread-safety: pure function.
// Errors: none beyond the deciders' (the checks above keep to the table).
#ifndef REVISIT_SERVICES_OUTREACH_DOMAIN_TOUCH_DUE_H_
#define REVISIT_SERVICES_OUTREACH_DOMAIN_TOUCH_DUE_H_

#include <optional>

#include "absl/status/statusor.h"
#include "services/outreach/domain/measure.h"
#include "services/outreach/domain/touch_decide.h"

namespace revisit::outreach {

struct DueVerdict {
  // Set: stage these (re-arm, defer or suppress). Unset with `send` unset: nothing.
  std::optional<TouchEffects> effects;
  // Set: deliver on send->channel, then record the outcome.
  std::optional<Decision> send;
};

// `who` is the R6 view of `c` (time zone, consent, open complaints, capped sends).
absl::StatusOr<DueVerdict> DecideDue(const store::CustomerState& c,
                                     const revisit::outreach::v1::Touch& t,
                                     const RulesTable& rules, const MeasurePolicy& measure,
                                     const CustomerView& who, absl::Time now);

// The measure's view of a pending ref of the customer's record.
Candidate CandidateOf(const store::PendingRef& ref);

}  // namespace revisit::outreach

#endif  // REVISIT_SERVICES_OUTREACH_DOMAIN_TOUCH_DUE_H_
