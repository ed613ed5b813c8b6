// GrpcRemedyExecutor refuses a plan whose callee is not configured, naming the
// variable to set; an empty plan needs no callee.
#include "services/complaint/edge/remedy_executor.h"

#include <gtest/gtest.h>

namespace revisit::complaint {
namespace {

ExecutionPlan PartialRefund() {
  ExecutionPlan plan;
  order::v1::RefundOrderRequest req;
  req.set_request_id("cmp-01-00000000000000bb:r2:exec");
  req.set_order_id("ord-01-00000000000000aa");
  req.mutable_amount()->set_amount_minor(1500);
  req.mutable_amount()->set_currency("CNY");
  plan.refund = req;
  return plan;
}

TEST(RemedyExecutorTest, UnconfiguredCalleeIsAClearError) {
  GrpcRemedyExecutor none("", "", CallPolicy{});
  auto st = none.Execute(PartialRefund());
  EXPECT_EQ(st.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(st.message().find("REVISIT_ORDER_ADDR"), std::string::npos);
  ExecutionPlan empty;
  EXPECT_TRUE(none.Execute(empty).ok());
}

}  // namespace
}  // namespace revisit::complaint
