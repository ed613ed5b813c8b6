// Internal to touch_decide.cc and touch_outcome.cc: the steps every touch decider
// shares. Thread-safety: pure functions.
#ifndef REVISIT_SERVICES_OUTREACH_DOMAIN_TOUCH_DECIDE_INTERNAL_H_
#define REVISIT_SERVICES_OUTREACH_DOMAIN_TOUCH_DECIDE_INTERNAL_H_

#include <memory>
#include <string>

#include "services/outreach/domain/touch_decide.h"

namespace revisit::outreach::touch_internal {

// Campaign flags on the customer's record (R12 stats: each customer counted once).
inline constexpr int kFlagTreated = 1, kFlagHoldout = 2, kFlagTreatedRevisit = 4,
                     kFlagHoldoutRevisit = 8;

// Checks `action` from the touch's state (touch_state.h) and starts the effects: the
// record and touch copied, a step with `reason` for a change of the lifecycle.
absl::StatusOr<TouchEffects> Begin(const store::CustomerState& c, const v1::Touch& t,
                                   TouchAction action, const std::string& reason,
                                   absl::Time now);
void AddStep(v1::Touch& t, v1::TouchState state, const std::string& reason, absl::Time now);
// The customer's pending ref of `touch_id`, or nullptr.
store::PendingRef* PendingOf(store::CustomerState& c, const std::string& touch_id);
// Drops the touch's pending ref (it is decided).
void RemovePending(TouchEffects& e);
void Arm(TouchEffects& e, absl::Time due);
void Emit(TouchEffects& e, std::string name, std::shared_ptr<google::protobuf::Message> payload);
// Sets `flag` of `campaign` on the record; the first time also counts `counter`.
void CampaignFlag(TouchEffects& e, const std::string& campaign, int flag,
                  const std::string& counter);

}  // namespace revisit::outreach::touch_internal

#endif  // REVISIT_SERVICES_OUTREACH_DOMAIN_TOUCH_DECIDE_INTERNAL_H_
