#include "tools/kafka/topic_specs.h"

#include <gtest/gtest.h>

#include <set>

namespace revisit::kafka {
namespace {

TEST(TopicSpecsTest, TheManifestsHoldEveryEventAndDeadLetterTopic) {
  auto specs = LoadTopicSpecs(REVISIT_TOPIC_SPECS_DIR);
  ASSERT_TRUE(specs.ok()) << specs.status();
  std::set<std::string> names;
  for (const auto& s : *specs) names.insert(s.name);
  for (const char* n : {"revisit.order.v1", "revisit.complaint.v1", "revisit.loyalty.v1",
                        "revisit.outreach.v1", "revisit.complaint.dlq.v1",
                        "revisit.loyalty.dlq.v1", "revisit.outreach.dlq.v1"}) {
    EXPECT_EQ(names.count(n), 1u) << n;
  }
  for (const auto& s : *specs) {
    EXPECT_EQ(s.replicas, 3) << s.name;
    EXPECT_EQ(s.config.at("min.insync.replicas"), "2") << s.name;
    EXPECT_FALSE(s.config.at("retention.ms").empty()) << s.name;
  }
}

TEST(TopicSpecsTest, ParsesAKafkaTopicDocument) {
  auto specs = ParseTopicSpecs(R"(
# comment
apiVersion: kafka.strimzi.io/v1beta2
kind: KafkaTopic
metadata: {name: a}
spec:
  topicName: a.v1
  partitions: 6
  replicas: 3
  config:
    retention.ms: 1000   # one second
---
kind: KafkaTopic
spec: {topicName: b.v1, partitions: 1, replicas: 1}
)", "inline");
  ASSERT_TRUE(specs.ok()) << specs.status();
  ASSERT_EQ(specs->size(), 2u);
  EXPECT_EQ((*specs)[0].name, "a.v1");
  EXPECT_EQ((*specs)[0].partitions, 6);
  EXPECT_EQ((*specs)[0].config.at("retention.ms"), "1000");
  EXPECT_TRUE((*specs)[1].config.empty());
}

TEST(TopicSpecsTest, RefusesWhatIsNotATopicNamingFileAndDocument) {
  auto not_topic = ParseTopicSpecs("kind: ConfigMap\n", "f.yaml");
  EXPECT_EQ(not_topic.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(not_topic.status().message().find("f.yaml document 1"), std::string::npos);
  auto no_partitions = ParseTopicSpecs(
      "kind: KafkaTopic\nspec: {topicName: a, partitions: x, replicas: 1}\n", "f.yaml");
  EXPECT_NE(no_partitions.status().message().find("partitions"), std::string::npos);
  auto broken = ParseTopicSpecs("kind: [unclosed\n", "g.yaml");
  EXPECT_EQ(broken.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(LoadTopicSpecs("/nonexistent").status().code(), absl::StatusCode::kNotFound);
}

TEST(TopicSpecsTest, SizingForOneBrokerKeepsNamesAndConfigAndCapsReplicas) {
  std::vector<TopicSpec> specs = {{"a", 12, 3, {{"min.insync.replicas", "2"}, {"x", "y"}}}};
  auto one = SizeForCluster(specs, 1, 4);
  EXPECT_EQ(one[0].replicas, 1);
  EXPECT_EQ(one[0].partitions, 4);
  EXPECT_EQ(one[0].config.at("min.insync.replicas"), "1");
  EXPECT_EQ(one[0].config.at("x"), "y");
  auto three = SizeForCluster(specs, 3, 0);
  EXPECT_EQ(three[0].replicas, 3);
  EXPECT_EQ(three[0].partitions, 12);
  EXPECT_EQ(three[0].config.at("min.insync.replicas"), "2");
}

}  // namespace
}  // namespace revisit::kafka
