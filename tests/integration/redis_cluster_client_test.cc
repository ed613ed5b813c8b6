// RedisClient against a real Redis Cluster (3 masters + 3 replicas,
// tests/harness/redis_cluster.h), on what the review of issue 12 asked:
//  - a pipeline over keys of every shard (so every master) answers each command in
//    order, whichever node served it;
//  - WAIT (REVISIT_REDIS_WAIT_REPLICAS) follows writing scripts only: a read-only
//    script (EVALSHA_RO) adds no WAIT on any node (INFO commandstats), a writing one
//    does; and Redis refuses a read-only script that writes.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/keys.h"
#include "common/redis_client.h"
#include "tests/harness/redis_cluster.h"

namespace revisit {
namespace {

class RedisClusterClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto cluster = testing::RedisCluster::Start();
    ASSERT_TRUE(cluster.ok()) << cluster.status();
    cluster_ = *std::move(cluster);
  }

  RedisOptions Options(int wait_replicas) {
    auto o = ParseRedisAddresses(cluster_->Seeds(), /*cluster=*/true);
    EXPECT_TRUE(o.ok()) << o.status();
    o->wait_replicas = wait_replicas;
    return *o;
  }

  // WAIT calls served so far, over every node (INFO commandstats, cmdstat_wait:calls=N).
  int64_t WaitCalls() {
    int64_t total = 0;
    for (int i = 0; i < cluster_->size(); ++i) {
      RedisClient node(*ParseRedisAddress(cluster_->node(i).Address()));
      auto info = node.Command({"INFO", "commandstats"});
      EXPECT_TRUE(info.ok()) << info.status();
      if (!info.ok()) continue;
      const std::string tag = "cmdstat_wait:calls=";
      size_t at = info->str.find(tag);
      if (at == std::string::npos) continue;
      int64_t calls = 0;
      const size_t from = at + tag.size();
      std::string digits = info->str.substr(from, info->str.find(',', from) - from);
      EXPECT_TRUE(absl::SimpleAtoi(digits, &calls)) << digits;
      total += calls;
    }
    return total;
  }

  std::unique_ptr<testing::RedisCluster> cluster_;
};

TEST_F(RedisClusterClientTest, APipelineOverEveryShardAnswersInOrder) {
  RedisClient redis(Options(0));
  std::vector<std::vector<std::string>> sets, gets;
  for (int shard = 0; shard < kShards; ++shard) {
    std::string key = ShardKey("order", shard, "pipeline");
    sets.push_back({"SET", key, absl::StrCat("value-", shard)});
    gets.push_back({"GET", key});
  }
  auto set = redis.Pipeline(sets);
  ASSERT_TRUE(set.ok()) << set.status();
  auto got = redis.Pipeline(gets);
  ASSERT_TRUE(got.ok()) << got.status();
  ASSERT_EQ(got->size(), static_cast<size_t>(kShards));
  for (int shard = 0; shard < kShards; ++shard) {
    ASSERT_TRUE((*got)[static_cast<size_t>(shard)].ok());
    EXPECT_EQ((*got)[static_cast<size_t>(shard)]->str, absl::StrCat("value-", shard));
  }
}

TEST_F(RedisClusterClientTest, OnlyWritingScriptsWaitForAReplica) {
  RedisClient redis(Options(1));
  const LuaScript read("read", "return redis.call('GET', KEYS[1])", /*read_only=*/true);
  const LuaScript write("write", "return redis.call('SET', KEYS[1], ARGV[1])");
  std::vector<RedisClient::EvalCall> reads, writes;
  for (int shard = 0; shard < kShards; ++shard) {
    std::string key = ShardKey("order", shard, "script");
    reads.push_back({{key}, {}});
    writes.push_back({{key}, {"x"}});
  }
  // Loads the script and routes every slot. Replicas of a cluster just formed may still
  // be syncing (WAIT answers 0): retry, as every caller does with UNAVAILABLE.
  absl::Status all_written = absl::UnavailableError("not yet written");
  for (absl::Time give_up = absl::Now() + absl::Seconds(60);
       !all_written.ok() && absl::Now() < give_up;) {
    auto written = redis.EvalPipeline(write, writes);
    all_written = written.ok() ? absl::OkStatus() : written.status();
    for (size_t i = 0; written.ok() && i < written->size(); ++i) {
      if (!(*written)[i].ok()) all_written = (*written)[i].status();
    }
  }
  ASSERT_TRUE(all_written.ok()) << all_written;

  const int64_t before = WaitCalls();
  auto got = redis.EvalPipeline(read, reads);
  ASSERT_TRUE(got.ok()) << got.status();
  for (const auto& r : *got) {
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(r->str, "x");
  }
  auto one = redis.Eval(read, {ShardKey("order", 0, "script")}, {});
  ASSERT_TRUE(one.ok()) << one.status();
  EXPECT_EQ(WaitCalls(), before) << "a read-only script was followed by WAIT";

  auto again = redis.Eval(write, {ShardKey("order", 0, "script")}, {"y"});
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(WaitCalls(), before + 1) << "a writing script must be followed by WAIT";
}

TEST_F(RedisClusterClientTest, RedisRefusesAReadOnlyScriptThatWrites) {
  RedisClient redis(Options(1));
  const LuaScript sneaky("sneaky", "return redis.call('SET', KEYS[1], 'x')", /*read_only=*/true);
  auto r = redis.Eval(sneaky, {ShardKey("order", 3, "sneaky")}, {});
  EXPECT_FALSE(r.ok());
  auto v = redis.Command({"GET", ShardKey("order", 3, "sneaky")});
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_TRUE(v->is_nil());
}

}  // namespace
}  // namespace revisit
