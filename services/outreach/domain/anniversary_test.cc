// R3 anniversaries (greetings.h AnniversaryDueAt): the day, the year count, once a
// year, the Feb 29 rule, time zones, the quiet-hours cut-off and the look-ahead.
#include "gtest/gtest.h"
#include "services/outreach/domain/greetings.h"
#include "services/outreach/domain/messages.h"

namespace revisit::outreach {
namespace {

constexpr int k10 = 10 * 60, k21 = 21 * 60;
const absl::Duration kAhead = absl::Hours(12);

absl::TimeZone Zone(const char* name) {
  absl::TimeZone tz;
  EXPECT_TRUE(absl::LoadTimeZone(name, &tz)) << name;
  return tz;
}
absl::Time At(const absl::TimeZone& tz, int y, int m, int d, int hh = 0, int mm = 0) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, hh, mm, 0), tz);
}
std::optional<AnniversaryDue> Due(absl::CivilDay origin, const absl::TimeZone& tz, absl::Time now,
                                  absl::Duration ahead = kAhead) {
  return AnniversaryDueAt(origin, tz, now, ahead, k10, k21);
}

TEST(Anniversary, DueOnTheDayWithTheYearCountAtTheGreetingTime) {
  const absl::TimeZone tz = Zone("Asia/Shanghai");
  auto d = Due(absl::CivilDay(2023, 5, 20), tz, At(tz, 2026, 5, 20, 0));
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->year, 2026);
  EXPECT_EQ(d->years, 3);
  EXPECT_EQ(d->due, At(tz, 2026, 5, 20, 10));
}

TEST(Anniversary, LaterInTheDayIsDueNowUntilQuietHours) {
  const absl::TimeZone tz = absl::UTCTimeZone();
  const absl::CivilDay origin(2025, 5, 20);
  auto d = Due(origin, tz, At(tz, 2026, 5, 20, 15));
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->due, At(tz, 2026, 5, 20, 15));
  EXPECT_EQ(d->years, 1);
  EXPECT_FALSE(Due(origin, tz, At(tz, 2026, 5, 20, 21)).has_value()) << "missed: never late";
  EXPECT_FALSE(Due(origin, tz, At(tz, 2026, 5, 21, 9)).has_value()) << "the day after";
}

TEST(Anniversary, NotDueBeyondTheLookaheadNorOnOtherDays) {
  const absl::TimeZone tz = absl::UTCTimeZone();
  const absl::CivilDay origin(2024, 5, 20);
  EXPECT_FALSE(Due(origin, tz, At(tz, 2026, 5, 19, 9)).has_value()) << "25 h ahead";
  auto d = Due(origin, tz, At(tz, 2026, 5, 19, 23));
  ASSERT_TRUE(d.has_value()) << "11 h ahead, inside the look-ahead";
  EXPECT_EQ(d->due, At(tz, 2026, 5, 20, 10));
  for (int m = 1; m <= 12; ++m) {
    if (m == 5) continue;
    EXPECT_FALSE(Due(origin, tz, At(tz, 2026, m, 20, 12)).has_value()) << m;
  }
}

TEST(Anniversary, NeverInTheOriginYearAFirstYearIsNeeded) {
  const absl::TimeZone tz = absl::UTCTimeZone();
  EXPECT_FALSE(Due(absl::CivilDay(2026, 5, 20), tz, At(tz, 2026, 5, 20, 12)).has_value());
  EXPECT_FALSE(Due(absl::CivilDay(2026, 3, 1), tz, At(tz, 2026, 5, 20, 12)).has_value());
  EXPECT_FALSE(Due(absl::CivilDay(2027, 5, 20), tz, At(tz, 2026, 5, 20, 12)).has_value())
      << "an origin in the future (clock skew) is not greeted";
}

TEST(Anniversary, OncePerYearTheCalendarYearNamesTheTouch) {
  const absl::TimeZone tz = absl::UTCTimeZone();
  const absl::CivilDay origin(2020, 8, 8);
  auto a = Due(origin, tz, At(tz, 2026, 8, 8, 10));
  auto b = Due(origin, tz, At(tz, 2026, 8, 8, 18));
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->year, b->year);
  EXPECT_EQ(AnniversarySource(AnniversaryKind::kRegistration, a->year),
            "anniversary-registration-2026");
  EXPECT_EQ(AnniversarySource(AnniversaryKind::kFirstPurchase, a->year),
            "anniversary-first-purchase-2026");
  auto next = Due(origin, tz, At(tz, 2027, 8, 8, 10));
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(next->year, 2027);
  EXPECT_EQ(next->years, 7);
}

TEST(Anniversary, Feb29IsGreetedOnFeb28InNonLeapYearsAndFeb29InLeapYears) {
  const absl::TimeZone tz = absl::UTCTimeZone();
  const absl::CivilDay origin(2024, 2, 29);
  auto d = Due(origin, tz, At(tz, 2027, 2, 28, 11));
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->years, 3);
  EXPECT_FALSE(Due(origin, tz, At(tz, 2027, 3, 1, 11)).has_value()) << "never a day late";
  EXPECT_FALSE(Due(origin, tz, At(tz, 2028, 2, 28, 11)).has_value()) << "leap year: Feb 29";
  auto leap = Due(origin, tz, At(tz, 2028, 2, 29, 11));
  ASSERT_TRUE(leap.has_value());
  EXPECT_EQ(leap->years, 4);
}

TEST(Anniversary, NewYearsEveLooksAheadIntoTheNextYear) {
  const absl::TimeZone tz = absl::UTCTimeZone();
  auto d = Due(absl::CivilDay(2024, 1, 1), tz, At(tz, 2026, 12, 31, 23));
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->year, 2027);
  EXPECT_EQ(d->years, 3);
  EXPECT_EQ(d->due, At(tz, 2027, 1, 1, 10));
}

TEST(Anniversary, TheDayIsTheCustomersLocalDay) {
  const absl::TimeZone sh = Zone("Asia/Shanghai");
  const absl::TimeZone ny = Zone("America/New_York");
  const absl::CivilDay origin(2025, 6, 1);
  // 2026-06-01 12:00 UTC is 20:00 in Shanghai (before 21:00) and 08:00 in New York.
  const absl::Time now = At(absl::UTCTimeZone(), 2026, 6, 1, 12);
  auto s = Due(origin, sh, now);
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->due, now);
  auto n = Due(origin, ny, now);
  ASSERT_TRUE(n.has_value());
  EXPECT_EQ(n->due, At(ny, 2026, 6, 1, 10));
}

TEST(AnniversaryMessage, NamesTheYearsAndWhatBeganInBothLocales) {
  const MessageTemplates t = BuiltInTemplates(RulesTable::Defaults());
  MessageFacts f;
  f.years = 1;
  f.first_purchase = true;
  EXPECT_EQ(ComposeMessage(t, "anniversary", f),
            "1年前的今天，您第一次在我们这里购物。感谢一路相伴，祝您一切顺心！");
  f.locale = "en";
  EXPECT_EQ(ComposeMessage(t, "anniversary", f),
            "1 year ago today you made your first purchase with us. Thank you for staying with us!");
  f.years = 3;
  f.first_purchase = false;
  EXPECT_EQ(ComposeMessage(t, "anniversary", f),
            "3 years ago today you joined us. Thank you for staying with us!");
}

}  // namespace
}  // namespace revisit::outreach
