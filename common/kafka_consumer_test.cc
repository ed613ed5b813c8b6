// Which librdkafka properties the consumer and its dead-letter producer get: shared
// ones (security) go to both, consumer-only ones (fetch.wait.max.ms) only to the
// consumer, so the producer never logs CONFWARN about them.
#include "common/kafka_consumer.h"

#include "gtest/gtest.h"

namespace revisit {
namespace {

KafkaConsumerOptions Options() {
  KafkaConsumerOptions o;
  o.bootstrap = "127.0.0.1:9092";
  o.group_id = "loyalty";
  o.client_id = "loyalty-0";
  o.topics = {"revisit.order.v1"};
  o.dead_letter_topic = "revisit.loyalty.dlq.v1";
  o.extra["security.protocol"] = "ssl";
  o.consumer_extra["fetch.wait.max.ms"] = "5";
  return o;
}

TEST(KafkaConsumerPropertiesTest, TheConsumerGetsSharedAndConsumerOnlyProperties) {
  auto props = ConsumerProperties(Options());
  EXPECT_EQ(props["security.protocol"], "ssl");
  EXPECT_EQ(props["fetch.wait.max.ms"], "5");
  EXPECT_EQ(props["group.id"], "loyalty");
  EXPECT_EQ(props["enable.auto.offset.store"], "false");
}

TEST(KafkaConsumerPropertiesTest, TheDeadLetterProducerGetsNoConsumerOnlyProperty) {
  KafkaProducerOptions dlq = DeadLetterProducerOptions(Options());
  EXPECT_EQ(dlq.extra.at("security.protocol"), "ssl");
  EXPECT_EQ(dlq.extra.count("fetch.wait.max.ms"), 0u);
  EXPECT_EQ(dlq.extra.count("group.id"), 0u);
  EXPECT_EQ(dlq.client_id, "loyalty-0-dlq");
}

}  // namespace
}  // namespace revisit
