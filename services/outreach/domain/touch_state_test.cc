// The touch transition table (touch_state.h): every (state, action) pair, allowed
// or refused with FAILED_PRECONDITION naming the state and the action.
#include <map>
#include <utility>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/outreach/domain/touch_state.h"

namespace revisit::outreach {
namespace {

namespace pb = revisit::outreach::v1;
using A = TouchAction;
using ::testing::HasSubstr;

constexpr pb::TouchState kNew = pb::TOUCH_STATE_UNSPECIFIED, kScheduled = pb::TOUCH_STATE_SCHEDULED,
                         kDeferred = pb::TOUCH_STATE_DEFERRED, kSent = pb::TOUCH_STATE_SENT,
                         kSuppressed = pb::TOUCH_STATE_SUPPRESSED,
                         kCancelled = pb::TOUCH_STATE_CANCELLED, kFailed = pb::TOUCH_STATE_FAILED;

// The table of the header, written out again: (from, action) → to. Anything else is
// refused.
const std::map<std::pair<pb::TouchState, A>, pb::TouchState>& Expected() {
  static const auto* m = new std::map<std::pair<pb::TouchState, A>, pb::TouchState>{
      {{kNew, A::kSchedule}, kScheduled},
      {{kScheduled, A::kDefer}, kDeferred},      {{kDeferred, A::kDefer}, kDeferred},     // R6
      {{kDeferred, A::kRelease}, kScheduled},                                            // R6
      {{kScheduled, A::kRearm}, kScheduled},     {{kDeferred, A::kRearm}, kDeferred},
      {{kScheduled, A::kSuppress}, kSuppressed}, {{kDeferred, A::kSuppress}, kSuppressed},  // R6, R12
      {{kScheduled, A::kSend}, kSent},           {{kDeferred, A::kSend}, kSent},
      {{kScheduled, A::kFail}, kFailed},         {{kDeferred, A::kFail}, kFailed},
      {{kScheduled, A::kCancel}, kCancelled},    {{kDeferred, A::kCancel}, kCancelled},
      {{kSent, A::kFeedback}, kSent},                                                    // R1, R11
      {{kSent, A::kAttribute}, kSent},                                                   // R12
  };
  return *m;
}

TEST(TouchStateTable, EveryStateAndActionPairIsAllowedOrRefusedAsTheTableSays) {
  int allowed = 0, refused = 0;
  for (pb::TouchState from : AllTouchStates()) {
    for (A action : AllTouchActions()) {
      SCOPED_TRACE(TouchStateName(from) + " / " + TouchActionName(action));
      auto got = NextTouchState("tch-01-x", from, action);
      auto want = Expected().find({from, action});
      if (want != Expected().end()) {
        ASSERT_TRUE(got.ok()) << got.status();
        EXPECT_EQ(*got, want->second);
        ++allowed;
      } else {
        ASSERT_FALSE(got.ok());
        EXPECT_EQ(got.status().code(), absl::StatusCode::kFailedPrecondition);
        EXPECT_THAT(got.status().message(), HasSubstr("touch tch-01-x is " + TouchStateName(from)));
        EXPECT_THAT(got.status().message(), HasSubstr("cannot " + TouchActionName(action)));
        ++refused;
      }
    }
  }
  EXPECT_EQ(allowed, 16);
  EXPECT_EQ(refused, 7 * 10 - 16);
}

TEST(TouchStateTable, TheTableListsNothingTwiceAndOnlyKnownStates) {
  std::map<std::pair<pb::TouchState, A>, int> seen;
  for (const TouchTransition& t : TouchTransitions()) {
    EXPECT_EQ((++seen[{t.from, t.action}]), 1);
    EXPECT_TRUE(pb::TouchState_IsValid(t.to));
  }
  EXPECT_EQ(seen.size(), Expected().size());
}

TEST(TouchStateTable, FinalStatesAcceptNothingButTheSentTouchsAnswerAndCredit) {
  for (pb::TouchState s : {kSuppressed, kCancelled, kFailed})
    for (A action : AllTouchActions()) EXPECT_FALSE(NextTouchState("t", s, action).ok());
}

TEST(TouchStateTable, PendingMeansATimerIsArmed) {
  EXPECT_TRUE(IsPendingState(kScheduled));
  EXPECT_TRUE(IsPendingState(kDeferred));
  for (pb::TouchState s : {kNew, kSent, kSuppressed, kCancelled, kFailed})
    EXPECT_FALSE(IsPendingState(s));
}

TEST(TouchStateTable, NamesReadAsWords) {
  EXPECT_EQ(TouchStateName(kNew), "new");
  EXPECT_EQ(TouchStateName(kDeferred), "deferred");
  EXPECT_EQ(TouchStateName(static_cast<pb::TouchState>(42)), "state 42");
  EXPECT_EQ(TouchActionName(A::kFeedback), "record feedback for");
  auto refused = NextTouchState("tch-01-x", kSent, A::kCancel);
  EXPECT_EQ(refused.status().message(), "touch tch-01-x is sent: cannot cancel it");
}

}  // namespace
}  // namespace revisit::outreach
