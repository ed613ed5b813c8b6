// L4 points-expiry warning: which warning, when, and what the customer reads.
#include "services/outreach/domain/loyalty_touches.h"

#include <gtest/gtest.h>

#include "common/proto_time.h"
#include "services/outreach/domain/rules.h"

namespace revisit::outreach {
namespace {

namespace pb = revisit::outreach::v1;
namespace lv1 = revisit::loyalty::v1;

// 2026-12-02T04:00:00Z (12:00 in Shanghai).
absl::Time Noon() { return absl::FromUnixSeconds(1796184000); }

lv1::PointsExpiring Warning(int64_t points, absl::Time expires) {
  lv1::PointsExpiring ev;
  ev.set_customer_id("cus-1");
  ev.set_points(points);
  *ev.mutable_expires_at() = ToProto(expires);
  return ev;
}

MessageFacts Facts(const std::string& locale) {
  MessageFacts f;
  f.locale = locale;
  f.tz = absl::FixedTimeZone(8 * 3600);
  return f;
}

TEST(PointsExpiringTouchTest, OneWarningPerExpiryDateDueAtOnceL4) {
  const absl::Time expires = Noon() + absl::Hours(24 * 30);
  auto t = PointsExpiringTouch(Warning(250, expires), Noon(), Noon(), Facts(""));
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->trigger, pb::TRIGGER_POINTS_EXPIRING);
  EXPECT_EQ(t->due, Noon());
  EXPECT_EQ(t->facts.points, 250);
  EXPECT_EQ(t->source_id, absl::StrCat("points-expiring-", absl::ToUnixMillis(expires)));
  // Redelivered later: the same touch; another expiry date: another warning.
  auto again = PointsExpiringTouch(Warning(250, expires), Noon(), Noon() + absl::Hours(1), Facts(""));
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->source_id, t->source_id);
  auto later = PointsExpiringTouch(Warning(250, expires + absl::Hours(24)), Noon(), Noon(), Facts(""));
  ASSERT_TRUE(later.has_value());
  EXPECT_NE(later->source_id, t->source_id);
}

TEST(PointsExpiringTouchTest, NothingToWarnAboutL4) {
  EXPECT_FALSE(PointsExpiringTouch(Warning(0, Noon() + absl::Hours(1)), Noon(), Noon(), Facts("")));
  EXPECT_FALSE(PointsExpiringTouch(Warning(-5, Noon() + absl::Hours(1)), Noon(), Noon(), Facts("")));
  lv1::PointsExpiring no_date;
  no_date.set_points(10);
  EXPECT_FALSE(PointsExpiringTouch(no_date, Noon(), Noon(), Facts("")));
  // Seen only after the expiry (consumer down): a late warning is no warning.
  EXPECT_FALSE(PointsExpiringTouch(Warning(10, Noon()), Noon() - absl::Hours(1), Noon(), Facts("")));
}

// A pending ref of `trigger` with `source_id`.
void AddPending(store::CustomerState& c, const std::string& id, pb::Trigger trigger,
                const std::string& source_id) {
  store::PendingRef* ref = c.add_pending();
  ref->set_touch_id(id);
  ref->set_trigger(trigger);
  ref->set_source_id(source_id);
}

TEST(ExpiryWarningsPostponedByTest, APurchaseOrSpendBeforeTheDateEndsItsWarningL4) {
  const absl::Time expires = Noon() + absl::Hours(24 * 3);
  const std::string source = absl::StrCat("points-expiring-", absl::ToUnixMillis(expires));
  store::CustomerState c;
  AddPending(c, "tch-warn", pb::TRIGGER_POINTS_EXPIRING, source);
  AddPending(c, "tch-tips", pb::TRIGGER_CARE_TIPS, "ord-1");  // not a warning
  AddPending(c, "tch-odd", pb::TRIGGER_POINTS_EXPIRING, "manual-1");  // not one planned here
  EXPECT_EQ(ExpiryWarningsPostponedBy(c, Noon()), std::vector<std::string>{"tch-warn"});
  EXPECT_EQ(ExpiryWarningsPostponedBy(c, expires - absl::Milliseconds(1)),
            std::vector<std::string>{"tch-warn"});
  // Activity on or after the date postpones nothing: those points expired already.
  EXPECT_TRUE(ExpiryWarningsPostponedBy(c, expires).empty());
  EXPECT_TRUE(ExpiryWarningsPostponedBy(store::CustomerState(), Noon()).empty());
}

TEST(PointsExpiringTouchTest, MessageNamesThePointsAndTheDayInTheCustomersZoneL4) {
  const RulesTable rules = RulesTable::Defaults();
  const MessageTemplates templates = BuiltInTemplates(rules);
  // 2027-01-01T17:00Z is already Jan 2 in Shanghai.
  const absl::Time expires = absl::FromUnixSeconds(1798822800);
  auto zh = PointsExpiringTouch(Warning(1200, expires), Noon(), Noon(), Facts(""));
  ASSERT_TRUE(zh.has_value());
  const std::string text = ComposeMessage(templates, "points_expiring", zh->facts);
  EXPECT_NE(text.find("1200 积分"), std::string::npos) << text;
  EXPECT_NE(text.find("1月2日"), std::string::npos) << text;
  auto en = PointsExpiringTouch(Warning(1200, expires), Noon(), Noon(), Facts("en"));
  ASSERT_TRUE(en.has_value());
  const std::string en_text = ComposeMessage(templates, "points_expiring", en->facts);
  EXPECT_NE(en_text.find("1200 points expire on 2 January"), std::string::npos) << en_text;
}

TEST(PointsExpiringTouchTest, AServiceMessageUnderCapsQuietHoursAndConsentL4) {
  const TriggerRule& r = RulesTable::Defaults().For(pb::TRIGGER_POINTS_EXPIRING);
  EXPECT_EQ(r.name, "points_expiring");
  EXPECT_FALSE(r.transactional);   // capped, and only on a consented channel (R6)
  EXPECT_TRUE(r.quiet_hours);      // R6
  EXPECT_EQ(r.holdout_permille, 0);  // no customer loses points unwarned for a measurement
}

}  // namespace
}  // namespace revisit::outreach
