#include "services/complaint/domain/workflow.h"

#include <map>
#include <utility>

#include "absl/strings/str_cat.h"

namespace revisit::complaint {
namespace {

using S = ComplaintState;
constexpr S kNone = v1::COMPLAINT_STATE_UNSPECIFIED;
constexpr S kOpened = v1::COMPLAINT_STATE_OPENED;
constexpr S kAcked = v1::COMPLAINT_STATE_ACKNOWLEDGED;
constexpr S kInvestigating = v1::COMPLAINT_STATE_INVESTIGATING;
constexpr S kProposed = v1::COMPLAINT_STATE_RESOLUTION_PROPOSED;
constexpr S kAccepted = v1::COMPLAINT_STATE_RESOLUTION_ACCEPTED;
constexpr S kExecuting = v1::COMPLAINT_STATE_EXECUTING;
constexpr S kResolved = v1::COMPLAINT_STATE_RESOLVED;
constexpr S kFollowedUp = v1::COMPLAINT_STATE_FOLLOWED_UP;
constexpr S kClosed = v1::COMPLAINT_STATE_CLOSED;
constexpr S kEscalated = v1::COMPLAINT_STATE_ESCALATED;
constexpr S kRejected = v1::COMPLAINT_STATE_REJECTED;
constexpr S kReopened = v1::COMPLAINT_STATE_REOPENED;

using Table = std::map<std::pair<S, Action>, S>;

// States in which the shop still owes the customer an answer.
const std::vector<S>& ActiveStates() {
  static const auto* states = new std::vector<S>{kOpened,    kAcked,     kInvestigating,
                                                 kProposed,  kAccepted,  kExecuting,
                                                 kEscalated, kReopened};
  return *states;
}

Table BuildTable() {
  Table t;
  t[{kNone, Action::kOpen}] = kOpened;
  // C1-C3: first response with restatement and apology.
  t[{kOpened, Action::kAcknowledge}] = kAcked;
  t[{kReopened, Action::kAcknowledge}] = kAcked;
  // C4: find the real cause.
  t[{kAcked, Action::kStartInvestigation}] = kInvestigating;
  t[{kReopened, Action::kStartInvestigation}] = kInvestigating;
  t[{kInvestigating, Action::kDetermineCause}] = kInvestigating;
  // C6: offer choices; a new offer replaces the previous one.
  t[{kInvestigating, Action::kProposeRemedies}] = kProposed;
  t[{kProposed, Action::kProposeRemedies}] = kProposed;
  // C8: approval of a remedy above the proposer's authority.
  t[{kProposed, Action::kApproveRemedy}] = kProposed;
  t[{kProposed, Action::kAcceptRemedy}] = kAccepted;
  // C9: execute; kResolve while executing is a retry.
  t[{kAccepted, Action::kResolve}] = kExecuting;
  t[{kExecuting, Action::kResolve}] = kExecuting;
  t[{kExecuting, Action::kExecutionSucceeded}] = kResolved;
  t[{kExecuting, Action::kRecordFulfilment}] = kExecuting;
  // C10: follow-up, then close. DecideRecordFollowUp takes FOLLOWED_UP on in the same
  // decision: close (satisfied) or reopen (still unhappy), so it is transient; close
  // by hand stays for complaints stored there before that.
  t[{kResolved, Action::kRecordFollowUp}] = kFollowedUp;
  // C10: no answer to the follow-up and its reminder: followed up, then closed.
  t[{kResolved, Action::kFollowUpUnanswered}] = kFollowedUp;
  t[{kFollowedUp, Action::kClose}] = kClosed;
  t[{kRejected, Action::kClose}] = kClosed;
  // C8: refuse an unreasonable request, before anything was agreed.
  for (S s : {kOpened, kAcked, kInvestigating, kProposed, kReopened}) {
    t[{s, Action::kReject}] = kRejected;
  }
  // C12: either side may escalate to the platform while there is no agreement.
  for (S s : {kOpened, kAcked, kInvestigating, kProposed, kRejected, kReopened}) {
    t[{s, Action::kEscalate}] = kEscalated;
  }
  t[{kEscalated, Action::kRecordRuling}] = kAccepted;
  t[{kEscalated, Action::kRecordRulingNoRemedy}] = kRejected;
  for (S s : {kResolved, kFollowedUp, kClosed, kRejected}) {
    t[{s, Action::kReopen}] = kReopened;
  }
  // C7: promised updates while the complaint is active.
  for (S s : ActiveStates()) {
    t[{s, Action::kPromiseUpdate}] = s;
    t[{s, Action::kPostUpdate}] = s;
  }
  return t;
}

const Table& Transitions() {
  static const auto* table = new Table(BuildTable());
  return *table;
}

}  // namespace

const std::vector<Action>& AllActions() {
  static const auto* actions = new std::vector<Action>{
      Action::kOpen,          Action::kAcknowledge,     Action::kStartInvestigation,
      Action::kDetermineCause, Action::kProposeRemedies, Action::kApproveRemedy,
      Action::kAcceptRemedy,  Action::kResolve,         Action::kExecutionSucceeded,
      Action::kRecordFollowUp, Action::kFollowUpUnanswered, Action::kClose, Action::kReject,
      Action::kEscalate,      Action::kRecordRuling,    Action::kRecordRulingNoRemedy,
      Action::kReopen,        Action::kPromiseUpdate,   Action::kPostUpdate,
      Action::kRecordFulfilment};
  return *actions;
}

const std::vector<ComplaintState>& AllStates() {
  static const auto* states =
      new std::vector<S>{kOpened,   kAcked,      kInvestigating, kProposed, kAccepted,
                         kExecuting, kResolved,  kFollowedUp,    kClosed,   kEscalated,
                         kRejected,  kReopened};
  return *states;
}

std::string ActionName(Action action) {
  switch (action) {
    case Action::kOpen: return "open";
    case Action::kAcknowledge: return "acknowledge";
    case Action::kStartInvestigation: return "start_investigation";
    case Action::kDetermineCause: return "determine_cause";
    case Action::kProposeRemedies: return "propose_remedies";
    case Action::kApproveRemedy: return "approve_remedy";
    case Action::kAcceptRemedy: return "accept_remedy";
    case Action::kResolve: return "resolve";
    case Action::kExecutionSucceeded: return "execution_succeeded";
    case Action::kRecordFollowUp: return "record_follow_up";
    case Action::kFollowUpUnanswered: return "follow_up_unanswered";
    case Action::kClose: return "close";
    case Action::kReject: return "reject";
    case Action::kEscalate: return "escalate";
    case Action::kRecordRuling: return "record_ruling";
    case Action::kRecordFulfilment: return "record_fulfilment";
    case Action::kRecordRulingNoRemedy: return "record_ruling_no_remedy";
    case Action::kReopen: return "reopen";
    case Action::kPromiseUpdate: return "promise_update";
    case Action::kPostUpdate: return "post_update";
  }
  return "unknown";
}

std::string StateName(ComplaintState state) {
  if (state == kNone) return "NOT_OPENED";
  std::string name = v1::ComplaintState_Name(state);
  const std::string prefix = "COMPLAINT_STATE_";
  return name.rfind(prefix, 0) == 0 ? name.substr(prefix.size()) : name;
}

absl::StatusOr<ComplaintState> NextState(ComplaintState from, Action action) {
  const Table& t = Transitions();
  auto it = t.find({from, action});
  if (it == t.end()) {
    return absl::FailedPreconditionError(
        absl::StrCat("complaint is ", StateName(from), ": cannot ", ActionName(action)));
  }
  return it->second;
}

bool IsActive(ComplaintState state) {
  for (S s : ActiveStates()) {
    if (s == state) return true;
  }
  return false;
}

}  // namespace revisit::complaint
