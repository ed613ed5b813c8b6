// Deciders for resolution: execute the accepted remedy (C9), resolve and schedule
// the follow-up (C10), and platform rulings (C12).
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "services/complaint/domain/decide_internal.h"
#include "services/complaint/domain/execution_plan.h"
#include "common/proto_time.h"

namespace revisit::complaint {

namespace internal {

absl::Status Resolve(Effects& e, const common::v1::Actor& actor, const Policies& p, absl::Time now) {
  ASSIGN_OR_RETURN(v1::Remedy remedy, AcceptedRemedy(e.complaint));
  RETURN_IF_ERROR(Step(e, Action::kExecutionSucceeded, actor, now,
                       absl::StrCat("executed ", remedy.remedy_id(), " (", v1::RemedyKind_Name(remedy.kind()), ", C9)")));
  v1::Complaint& c = e.complaint;
  *c.mutable_resolved_at() = ToProto(now);
  c.clear_execution_error();
  MeetDeadline(c, kResolution, now);
  SettleOpenDeadlines(c, now);  // the resolution answers every promised update (C7)
  AddDeadline(c, kFollowUp, now + p.follow_up_within, "follow-up with the customer (C10)");
  e.timers.push_back({ExecutionTimerId(c.complaint_id()), std::nullopt});
  v1::ComplaintResolved ev;
  *ev.mutable_remedy() = remedy;
  *ev.mutable_resolved_at() = ToProto(now);
  ev.set_resolution(ResolutionCount(c));  // outreach: one follow-up per resolution (C10)
  Emit(e, "resolved", ev, actor);
  return absl::OkStatus();
}

}  // namespace internal

namespace {


// A REPAIR or GIFT remedy is done by people: tracked with its own deadline (C9).
void StartFulfilment(v1::Complaint& c, v1::RemedyKind kind, const Policies& p, absl::Time now) {
  const absl::Time due = now + (kind == v1::REMEDY_KIND_REPAIR ? p.repair_within : p.gift_within);
  v1::Fulfilment* f = c.mutable_fulfilment();
  f->Clear();
  f->set_kind(kind);
  *f->mutable_due_at() = ToProto(due);
  *f->mutable_updated_at() = ToProto(now);
  AddDeadline(c, kFulfilment, due, absl::StrCat(v1::RemedyKind_Name(kind), " done (C9)"));
}

// RESOLUTION_ACCEPTED → EXECUTING on `e` (C9): `executing` and the durable retry
// timer, or straight on to RESOLVED for a remedy that needs no call.
absl::Status StartExecution(Effects& e, const common::v1::Actor& actor, const Policies& p, absl::Time now,
                            const std::string& why) {
  RETURN_IF_ERROR(Step(e, Action::kResolve, actor, now, why));
  ASSIGN_OR_RETURN(v1::Remedy remedy, AcceptedRemedy(e.complaint));
  e.complaint.clear_execution_error();
  v1::ResolutionExecuting ev;
  *ev.mutable_remedy() = remedy;
  Emit(e, "executing", ev, actor);
  if (NeedsCalls(remedy.kind())) {
    // Durable: if this process dies before the calls finish, the timer retries them.
    e.timers.push_back({ExecutionTimerId(e.complaint.complaint_id()), now + p.execution_retry});
    return absl::OkStatus();
  }
  if (NeedsFulfilment(remedy.kind())) {
    StartFulfilment(e.complaint, remedy.kind(), p, now);  // RecordFulfilment takes it on
    return absl::OkStatus();
  }
  return Resolve(e, actor, p, now);
}

}  // namespace

absl::StatusOr<Effects> DecideResolve(const v1::Complaint& c, const common::v1::Actor& actor,
                                      const Policies& p, absl::Time now) {
  RETURN_IF_ERROR(ValidateActor(actor));
  Effects e = Begin(c);
  if (c.state() == v1::COMPLAINT_STATE_EXECUTING) return e;  // a retry: nothing to record
  RETURN_IF_ERROR(StartExecution(e, actor, p, now, "executing the accepted remedy (C9)"));
  return Finish(c, std::move(e), p, now);
}

absl::StatusOr<Effects> DecideExecutionSucceeded(const v1::Complaint& c, const Policies& p, absl::Time now) {
  if (AwaitsFulfilment(c)) {
    return absl::FailedPreconditionError(absl::StrCat("complaint ", c.complaint_id(), ": the ",
                                                      v1::RemedyKind_Name(c.fulfilment().kind()),
                                                      " is not done yet (RecordFulfilment, C9)"));
  }
  Effects e = Begin(c);
  RETURN_IF_ERROR(Resolve(e, internal::SystemActor(), p, now));
  return Finish(c, std::move(e), p, now);
}

absl::StatusOr<Effects> DecideExecutionFailed(const v1::Complaint& c, const std::string& error,
                                              const Policies& p, absl::Time now) {
  if (c.state() != v1::COMPLAINT_STATE_EXECUTING) {
    return absl::FailedPreconditionError(
        absl::StrCat("complaint is ", StateName(c.state()), ": cannot record an execution error"));
  }
  Effects e = Begin(c);
  e.complaint.set_execution_error(error.substr(0, 1000));
  e.timers.push_back({ExecutionTimerId(c.complaint_id()), now + p.execution_retry});
  return Finish(c, std::move(e), p, now);
}

absl::StatusOr<Effects> DecideRecordRuling(const v1::Complaint& c, const v1::RecordPlatformRulingRequest& req,
                                           const Policies& p, absl::Time now) {
  RETURN_IF_ERROR(ValidateActor(req.actor()));
  RETURN_IF_ERROR(ValidateText("ruling", req.ruling(), 1, 2000));
  Effects e = Begin(c);
  const bool has_remedy = req.has_remedy() && req.remedy().kind() != v1::REMEDY_KIND_UNSPECIFIED;
  RETURN_IF_ERROR(Step(e, has_remedy ? Action::kRecordRuling : Action::kRecordRulingNoRemedy, req.actor(),
                       now, "platform ruling (C12): " + req.ruling()));
  e.complaint.set_platform_ruling(req.ruling());
  v1::PlatformRulingRecorded ev;
  ev.set_ruling(req.ruling());
  if (has_remedy) {
    v1::Remedy r = req.remedy();
    if (!v1::RemedyKind_IsValid(r.kind())) return absl::InvalidArgumentError("remedy.kind: unknown");
    if (c.order_id().empty() && NeedsOrder(r.kind())) {
      return absl::FailedPreconditionError(absl::StrCat("remedy.kind: ", v1::RemedyKind_Name(r.kind()),
                                                        " needs an order and this complaint has none (C12)"));
    }
    const bool money = r.kind() == v1::REMEDY_KIND_PARTIAL_REFUND || r.kind() == v1::REMEDY_KIND_VOUCHER;
    if (money && (r.amount().amount_minor() <= 0 || r.amount().currency().size() != 3)) {
      return absl::InvalidArgumentError("remedy.amount: a positive amount with its currency");
    }
    if (r.kind() == v1::REMEDY_KIND_POINTS && (r.points() < 1 || r.points() > 1000000)) {
      return absl::InvalidArgumentError("remedy.points: must be 1..1000000");
    }
    if (r.line_ids().empty()) *r.mutable_line_ids() = c.line_ids();
    r.set_remedy_id(absl::StrCat("r", internal::NextRemedyNumber(c)));
    r.set_requires_approval(false);
    r.set_approved_by("platform");
    *e.complaint.add_proposals() = r;
    e.complaint.set_accepted_remedy_id(r.remedy_id());
    *ev.mutable_remedy() = r;
    Emit(e, "ruling_recorded", ev, req.actor());
    // C12: the ordered remedy is carried out like an accepted one, without another call (C9).
    RETURN_IF_ERROR(StartExecution(e, internal::SystemActor(), p, now,
                                   "executing the remedy the platform ordered (C12, C9)"));
  } else {
    e.complaint.set_rejection_reason("platform ruling: " + req.ruling());
    SettleOpenDeadlines(e.complaint, now);  // nothing more is owed on a refused complaint (C12, C8)
    Emit(e, "ruling_recorded", ev, req.actor());
    v1::ComplaintRejected rej;
    rej.set_reason(e.complaint.rejection_reason());
    Emit(e, "rejected", rej, req.actor());
  }
  return Finish(c, std::move(e), p, now);
}

}  // namespace revisit::complaint
