// OrderCache: what a mutating RPC may decide on without reading (order_cache.h).
// Only ever the newest version seen; bounded; capacity 0 keeps nothing.
#include "services/order/store/order_cache.h"

#include <gtest/gtest.h>

#include <string>

namespace revisit::order {
namespace {

Versioned<v1::Order> At(const std::string& id, int64_t version, v1::OrderState state) {
  Versioned<v1::Order> o;
  o.value.set_order_id(id);
  o.value.set_state(state);
  o.version = version;
  return o;
}

TEST(OrderCacheTest, GetReturnsWhatWasPutAndNothingElse) {
  OrderCache cache(8);
  EXPECT_EQ(cache.Get("ord-01-a"), nullptr);
  cache.Put(At("ord-01-a", 2, v1::ORDER_STATE_PAID));
  auto got = cache.Get("ord-01-a");
  ASSERT_NE(got, nullptr);
  EXPECT_EQ(got->version, 2);
  EXPECT_EQ(got->value.state(), v1::ORDER_STATE_PAID);
  EXPECT_EQ(cache.Get("ord-01-b"), nullptr);
}

TEST(OrderCacheTest, AnOlderVersionNeverReplacesANewerOne) {
  OrderCache cache(8);
  cache.Put(At("ord-01-a", 3, v1::ORDER_STATE_SHIPPED));
  cache.Put(At("ord-01-a", 2, v1::ORDER_STATE_PAID));  // a slow reader's copy
  EXPECT_EQ(cache.Get("ord-01-a")->version, 3);
  EXPECT_EQ(cache.Get("ord-01-a")->value.state(), v1::ORDER_STATE_SHIPPED);
  cache.Put(At("ord-01-a", 4, v1::ORDER_STATE_DELIVERED));
  EXPECT_EQ(cache.Get("ord-01-a")->version, 4);
}

TEST(OrderCacheTest, AnEntryHandedOutStaysValidWhenReplaced) {
  OrderCache cache(8);
  cache.Put(At("ord-01-a", 1, v1::ORDER_STATE_CREATED));
  auto held = cache.Get("ord-01-a");
  cache.Put(At("ord-01-a", 2, v1::ORDER_STATE_PAID));
  cache.Drop("ord-01-a");
  EXPECT_EQ(held->version, 1);
  EXPECT_EQ(held->value.state(), v1::ORDER_STATE_CREATED);
}

TEST(OrderCacheTest, DropForgetsTheOrder) {
  OrderCache cache(8);
  cache.Put(At("ord-01-a", 1, v1::ORDER_STATE_CREATED));
  cache.Drop("ord-01-a");
  EXPECT_EQ(cache.Get("ord-01-a"), nullptr);
  cache.Put(At("ord-01-a", 1, v1::ORDER_STATE_CREATED));  // after a drop, any version is new
  EXPECT_NE(cache.Get("ord-01-a"), nullptr);
}

TEST(OrderCacheTest, TheOldestInsertedGoesWhenFull) {
  OrderCache cache(3);
  for (int i = 0; i < 5; ++i) cache.Put(At("ord-01-" + std::to_string(i), 1, v1::ORDER_STATE_CREATED));
  EXPECT_EQ(cache.size(), 3u);
  EXPECT_EQ(cache.Get("ord-01-0"), nullptr);
  EXPECT_EQ(cache.Get("ord-01-1"), nullptr);
  EXPECT_NE(cache.Get("ord-01-4"), nullptr);
  // Replacing an entry does not count as a new one.
  cache.Put(At("ord-01-2", 2, v1::ORDER_STATE_PAID));
  EXPECT_EQ(cache.size(), 3u);
  EXPECT_EQ(cache.Get("ord-01-2")->version, 2);
}

TEST(OrderCacheTest, DropsAndPutsAgainStayBounded) {
  OrderCache cache(2);
  for (int i = 0; i < 1000; ++i) {
    cache.Put(At("ord-01-a", 1, v1::ORDER_STATE_CREATED));
    cache.Drop("ord-01-a");
  }
  cache.Put(At("ord-01-b", 1, v1::ORDER_STATE_CREATED));
  cache.Put(At("ord-01-c", 1, v1::ORDER_STATE_CREATED));
  EXPECT_LE(cache.size(), 2u);
  EXPECT_NE(cache.Get("ord-01-c"), nullptr);
}

TEST(OrderCacheTest, CapacityZeroKeepsNothing) {
  OrderCache cache(0);
  cache.Put(At("ord-01-a", 1, v1::ORDER_STATE_CREATED));
  EXPECT_EQ(cache.Get("ord-01-a"), nullptr);
  EXPECT_EQ(cache.size(), 0u);
}

}  // namespace
}  // namespace revisit::order
