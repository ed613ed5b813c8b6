// The touch deciders (touch_decide.h): every decider in every state of the table,
// and the effects each one returns — record, touch, timer, index, events, counters.
#include <string>
#include <vector>

#include "common/proto_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "revisit/outreach/v1/events.pb.h"
#include "services/outreach/domain/touch_decide.h"
#include "services/outreach/domain/touch_ids.h"

namespace revisit::outreach {
namespace {

namespace pb = revisit::outreach::v1;
using A = TouchAction;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

const absl::Time kNow = absl::FromUnixSeconds(1'800'000'000);
const std::string kCustomer = "cus-1";

store::CustomerState Customer() {
  store::CustomerState c;
  c.set_customer_id(kCustomer);
  return c;
}

TriggerRule Rule(Trigger trigger) { return RulesTable::Defaults().For(trigger); }

TouchSpec Spec(Trigger trigger = pb::TRIGGER_CARE_TIPS, std::string source = "ord-1") {
  TouchSpec s;
  s.trigger = trigger;
  s.source_id = std::move(source);
  s.due = kNow + absl::Hours(1);
  s.message = "hello";
  return s;
}

// A stored touch in `state`, with its pending ref on `c` when pending.
pb::Touch TouchIn(pb::TouchState state, store::CustomerState* c,
                  Trigger trigger = pb::TRIGGER_CARE_TIPS) {
  auto made = DecideSchedule(*c, nullptr, TouchId(kCustomer, trigger, "ord-1"), Spec(trigger),
                             Rule(trigger), kNow - absl::Hours(2));
  EXPECT_TRUE(made.ok());
  pb::Touch t = made->touch;
  if (IsPendingState(state)) *c = made->customer;
  t.set_state(state);
  return t;
}

std::vector<std::string> Names(const TouchEffects& e) {
  std::vector<std::string> out;
  for (const auto& ev : e.events) out.push_back(ev.name);
  return out;
}

// Runs the decider of `action` on `t`.
absl::StatusOr<TouchEffects> RunDecider(A action, const store::CustomerState& c, const pb::Touch& t) {
  pb::Feedback fb;
  fb.set_rating(4);
  switch (action) {
    case A::kSchedule:
      return DecideSchedule(c, t.state() == pb::TOUCH_STATE_UNSPECIFIED ? nullptr : &t,
                            t.touch_id(), Spec(), Rule(pb::TRIGGER_CARE_TIPS), kNow);
    case A::kDefer: return DecideDefer(c, t, kNow + absl::Hours(3), "quiet hours", store::DEFER_CAUSE_QUIET_HOURS, kNow);
    case A::kRelease: return DecideRelease(c, t, "released", kNow);
    case A::kRearm: return DecideRearm(c, t);
    case A::kSuppress: return DecideSuppress(c, t, "no consent", false, kNow);
    case A::kSend:
      return DecideSend(c, t, revisit::common::v1::CHANNEL_SMS, "hi", "", TouchPolicy{}, kNow);
    case A::kFail: return DecideFail(c, t, "channel down", "", kNow);
    case A::kCancel: return DecideCancel(c, t, "refunded", kNow);
    case A::kFeedback: return DecideFeedback(c, t, fb, "", kNow);
    case A::kAttribute: return DecideRevisit(c, t, "ord-2", kNow);
  }
  return absl::InternalError("unknown action");
}

TEST(TouchDeciders, EveryDeciderInEveryStateFollowsTheTransitionTable) {
  int allowed = 0;
  for (pb::TouchState state : AllTouchStates()) {
    for (A action : AllTouchActions()) {
      SCOPED_TRACE(TouchStateName(state) + " / " + TouchActionName(action));
      store::CustomerState c = Customer();
      pb::Touch t = TouchIn(state, &c);
      auto table = NextTouchState(t.touch_id(), state, action);
      auto got = RunDecider(action, c, t);
      if (!table.ok()) {
        ASSERT_FALSE(got.ok());
        EXPECT_EQ(got.status(), table.status());  // the table's refusal, word for word
        continue;
      }
      ASSERT_TRUE(got.ok()) << got.status();
      EXPECT_EQ(got->touch.state(), *table);
      EXPECT_EQ(got->touch.touch_id(), t.touch_id());
      ++allowed;
    }
  }
  EXPECT_EQ(allowed, static_cast<int>(TouchTransitions().size()));
}

TEST(TouchDeciders, ScheduleMakesThePendingTouchItsRefTimerEventAndCount) {
  const std::string id = TouchId(kCustomer, pb::TRIGGER_FEEDBACK_REQUEST, "ord-1");
  auto e = DecideSchedule(Customer(), nullptr, id, Spec(pb::TRIGGER_FEEDBACK_REQUEST),
                          Rule(pb::TRIGGER_FEEDBACK_REQUEST), kNow);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->touch.state(), pb::TOUCH_STATE_SCHEDULED);
  EXPECT_EQ(e->touch.customer_id(), kCustomer);
  EXPECT_EQ(e->touch.campaign(), "feedback_request");  // the rule's name (R12 stats)
  EXPECT_EQ(e->touch.priority(), Rule(pb::TRIGGER_FEEDBACK_REQUEST).priority);
  EXPECT_FALSE(e->touch.transactional());
  ASSERT_EQ(e->touch.steps_size(), 1);
  EXPECT_EQ(e->touch.steps(0).reason(), "scheduled by feedback_request");
  ASSERT_EQ(e->customer.pending_size(), 1);
  EXPECT_EQ(e->customer.pending(0).touch_id(), id);
  EXPECT_EQ(e->customer.pending(0).due_ms(), absl::ToUnixMillis(kNow + absl::Hours(1)));
  EXPECT_TRUE(e->customer_changed && e->touch_changed && e->due_changed);
  EXPECT_EQ(e->timer, TimerOp::kArm);
  EXPECT_EQ(e->timer_due, kNow + absl::Hours(1));
  EXPECT_THAT(Names(*e), ElementsAre("touch_scheduled"));
  ASSERT_EQ(e->counts.size(), 1u);
  EXPECT_EQ(e->counts[0].counter, "scheduled");
}

TEST(TouchDeciders, ScheduleKeepsAnExplicitCampaignAndTheHoldoutDrawR12) {
  TouchSpec s = Spec(pb::TRIGGER_WIN_BACK, "lapse-1");
  s.campaign = "spring";
  TriggerRule all_held = Rule(pb::TRIGGER_WIN_BACK);
  all_held.holdout_permille = 1000;
  auto e = DecideSchedule(Customer(), nullptr, "tch-00-1", s, all_held, kNow);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->touch.campaign(), "spring");
  EXPECT_TRUE(e->customer.pending(0).holdout());
  all_held.holdout_permille = 0;
  EXPECT_FALSE(DecideSchedule(Customer(), nullptr, "tch-00-1", s, all_held, kNow)
                   ->customer.pending(0).holdout());
}

TEST(TouchDeciders, ASecondScheduleOfTheSameTripleIsRefused) {
  store::CustomerState c = Customer();
  pb::Touch t = TouchIn(pb::TOUCH_STATE_SCHEDULED, &c);
  auto e = DecideSchedule(c, &t, t.touch_id(), Spec(), Rule(pb::TRIGGER_CARE_TIPS), kNow);
  EXPECT_EQ(e.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(e.status().message(), HasSubstr("is scheduled: cannot schedule it"));
}

TEST(TouchDeciders, DeferMovesDueRefAndTimerAndMarksAComplaintHoldR6) {
  store::CustomerState c = Customer();
  pb::Touch t = TouchIn(pb::TOUCH_STATE_SCHEDULED, &c, pb::TRIGGER_FEEDBACK_REQUEST);
  const absl::Time until = kNow + absl::Hours(24);
  auto e = DecideDefer(c, t, until, "held: complaint cmp-1 open", store::DEFER_CAUSE_COMPLAINT_HOLD, kNow);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->touch.state(), pb::TOUCH_STATE_DEFERRED);
  EXPECT_EQ(FromProto(e->touch.due_at()), until);
  EXPECT_EQ(e->customer.pending(0).defer_cause(), store::DEFER_CAUSE_COMPLAINT_HOLD);
  EXPECT_TRUE(e->customer.pending(0).held());  // still written for older readers
  EXPECT_TRUE(HeldByComplaint(e->customer.pending(0)));
  EXPECT_EQ(e->customer.pending(0).due_ms(), absl::ToUnixMillis(until));
  EXPECT_TRUE(e->due_changed);
  EXPECT_EQ(e->timer, TimerOp::kArm);
  EXPECT_EQ(e->timer_due, until);
  EXPECT_THAT(Names(*e), ElementsAre("touch_deferred"));
  const auto& ev = static_cast<const pb::TouchDeferred&>(*e->events[0].payload);
  EXPECT_EQ(ev.reason(), "held: complaint cmp-1 open");
  EXPECT_EQ(FromProto(ev.deferred_until()), until);
  EXPECT_EQ(e->counts[0].counter, "deferred");
  EXPECT_EQ(e->touch.steps(e->touch.steps_size() - 1).reason(), "held: complaint cmp-1 open");
}

// The cause is explicit (R6): a deferral for quiet hours or the cap is no complaint
// hold, whatever its reason says; a ref stored before defer_cause (field 8) existed
// reads as held by its legacy flag alone.
TEST(TouchDeciders, OnlyAComplaintHoldIsHeldAndOldStoredRefsStillReadR6) {
  store::CustomerState c = Customer();
  pb::Touch t = TouchIn(pb::TOUCH_STATE_SCHEDULED, &c, pb::TRIGGER_FEEDBACK_REQUEST);
  for (auto cause : {store::DEFER_CAUSE_CAP, store::DEFER_CAUSE_QUIET_HOURS}) {
    auto e = DecideDefer(c, t, kNow + absl::Hours(1), "held: looks like a hold", cause, kNow);
    ASSERT_TRUE(e.ok());
    EXPECT_EQ(e->customer.pending(0).defer_cause(), cause);
    EXPECT_FALSE(e->customer.pending(0).held());
    EXPECT_FALSE(HeldByComplaint(e->customer.pending(0)));
  }
  // Bytes an older outreach wrote: touch_id "t1" (field 1) and held = true (field 6).
  store::PendingRef old_held, old_plain;
  ASSERT_TRUE(old_held.ParseFromString(std::string("\x0a\x02t1\x30\x01", 6)));
  ASSERT_TRUE(old_plain.ParseFromString(std::string("\x0a\x02t1", 4)));
  EXPECT_EQ(old_held.touch_id(), "t1");
  EXPECT_EQ(old_held.defer_cause(), store::DEFER_CAUSE_UNSPECIFIED);
  EXPECT_TRUE(HeldByComplaint(old_held));
  EXPECT_FALSE(HeldByComplaint(old_plain));
}

TEST(TouchDeciders, ReleasePutsAHeldTouchBackOnScheduleNowR6) {
  store::CustomerState c = Customer();
  pb::Touch t = TouchIn(pb::TOUCH_STATE_SCHEDULED, &c, pb::TRIGGER_FEEDBACK_REQUEST);
  auto held = DecideDefer(c, t, kNow + absl::Hours(24), "any words", store::DEFER_CAUSE_COMPLAINT_HOLD, kNow);
  ASSERT_TRUE(held.ok());
  auto e = DecideRelease(held->customer, held->touch, "released: complaint closed", kNow);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->touch.state(), pb::TOUCH_STATE_SCHEDULED);
  EXPECT_EQ(FromProto(e->touch.due_at()), kNow);
  EXPECT_FALSE(e->customer.pending(0).held());
  EXPECT_EQ(e->customer.pending(0).defer_cause(), store::DEFER_CAUSE_UNSPECIFIED);
  EXPECT_FALSE(HeldByComplaint(e->customer.pending(0)));
  EXPECT_EQ(e->timer_due, kNow);
  EXPECT_THAT(Names(*e), ElementsAre("touch_scheduled"));
  EXPECT_TRUE(e->counts.empty());  // scheduled once, counted once
}

TEST(TouchDeciders, RearmOnlyArmsTheTimerAtTheDueTime) {
  store::CustomerState c = Customer();
  pb::Touch t = TouchIn(pb::TOUCH_STATE_DEFERRED, &c);
  auto e = DecideRearm(c, t);
  ASSERT_TRUE(e.ok());
  EXPECT_FALSE(e->touch_changed || e->customer_changed || e->due_changed);
  EXPECT_EQ(e->timer, TimerOp::kArm);
  EXPECT_EQ(e->timer_due, FromProto(t.due_at()));
  EXPECT_TRUE(e->events.empty() && e->counts.empty());
}

TEST(TouchDeciders, SuppressEndsTheTouchAndAHoldoutKeepsItsMarkR12) {
  store::CustomerState c = Customer();
  pb::Touch t = TouchIn(pb::TOUCH_STATE_SCHEDULED, &c, pb::TRIGGER_WIN_BACK);
  auto consent = DecideSuppress(c, t, "no consent on any channel", false, kNow);
  ASSERT_TRUE(consent.ok());
  EXPECT_EQ(consent->customer.pending_size(), 0);
  EXPECT_EQ(consent->timer, TimerOp::kCancel);
  EXPECT_EQ(consent->customer.marks_size(), 0);
  EXPECT_THAT(Names(*consent), ElementsAre("touch_suppressed"));
  auto holdout = DecideSuppress(c, t, "holdout", true, kNow);
  ASSERT_TRUE(holdout.ok());
  ASSERT_EQ(holdout->customer.marks_size(), 1);
  EXPECT_TRUE(holdout->customer.marks(0).holdout());
  EXPECT_EQ(holdout->customer.marks(0).at_ms(), absl::ToUnixMillis(kNow));
  ASSERT_EQ(holdout->counts.size(), 2u);  // holdout customer (first time) + suppressed
  EXPECT_EQ(holdout->counts[0].counter, "holdout");
  EXPECT_EQ(holdout->counts[1].counter, "suppressed");
  // The customer is counted in the campaign's holdout once.
  pb::Touch again = TouchIn(pb::TOUCH_STATE_SCHEDULED, &holdout->customer, pb::TRIGGER_WIN_BACK);
  auto second = DecideSuppress(holdout->customer, again, "holdout", true, kNow);
  ASSERT_EQ(second->counts.size(), 1u);
  EXPECT_EQ(second->counts[0].counter, "suppressed");
}

TEST(TouchDeciders, SendRecordsChannelMessageVoucherMarkAndTheCapWindowR6) {
  store::CustomerState c = Customer();
  c.add_capped_sent_ms(absl::ToUnixMillis(kNow - absl::Hours(24 * 8)));  // outside the window
  c.add_capped_sent_ms(absl::ToUnixMillis(kNow - absl::Hours(24)));
  pb::Touch t = TouchIn(pb::TOUCH_STATE_DEFERRED, &c, pb::TRIGGER_WIN_BACK);
  auto e = DecideSend(c, t, revisit::common::v1::CHANNEL_EMAIL, "10 off", "vch-1", TouchPolicy{},
                      kNow);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->touch.state(), pb::TOUCH_STATE_SENT);
  EXPECT_EQ(e->touch.channel(), revisit::common::v1::CHANNEL_EMAIL);
  EXPECT_EQ(e->touch.message(), "10 off");
  EXPECT_EQ(e->touch.voucher_id(), "vch-1");  // R7
  EXPECT_EQ(FromProto(e->touch.sent_at()), kNow);
  EXPECT_EQ(e->customer.pending_size(), 0);
  EXPECT_EQ(e->timer, TimerOp::kCancel);
  EXPECT_THAT(e->customer.capped_sent_ms(),
              ElementsAre(absl::ToUnixMillis(kNow - absl::Hours(24)), absl::ToUnixMillis(kNow)));
  EXPECT_EQ(e->customer.last_contact_ms(), absl::ToUnixMillis(kNow));  // R9
  ASSERT_EQ(e->customer.marks_size(), 1);
  EXPECT_FALSE(e->customer.marks(0).transactional());
  EXPECT_THAT(Names(*e), ElementsAre("touch_sent"));
  ASSERT_EQ(e->counts.size(), 2u);
  EXPECT_EQ(e->counts[0].counter, "treated");
  EXPECT_EQ(e->counts[1].counter, "sent");
}

TEST(TouchDeciders, ATransactionalSendTakesNoCapSlotAndEarnsNoCreditR6R12) {
  store::CustomerState c = Customer();
  pb::Touch t = TouchIn(pb::TOUCH_STATE_SCHEDULED, &c, pb::TRIGGER_ORDER_THANKS);
  auto e = DecideSend(c, t, revisit::common::v1::CHANNEL_SMS, "thanks", "", TouchPolicy{}, kNow);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->customer.capped_sent_ms_size(), 0);
  EXPECT_TRUE(e->customer.marks(0).transactional());
}

TEST(TouchDeciders, FailAndCancelEndThePendingTouchWithTheirEvent) {
  store::CustomerState c = Customer();
  pb::Touch t = TouchIn(pb::TOUCH_STATE_SCHEDULED, &c);
  auto failed = DecideFail(c, t, "webhook 500", "vch-9", kNow);
  ASSERT_TRUE(failed.ok());
  EXPECT_EQ(failed->touch.voucher_id(), "vch-9");
  EXPECT_EQ(failed->customer.pending_size(), 0);
  EXPECT_EQ(failed->timer, TimerOp::kCancel);
  EXPECT_THAT(Names(*failed), ElementsAre("touch_failed"));
  EXPECT_EQ(static_cast<const pb::TouchFailed&>(*failed->events[0].payload).error(), "webhook 500");
  auto cancelled = DecideCancel(c, t, "order refunded", kNow);
  ASSERT_TRUE(cancelled.ok());
  EXPECT_EQ(cancelled->customer.pending_size(), 0);
  EXPECT_EQ(cancelled->timer, TimerOp::kCancel);
  EXPECT_THAT(Names(*cancelled), ElementsAre("touch_cancelled"));
  EXPECT_TRUE(cancelled->counts.empty());
}

TEST(TouchDeciders, FeedbackIsRecordedOnceR11) {
  store::CustomerState c = Customer();
  pb::Touch t = TouchIn(pb::TOUCH_STATE_SENT, &c, pb::TRIGGER_FEEDBACK_REQUEST);
  pb::Feedback fb;
  fb.set_rating(2);
  auto e = DecideFeedback(c, t, fb, "cmp-7", kNow);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->touch.feedback().rating(), 2);
  EXPECT_EQ(FromProto(e->touch.feedback().recorded_at()), kNow);
  EXPECT_EQ(e->touch.complaint_id(), "cmp-7");
  EXPECT_THAT(Names(*e), ElementsAre("feedback_received"));
  EXPECT_EQ(e->counts[0].counter, "feedback");
  EXPECT_EQ(e->timer, TimerOp::kKeep);
  auto again = DecideFeedback(c, e->touch, fb, "", kNow);
  EXPECT_EQ(again.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(again.status().message(), HasSubstr("already has feedback (rating 2)"));
  EXPECT_EQ(CanRecordFeedback(e->touch).code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(CanRecordFeedback(t).ok());
}

TEST(TouchDeciders, AFollowUpAnswerGoesToTheComplaintWithItsResolutionC10) {
  store::CustomerState c = Customer();
  auto made = DecideSchedule(c, nullptr, "tch-00-f", Spec(pb::TRIGGER_COMPLAINT_FOLLOW_UP,
                                                           FollowUpSource("cmp-3", 2)),
                             Rule(pb::TRIGGER_COMPLAINT_FOLLOW_UP), kNow);
  pb::Touch t = made->touch;
  t.set_state(pb::TOUCH_STATE_SENT);
  pb::Feedback fb;
  fb.set_rating(5);
  auto e = DecideFeedback(c, t, fb, "", kNow);
  ASSERT_TRUE(e.ok());
  EXPECT_THAT(Names(*e), ElementsAre("feedback_received", "follow_up_recorded"));
  const auto& fu = static_cast<const pb::FollowUpRecorded&>(*e->events[1].payload);
  EXPECT_EQ(fu.complaint_id(), "cmp-3");
  EXPECT_EQ(fu.resolution(), 2);
}

store::Mark MarkAt(const std::string& touch, absl::Time at, bool holdout, bool transactional) {
  store::Mark m;
  m.set_touch_id(touch);
  m.set_campaign("win_back");
  m.set_at_ms(absl::ToUnixMillis(at));
  m.set_holdout(holdout);
  m.set_transactional(transactional);
  return m;
}

TEST(TouchDeciders, ARevisitCreditsTheLatestNonTransactionalMarkOnceR12) {
  store::CustomerState c = Customer();
  *c.add_marks() = MarkAt("tch-a", kNow - absl::Hours(48), false, false);
  *c.add_marks() = MarkAt("tch-b", kNow - absl::Hours(1), false, true);  // thank-you: no credit
  auto credit = DecideRevisitCredit(c, "ord-9", kNow, 12900, TouchPolicy{});
  ASSERT_TRUE(credit.has_value());
  EXPECT_EQ(credit->touch_id, "tch-a");
  EXPECT_TRUE(credit->customer.marks(0).attributed());
  EXPECT_EQ(credit->customer.marks(0).order_id(), "ord-9");
  EXPECT_EQ(credit->customer.marks(0).revenue_minor(), 12900);
  ASSERT_EQ(credit->counts.size(), 2u);
  EXPECT_EQ(credit->counts[0].counter, "treated_revisits");
  EXPECT_EQ(credit->counts[1].counter, "revenue_minor");
  EXPECT_EQ(credit->counts[1].by, 12900);
  // Credited once: the next order finds no mark.
  EXPECT_FALSE(DecideRevisitCredit(credit->customer, "ord-10", kNow, 1, TouchPolicy{}));
}

TEST(TouchDeciders, AHoldoutRevisitCountsAgainstTheControlGroupWithoutAnEventR12) {
  store::CustomerState c = Customer();
  *c.add_marks() = MarkAt("tch-h", kNow - absl::Hours(2), true, false);
  auto credit = DecideRevisitCredit(c, "ord-9", kNow, 500, TouchPolicy{});
  ASSERT_TRUE(credit.has_value());
  EXPECT_FALSE(credit->touch_id.has_value());
  EXPECT_EQ(credit->counts[0].counter, "holdout_revisits");
  EXPECT_EQ(credit->counts[1].counter, "holdout_revenue_minor");
}

TEST(TouchDeciders, AnOrderOutsideTheWindowCreditsNothingR12) {
  store::CustomerState c = Customer();
  *c.add_marks() = MarkAt("tch-a", kNow - absl::Hours(24 * 15), false, false);
  EXPECT_FALSE(DecideRevisitCredit(c, "ord-9", kNow, 1, TouchPolicy{}));
}

TEST(TouchDeciders, TheRevisitEventSummarisesTheCreditedTouch) {
  store::CustomerState c = Customer();
  pb::Touch t = TouchIn(pb::TOUCH_STATE_SENT, &c, pb::TRIGGER_WIN_BACK);
  auto e = DecideRevisit(c, t, "ord-9", kNow - absl::Minutes(5));
  ASSERT_TRUE(e.ok());
  EXPECT_THAT(Names(*e), ElementsAre("revisit_attributed"));
  const auto& ev = static_cast<const pb::RevisitAttributed&>(*e->events[0].payload);
  EXPECT_EQ(ev.order_id(), "ord-9");
  EXPECT_EQ(ev.touch().touch_id(), t.touch_id());
  EXPECT_EQ(e->touch.steps_size(), t.steps_size());  // the state does not change
}

TEST(TouchDeciders, ATakenBackCreditIsReportedOnTheCreditedTouchR12) {
  store::CustomerState c = Customer();
  pb::Touch t = TouchIn(pb::TOUCH_STATE_SENT, &c, pb::TRIGGER_WIN_BACK);
  auto e = DecideAttributionReversed(c, t, "ord-9", "rf-1", 8800, true);
  ASSERT_TRUE(e.ok());
  EXPECT_THAT(Names(*e), ElementsAre("attribution_reversed"));
  const auto& ev = static_cast<const pb::AttributionReversed&>(*e->events[0].payload);
  EXPECT_EQ(ev.touch().touch_id(), t.touch_id());
  EXPECT_EQ(ev.touch().campaign(), t.campaign());
  EXPECT_EQ(ev.order_id(), "ord-9");
  EXPECT_EQ(ev.refund_id(), "rf-1");
  EXPECT_EQ(ev.revenue_minor(), 8800);
  EXPECT_TRUE(ev.revisit_reversed());
  EXPECT_EQ(e->touch.state(), pb::TOUCH_STATE_SENT);
  EXPECT_EQ(e->touch.steps_size(), t.steps_size());  // a credit change, not a step
  // Only a sent touch earned credit: a pending one has none to take back.
  pb::Touch pending = TouchIn(pb::TOUCH_STATE_SCHEDULED, &c);
  EXPECT_EQ(DecideAttributionReversed(c, pending, "ord-9", "rf-1", 8800, true).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(TouchDeciders, StepsAreBoundedKeepingTheFirstAndTheLatest) {
  store::CustomerState c = Customer();
  pb::Touch t = TouchIn(pb::TOUCH_STATE_SCHEDULED, &c);
  for (int i = 0; i < 40; ++i) {
    auto e = DecideDefer(c, t, kNow + absl::Hours(i + 1), "cap " + std::to_string(i),
                         store::DEFER_CAUSE_CAP, kNow);
    ASSERT_TRUE(e.ok());
    c = e->customer;
    t = e->touch;
  }
  EXPECT_EQ(t.steps_size(), kMaxTouchSteps);
  EXPECT_EQ(t.steps(0).state(), pb::TOUCH_STATE_SCHEDULED);
  EXPECT_EQ(t.steps(kMaxTouchSteps - 1).reason(), "cap 39");
}

TEST(TouchDeciders, TheStoredRecordKeepsOnlyCreditableMarksAndItsFirstSightingR9R12) {
  store::CustomerState c = Customer();
  *c.add_marks() = MarkAt("old", kNow - absl::Hours(24 * 15), false, false);
  for (int i = 0; i < 20; ++i)
    *c.add_marks() = MarkAt("m" + std::to_string(i), kNow - absl::Minutes(20 - i), false, false);
  store::CustomerState b = BoundRecord(c, /*is_new=*/true, TouchPolicy{}, kNow);
  ASSERT_EQ(b.marks_size(), kMaxMarks);
  EXPECT_EQ(b.marks(0).touch_id(), "m4");  // the newest 16, oldest first
  EXPECT_EQ(b.marks(kMaxMarks - 1).touch_id(), "m19");
  EXPECT_EQ(b.first_seen_ms(), absl::ToUnixMillis(kNow));
  b.set_first_seen_ms(7);
  EXPECT_EQ(BoundRecord(b, true, TouchPolicy{}, kNow).first_seen_ms(), 7);
  EXPECT_EQ(BoundRecord(Customer(), false, TouchPolicy{}, kNow).first_seen_ms(), 0);
}

}  // namespace
}  // namespace revisit::outreach
