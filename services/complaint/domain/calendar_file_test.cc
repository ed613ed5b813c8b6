// Calendar files: what is accepted, and that every error names file:line and the rule.
#include "services/complaint/domain/calendar_file.h"

#include <gtest/gtest.h>

namespace revisit::complaint {
namespace {

constexpr char kHead[] = "zone Asia/Shanghai\nyear 2026\nhours mon-fri 09:00-18:00\n";

TEST(CalendarFileTest, ParsesHoursHolidaysAndMakeUpDays) {
  auto cal = LoadCalendar({{"a.cal",
                            "# comment line\n"
                            "zone Asia/Shanghai   # trailing comment\n"
                            "year 2026\n"
                            "hours mon-fri 09:00-12:00,13:00-18:00\n"
                            "hours sat 10:00-16:00\n"
                            "hours sun closed\n"
                            "holiday 2026-10-01..2026-10-03 National Day\n"
                            "workday 2026-10-11 Make-up\n"
                            "workday 2026-10-18 10:00-14:00 Short make-up\n"}});
  ASSERT_TRUE(cal.ok()) << cal.status();
  EXPECT_EQ(cal->HoursOn(absl::CivilDay(2026, 10, 5)).size(), 2u);  // Monday: two intervals
  EXPECT_TRUE(cal->HoursOn(absl::CivilDay(2026, 10, 2)).empty());
  EXPECT_TRUE(cal->HoursOn(absl::CivilDay(2026, 10, 4)).empty());  // Sunday
  ASSERT_EQ(cal->HoursOn(absl::CivilDay(2026, 10, 11)).size(), 2u);  // Monday's hours
  ASSERT_EQ(cal->HoursOn(absl::CivilDay(2026, 10, 18)).size(), 1u);
  EXPECT_EQ(cal->HoursOn(absl::CivilDay(2026, 10, 18))[0].open, 10 * 60);
  EXPECT_EQ(cal->HoursOn(absl::CivilDay(2026, 10, 10))[0].close, 16 * 60);  // Saturday
}

TEST(CalendarFileTest, NoFilesIs24x7) {
  auto cal = LoadCalendar({});
  ASSERT_TRUE(cal.ok());
  EXPECT_TRUE(cal->always_open());
}

TEST(CalendarFileTest, TwentyFourHundredClosesTheDay) {
  auto cal = LoadCalendar({{"a.cal", "zone UTC\nyear 2026\nhours mon-sun 00:00-24:00\n"}});
  ASSERT_TRUE(cal.ok()) << cal.status();
  EXPECT_EQ(cal->HoursOn(absl::CivilDay(2026, 3, 3))[0].close, 24 * 60);
}

struct BadCase {
  std::string text;
  std::string where;  // "file:line"
  std::string rule;   // a fragment of the message
};

TEST(CalendarFileTest, ErrorsNameFileLineAndRule) {
  const std::string h = kHead;
  const BadCase cases[] = {
      {h + "holidy 2026-01-01\n", "a.cal:4", "unknown directive"},
      {h + "hours sat 9-18\n", "a.cal:4", "bad time"},
      {h + "hours sat 10:00-09:00\n", "a.cal:4", "closes before it opens"},
      {h + "hours sat 09:00-12:00,11:00-13:00\n", "a.cal:4", "overlaps"},
      {h + "hours fri 10:00-12:00\n", "a.cal:4", "given twice"},
      {h + "hours sun-mon closed\n", "a.cal:4", "empty day range"},
      {h + "hours xyz closed\n", "a.cal:4", "bad weekday"},
      {h + "holiday 2026-13-01\n", "a.cal:4", "bad date"},
      {h + "holiday 2026-02-30\n", "a.cal:4", "bad date"},
      {h + "holiday 2026-10-07..2026-10-01\n", "a.cal:4", "run forward"},
      {h + "holiday 2026-01-01..2026-03-01\n", "a.cal:4", "at most 31 days"},
      {h + "workday 2026-01-01..2026-01-02\n", "a.cal:4", "one date per workday"},
      {h + "holiday 2029-01-01\n", "a.cal:4", "not in year 2026"},
      {h + "holiday 2026-05-01\nworkday 2026-05-01\n", "a.cal:5", "already defined at a.cal:4"},
      {"zone Mars/Olympus\n", "a.cal:1", "unknown time zone"},
      {"zone UTC\nzone UTC\n", "a.cal:2", "given twice"},
      {"year 26\n", "a.cal:1", "1970..2200"},
      {"zone UTC\nhours mon 09:00-10:00\n", "a.cal:2", "year: missing"},
      {"year 2026\nhours mon 09:00-10:00\n", "a.cal:2", "zone: missing"},
      {"zone UTC\nyear 2026\nhours mon-sun closed\n", "a.cal:3", "no working time"},
      {"zone UTC\nyear 2026\nhours mon closed\nhours tue 09:00-10:00\nworkday 2026-01-04\n", "a.cal:5",
       "mon is closed"},
  };
  for (const auto& c : cases) {
    auto cal = LoadCalendar({{"a.cal", c.text}});
    ASSERT_FALSE(cal.ok()) << c.text;
    EXPECT_EQ(cal.status().code(), absl::StatusCode::kInvalidArgument);
    const std::string msg(cal.status().message());
    EXPECT_EQ(msg.rfind(c.where + ":", 0), 0u) << msg;
    EXPECT_NE(msg.find(c.rule), std::string::npos) << msg;
  }
}

TEST(CalendarFileTest, FilesMustAgreeOnZoneAndNotRepeatAYearOrDate) {
  const std::string a = std::string(kHead) + "holiday 2026-12-31 Eve\n";
  auto dup_year = LoadCalendar({{"a.cal", a}, {"b.cal", kHead}});
  ASSERT_FALSE(dup_year.ok());
  EXPECT_NE(dup_year.status().message().find("b.cal:2: year: 2026 already loaded from a.cal:2"), std::string::npos)
      << dup_year.status();
  auto zone = LoadCalendar({{"a.cal", a}, {"b.cal", "zone UTC\nyear 2027\nhours mon 09:00-10:00\n"}});
  ASSERT_FALSE(zone.ok());
  EXPECT_NE(zone.status().message().find("differs from"), std::string::npos) << zone.status();
  auto date = LoadCalendar(
      {{"a.cal", a}, {"b.cal", "zone Asia/Shanghai\nyear 2027\nhours mon 09:00-10:00\nholiday 2026-12-31\n"}});
  ASSERT_FALSE(date.ok());
  EXPECT_NE(date.status().message().find("b.cal:4: holiday: 2026-12-31 already defined at a.cal:4"),
            std::string::npos)
      << date.status();
}

}  // namespace
}  // namespace revisit::complaint
