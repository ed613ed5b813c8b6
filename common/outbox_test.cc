#include "common/outbox.h"

#include <gtest/gtest.h>

#include "common/log.h"
#include "revisit/common/v1/types.pb.h"

namespace revisit {
namespace {

TEST(OutboxTest, MakeEventFollowsTheTopicAndTypeConventions) {
  revisit::common::v1::Money payload;
  payload.set_amount_minor(42);
  ScopedTraceId trace("4bf92f3577b34da6a3ce929d0e0e4736");
  EventEnvelope e = MakeEvent("order", "shipped", "cus-1", "ord-1", absl::FromUnixSeconds(100),
                              payload);
  EXPECT_EQ(e.topic, "revisit.order.v1");
  EXPECT_EQ(e.type, "revisit.order.shipped.v1");
  EXPECT_EQ(e.source, "revisit/order");
  EXPECT_EQ(e.key, "cus-1");
  EXPECT_EQ(e.subject, "ord-1");
  EXPECT_EQ(e.sequence, 0) << "the commit assigns ce_sequence";
  EXPECT_EQ(e.dataschema, "proto:revisit.common.v1.Money");
  EXPECT_EQ(e.id.size(), 32u);
  EXPECT_NE(e.traceparent.find("4bf92f3577b34da6a3ce929d0e0e4736"), std::string::npos);
  EXPECT_NE(MakeEvent("order", "shipped", "cus-1", "ord-1", absl::Now(), payload).id, e.id);
}

TEST(OutboxTest, StreamFieldsRoundTrip) {
  revisit::common::v1::Money payload;
  payload.set_currency("CNY");
  EventEnvelope e = MakeEvent("loyalty", "tier_changed", "cus-9", "cus-9",
                              absl::FromUnixMicros(1767225600123456), payload);
  e.sequence = 7;
  std::vector<RedisValue> flat;
  for (const auto& [f, v] : ToOutboxFields(e)) {
    RedisValue fv, vv;
    fv.type = vv.type = RedisValue::Type::kString;
    fv.str = f;
    vv.str = v;
    flat.push_back(fv);
    flat.push_back(vv);
  }
  auto back = FromOutboxFields(flat);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->id, e.id);
  EXPECT_EQ(back->time, e.time);
  EXPECT_EQ(back->payload, e.payload);
  EXPECT_EQ(back->dataschema, e.dataschema);
  EXPECT_EQ(back->sequence, 7);
  flat.resize(4);
  EXPECT_EQ(FromOutboxFields(flat).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(OutboxTest, OutboxStreamLivesInTheShard) {
  EXPECT_EQ(OutboxStream("order", 3), "order:{order:03}:outbox");
  EXPECT_EQ(SequenceKey(OutboxStream("order", 3)), "order:{order:03}:outbox:seq");
}

}  // namespace
}  // namespace revisit
