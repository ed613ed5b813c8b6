#include "services/complaint/edge/remedy_executor.h"

#include <utility>

namespace revisit::complaint {

GrpcRemedyExecutor::GrpcRemedyExecutor(const std::string& order_address,
                                       const std::string& loyalty_address, CallPolicy policy)
    : policy_(std::move(policy)) {
  if (!order_address.empty()) order_ = order::v1::OrderService::NewStub(MakeChannel(order_address));
  if (!loyalty_address.empty()) {
    loyalty_ = loyalty::v1::LoyaltyService::NewStub(MakeChannel(loyalty_address));
  }
}

absl::Status GrpcRemedyExecutor::Execute(const ExecutionPlan& plan) {
  if ((plan.refund || plan.replacement) && !order_) {
    return absl::FailedPreconditionError("order service address (REVISIT_ORDER_ADDR) not configured");
  }
  if ((plan.voucher || plan.points) && !loyalty_) {
    return absl::FailedPreconditionError("loyalty service address (REVISIT_LOYALTY_ADDR) not configured");
  }
  if (plan.refund) {
    order::v1::RefundOrderResponse resp;
    return CallWithRetry(policy_, "order.RefundOrder", [&](grpc::ClientContext* ctx) {
      return order_->RefundOrder(ctx, *plan.refund, &resp);
    });
  }
  if (plan.replacement) {
    order::v1::CreateReplacementOrderResponse resp;
    return CallWithRetry(policy_, "order.CreateReplacementOrder", [&](grpc::ClientContext* ctx) {
      return order_->CreateReplacementOrder(ctx, *plan.replacement, &resp);
    });
  }
  if (plan.voucher) {
    loyalty::v1::IssueVoucherResponse resp;
    return CallWithRetry(policy_, "loyalty.IssueVoucher", [&](grpc::ClientContext* ctx) {
      return loyalty_->IssueVoucher(ctx, *plan.voucher, &resp);
    });
  }
  if (plan.points) {
    loyalty::v1::AwardPointsResponse resp;
    return CallWithRetry(policy_, "loyalty.AwardPoints", [&](grpc::ClientContext* ctx) {
      return loyalty_->AwardPoints(ctx, *plan.points, &resp);
    });
  }
  return absl::OkStatus();
}

}  // namespace revisit::complaint
