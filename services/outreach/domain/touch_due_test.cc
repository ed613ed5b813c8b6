// DecideDue (touch_due.h): a fired timer in every touch state, and each verdict of
// the R6 measure as the touch's effects.
#include "common/proto_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/outreach/domain/touch_due.h"
#include "services/outreach/domain/touch_ids.h"

namespace revisit::outreach {
namespace {

namespace pb = revisit::outreach::v1;
namespace cv1 = revisit::common::v1;
using ::testing::HasSubstr;

const absl::Time kNoon = absl::FromCivil(absl::CivilSecond(2027, 1, 15, 12, 0, 0), absl::UTCTimeZone());

struct Fixture {
  store::CustomerState c;
  pb::Touch t;
};

// A customer with one touch of `trigger` due at `due`, scheduled through the decider.
Fixture Scheduled(Trigger trigger, absl::Time due, int holdout_permille = 0) {
  Fixture f;
  f.c.set_customer_id("cus-1");
  TouchSpec s;
  s.trigger = trigger;
  s.source_id = "ord-1";
  s.due = due;
  TriggerRule rule = RulesTable::Defaults().For(trigger);
  rule.holdout_permille = holdout_permille;
  auto e = DecideSchedule(f.c, nullptr, TouchId("cus-1", trigger, "ord-1"), s, rule,
                          due - absl::Hours(1));
  EXPECT_TRUE(e.ok());
  f.c = e->customer;
  f.t = e->touch;
  return f;
}

CustomerView Consenting() {
  CustomerView who;
  who.tz = absl::UTCTimeZone();
  for (Channel ch : {cv1::CHANNEL_APP_PUSH, cv1::CHANNEL_EMAIL, cv1::CHANNEL_SMS}) who.consent[ch] = true;
  return who;
}

absl::StatusOr<DueVerdict> Due(const Fixture& f, const CustomerView& who, absl::Time now) {
  return DecideDue(f.c, f.t, RulesTable::Defaults(), MeasurePolicy{}, who, now);
}

TEST(DecideDue, AFinalTouchDecidesNothingInEveryFinalState) {
  for (pb::TouchState s : AllTouchStates()) {
    if (IsPendingState(s)) continue;
    Fixture f = Scheduled(pb::TRIGGER_CARE_TIPS, kNoon);
    f.t.set_state(s);
    auto v = Due(f, Consenting(), kNoon);
    ASSERT_TRUE(v.ok());
    EXPECT_FALSE(v->effects.has_value()) << TouchStateName(s);
    EXPECT_FALSE(v->send.has_value()) << TouchStateName(s);
  }
}

TEST(DecideDue, AnEarlyTimerIsReArmedAtTheDueTimeInBothPendingStates) {
  for (pb::TouchState s : {pb::TOUCH_STATE_SCHEDULED, pb::TOUCH_STATE_DEFERRED}) {
    Fixture f = Scheduled(pb::TRIGGER_CARE_TIPS, kNoon + absl::Milliseconds(1));
    f.t.set_state(s);
    auto v = Due(f, Consenting(), kNoon);
    ASSERT_TRUE(v.ok() && v->effects.has_value());
    EXPECT_EQ(v->effects->timer, TimerOp::kArm);
    EXPECT_EQ(v->effects->timer_due, kNoon + absl::Milliseconds(1));
    EXPECT_TRUE(v->effects->events.empty());
    EXPECT_FALSE(v->send.has_value());
  }
}

TEST(DecideDue, ADueTouchWithConsentIsSentOnTheConsentedChannelR6) {
  Fixture f = Scheduled(pb::TRIGGER_CARE_TIPS, kNoon);
  CustomerView who = Consenting();
  auto v = Due(f, who, kNoon);
  ASSERT_TRUE(v.ok());
  ASSERT_TRUE(v->send.has_value());
  EXPECT_FALSE(v->effects.has_value());
  EXPECT_TRUE(who.consent.at(v->send->channel));
}

TEST(DecideDue, NoConsentSuppressesR6) {
  Fixture f = Scheduled(pb::TRIGGER_CARE_TIPS, kNoon);
  CustomerView who;
  who.tz = absl::UTCTimeZone();
  auto v = Due(f, who, kNoon);
  ASSERT_TRUE(v.ok() && v->effects.has_value());
  EXPECT_EQ(v->effects->touch.state(), pb::TOUCH_STATE_SUPPRESSED);
  EXPECT_EQ(v->effects->customer.pending_size(), 0);
  EXPECT_EQ(v->effects->customer.marks_size(), 0);  // not the holdout: no mark
}

TEST(DecideDue, TheHoldoutIsSuppressedWithItsMarkR12) {
  Fixture f = Scheduled(pb::TRIGGER_WIN_BACK, kNoon, /*holdout_permille=*/1000);
  auto v = Due(f, Consenting(), kNoon);
  ASSERT_TRUE(v.ok() && v->effects.has_value());
  EXPECT_EQ(v->effects->touch.state(), pb::TOUCH_STATE_SUPPRESSED);
  ASSERT_EQ(v->effects->customer.marks_size(), 1);
  EXPECT_TRUE(v->effects->customer.marks(0).holdout());
}

TEST(DecideDue, QuietHoursDeferToTheirEndR6) {
  const absl::Time night = kNoon + absl::Hours(11);  // 23:00 UTC
  Fixture f = Scheduled(pb::TRIGGER_CARE_TIPS, night);
  auto v = Due(f, Consenting(), night);
  ASSERT_TRUE(v.ok() && v->effects.has_value());
  EXPECT_EQ(v->effects->touch.state(), pb::TOUCH_STATE_DEFERRED);
  EXPECT_EQ(v->effects->timer_due, kNoon + absl::Hours(21));  // 09:00 the next day
  EXPECT_EQ(v->effects->customer.pending(0).defer_cause(), store::DEFER_CAUSE_QUIET_HOURS);
  EXPECT_FALSE(HeldByComplaint(v->effects->customer.pending(0)));
}

TEST(DecideDue, AnOpenComplaintHoldsTheFeedbackRequestForRelease) {
  Fixture f = Scheduled(pb::TRIGGER_FEEDBACK_REQUEST, kNoon);
  CustomerView who = Consenting();
  who.open_complaints = {"cmp-1"};
  auto v = Due(f, who, kNoon);
  ASSERT_TRUE(v.ok() && v->effects.has_value());
  EXPECT_EQ(v->effects->touch.state(), pb::TOUCH_STATE_DEFERRED);
  // R6: released on close; the cause is explicit, not read from the reason's words.
  EXPECT_EQ(v->effects->customer.pending(0).defer_cause(), store::DEFER_CAUSE_COMPLAINT_HOLD);
  EXPECT_TRUE(HeldByComplaint(v->effects->customer.pending(0)));
  const auto& step = v->effects->touch.steps(v->effects->touch.steps_size() - 1);
  EXPECT_THAT(step.reason(), HasSubstr("held: open complaint cmp-1"));
}

TEST(DecideDue, ATouchMissingFromTheIndexIsDecidedAlone) {
  Fixture f = Scheduled(pb::TRIGGER_CARE_TIPS, kNoon);
  f.c.clear_pending();
  auto v = Due(f, Consenting(), kNoon);
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->send.has_value());
}

}  // namespace
}  // namespace revisit::outreach
