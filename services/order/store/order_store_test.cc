// What the store stages for a decision (StageOrder), read back with
// WriteBatch::Iterate: no Redis needed to see that the order, its timers and its
// events land in one batch under the version that was read.
#include "services/order/store/order_store.h"

#include <gtest/gtest.h>

#include <map>

#include "common/outbox.h"
#include "services/order/domain/decide.h"

namespace revisit::order {
namespace {

v1::Order Created() {
  v1::Order o;
  o.set_order_id("ord-07-00000000000000aa");
  o.set_customer_id("cus-07-00000000000000bb");
  o.set_state(v1::ORDER_STATE_CREATED);
  o.mutable_total()->set_amount_minor(8800);
  o.mutable_total()->set_currency("CNY");
  return o;
}

TEST(StageOrderTest, OrderUnderItsVersionTimersAndEventsInOneBatch) {
  v1::PayOrderRequest pay;
  pay.mutable_amount()->set_amount_minor(8800);
  pay.mutable_amount()->set_currency("CNY");
  const absl::Time now = absl::FromUnixSeconds(1772445600);  // 2026-03-02 10:00 UTC
  auto e = DecidePay(Created(), pay, OrderPolicy(), now);
  ASSERT_TRUE(e.ok()) << e.status();
  WriteBatch batch;
  StageOrder(batch, 7, 3, *e, now);

  std::map<std::string, std::vector<BatchOp>> by_op;
  batch.Iterate([&](const BatchOp& op) { by_op[op.op].push_back(op); });
  const std::string key = OrderKey(7, "ord-07-00000000000000aa");
  ASSERT_EQ(by_op["VERSION"].size(), 1u);
  EXPECT_EQ(by_op["VERSION"][0].key, key);
  EXPECT_EQ(by_op["VERSION"][0].args, std::vector<std::string>{"3"});
  ASSERT_EQ(by_op["PUT"].size(), 1u);
  EXPECT_EQ(by_op["PUT"][0].key, key);
  EXPECT_EQ(by_op["PUT"][0].args[0], "4");
  v1::Order stored;
  ASSERT_TRUE(stored.ParseFromString(by_op["PUT"][0].args[1]));
  EXPECT_EQ(stored.state(), v1::ORDER_STATE_PAID);
  // The O3 timer "late:<order>" is scheduled in the order's shard.
  bool late = false;
  for (const auto& op : by_op["ZADD"]) late = late || op.args[1] == "late:ord-07-00000000000000aa";
  EXPECT_TRUE(late);
  ASSERT_EQ(by_op["XADD"].size(), 1u);
  EXPECT_EQ(by_op["XADD"][0].key, OutboxStream(kService, 7));
  bool paid = false;
  for (size_t i = 1; i + 1 < by_op["XADD"][0].args.size(); i += 2) {
    paid = paid || by_op["XADD"][0].args[i + 1] == "revisit.order.paid.v1";
  }
  EXPECT_TRUE(paid);
}

TEST(StageOrderTest, ACancelledTimerIsRemoved) {
  OrderEffects e;
  e.order = Created();
  e.timers.push_back({"late:ord-07-00000000000000aa", std::nullopt});
  WriteBatch batch;
  StageOrder(batch, 7, 1, e, absl::UnixEpoch());
  int zrem = 0;
  batch.Iterate([&](const BatchOp& op) {
    if (op.op == "ZREM" && op.args[0] == "late:ord-07-00000000000000aa") ++zrem;
  });
  EXPECT_EQ(zrem, 1);
}

}  // namespace
}  // namespace revisit::order
