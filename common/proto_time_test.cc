// Timestamp conversions and the 0001-9999 rule (common/proto_time.h).
#include "common/proto_time.h"

#include <gtest/gtest.h>

#include "absl/strings/match.h"

namespace revisit {
namespace {

TEST(ProtoTimeTest, RoundTripsExactlyAcrossTheWholeRange) {
  for (int64_t s : {kMinTimestampSeconds, int64_t{-1}, int64_t{0}, int64_t{1767225600},
                    kMaxTimestampSeconds}) {
    for (int32_t n : {0, 1, 999999999}) {
      google::protobuf::Timestamp ts;
      ts.set_seconds(s);
      ts.set_nanos(n);
      EXPECT_EQ(ToProto(FromProto(ts)).SerializeAsString(), ts.SerializeAsString()) << s << "." << n;
    }
  }
  // Before 1970 the nanos stay positive: -0.5 s is -1 s + 500,000,000 ns.
  google::protobuf::Timestamp half = ToProto(absl::UnixEpoch() - absl::Milliseconds(500));
  EXPECT_EQ(half.seconds(), -1);
  EXPECT_EQ(half.nanos(), 500000000);
}

TEST(ProtoTimeTest, UnsetMeansAbsent) {
  google::protobuf::Timestamp ts;
  EXPECT_FALSE(IsSet(ts));
  EXPECT_EQ(OptionalTime(ts), std::nullopt);
  ts.set_nanos(1);
  EXPECT_TRUE(IsSet(ts));
  EXPECT_EQ(OptionalTime(ts), absl::UnixEpoch() + absl::Nanoseconds(1));
}

TEST(ValidateTimestampTest, Year0001To9999NamingTheField) {
  google::protobuf::Timestamp ts;
  ts.set_seconds(kMinTimestampSeconds);
  EXPECT_TRUE(ValidateTimestamp("due_at", ts).ok());
  ts.set_seconds(kMaxTimestampSeconds);
  ts.set_nanos(999999999);
  EXPECT_TRUE(ValidateTimestamp("due_at", ts).ok());
  ts.set_nanos(-1);
  EXPECT_TRUE(absl::StartsWith(ValidateTimestamp("due_at", ts).message(), "due_at.nanos: "));
  ts.set_nanos(0);
  for (int64_t s : {kMinTimestampSeconds - 1, kMaxTimestampSeconds + 1, int64_t{1} << 62}) {
    ts.set_seconds(s);
    absl::Status st = ValidateTimestamp("due_at", ts);
    EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_TRUE(absl::StrContains(st.message(), "due_at.seconds: must be within 0001-01-01..9999-12-31"))
        << st;
    EXPECT_FALSE(TimeOf("due_at", ts).ok());
  }
}

}  // namespace
}  // namespace revisit
