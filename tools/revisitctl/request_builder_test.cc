#include "tools/revisitctl/request_builder.h"

#include <gtest/gtest.h>

#include "revisit/complaint/v1/complaint.pb.h"
#include "revisit/order/v1/order.pb.h"

namespace revisit::ctl {
namespace {

TEST(RequestBuilderTest, FlagsSetNestedScalarsAndEnums) {
  complaint::v1::OpenComplaintRequest req;
  ASSERT_TRUE(SetField("order-id", "ord-1", &req).ok());
  ASSERT_TRUE(SetField("stated_cause", "quality_defect", &req).ok());
  ASSERT_TRUE(SetField("actor.role", "supervisor", &req).ok());
  EXPECT_EQ(req.order_id(), "ord-1");
  EXPECT_EQ(req.stated_cause(), complaint::v1::CAUSE_QUALITY_DEFECT);
  EXPECT_EQ(req.actor().role(), "supervisor");
}

TEST(RequestBuilderTest, ErrorsNameTheFlag) {
  order::v1::PayOrderRequest req;
  EXPECT_EQ(SetField("nope", "1", &req).message(),
            "--nope: no field \"nope\" in revisit.order.v1.PayOrderRequest");
  EXPECT_EQ(SetField("amount.amount_minor", "ten", &req).message(),
            "--amount.amount_minor: must be an integer");
  EXPECT_FALSE(MergeJson("{not json", &req).ok());
}

TEST(RequestBuilderTest, JsonBodyAndTimestamps) {
  order::v1::ConfirmDeliveryRequest req;
  ASSERT_TRUE(MergeJson(R"({"order_id":"ord-9","inspected_on_receipt":true})", &req).ok());
  ASSERT_TRUE(SetField("signed_at", "2026-01-02T03:04:05Z", &req).ok());
  EXPECT_TRUE(req.inspected_on_receipt());
  EXPECT_EQ(req.signed_at().seconds(), 1767323045);
}

TEST(RequestBuilderTest, MethodNamesAndHumanOutputKeepsChinese) {
  EXPECT_EQ(MethodName("create-order"), "CreateOrder");
  EXPECT_EQ(MethodName("CreateOrder"), "CreateOrder");
  order::v1::Customer c;
  c.set_name("张三");
  EXPECT_NE(Human(c).find("张三"), std::string::npos);
  EXPECT_EQ(Json(c), R"({"name":"张三"})");
}

}  // namespace
}  // namespace revisit::ctl
