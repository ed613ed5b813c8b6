// R6 measure: quiet hours across time zones and DST, consent, complaint holds, caps
// and priority order. All times explicit.
#include "services/outreach/domain/measure.h"

#include <algorithm>
#include <map>

#include "gtest/gtest.h"

namespace revisit::outreach {
namespace {

namespace pb = revisit::outreach::v1;
using revisit::common::v1::CHANNEL_APP_PUSH;
using revisit::common::v1::CHANNEL_EMAIL;
using revisit::common::v1::CHANNEL_SMS;
using revisit::common::v1::CHANNEL_UNSPECIFIED;

absl::TimeZone Tz(const char* name) {
  absl::TimeZone tz;
  EXPECT_TRUE(absl::LoadTimeZone(name, &tz)) << name;
  return tz;
}

absl::Time Utc(int y, int mo, int d, int h, int mi = 0) {
  return absl::FromCivil(absl::CivilSecond(y, mo, d, h, mi, 0), absl::UTCTimeZone());
}

struct QuietCase {
  const char* name;
  const char* tz;
  QuietHours quiet;
  absl::Time at;
  absl::Time want;
};

TEST(QuietHoursR6, NextAllowedTimeAcrossZonesAndDaylightSaving) {
  const QuietHours def;  // 21:00-09:00
  const std::vector<QuietCase> cases = {
      {"allowed daytime stays", "Asia/Shanghai", def, Utc(2026, 1, 1, 2), Utc(2026, 1, 1, 2)},
      {"Shanghai evening to 09:00 next day", "Asia/Shanghai", def, Utc(2026, 1, 1, 14),
       Utc(2026, 1, 2, 1)},
      {"Shanghai early morning to 09:00 same day", "Asia/Shanghai", def, Utc(2026, 1, 1, 22),
       Utc(2026, 1, 2, 1)},
      // New York spring forward (2026-03-08 02:00 EST -> 03:00 EDT): 09:00 EDT is 13:00Z.
      {"New York night before spring forward", "America/New_York", def, Utc(2026, 3, 8, 3),
       Utc(2026, 3, 8, 13)},
      // New York fall back (2026-11-01 02:00 EDT -> 01:00 EST): 09:00 EST is 14:00Z.
      {"New York night before fall back", "America/New_York", def, Utc(2026, 11, 1, 3),
       Utc(2026, 11, 1, 14)},
      // Berlin spring forward (2026-03-29 02:00 CET -> 03:00 CEST): 09:00 CEST is 07:00Z.
      {"Berlin night before spring forward", "Europe/Berlin", def, Utc(2026, 3, 28, 20, 30),
       Utc(2026, 3, 29, 7)},
      // Berlin fall back (2026-10-25 03:00 CEST -> 02:00 CET): 09:00 CET is 08:00Z.
      {"Berlin night before fall back", "Europe/Berlin", def, Utc(2026, 10, 24, 20),
       Utc(2026, 10, 25, 8)},
      // A window ending at 02:30, skipped on 2026-03-08 in New York: the jump (03:00 EDT).
      {"end time skipped by DST", "America/New_York", {22 * 60, 2 * 60 + 30},
       Utc(2026, 3, 8, 6), Utc(2026, 3, 8, 7)},
      // A window ending at 01:30, repeated on 2026-11-01 in New York: the first 01:30 (EDT).
      {"end time repeated by DST", "America/New_York", {22 * 60, 90}, Utc(2026, 11, 1, 4, 30),
       Utc(2026, 11, 1, 5, 30)},
      {"non-wrapping window", "UTC", {12 * 60, 14 * 60}, Utc(2026, 1, 1, 13), Utc(2026, 1, 1, 14)},
      {"empty window never quiet", "UTC", {0, 0}, Utc(2026, 1, 1, 23), Utc(2026, 1, 1, 23)},
  };
  for (const QuietCase& c : cases) {
    const absl::TimeZone tz = Tz(c.tz);
    EXPECT_EQ(NextOutsideQuietHours(c.at, tz, c.quiet), c.want)
        << c.name << ": got " << absl::FormatTime(NextOutsideQuietHours(c.at, tz, c.quiet), tz);
    EXPECT_FALSE(InQuietHours(NextOutsideQuietHours(c.at, tz, c.quiet), tz, c.quiet)) << c.name;
  }
}

TEST(QuietHoursR6, BoundariesAreHalfOpen) {
  const absl::TimeZone tz = absl::UTCTimeZone();
  const QuietHours q;
  EXPECT_FALSE(InQuietHours(Utc(2026, 1, 1, 20, 59), tz, q));
  EXPECT_TRUE(InQuietHours(Utc(2026, 1, 1, 21, 0), tz, q));
  EXPECT_TRUE(InQuietHours(Utc(2026, 1, 1, 8, 59), tz, q));
  EXPECT_FALSE(InQuietHours(Utc(2026, 1, 1, 9, 0), tz, q));
}

TEST(QuietHoursR6, SameInstantIsQuietInOneZoneAndNotAnother) {
  const absl::Time t = Utc(2026, 1, 1, 2);  // 10:00 Shanghai, 21:00 New York, 03:00 Berlin
  const QuietHours q;
  EXPECT_FALSE(InQuietHours(t, Tz("Asia/Shanghai"), q));
  EXPECT_TRUE(InQuietHours(t, Tz("America/New_York"), q));
  EXPECT_TRUE(InQuietHours(t, Tz("Europe/Berlin"), q));
}

class DecideTest : public ::testing::Test {
 protected:
  DecideTest() : rules_(RulesTable::Defaults()) {
    who_.tz = absl::UTCTimeZone();
    who_.consent = {{CHANNEL_APP_PUSH, true}, {CHANNEL_EMAIL, true}};
  }
  Candidate C(const std::string& id, pb::Trigger t, absl::Time due) {
    Candidate c;
    c.touch_id = id;
    c.trigger = t;
    c.due = due;
    return c;
  }
  Decision D(const Candidate& target, const std::vector<Candidate>& all, absl::Time now) {
    return Decide(rules_, policy_, who_, target, all, now);
  }
  RulesTable rules_;
  MeasurePolicy policy_;
  CustomerView who_;
  const absl::Time noon_ = Utc(2026, 2, 10, 12);
};

TEST_F(DecideTest, SendsOnFirstConsentedChannelInRuleOrder) {
  Decision d = D(C("a", pb::TRIGGER_CARE_TIPS, noon_), {}, noon_);
  EXPECT_EQ(d.kind, Decision::Kind::kSend);
  EXPECT_EQ(d.channel, CHANNEL_APP_PUSH);
  who_.consent[CHANNEL_APP_PUSH] = false;  // opt-out of push
  EXPECT_EQ(D(C("a", pb::TRIGGER_CARE_TIPS, noon_), {}, noon_).channel, CHANNEL_EMAIL);
}

TEST_F(DecideTest, HoldoutIsSuppressedR12) {
  Candidate c = C("a", pb::TRIGGER_WIN_BACK, noon_);
  c.holdout = true;
  Decision d = D(c, {}, noon_);
  EXPECT_EQ(d.kind, Decision::Kind::kSuppress);
  EXPECT_NE(d.reason.find("holdout"), std::string::npos);
}

TEST_F(DecideTest, ConsentPerChannelR6) {
  who_.consent = {{CHANNEL_APP_PUSH, false}, {CHANNEL_EMAIL, false}};
  Decision marketing = D(C("a", pb::TRIGGER_CARE_TIPS, noon_), {}, noon_);
  EXPECT_EQ(marketing.kind, Decision::Kind::kSuppress);
  EXPECT_NE(marketing.reason.find("consent"), std::string::npos);
  // Transactional confirmations (O1) fall back to a channel not explicitly refused.
  Decision thanks = D(C("t", pb::TRIGGER_ORDER_THANKS, noon_), {}, noon_);
  EXPECT_EQ(thanks.kind, Decision::Kind::kSend);
  EXPECT_EQ(thanks.channel, CHANNEL_SMS);
  who_.consent[CHANNEL_SMS] = false;
  EXPECT_EQ(D(C("t", pb::TRIGGER_ORDER_THANKS, noon_), {}, noon_).kind,
            Decision::Kind::kSuppress);
  // A manual touch on an explicit channel needs that channel's consent.
  Candidate manual = C("m", pb::TRIGGER_MANUAL, noon_);
  manual.channel = CHANNEL_SMS;
  EXPECT_EQ(D(manual, {}, noon_).kind, Decision::Kind::kSuppress);
}

TEST_F(DecideTest, OpenComplaintHoldsFeedbackRequestOnlyR6) {
  who_.open_complaints = {"cmp-03-00000000000000aa"};
  Decision fb = D(C("f", pb::TRIGGER_FEEDBACK_REQUEST, noon_), {}, noon_);
  EXPECT_EQ(fb.kind, Decision::Kind::kDefer);
  EXPECT_EQ(fb.until, noon_ + policy_.hold_recheck);
  EXPECT_EQ(fb.cause, store::DEFER_CAUSE_COMPLAINT_HOLD);
  EXPECT_NE(fb.reason.find("cmp-03-00000000000000aa"), std::string::npos);
  EXPECT_EQ(D(C("c", pb::TRIGGER_CARE_TIPS, noon_), {}, noon_).kind, Decision::Kind::kSend);
  EXPECT_EQ(D(C("u", pb::TRIGGER_COMPLAINT_FOLLOW_UP, noon_), {}, noon_).kind,
            Decision::Kind::kSend);
}

TEST_F(DecideTest, QuietHoursDeferButConfirmationsGoOutR6) {
  who_.tz = Tz("America/New_York");
  const absl::Time night = Utc(2026, 3, 8, 3);  // 22:00 EST before spring forward
  Decision tips = D(C("c", pb::TRIGGER_CARE_TIPS, night), {}, night);
  EXPECT_EQ(tips.kind, Decision::Kind::kDefer);
  EXPECT_EQ(tips.until, Utc(2026, 3, 8, 13));
  EXPECT_EQ(tips.cause, store::DEFER_CAUSE_QUIET_HOURS);
  EXPECT_NE(tips.reason.find("quiet hours in America/New_York"), std::string::npos);
  EXPECT_EQ(D(C("t", pb::TRIGGER_ORDER_THANKS, night), {}, night).kind, Decision::Kind::kSend);
}

TEST_F(DecideTest, CapDefersToWhenTheOldestSlotFreesR6) {
  who_.non_transactional_sent = {noon_ - absl::Hours(26), noon_ - absl::Hours(2)};
  Decision d = D(C("c", pb::TRIGGER_CARE_TIPS, noon_), {}, noon_);
  EXPECT_EQ(d.kind, Decision::Kind::kDefer);
  EXPECT_EQ(d.until, noon_ - absl::Hours(26) + absl::Hours(24 * 7));
  EXPECT_EQ(d.cause, store::DEFER_CAUSE_CAP);
  EXPECT_NE(d.reason.find("cap"), std::string::npos);
  // Transactional touches are exempt from the cap.
  EXPECT_EQ(D(C("t", pb::TRIGGER_ORDER_THANKS, noon_), {}, noon_).kind, Decision::Kind::kSend);
  // Sends older than the window no longer count.
  who_.non_transactional_sent = {noon_ - absl::Hours(24 * 8), noon_ - absl::Hours(2)};
  EXPECT_EQ(D(C("c", pb::TRIGGER_CARE_TIPS, noon_), {}, noon_).kind, Decision::Kind::kSend);
}

TEST_F(DecideTest, CapDeferralLandsOutsideQuietHours) {
  // The oldest send (22:00 UTC) frees its slot at 22:00: quiet, so 09:00 next day.
  who_.non_transactional_sent = {Utc(2026, 2, 4, 22), Utc(2026, 2, 9, 12)};
  Decision d = D(C("c", pb::TRIGGER_CARE_TIPS, noon_), {}, noon_);
  ASSERT_EQ(d.kind, Decision::Kind::kDefer);
  EXPECT_EQ(d.until, Utc(2026, 2, 12, 9));
}

TEST_F(DecideTest, PriorityOrderDecidesWhoGetsTheLastSlotR6) {
  who_.non_transactional_sent = {noon_ - absl::Hours(5)};
  const Candidate fb = C("f", pb::TRIGGER_FEEDBACK_REQUEST, noon_);  // priority 2
  const Candidate tips = C("c", pb::TRIGGER_CARE_TIPS, noon_ - absl::Hours(1));  // priority 3
  const std::vector<Candidate> all = {fb, tips};
  EXPECT_EQ(D(fb, all, noon_).kind, Decision::Kind::kSend);
  EXPECT_EQ(D(tips, all, noon_).kind, Decision::Kind::kDefer);
  // A held competitor does not take the slot.
  who_.open_complaints = {"cmp"};
  EXPECT_EQ(D(tips, all, noon_).kind, Decision::Kind::kSend);
}

TEST_F(DecideTest, ContentionWithoutHistoryRetriesShortly) {
  const std::vector<Candidate> all = {C("a", pb::TRIGGER_CARE_TIPS, noon_),
                                      C("b", pb::TRIGGER_CARE_TIPS, noon_),
                                      C("c", pb::TRIGGER_CARE_TIPS, noon_)};
  EXPECT_EQ(D(all[0], all, noon_).kind, Decision::Kind::kSend);
  EXPECT_EQ(D(all[1], all, noon_).kind, Decision::Kind::kSend);
  Decision third = D(all[2], all, noon_);
  EXPECT_EQ(third.kind, Decision::Kind::kDefer);
  EXPECT_EQ(third.until, noon_ + policy_.contention_retry);
}

// Simulates a dispatcher: five non-transactional touches due together, cap 2 per
// 7 days. Every touch is eventually sent (never dropped), in priority order, and no
// 7-day window ever holds more than two sends.
TEST_F(DecideTest, DeferredTouchesAreNeverDroppedAndGoOutInPriorityOrderR6) {
  std::vector<Candidate> pending = {
      C("win", pb::TRIGGER_WIN_BACK, noon_), C("tips", pb::TRIGGER_CARE_TIPS, noon_),
      C("fb", pb::TRIGGER_FEEDBACK_REQUEST, noon_), C("check", pb::TRIGGER_CHECK_IN, noon_),
      C("tier", pb::TRIGGER_TIER_WELCOME, noon_)};
  std::vector<std::string> order;
  std::vector<absl::Time> sends;
  for (int step = 0; step < 100 && !pending.empty(); ++step) {
    auto next = std::min_element(pending.begin(), pending.end(),
                                 [](const Candidate& a, const Candidate& b) {
                                   return std::tie(a.due, a.touch_id) < std::tie(b.due, b.touch_id);
                                 });
    const absl::Time now = next->due;
    Decision d = D(*next, pending, now);
    ASSERT_NE(d.kind, Decision::Kind::kSuppress);
    if (d.kind == Decision::Kind::kSend) {
      order.push_back(next->touch_id);
      sends.push_back(now);
      who_.non_transactional_sent.push_back(now);
      pending.erase(next);
    } else {
      ASSERT_GT(d.until, now);
      next->due = d.until;
    }
  }
  EXPECT_TRUE(pending.empty());
  EXPECT_EQ(order, (std::vector<std::string>{"fb", "tips", "tier", "win", "check"}));
  for (size_t i = 2; i < sends.size(); ++i)
    EXPECT_GE(sends[i] - sends[i - 2], policy_.cap_window) << "send " << i;
}

}  // namespace
}  // namespace revisit::outreach
