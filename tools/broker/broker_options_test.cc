#include "tools/broker/broker_options.h"

#include <gtest/gtest.h>

namespace revisit {
namespace {

TEST(BrokerOptionsTest, DefaultsLeaveTopicsToTheSpecs) {
  absl::StatusOr<BrokerOptions> o = ParseBrokerArgs({}, std::nullopt);
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->brokers, 1);
  EXPECT_TRUE(o->topics.empty());
  EXPECT_EQ(o->specs_dir, "");
  EXPECT_EQ(o->bootstrap_file, "");
  absl::StatusOr<BrokerOptions> dir = ParseBrokerArgs({"--specs", "/d"}, std::nullopt);
  ASSERT_TRUE(dir.ok()) << dir.status();
  EXPECT_EQ(dir->specs_dir, "/d");
}

TEST(BrokerOptionsTest, FlagBeatsEnvBeatsDefault) {
  absl::StatusOr<BrokerOptions> env = ParseBrokerArgs({}, std::string("a:2"));
  ASSERT_TRUE(env.ok());
  ASSERT_EQ(env->topics.size(), 1u);
  EXPECT_EQ(env->topics[0].name, "a");
  absl::StatusOr<BrokerOptions> flag =
      ParseBrokerArgs({"--topics", "b:3, c", "--brokers", "3", "--bootstrap-file", "/x"},
                      std::string("a:2"));
  ASSERT_TRUE(flag.ok()) << flag.status();
  ASSERT_EQ(flag->topics.size(), 2u);
  EXPECT_EQ(flag->topics[0].name, "b");
  EXPECT_EQ(flag->topics[0].partitions, 3);
  EXPECT_EQ(flag->topics[1].name, "c");
  EXPECT_EQ(flag->topics[1].partitions, 1);
  EXPECT_EQ(flag->brokers, 3);
  EXPECT_EQ(flag->bootstrap_file, "/x");
}

TEST(BrokerOptionsTest, Errors) {
  EXPECT_FALSE(ParseBrokerArgs({"--brokers", "0"}, std::nullopt).ok());
  EXPECT_FALSE(ParseBrokerArgs({"--brokers"}, std::nullopt).ok());
  EXPECT_FALSE(ParseBrokerArgs({"--port", "1"}, std::nullopt).ok());
  EXPECT_FALSE(ParseTopicSpecs("a:0").ok());
  EXPECT_FALSE(ParseTopicSpecs("a:x").ok());
  EXPECT_FALSE(ParseTopicSpecs(":3").ok());
  EXPECT_FALSE(ParseTopicSpecs("a:1:2").ok());
  EXPECT_FALSE(ParseTopicSpecs(" , ").ok());
}

}  // namespace
}  // namespace revisit
