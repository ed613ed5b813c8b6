// Deciders for follow-up and closing (C10), rejection (C8), escalation and
// reopening (C12), promised updates (C7) and SLA breaches (C1, C7).
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "services/complaint/domain/decide_internal.h"
#include "common/proto_time.h"

namespace revisit::complaint {

namespace {

// Applies kReopen on `e`: the shop owes a first response and a resolution again
// (C1, C7), and emits `reopened`. `raise_priority`: one step up (capped at URGENT).
absl::Status Reopen(Effects& e, const common::v1::Actor& actor, const Policies& p, absl::Time now,
                    const std::string& reason, bool raise_priority) {
  RETURN_IF_ERROR(Step(e, Action::kReopen, actor, now, reason));
  v1::Complaint& x = e.complaint;
  SettleOpenDeadlines(x, now);
  x.clear_accepted_remedy_id();
  x.clear_execution_error();
  x.clear_rejection_reason();
  x.clear_resolved_at();
  x.clear_closure_reason();
  if (raise_priority && x.priority() < v1::PRIORITY_URGENT) {
    x.set_priority(static_cast<v1::Priority>(x.priority() + 1));
  }
  // A reopened complaint is handled at once again (C1).
  AddDeadline(x, kFirstResponse, p.sla.FirstResponseDue(x.priority(), now), "first response after reopening (C1)");
  AddDeadline(x, kResolution, p.sla.ResolutionDue(x.priority(), now), "resolution target after reopening");
  v1::ComplaintReopened ev;
  ev.set_reason(reason);
  Emit(e, "reopened", ev, actor);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Effects> DecideRecordFollowUp(const v1::Complaint& c, const v1::RecordFollowUpRequest& req,
                                             const Policies& p, absl::Time now) {
  RETURN_IF_ERROR(ValidateActor(req.actor()));
  const v1::FollowUp& f = req.follow_up();
  if (f.satisfaction() < 1 || f.satisfaction() > 5) {
    return absl::InvalidArgumentError("follow_up.satisfaction: must be 1..5 (C10)");
  }
  RETURN_IF_ERROR(ValidateText("follow_up.comment", f.comment(), 0, 2000));
  RETURN_IF_ERROR(ValidateText("follow_up.touch_id", f.touch_id(), 0, 128));
  const int current = ResolutionCount(c);
  if (f.resolution() < 0) return absl::InvalidArgumentError("follow_up.resolution: must be >= 0");
  if (f.resolution() != 0 && f.resolution() != current) {
    // C10: answers an earlier resolution (the complaint was reopened and resolved
    // again since); it must not close or reopen the complaint as it is now.
    return absl::FailedPreconditionError(absl::StrCat("follow_up.resolution ", f.resolution(),
                                                      " is stale: the complaint is at resolution ", current,
                                                      " (C10)"));
  }
  Effects e = Begin(c);
  const std::string recorded = absl::StrCat("follow-up recorded, satisfaction ", f.satisfaction());
  RETURN_IF_ERROR(Step(e, Action::kRecordFollowUp, req.actor(), now, recorded + " (C10)"));
  v1::FollowUp* out = e.complaint.mutable_follow_up();
  *out = f;
  if (!IsSet(out->recorded_at())) *out->mutable_recorded_at() = ToProto(now);
  out->set_resolution(current);
  MeetDeadline(e.complaint, kFollowUp, now);
  MeetDeadline(e.complaint, kFollowUpReminder, now);
  v1::FollowUpRecorded ev;
  *ev.mutable_follow_up() = *out;
  Emit(e, "follow_up_recorded", ev, req.actor());
  if (IsUnhappy(p, f.satisfaction())) {
    // Still unhappy after the remedy: not closed but back with the handler, first
    // response due again and priority one step up (C7 answer until solved, C15
    // find what was misunderstood, C3 apologise again).
    RETURN_IF_ERROR(Reopen(e, req.actor(), p, now, recorded + ": customer still unhappy, reopened (C10, C7, C15)",
                           /*raise_priority=*/true));
  } else {
    RETURN_IF_ERROR(Close(e, req.actor(), now, recorded + ": closed (C10)", v1::CLOSURE_REASON_FOLLOW_UP_ANSWERED));
  }
  return Finish(c, std::move(e), p, now);
}

absl::StatusOr<Effects> DecideClose(const v1::Complaint& c, const v1::CloseComplaintRequest& req,
                                    const Policies& p, absl::Time now) {
  RETURN_IF_ERROR(ValidateActor(req.actor()));
  Effects e = Begin(c);
  RETURN_IF_ERROR(Close(e, req.actor(), now, "closed",
                        c.state() == v1::COMPLAINT_STATE_REJECTED ? v1::CLOSURE_REASON_REJECTED
                                                                  : v1::CLOSURE_REASON_BY_HAND));
  return Finish(c, std::move(e), p, now);
}

absl::StatusOr<Effects> DecideReject(const v1::Complaint& c, const v1::RejectComplaintRequest& req,
                                     const Policies& p, absl::Time now) {
  RETURN_IF_ERROR(ValidateActor(req.actor()));
  RETURN_IF_ERROR(ValidateText("reason", req.reason(), 1, 1000));
  Effects e = Begin(c);
  RETURN_IF_ERROR(Step(e, Action::kReject, req.actor(), now, req.reason()));
  e.complaint.set_rejection_reason(req.reason());
  SettleOpenDeadlines(e.complaint, now);  // a polite, firm answer is an answer (C8)
  v1::ComplaintRejected ev;
  ev.set_reason(req.reason());
  Emit(e, "rejected", ev, req.actor());
  return Finish(c, std::move(e), p, now);
}

absl::StatusOr<Effects> DecideEscalate(const v1::Complaint& c, const v1::EscalateComplaintRequest& req,
                                       const Policies& p, absl::Time now) {
  RETURN_IF_ERROR(ValidateActor(req.actor()));
  RETURN_IF_ERROR(ValidateText("reason", req.reason(), 1, 1000));
  if (c.evidence_refs_size() + req.evidence_refs_size() > 40) {
    return absl::InvalidArgumentError("evidence_refs: at most 40 in total");
  }
  for (int i = 0; i < req.evidence_refs_size(); ++i) {
    RETURN_IF_ERROR(ValidateText(absl::StrCat("evidence_refs[", i, "]"), req.evidence_refs(i), 1, 500));
  }
  Effects e = Begin(c);
  RETURN_IF_ERROR(Step(e, Action::kEscalate, req.actor(), now, "to the platform (C12): " + req.reason()));
  e.complaint.set_escalation_reason(req.reason());
  for (const auto& ref : req.evidence_refs()) e.complaint.add_evidence_refs(ref);
  v1::ComplaintEscalated ev;
  ev.set_reason(req.reason());
  Emit(e, "escalated", ev, req.actor());
  return Finish(c, std::move(e), p, now);
}

absl::StatusOr<Effects> DecideReopen(const v1::Complaint& c, const v1::ReopenComplaintRequest& req,
                                     const Policies& p, absl::Time now) {
  RETURN_IF_ERROR(ValidateActor(req.actor()));
  RETURN_IF_ERROR(ValidateText("reason", req.reason(), 1, 1000));
  Effects e = Begin(c);
  RETURN_IF_ERROR(Reopen(e, req.actor(), p, now, req.reason(), /*raise_priority=*/false));
  return Finish(c, std::move(e), p, now);
}

absl::StatusOr<Effects> DecidePromiseUpdate(const v1::Complaint& c, const v1::PromiseUpdateRequest& req,
                                            const Policies& p, absl::Time now) {
  RETURN_IF_ERROR(ValidateActor(req.actor()));
  if (!IsSet(req.due_at()) || FromProto(req.due_at()) <= now) {
    return absl::InvalidArgumentError("due_at: must be in the future (C7)");
  }
  RETURN_IF_ERROR(ValidateText("note", req.note(), 0, 500));
  int n = 1;
  for (const auto& d : c.deadlines()) {
    if (d.name().rfind("update-", 0) == 0) ++n;
  }
  if (n > 100) return absl::ResourceExhaustedError("at most 100 promised updates per complaint");
  Effects e = Begin(c);
  const std::string name = UpdateDeadlineName(n);
  RETURN_IF_ERROR(Step(e, Action::kPromiseUpdate, req.actor(), now,
                       absl::StrCat("promised an update by ", absl::FormatTime(FromProto(req.due_at())),
                                    " (C7)", req.note().empty() ? "" : ": " + req.note())));
  AddDeadline(e.complaint, name, FromProto(req.due_at()), req.note());
  v1::UpdatePromised ev;  // outreach tells the customer when to expect the answer (C7)
  ev.set_deadline(name);
  *ev.mutable_due_at() = req.due_at();
  ev.set_note(req.note());
  Emit(e, "update_promised", ev, req.actor());
  return Finish(c, std::move(e), p, now);
}

absl::StatusOr<Effects> DecidePostUpdate(const v1::Complaint& c, const v1::PostUpdateRequest& req,
                                         const Policies& p, absl::Time now) {
  RETURN_IF_ERROR(ValidateActor(req.actor()));
  RETURN_IF_ERROR(ValidateText("note", req.note(), 1, 2000));
  Effects e = Begin(c);
  RETURN_IF_ERROR(Step(e, Action::kPostUpdate, req.actor(), now, "update: " + req.note()));
  v1::UpdatePosted ev;  // outreach sends the update to the customer (C7)
  ev.set_note(req.note());
  if (v1::Deadline* d = EarliestOpenUpdate(e.complaint)) {
    *d->mutable_met_at() = ToProto(now);
    ev.set_deadline(d->name());
  }
  Emit(e, "update_posted", ev, req.actor());
  return Finish(c, std::move(e), p, now);
}

absl::StatusOr<std::optional<Effects>> DecideSlaBreach(const v1::Complaint& c, const std::string& deadline,
                                                       const Policies& p, absl::Time now) {
  if (!IsDue(c, deadline, now)) return std::optional<Effects>();
  Effects e = Begin(c);
  v1::Complaint& x = e.complaint;
  v1::Deadline* d = FindDeadline(x, deadline);
  d->set_breached(true);
  x.set_sla_breached(true);
  x.set_in_supervisor_queue(true);  // lands in the supervisor queue until one takes it
  const std::string reason = absl::StrCat("SLA breach: ", deadline, " was due ",
                                          absl::FormatTime(FromProto(d->due_at()), absl::UTCTimeZone()));
  x.set_escalation_reason(reason);
  if (x.priority() < v1::PRIORITY_URGENT) x.set_priority(static_cast<v1::Priority>(x.priority() + 1));
  const common::v1::Actor system = internal::SystemActor();
  v1::Transition* t = x.add_history();  // who, when, why, without a state change
  t->set_from(x.state());
  t->set_to(x.state());
  t->set_action("sla_breach");
  *t->mutable_actor() = system;
  *t->mutable_at() = ToProto(now);
  t->set_reason(reason);
  v1::SlaBreached breached;
  breached.set_deadline(deadline);
  *breached.mutable_due_at() = d->due_at();
  Emit(e, "sla_breached", breached, system);
  v1::ComplaintEscalated escalated;
  escalated.set_reason(reason);
  Emit(e, "escalated", escalated, system);
  return std::optional<Effects>(Finish(c, std::move(e), p, now));
}

}  // namespace revisit::complaint
