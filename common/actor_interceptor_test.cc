#include "common/actor_interceptor.h"

#include "gtest/gtest.h"
#include "revisit/complaint/v1/complaint.pb.h"
#include "revisit/order/v1/order.pb.h"

namespace revisit {
namespace {

CallerIdentity Id(const std::string& principal) {
  return *CallerIdentity::Parse("spiffe://revisit/" + principal);
}

TEST(ActorInterceptorTest, APersonsCertificateReplacesTheClaimedActor) {
  complaint::v1::ApproveRemedyRequest req;
  req.mutable_actor()->set_id("boss");
  req.mutable_actor()->set_role("manager");  // forged
  EXPECT_TRUE(ApplyCallerActor(Id("agent/agent-1"), &req));
  EXPECT_EQ(req.actor().id(), "agent-1");
  EXPECT_EQ(req.actor().role(), "agent");
}

TEST(ActorInterceptorTest, AMissingActorIsFilledInWithoutComplaint) {
  complaint::v1::OpenComplaintRequest req;
  EXPECT_FALSE(ApplyCallerActor(Id("supervisor/s-1"), &req));
  EXPECT_EQ(req.actor().id(), "s-1");
  EXPECT_EQ(req.actor().role(), "supervisor");
  req.mutable_actor()->set_role("supervisor");  // the truth is no forgery
  EXPECT_FALSE(ApplyCallerActor(Id("supervisor/s-1"), &req));
}

TEST(ActorInterceptorTest, ServicesAndOperatorsRelayTheActorTheyActFor) {
  order::v1::RefundOrderRequest req;
  req.mutable_actor()->set_id("staff-7");
  req.mutable_actor()->set_role("agent");
  EXPECT_FALSE(ApplyCallerActor(Id("service/complaint"), &req));
  EXPECT_FALSE(ApplyCallerActor(Id("operator/revisitctl"), &req));
  EXPECT_EQ(req.actor().id(), "staff-7");
}

TEST(ActorInterceptorTest, RequestsWithoutAnActorAreUntouched) {
  order::v1::GetOrderRequest req;
  req.set_order_id("ord-1");
  EXPECT_FALSE(ApplyCallerActor(Id("agent/a"), &req));
  EXPECT_EQ(req.order_id(), "ord-1");
}

}  // namespace
}  // namespace revisit
