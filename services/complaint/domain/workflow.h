// The complaint workflow state machine (DOMAIN.md "Complaint states", C1-C12).
//
// Pure: which action is legal in which state and where it leads. Every (state,
// action) pair not listed in the transition table is illegal and reported as
// FAILED_PRECONDITION naming the current state and the action, which the gRPC layer
// returns unchanged. Data preconditions (a cause must be determined before
// proposing, an approval before accepting) are checked by the deciders
// (decide.h), not here.
//
// SLA breaches (C1, C7) are not workflow transitions: a breach flags the complaint
// (sla_breached, escalation_reason, priority raised) and emits SlaBreached and
// ComplaintEscalated, but the handler must still carry on from the same state. The
// ESCALATED state is the platform escalation of C12.
// Thread-safety: pure functions.
#ifndef REVISIT_SERVICES_COMPLAINT_DOMAIN_WORKFLOW_H_
#define REVISIT_SERVICES_COMPLAINT_DOMAIN_WORKFLOW_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "revisit/complaint/v1/complaint.pb.h"

namespace revisit::complaint {

using v1::ComplaintState;

// Every workflow action; the first ones map 1:1 to RPCs.
enum class Action {
  kOpen,
  kAcknowledge,
  kStartInvestigation,
  kDetermineCause,
  kProposeRemedies,
  kApproveRemedy,
  kAcceptRemedy,
  // ResolveComplaint: start (or retry) executing the accepted remedy (C9).
  kResolve,
  // Internal: every call of the execution plan succeeded.
  kExecutionSucceeded,
  kRecordFollowUp,
  // Internal: the follow-up and its one reminder went unanswered (C10).
  kFollowUpUnanswered,
  kClose,
  kReject,
  kEscalate,
  // The platform ordered a remedy: executed like an accepted one (C12).
  kRecordRuling,
  // The platform ruled that no remedy is owed (C12).
  kRecordRulingNoRemedy,
  kReopen,
  kPromiseUpdate,
  kPostUpdate,
  // A REPAIR or GIFT remedy moved on (C9); its last stage goes on with kExecutionSucceeded.
  kRecordFulfilment,
};

// All actions, for exhaustive tests.
const std::vector<Action>& AllActions();
// All states except UNSPECIFIED (the state "before open"), for exhaustive tests.
const std::vector<ComplaintState>& AllStates();

// "acknowledge", "resolve", ... as recorded in Transition.action.
std::string ActionName(Action action);
// "OPENED", "RESOLVED", ... (the enum name without prefix).
std::string StateName(ComplaintState state);

// The state after `action` in `from` (COMPLAINT_STATE_UNSPECIFIED = not yet opened),
// or FAILED_PRECONDITION "complaint is <STATE>: cannot <action>".
absl::StatusOr<ComplaintState> NextState(ComplaintState from, Action action);

// True for states in which the complaint still needs work from the shop (SLA
// deadlines keep running, updates can be promised).
bool IsActive(ComplaintState state);

}  // namespace revisit::complaint

#endif  // REVISIT_SERVICES_COMPLAINT_DOMAIN_WORKFLOW_H_
