// Helpers shared by the decide_*.cc files. Internal to the complaint service.
// Thread-safety: pure functions.
#ifndef REVISIT_SERVICES_COMPLAINT_DECIDE_INTERNAL_H_
#define REVISIT_SERVICES_COMPLAINT_DECIDE_INTERNAL_H_

#include <memory>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "common/ids.h"
#include "common/money.h"
#include "common/text.h"
#include "services/complaint/decide.h"
#include "services/complaint/workflow.h"

namespace revisit::complaint::internal {

// INVALID_ARGUMENT unless actor.id is set and at most 128 characters.
absl::Status ValidateActor(const common::v1::Actor& actor);

// The number N of the next remedy ID "rN": one more than any so far.
int NextRemedyNumber(const v1::Complaint& c);

// Starts a decision on a copy of `c`.
Effects Begin(const v1::Complaint& c);
// Applies `action` (workflow.h) and records the Transition (who, when, why).
absl::Status Step(Effects& e, Action action, const common::v1::Actor& actor, absl::Time now,
                  const std::string& reason);

// Adds event `name` with `payload`, after setting its `complaint` facts.
template <typename Event>
void Emit(Effects& e, const std::string& name, Event payload, const common::v1::Actor& actor) {
  *payload.mutable_complaint() = FactsOf(e.complaint, actor);
  e.events.push_back({name, std::make_shared<Event>(std::move(payload))});
}

// Adds the TimerChanges that bring deadline timers from `before` to e.complaint:
// schedule open deadlines that are new or moved, cancel ones no longer open.
void SyncDeadlineTimers(const v1::Complaint& before, Effects& e);

// Finishes a decision: deadline timers synced.
Effects Finish(const v1::Complaint& before, Effects e);

}  // namespace revisit::complaint::internal

#endif  // REVISIT_SERVICES_COMPLAINT_DECIDE_INTERNAL_H_
