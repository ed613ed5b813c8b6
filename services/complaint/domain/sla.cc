#include "services/complaint/domain/sla.h"

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/proto_time.h"
#include "common/status_macros.h"

namespace revisit::complaint {
std::string UpdateDeadlineName(int n) { return absl::StrCat("update-", n); }

absl::Time SlaPolicy::FirstResponseDue(v1::Priority p, absl::Time opened) const {
  auto it = first_response.find(p);
  const absl::Duration target = it == first_response.end() ? kFirstResponseCeiling : it->second;
  if (calendar.always_open()) return opened + std::min(target, kFirstResponseCeiling);
  // C1: the same business day, sooner if the priority's working-time target says so,
  // never later than 24 elapsed hours.
  return std::min({opened + kFirstResponseCeiling, calendar.SameBusinessDayClose(opened, same_day_min_left),
                   calendar.AddWorking(opened, target)});
}

absl::Time SlaPolicy::ResolutionDue(v1::Priority p, absl::Time opened) const {
  auto it = resolution.find(p);
  const absl::Duration target = it == resolution.end() ? absl::Hours(24 * 7) : it->second;
  if (calendar.always_open()) return opened + target;
  absl::Duration rest;
  const int64_t days = absl::IDivDuration(target, absl::Hours(24), &rest);
  const absl::Time base = days > 0 ? calendar.CloseOfNthBusinessDay(opened, static_cast<int>(days)) : opened;
  return calendar.AddWorking(base, rest);
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

bool IsShopDeadline(const std::string& name) { return name != kFollowUp && name != kFollowUpReminder; }

bool IsOpen(const v1::Deadline& d) { return !IsSet(d.met_at()) && !d.breached(); }

bool IsRunning(const v1::Deadline& d) { return IsOpen(d) && !IsSet(d.paused_since()); }

bool IsDue(const v1::Complaint& c, const std::string& name, absl::Time now) {
  const v1::Deadline* d = FindDeadline(c, name);
  return d != nullptr && IsRunning(*d) && FromProto(d->due_at()) <= now;
}

bool AtRisk(const v1::Complaint& c, absl::Time now, absl::Duration horizon) {
  for (const auto& d : c.deadlines()) {
    if (IsRunning(d) && IsShopDeadline(d.name()) && FromProto(d.due_at()) <= now + horizon) return true;
  }
  return false;
}

void SettleOpenDeadlines(v1::Complaint& c, absl::Time now) {
  for (auto& d : *c.mutable_deadlines()) {
    if (IsOpen(d)) *d.mutable_met_at() = ToProto(now);
  }
}

v1::SlaPauseReason PauseReasonFor(v1::ComplaintState state) {
  switch (state) {
    case v1::COMPLAINT_STATE_RESOLUTION_PROPOSED: return v1::SLA_PAUSE_REASON_WAITING_ON_CUSTOMER;
    case v1::COMPLAINT_STATE_ESCALATED: return v1::SLA_PAUSE_REASON_WAITING_ON_PLATFORM;
    default: return v1::SLA_PAUSE_REASON_UNSPECIFIED;
  }
}

bool Pausable(const std::string& deadline) { return deadline == kFirstResponse || deadline == kResolution; }

std::vector<v1::Deadline> PauseClock(v1::Complaint& c, v1::SlaPauseReason reason, absl::Time now) {
  v1::SlaPause* pause = c.mutable_sla_pause();
  pause->Clear();
  pause->set_reason(reason);
  *pause->mutable_started_at() = ToProto(now);
  std::vector<v1::Deadline> paused;
  for (auto& d : *c.mutable_deadlines()) {
    if (!Pausable(d.name()) || !IsRunning(d)) continue;
    *d.mutable_paused_since() = ToProto(now);
    paused.push_back(d);
  }
  return paused;
}

std::pair<v1::SlaPause, std::vector<v1::Deadline>> ResumeClock(v1::Complaint& c, const SlaPolicy& p,
                                                               absl::Time now) {
  std::vector<v1::Deadline> resumed;
  for (auto& d : *c.mutable_deadlines()) {
    if (!IsSet(d.paused_since())) continue;
    const absl::Time since = FromProto(d.paused_since());
    const absl::Time due = FromProto(d.due_at());
    d.set_paused_seconds(d.paused_seconds() + absl::ToInt64Seconds(std::max(absl::ZeroDuration(), now - since)));
    d.clear_paused_since();
    if (!IsOpen(d)) continue;
    // C1's ceiling is elapsed time; the others count the shop's working time.
    const absl::Time next = d.name() == kFirstResponse
                                ? now + std::max(absl::ZeroDuration(), due - since)
                                : p.calendar.AddWorking(now, p.calendar.WorkingBetween(since, due));
    *d.mutable_due_at() = ToProto(next);
    resumed.push_back(d);
  }
  v1::SlaPause ended = c.sla_pause();
  *ended.mutable_ended_at() = ToProto(now);
  *c.add_sla_pauses() = ended;
  c.clear_sla_pause();
  return {ended, resumed};
}

}  // namespace revisit::complaint
