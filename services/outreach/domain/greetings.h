// Greetings and check-ins (R3, R9): the pure calendar decisions behind the birthday
// timers and the per-shard sweep (greetings_scheduler.h).
//
//   R3 birthdays  one touch per customer per year, at the greeting time (default
//                 10:00) of the birthday in the customer's own time zone. A Feb 29
//                 birthday is greeted on Feb 28 in non-leap years: the greeting
//                 stays inside the birthday month and comes "early", never a day
//                 late (chosen: a wish the day after reads as forgotten).
//   R3 holidays   configured dates ("2027-02-06:Spring Festival,..."), greeted at the
//                 greeting time of that date in the customer's time zone.
//   R3 anniversaries  the registration and the first paid order, each greeted once
//                 a year per customer on the day's anniversary in the customer's
//                 time zone (years >= 1), like a birthday: a Feb 29 origin is greeted
//                 on Feb 28 in non-leap years (early, never late: BirthdayIn).
//   R9 check-in   a customer whose last contact (last sent touch; else the time
//                 outreach first saw them) is at least `after` ago is due; at most
//                 one check-in per customer per period, period index = now / after.
// A greeting is only scheduled while its local day still has a sendable slot: not
// after `latest_minute` (the start of quiet hours) of that day; a greeting window
// missed entirely (service down all day) is skipped, never sent late.
// Thread-safety: pure functions over values.
#ifndef REVISIT_SERVICES_OUTREACH_DOMAIN_GREETINGS_H_
#define REVISIT_SERVICES_OUTREACH_DOMAIN_GREETINGS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace revisit::outreach {

// One configured holiday (R3).
struct Holiday {
  absl::CivilDay date;
  std::string name;
};

// Parses "YYYY-MM-DD:Name,YYYY-MM-DD:Name" (empty → none). INVALID_ARGUMENT naming
// the bad entry for a bad date, a missing name or a duplicate date.
absl::StatusOr<std::vector<Holiday>> ParseHolidays(absl::string_view spec);

// "holiday-2027-02-06": the touch source of a holiday (one touch per customer).
std::string HolidaySource(const Holiday& h);

// When to greet on local day `day` in `tz`: the greeting time (`morning_minute`
// after midnight) or `now` if later; nullopt when `now` is already at or past
// `latest_minute` of that day (1440 = the day's end).
std::optional<absl::Time> GreetingTime(absl::CivilDay day, const absl::TimeZone& tz,
                                       absl::Time now, int morning_minute, int latest_minute);

// The calendar day of birthday month/day in `year` (Feb 29 → Feb 28 in non-leap
// years); nullopt for an impossible month/day (0/0 = unknown birthday).
std::optional<absl::CivilDay> BirthdayIn(int year, int month, int day);

struct BirthdayDue {
  int year = 0;     // the year of the birthday being greeted ("birthday-<year>")
  absl::Time due;   // when to send
};

// The next birthday greeting at or after `now` in a year >= `min_year`; nullopt for
// an unknown or impossible birthday.
std::optional<BirthdayDue> NextBirthday(int month, int day, const absl::TimeZone& tz,
                                        absl::Time now, int morning_minute, int latest_minute,
                                        int min_year = 0);

struct HolidayDue {
  const Holiday* holiday = nullptr;
  absl::Time due;
};

// The holidays to schedule now: those whose greeting (GreetingTime) is still ahead
// or today and no later than now + `lookahead`.
std::vector<HolidayDue> HolidaysDue(const std::vector<Holiday>& holidays, const absl::TimeZone& tz,
                                    absl::Time now, absl::Duration lookahead, int morning_minute,
                                    int latest_minute);

// R3: which anniversary.
enum class AnniversaryKind { kRegistration, kFirstPurchase };

struct AnniversaryDue {
  int year = 0;   // the calendar year greeted ("anniversary-<kind>-<year>")
  int years = 0;  // how many years since the origin (>= 1)
  absl::Time due;
};

// The anniversary greeting of `origin` (a local day in `tz`) to schedule now: the one
// whose greeting (GreetingTime) is still ahead or today and no later than now +
// `lookahead`; nullopt when none is (or the origin is not yet a year old).
std::optional<AnniversaryDue> AnniversaryDueAt(absl::CivilDay origin, const absl::TimeZone& tz,
                                               absl::Time now, absl::Duration lookahead,
                                               int morning_minute, int latest_minute);

// "anniversary-registration-2027", "anniversary-first-purchase-2027": one touch per
// customer, kind and year.
std::string AnniversarySource(AnniversaryKind kind, int year);

// R9: the check-in period index when a check-in is due at `now` (last contact at
// least `after` ago), else nullopt. `last_contact` is the later of the last sent
// touch and the time the customer was first seen.
std::optional<int64_t> CheckInPeriod(absl::Time last_contact, absl::Time now,
                                     absl::Duration after);

// "check-in-<period>".
std::string CheckInSource(int64_t period);

}  // namespace revisit::outreach

#endif  // REVISIT_SERVICES_OUTREACH_DOMAIN_GREETINGS_H_
