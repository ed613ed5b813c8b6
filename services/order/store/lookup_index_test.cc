// O2: what the lookup index stages with a customer or order write, read back with
// WriteBatch::Iterate (no Redis): hashed keys in the customer's shard, the old phone
// removed and the new one added in the same batch, no plain PII in any key.
#include "services/order/store/lookup_index.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "absl/strings/match.h"
#include "common/keys.h"

namespace revisit::order {
namespace {

constexpr char kSecret[] = "0123456789abcdef0123456789abcdef";

v1::Customer Li() {
  v1::Customer c;
  c.set_customer_id("cus-07-00000000000000bb");
  c.add_phones("138 0013 8000");
  c.add_emails("Li.Wei@Example.com");
  return c;
}

std::vector<BatchOp> Ops(const WriteBatch& batch) {
  std::vector<BatchOp> ops;
  batch.Iterate([&](const BatchOp& op) { ops.push_back(op); });
  return ops;
}

class LookupIndexTest : public ::testing::Test {
 protected:
  RedisClient redis_{RedisOptions()};  // never connected: nothing here talks to Redis
  LookupIndex index_{redis_, kSecret};
};

TEST_F(LookupIndexTest, ANewCustomerAddsHashedKeysInItsShard) {
  WriteBatch batch;
  index_.StageCustomer(batch, 7, nullptr, Li());
  auto ops = Ops(batch);
  ASSERT_EQ(ops.size(), 2u);
  for (const auto& op : ops) {
    EXPECT_EQ(op.op, "SADD");
    EXPECT_TRUE(absl::StartsWith(op.key, ShardKey("order", 7, "find:"))) << op.key;
    EXPECT_EQ(op.args, std::vector<std::string>{"cus-07-00000000000000bb"});
    // No plain copy of the PII in Redis: neither spelling of the phone nor the e-mail.
    EXPECT_FALSE(absl::StrContains(op.key, "13800138000")) << op.key;
    EXPECT_FALSE(absl::StrContains(op.key, "example.com")) << op.key;
  }
  EXPECT_EQ(ops[0].key, index_.Key(7, {LookupKind::kPhone, "8613800138000"}));
  EXPECT_EQ(ops[1].key, index_.Key(7, {LookupKind::kEmail, "li.wei@example.com"}));
}

TEST_F(LookupIndexTest, AChangedPhoneRemovesTheOldEntryInTheSameBatch) {
  v1::Customer after = Li();
  after.set_phones(0, "+86 139 0013 9000");
  WriteBatch batch;
  const v1::Customer before = Li();
  index_.StageCustomer(batch, 7, &before, after);
  auto ops = Ops(batch);
  ASSERT_EQ(ops.size(), 3u);
  EXPECT_EQ(ops[0].op, "SREM");
  EXPECT_EQ(ops[0].key, index_.Key(7, {LookupKind::kPhone, "8613800138000"}));
  std::set<std::string> added;
  for (size_t i = 1; i < ops.size(); ++i) {
    EXPECT_EQ(ops[i].op, "SADD");
    added.insert(ops[i].key);
  }
  EXPECT_EQ(added, (std::set<std::string>{index_.Key(7, {LookupKind::kPhone, "8613900139000"}),
                                          index_.Key(7, {LookupKind::kEmail, "li.wei@example.com"})}));
}

TEST_F(LookupIndexTest, AnUpdateOfOtherFieldsOrAnotherSpellingRemovesNothing) {
  v1::Customer after = Li();
  after.set_name("李伟");
  after.set_phones(0, "+86-138-0013-8000");
  WriteBatch batch;
  const v1::Customer before = Li();
  index_.StageCustomer(batch, 7, &before, after);
  auto ops = Ops(batch);
  // The current entries again (idempotent: heals an entry never written), no SREM.
  ASSERT_EQ(ops.size(), 2u);
  for (const auto& op : ops) EXPECT_EQ(op.op, "SADD");
  EXPECT_EQ(ops[0].key, index_.Key(7, {LookupKind::kPhone, "8613800138000"}));
}

TEST_F(LookupIndexTest, TheKeyDependsOnTheSecret) {
  LookupTerm term{LookupKind::kPhone, "8613800138000"};
  LookupIndex other(redis_, std::string(32, 'x'));
  LookupIndex unkeyed(redis_, "");
  EXPECT_NE(index_.Key(7, term), other.Key(7, term));
  EXPECT_NE(index_.Key(7, term), unkeyed.Key(7, term));
  // Unkeyed: SHA-256("phone:8613800138000"), 64 hex digits.
  EXPECT_EQ(unkeyed.Key(0, {LookupKind::kEmail, "a@b.cn"}).size(),
            ShardKey("order", 0, "find:email:").size() + 64);
  // The kind is part of the hashed text: a phone and an e-mail never share an entry.
  EXPECT_NE(index_.Key(7, term).substr(ShardKey("order", 7, "find:phone:").size()),
            index_.Key(7, {LookupKind::kEmail, term.second})
                .substr(ShardKey("order", 7, "find:email:").size()));
}

TEST_F(LookupIndexTest, AShippedOrderAddsItsTrackingNumber) {
  v1::Order o;
  o.set_order_id("ord-07-00000000000000aa");
  WriteBatch before;
  index_.StageOrder(before, 7, o);
  EXPECT_TRUE(Ops(before).empty());  // not shipped: nothing
  o.mutable_shipment()->set_tracking_number("sf 1234-5678");
  WriteBatch shipped;
  index_.StageOrder(shipped, 7, o);
  auto ops = Ops(shipped);
  ASSERT_EQ(ops.size(), 1u);
  EXPECT_EQ(ops[0].op, "SADD");
  EXPECT_EQ(ops[0].key, index_.Key(7, {LookupKind::kTracking, "SF12345678"}));
  EXPECT_EQ(ops[0].args, std::vector<std::string>{"ord-07-00000000000000aa"});
}

}  // namespace
}  // namespace revisit::order
