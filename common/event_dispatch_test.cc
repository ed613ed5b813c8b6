// PayloadAs and EventDispatch (common/event_dispatch.h).
#include "common/event_dispatch.h"

#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "revisit/order/v1/events.pb.h"

namespace revisit {
namespace {

namespace ov1 = ::revisit::order::v1;

EventEnvelope Envelope(const std::string& type, const std::string& payload) {
  EventEnvelope e;
  e.id = "ev-1";
  e.type = type;
  e.payload = payload;
  return e;
}

TEST(PayloadAsTest, ParsesOrNamesTypeIdAndMessage) {
  ov1::OrderPaid paid;
  paid.mutable_order()->set_order_id("ord-01-0000000000000001");
  auto ok = PayloadAs<ov1::OrderPaid>(Envelope("revisit.order.paid.v1", paid.SerializeAsString()));
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ(ok->order().order_id(), "ord-01-0000000000000001");
  auto bad = PayloadAs<ov1::OrderPaid>(Envelope("revisit.order.paid.v1", "\xff\xff\xff"));
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(bad.status().message(), "revisit.order.paid.v1 ev-1"));
  EXPECT_TRUE(absl::StrContains(bad.status().message(), "revisit.order.v1.OrderPaid"));
}

TEST(EventDispatchTest, RoutesByTypeWithTheTypedPayload) {
  std::string seen;
  EventDispatch<absl::Status> d;
  d.On<ov1::OrderPaid>("revisit.order.paid.v1", [&](const EventEnvelope&, const ov1::OrderPaid& m) {
    seen = "paid " + m.order().order_id();
    return absl::OkStatus();
  });
  d.On<ov1::OrderShipped>("revisit.order.shipped.v1",
                          [&](const EventEnvelope& e, const ov1::OrderShipped&) {
                            seen = "shipped " + e.id;
                            return absl::OkStatus();
                          });
  ov1::OrderPaid paid;
  paid.mutable_order()->set_order_id("o1");
  EXPECT_TRUE(d.Dispatch(Envelope("revisit.order.paid.v1", paid.SerializeAsString()),
                         absl::OkStatus()).ok());
  EXPECT_EQ(seen, "paid o1");
  EXPECT_TRUE(d.Dispatch(Envelope("revisit.order.shipped.v1", ""), absl::OkStatus()).ok());
  EXPECT_EQ(seen, "shipped ev-1");
  EXPECT_TRUE(d.Handles("revisit.order.paid.v1"));
  EXPECT_FALSE(d.Handles("revisit.order.paid.v2"));
}

TEST(EventDispatchTest, UnknownTypesGetTheDefaultAndBadPayloadsAnError) {
  int calls = 0;
  EventDispatch<absl::StatusOr<int>> d;
  d.On<ov1::OrderPaid>("revisit.order.paid.v1",
                       [&](const EventEnvelope&, const ov1::OrderPaid&) { return ++calls; });
  EXPECT_EQ(*d.Dispatch(Envelope("revisit.order.created.v1", "x"), 7), 7);
  auto bad = d.Dispatch(Envelope("revisit.order.paid.v1", "\xff\xff\xff"), 7);
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(calls, 0);
}

}  // namespace
}  // namespace revisit
