// BusinessCalendar arithmetic on real zones and the shipped mainland-China calendars:
// make-up working days (调休), long holidays (Golden Week, Spring Festival), year
// ends across files, DST days in America/New_York.
#include "services/complaint/domain/business_calendar.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "services/complaint/domain/calendar_file.h"

namespace revisit::complaint {
namespace {

std::string ReadShipped(const std::string& name) {
  std::ifstream in(std::string(REVISIT_SOURCE_DIR) + "/deploy/calendars/" + name);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

BusinessCalendar China(bool with_2027 = true) {
  std::vector<CalendarSource> files = {{"cn-2026.cal", ReadShipped("cn-2026.cal")}};
  if (with_2027) files.push_back({"cn-2027.cal", ReadShipped("cn-2027.cal")});
  auto cal = LoadCalendar(files);
  EXPECT_TRUE(cal.ok()) << cal.status();
  return cal.ok() ? *cal : BusinessCalendar();
}

absl::TimeZone Zone(const std::string& name) {
  absl::TimeZone tz;
  EXPECT_TRUE(absl::LoadTimeZone(name, &tz)) << name;
  return tz;
}

absl::Time At(const absl::TimeZone& tz, int y, int mo, int d, int h, int mi = 0) {
  return absl::FromCivil(absl::CivilSecond(y, mo, d, h, mi, 0), tz);
}

absl::Time Cn(int y, int mo, int d, int h, int mi = 0) { return At(Zone("Asia/Shanghai"), y, mo, d, h, mi); }

TEST(ShippedCalendarTest, ChinaFilesLoadWithHolidaysAndMakeUpDays) {
  BusinessCalendar cal = China();
  EXPECT_FALSE(cal.always_open());
  EXPECT_EQ(cal.years(), (std::vector<int>{2026, 2027}));
  EXPECT_TRUE(cal.HoursOn(absl::CivilDay(2026, 2, 16)).empty());   // Spring Festival, a Monday
  EXPECT_FALSE(cal.HoursOn(absl::CivilDay(2026, 2, 14)).empty());  // make-up Saturday
  EXPECT_FALSE(cal.HoursOn(absl::CivilDay(2026, 9, 20)).empty());  // make-up Sunday
  EXPECT_TRUE(cal.HoursOn(absl::CivilDay(2026, 10, 5)).empty());   // Golden Week Monday
  EXPECT_TRUE(cal.HoursOn(absl::CivilDay(2026, 9, 19)).empty());   // an ordinary Saturday
  EXPECT_FALSE(cal.HoursOn(absl::CivilDay(2026, 9, 18)).empty());  // an ordinary Friday
  EXPECT_TRUE(cal.HoursOn(absl::CivilDay(2027, 1, 1)).empty());    // from the 2027 file
}

struct AddCase {
  const char* name;
  absl::Time start;
  absl::Duration d;
  absl::Time want;
};

TEST(BusinessCalendarTest, AddWorkingOnTheChinaCalendar) {
  BusinessCalendar cal = China();
  const AddCase cases[] = {
      {"within the day", Cn(2026, 1, 12, 10), absl::Hours(2), Cn(2026, 1, 12, 12)},
      {"before opening starts at 9", Cn(2026, 1, 12, 7), absl::Hours(1), Cn(2026, 1, 12, 10)},
      {"exactly to closing", Cn(2026, 1, 12, 17), absl::Hours(1), Cn(2026, 1, 12, 18)},
      {"friday evening over the weekend", Cn(2026, 1, 9, 17), absl::Hours(2), Cn(2026, 1, 12, 10)},
      {"friday evening before a make-up sunday", Cn(2026, 9, 18, 19), absl::Hours(1), Cn(2026, 9, 20, 10)},
      {"golden week skipped", Cn(2026, 9, 30, 17), absl::Hours(2), Cn(2026, 10, 8, 10)},
      {"spring festival: make-up saturday first", Cn(2026, 2, 13, 17), absl::Hours(2), Cn(2026, 2, 14, 10)},
      {"spring festival: nine days closed", Cn(2026, 2, 14, 17), absl::Hours(2), Cn(2026, 2, 24, 10)},
      {"year end into the 2027 file", Cn(2026, 12, 31, 17), absl::Hours(2), Cn(2027, 1, 4, 10)},
      {"new year's make-up sunday", Cn(2025, 12, 31, 17), absl::Hours(2), Cn(2026, 1, 4, 10)},
      {"zero duration", Cn(2026, 1, 10, 3), absl::ZeroDuration(), Cn(2026, 1, 10, 3)},
      {"a full working week", Cn(2026, 1, 12, 9), absl::Hours(45), Cn(2026, 1, 16, 18)},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(cal.AddWorking(c.start, c.d), c.want) << c.name << ": got " << cal.AddWorking(c.start, c.d);
  }
}

TEST(BusinessCalendarTest, UncoveredYearUsesNearestWeeklyHoursWithoutHolidays) {
  BusinessCalendar only_2026 = China(/*with_2027=*/false);
  // 2027-01-01 is a Friday: without the 2027 file it is an ordinary working day.
  EXPECT_EQ(only_2026.AddWorking(Cn(2026, 12, 31, 17), absl::Hours(2)), Cn(2027, 1, 1, 10));
  // 2025 takes 2026's weekly hours: a Monday is open.
  EXPECT_FALSE(only_2026.HoursOn(absl::CivilDay(2025, 6, 2)).empty());
}

TEST(BusinessCalendarTest, WorkingBetweenIsTheInverseOfAddWorking) {
  BusinessCalendar cal = China();
  const absl::Time from = Cn(2026, 9, 30, 10);
  for (absl::Duration d : {absl::Minutes(1), absl::Hours(8), absl::Hours(9), absl::Hours(30), absl::Hours(100)}) {
    EXPECT_EQ(cal.WorkingBetween(from, cal.AddWorking(from, d)), d) << d;
  }
  EXPECT_EQ(cal.WorkingBetween(Cn(2026, 10, 1, 0), Cn(2026, 10, 8, 0)), absl::ZeroDuration());
  EXPECT_EQ(cal.WorkingBetween(Cn(2026, 1, 12, 12), Cn(2026, 1, 12, 11)), absl::ZeroDuration());
}

TEST(BusinessCalendarTest, SameBusinessDayClose) {
  BusinessCalendar cal = China();
  const absl::Duration hour = absl::Hours(1);
  EXPECT_EQ(cal.SameBusinessDayClose(Cn(2026, 1, 9, 10), hour), Cn(2026, 1, 9, 18));
  EXPECT_EQ(cal.SameBusinessDayClose(Cn(2026, 1, 9, 17), hour), Cn(2026, 1, 9, 18));
  // Less than the minimum left: the next business day.
  EXPECT_EQ(cal.SameBusinessDayClose(Cn(2026, 1, 9, 17, 30), hour), Cn(2026, 1, 12, 18));
  EXPECT_EQ(cal.SameBusinessDayClose(Cn(2026, 9, 18, 19), hour), Cn(2026, 9, 20, 18));
  EXPECT_EQ(cal.SameBusinessDayClose(Cn(2026, 10, 1, 8), hour), Cn(2026, 10, 8, 18));
  EXPECT_EQ(cal.SameBusinessDayClose(Cn(2026, 1, 12, 6), hour), Cn(2026, 1, 12, 18));
}

TEST(BusinessCalendarTest, CloseOfNthBusinessDay) {
  BusinessCalendar cal = China();
  // Opened Wednesday before Mid-Autumn and Golden Week: Thu 24, Mon 28, Tue 29,
  // Wed 30, Thu Oct 8, Fri Oct 9, make-up Sat Oct 10.
  EXPECT_EQ(cal.CloseOfNthBusinessDay(Cn(2026, 9, 23, 10), 7), Cn(2026, 10, 10, 18));
  EXPECT_EQ(cal.CloseOfNthBusinessDay(Cn(2026, 9, 23, 10), 1), Cn(2026, 9, 24, 18));
  BusinessCalendar always;
  EXPECT_EQ(always.CloseOfNthBusinessDay(Cn(2026, 9, 23, 10), 2), Cn(2026, 9, 25, 10));
}

BusinessCalendar NewYork(const std::string& hours) {
  auto cal = LoadCalendar({{"us.cal", "zone America/New_York\nyear 2026\nhours " + hours + "\n"}});
  EXPECT_TRUE(cal.ok()) << cal.status();
  return cal.ok() ? *cal : BusinessCalendar();
}

TEST(BusinessCalendarTest, DaylightSavingDaysAreShorterAndLonger) {
  const absl::TimeZone ny = Zone("America/New_York");
  BusinessCalendar round = NewYork("mon-sun 00:00-24:00");
  // 2026-03-08: clocks jump 02:00 -> 03:00 (a 23-hour day); 2026-11-01: 02:00 -> 01:00 (25 hours).
  EXPECT_EQ(round.WorkingBetween(At(ny, 2026, 3, 8, 0), At(ny, 2026, 3, 9, 0)), absl::Hours(23));
  EXPECT_EQ(round.WorkingBetween(At(ny, 2026, 11, 1, 0), At(ny, 2026, 11, 2, 0)), absl::Hours(25));
  // Working time is elapsed time: 24 h from Saturday noon is Sunday 13:00 wall time.
  EXPECT_EQ(round.AddWorking(At(ny, 2026, 3, 7, 12), absl::Hours(24)), At(ny, 2026, 3, 8, 13));
  EXPECT_EQ(round.AddWorking(At(ny, 2026, 10, 31, 12), absl::Hours(24)), At(ny, 2026, 11, 1, 11));
}

TEST(BusinessCalendarTest, OpeningHoursKeepTheirWallTimeAcrossDst) {
  const absl::TimeZone ny = Zone("America/New_York");
  BusinessCalendar office = NewYork("mon-fri 09:00-17:00");
  // Friday 16:00 EST + 2 working hours = Monday 10:00 EDT (opening still at 09:00).
  EXPECT_EQ(office.AddWorking(At(ny, 2026, 3, 6, 16), absl::Hours(2)), At(ny, 2026, 3, 9, 10));
  EXPECT_EQ(office.AddWorking(At(ny, 2026, 10, 30, 16), absl::Hours(2)), At(ny, 2026, 11, 2, 10));
  // A shop open 01:00-03:00 on the fall-back Sunday works three hours that night.
  BusinessCalendar night = NewYork("sun 01:00-03:00");
  EXPECT_EQ(night.WorkingBetween(At(ny, 2026, 11, 1, 0), At(ny, 2026, 11, 2, 0)), absl::Hours(3));
}

TEST(BusinessCalendarTest, DefaultIs24x7) {
  BusinessCalendar cal;
  EXPECT_TRUE(cal.always_open());
  EXPECT_TRUE(cal.years().empty());
  const absl::Time t = Cn(2026, 1, 10, 23);
  EXPECT_EQ(cal.AddWorking(t, absl::Hours(3)), t + absl::Hours(3));
  EXPECT_EQ(cal.WorkingBetween(t, t + absl::Hours(3)), absl::Hours(3));
  EXPECT_EQ(cal.SameBusinessDayClose(t, absl::Hours(1)), t + absl::Hours(1));
}

}  // namespace
}  // namespace revisit::complaint
