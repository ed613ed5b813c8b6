// BusinessCalendar: the shop's working time for SLA deadlines (C1, C7, C16).
//
// A calendar is an IANA time zone, weekly opening hours per year and per-date
// overrides: holidays (closed all day) and make-up working days (调休, open on a
// day that is normally closed). Dates and hours are read in the zone's local time,
// so daylight-saving days are 23 or 25 hours long and a 09:00 opening is 09:00 on
// both sides of a switch. A day of a year that no file covers uses the weekly hours
// of the nearest covered year and has no overrides.
//
// The default-constructed calendar is 24x7: every instant is working time.
// Built by LoadCalendar (calendar_file.h), which validates everything; the
// constructor trusts its input (at least one working interval per week).
// Thread-safety: immutable after construction; every method is const and pure.
#ifndef REVISIT_SERVICES_COMPLAINT_DOMAIN_BUSINESS_CALENDAR_H_
#define REVISIT_SERVICES_COMPLAINT_DOMAIN_BUSINESS_CALENDAR_H_

#include <array>
#include <map>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace revisit::complaint {

// Opening [open, close) in minutes after local midnight (0..1440).
struct Interval {
  int open = 0;
  int close = 0;
};
// A day's opening intervals, sorted and disjoint; empty = closed.
using DayHours = std::vector<Interval>;
// Opening hours per weekday, index 0 = Monday.
using WeekHours = std::array<DayHours, 7>;

// What one date is, overriding the weekly hours.
struct DayOverride {
  DayHours hours;    // empty = holiday
  std::string name;  // "Spring Festival", "Spring Festival make-up"
};

class BusinessCalendar {
 public:
  // 24x7.
  BusinessCalendar() = default;
  BusinessCalendar(absl::TimeZone zone, std::map<int, WeekHours> weekly_by_year,
                   std::map<absl::CivilDay, DayOverride> overrides);

  bool always_open() const { return always_open_; }
  const absl::TimeZone& zone() const { return zone_; }
  // The years that have weekly hours (files loaded); empty for 24x7.
  std::vector<int> years() const;
  // The opening hours on local `day` (override, else the weekly hours).
  DayHours HoursOn(absl::CivilDay day) const;

  // `start` plus `d` of working time; d <= 0 returns start + d.
  absl::Time AddWorking(absl::Time start, absl::Duration d) const;
  // The working time in [from, to); zero when to <= from.
  absl::Duration WorkingBetween(absl::Time from, absl::Time to) const;
  // "Same business day": the closing time of the first business day, from the day
  // of `t` on, that still has at least `min_left` of working time after `t`.
  // 24x7: t + min_left.
  absl::Time SameBusinessDayClose(absl::Time t, absl::Duration min_left) const;
  // The closing time of the `n`-th business day after the local day of `t`
  // (n >= 1). 24x7: t + n days.
  absl::Time CloseOfNthBusinessDay(absl::Time t, int n) const;

 private:
  // Working intervals of local `day` as absolute times.
  std::vector<std::pair<absl::Time, absl::Time>> Spans(absl::CivilDay day) const;

  bool always_open_ = true;
  absl::TimeZone zone_ = absl::UTCTimeZone();
  std::map<int, WeekHours> weekly_by_year_;
  std::map<absl::CivilDay, DayOverride> overrides_;
};

// 0 = Monday ... 6 = Sunday.
int WeekdayIndex(absl::Weekday w);

}  // namespace revisit::complaint

#endif  // REVISIT_SERVICES_COMPLAINT_DOMAIN_BUSINESS_CALENDAR_H_
