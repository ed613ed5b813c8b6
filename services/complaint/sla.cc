#include "services/complaint/sla.h"

#include <algorithm>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/civil_time.h"
#include "common/status.h"
#include "common/proto_time.h"

namespace revisit::complaint {
namespace {

constexpr int kMaxDays = 3660;  // a calendar with no working time at all is rejected at parse

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

absl::StatusOr<int> ParseDay(absl::string_view s) {
  static const char* kNames[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
  for (int i = 0; i < 7; ++i) {
    if (s == kNames[i]) return i;
  }
  return absl::InvalidArgumentError(absl::StrCat("business hours: bad weekday '", s, "'"));
}

absl::StatusOr<int> ParseClock(absl::string_view s) {
  std::vector<std::string> hm = absl::StrSplit(s, ':');
  int h = 0, m = 0;
  if (hm.size() != 2 || !absl::SimpleAtoi(hm[0], &h) || !absl::SimpleAtoi(hm[1], &m) || h < 0 ||
      h > 24 || m < 0 || m > 59 || (h == 24 && m != 0)) {
    return absl::InvalidArgumentError(absl::StrCat("business hours: bad time '", s, "' (HH:MM)"));
  }
  return h * 60 + m;
}

absl::Status ParseHours(absl::string_view part, BusinessCalendar& cal) {
  for (absl::string_view item : absl::StrSplit(part, ';', absl::SkipWhitespace())) {
    item = absl::StripAsciiWhitespace(item);
    std::vector<absl::string_view> words = absl::StrSplit(item, ' ', absl::SkipEmpty());
    if (words.size() != 2) {
      return absl::InvalidArgumentError(absl::StrCat("business hours: '", item, "' is not 'days HH:MM-HH:MM'"));
    }
    std::vector<absl::string_view> days = absl::StrSplit(words[0], '-');
    std::vector<absl::string_view> times = absl::StrSplit(words[1], '-');
    if (days.size() > 2 || times.size() != 2) {
      return absl::InvalidArgumentError(absl::StrCat("business hours: bad item '", item, "'"));
    }
    ASSIGN_OR_RETURN(int from, ParseDay(days[0]));
    ASSIGN_OR_RETURN(int to, ParseDay(days.back()));
    ASSIGN_OR_RETURN(int open, ParseClock(times[0]));
    ASSIGN_OR_RETURN(int close, ParseClock(times[1]));
    if (from > to || open >= close) {
      return absl::InvalidArgumentError(absl::StrCat("business hours: empty range in '", item, "'"));
    }
    for (int d = from; d <= to; ++d) cal.hours[d] = {open, close};
  }
  return absl::OkStatus();
}

absl::Status ParseOffset(absl::string_view s, BusinessCalendar& cal) {
  s = absl::StripAsciiWhitespace(s);
  if (s.size() != 6 || (s[0] != '+' && s[0] != '-') || s[3] != ':') {
    return absl::InvalidArgumentError(absl::StrCat("business hours: bad UTC offset '", s, "' (+HH:MM)"));
  }
  int h = 0, m = 0;
  if (!absl::SimpleAtoi(s.substr(1, 2), &h) || !absl::SimpleAtoi(s.substr(4, 2), &m) || h > 14 ||
      m > 59) {
    return absl::InvalidArgumentError(absl::StrCat("business hours: bad UTC offset '", s, "'"));
  }
  cal.utc_offset_minutes = (s[0] == '-' ? -1 : 1) * (h * 60 + m);
  return absl::OkStatus();
}

}  // namespace

std::string UpdateDeadlineName(int n) { return absl::StrCat("update-", n); }

absl::StatusOr<BusinessCalendar> BusinessCalendar::Parse(const std::string& text) {
  BusinessCalendar cal;
  absl::string_view t = absl::StripAsciiWhitespace(text);
  if (t.empty() || t == "24x7") return cal;
  cal.enabled = true;
  std::vector<absl::string_view> parts = absl::StrSplit(t, '|');
  if (parts.size() > 3) return absl::InvalidArgumentError("business hours: at most 3 '|' parts");
  RETURN_IF_ERROR(ParseHours(parts[0], cal));
  if (parts.size() > 1) {
    for (absl::string_view d : absl::StrSplit(parts[1], ',', absl::SkipWhitespace())) {
      d = absl::StripAsciiWhitespace(d);
      absl::CivilDay day;
      if (!absl::ParseCivilTime(d, &day)) {
        return absl::InvalidArgumentError(absl::StrCat("business hours: bad holiday '", d, "' (YYYY-MM-DD)"));
      }
      cal.holidays.insert(std::string(d));
    }
  }
  if (parts.size() > 2) RETURN_IF_ERROR(ParseOffset(parts[2], cal));
  bool any = std::any_of(cal.hours.begin(), cal.hours.end(),
                         [](const auto& h) { return h.first < h.second; });
  if (!any) return absl::InvalidArgumentError("business hours: no working time in the week");
  return cal;
}

absl::Time BusinessCalendar::Add(absl::Time start, absl::Duration duration) const {
  if (!enabled || duration <= absl::ZeroDuration()) return start + duration;
  const absl::TimeZone tz = absl::FixedTimeZone(utc_offset_minutes * 60);
  absl::Time pos = start;
  for (int i = 0; i < kMaxDays; ++i) {
    const absl::CivilSecond local = absl::ToCivilSecond(pos, tz);
    const absl::CivilDay day(local);
    const absl::Time midnight = absl::FromCivil(day, tz);
    const absl::Time next_day = absl::FromCivil(day + 1, tz);
    const auto [open, close] = hours[WeekdayIndex(absl::GetWeekday(day))];
    if (open < close && holidays.count(absl::FormatCivilTime(day)) == 0) {
      const absl::Time opens = midnight + absl::Minutes(open);
      const absl::Time closes = midnight + absl::Minutes(close);
      if (pos < opens) pos = opens;
      if (pos < closes) {
        const absl::Duration available = closes - pos;
        if (duration <= available) return pos + duration;
        duration -= available;
      }
    }
    pos = next_day;
  }
  return pos + duration;
}

absl::Time SlaPolicy::FirstResponseDue(v1::Priority p, absl::Time opened) const {
  auto it = first_response.find(p);
  return calendar.Add(opened, it == first_response.end() ? absl::Hours(24) : it->second);
}

absl::Time SlaPolicy::ResolutionDue(v1::Priority p, absl::Time opened) const {
  auto it = resolution.find(p);
  return calendar.Add(opened, it == resolution.end() ? absl::Hours(24 * 7) : it->second);
}

v1::Priority SlaPolicy::PriorityFor(v1::Priority requested, loyalty::v1::Tier tier) const {
  if (requested != v1::PRIORITY_UNSPECIFIED) return requested;
  auto it = tier_priority.find(tier);
  return it == tier_priority.end() ? v1::PRIORITY_NORMAL : it->second;
}

v1::Deadline* FindDeadline(v1::Complaint& c, const std::string& name) {
  for (auto& d : *c.mutable_deadlines()) {
    if (d.name() == name) return &d;
  }
  return nullptr;
}

const v1::Deadline* FindDeadline(const v1::Complaint& c, const std::string& name) {
  for (const auto& d : c.deadlines()) {
    if (d.name() == name) return &d;
  }
  return nullptr;
}

v1::Deadline* AddDeadline(v1::Complaint& c, const std::string& name, absl::Time due,
                          const std::string& note) {
  v1::Deadline* d = FindDeadline(c, name);
  if (d == nullptr) d = c.add_deadlines();
  d->Clear();
  d->set_name(name);
  *d->mutable_due_at() = ToProto(due);
  d->set_note(note);
  return d;
}

bool MeetDeadline(v1::Complaint& c, const std::string& name, absl::Time now) {
  v1::Deadline* d = FindDeadline(c, name);
  if (d == nullptr || IsSet(d->met_at())) return false;
  *d->mutable_met_at() = ToProto(now);
  return true;
}

v1::Deadline* EarliestOpenUpdate(v1::Complaint& c) {
  v1::Deadline* best = nullptr;
  for (auto& d : *c.mutable_deadlines()) {
    if (d.name().rfind("update-", 0) != 0 || IsSet(d.met_at())) continue;
    if (best == nullptr || FromProto(d.due_at()) < FromProto(best->due_at())) best = &d;
  }
  return best;
}

bool IsDue(const v1::Complaint& c, const std::string& name, absl::Time now) {
  const v1::Deadline* d = FindDeadline(c, name);
  return d != nullptr && !IsSet(d->met_at()) && !d->breached() && FromProto(d->due_at()) <= now;
}

bool AtRisk(const v1::Complaint& c, absl::Time now, absl::Duration horizon) {
  for (const auto& d : c.deadlines()) {
    if (IsSet(d.met_at()) || d.breached()) continue;
    if (FromProto(d.due_at()) <= now + horizon) return true;
  }
  return false;
}

void SettleOpenDeadlines(v1::Complaint& c, absl::Time now) {
  for (auto& d : *c.mutable_deadlines()) {
    if (!IsSet(d.met_at()) && !d.breached()) *d.mutable_met_at() = ToProto(now);
  }
}

}  // namespace revisit::complaint
