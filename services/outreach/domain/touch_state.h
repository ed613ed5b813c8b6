// The touch lifecycle as a transition table, pure code:
//
//   from \ action  schedule   defer     release    rearm      suppress    send  fail    cancel     feedback  attribute
//   (new)          scheduled  -         -          -          -           -     -       -          -         -
//   scheduled      -          deferred  -          scheduled  suppressed  sent  failed  cancelled  -         -
//   deferred       -          deferred  scheduled  deferred   suppressed  sent  failed  cancelled  -         -
//   sent           -          -         -          -          -           -     -       -          sent      sent
//   suppressed     -          -         -          -          -           -     -       -          -         -
//   cancelled      -          -         -          -          -           -     -       -          -         -
//   failed         -          -         -          -          -           -     -       -          -         -
//
// (new) is TOUCH_STATE_UNSPECIFIED: a touch not yet stored. Scheduled and deferred
// are the pending states (a durable timer is armed for the touch's due time); the
// other four are final. defer (R6: cap, quiet hours, complaint hold) moves a pending
// touch to a later time; release puts a touch a closed complaint held back on
// schedule (R6); rearm re-arms the timer of a pending touch that fired early (no
// state change, no event); suppress (R6 consent, R12 holdout), send and fail decide
// a due touch; cancel (a person, or new facts: refund, C10 superseded follow-up)
// ends a pending one. A sent touch records one feedback (R1, R11, C10) and may be
// credited with one revisit (R12); both keep the state.
// Thread-safety: pure functions.
// Errors: FAILED_PRECONDITION naming the touch's state and the refused action.
#ifndef REVISIT_SERVICES_OUTREACH_DOMAIN_TOUCH_STATE_H_
#define REVISIT_SERVICES_OUTREACH_DOMAIN_TOUCH_STATE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "revisit/outreach/v1/outreach.pb.h"

namespace revisit::outreach {

enum class TouchAction {
  kSchedule, kDefer, kRelease, kRearm, kSuppress, kSend, kFail, kCancel, kFeedback, kAttribute
};

// Every action, in the table's column order (for exhaustive tests and docs).
const std::vector<TouchAction>& AllTouchActions();
// Every state of the table, (new) first.
const std::vector<revisit::outreach::v1::TouchState>& AllTouchStates();

// One row of the table: `action` from `from` leads to `to`.
struct TouchTransition {
  revisit::outreach::v1::TouchState from;
  TouchAction action;
  revisit::outreach::v1::TouchState to;
};

// Every allowed transition; anything not listed is refused.
const std::vector<TouchTransition>& TouchTransitions();

// "schedule", "defer", ... as used in error messages.
std::string TouchActionName(TouchAction action);
// "new", "scheduled", "deferred", ...
std::string TouchStateName(revisit::outreach::v1::TouchState state);
// True for SCHEDULED and DEFERRED (a timer is armed).
bool IsPendingState(revisit::outreach::v1::TouchState state);

// The state after `action` from `from`, or FAILED_PRECONDITION:
// "touch <id> is <state>: cannot <action> it".
absl::StatusOr<revisit::outreach::v1::TouchState> NextTouchState(
    const std::string& touch_id, revisit::outreach::v1::TouchState from, TouchAction action);

}  // namespace revisit::outreach

#endif  // REVISIT_SERVICES_OUTREACH_DOMAIN_TOUCH_STATE_H_
