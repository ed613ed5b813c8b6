#include "services/complaint/domain/execution_plan.h"

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "services/complaint/domain/refund_value.h"

namespace revisit::complaint {
namespace {

// C14: the cause found (or, before investigation, stated) decides who is at fault for
// an exchange: misuse is the customer's; a defect, a wrong item, not as described or
// transit damage are the shop's; anything else is left to the order service's default
// (the shop pays).
order::v1::ExchangeFault ExchangeFaultOf(const v1::Complaint& c) {
  const v1::Cause cause =
      c.determined_cause() != v1::CAUSE_UNSPECIFIED ? c.determined_cause() : c.stated_cause();
  switch (cause) {
    case v1::CAUSE_CUSTOMER_MISUSE:
      return order::v1::EXCHANGE_FAULT_CUSTOMER;
    case v1::CAUSE_QUALITY_DEFECT:
    case v1::CAUSE_NOT_AS_DESCRIBED:
    case v1::CAUSE_WRONG_OR_MISSING_ITEM:
    case v1::CAUSE_TRANSIT_DAMAGE:
      return order::v1::EXCHANGE_FAULT_SHOP;
    default:
      return order::v1::EXCHANGE_FAULT_UNSPECIFIED;
  }
}

common::v1::Actor ServiceActor() {
  common::v1::Actor a;
  a.set_id("complaint-service");
  a.set_role("system");
  return a;
}

std::string Reason(const v1::Complaint& c, const v1::Remedy& r) {
  std::string s = absl::StrCat("complaint ", c.complaint_id(), " remedy ", r.remedy_id(), " (",
                               v1::RemedyKind_Name(r.kind()), ")");
  return s.substr(0, 500);
}

// The full quantities of `line_ids` of `order`.
google::protobuf::RepeatedPtrField<order::v1::LineQuantity> Quantities(
    const order::v1::OrderFacts& order, const google::protobuf::RepeatedPtrField<std::string>& ids) {
  google::protobuf::RepeatedPtrField<order::v1::LineQuantity> out;
  for (const auto& id : ids) {
    for (const auto& l : order.lines()) {
      if (l.line_id() != id) continue;
      auto* q = out.Add();
      q->set_line_id(id);
      q->set_quantity(l.quantity());
    }
  }
  return out;
}

}  // namespace

std::string ExecutionKey(const std::string& complaint_id, const std::string& remedy_id) {
  return absl::StrCat(complaint_id, ":", remedy_id, ":exec");
}

bool NeedsCalls(v1::RemedyKind kind) {
  switch (kind) {
    case v1::REMEDY_KIND_FULL_REFUND:
    case v1::REMEDY_KIND_PARTIAL_REFUND:
    case v1::REMEDY_KIND_EXCHANGE:
    case v1::REMEDY_KIND_VOUCHER:
    case v1::REMEDY_KIND_POINTS:
      return true;
    default:
      return false;
  }
}

bool NeedsFulfilment(v1::RemedyKind kind) {
  return kind == v1::REMEDY_KIND_REPAIR || kind == v1::REMEDY_KIND_GIFT;
}

absl::StatusOr<ExecutionPlan> PlanExecution(const v1::Complaint& c, const v1::Remedy& r,
                                            const order::v1::OrderFacts& order) {
  ExecutionPlan plan;
  const std::string key = ExecutionKey(c.complaint_id(), r.remedy_id());
  switch (r.kind()) {
    case v1::REMEDY_KIND_FULL_REFUND:
    case v1::REMEDY_KIND_PARTIAL_REFUND: {
      order::v1::RefundOrderRequest req;
      req.set_request_id(key);
      req.set_order_id(c.order_id());
      if (r.kind() == v1::REMEDY_KIND_PARTIAL_REFUND) {
        *req.mutable_amount() = r.amount();
      } else if (CoversWholeOrder(order, r.line_ids())) {
        req.set_full(true);
      } else {
        *req.mutable_lines()->mutable_lines() = Quantities(order, r.line_ids());
      }
      req.set_reason(Reason(c, r));
      *req.mutable_actor() = ServiceActor();
      plan.refund = req;
      break;
    }
    case v1::REMEDY_KIND_EXCHANGE: {
      order::v1::CreateReplacementOrderRequest req;
      req.set_request_id(key);
      req.set_original_order_id(c.order_id());
      *req.mutable_returned_lines() = Quantities(order, r.line_ids());
      for (const auto& id : r.line_ids()) {
        for (const auto& l : order.lines()) {
          if (l.line_id() != id) continue;
          order::v1::OrderLine copy = l;  // same product, same terms (C13 exchange)
          copy.clear_line_id();
          *req.add_replacement_lines() = copy;
        }
      }
      if (req.returned_lines().empty()) {
        return absl::FailedPreconditionError("exchange of complaint " + c.complaint_id() + " names no order line");
      }
      req.set_reason(Reason(c, r));
      *req.mutable_actor() = ServiceActor();
      req.set_fault(ExchangeFaultOf(c));  // C14: who is at fault pays the postage
      plan.replacement = req;
      break;
    }
    case v1::REMEDY_KIND_VOUCHER: {
      loyalty::v1::IssueVoucherRequest req;
      req.set_request_id(key);
      auto* v = req.mutable_voucher();
      v->set_customer_id(c.customer_id());
      v->set_kind(loyalty::v1::VOUCHER_KIND_COMPENSATION);
      *v->mutable_value() = r.amount();
      v->set_reason(Reason(c, r));
      v->set_source(c.complaint_id());
      plan.voucher = req;
      break;
    }
    case v1::REMEDY_KIND_POINTS: {
      loyalty::v1::AwardPointsRequest req;
      req.set_request_id(key);
      req.set_customer_id(c.customer_id());
      req.set_points(r.points());
      req.set_reason(Reason(c, r));
      req.set_source(c.complaint_id());
      plan.points = req;
      break;
    }
    default:
      break;
  }
  return plan;
}

}  // namespace revisit::complaint
