// SLA deadline arithmetic: C1 (24 h first response), C7 (promised updates), C16
// (priority by tier) on the 24x7 calendar; business calendars in sla_calendar_test.cc.
#include "services/complaint/domain/sla.h"

#include <gtest/gtest.h>

#include "common/proto_time.h"

namespace revisit::complaint {
namespace {

// 2026-01-05 is a Monday. Times below are UTC; the calendar reads them at +08:00.
absl::Time Utc(int y, int mo, int d, int h, int mi = 0) {
  return absl::FromCivil(absl::CivilSecond(y, mo, d, h, mi, 0), absl::UTCTimeZone());
}

TEST(SlaPolicyTest, C1_DefaultFirstResponse24hOn24x7) {
  SlaPolicy p;
  absl::Time t = Utc(2026, 1, 5, 10);
  EXPECT_EQ(p.FirstResponseDue(v1::PRIORITY_NORMAL, t), t + absl::Hours(24));
  EXPECT_EQ(p.ResolutionDue(v1::PRIORITY_NORMAL, t), t + absl::Hours(24 * 7));
}

TEST(SlaPolicyTest, C16_StricterPerPriority) {
  SlaPolicy p;
  absl::Time t = Utc(2026, 1, 5, 10);
  EXPECT_EQ(p.FirstResponseDue(v1::PRIORITY_HIGH, t), t + absl::Hours(8));
  EXPECT_EQ(p.FirstResponseDue(v1::PRIORITY_URGENT, t), t + absl::Hours(2));
  EXPECT_LT(p.ResolutionDue(v1::PRIORITY_URGENT, t), p.ResolutionDue(v1::PRIORITY_HIGH, t));
}

TEST(SlaPolicyTest, C16_PriorityFromTierUnlessRequested) {
  SlaPolicy p;
  EXPECT_EQ(p.PriorityFor(v1::PRIORITY_UNSPECIFIED, loyalty::v1::TIER_PLATINUM), v1::PRIORITY_URGENT);
  EXPECT_EQ(p.PriorityFor(v1::PRIORITY_UNSPECIFIED, loyalty::v1::TIER_GOLD), v1::PRIORITY_HIGH);
  EXPECT_EQ(p.PriorityFor(v1::PRIORITY_UNSPECIFIED, loyalty::v1::TIER_SILVER), v1::PRIORITY_NORMAL);
  EXPECT_EQ(p.PriorityFor(v1::PRIORITY_UNSPECIFIED, loyalty::v1::TIER_UNSPECIFIED), v1::PRIORITY_NORMAL);
  EXPECT_EQ(p.PriorityFor(v1::PRIORITY_NORMAL, loyalty::v1::TIER_PLATINUM), v1::PRIORITY_NORMAL);
}

TEST(DeadlineTest, C7_PromisedUpdatesMeetEarliestFirst) {
  v1::Complaint c;
  absl::Time t0 = Utc(2026, 1, 5, 10);
  AddDeadline(c, UpdateDeadlineName(1), t0 + absl::Hours(5));
  AddDeadline(c, UpdateDeadlineName(2), t0 + absl::Hours(3));
  ASSERT_EQ(EarliestOpenUpdate(c)->name(), "update-2");
  EXPECT_TRUE(MeetDeadline(c, "update-2", t0));
  EXPECT_FALSE(MeetDeadline(c, "update-2", t0));  // already met
  EXPECT_EQ(EarliestOpenUpdate(c)->name(), "update-1");
  EXPECT_TRUE(MeetDeadline(c, "update-1", t0));
  EXPECT_EQ(EarliestOpenUpdate(c), nullptr);
}

TEST(DeadlineTest, C1_DueExactlyAtDeadlineNotBefore) {
  v1::Complaint c;
  absl::Time due = Utc(2026, 1, 6, 10);
  AddDeadline(c, kFirstResponse, due);
  EXPECT_FALSE(IsDue(c, kFirstResponse, due - absl::Milliseconds(1)));
  EXPECT_TRUE(IsDue(c, kFirstResponse, due));
  EXPECT_TRUE(AtRisk(c, due - absl::Hours(1), absl::Hours(2)));
  EXPECT_FALSE(AtRisk(c, due - absl::Hours(3), absl::Hours(2)));
  MeetDeadline(c, kFirstResponse, due - absl::Hours(1));
  EXPECT_FALSE(IsDue(c, kFirstResponse, due));
  EXPECT_FALSE(AtRisk(c, due, absl::Hours(2)));
}

TEST(DeadlineTest, SettleMeetsOpenOnes) {
  v1::Complaint c;
  absl::Time t0 = Utc(2026, 1, 5, 10);
  AddDeadline(c, kFirstResponse, t0);
  FindDeadline(c, kFirstResponse)->set_breached(true);
  AddDeadline(c, kResolution, t0 + absl::Hours(1));
  SettleOpenDeadlines(c, t0);
  EXPECT_FALSE(IsSet(FindDeadline(c, kFirstResponse)->met_at()));
  EXPECT_TRUE(IsSet(FindDeadline(c, kResolution)->met_at()));
}

}  // namespace
}  // namespace revisit::complaint
