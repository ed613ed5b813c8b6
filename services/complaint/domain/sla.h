// SLA deadlines (C1, C7, C16): when the first response and the resolution are due,
// counted on the shop's business calendar (business_calendar.h), which priority a
// customer's loyalty tier earns, and the pause of the SLA clock while the complaint
// waits on the customer or the platform.
//
// Pure. On the default 24x7 calendar a deadline is start + duration. On a business
// calendar (C1) the first response is due at the close of the same business day,
// by the priority's target in working time if that is sooner, and never later than
// 24 elapsed hours; a resolution target of N whole days is the close of the N-th
// business day after opening (a remainder counts working time). Deadlines are
// stored on the complaint (Deadline messages) and backed by durable timers; this
// file only computes them and marks them met, breached, paused or resumed.
// Thread-safety: pure functions and immutable values.
#ifndef REVISIT_SERVICES_COMPLAINT_DOMAIN_SLA_H_
#define REVISIT_SERVICES_COMPLAINT_DOMAIN_SLA_H_

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/complaint/domain/business_calendar.h"
#include "revisit/complaint/v1/complaint.pb.h"
#include "revisit/loyalty/v1/loyalty.pb.h"

namespace revisit::complaint {

// Deadline names on Complaint.deadlines.
inline constexpr char kFirstResponse[] = "first_response";
inline constexpr char kResolution[] = "resolution";
// The follow-up after resolution (C10): the customer's answer window, then the
// window after the one reminder. Neither is the shop's SLA: silence closes the
// complaint as "followed up, no answer", never breaches.
// A REPAIR or GIFT remedy carried out by people must be done by then (C9); a shop deadline.
inline constexpr char kFulfilment[] = "fulfilment";
inline constexpr char kFollowUp[] = "follow_up";
inline constexpr char kFollowUpReminder[] = "follow_up_reminder";
// True for deadlines the shop owes (not the follow-up windows above).
bool IsShopDeadline(const std::string& name);
// "update-<n>" for the n-th promised update (C7).
std::string UpdateDeadlineName(int n);

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
  // "Same business day" (C1): a complaint opened with less working time than this
  // left in the day is due at the close of the next business day (still capped at
  // 24 elapsed hours).
  absl::Duration same_day_min_left = absl::Hours(1);

  absl::Time FirstResponseDue(v1::Priority p, absl::Time opened) const;
  absl::Time ResolutionDue(v1::Priority p, absl::Time opened) const;
  // The priority for a complaint: the requested one if set, else by tier (C16).
  v1::Priority PriorityFor(v1::Priority requested, loyalty::v1::Tier tier) const;
};

// C1: a first response is never later than this after opening, whatever the calendar.
inline constexpr absl::Duration kFirstResponseCeiling = absl::Hours(24);

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
// True when `d` is neither met nor breached (paused deadlines are open).
bool IsOpen(const v1::Deadline& d);
// True when `d` is open and its clock runs (not paused): it has a timer.
bool IsRunning(const v1::Deadline& d);
// True when `name` is running (open, not paused) and due at or before `now`.
bool IsDue(const v1::Complaint& c, const std::string& name, absl::Time now);
// True when a running shop deadline falls due before now + horizon.
bool AtRisk(const v1::Complaint& c, absl::Time now, absl::Duration horizon);
// Marks every open deadline met (e.g. a closed complaint has nothing pending).
void SettleOpenDeadlines(v1::Complaint& c, absl::Time now);

// The pause a complaint in `state` is owed: waiting on the customer's choice
// (RESOLUTION_PROPOSED) or on the platform's ruling (ESCALATED), else UNSPECIFIED.
v1::SlaPauseReason PauseReasonFor(v1::ComplaintState state);
// True for the deadlines whose clock pauses: first response and resolution (a
// promised update, C7, is a promise to the customer and keeps its time).
bool Pausable(const std::string& deadline);
// Starts a pause at `now`: c.sla_pause set, every running pausable deadline gets
// paused_since. Returns the deadlines paused.
std::vector<v1::Deadline> PauseClock(v1::Complaint& c, v1::SlaPauseReason reason, absl::Time now);
// Ends the current pause at `now`: each paused deadline still open is due again
// after the time it had left (first response: elapsed, C1's ceiling; others:
// working time on the calendar), its paused_seconds grow; the pause moves to
// c.sla_pauses with ended_at. Returns the ended pause and the deadlines resumed.
std::pair<v1::SlaPause, std::vector<v1::Deadline>> ResumeClock(v1::Complaint& c, const SlaPolicy& p,
                                                               absl::Time now);

}  // namespace revisit::complaint

#endif  // REVISIT_SERVICES_COMPLAINT_DOMAIN_SLA_H_
