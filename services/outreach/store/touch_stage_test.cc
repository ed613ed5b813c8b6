// What the store stages for a touch decision (StageTouchEffects), read back with
// WriteBatch::Iterate: no Redis needed to see the index, the timer, the events and
// the campaign counters of a decider's effects land in the batch.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "common/outbox.h"
#include "common/timer_queue.h"
#include "services/outreach/domain/touch_decide.h"
#include "services/outreach/domain/touch_ids.h"
#include "services/outreach/store/outreach_store.h"
#include "services/outreach/store/touch_stage.h"

namespace revisit::outreach {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1772445600);  // 2026-03-02 10:00 UTC
const std::string kCustomer = "cus-07-00000000000000bb";

std::map<std::string, std::vector<BatchOp>> Ops(const WriteBatch& batch) {
  std::map<std::string, std::vector<BatchOp>> by_op;
  batch.Iterate([&](const BatchOp& op) { by_op[op.op].push_back(op); });
  return by_op;
}

bool HasType(const BatchOp& xadd, const std::string& ce_type) {
  for (size_t i = 0; i + 1 < xadd.args.size(); ++i)
    if (xadd.args[i + 1] == ce_type) return true;
  return false;
}

TouchEffects Scheduled() {
  store::CustomerState c;
  c.set_customer_id(kCustomer);
  TouchSpec spec;
  spec.trigger = v1::TRIGGER_FEEDBACK_REQUEST;
  spec.source_id = "ord-07-00000000000000aa";
  spec.due = kNow + absl::Hours(72);
  auto e = DecideSchedule(c, nullptr, TouchId(kCustomer, spec.trigger, spec.source_id), spec,
                          RulesTable::Defaults().For(spec.trigger), kNow);
  EXPECT_TRUE(e.ok());
  return *e;
}

TEST(StageTouchEffectsTest, AScheduledTouchIsTimedAnnouncedAndCountedR1) {
  const TouchEffects e = Scheduled();
  WriteBatch batch;
  StageTouchEffects(batch, 7, kCustomer, e, kNow);
  auto ops = Ops(batch);
  const std::string id = e.touch.touch_id();
  bool indexed = false, timed = false;
  for (const auto& op : ops["ZADD"]) {
    if (op.key == TouchesOfKey(7, kCustomer) && op.args[1] == id) indexed = true;
    if (op.key == TimerSetKey(kService, 7) && op.args[1] == id) timed = true;
  }
  // A pending touch is listed by the record's pending refs, not by touches_of.
  EXPECT_FALSE(indexed);
  ASSERT_EQ(e.customer.pending_size(), 1);
  EXPECT_EQ(e.customer.pending(0).touch_id(), id);
  EXPECT_TRUE(timed);  // the durable timer of the touch, in the customer's shard
  EXPECT_TRUE(ops["HSET"].empty()) << "a timer without payload stores none";
  ASSERT_EQ(ops["XADD"].size(), 1u);
  EXPECT_EQ(ops["XADD"][0].key, OutboxStream(kService, 7));
  EXPECT_TRUE(HasType(ops["XADD"][0], "revisit.outreach.touch_scheduled.v1"));
  ASSERT_EQ(ops["INCRBY"].size(), 1u);
  EXPECT_EQ(ops["INCRBY"][0].key, StatKey(7, "feedback_request", "scheduled"));
  EXPECT_EQ(ops["INCRBY"][0].args, std::vector<std::string>{"1"});
  ASSERT_EQ(ops["SADD"].size(), 1u);
  EXPECT_EQ(ops["SADD"][0].key, CampaignsKey(7));
}

TEST(StageTouchEffectsTest, DuringARolloutAScheduledTouchIsIndexedAsBefore) {
  // REVISIT_OUTREACH_COMPACT_TOUCHES=false: versions before issue 17 list touches_of only.
  const TouchEffects e = Scheduled();
  WriteBatch batch;
  StageTouchEffects(batch, 7, kCustomer, e, kNow, /*compact=*/false);
  auto ops = Ops(batch);
  int indexed = 0;
  for (const auto& op : ops["ZADD"])
    indexed += op.key == TouchesOfKey(7, kCustomer) && op.args[1] == e.touch.touch_id();
  EXPECT_EQ(indexed, 1);
}

TEST(StageTouchEffectsTest, ACancelledTouchLosesItsTimerAndJoinsTheIndexOfFinishedTouches) {
  TouchEffects s = Scheduled();
  auto e = DecideCancel(s.customer, s.touch, "order refunded", kNow);
  ASSERT_TRUE(e.ok());
  WriteBatch batch;
  StageTouchEffects(batch, 7, kCustomer, *e, kNow);
  auto ops = Ops(batch);
  // ListTouches still shows it (no longer a pending ref): indexed at its due time;
  // no timer is armed.
  ASSERT_EQ(ops["ZADD"].size(), 1u);
  EXPECT_EQ(ops["ZADD"][0].key, TouchesOfKey(7, kCustomer));
  EXPECT_EQ(ops["ZADD"][0].args,
            (std::vector<std::string>{std::to_string(absl::ToUnixMillis(kNow + absl::Hours(72))),
                                      e->touch.touch_id()}));
  EXPECT_EQ(e->customer.pending_size(), 0);
  ASSERT_EQ(ops["ZREM"].size(), 1u);  // the timer goes (timer_queue.h CancelTimer)
  EXPECT_EQ(ops["ZREM"][0].key, TimerSetKey(kService, 7));
  EXPECT_EQ(ops["ZREM"][0].args, std::vector<std::string>{e->touch.touch_id()});
  ASSERT_EQ(ops["XADD"].size(), 1u);
  EXPECT_TRUE(HasType(ops["XADD"][0], "revisit.outreach.touch_cancelled.v1"));
  EXPECT_TRUE(ops["INCRBY"].empty());
}

TEST(StageTouchEffectsTest, ARearmWritesOnlyTheTimer) {
  TouchEffects s = Scheduled();
  auto e = DecideRearm(s.customer, s.touch);
  ASSERT_TRUE(e.ok());
  WriteBatch batch;
  StageTouchEffects(batch, 7, kCustomer, *e, kNow);
  auto ops = Ops(batch);
  ASSERT_EQ(ops["ZADD"].size(), 1u);
  EXPECT_EQ(ops["ZADD"][0].key, TimerSetKey(kService, 7));
  EXPECT_TRUE(ops["XADD"].empty());
  EXPECT_TRUE(ops["INCRBY"].empty());
}

}  // namespace
}  // namespace revisit::outreach
