// Exhaustive test of the complaint state machine: every (state, action) pair.
#include "services/complaint/domain/workflow.h"

#include <map>
#include <set>
#include <string>
#include <utility>

#include <gtest/gtest.h>

namespace revisit::complaint {
namespace {

// The expected legal transitions, written out independently of workflow.cc as
// "STATE action -> STATE". Everything not listed must be FAILED_PRECONDITION.
const std::map<std::pair<std::string, std::string>, std::string>& Expected() {
  static const auto* m = new std::map<std::pair<std::string, std::string>, std::string>{
      {{"NOT_OPENED", "open"}, "OPENED"},
      // C1-C3
      {{"OPENED", "acknowledge"}, "ACKNOWLEDGED"},
      {{"REOPENED", "acknowledge"}, "ACKNOWLEDGED"},
      // C4
      {{"ACKNOWLEDGED", "start_investigation"}, "INVESTIGATING"},
      {{"REOPENED", "start_investigation"}, "INVESTIGATING"},
      {{"INVESTIGATING", "determine_cause"}, "INVESTIGATING"},
      // C6
      {{"INVESTIGATING", "propose_remedies"}, "RESOLUTION_PROPOSED"},
      {{"RESOLUTION_PROPOSED", "propose_remedies"}, "RESOLUTION_PROPOSED"},
      // C8
      {{"RESOLUTION_PROPOSED", "approve_remedy"}, "RESOLUTION_PROPOSED"},
      {{"RESOLUTION_PROPOSED", "accept_remedy"}, "RESOLUTION_ACCEPTED"},
      // C9
      {{"RESOLUTION_ACCEPTED", "resolve"}, "EXECUTING"},
      {{"EXECUTING", "resolve"}, "EXECUTING"},
      {{"EXECUTING", "execution_succeeded"}, "RESOLVED"},
      // C9: a repair or gift moves through its stages while executing
      {{"EXECUTING", "record_fulfilment"}, "EXECUTING"},
      // C10: the follow-up decision goes on to close or, unhappy, to reopen (below)
      {{"RESOLVED", "record_follow_up"}, "FOLLOWED_UP"},
      // C10: the follow-up and its reminder went unanswered; closed in the same decision.
      {{"RESOLVED", "follow_up_unanswered"}, "FOLLOWED_UP"},
      {{"FOLLOWED_UP", "close"}, "CLOSED"},
      {{"REJECTED", "close"}, "CLOSED"},
      // C8 reject
      {{"OPENED", "reject"}, "REJECTED"},
      {{"ACKNOWLEDGED", "reject"}, "REJECTED"},
      {{"INVESTIGATING", "reject"}, "REJECTED"},
      {{"RESOLUTION_PROPOSED", "reject"}, "REJECTED"},
      {{"REOPENED", "reject"}, "REJECTED"},
      // C12 escalate and ruling
      {{"OPENED", "escalate"}, "ESCALATED"},
      {{"ACKNOWLEDGED", "escalate"}, "ESCALATED"},
      {{"INVESTIGATING", "escalate"}, "ESCALATED"},
      {{"RESOLUTION_PROPOSED", "escalate"}, "ESCALATED"},
      {{"REJECTED", "escalate"}, "ESCALATED"},
      {{"REOPENED", "escalate"}, "ESCALATED"},
      {{"ESCALATED", "record_ruling"}, "RESOLUTION_ACCEPTED"},
      {{"ESCALATED", "record_ruling_no_remedy"}, "REJECTED"},
      // reopen
      {{"RESOLVED", "reopen"}, "REOPENED"},
      {{"FOLLOWED_UP", "reopen"}, "REOPENED"},
      {{"CLOSED", "reopen"}, "REOPENED"},
      {{"REJECTED", "reopen"}, "REOPENED"},
      // C7 promised updates in every active state (self transitions)
      {{"OPENED", "promise_update"}, "OPENED"},
      {{"ACKNOWLEDGED", "promise_update"}, "ACKNOWLEDGED"},
      {{"INVESTIGATING", "promise_update"}, "INVESTIGATING"},
      {{"RESOLUTION_PROPOSED", "promise_update"}, "RESOLUTION_PROPOSED"},
      {{"RESOLUTION_ACCEPTED", "promise_update"}, "RESOLUTION_ACCEPTED"},
      {{"EXECUTING", "promise_update"}, "EXECUTING"},
      {{"ESCALATED", "promise_update"}, "ESCALATED"},
      {{"REOPENED", "promise_update"}, "REOPENED"},
      {{"OPENED", "post_update"}, "OPENED"},
      {{"ACKNOWLEDGED", "post_update"}, "ACKNOWLEDGED"},
      {{"INVESTIGATING", "post_update"}, "INVESTIGATING"},
      {{"RESOLUTION_PROPOSED", "post_update"}, "RESOLUTION_PROPOSED"},
      {{"RESOLUTION_ACCEPTED", "post_update"}, "RESOLUTION_ACCEPTED"},
      {{"EXECUTING", "post_update"}, "EXECUTING"},
      {{"ESCALATED", "post_update"}, "ESCALATED"},
      {{"REOPENED", "post_update"}, "REOPENED"},
  };
  return *m;
}

TEST(WorkflowTest, EveryStateActionPairMatchesTheTable) {
  std::vector<ComplaintState> states = AllStates();
  states.push_back(v1::COMPLAINT_STATE_UNSPECIFIED);
  ASSERT_EQ(states.size(), static_cast<size_t>(v1::ComplaintState_ARRAYSIZE));
  int legal = 0;
  for (ComplaintState from : states) {
    for (Action action : AllActions()) {
      const std::string s = StateName(from), a = ActionName(action);
      auto next = NextState(from, action);
      auto it = Expected().find({s, a});
      SCOPED_TRACE(s + " " + a);
      if (it == Expected().end()) {
        ASSERT_FALSE(next.ok());
        EXPECT_EQ(next.status().code(), absl::StatusCode::kFailedPrecondition);
        EXPECT_EQ(next.status().message(), "complaint is " + s + ": cannot " + a);
      } else {
        ASSERT_TRUE(next.ok()) << next.status();
        EXPECT_EQ(StateName(*next), it->second);
        ++legal;
      }
    }
  }
  EXPECT_EQ(legal, static_cast<int>(Expected().size()));
}

TEST(WorkflowTest, ClosedIsTerminalExceptReopen) {
  for (Action action : AllActions()) {
    bool ok = NextState(v1::COMPLAINT_STATE_CLOSED, action).ok();
    EXPECT_EQ(ok, action == Action::kReopen) << ActionName(action);
  }
}

TEST(WorkflowTest, C10_AFollowUpCanOnlyCloseOrReopen) {
  // DecideRecordFollowUp relies on exactly these two ways on from FOLLOWED_UP.
  for (Action action : AllActions()) {
    auto next = NextState(v1::COMPLAINT_STATE_FOLLOWED_UP, action);
    EXPECT_EQ(next.ok(), action == Action::kClose || action == Action::kReopen) << ActionName(action);
  }
  EXPECT_FALSE(IsActive(v1::COMPLAINT_STATE_FOLLOWED_UP));
  EXPECT_TRUE(IsActive(v1::COMPLAINT_STATE_REOPENED));  // SLA deadlines run again
}

TEST(WorkflowTest, C9_AcceptedRemedyCannotBeRejectedOrEscalated) {
  EXPECT_FALSE(NextState(v1::COMPLAINT_STATE_RESOLUTION_ACCEPTED, Action::kReject).ok());
  EXPECT_FALSE(NextState(v1::COMPLAINT_STATE_EXECUTING, Action::kEscalate).ok());
}

TEST(WorkflowTest, ActiveStates) {
  EXPECT_TRUE(IsActive(v1::COMPLAINT_STATE_OPENED));
  EXPECT_TRUE(IsActive(v1::COMPLAINT_STATE_EXECUTING));
  EXPECT_FALSE(IsActive(v1::COMPLAINT_STATE_RESOLVED));
  EXPECT_FALSE(IsActive(v1::COMPLAINT_STATE_CLOSED));
  EXPECT_FALSE(IsActive(v1::COMPLAINT_STATE_REJECTED));
}

TEST(WorkflowTest, NamesAreDistinct) {
  std::set<std::string> names;
  for (Action a : AllActions()) names.insert(ActionName(a));
  EXPECT_EQ(names.size(), AllActions().size());
}

}  // namespace
}  // namespace revisit::complaint
