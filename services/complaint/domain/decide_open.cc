// Deciders from opening to the investigation: C1-C3, C5, C16 (the cause: decide_cause.cc).
#include <set>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "services/complaint/domain/decide_internal.h"
#include "common/proto_time.h"

namespace revisit::complaint {

namespace {

absl::Status ValidateOpen(const v1::OpenComplaintRequest& req) {
  RETURN_IF_ERROR(ValidateActor(req.actor()));
  RETURN_IF_ERROR(ValidateId("customer_id", req.customer_id()));
  // A complaint about the service itself needs no order (R11 low ratings on any touch).
  if (!req.order_id().empty() || !OrderOptional(req.stated_cause())) {
    RETURN_IF_ERROR(ValidateId("order_id", req.order_id()));
  }
  if (req.order_id().empty() && req.line_ids_size() > 0) {
    return absl::InvalidArgumentError("line_ids: a complaint without an order has no lines");
  }
  if (req.stated_cause() == v1::CAUSE_UNSPECIFIED || !v1::Cause_IsValid(req.stated_cause())) {
    return absl::InvalidArgumentError("stated_cause: required, one of the causes of C4");
  }
  RETURN_IF_ERROR(ValidateText("account", req.account(), 1, 4000));
  if (req.evidence_refs_size() > 20) {
    return absl::InvalidArgumentError("evidence_refs: at most 20");
  }
  for (int i = 0; i < req.evidence_refs_size(); ++i) {
    RETURN_IF_ERROR(ValidateText(absl::StrCat("evidence_refs[", i, "]"), req.evidence_refs(i), 1, 500));
  }
  if (!v1::RemedyKind_IsValid(req.desired_remedy())) {
    return absl::InvalidArgumentError("desired_remedy: unknown remedy kind");
  }
  RETURN_IF_ERROR(ValidateText("desired_outcome", req.desired_outcome(), 0, 1000));
  if (!common::v1::Channel_IsValid(req.channel())) {
    return absl::InvalidArgumentError("channel: unknown channel");
  }
  if (!v1::Priority_IsValid(req.priority())) {
    return absl::InvalidArgumentError("priority: unknown priority");
  }
  RETURN_IF_ERROR(ValidateText("source_touch_id", req.source_touch_id(), 0, 128));
  std::set<std::string> seen;
  for (const auto& id : req.line_ids()) {
    if (!seen.insert(id).second) {
      return absl::InvalidArgumentError(absl::StrCat("line_ids: ", Excerpt(id), " listed twice"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Effects> DecideOpen(const v1::OpenComplaintRequest& req, const std::string& complaint_id,
                                   const order::v1::OrderFacts& order, loyalty::v1::Tier tier,
                                   const Policies& p, absl::Time now) {
  RETURN_IF_ERROR(ValidateOpen(req));
  if (!req.order_id().empty() && order.customer_id() != req.customer_id()) {
    return absl::PermissionDeniedError(absl::StrCat("order_id: order ", req.order_id(),
                                                    " belongs to another customer, not ",
                                                    req.customer_id()));
  }
  std::vector<order::v1::OrderLine> lines;  // none without an order
  if (!req.line_ids().empty()) {
    ASSIGN_OR_RETURN(lines, LinesOf(order, req.line_ids(), "line_ids"));
  } else if (!req.order_id().empty()) {
    lines.assign(order.lines().begin(), order.lines().end());
  }
  v1::Complaint empty;
  Effects e = Begin(empty);
  v1::Complaint& c = e.complaint;
  c.set_complaint_id(complaint_id);
  c.set_customer_id(req.customer_id());
  c.set_order_id(req.order_id());
  for (const auto& l : lines) {
    c.add_line_ids(l.line_id());
    c.add_skus(l.sku());
  }
  c.set_stated_cause(req.stated_cause());
  c.set_account(req.account());
  *c.mutable_evidence_refs() = req.evidence_refs();
  c.set_desired_remedy(req.desired_remedy());
  c.set_desired_outcome(req.desired_outcome());
  c.set_channel(req.channel());
  c.set_priority(p.sla.PriorityFor(req.priority(), tier));
  c.set_source_touch_id(req.source_touch_id());
  *c.mutable_opened_at() = ToProto(now);
  const std::string why =
      req.priority() == v1::PRIORITY_UNSPECIFIED
          ? absl::StrCat("opened; priority ", v1::Priority_Name(c.priority()), " from loyalty tier ",
                         loyalty::v1::Tier_Name(tier), " (C16)")
          : "opened";
  RETURN_IF_ERROR(Step(e, Action::kOpen, req.actor(), now, why));
  // C1: first response deadline; and the resolution target.
  absl::Time first_due = p.sla.FirstResponseDue(c.priority(), now);
  AddDeadline(c, kFirstResponse, first_due, "first response (C1)");
  AddDeadline(c, kResolution, p.sla.ResolutionDue(c.priority(), now), "resolution target");
  v1::ComplaintOpened ev;
  ev.set_source_touch_id(req.source_touch_id());
  *ev.mutable_first_response_due() = ToProto(first_due);
  Emit(e, "opened", ev, req.actor());
  return Finish(empty, std::move(e), p, now);
}

absl::StatusOr<Effects> DecideAcknowledge(const v1::Complaint& c,
                                          const v1::AcknowledgeComplaintRequest& req,
                                          const Policies& p, absl::Time now) {
  RETURN_IF_ERROR(ValidateActor(req.actor()));
  RETURN_IF_ERROR(ValidateText("restatement", req.restatement(), 1, 2000));
  if (!req.restatement_confirmed()) {
    return absl::InvalidArgumentError(
        "restatement_confirmed: the customer must confirm the restatement before acknowledging (C2)");
  }
  RETURN_IF_ERROR(ValidateText("apology", req.apology(), 1, 1000));
  Effects e = Begin(c);
  RETURN_IF_ERROR(Step(e, Action::kAcknowledge, req.actor(), now, "apology: " + req.apology()));
  e.complaint.set_restatement(req.restatement());
  e.complaint.set_restatement_confirmed(true);
  MeetDeadline(e.complaint, kFirstResponse, now);  // C1
  v1::ComplaintAcknowledged ev;  // outreach sends the acknowledgement and apology (C3)
  ev.set_apology(req.apology());
  Emit(e, "acknowledged", ev, req.actor());
  return Finish(c, std::move(e), p, now);
}

absl::StatusOr<Effects> DecideStartInvestigation(const v1::Complaint& c,
                                                 const v1::StartInvestigationRequest& req,
                                                 const Policies& p, absl::Time now) {
  RETURN_IF_ERROR(ValidateActor(req.actor()));
  Effects e = Begin(c);
  RETURN_IF_ERROR(Step(e, Action::kStartInvestigation, req.actor(), now, "finding the real cause (C4)"));
  // A reopened complaint that skips acknowledging still had its first response.
  MeetDeadline(e.complaint, kFirstResponse, now);
  return Finish(c, std::move(e), p, now);
}

}  // namespace revisit::complaint
