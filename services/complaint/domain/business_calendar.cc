#include "services/complaint/domain/business_calendar.h"

#include <algorithm>
#include <utility>

namespace revisit::complaint {
namespace {

// Every week has working time (LoadCalendar checks), so any walk ends long before this.
constexpr int kMaxDays = 3660;

}  // namespace

int WeekdayIndex(absl::Weekday w) {
  switch (w) {
    case absl::Weekday::monday: return 0;
    case absl::Weekday::tuesday: return 1;
    case absl::Weekday::wednesday: return 2;
    case absl::Weekday::thursday: return 3;
    case absl::Weekday::friday: return 4;
    case absl::Weekday::saturday: return 5;
    case absl::Weekday::sunday: return 6;
  }
  return 0;
}

BusinessCalendar::BusinessCalendar(absl::TimeZone zone, std::map<int, WeekHours> weekly_by_year,
                                   std::map<absl::CivilDay, DayOverride> overrides)
    : always_open_(weekly_by_year.empty()),
      zone_(zone),
      weekly_by_year_(std::move(weekly_by_year)),
      overrides_(std::move(overrides)) {}

std::vector<int> BusinessCalendar::years() const {
  std::vector<int> out;
  for (const auto& [year, unused] : weekly_by_year_) out.push_back(year);
  return out;
}

DayHours BusinessCalendar::HoursOn(absl::CivilDay day) const {
  if (always_open_) return {Interval{0, 24 * 60}};
  auto o = overrides_.find(day);
  if (o != overrides_.end()) return o->second.hours;
  // The year's hours, else the nearest covered year's.
  auto it = weekly_by_year_.lower_bound(static_cast<int>(day.year()));
  if (it == weekly_by_year_.end()) it = std::prev(it);
  else if (it->first != day.year() && it != weekly_by_year_.begin()) {
    auto below = std::prev(it);
    if (day.year() - below->first <= it->first - day.year()) it = below;
  }
  return it->second[WeekdayIndex(absl::GetWeekday(day))];
}

std::vector<std::pair<absl::Time, absl::Time>> BusinessCalendar::Spans(absl::CivilDay day) const {
  std::vector<std::pair<absl::Time, absl::Time>> out;
  const absl::CivilMinute midnight(day);
  for (const Interval& i : HoursOn(day)) {
    out.emplace_back(absl::FromCivil(midnight + i.open, zone_), absl::FromCivil(midnight + i.close, zone_));
  }
  return out;
}

absl::Time BusinessCalendar::AddWorking(absl::Time start, absl::Duration d) const {
  if (always_open_ || d <= absl::ZeroDuration()) return start + d;
  absl::CivilDay day = absl::ToCivilDay(start, zone_);
  absl::Time pos = start;
  for (int i = 0; i < kMaxDays; ++i, ++day) {
    for (const auto& [open, close] : Spans(day)) {
      if (close <= pos) continue;
      pos = std::max(pos, open);
      if (d <= close - pos) return pos + d;
      d -= close - pos;
      pos = close;
    }
  }
  return pos + d;
}

absl::Duration BusinessCalendar::WorkingBetween(absl::Time from, absl::Time to) const {
  if (to <= from) return absl::ZeroDuration();
  if (always_open_) return to - from;
  absl::Duration sum;
  absl::CivilDay day = absl::ToCivilDay(from, zone_);
  const absl::CivilDay last = absl::ToCivilDay(to, zone_);
  for (; day <= last; ++day) {
    for (const auto& [open, close] : Spans(day)) {
      const absl::Time a = std::max(open, from);
      const absl::Time b = std::min(close, to);
      if (a < b) sum += b - a;
    }
  }
  return sum;
}

absl::Time BusinessCalendar::SameBusinessDayClose(absl::Time t, absl::Duration min_left) const {
  if (always_open_) return t + min_left;
  absl::CivilDay day = absl::ToCivilDay(t, zone_);
  for (int i = 0; i < kMaxDays; ++i, ++day) {
    const auto spans = Spans(day);
    absl::Duration left;
    for (const auto& [open, close] : spans) {
      if (close > t) left += close - std::max(open, t);
    }
    if (!spans.empty() && left > absl::ZeroDuration() && left >= min_left) return spans.back().second;
  }
  return t + min_left;
}

absl::Time BusinessCalendar::CloseOfNthBusinessDay(absl::Time t, int n) const {
  if (always_open_) return t + absl::Hours(24) * n;
  absl::CivilDay day = absl::ToCivilDay(t, zone_);
  for (int i = 0; i < kMaxDays; ++i) {
    ++day;
    const auto spans = Spans(day);
    if (!spans.empty() && --n <= 0) return spans.back().second;
  }
  return t + absl::Hours(24) * n;
}

}  // namespace revisit::complaint
