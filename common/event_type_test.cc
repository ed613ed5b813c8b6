#include "common/event_type.h"

#include <gtest/gtest.h>

namespace revisit {
namespace {

TEST(EventTypeTest, ParsesFourSegmentTypes) {
  auto t = ParseEventType("revisit.loyalty.points_earned.v1");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->service, "loyalty");
  EXPECT_EQ(t->event, "points_earned");
  EXPECT_EQ(t->version, 1);
  auto v12 = ParseEventType("revisit.outreach.follow_up_recorded.v12");
  ASSERT_TRUE(v12.has_value());
  EXPECT_EQ(v12->version, 12);
  EXPECT_TRUE(ParseEventType("revisit.order.shipped.v1").has_value());
  EXPECT_TRUE(ParseEventType("revisit.complaint.sla_breached.v2").has_value());
}

TEST(EventTypeTest, RejectsTheOldDottedSpellingAndOtherShapes) {
  for (const char* bad : {"revisit.loyalty.points.earned.v1",         // naming-rule: negative
                          "revisit.outreach.follow_up.recorded.v1",   // naming-rule: negative
                          "revisit.order.shipped", "revisit.order.Shipped.v1",  // naming-rule: negative
                          "revisit.order.1st.v1",                     // naming-rule: negative
                          "revisit.billing.paid.v1", "acme.order.shipped.v1", "revisit.order.shipped.1",
                          "revisit.order.shipped.v", "revisit.order.shipped.v1x",
                          "revisit.order..v1",                        // naming-rule: negative
                          "revisit.order.ship-ped.v1", ""}) {         // naming-rule: negative
    EXPECT_FALSE(ParseEventType(bad).has_value()) << bad;
  }
}

TEST(EventTypeTest, EventNamesAreOneSnakeCaseToken) {
  EXPECT_TRUE(IsEventName("churn_risk_detected"));
  EXPECT_TRUE(IsEventName("update2"));
  EXPECT_FALSE(IsEventName("churn_risk.detected"));
  EXPECT_FALSE(IsEventName("_x"));
  EXPECT_FALSE(IsEventName("2x"));
  EXPECT_FALSE(IsEventName(""));
}

TEST(EventTypeTest, NameRoundTrips) {
  EXPECT_EQ(EventTypeName("outreach", "touch_sent"), "revisit.outreach.touch_sent.v1");
  auto t = ParseEventType(EventTypeName("order", "promise_recorded", 3));
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->event, "promise_recorded");
  EXPECT_EQ(t->version, 3);
}

TEST(EventTypeTest, TopicNamesFollowTheArchitecture) {
  EXPECT_EQ(EventTopic("order"), "revisit.order.v1");
  EXPECT_EQ(DeadLetterTopic("loyalty"), "revisit.loyalty.dlq.v1");
}

}  // namespace
}  // namespace revisit
