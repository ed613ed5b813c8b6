#include "common/redis_slots.h"

#include <gtest/gtest.h>

#include "common/keys.h"

namespace revisit {
namespace {

// Reference values from the Redis Cluster specification and `CLUSTER KEYSLOT`.
TEST(RedisSlotsTest, SlotsMatchRedis) {
  EXPECT_EQ(Crc16("123456789"), 0x31C3);  // the spec's CRC16 check value
  EXPECT_EQ(KeySlot("foo"), 12182);
  EXPECT_EQ(KeySlot("bar"), 5061);
  EXPECT_EQ(KeySlot("somekey"), 11058);
  EXPECT_EQ(KeySlot(""), 0);
}

TEST(RedisSlotsTest, OnlyTheHashTagIsHashed) {
  EXPECT_EQ(KeySlot("{user1000}.following"), KeySlot("{user1000}.followers"));
  EXPECT_EQ(KeySlot("{user1000}.following"), KeySlot("user1000"));
  EXPECT_EQ(KeySlot("foo{}{bar}"), KeySlot("foo{}{bar}"));  // empty tag: whole key
  EXPECT_NE(KeySlot("foo{}{bar}"), KeySlot("bar"));
  EXPECT_EQ(KeySlot("foo{{bar}}zap"), KeySlot("{bar"));  // first { to first }
  EXPECT_EQ(KeySlot("foo{bar}{zap}"), KeySlot("bar"));
}

TEST(RedisSlotsTest, RevisitShardKeysShareTheirShardsSlot) {
  auto slot = SlotOfKeys({ShardKey("order", 7, "outbox"), ShardKey("order", 7, "x:1"),
                          ShardKey("order", 7, "timers")});
  ASSERT_TRUE(slot.ok()) << slot.status();
  ASSERT_TRUE(slot->has_value());
  auto cross = SlotOfKeys({ShardKey("order", 7, "outbox"), ShardKey("order", 8, "outbox")});
  EXPECT_EQ(cross.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(cross.status().message().find("CROSSSLOT"), std::string::npos);
  auto none = SlotOfKeys({});
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
}

TEST(RedisSlotsTest, CommandKeys) {
  EXPECT_EQ(CommandKeys({"GET", "k"}), std::vector<std::string>{"k"});
  EXPECT_EQ(CommandKeys({"HSET", "h", "f", "v"}), std::vector<std::string>{"h"});
  EXPECT_EQ(CommandKeys({"EVALSHA", "abc", "2", "a", "b", "arg"}),
            (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(CommandKeys({"EVALSHA_RO", "abc", "1", "a", "arg"}), std::vector<std::string>{"a"});
  EXPECT_EQ(CommandKeys({"EVAL_RO", "return 1", "1", "a"}), std::vector<std::string>{"a"});
  EXPECT_TRUE(CommandKeys({"EVALSHA", "abc", "0", "arg"}).empty());
  EXPECT_TRUE(CommandKeys({"EVALSHA", "abc", "9", "a"}).empty());  // malformed: server refuses
  EXPECT_TRUE(CommandKeys({"PING"}).empty());
  EXPECT_TRUE(CommandKeys({"SCRIPT", "LOAD", "return 1"}).empty());
  EXPECT_TRUE(CommandKeys({"cluster", "slots"}).empty());
}

TEST(RedisSlotsTest, ParsesRedirects) {
  auto moved = ParseRedirect(absl::InternalError("redis: MOVED 3999 127.0.0.1:6381"));
  ASSERT_TRUE(moved.has_value());
  EXPECT_FALSE(moved->ask);
  EXPECT_EQ(moved->slot, 3999);
  EXPECT_EQ(moved->address, "127.0.0.1:6381");
  auto ask = ParseRedirect(absl::InternalError("redis: ASK 12 10.0.0.2:7000"));
  ASSERT_TRUE(ask.has_value());
  EXPECT_TRUE(ask->ask);
  EXPECT_FALSE(ParseRedirect(absl::InternalError("redis: ERR unknown command")).has_value());
  EXPECT_FALSE(ParseRedirect(absl::InternalError("redis: MOVED x 1:2")).has_value());
  EXPECT_FALSE(ParseRedirect(absl::InternalError("redis: MOVED 99999 1:2")).has_value());
  EXPECT_FALSE(ParseRedirect(absl::OkStatus()).has_value());
}

}  // namespace
}  // namespace revisit
