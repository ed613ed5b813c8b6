// The plan of an accepted remedy's execution through the services that own the
// effect (C9): refunds and replacement orders by the order service, vouchers and
// points by loyalty. Pure: edge/remedy_executor.h carries a plan out.
//
// Every call carries the deterministic idempotency key
// "<complaint_id>:<remedy_id>:exec" as request_id, so retries (by gRPC, by the
// durable retry timer, or after a crash of this service) apply the effect at most
// once: the callee answers a repeat with its first answer.
// Thread-safety: pure functions; an ExecutionPlan is a value.
// Errors: PlanExecution is FAILED_PRECONDITION for an exchange naming no order line.
#ifndef REVISIT_SERVICES_COMPLAINT_DOMAIN_EXECUTION_PLAN_H_
#define REVISIT_SERVICES_COMPLAINT_DOMAIN_EXECUTION_PLAN_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "revisit/complaint/v1/complaint.pb.h"
#include "revisit/loyalty/v1/loyalty.pb.h"
#include "revisit/order/v1/events.pb.h"
#include "revisit/order/v1/order.pb.h"

namespace revisit::complaint {

// The calls that carry out one remedy (at most one is set).
struct ExecutionPlan {
  std::optional<order::v1::RefundOrderRequest> refund;
  std::optional<order::v1::CreateReplacementOrderRequest> replacement;
  std::optional<loyalty::v1::IssueVoucherRequest> voucher;
  std::optional<loyalty::v1::AwardPointsRequest> points;
  bool empty() const { return !refund && !replacement && !voucher && !points; }
};

// "<complaint_id>:<remedy_id>:exec".
std::string ExecutionKey(const std::string& complaint_id, const std::string& remedy_id);

// True when `kind` is carried out by another service (refund, exchange, voucher,
// points); repair, gift and apology are done by people and need no call.
bool NeedsCalls(v1::RemedyKind kind);
// True when `kind` is done by people and tracked to done (C9): REPAIR and GIFT, through
// their fulfilment stages (RecordFulfilment). An apology is done when it is given.
bool NeedsFulfilment(v1::RemedyKind kind);

// The calls for `remedy` of complaint `c` on `order` (its projection).
absl::StatusOr<ExecutionPlan> PlanExecution(const v1::Complaint& c, const v1::Remedy& remedy,
                                            const order::v1::OrderFacts& order);

}  // namespace revisit::complaint

#endif  // REVISIT_SERVICES_COMPLAINT_DOMAIN_EXECUTION_PLAN_H_
