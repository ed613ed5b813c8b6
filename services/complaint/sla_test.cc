// SLA deadline arithmetic: C1 (24 h first response), C7 (promised updates), C16
// (priority by tier), business-hours calendar.
#include "services/complaint/sla.h"

#include <gtest/gtest.h>

#include "common/proto_time.h"

namespace revisit::complaint {
namespace {

// 2026-01-05 is a Monday. Times below are UTC; the calendar reads them at +08:00.
absl::Time Utc(int y, int mo, int d, int h, int mi = 0) {
  return absl::FromCivil(absl::CivilSecond(y, mo, d, h, mi, 0), absl::UTCTimeZone());
}
// Local (+08:00) wall time.
absl::Time Cn(int y, int mo, int d, int h, int mi = 0) {
  return absl::FromCivil(absl::CivilSecond(y, mo, d, h, mi, 0), absl::FixedTimeZone(8 * 3600));
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

struct CalCase {
  const char* name;
  absl::Time start;
  absl::Duration d;
  absl::Time want;
};

TEST(BusinessCalendarTest, AddsOnlyWorkingTime) {
  auto cal = BusinessCalendar::Parse("mon-fri 09:00-18:00; sat 10:00-12:00 | 2026-01-07 | +08:00");
  ASSERT_TRUE(cal.ok()) << cal.status();
  const CalCase cases[] = {
      {"within the day", Cn(2026, 1, 5, 10), absl::Hours(2), Cn(2026, 1, 5, 12)},
      {"before opening starts at 9", Cn(2026, 1, 5, 7), absl::Hours(1), Cn(2026, 1, 5, 10)},
      {"runs over to next day", Cn(2026, 1, 5, 17), absl::Hours(2), Cn(2026, 1, 6, 10)},
      {"exactly to closing", Cn(2026, 1, 5, 17), absl::Hours(1), Cn(2026, 1, 5, 18)},
      {"holiday Wednesday skipped", Cn(2026, 1, 6, 17), absl::Hours(2), Cn(2026, 1, 8, 10)},
      {"friday evening to saturday", Cn(2026, 1, 9, 19), absl::Hours(1), Cn(2026, 1, 10, 11)},
      {"saturday over sunday to monday", Cn(2026, 1, 10, 11), absl::Hours(2), Cn(2026, 1, 12, 10)},
      {"24 working hours", Cn(2026, 1, 5, 9), absl::Hours(24), Cn(2026, 1, 8, 15)},
      {"zero duration", Cn(2026, 1, 5, 3), absl::ZeroDuration(), Cn(2026, 1, 5, 3)},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(cal->Add(c.start, c.d), c.want) << c.name << ": got " << cal->Add(c.start, c.d);
  }
}

TEST(BusinessCalendarTest, DefaultIs24x7) {
  auto cal = BusinessCalendar::Parse("");
  ASSERT_TRUE(cal.ok());
  EXPECT_FALSE(cal->enabled);
  EXPECT_EQ(cal->Add(Utc(2026, 1, 10, 23), absl::Hours(3)), Utc(2026, 1, 11, 2));
  EXPECT_FALSE(BusinessCalendar::Parse("24x7")->enabled);
}

TEST(BusinessCalendarTest, BadTextNamesThePart) {
  for (const char* bad : {"mon-fri 9-18", "xyz 09:00-18:00", "mon-fri 18:00-09:00",
                          "mon 09:00-18:00 | 2026-13-01", "mon 09:00-10:00 | | 8",
                          "mon 09:00-10:00|a|b|c"}) {
    auto cal = BusinessCalendar::Parse(bad);
    EXPECT_FALSE(cal.ok()) << bad;
    EXPECT_NE(cal.status().message().find("business hours"), std::string::npos);
  }
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
