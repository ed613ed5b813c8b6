#include "common/redis_reply.h"

#include <gtest/gtest.h>

#include "common/keys.h"
#include "common/redis_client.h"

namespace revisit {
namespace {

TEST(RedisReplyTest, LuaErrorCodesBecomeStatusCodes) {
  auto st = StatusFromErrorText("FAILED_PRECONDITION:cannot ship an order that is created");
  EXPECT_EQ(st.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(st.message(), "cannot ship an order that is created");
  // Redis may wrap script errors with its own prefix.
  st = StatusFromErrorText("ERR user_script:12: ABORTED:concurrent change of k");
  EXPECT_EQ(st.code(), absl::StatusCode::kAborted);
  EXPECT_EQ(st.message(), "concurrent change of k");
}

TEST(RedisReplyTest, OtherErrorsAreInternalWithTheText) {
  auto st = StatusFromErrorText("WRONGTYPE Operation against a key holding the wrong kind");
  EXPECT_EQ(st.code(), absl::StatusCode::kInternal);
  EXPECT_NE(st.message().find("WRONGTYPE"), std::string::npos);
}

// A Redis restarting from its AOF answers LOADING: callers must retry, not fail hard
// (ReliabilityTest.RedisRestartMidRun hit this as INTERNAL about 1 run in 6).
TEST(RedisReplyTest, TransientRedisRefusalsAreUnavailable) {
  for (const char* text : {"LOADING Redis is loading the dataset in memory",
                           "BUSY Redis is busy running a script.",
                           "MASTERDOWN Link with MASTER is down", "TRYAGAIN Multiple keys request",
                           "CLUSTERDOWN The cluster is down"}) {
    auto st = StatusFromErrorText(text);
    EXPECT_EQ(st.code(), absl::StatusCode::kUnavailable) << text;
    EXPECT_NE(st.message().find(text), std::string::npos);
  }
  EXPECT_EQ(StatusFromErrorText("ERR LOADING is not a prefix here").code(),
            absl::StatusCode::kInternal);
}

TEST(RedisReplyTest, ParsesAddresses) {
  auto o = ParseRedisAddress("redis.example:6380");
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->host, "redis.example");
  EXPECT_EQ(o->port, 6380);
  EXPECT_EQ(ParseRedisAddress("nohost").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(ParseRedisAddress("h:99999").ok());
  EXPECT_FALSE(ParseRedisAddress(":1").ok());
}

TEST(RedisReplyTest, ParsesClusterSeeds) {
  auto seeds = ParseRedisAddresses("a:1, b:2,c:3", /*cluster=*/true);
  ASSERT_TRUE(seeds.ok()) << seeds.status();
  EXPECT_EQ(seeds->cluster_seeds, (std::vector<std::string>{"a:1", "b:2", "c:3"}));
  auto one = ParseRedisAddresses("a:1", /*cluster=*/false);
  ASSERT_TRUE(one.ok());
  EXPECT_TRUE(one->cluster_seeds.empty());
  EXPECT_EQ(one->host, "a");
  auto several = ParseRedisAddresses("a:1,b:2", /*cluster=*/false);
  EXPECT_NE(several.status().message().find("REVISIT_REDIS_CLUSTER"), std::string::npos);
  EXPECT_FALSE(ParseRedisAddresses("a:1,b", /*cluster=*/true).ok());
  EXPECT_FALSE(ParseRedisAddresses("", /*cluster=*/true).ok());
}

TEST(RedisClientTest, RefusesACrossSlotCallBeforeSendingIt) {
  RedisOptions o;
  o.port = 1;  // nothing listens: the refusal must come before any I/O
  o.reconnect_budget = absl::ZeroDuration();
  RedisClient redis(o);
  LuaScript script("t", "return 1");
  auto eval = redis.Eval(script, {ShardKey("order", 1, "a"), ShardKey("order", 2, "b")}, {});
  // SCRIPT LOAD is tried first and fails: the key check must already have refused.
  EXPECT_EQ(redis.Command({"EVALSHA", "x", "2", ShardKey("order", 1, "a"), ShardKey("order", 2, "b")})
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  auto piped = redis.Pipeline({{"GET", "k"}, {"EVAL", "return 1", "2", "{a}x", "{b}y"}});
  EXPECT_EQ(piped.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(piped.status().message().find("CROSSSLOT"), std::string::npos);
}

}  // namespace
}  // namespace revisit

namespace revisit {
namespace {

TEST(RedisClientTest, SumOverShardsReportsUnreachableRedisAsMinusOne) {
  RedisOptions o;
  o.port = 1;
  o.reconnect_budget = absl::ZeroDuration();
  RedisClient redis(o);
  int calls = 0;
  EXPECT_EQ(SumOverShards(redis, "XLEN", [&](int s) {
              ++calls;
              return "k" + std::to_string(s);
            }),
            -1);
  EXPECT_EQ(calls, kShards);
}

}  // namespace
}  // namespace revisit
