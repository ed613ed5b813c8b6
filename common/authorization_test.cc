#include "common/authorization.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace revisit {
namespace {

using ::testing::HasSubstr;

CallerIdentity Id(const std::string& principal) {
  return *CallerIdentity::Parse("spiffe://revisit/" + principal);
}

constexpr char kTable[] = R"(
# comment
service/complaint  revisit.order.v1.OrderService/RefundOrder  # trailing comment
service/complaint  revisit.loyalty.v1.LoyaltyService/*
agent/*            revisit.complaint.v1.ComplaintService/OpenComplaint
operator/*         *
)";

TEST(AuthorizationPolicyTest, AllowsExactlyTheListedCalls) {
  auto policy = AuthorizationPolicy::Parse(kTable);
  ASSERT_TRUE(policy.ok()) << policy.status();
  EXPECT_TRUE(policy->Allows(Id("service/complaint"), "/revisit.order.v1.OrderService/RefundOrder"));
  EXPECT_FALSE(policy->Allows(Id("service/complaint"), "/revisit.order.v1.OrderService/GetOrder"));
  EXPECT_TRUE(policy->Allows(Id("service/complaint"), "/revisit.loyalty.v1.LoyaltyService/AwardPoints"));
  EXPECT_FALSE(policy->Allows(Id("service/outreach"), "/revisit.order.v1.OrderService/RefundOrder"));
  EXPECT_TRUE(policy->Allows(Id("agent/a-1"), "/revisit.complaint.v1.ComplaintService/OpenComplaint"));
  EXPECT_FALSE(policy->Allows(Id("supervisor/s-1"), "/revisit.complaint.v1.ComplaintService/OpenComplaint"));
  EXPECT_TRUE(policy->Allows(Id("operator/ops"), "/grpc.reflection.v1alpha.ServerReflection/X"));
  // Health: every authenticated caller, no rule needed.
  EXPECT_TRUE(policy->Allows(Id("platform/p"), "/grpc.health.v1.Health/Check"));
  EXPECT_FALSE(policy->Allows(Id("platform/p"), "/grpc.reflection.v1alpha.ServerReflection/X"));
}

TEST(AuthorizationPolicyTest, DenialNamesCallerAndRpc) {
  auto policy = AuthorizationPolicy::Parse(kTable);
  ASSERT_TRUE(policy.ok());
  absl::Status st = policy->Check(Id("service/outreach"), "/revisit.order.v1.OrderService/RefundOrder");
  EXPECT_EQ(st.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(st.message(), HasSubstr("spiffe://revisit/service/outreach"));
  EXPECT_THAT(st.message(), HasSubstr("/revisit.order.v1.OrderService/RefundOrder"));
}

TEST(AuthorizationPolicyTest, EmptyTableDeniesAllButHealth) {
  auto policy = AuthorizationPolicy::Parse("");
  ASSERT_TRUE(policy.ok());
  EXPECT_FALSE(policy->Allows(Id("operator/ops"), "/revisit.order.v1.OrderService/GetOrder"));
  EXPECT_TRUE(policy->Allows(Id("operator/ops"), "/grpc.health.v1.Health/Check"));
}

TEST(AuthorizationPolicyTest, BadLinesAreRefusedWithTheirNumber) {
  for (const char* bad : {"service/complaint", "customer/* *", "service/complaint RefundOrder",
                          "service/complaint /a/b", "agent/* a.B/c/d"}) {
    auto policy = AuthorizationPolicy::Parse(std::string("# header\n") + bad);
    EXPECT_EQ(policy.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_THAT(policy.status().message(), HasSubstr("line 2")) << bad;
  }
}

TEST(AuthorizationPolicyTest, TheShippedTableParses) {
  auto policy = AuthorizationPolicy::LoadFile(REVISIT_SHIPPED_AUTHZ_TABLE);
  ASSERT_TRUE(policy.ok()) << policy.status();
  // The calls of ARCHITECTURE.md, and not their reverse.
  EXPECT_TRUE(policy->Allows(Id("service/complaint"), "/revisit.order.v1.OrderService/RefundOrder"));
  EXPECT_TRUE(policy->Allows(Id("service/outreach"), "/revisit.complaint.v1.ComplaintService/OpenComplaint"));
  EXPECT_TRUE(policy->Allows(Id("service/order"), "/revisit.loyalty.v1.LoyaltyService/GetShippingPerks"));
  // The checkout saga (L4): order holds, confirms and gives back vouchers and points.
  for (const char* m : {"ReserveBenefits", "ConfirmReservation", "ReleaseReservation"}) {
    EXPECT_TRUE(policy->Allows(Id("service/order"), std::string("/revisit.loyalty.v1.LoyaltyService/") + m));
    EXPECT_FALSE(policy->Allows(Id("service/complaint"), std::string("/revisit.loyalty.v1.LoyaltyService/") + m));
  }
  EXPECT_FALSE(policy->Allows(Id("service/order"), "/revisit.complaint.v1.ComplaintService/OpenComplaint"));
  EXPECT_FALSE(policy->Allows(Id("service/loyalty"), "/revisit.order.v1.OrderService/GetCustomer"));
  // O2: staff find customers by phone, e-mail or tracking number, like GetCustomer;
  // no service does (outreach reads a known customer only).
  for (const char* staff : {"agent/a", "supervisor/s", "manager/m", "operator/o"}) {
    EXPECT_TRUE(policy->Allows(Id(staff), "/revisit.order.v1.OrderService/FindCustomers")) << staff;
  }
  for (const char* svc : {"service/outreach", "service/loyalty", "service/complaint"}) {
    EXPECT_FALSE(policy->Allows(Id(svc), "/revisit.order.v1.OrderService/FindCustomers")) << svc;
  }
  // Only operators award points by hand; agents cannot approve compensation (C8).
  EXPECT_FALSE(policy->Allows(Id("manager/m"), "/revisit.loyalty.v1.LoyaltyService/AwardPoints"));
  EXPECT_TRUE(policy->Allows(Id("operator/o"), "/revisit.loyalty.v1.LoyaltyService/AwardPoints"));
  EXPECT_FALSE(policy->Allows(Id("agent/a"), "/revisit.complaint.v1.ComplaintService/ApproveRemedy"));
  EXPECT_TRUE(policy->Allows(Id("supervisor/s"), "/revisit.complaint.v1.ComplaintService/ApproveRemedy"));
}

}  // namespace
}  // namespace revisit
