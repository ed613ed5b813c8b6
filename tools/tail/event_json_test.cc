#include "tools/tail/event_json.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "common/outbox.h"
#include "revisit/order/v1/events.pb.h"

namespace revisit::tail {
namespace {

EventEnvelope Shipped() {
  order::v1::OrderShipped ev;
  ev.mutable_order()->set_order_id("ord-01-00000000000000aa");
  ev.set_carrier("顺丰");
  EventEnvelope e = MakeEvent("order", "shipped", "cus-1", "ord-01-00000000000000aa",
                              absl::FromUnixSeconds(1767225600), ev);
  e.sequence = 3;
  e.partition = 2;
  e.offset = 41;
  return e;
}

TEST(EventJsonTest, CarriesAttributesCoordinatesAndPayload) {
  auto j = nlohmann::json::parse(EventJson(Shipped()));
  EXPECT_EQ(j["ce_type"], "revisit.order.shipped.v1");
  EXPECT_EQ(j["ce_time"], "2026-01-01T00:00:00+00:00");
  EXPECT_EQ(j["ce_sequence"], 3);
  EXPECT_EQ(j["key"], "cus-1");
  EXPECT_EQ(j["partition"], 2);
  EXPECT_EQ(j["offset"], 41);
  EXPECT_EQ(j["data"]["carrier"], "顺丰");
  EXPECT_EQ(j["data"]["order"]["order_id"], "ord-01-00000000000000aa");
}

TEST(EventJsonTest, UnknownSchemaFallsBackToBase64) {
  EventEnvelope e = Shipped();
  e.dataschema = "";
  auto j = nlohmann::json::parse(EventJson(e));
  EXPECT_FALSE(j.contains("data"));
  EXPECT_TRUE(j.contains("data_base64"));
}

TEST(EventJsonTest, FiltersByTypeGlobAndCustomer) {
  EventFilter f{{"revisit.order.ship*"}, ""};
  EXPECT_TRUE(f.Matches(Shipped()));
  f.types = {"revisit.complaint.*"};
  EXPECT_FALSE(f.Matches(Shipped()));
  f.types = {};
  f.customer = "cus-2";
  EXPECT_FALSE(f.Matches(Shipped()));
}

}  // namespace
}  // namespace revisit::tail
