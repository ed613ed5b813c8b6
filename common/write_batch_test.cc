#include "common/write_batch.h"

#include <gtest/gtest.h>

#include "common/event_envelope.h"

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

}  // namespace
}  // namespace revisit
