#include "common/keys.h"

#include <set>

#include <gtest/gtest.h>

namespace revisit {
namespace {

TEST(KeysTest, ShardOfIsStableAndSpreads) {
  EXPECT_EQ(ShardOf("cus-1"), ShardOf("cus-1"));
  std::set<int> seen;
  for (int i = 0; i < 1000; ++i) seen.insert(ShardOf("customer-" + std::to_string(i)));
  EXPECT_EQ(seen.size(), static_cast<size_t>(kShards));
}

TEST(KeysTest, KeysOfAShardShareOneHashTag) {
  EXPECT_EQ(ShardKey("order", 7, "outbox"), "order:{order:07}:outbox");
  EXPECT_EQ(ShardPrefix("loyalty", 12), "loyalty:{loyalty:12}:");
}

TEST(KeysTest, EntityIdsEmbedTheirShard) {
  std::string id = NewEntityId("ord", 11);
  EXPECT_EQ(id.substr(0, 7), "ord-0b-");
  EXPECT_EQ(*ShardOfEntityId(id, "ord", "order_id"), 11);
  EXPECT_NE(NewEntityId("ord", 11), id);
}

TEST(KeysTest, StableEntityIdsAreDeterministicAndEmbedTheirShard) {
  const std::string a = StableEntityId("vch", 7, "regular:cus-1:230");
  EXPECT_EQ(a, StableEntityId("vch", 7, "regular:cus-1:230"));
  EXPECT_NE(a, StableEntityId("vch", 7, "regular:cus-1:231"));
  EXPECT_EQ(a.size(), std::string("vch-07-").size() + 16);
  auto shard = ShardOfEntityId(a, "vch", "voucher_id");
  ASSERT_TRUE(shard.ok()) << shard.status();
  EXPECT_EQ(*shard, 7);
}

TEST(KeysTest, ForeignIdsAreNotFoundNamingTheField) {
  auto bad = ShardOfEntityId("ord-zz-0000000000000000", "ord", "order_id");
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(bad.status().message().find("order_id \"ord-zz"), std::string::npos);
  EXPECT_FALSE(ShardOfEntityId("cus-01-0000000000000000", "ord", "order_id").ok());
  EXPECT_FALSE(ShardOfEntityId("ord-10-0000000000000000", "ord", "order_id").ok());  // shard 16
  EXPECT_FALSE(ShardOfEntityId("", "ord", "order_id").ok());
}

}  // namespace
}  // namespace revisit
