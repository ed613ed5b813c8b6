// SLA deadlines on a business calendar (C1 same business day and 24-hour ceiling,
// C16 priorities, resolution in business days) and the paused SLA clock.
#include <gtest/gtest.h>

#include "services/complaint/domain/calendar_file.h"
#include "common/proto_time.h"
#include "services/complaint/domain/sla.h"

namespace revisit::complaint {
namespace {

// A shop open mon-fri 09:00-18:00 in Shanghai with the 2026 National Day and
// Mid-Autumn holidays and their make-up days (as in deploy/calendars/cn-2026.cal).
constexpr char kCalendar[] =
    "zone Asia/Shanghai\nyear 2026\nhours mon-fri 09:00-18:00\n"
    "holiday 2026-09-25..2026-09-27 Mid-Autumn\n"
    "holiday 2026-10-01..2026-10-07 National Day\n"
    "workday 2026-09-20\nworkday 2026-10-10\n";

absl::Time Cn(int y, int mo, int d, int h, int mi = 0) {
  absl::TimeZone tz;
  absl::LoadTimeZone("Asia/Shanghai", &tz);
  return absl::FromCivil(absl::CivilSecond(y, mo, d, h, mi, 0), tz);
}

SlaPolicy ShopPolicy() {
  SlaPolicy p;
  auto cal = LoadCalendar({{"cn.cal", kCalendar}});
  EXPECT_TRUE(cal.ok()) << cal.status();
  if (cal.ok()) p.calendar = *cal;
  return p;
}

struct DueCase {
  const char* name;
  v1::Priority priority;
  absl::Time opened;
  absl::Time want;
};

TEST(SlaCalendarTest, C1_FirstResponseSameBusinessDayNeverLaterThan24Hours) {
  const SlaPolicy p = ShopPolicy();
  const DueCase cases[] = {
      {"friday 17:00: same day, not next wednesday", v1::PRIORITY_NORMAL, Cn(2026, 1, 9, 17), Cn(2026, 1, 9, 18)},
      {"monday morning", v1::PRIORITY_NORMAL, Cn(2026, 1, 12, 10), Cn(2026, 1, 12, 18)},
      {"friday 17:30: next business day, capped at 24 h", v1::PRIORITY_NORMAL, Cn(2026, 1, 9, 17, 30),
       Cn(2026, 1, 10, 17, 30)},
      {"friday evening before a make-up sunday: 24 h", v1::PRIORITY_NORMAL, Cn(2026, 9, 18, 19),
       Cn(2026, 9, 19, 19)},
      {"saturday 20:00 before a make-up sunday: its close", v1::PRIORITY_NORMAL, Cn(2026, 9, 19, 20),
       Cn(2026, 9, 20, 18)},
      {"golden week: 24 h", v1::PRIORITY_NORMAL, Cn(2026, 10, 1, 10), Cn(2026, 10, 2, 10)},
      {"C16 high: 8 working hours", v1::PRIORITY_HIGH, Cn(2026, 1, 12, 9), Cn(2026, 1, 12, 17)},
      {"C16 urgent: 2 working hours", v1::PRIORITY_URGENT, Cn(2026, 1, 12, 10), Cn(2026, 1, 12, 12)},
      {"C16 urgent late friday: next working hours, capped", v1::PRIORITY_URGENT, Cn(2026, 1, 9, 17, 30),
       Cn(2026, 1, 10, 17, 30)},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(p.FirstResponseDue(c.priority, c.opened), c.want)
        << c.name << ": got " << p.FirstResponseDue(c.priority, c.opened);
    EXPECT_LE(p.FirstResponseDue(c.priority, c.opened), c.opened + kFirstResponseCeiling) << c.name;
  }
}

TEST(SlaCalendarTest, C1_CeilingHoldsOn24x7Too) {
  SlaPolicy p;
  p.first_response[v1::PRIORITY_NORMAL] = absl::Hours(30);  // config refuses this; the policy caps it anyway
  const absl::Time t = Cn(2026, 1, 9, 17);
  EXPECT_EQ(p.FirstResponseDue(v1::PRIORITY_NORMAL, t), t + absl::Hours(24));
}

TEST(SlaCalendarTest, ResolutionCountsBusinessDays) {
  SlaPolicy p = ShopPolicy();
  // 7 business days from Wednesday 23 September: Mid-Autumn and Golden Week skipped,
  // the make-up Saturday 10 October counts.
  EXPECT_EQ(p.ResolutionDue(v1::PRIORITY_NORMAL, Cn(2026, 9, 23, 10)), Cn(2026, 10, 10, 18));
  EXPECT_EQ(p.ResolutionDue(v1::PRIORITY_URGENT, Cn(2026, 1, 9, 10)), Cn(2026, 1, 12, 18));
  // 1 day and 12 hours: the next business day's close plus 12 working hours.
  p.resolution[v1::PRIORITY_HIGH] = absl::Hours(36);
  EXPECT_EQ(p.ResolutionDue(v1::PRIORITY_HIGH, Cn(2026, 1, 9, 10)), Cn(2026, 1, 14, 12));
  // Less than a day: working time.
  p.resolution[v1::PRIORITY_HIGH] = absl::Hours(4);
  EXPECT_EQ(p.ResolutionDue(v1::PRIORITY_HIGH, Cn(2026, 1, 9, 16)), Cn(2026, 1, 12, 11));
}

TEST(SlaPauseTest, PauseStopsFirstResponseAndResolutionNotPromisedUpdates) {
  const SlaPolicy p = ShopPolicy();
  v1::Complaint c;
  const absl::Time paused = Cn(2026, 1, 12, 10);
  AddDeadline(c, kFirstResponse, paused + absl::Hours(5));
  AddDeadline(c, kResolution, Cn(2026, 1, 12, 18));
  AddDeadline(c, UpdateDeadlineName(1), paused + absl::Hours(1));
  AddDeadline(c, "met-one", paused);
  MeetDeadline(c, "met-one", paused);
  const auto stopped = PauseClock(c, v1::SLA_PAUSE_REASON_WAITING_ON_CUSTOMER, paused);
  ASSERT_EQ(stopped.size(), 2u);
  EXPECT_EQ(c.sla_pause().reason(), v1::SLA_PAUSE_REASON_WAITING_ON_CUSTOMER);
  EXPECT_FALSE(IsRunning(*FindDeadline(c, kResolution)));
  EXPECT_TRUE(IsOpen(*FindDeadline(c, kResolution)));
  EXPECT_TRUE(IsRunning(*FindDeadline(c, UpdateDeadlineName(1))));
  // A paused deadline is neither due nor at risk, however late it gets.
  EXPECT_FALSE(IsDue(c, kResolution, Cn(2026, 1, 20, 10)));
  AddDeadline(c, UpdateDeadlineName(1), paused + absl::Hours(24 * 30));  // only the paused ones are left at risk
  EXPECT_FALSE(AtRisk(c, Cn(2026, 1, 20, 10), absl::Hours(2)));

  // Resumed Tuesday 15:00: the first response has its 5 elapsed hours again, the
  // resolution its 8 working hours (Tue 15-18, Wed 09-14).
  const absl::Time resumed = Cn(2026, 1, 13, 15);
  auto [ended, moved] = ResumeClock(c, p, resumed);
  ASSERT_EQ(moved.size(), 2u);
  EXPECT_EQ(FromProto(FindDeadline(c, kFirstResponse)->due_at()), resumed + absl::Hours(5));
  EXPECT_EQ(FromProto(FindDeadline(c, kResolution)->due_at()), Cn(2026, 1, 14, 14));
  EXPECT_EQ(FindDeadline(c, kResolution)->paused_seconds(), absl::ToInt64Seconds(resumed - paused));
  EXPECT_TRUE(IsRunning(*FindDeadline(c, kResolution)));
  EXPECT_FALSE(c.has_sla_pause());
  ASSERT_EQ(c.sla_pauses_size(), 1);
  EXPECT_EQ(FromProto(c.sla_pauses(0).ended_at()), resumed);
  EXPECT_EQ(FromProto(ended.started_at()), paused);
}

TEST(SlaPauseTest, PausesAddUpAndMetDeadlinesKeepTheirDue) {
  const SlaPolicy p;  // 24x7
  v1::Complaint c;
  const absl::Time t0 = Cn(2026, 1, 12, 10);
  AddDeadline(c, kResolution, t0 + absl::Hours(10));
  AddDeadline(c, kFirstResponse, t0 + absl::Hours(10));
  PauseClock(c, v1::SLA_PAUSE_REASON_WAITING_ON_PLATFORM, t0);
  ResumeClock(c, p, t0 + absl::Hours(2));
  EXPECT_EQ(FromProto(FindDeadline(c, kResolution)->due_at()), t0 + absl::Hours(12));
  PauseClock(c, v1::SLA_PAUSE_REASON_WAITING_ON_CUSTOMER, t0 + absl::Hours(3));
  MeetDeadline(c, kFirstResponse, t0 + absl::Hours(4));
  ResumeClock(c, p, t0 + absl::Hours(6));
  EXPECT_EQ(FromProto(FindDeadline(c, kResolution)->due_at()), t0 + absl::Hours(15));
  EXPECT_EQ(FindDeadline(c, kResolution)->paused_seconds(), 5 * 3600);
  EXPECT_EQ(FromProto(FindDeadline(c, kFirstResponse)->due_at()), t0 + absl::Hours(12));
  EXPECT_FALSE(IsSet(FindDeadline(c, kFirstResponse)->paused_since()));
  EXPECT_EQ(c.sla_pauses_size(), 2);
  EXPECT_EQ(c.sla_pauses(0).reason(), v1::SLA_PAUSE_REASON_WAITING_ON_PLATFORM);
}

TEST(SlaPauseTest, PauseReasonFollowsTheState) {
  EXPECT_EQ(PauseReasonFor(v1::COMPLAINT_STATE_RESOLUTION_PROPOSED), v1::SLA_PAUSE_REASON_WAITING_ON_CUSTOMER);
  EXPECT_EQ(PauseReasonFor(v1::COMPLAINT_STATE_ESCALATED), v1::SLA_PAUSE_REASON_WAITING_ON_PLATFORM);
  for (auto s : {v1::COMPLAINT_STATE_OPENED, v1::COMPLAINT_STATE_INVESTIGATING, v1::COMPLAINT_STATE_RESOLUTION_ACCEPTED,
                 v1::COMPLAINT_STATE_RESOLVED, v1::COMPLAINT_STATE_REJECTED}) {
    EXPECT_EQ(PauseReasonFor(s), v1::SLA_PAUSE_REASON_UNSPECIFIED) << s;
  }
}

}  // namespace
}  // namespace revisit::complaint
