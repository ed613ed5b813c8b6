#include "common/timer_queue.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/keys.h"
#include "common/write_batch.h"

namespace revisit {
namespace {

const absl::Time kBase = absl::FromUnixMillis(1767225600000);

TEST(TimerScoreTest, WholeMillisecondsAreTheirOwnScore) {
  EXPECT_EQ(TimerScore(kBase), 1767225600000);
  EXPECT_EQ(TimerScore(absl::UnixEpoch() - absl::Milliseconds(3)), -3);
}

TEST(TimerScoreTest, AFractionOfAMillisecondRoundsUpNeverDown) {
  EXPECT_EQ(TimerScore(kBase + absl::Nanoseconds(1)), 1767225600001);
  EXPECT_EQ(TimerScore(kBase + absl::Microseconds(999)), 1767225600001);
  EXPECT_EQ(TimerScore(absl::UnixEpoch() - absl::Microseconds(1500)), -1);
}

// The claim takes scores <= now rounded down (claim_timers.lua), so a claimed timer
// was due: TimerScore(due) <= floor(now) implies due <= now.
TEST(TimerScoreTest, NoTimeBeforeTheDueTimeCanClaimIt) {
  for (int us = 0; us < 3000; us += 7) {
    const absl::Time due = kBase + absl::Microseconds(us);
    for (int before = 1; before < 2000; before += 13) {
      const absl::Time now = due - absl::Microseconds(before);
      EXPECT_GT(TimerScore(due), absl::ToUnixMillis(now)) << us << " " << before;
    }
  }
}

TEST(TimerKeysTest, AShardsTimerKeysShareItsHashTag) {
  const std::string prefix = ShardPrefix("svc", 3);  // one WriteBatch, one script call
  for (const std::string& key : {TimerSetKey("svc", 3), TimerDataKey("svc", 3), TimerClaimKey("svc", 3)}) {
    EXPECT_EQ(key.rfind(prefix, 0), 0u) << key;
  }
  EXPECT_NE(TimerClaimKey("svc", 3), TimerDataKey("svc", 3));
}

}  // namespace
}  // namespace revisit

namespace revisit {
namespace {

// What ScheduleTimer stages: the due time, the payload (an empty one as no field:
// claim_timers.lua reads a missing payload as ""), and the cleared claim token.
std::vector<std::string> Staged(const std::string& payload) {
  WriteBatch batch;
  ScheduleTimer(batch, "svc", 3, "late:a", absl::FromUnixMillis(5000), payload);
  std::vector<std::string> ops;
  batch.Iterate([&](const BatchOp& op) {
    std::string line = op.op + " " + op.key;
    for (const auto& a : op.args) line += " " + a;
    ops.push_back(line);
  });
  return ops;
}

TEST(ScheduleTimerTest, APayloadIsStoredAndAnEmptyOneIsNoField) {
  const std::string set = TimerSetKey("svc", 3), data = TimerDataKey("svc", 3),
                    claim = TimerClaimKey("svc", 3);
  EXPECT_EQ(Staged("p"), (std::vector<std::string>{"ZADD " + set + " 5000 late:a",
                                                   "HSET " + data + " late:a p",
                                                   "HDEL " + claim + " late:a"}));
  EXPECT_EQ(Staged(""), (std::vector<std::string>{"ZADD " + set + " 5000 late:a",
                                                  "HDEL " + data + " late:a",
                                                  "HDEL " + claim + " late:a"}));
}

}  // namespace
}  // namespace revisit
