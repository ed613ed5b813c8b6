// Execution of an accepted remedy through the services that own the effect (C9):
// refunds and replacement orders by the order service, vouchers and points by
// loyalty. PlanExecution is pure; RemedyExecutor does the calls.
//
// Every call carries the deterministic idempotency key
// "<complaint_id>:<remedy_id>:exec" as request_id, so retries (by gRPC, by the
// durable retry timer, or after a crash of this service) apply the effect at most
// once: the callee answers a repeat with its first answer.
// Thread-safety: PlanExecution is pure; GrpcRemedyExecutor is thread-safe.
// Errors: the callee's status (UNAVAILABLE/DEADLINE_EXCEEDED when down; a
// non-retryable code such as INVALID_ARGUMENT when it refuses), or
// FAILED_PRECONDITION when a callee is needed but not configured.
#ifndef REVISIT_SERVICES_COMPLAINT_EXECUTION_H_
#define REVISIT_SERVICES_COMPLAINT_EXECUTION_H_

#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "common/grpc_client.h"
#include "revisit/complaint/v1/complaint.pb.h"
#include "revisit/loyalty/v1/loyalty.grpc.pb.h"
#include "revisit/order/v1/events.pb.h"
#include "revisit/order/v1/order.grpc.pb.h"

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

// Carries out a plan. Implementations must be idempotent per plan.
class RemedyExecutor {
 public:
  virtual ~RemedyExecutor() = default;
  // OK when every call of the plan succeeded.
  virtual absl::Status Execute(const ExecutionPlan& plan) = 0;
};

// Calls the order and loyalty services over gRPC with deadlines and retries.
class GrpcRemedyExecutor : public RemedyExecutor {
 public:
  // Empty addresses leave that callee unconfigured.
  GrpcRemedyExecutor(const std::string& order_address, const std::string& loyalty_address,
                     CallPolicy policy);
  absl::Status Execute(const ExecutionPlan& plan) override;

 private:
  std::unique_ptr<order::v1::OrderService::Stub> order_;
  std::unique_ptr<loyalty::v1::LoyaltyService::Stub> loyalty_;
  CallPolicy policy_;
};

}  // namespace revisit::complaint

#endif  // REVISIT_SERVICES_COMPLAINT_EXECUTION_H_
