#include "services/complaint/domain/calendar_file.h"

#include <algorithm>
#include <cstdlib>
#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/status_macros.h"

namespace revisit::complaint {
namespace {

constexpr int kMaxRangeDays = 31;

// Where a line came from, for messages.
struct Where {
  std::string file;
  int line = 0;
};

absl::Status Err(const Where& w, absl::string_view directive, absl::string_view rule) {
  return absl::InvalidArgumentError(absl::StrCat(w.file, ":", w.line, ": ", directive, ": ", rule));
}

struct DateEntry {
  absl::CivilDay day;
  DayOverride override;
  bool holiday = false;
  bool monday_hours = false;  // a workday without hours: opens with Monday's
  Where where;
};

struct FileState {
  std::optional<std::string> zone;
  std::optional<absl::TimeZone> tz;
  std::optional<int> year;
  Where year_where;
  WeekHours week;
  std::array<bool, 7> week_set{};
  std::vector<DateEntry> dates;
};

absl::StatusOr<int> ParseClock(absl::string_view s) {
  std::vector<absl::string_view> hm = absl::StrSplit(s, ':');
  int h = 0, m = 0;
  if (hm.size() != 2 || hm[0].size() != 2 || hm[1].size() != 2 || !absl::SimpleAtoi(hm[0], &h) ||
      !absl::SimpleAtoi(hm[1], &m) || h < 0 || h > 24 || m < 0 || m > 59 || (h == 24 && m != 0)) {
    return absl::InvalidArgumentError(absl::StrCat("bad time \"", s, "\" (HH:MM, 00:00..24:00)"));
  }
  return h * 60 + m;
}

absl::StatusOr<int> ParseWeekday(absl::string_view s) {
  static const char* kNames[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
  for (int i = 0; i < 7; ++i) {
    if (s == kNames[i]) return i;
  }
  return absl::InvalidArgumentError(absl::StrCat("bad weekday \"", s, "\" (mon..sun)"));
}

absl::StatusOr<absl::CivilDay> ParseDate(absl::string_view s) {
  absl::CivilDay d;
  if (s.size() != 10 || !absl::ParseCivilTime(s, &d) || absl::FormatCivilTime(d) != s) {
    return absl::InvalidArgumentError(absl::StrCat("bad date \"", s, "\" (YYYY-MM-DD)"));
  }
  return d;
}

absl::Status ParseHoursLine(const std::vector<absl::string_view>& w, const Where& where, FileState& f) {
  if (w.size() != 3) return Err(where, "hours", "expected 'hours <days> <HH:MM-HH:MM[,...]|closed>'");
  std::vector<absl::string_view> days = absl::StrSplit(w[1], '-');
  if (days.size() > 2) return Err(where, "hours", absl::StrCat("bad days \"", w[1], "\" (mon or mon-fri)"));
  auto from = ParseWeekday(days[0]);
  auto to = ParseWeekday(days.back());
  if (!from.ok()) return Err(where, "hours", from.status().message());
  if (!to.ok()) return Err(where, "hours", to.status().message());
  if (*from > *to) return Err(where, "hours", absl::StrCat("empty day range \"", w[1], "\" (mon..sun order)"));
  DayHours hours;
  if (w[2] != "closed") {
    auto parsed = ParseDayHours(std::string(w[2]));
    if (!parsed.ok()) return Err(where, "hours", parsed.status().message());
    hours = *parsed;
  }
  for (int d = *from; d <= *to; ++d) {
    if (f.week_set[d]) return Err(where, "hours", absl::StrCat("weekday ", d + 1, " (1 = mon) given twice"));
    f.week_set[d] = true;
    f.week[d] = hours;
  }
  return absl::OkStatus();
}

// "holiday <date>[..<date>] [name]" and "workday <date> [hours] [name]".
absl::Status ParseDateLine(const std::vector<absl::string_view>& w, const Where& where, FileState& f) {
  const bool holiday = w[0] == "holiday";
  const std::string directive(w[0]);
  if (w.size() < 2) return Err(where, directive, "expected a date (YYYY-MM-DD)");
  std::vector<absl::string_view> range = absl::StrSplit(w[1], "..");
  if (range.size() > 2 || (!holiday && range.size() == 2)) {
    return Err(where, directive, holiday ? "bad range (YYYY-MM-DD..YYYY-MM-DD)" : "one date per workday line");
  }
  auto first = ParseDate(range[0]);
  if (!first.ok()) return Err(where, directive, first.status().message());
  auto last = ParseDate(range.back());
  if (!last.ok()) return Err(where, directive, last.status().message());
  if (*last < *first || *last - *first >= kMaxRangeDays) {
    return Err(where, directive, absl::StrCat("range must run forward and span at most ", kMaxRangeDays, " days"));
  }
  size_t name_from = 2;
  DateEntry e;
  e.holiday = holiday;
  e.where = where;
  if (!holiday) {
    e.monday_hours = true;
    if (w.size() > 2 && !w[2].empty() && absl::ascii_isdigit(w[2][0])) {
      auto hours = ParseDayHours(std::string(w[2]));
      if (!hours.ok()) return Err(where, directive, hours.status().message());
      e.override.hours = *hours;
      e.monday_hours = false;
      name_from = 3;
    }
  }
  e.override.name = absl::StrJoin(w.begin() + std::min(name_from, w.size()), w.end(), " ");
  for (absl::CivilDay d = *first; d <= *last; ++d) {
    e.day = d;
    f.dates.push_back(e);
  }
  return absl::OkStatus();
}

absl::Status ParseLine(absl::string_view line, const Where& where, FileState& f) {
  std::vector<absl::string_view> w = absl::StrSplit(line, absl::ByAnyChar(" \t"), absl::SkipEmpty());
  if (w[0] == "zone") {
    if (w.size() != 2) return Err(where, "zone", "expected 'zone <IANA name>'");
    if (f.zone) return Err(where, "zone", "given twice in one file");
    absl::TimeZone tz;
    if (!absl::LoadTimeZone(std::string(w[1]), &tz)) {
      return Err(where, "zone", absl::StrCat("unknown time zone \"", w[1], "\" (IANA name, tzdata)"));
    }
    f.zone = std::string(w[1]);
    f.tz = tz;
    return absl::OkStatus();
  }
  if (w[0] == "year") {
    int y = 0;
    if (w.size() != 2 || !absl::SimpleAtoi(w[1], &y) || y < 1970 || y > 2200) {
      return Err(where, "year", "expected 'year <1970..2200>'");
    }
    if (f.year) return Err(where, "year", "given twice in one file");
    f.year = y;
    f.year_where = where;
    return absl::OkStatus();
  }
  if (w[0] == "hours") return ParseHoursLine(w, where, f);
  if (w[0] == "holiday" || w[0] == "workday") return ParseDateLine(w, where, f);
  return Err(where, w[0], "unknown directive (zone, year, hours, holiday, workday)");
}

absl::StatusOr<FileState> ParseFile(const CalendarSource& src) {
  FileState f;
  int n = 0, last = 0;
  for (absl::string_view line : absl::StrSplit(src.text, '\n')) {
    ++n;
    line = line.substr(0, line.find('#'));
    line = absl::StripAsciiWhitespace(line);
    if (line.empty()) continue;
    last = n;
    RETURN_IF_ERROR(ParseLine(line, Where{src.name, n}, f));
  }
  const Where end{src.name, last};  // what is missing is reported at the last line
  if (!f.zone) return Err(end, "zone", "missing (every file names its IANA time zone)");
  if (!f.year) return Err(end, "year", "missing (one file per year)");
  const bool any = std::any_of(f.week.begin(), f.week.end(), [](const DayHours& h) { return !h.empty(); });
  if (!any) return Err(end, "hours", "no working time in the week");
  return f;
}

// Adds `f`'s dates to `out`; `seen` remembers where each date was defined.
absl::Status MergeDates(const FileState& f, std::map<absl::CivilDay, DayOverride>& out,
                        std::map<absl::CivilDay, Where>& seen) {
  for (const DateEntry& e : f.dates) {
    const std::string directive = e.holiday ? "holiday" : "workday";
    if (std::abs(static_cast<int>(e.day.year()) - *f.year) > 1) {
      return Err(e.where, directive, absl::StrCat(absl::FormatCivilTime(e.day), " is not in year ", *f.year,
                                                  " or an adjacent one"));
    }
    auto [it, fresh] = seen.emplace(e.day, e.where);
    if (!fresh) {
      return Err(e.where, directive, absl::StrCat(absl::FormatCivilTime(e.day), " already defined at ",
                                                  it->second.file, ":", it->second.line));
    }
    DayOverride o = e.override;
    if (e.monday_hours) {
      if (f.week[0].empty()) return Err(e.where, directive, "no hours given and mon is closed");
      o.hours = f.week[0];
    }
    out[e.day] = o;
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<DayHours> ParseDayHours(const std::string& text) {
  DayHours out;
  for (absl::string_view item : absl::StrSplit(text, ',')) {
    std::vector<absl::string_view> oc = absl::StrSplit(item, '-');
    if (oc.size() != 2) return absl::InvalidArgumentError(absl::StrCat("bad interval \"", item, "\" (HH:MM-HH:MM)"));
    ASSIGN_OR_RETURN(int open, ParseClock(oc[0]));
    ASSIGN_OR_RETURN(int close, ParseClock(oc[1]));
    if (open >= close) return absl::InvalidArgumentError(absl::StrCat("interval \"", item, "\" closes before it opens"));
    if (!out.empty() && open < out.back().close) {
      return absl::InvalidArgumentError(absl::StrCat("interval \"", item, "\" overlaps or precedes the one before"));
    }
    out.push_back({open, close});
  }
  return out;
}

absl::StatusOr<BusinessCalendar> LoadCalendar(const std::vector<CalendarSource>& files) {
  if (files.empty()) return BusinessCalendar();
  std::map<int, WeekHours> weekly;
  std::map<int, Where> year_at;
  std::map<absl::CivilDay, DayOverride> overrides;
  std::map<absl::CivilDay, Where> seen;
  std::optional<std::string> zone;
  absl::TimeZone tz;
  for (const CalendarSource& src : files) {
    ASSIGN_OR_RETURN(FileState f, ParseFile(src));
    if (zone && *zone != *f.zone) {
      return Err(Where{src.name, 0}, "zone",
                 absl::StrCat("\"", *f.zone, "\" differs from \"", *zone, "\" in ", files[0].name));
    }
    zone = f.zone;
    tz = *f.tz;
    auto [it, fresh] = year_at.emplace(*f.year, f.year_where);
    if (!fresh) {
      return Err(f.year_where, "year",
                 absl::StrCat(*f.year, " already loaded from ", it->second.file, ":", it->second.line));
    }
    weekly[*f.year] = f.week;
    RETURN_IF_ERROR(MergeDates(f, overrides, seen));
  }
  return BusinessCalendar(tz, std::move(weekly), std::move(overrides));
}

}  // namespace revisit::complaint
