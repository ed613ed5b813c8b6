#include "common/kafka_namespace.h"

#include <gtest/gtest.h>

namespace revisit {
namespace {

TEST(KafkaNamespaceTest, EmptyPrefixLeavesNamesUnchanged) {
  KafkaNamespace ns;
  EXPECT_EQ(ns.Topic("revisit.order.v1"), "revisit.order.v1");
  EXPECT_EQ(ns.Group("loyalty"), "loyalty");
  EXPECT_EQ(ns.Logical("revisit.order.v1"), "revisit.order.v1");
}

TEST(KafkaNamespaceTest, PrefixAppliesToTopicsAndGroupsAndStripsBack) {
  KafkaNamespace ns("t42-");
  EXPECT_EQ(ns.Topic("revisit.order.v1"), "t42-revisit.order.v1");
  EXPECT_EQ(ns.Group("loyalty"), "t42-loyalty");
  EXPECT_EQ(ns.Topics({"a", "b"}), (std::vector<std::string>{"t42-a", "t42-b"}));
  EXPECT_EQ(ns.Logical("t42-revisit.order.v1"), "revisit.order.v1");
  EXPECT_EQ(ns.Logical("t43-revisit.order.v1"), "");
}

TEST(KafkaNamespaceTest, ValidateRefusesWhatKafkaRefuses) {
  EXPECT_TRUE(KafkaNamespace::Validate("").ok());
  EXPECT_TRUE(KafkaNamespace::Validate("ci.run-7_a.").ok());
  EXPECT_EQ(KafkaNamespace::Validate("a b").code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(KafkaNamespace::Validate("a/b").code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(KafkaNamespace::Validate(std::string(101, 'a')).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_NE(KafkaNamespace::Validate("x:y").message().find("REVISIT_TOPIC_PREFIX"),
            std::string::npos);
}

}  // namespace
}  // namespace revisit
