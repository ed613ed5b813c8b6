// Helpers shared by the decide_*.cc files. Internal to the complaint service's domain.
// Thread-safety: pure functions.
#ifndef REVISIT_SERVICES_COMPLAINT_DOMAIN_DECIDE_INTERNAL_H_
#define REVISIT_SERVICES_COMPLAINT_DOMAIN_DECIDE_INTERNAL_H_

#include <memory>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "common/ids.h"
#include "common/money.h"
#include "common/text.h"
#include "services/complaint/domain/decide.h"
#include "services/complaint/domain/workflow.h"

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

// Applies kClose on `e` (from FOLLOWED_UP or REJECTED): deadlines settled,
// closure_reason set, `closed` emitted with the outcome (C11) and `why`.
absl::Status Close(Effects& e, const common::v1::Actor& actor, absl::Time now, const std::string& reason,
                   v1::ClosureReason why);

// Adds event `name` with `payload`, after setting its `complaint` facts.
template <typename Event>
void Emit(Effects& e, const std::string& name, Event payload, const common::v1::Actor& actor) {
  *payload.mutable_complaint() = FactsOf(e.complaint, actor);
  e.events.push_back({name, std::make_shared<Event>(std::move(payload))});
}

// EXECUTING → RESOLVED on `e` (C9): resolution deadline met, follow-up owed (C10),
// `resolved` emitted with the resolution number.
absl::Status Resolve(Effects& e, const common::v1::Actor& actor, const Policies& p, absl::Time now);

// The actor of the service's own steps (timers, SLA clock).
common::v1::Actor SystemActor();

// Adds the TimerChanges that bring deadline timers from `before` to e.complaint:
// schedule running deadlines that are new, moved or resumed, cancel ones no longer
// running (met, breached or paused).
void SyncDeadlineTimers(const v1::Complaint& before, Effects& e);

// Pauses or resumes the SLA clock when the state now waits on the customer or the
// platform or no longer does (PauseReasonFor), emitting sla_paused / sla_resumed.
void SyncSlaPause(Effects& e, const Policies& p, absl::Time now);

// Finishes a decision: SLA pause synced with the state, deadline timers synced.
Effects Finish(const v1::Complaint& before, Effects e, const Policies& p, absl::Time now);

}  // namespace revisit::complaint::internal

namespace revisit::complaint {

// The decide_*.cc files name these helpers unqualified (declared once, here).
using internal::Begin;
using internal::Close;
using internal::Emit;
using internal::Finish;
using internal::NextRemedyNumber;
using internal::Resolve;
using internal::Step;
using internal::SystemActor;
using internal::ValidateActor;

}  // namespace revisit::complaint

#endif  // REVISIT_SERVICES_COMPLAINT_DOMAIN_DECIDE_INTERNAL_H_
