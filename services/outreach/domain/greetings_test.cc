// R3 greetings and R9 check-ins: calendar decisions (greetings.h), with time zones,
// Feb 29 and holiday parsing.
#include "gtest/gtest.h"
#include "services/outreach/domain/greetings.h"
#include "services/outreach/domain/messages.h"

namespace revisit::outreach {
namespace {

constexpr int k10 = 10 * 60, k21 = 21 * 60;

absl::TimeZone Zone(const char* name) {
  absl::TimeZone tz;
  EXPECT_TRUE(absl::LoadTimeZone(name, &tz)) << name;
  return tz;
}
absl::Time At(const absl::TimeZone& tz, int y, int m, int d, int hh = 0, int mm = 0) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, hh, mm, 0), tz);
}

TEST(ParseHolidays, ParsesNamesWithSpaces) {
  auto h = ParseHolidays(" 2027-02-06:Spring Festival , 2026-10-01:National Day");
  ASSERT_TRUE(h.ok()) << h.status();
  ASSERT_EQ(h->size(), 2u);
  EXPECT_EQ((*h)[0].date, absl::CivilDay(2027, 2, 6));
  EXPECT_EQ((*h)[0].name, "Spring Festival");
  EXPECT_EQ(HolidaySource((*h)[1]), "holiday-2026-10-01");
  EXPECT_TRUE(ParseHolidays("")->empty());
}

TEST(ParseHolidays, RejectsBadEntriesNamingThem) {
  for (const char* bad : {"2026-02-30:Nope", "2026-1-01:Short", "2026-10-01", "2026-10-01:",
                          "tomorrow:Party", "2026-10-01:A,2026-10-01:B"}) {
    auto h = ParseHolidays(bad);
    EXPECT_EQ(h.status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
  EXPECT_NE(ParseHolidays("2026-13-01:X").status().message().find("2026-13-01"),
            std::string::npos);
}

TEST(BirthdayIn, Feb29FallsOnFeb28InNonLeapYears) {
  EXPECT_EQ(*BirthdayIn(2027, 2, 29), absl::CivilDay(2027, 2, 28));
  EXPECT_EQ(*BirthdayIn(2028, 2, 29), absl::CivilDay(2028, 2, 29));
  EXPECT_EQ(*BirthdayIn(2100, 2, 29), absl::CivilDay(2100, 2, 28));  // not a leap year
  EXPECT_EQ(*BirthdayIn(2026, 12, 31), absl::CivilDay(2026, 12, 31));
  EXPECT_FALSE(BirthdayIn(2026, 0, 0));  // unknown
  EXPECT_FALSE(BirthdayIn(2026, 4, 31));
  EXPECT_FALSE(BirthdayIn(2026, 13, 1));
}

TEST(NextBirthday, MorningOfTheBirthdayInTheCustomersZone) {
  const absl::TimeZone sh = Zone("Asia/Shanghai");
  auto b = NextBirthday(6, 15, sh, At(sh, 2026, 3, 1, 12), k10, k21);
  ASSERT_TRUE(b);
  EXPECT_EQ(b->year, 2026);
  EXPECT_EQ(b->due, At(sh, 2026, 6, 15, 10));
  // The same birthday in New York is a different instant.
  const absl::TimeZone ny = Zone("America/New_York");
  auto n = NextBirthday(6, 15, ny, At(sh, 2026, 3, 1, 12), k10, k21);
  EXPECT_EQ(n->due, At(ny, 2026, 6, 15, 10));
  EXPECT_EQ(n->due - b->due, absl::Hours(12));  // EDT is UTC-4, Shanghai UTC+8
}

TEST(NextBirthday, OnTheDayLaterThanMorningIsNowUntilQuietHours) {
  const absl::TimeZone tz = Zone("Europe/Berlin");
  auto b = NextBirthday(6, 15, tz, At(tz, 2026, 6, 15, 14, 30), k10, k21);
  EXPECT_EQ(b->year, 2026);
  EXPECT_EQ(b->due, At(tz, 2026, 6, 15, 14, 30));
  auto late = NextBirthday(6, 15, tz, At(tz, 2026, 6, 15, 21, 0), k10, k21);
  EXPECT_EQ(late->year, 2027) << "too late to greet today: next year, never a day late";
  EXPECT_EQ(late->due, At(tz, 2027, 6, 15, 10));
  EXPECT_EQ(NextBirthday(6, 15, tz, At(tz, 2026, 6, 16, 9), k10, k21)->year, 2027);
}

TEST(NextBirthday, MinYearSkipsTheYearAlreadyGreeted) {
  const absl::TimeZone tz = absl::UTCTimeZone();
  auto b = NextBirthday(6, 15, tz, At(tz, 2026, 6, 15, 10), k10, k21, 2027);
  EXPECT_EQ(b->year, 2027);
  EXPECT_EQ(b->due, At(tz, 2027, 6, 15, 10));
}

TEST(NextBirthday, Feb29AcrossYears) {
  const absl::TimeZone tz = absl::UTCTimeZone();
  auto b = NextBirthday(2, 29, tz, At(tz, 2027, 1, 1), k10, k21);
  EXPECT_EQ(b->due, At(tz, 2027, 2, 28, 10));
  auto next = NextBirthday(2, 29, tz, b->due, k10, k21, b->year + 1);
  EXPECT_EQ(next->due, At(tz, 2028, 2, 29, 10));
  EXPECT_FALSE(NextBirthday(0, 0, tz, At(tz, 2027, 1, 1), k10, k21));
}

TEST(NextBirthday, DaylightSavingDayStillTenLocal) {
  // 2026-03-08 is the US spring-forward day: 10:00 local exists and is EDT.
  const absl::TimeZone ny = Zone("America/New_York");
  auto b = NextBirthday(3, 8, ny, At(ny, 2026, 3, 1), k10, k21);
  EXPECT_EQ(b->due, absl::FromCivil(absl::CivilSecond(2026, 3, 8, 14, 0, 0), absl::UTCTimeZone()));
}

TEST(HolidaysDue, OnlyUpcomingWithinLookaheadAtLocalMorning) {
  auto hs = *ParseHolidays("2026-10-01:National Day,2026-09-01:Past,2026-12-25:Far");
  const absl::TimeZone sh = Zone("Asia/Shanghai");
  auto due = HolidaysDue(hs, sh, At(sh, 2026, 9, 30, 8), absl::Hours(48), k10, k21);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].holiday->name, "National Day");
  EXPECT_EQ(due[0].due, At(sh, 2026, 10, 1, 10));
  // On the day after the morning: now; after quiet hours start: gone.
  EXPECT_EQ(HolidaysDue(hs, sh, At(sh, 2026, 10, 1, 15), absl::Hours(48), k10, k21)[0].due,
            At(sh, 2026, 10, 1, 15));
  EXPECT_TRUE(HolidaysDue(hs, sh, At(sh, 2026, 10, 1, 21), absl::Hours(48), k10, k21).empty());
  // Too far ahead for this sweep.
  EXPECT_TRUE(HolidaysDue(hs, sh, At(sh, 2026, 9, 20), absl::Hours(48), k10, k21).empty());
}

TEST(CheckIn, DueOnlyAfterTheSilencePeriodOncePerPeriod) {
  const absl::Duration after = absl::Hours(24 * 180);
  const absl::Time last = absl::FromUnixSeconds(1767225600);  // 2026-01-01
  EXPECT_FALSE(CheckInPeriod(last, last + after - absl::Seconds(1), after));
  auto p = CheckInPeriod(last, last + after, after);
  ASSERT_TRUE(p);
  // Within the same period the source is the same: one touch per period.
  EXPECT_EQ(CheckInSource(*p), CheckInSource(*CheckInPeriod(last, last + after + absl::Hours(1), after)));
  EXPECT_NE(*p, *CheckInPeriod(last, last + 2 * after + absl::Hours(1), after));
  EXPECT_EQ(CheckInSource(7), "check-in-7");
  EXPECT_FALSE(CheckInPeriod(last, last + after, absl::ZeroDuration()));
}

TEST(Messages, BirthdayNamesTheGiftAndThePurchase) {
  MessageFacts f;
  f.products = {"Silk scarf"};
  f.voucher = "CNY 10.00 voucher vch-1";
  f.locale = "en";
  const std::string m =
      ComposeMessage(BuiltInTemplates(RulesTable::Defaults()), "birthday", f);
  EXPECT_NE(m.find("CNY 10.00 voucher vch-1"), std::string::npos) << m;
  EXPECT_NE(m.find("Silk scarf"), std::string::npos) << m;
}

}  // namespace
}  // namespace revisit::outreach
