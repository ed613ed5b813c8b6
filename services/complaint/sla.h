// SLA deadlines (C1, C7, C16): when the first response and the resolution are due,
// counted on an optional business-hours calendar, and which priority a customer's
// loyalty tier earns.
//
// Pure. The default calendar is 24x7 (deadline = start + duration). A business
// calendar counts only working time: per-weekday opening hours in a fixed UTC
// offset (e.g. +08:00 for Asia/Shanghai) minus holiday dates. Deadlines are
// stored on the complaint (Deadline messages) and backed by durable timers; this
// file only computes them and marks them met or breached.
// Thread-safety: pure functions and immutable values.
#ifndef REVISIT_SERVICES_COMPLAINT_SLA_H_
#define REVISIT_SERVICES_COMPLAINT_SLA_H_

#include <array>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "revisit/complaint/v1/complaint.pb.h"
#include "revisit/loyalty/v1/loyalty.pb.h"

namespace revisit::complaint {

// Deadline names on Complaint.deadlines.
inline constexpr char kFirstResponse[] = "first_response";
inline constexpr char kResolution[] = "resolution";
// "update-<n>" for the n-th promised update (C7).
std::string UpdateDeadlineName(int n);

// Working hours; all-day-every-day (24x7) when `enabled` is false.
struct BusinessCalendar {
  bool enabled = false;
  // Minutes east of UTC in which the hours below are read (480 = UTC+8).
  int utc_offset_minutes = 480;
  // Opening [open, close) in minutes after local midnight, per weekday (0 = Monday).
  // open == close means closed all day.
  std::array<std::pair<int, int>, 7> hours{};
  // Local dates "YYYY-MM-DD" that are closed all day.
  std::set<std::string> holidays;

  // Parses "mon-fri 09:00-18:00; sat 10:00-16:00 | 2026-01-01,2026-02-17 | +08:00"
  // (days: mon..sun or ranges; the holiday and offset parts are optional).
  // Empty or "24x7" = disabled. INVALID_ARGUMENT names the bad part.
  static absl::StatusOr<BusinessCalendar> Parse(const std::string& text);

  // `start` plus `duration` of working time.
  absl::Time Add(absl::Time start, absl::Duration duration) const;
};

// SLA targets per priority (C1: first response never later than 24 h; C16 stricter
// for priority customers).
struct SlaPolicy {
  std::map<v1::Priority, absl::Duration> first_response = {
      {v1::PRIORITY_NORMAL, absl::Hours(24)},
      {v1::PRIORITY_HIGH, absl::Hours(8)},
      {v1::PRIORITY_URGENT, absl::Hours(2)}};
  std::map<v1::Priority, absl::Duration> resolution = {
      {v1::PRIORITY_NORMAL, absl::Hours(24 * 7)},
      {v1::PRIORITY_HIGH, absl::Hours(24 * 3)},
      {v1::PRIORITY_URGENT, absl::Hours(24)}};
  // A deadline due within this horizon is "at risk" (listing filter).
  absl::Duration at_risk = absl::Hours(2);
  // Loyalty tier → priority (C16); tiers not listed get NORMAL.
  std::map<loyalty::v1::Tier, v1::Priority> tier_priority = {
      {loyalty::v1::TIER_GOLD, v1::PRIORITY_HIGH},
      {loyalty::v1::TIER_PLATINUM, v1::PRIORITY_URGENT}};
  BusinessCalendar calendar;

  absl::Time FirstResponseDue(v1::Priority p, absl::Time opened) const;
  absl::Time ResolutionDue(v1::Priority p, absl::Time opened) const;
  // The priority for a complaint: the requested one if set, else by tier (C16).
  v1::Priority PriorityFor(v1::Priority requested, loyalty::v1::Tier tier) const;
};

// Adds a deadline to `c` (replacing an open one of the same name).
v1::Deadline* AddDeadline(v1::Complaint& c, const std::string& name, absl::Time due,
                          const std::string& note = "");
// The deadline called `name`, or null.
v1::Deadline* FindDeadline(v1::Complaint& c, const std::string& name);
const v1::Deadline* FindDeadline(const v1::Complaint& c, const std::string& name);
// Marks `name` met at `now` if it is open; returns true if it was open.
bool MeetDeadline(v1::Complaint& c, const std::string& name, absl::Time now);
// The earliest open promised update (C7), or null.
v1::Deadline* EarliestOpenUpdate(v1::Complaint& c);
// True when `name` is open (not met, not breached) and due at or before `now`.
bool IsDue(const v1::Complaint& c, const std::string& name, absl::Time now);
// True when an open deadline falls due before now + horizon.
bool AtRisk(const v1::Complaint& c, absl::Time now, absl::Duration horizon);
// Marks every open deadline met (e.g. a closed complaint has nothing pending).
void SettleOpenDeadlines(v1::Complaint& c, absl::Time now);

}  // namespace revisit::complaint

#endif  // REVISIT_SERVICES_COMPLAINT_SLA_H_
