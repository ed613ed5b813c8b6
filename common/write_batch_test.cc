#include "common/write_batch.h"

#include <gtest/gtest.h>

#include "common/event_envelope.h"
#include "common/outbox.h"
#include "common/timer_queue.h"
#include "common/wake_signal.h"

namespace revisit {
namespace {

// These checks happen before any Redis I/O, so the client is never dialled.
RedisClient& Unreachable() {
  static RedisClient* client = [] {
    RedisOptions o;
    o.port = 1;
    o.reconnect_budget = absl::ZeroDuration();
    return new RedisClient(o);
  }();
  return *client;
}

TEST(WriteBatchTest, EmptyBatchCommitsWithoutRedis) {
  WriteBatch batch;
  EXPECT_TRUE(batch.empty());
  auto r = batch.Commit(Unreachable());
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->duplicate);
}

TEST(WriteBatchTest, ABatchMayNotSpanShards) {
  WriteBatch batch;
  batch.Put("order:{order:01}:order:a", 1, "x").Put("order:{order:02}:order:b", 1, "y");
  auto r = batch.Commit(Unreachable());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInternal);
  EXPECT_NE(r.status().message().find("spans shards"), std::string::npos);
}

// Only a ZADD to a timer set wakes the timer scheduler (whatever the commit's
// outcome): an index scored "now" (the order service's orders_of) is no due timer,
// and waking a claim pass for it cost 32 Redis commands per CreateOrder.
TEST(WriteBatchTest, OnlyATimerSetZaddWakesTheTimerScheduler) {
  auto waiter = TimersChanged().Register();
  waiter->Take();
  WriteBatch index;
  index.ZAdd("order:{order:01}:orders_of:cus-01-a", 1000, "ord-01-a");
  (void)index.Commit(Unreachable());
  EXPECT_FALSE(waiter->Wait(absl::ZeroDuration()));
  WriteBatch timer;
  timer.ZAdd(TimerSetKey("order", 1), 2000, "late:ord-01-a");
  (void)timer.Commit(Unreachable());
  EXPECT_TRUE(waiter->Wait(absl::ZeroDuration(), 2001));
  waiter->Take();
  (void)timer.Commit(Unreachable());
  EXPECT_FALSE(waiter->Wait(absl::ZeroDuration(), 2000));  // not earlier than what it waits for
}

TEST(WriteBatchTest, RetriesOnlyConcurrentChanges) {
  int calls = 0;
  auto st = MutateWithRetry([&] {
    ++calls;
    return calls < 3 ? absl::AbortedError("conflict") : absl::OkStatus();
  });
  EXPECT_TRUE(st.ok());
  EXPECT_EQ(calls, 3);
  calls = 0;
  st = MutateWithRetry([&] {
    ++calls;
    return absl::FailedPreconditionError("no");
  });
  EXPECT_EQ(st.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(calls, 1);
  st = MutateWithRetry([] { return absl::AbortedError("always"); }, 4);
  EXPECT_EQ(st.code(), absl::StatusCode::kAborted);
  EXPECT_NE(st.message().find("gave up after 4"), std::string::npos);
}

TEST(WriteBatchTest, CountsEventsAndOps) {
  WriteBatch batch;
  EventEnvelope e;
  e.id = "1";
  batch.AppendEvent("order:{order:01}:outbox", e).ZAdd("order:{order:01}:t", 1.5e12, "m");
  EXPECT_EQ(batch.event_count(), 1);
  EXPECT_FALSE(batch.empty());
}


// Iterate reports every staged operation in order with its key and arguments, so a
// decider's effects can be asserted without Redis.
TEST(WriteBatchTest, IterateReportsOperationsInOrder) {
  WriteBatch batch;
  EventEnvelope e;
  e.id = "ev-1";
  e.type = "revisit.order.paid.v1";
  batch.Dedupe("order:{order:01}:req:a", absl::Seconds(2), "resp")
      .ExpectVersion("order:{order:01}:order:o", 3)
      .Put("order:{order:01}:order:o", 4, "data")
      .HSet("order:{order:01}:h", "f", "v")
      .AppendEvent("order:{order:01}:outbox", e)
      .Delete("order:{order:01}:order:o");
  std::vector<BatchOp> ops;
  batch.Iterate([&](const BatchOp& op) { ops.push_back(op); });
  ASSERT_EQ(ops.size(), 6u);
  EXPECT_EQ(ops[0].op, "DEDUPE");
  EXPECT_EQ(ops[0].key, "order:{order:01}:req:a");
  EXPECT_EQ(ops[0].args, (std::vector<std::string>{"2000", "resp"}));
  EXPECT_EQ(ops[1].op, "VERSION");
  EXPECT_EQ(ops[1].args, (std::vector<std::string>{"3"}));
  EXPECT_EQ(ops[2].op, "PUT");
  EXPECT_EQ(ops[2].key, "order:{order:01}:order:o");
  EXPECT_EQ(ops[2].args, (std::vector<std::string>{"4", "data"}));
  EXPECT_EQ(ops[3].op, "HSET");
  EXPECT_EQ(ops[3].args, (std::vector<std::string>{"f", "v"}));
  EXPECT_EQ(ops[4].op, "XADD");
  EXPECT_EQ(ops[4].key, "order:{order:01}:outbox");
  ASSERT_EQ(ops[4].args.size(), 23u);  // the sequence key, eleven field, value pairs
  EXPECT_EQ(ops[4].args[0], SequenceKey("order:{order:01}:outbox"));
  EXPECT_EQ(ops[4].args[1], "id");
  EXPECT_EQ(ops[4].args[2], "ev-1");
  EXPECT_EQ(ops[5].op, "DEL");
  EXPECT_TRUE(ops[5].args.empty());
}

TEST(WriteBatchTest, IterateOnAnEmptyBatchVisitsNothing) {
  WriteBatch batch;
  int n = 0;
  batch.Iterate([&](const BatchOp&) { ++n; });
  EXPECT_EQ(n, 0);
}

}  // namespace
}  // namespace revisit
