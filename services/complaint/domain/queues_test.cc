// Work queues: membership, order by the next running deadline, cursors.
#include "services/complaint/domain/queues.h"

#include <gtest/gtest.h>

#include "common/proto_time.h"
#include "services/complaint/domain/sla.h"

namespace revisit::complaint {
namespace {

const absl::Time kT0 = absl::FromUnixSeconds(1767225600);  // 2026-01-01T00:00:00Z

v1::Complaint Active() {
  v1::Complaint c;
  c.set_complaint_id("cmp-01-1");
  c.set_state(v1::COMPLAINT_STATE_INVESTIGATING);
  return c;
}

TEST(QueuesTest, MembershipFollowsOwnerTeamAndEscalation) {
  v1::Complaint c = Active();
  EXPECT_EQ(QueuesOf(c), std::vector<std::string>{"unassigned"});
  c.set_team("returns");
  EXPECT_EQ(QueuesOf(c), (std::vector<std::string>{"unassigned", "team:returns"}));
  c.set_assignee("agent-7");
  c.set_in_supervisor_queue(true);
  EXPECT_EQ(QueuesOf(c), (std::vector<std::string>{"agent:agent-7", "team:returns", "supervisor"}));
  for (auto s : {v1::COMPLAINT_STATE_RESOLVED, v1::COMPLAINT_STATE_CLOSED, v1::COMPLAINT_STATE_REJECTED,
                 v1::COMPLAINT_STATE_FOLLOWED_UP}) {
    c.set_state(s);
    EXPECT_TRUE(QueuesOf(c).empty()) << v1::ComplaintState_Name(s);
  }
}

TEST(QueuesTest, ScoreIsTheSoonestRunningShopDeadline) {
  v1::Complaint c = Active();
  EXPECT_EQ(QueueScore(c), kNoDeadlineScore);
  AddDeadline(c, kResolution, kT0 + absl::Hours(5));
  AddDeadline(c, UpdateDeadlineName(1), kT0 + absl::Hours(3));
  AddDeadline(c, kFollowUp, kT0 + absl::Hours(1));  // the customer's window: not the shop's
  AddDeadline(c, kFirstResponse, kT0 + absl::Hours(2));
  MeetDeadline(c, kFirstResponse, kT0);
  EXPECT_EQ(QueueScore(c), absl::ToUnixMillis(kT0 + absl::Hours(3)));
  FindDeadline(c, UpdateDeadlineName(1))->set_breached(true);  // overdue: still first
  EXPECT_EQ(QueueScore(c), absl::ToUnixMillis(kT0 + absl::Hours(3)));
  MeetDeadline(c, UpdateDeadlineName(1), kT0);
  PauseClock(c, v1::SLA_PAUSE_REASON_WAITING_ON_CUSTOMER, kT0);  // resolution stands still
  EXPECT_EQ(QueueScore(c), kNoDeadlineScore);
}

TEST(QueuesTest, ExactlyOneQueueIsNamed) {
  v1::ListQueueRequest req;
  EXPECT_EQ(QueueOf(req).status().code(), absl::StatusCode::kInvalidArgument);
  req.set_agent_id("agent-7");
  EXPECT_EQ(*QueueOf(req), "agent:agent-7");
  req.set_supervisor(true);
  auto two = QueueOf(req);
  EXPECT_EQ(two.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(two.status().message().find("exactly one"), std::string::npos);
  req.clear_agent_id();
  EXPECT_EQ(*QueueOf(req), "supervisor");
  req.set_supervisor(false);
  req.set_unassigned(true);
  EXPECT_EQ(*QueueOf(req), "unassigned");
  req.set_unassigned(false);
  req.set_team(std::string(65, 't'));
  EXPECT_NE(QueueOf(req).status().message().find("team"), std::string::npos);
}

TEST(QueuesTest, CursorRoundTripsAndOrdersTies) {
  const QueueCursor c{1767225600000.0, "cmp-03-9"};
  auto back = DecodeCursor(EncodeCursor(c));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->score, c.score);
  EXPECT_EQ(back->complaint_id, c.complaint_id);
  EXPECT_TRUE(After(c, c.score + 1, "cmp-00-1"));
  EXPECT_TRUE(After(c, c.score, "cmp-04-1"));
  EXPECT_FALSE(After(c, c.score, "cmp-03-9"));
  EXPECT_FALSE(After(c, c.score - 1, "cmp-09-9"));
  for (const char* bad : {"", "12", "x|cmp", "12|", "-5|cmp", "99999999999999999|cmp"}) {
    auto d = DecodeCursor(bad);
    EXPECT_EQ(d.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_NE(d.status().message().find("page.page_token"), std::string::npos);
  }
}

}  // namespace
}  // namespace revisit::complaint
