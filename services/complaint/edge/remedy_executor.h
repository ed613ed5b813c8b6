// RemedyExecutor: carries out the ExecutionPlan of an accepted remedy (C9,
// domain/execution_plan.h) by calling the services that own the effect;
// GrpcRemedyExecutor is the production one (order and loyalty over gRPC).
//
// Every plan's requests carry the deterministic idempotency key
// "<complaint_id>:<remedy_id>:exec" as request_id, so retries (by gRPC, by the
// durable retry timer, or after a crash of this service) apply the effect at most
// once: the callee answers a repeat with its first answer.
// Thread-safety: GrpcRemedyExecutor is thread-safe.
// Errors: the callee's status (UNAVAILABLE/DEADLINE_EXCEEDED when down; a
// non-retryable code such as INVALID_ARGUMENT when it refuses), or
// FAILED_PRECONDITION when a callee is needed but not configured.
#ifndef REVISIT_SERVICES_COMPLAINT_EDGE_REMEDY_EXECUTOR_H_
#define REVISIT_SERVICES_COMPLAINT_EDGE_REMEDY_EXECUTOR_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "common/grpc_client.h"
#include "revisit/loyalty/v1/loyalty.grpc.pb.h"
#include "revisit/order/v1/order.grpc.pb.h"
#include "services/complaint/domain/execution_plan.h"

namespace revisit::complaint {

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

#endif  // REVISIT_SERVICES_COMPLAINT_EDGE_REMEDY_EXECUTOR_H_
