#include "common/grpc_client.h"

#include <vector>

#include "absl/time/clock.h"
#include "common/log.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace revisit {
namespace {

// Records the pauses instead of sleeping.
struct FakeSleep {
  std::vector<absl::Duration> pauses;
  CallPolicy Policy(int attempts) {
    CallPolicy p;
    p.max_attempts = attempts;
    p.sleep = [this](absl::Duration d) { pauses.push_back(d); };
    return p;
  }
};

// Replies with the given codes in order, counting attempts.
struct FakeCall {
  explicit FakeCall(std::vector<grpc::StatusCode> c) : codes(std::move(c)) {}
  std::vector<grpc::StatusCode> codes;
  int calls = 0;
  std::vector<std::chrono::system_clock::time_point> deadlines;
  grpc::Status operator()(grpc::ClientContext* ctx) {
    deadlines.push_back(ctx->deadline());
    grpc::StatusCode code = codes[static_cast<size_t>(std::min<int>(calls, codes.size() - 1))];
    ++calls;
    return code == grpc::StatusCode::OK ? grpc::Status::OK : grpc::Status(code, "fake");
  }
};

TEST(CallWithRetryTest, SucceedsFirstTime) {
  FakeSleep sleep;
  FakeCall call({grpc::StatusCode::OK});
  EXPECT_TRUE(CallWithRetry(sleep.Policy(3), "t", std::ref(call)).ok());
  EXPECT_EQ(call.calls, 1);
  EXPECT_TRUE(sleep.pauses.empty());
}

TEST(CallWithRetryTest, RetriesRetryableCodesThenSucceeds) {
  FakeSleep sleep;
  FakeCall call({grpc::StatusCode::UNAVAILABLE, grpc::StatusCode::DEADLINE_EXCEEDED,
                 grpc::StatusCode::RESOURCE_EXHAUSTED, grpc::StatusCode::ABORTED,
                 grpc::StatusCode::OK});
  EXPECT_TRUE(CallWithRetry(sleep.Policy(5), "t", std::ref(call)).ok());
  EXPECT_EQ(call.calls, 5);
  EXPECT_EQ(sleep.pauses.size(), 4u);
}

TEST(CallWithRetryTest, DoesNotRetryOtherCodes) {
  for (auto code : {grpc::StatusCode::INVALID_ARGUMENT, grpc::StatusCode::NOT_FOUND,
                    grpc::StatusCode::FAILED_PRECONDITION, grpc::StatusCode::INTERNAL,
                    grpc::StatusCode::ALREADY_EXISTS}) {
    FakeSleep sleep;
    FakeCall call({code});
    absl::Status s = CallWithRetry(sleep.Policy(3), "t", std::ref(call));
    EXPECT_EQ(static_cast<int>(s.code()), static_cast<int>(code));
    EXPECT_EQ(call.calls, 1);
  }
}

TEST(CallWithRetryTest, GivesUpAfterMaxAttemptsWithLastStatus) {
  FakeSleep sleep;
  FakeCall call({grpc::StatusCode::UNAVAILABLE});
  absl::Status s = CallWithRetry(sleep.Policy(3), "t", std::ref(call));
  EXPECT_EQ(s.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(call.calls, 3);
  EXPECT_EQ(sleep.pauses.size(), 2u);
}

TEST(CallWithRetryTest, EachAttemptHasAFreshDeadline) {
  FakeSleep sleep;
  CallPolicy policy = sleep.Policy(2);
  policy.attempt_deadline = absl::Seconds(30);
  FakeCall call({grpc::StatusCode::UNAVAILABLE, grpc::StatusCode::OK});
  absl::Time before = absl::Now();
  ASSERT_TRUE(CallWithRetry(policy, "t", std::ref(call)).ok());
  ASSERT_EQ(call.deadlines.size(), 2u);
  for (auto d : call.deadlines) {
    EXPECT_GE(absl::FromChrono(d), before + absl::Seconds(30));
    EXPECT_LE(absl::FromChrono(d), absl::Now() + absl::Seconds(30));
  }
}

TEST(CallWithRetryTest, BackoffGrowsWithJitterAndCap) {
  CallPolicy p;
  p.initial_backoff = absl::Milliseconds(100);
  p.max_backoff = absl::Milliseconds(350);
  EXPECT_EQ(BackoffBefore(p, 1), absl::Milliseconds(100));
  EXPECT_EQ(BackoffBefore(p, 2), absl::Milliseconds(200));
  EXPECT_EQ(BackoffBefore(p, 3), absl::Milliseconds(350));
  EXPECT_EQ(BackoffBefore(p, 30), absl::Milliseconds(350));

  FakeSleep sleep;
  CallPolicy policy = sleep.Policy(4);
  policy.jitter = 0.2;
  FakeCall call({grpc::StatusCode::UNAVAILABLE});
  (void)CallWithRetry(policy, "t", std::ref(call));
  ASSERT_EQ(sleep.pauses.size(), 3u);
  for (size_t i = 0; i < sleep.pauses.size(); ++i) {
    absl::Duration base = BackoffBefore(policy, static_cast<int>(i) + 1);
    EXPECT_GE(sleep.pauses[i], base * 0.8);
    EXPECT_LE(sleep.pauses[i], base * 1.2);
  }
}

TEST(MakeChannelTest, MakesAChannelWithoutConnecting) {
  auto channel = MakeChannel("127.0.0.1:1");
  ASSERT_NE(channel, nullptr);
}

}  // namespace
}  // namespace revisit
