// Calendar files: the operator-maintained text that builds a BusinessCalendar,
// one file per year (format in docs/operations.md, "SLA calendar"; examples in
// deploy/calendars/). Line-oriented, '#' starts a comment:
//
//   zone Asia/Shanghai                        IANA zone, the same in every file
//   year 2026                                 once per file, each year in one file only
//   hours mon-fri 09:00-18:00                 weekday or range; several intervals
//   hours sat 10:00-12:00,13:00-16:00         separated by ','; 'closed'; weekdays
//   hours sun closed                          not listed are closed
//   holiday 2026-02-15..2026-02-23 Spring Festival   closed all day (range <= 31 days)
//   workday 2026-02-14 Spring Festival make-up       调休: open with Monday's hours,
//   workday 2026-02-28 10:00-16:00 make-up           or the hours given
//
// Dates must lie in the file's year or an adjacent one (make-up days before New
// Year); a date is defined once across all files.
// Thread-safety: pure functions.
#ifndef REVISIT_SERVICES_COMPLAINT_DOMAIN_CALENDAR_FILE_H_
#define REVISIT_SERVICES_COMPLAINT_DOMAIN_CALENDAR_FILE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/complaint/domain/business_calendar.h"

namespace revisit::complaint {

// One calendar file: `name` (its path, for messages) and its contents.
struct CalendarSource {
  std::string name;
  std::string text;
};

// Parses and validates `files`; no files = 24x7. INVALID_ARGUMENT
// "<name>:<line>: <directive>: <rule>" for the first error found.
absl::StatusOr<BusinessCalendar> LoadCalendar(const std::vector<CalendarSource>& files);

// Parses "HH:MM-HH:MM[,HH:MM-HH:MM...]" (sorted, disjoint, 24:00 allowed as a close).
absl::StatusOr<DayHours> ParseDayHours(const std::string& text);

}  // namespace revisit::complaint

#endif  // REVISIT_SERVICES_COMPLAINT_DOMAIN_CALENDAR_FILE_H_
