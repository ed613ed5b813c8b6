#include "services/outreach/domain/greetings.h"

#include <algorithm>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"

namespace revisit::outreach {

absl::StatusOr<std::vector<Holiday>> ParseHolidays(absl::string_view spec) {
  std::vector<Holiday> out;
  std::set<absl::CivilDay> seen;
  for (absl::string_view entry : absl::StrSplit(spec, ',', absl::SkipWhitespace())) {
    entry = absl::StripAsciiWhitespace(entry);
    std::pair<absl::string_view, absl::string_view> dn = absl::StrSplit(entry, absl::MaxSplits(':', 1));
    Holiday h;
    const absl::string_view date = absl::StripAsciiWhitespace(dn.first);
    h.name = std::string(absl::StripAsciiWhitespace(dn.second));
    // ParseCivilTime normalises (2026-02-30 → 03-02): require the round trip.
    if (date.size() != 10 || !absl::ParseCivilTime(date, &h.date) ||
        absl::FormatCivilTime(h.date) != date)
      return absl::InvalidArgumentError(
          absl::StrCat("holiday '", entry, "': date must be YYYY-MM-DD"));
    if (h.name.empty())
      return absl::InvalidArgumentError(
          absl::StrCat("holiday '", entry, "': needs a name after ':'"));
    if (!seen.insert(h.date).second)
      return absl::InvalidArgumentError(absl::StrCat("holiday '", entry, "': duplicate date"));
    out.push_back(std::move(h));
  }
  return out;
}

std::string HolidaySource(const Holiday& h) {
  return absl::StrCat("holiday-", absl::FormatCivilTime(h.date));
}

std::optional<absl::Time> GreetingTime(absl::CivilDay day, const absl::TimeZone& tz,
                                       absl::Time now, int morning_minute, int latest_minute) {
  const absl::CivilMinute start(day);
  const absl::Time morning = absl::FromCivil(start + morning_minute, tz);
  const absl::Time latest = absl::FromCivil(start + latest_minute, tz);
  if (now >= latest) return std::nullopt;
  return std::max(morning, now);
}

std::optional<absl::CivilDay> BirthdayIn(int year, int month, int day) {
  if (month < 1 || month > 12 || day < 1) return std::nullopt;
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (day > kDays[month - 1]) return std::nullopt;
  absl::CivilDay d(year, month, day);
  if (d.month() != month) d = absl::CivilDay(year, month, day - 1);  // Feb 29 → Feb 28
  return d;
}

std::optional<BirthdayDue> NextBirthday(int month, int day, const absl::TimeZone& tz,
                                        absl::Time now, int morning_minute, int latest_minute,
                                        int min_year) {
  const int this_year = static_cast<int>(absl::ToCivilDay(now, tz).year());
  for (int y = std::max(this_year, min_year); y <= std::max(this_year, min_year) + 2; ++y) {
    std::optional<absl::CivilDay> d = BirthdayIn(y, month, day);
    if (!d) return std::nullopt;
    if (auto t = GreetingTime(*d, tz, now, morning_minute, latest_minute))
      return BirthdayDue{y, *t};
  }
  return std::nullopt;
}

std::vector<HolidayDue> HolidaysDue(const std::vector<Holiday>& holidays, const absl::TimeZone& tz,
                                    absl::Time now, absl::Duration lookahead, int morning_minute,
                                    int latest_minute) {
  std::vector<HolidayDue> out;
  for (const Holiday& h : holidays) {
    auto t = GreetingTime(h.date, tz, now, morning_minute, latest_minute);
    if (t && *t <= now + lookahead) out.push_back({&h, *t});
  }
  return out;
}

// R3 anniversaries: this year's (or, near New Year, next year's) anniversary day, from
// the first anniversary on; Feb 29 falls back to Feb 28 as for birthdays (BirthdayIn).
std::optional<AnniversaryDue> AnniversaryDueAt(absl::CivilDay origin, const absl::TimeZone& tz,
                                               absl::Time now, absl::Duration lookahead,
                                               int morning_minute, int latest_minute) {
  const int this_year = static_cast<int>(absl::ToCivilDay(now, tz).year());
  for (int y = std::max(this_year, static_cast<int>(origin.year()) + 1); y <= this_year + 1; ++y) {
    std::optional<absl::CivilDay> d = BirthdayIn(y, origin.month(), origin.day());
    if (!d) return std::nullopt;
    auto t = GreetingTime(*d, tz, now, morning_minute, latest_minute);
    if (t && *t <= now + lookahead)
      return AnniversaryDue{y, y - static_cast<int>(origin.year()), *t};
  }
  return std::nullopt;
}

std::string AnniversarySource(AnniversaryKind kind, int year) {
  return absl::StrCat("anniversary-",
                      kind == AnniversaryKind::kRegistration ? "registration" : "first-purchase",
                      "-", year);
}

std::optional<int64_t> CheckInPeriod(absl::Time last_contact, absl::Time now,
                                     absl::Duration after) {
  if (after <= absl::ZeroDuration() || now - last_contact < after) return std::nullopt;
  absl::Duration rem;
  return absl::IDivDuration(now - absl::UnixEpoch(), after, &rem);
}

std::string CheckInSource(int64_t period) { return absl::StrCat("check-in-", period); }

}  // namespace revisit::outreach
