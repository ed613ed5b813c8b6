// Deciders for remedies: offer choices (C6) within 三包 eligibility (C13, C14) or
// as explicit goodwill, within authority or with approval (C8), then acceptance.
#include <algorithm>
#include <set>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "services/complaint/domain/decide_internal.h"
#include "common/proto_time.h"

namespace revisit::complaint {

namespace {

constexpr int64_t kMaxPoints = 1000000;

std::string Currency(const order::v1::OrderFacts& o) {
  return o.paid().currency().empty() ? o.total().currency() : o.paid().currency();
}

// Sets the amount of a refund or voucher, checking it against what was paid.
absl::Status SetAmounts(v1::Remedy& r, const std::string& f, const order::v1::OrderFacts& order) {
  const int64_t refundable = Refundable(order);
  const std::string cur = Currency(order);
  switch (r.kind()) {
    case v1::REMEDY_KIND_FULL_REFUND: {
      // What the order service will pay: the paid share after discounts, less what
      // was already refunded (refund_value.h), never the list price.
      const int64_t value = FullRefundValue(order, r.line_ids());
      if (value <= 0) {
        return absl::FailedPreconditionError(absl::StrCat(
            f, ": nothing left to refund on order ", order.order_id(), " (paid ", order.paid().amount_minor(),
            ", refunded ", order.refunded().amount_minor(), " ", cur, ")"));
      }
      r.mutable_amount()->set_amount_minor(value);
      r.mutable_amount()->set_currency(cur);
      return absl::OkStatus();
    }
    case v1::REMEDY_KIND_PARTIAL_REFUND:
      if (r.amount().amount_minor() <= 0) {
        return absl::InvalidArgumentError(f + ".amount: a partial refund needs a positive amount");
      }
      if (r.amount().currency() != cur) {
        return absl::InvalidArgumentError(
            absl::StrCat(f, ".amount.currency: must be the order's currency ", cur));
      }
      if (r.amount().amount_minor() > refundable) {
        return absl::InvalidArgumentError(absl::StrCat(
            f, ".amount: ", r.amount().amount_minor(), " exceeds what can be refunded on order ",
            order.order_id(), ": ", refundable, " ", cur, " (paid ", order.paid().amount_minor(),
            ", already refunded ", order.refunded().amount_minor(), ")"));
      }
      return absl::OkStatus();
    case v1::REMEDY_KIND_VOUCHER:
    case v1::REMEDY_KIND_GIFT: {
      const bool voucher = r.kind() == v1::REMEDY_KIND_VOUCHER;
      if (r.amount().amount_minor() < 0 || (voucher && r.amount().amount_minor() == 0)) {
        return absl::InvalidArgumentError(f + ".amount: must be positive");
      }
      RETURN_IF_ERROR(ValidateAmount(f + ".amount.amount_minor", r.amount().amount_minor()));
      if (r.amount().amount_minor() > 0 && r.amount().currency().size() != 3) {
        return absl::InvalidArgumentError(f + ".amount.currency: an ISO 4217 code");
      }
      return absl::OkStatus();
    }
    case v1::REMEDY_KIND_POINTS:
      if (r.points() < 1 || r.points() > kMaxPoints) {
        return absl::InvalidArgumentError(f + ".points: must be 1..1000000");
      }
      return absl::OkStatus();
    default:
      r.clear_amount();
      return absl::OkStatus();
  }
}

// C13: a line remedy outside eligibility needs goodwill and a reason.
absl::Status CheckEligible(v1::Remedy& r, const std::string& f, const std::vector<order::v1::OrderLine>& lines,
                           const order::v1::OrderFacts& order, v1::Cause cause, const Policies& p,
                           absl::Time now, int extra_warranty_days, const v1::OrderTerms* terms) {
  if (r.goodwill()) RETURN_IF_ERROR(ValidateText(f + ".goodwill_reason", r.goodwill_reason(), 1, 500));
  if (!NeedsOrder(r.kind())) return absl::OkStatus();
  v1::Party postage = v1::PARTY_UNSPECIFIED;
  for (const auto& l : lines) {
    auto answers = CheckEligibility(p.sanbao, LineFactsOf(order, l, extra_warranty_days, terms), cause, now);
    v1::RemedyEligibility a = Find(answers, r.kind());
    if (!a.eligible() && !r.goodwill()) {
      return absl::FailedPreconditionError(absl::StrCat(
          f, ": ", v1::RemedyKind_Name(r.kind()), " is not owed for line ", l.line_id(), " (", l.sku(),
          "): ", a.reason(), "; offer it as goodwill with a goodwill_reason (C13)"));
    }
    if (a.eligible()) postage = a.postage_paid_by();
  }
  if (r.postage_paid_by() == v1::PARTY_UNSPECIFIED) r.set_postage_paid_by(postage);
  return absl::OkStatus();
}

absl::Status PrepareRemedy(v1::Remedy& r, int i, const v1::Complaint& c, const order::v1::OrderFacts& order,
                           const common::v1::Actor& actor, const Policies& p, absl::Time now,
                           int extra_warranty_days, const v1::OrderTerms* terms) {
  const std::string f = absl::StrCat("remedies[", i, "]");
  if (r.kind() == v1::REMEDY_KIND_UNSPECIFIED || !v1::RemedyKind_IsValid(r.kind())) {
    return absl::InvalidArgumentError(f + ".kind: required (C6)");
  }
  if (!v1::Party_IsValid(r.postage_paid_by())) return absl::InvalidArgumentError(f + ".postage_paid_by: unknown");
  RETURN_IF_ERROR(ValidateText(f + ".note", r.note(), 0, 1000));
  if (c.order_id().empty() && NeedsOrder(r.kind())) {
    return absl::FailedPreconditionError(absl::StrCat(
        f, ".kind: ", v1::RemedyKind_Name(r.kind()),
        " needs an order and this complaint has none: offer a voucher, points, a gift or an apology (C6)"));
  }
  if (r.line_ids().empty()) *r.mutable_line_ids() = c.line_ids();
  std::set<std::string> mine(c.line_ids().begin(), c.line_ids().end());
  for (const auto& id : r.line_ids()) {
    if (mine.count(id) == 0) {
      return absl::InvalidArgumentError(absl::StrCat(f, ".line_ids: line ", Excerpt(id), " is not part of this complaint"));
    }
  }
  ASSIGN_OR_RETURN(auto lines, LinesOf(order, r.line_ids(), f + ".line_ids"));
  RETURN_IF_ERROR(SetAmounts(r, f, order));
  RETURN_IF_ERROR(CheckEligible(r, f, lines, order, c.determined_cause(), p, now, extra_warranty_days, terms));
  r.set_requires_approval(!p.authority.Within(actor.role(), r));  // C8
  r.clear_approved_by();
  return absl::OkStatus();
}

const v1::Remedy* FindRemedy(const v1::Complaint& c, const std::string& id) {
  for (const auto& r : c.proposals()) {
    if (r.remedy_id() == id) return &r;
  }
  return nullptr;
}

}  // namespace

absl::StatusOr<Effects> DecideProposeRemedies(const v1::Complaint& c, const v1::ProposeRemediesRequest& req,
                                              const order::v1::OrderFacts& order, const Policies& p,
                                              absl::Time now, int extra_warranty_days,
                                              const v1::OrderTerms* terms) {
  RETURN_IF_ERROR(ValidateActor(req.actor()));
  if (req.remedies_size() < 1 || req.remedies_size() > 6) {
    return absl::InvalidArgumentError("remedies: offer 1..6 choices (C6)");
  }
  Effects e = Begin(c);
  RETURN_IF_ERROR(Step(e, Action::kProposeRemedies, req.actor(), now, absl::StrCat(req.remedies_size(), " choice(s) offered (C6)")));
  if (c.determined_cause() == v1::CAUSE_UNSPECIFIED) {
    return absl::FailedPreconditionError(
        "complaint has no determined cause: determine the real cause before proposing remedies (C4)");
  }
  int next = NextRemedyNumber(c);
  e.complaint.clear_proposals();
  e.complaint.clear_accepted_remedy_id();
  v1::RemediesProposed ev;
  for (int i = 0; i < req.remedies_size(); ++i) {
    v1::Remedy r = req.remedies(i);
    RETURN_IF_ERROR(PrepareRemedy(r, i, c, order, req.actor(), p, now, extra_warranty_days, terms));
    r.set_remedy_id(absl::StrCat("r", next++));
    *e.complaint.add_proposals() = r;
    *ev.add_remedies() = r;
  }
  Emit(e, "remedies_proposed", ev, req.actor());
  return Finish(c, std::move(e), p, now);
}

absl::StatusOr<Effects> DecideApproveRemedy(const v1::Complaint& c, const v1::ApproveRemedyRequest& req,
                                            const Policies& p, absl::Time now) {
  RETURN_IF_ERROR(ValidateActor(req.actor()));
  RETURN_IF_ERROR(ValidateText("remedy_id", req.remedy_id(), 1, 16));
  Effects e = Begin(c);
  RETURN_IF_ERROR(Step(e, Action::kApproveRemedy, req.actor(), now, "approved " + req.remedy_id() + " (C8)"));
  const v1::Remedy* r = FindRemedy(c, req.remedy_id());
  if (r == nullptr) return absl::NotFoundError("remedy_id: no proposed remedy " + req.remedy_id());
  if (!r->requires_approval()) {
    return absl::FailedPreconditionError("remedy " + req.remedy_id() + " is within authority: no approval needed");
  }
  if (!r->approved_by().empty()) {
    return absl::FailedPreconditionError("remedy " + req.remedy_id() + " is already approved by " + r->approved_by());
  }
  RETURN_IF_ERROR(p.authority.CheckApprover(req.actor().role(), *r));
  for (auto& pr : *e.complaint.mutable_proposals()) {
    if (pr.remedy_id() == req.remedy_id()) pr.set_approved_by(req.actor().id());
  }
  return Finish(c, std::move(e), p, now);
}

absl::StatusOr<Effects> DecideAcceptRemedy(const v1::Complaint& c, const v1::AcceptRemedyRequest& req,
                                           const Policies& p, absl::Time now) {
  RETURN_IF_ERROR(ValidateActor(req.actor()));
  RETURN_IF_ERROR(ValidateText("remedy_id", req.remedy_id(), 1, 16));
  Effects e = Begin(c);
  RETURN_IF_ERROR(Step(e, Action::kAcceptRemedy, req.actor(), now, "customer chose " + req.remedy_id()));
  const v1::Remedy* r = FindRemedy(c, req.remedy_id());
  if (r == nullptr) return absl::NotFoundError("remedy_id: no proposed remedy " + req.remedy_id());
  if (r->requires_approval() && r->approved_by().empty()) {
    return absl::FailedPreconditionError("remedy " + req.remedy_id() +
                                         " exceeds the proposer's authority and awaits approval (C8)");
  }
  e.complaint.set_accepted_remedy_id(req.remedy_id());
  v1::RemedyAccepted ev;
  *ev.mutable_remedy() = *r;
  Emit(e, "remedy_accepted", ev, req.actor());
  return Finish(c, std::move(e), p, now);
}

absl::StatusOr<v1::Remedy> AcceptedRemedy(const v1::Complaint& c) {
  if (!c.accepted_remedy_id().empty()) {
    const v1::Remedy* r = FindRemedy(c, c.accepted_remedy_id());
    if (r != nullptr) return *r;
  }
  return absl::FailedPreconditionError("complaint " + c.complaint_id() + " has no accepted remedy");
}

}  // namespace revisit::complaint
