// Rules table, deterministic touch IDs, holdout, attribution (R12) and messages (R10).
#include <set>

#include "common/keys.h"
#include "gtest/gtest.h"
#include "services/outreach/domain/attribution.h"
#include "services/outreach/domain/messages.h"
#include "services/outreach/domain/rules.h"
#include "services/outreach/domain/touch_ids.h"

namespace revisit::outreach {
namespace {

namespace pb = revisit::outreach::v1;

TEST(RulesTable, DefaultsFollowTheDomain) {
  RulesTable t = RulesTable::Defaults();
  EXPECT_EQ(t.For(pb::TRIGGER_FEEDBACK_REQUEST).delay, absl::Hours(72));  // R1
  EXPECT_TRUE(t.For(pb::TRIGGER_FEEDBACK_REQUEST).held_by_open_complaint);  // R6
  EXPECT_TRUE(t.For(pb::TRIGGER_ORDER_THANKS).transactional);  // O1
  EXPECT_LE(t.For(pb::TRIGGER_COMPLAINT_FOLLOW_UP).delay, absl::Hours(24 * 7));  // C10
  EXPECT_GT(t.For(pb::TRIGGER_WIN_BACK).holdout_permille, 0);  // R12
  EXPECT_EQ(t.For(static_cast<pb::Trigger>(99)).name, "manual");
}

TEST(RulesTable, OverridesChangeEveryField) {
  RulesTable t = RulesTable::Defaults();
  ASSERT_TRUE(ApplyRuleOverrides("feedback_request.delay=48h; care_tips.priority=1;"
                                 "win_back.holdout_permille=250;care_tips.channels=sms,email;"
                                 "care_tips.quiet_hours=false",
                                 t)
                  .ok());
  EXPECT_EQ(t.For(pb::TRIGGER_FEEDBACK_REQUEST).delay, absl::Hours(48));
  EXPECT_EQ(t.For(pb::TRIGGER_CARE_TIPS).priority, 1);
  EXPECT_FALSE(t.For(pb::TRIGGER_CARE_TIPS).quiet_hours);
  EXPECT_EQ(t.For(pb::TRIGGER_WIN_BACK).holdout_permille, 250);
  EXPECT_EQ(t.For(pb::TRIGGER_CARE_TIPS).channels.size(), 2u);
}

TEST(RulesTable, BadOverridesNameTheEntry) {
  RulesTable t = RulesTable::Defaults();
  for (const char* bad : {"nope.delay=1h", "care_tips.delay=soon", "care_tips.color=red",
                          "win_back.holdout_permille=1001", "care_tips.channels=fax",
                          "care_tips.transactional=maybe"}) {
    absl::Status s = ApplyRuleOverrides(bad, t);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_NE(s.message().find("REVISIT_OUTREACH_RULES"), std::string::npos) << bad;
  }
}

TEST(TouchIds, DeterministicPerCustomerTriggerSourceAndInTheCustomersShard) {
  const std::string a = TouchId("cus-1", pb::TRIGGER_FEEDBACK_REQUEST, "ord-1");
  EXPECT_EQ(a, TouchId("cus-1", pb::TRIGGER_FEEDBACK_REQUEST, "ord-1"));
  EXPECT_NE(a, TouchId("cus-1", pb::TRIGGER_CARE_TIPS, "ord-1"));
  EXPECT_NE(a, TouchId("cus-1", pb::TRIGGER_FEEDBACK_REQUEST, "ord-2"));
  EXPECT_NE(a, TouchId("cus-2", pb::TRIGGER_FEEDBACK_REQUEST, "ord-1"));
  auto shard = ShardOfEntityId(a, "tch", "touch_id");
  ASSERT_TRUE(shard.ok()) << shard.status();
  EXPECT_EQ(*shard, ShardOf("cus-1"));
}

TEST(FollowUpSource, OneSourcePerResolutionOfAComplaintC10R8) {
  // The first resolution keeps the complaint ID (touches made before resolutions were
  // counted, and resolved events without the field, map to the same touch).
  EXPECT_EQ(FollowUpSource("cmp-0a-1", 0), "cmp-0a-1");
  EXPECT_EQ(FollowUpSource("cmp-0a-1", 1), "cmp-0a-1");
  EXPECT_EQ(FollowUpSource("cmp-0a-1", 2), "cmp-0a-1/r2");
  EXPECT_EQ(FollowUpSource("cmp-0a-1", 12), "cmp-0a-1/r12");
  // A redelivery (same resolution) is the same touch; a new resolution a new one.
  const auto touch = [](int n) {
    return TouchId("cus-1", pb::TRIGGER_COMPLAINT_FOLLOW_UP, FollowUpSource("cmp-0a-1", n));
  };
  EXPECT_EQ(touch(0), touch(1));
  EXPECT_EQ(touch(2), touch(2));
  EXPECT_NE(touch(1), touch(2));
  EXPECT_NE(touch(2), touch(3));
  EXPECT_NE(touch(2), TouchId("cus-1", pb::TRIGGER_COMPLAINT_FOLLOW_UP, FollowUpSource("cmp-0a-2", 2)));
}

TEST(FollowUpSource, ParsesBackToComplaintAndResolution) {
  for (int n : {1, 2, 3, 10}) {
    const FollowUpOf of = ParseFollowUpSource(FollowUpSource("cmp-0a-1", n));
    EXPECT_EQ(of.complaint_id, "cmp-0a-1");
    EXPECT_EQ(of.resolution, n);
  }
  // Anything else is a first resolution of the whole source.
  for (const char* s : {"cmp-0a-1/r", "cmp-0a-1/rx", "cmp-0a-1/r1", "cmp-0a-1/r-2", "a/r0"}) {
    const FollowUpOf of = ParseFollowUpSource(s);
    EXPECT_EQ(of.complaint_id, s);
    EXPECT_EQ(of.resolution, 1);
  }
}

TEST(FollowUpSource, TheReminderIsItsOwnTouchAndParsesBackC10) {
  EXPECT_EQ(FollowUpSource("cmp-0a-1", 1, /*reminder=*/true), "cmp-0a-1/reminder");
  EXPECT_EQ(FollowUpSource("cmp-0a-1", 3, /*reminder=*/true), "cmp-0a-1/r3/reminder");
  for (int n : {1, 2, 7}) {
    const FollowUpOf of = ParseFollowUpSource(FollowUpSource("cmp-0a-1", n, true));
    EXPECT_EQ(of.complaint_id, "cmp-0a-1");
    EXPECT_EQ(of.resolution, n);
    EXPECT_TRUE(of.reminder);
    EXPECT_FALSE(ParseFollowUpSource(FollowUpSource("cmp-0a-1", n)).reminder);
    EXPECT_NE(TouchId("cus-1", pb::TRIGGER_COMPLAINT_FOLLOW_UP, FollowUpSource("cmp-0a-1", n, true)),
              TouchId("cus-1", pb::TRIGGER_COMPLAINT_FOLLOW_UP, FollowUpSource("cmp-0a-1", n)));
  }
}

TEST(OrderIdOf, OrderTouchesCarryTheirOrderOthersNoneR11) {
  pb::Touch t;
  t.set_source_id("ord-05-1");
  for (auto tr : {pb::TRIGGER_ORDER_THANKS, pb::TRIGGER_CARE_TIPS, pb::TRIGGER_FEEDBACK_REQUEST,
                  pb::TRIGGER_SHIPMENT_APOLOGY}) {
    t.set_trigger(tr);
    EXPECT_EQ(OrderIdOf(t), "ord-05-1") << pb::Trigger_Name(tr);
  }
  for (auto tr : {pb::TRIGGER_CHECK_IN, pb::TRIGGER_HOLIDAY, pb::TRIGGER_BIRTHDAY, pb::TRIGGER_TIER_WELCOME,
                  pb::TRIGGER_WIN_BACK, pb::TRIGGER_NEW_PRODUCT, pb::TRIGGER_MANUAL,
                  pb::TRIGGER_COMPLAINT_FOLLOW_UP}) {
    t.set_trigger(tr);
    EXPECT_EQ(OrderIdOf(t), "") << pb::Trigger_Name(tr);
  }
}

TEST(Holdout, DeterministicAndNearTheConfiguredShareR12) {
  int in = 0;
  for (int i = 0; i < 10000; ++i) {
    const std::string c = "cus-" + std::to_string(i);
    EXPECT_EQ(InHoldout(c, "win_back", 100), InHoldout(c, "win_back", 100));
    EXPECT_FALSE(InHoldout(c, "win_back", 0));
    EXPECT_TRUE(InHoldout(c, "win_back", 1000));
    in += InHoldout(c, "win_back", 100);
  }
  EXPECT_GT(in, 850);
  EXPECT_LT(in, 1150);
}

TEST(Holdout, IndependentPerCampaignR12) {
  int both = 0;
  for (int i = 0; i < 10000; ++i) {
    const std::string c = "cus-" + std::to_string(i);
    both += InHoldout(c, "a", 100) && InHoldout(c, "b", 100);
  }
  EXPECT_LT(both, 200);  // ~100 when independent, 1000 when identical
}

absl::Time Day(int d) { return absl::FromUnixSeconds(1767225600) + absl::Hours(24 * d); }

TEST(Attribution, TransactionalTouchesNeitherEarnNorBlockCreditR12) {
  std::vector<TouchMark> marks = {{"t1", "win_back", Day(0)}, {"t2", "order_thanks", Day(1)}};
  marks[1].transactional = true;
  const absl::Duration window = absl::Hours(24 * 14);
  EXPECT_EQ(AttributeRevisit(marks, Day(2), window), 0u) << "the thank-you takes no credit";
  marks[0].transactional = true;
  EXPECT_EQ(AttributeRevisit(marks, Day(2), window), std::nullopt);
}

TEST(Attribution, LatestTouchWithinWindowR12) {
  std::vector<TouchMark> marks = {{"t1", "care_tips", Day(0)},
                                  {"t2", "win_back", Day(5)},
                                  {"t3", "birthday", Day(30)}};
  const absl::Duration window = absl::Hours(24 * 14);
  EXPECT_EQ(AttributeRevisit(marks, Day(6), window), 1u);
  EXPECT_EQ(AttributeRevisit(marks, Day(19), window), 1u);  // exactly 14 days
  EXPECT_EQ(AttributeRevisit(marks, Day(20), window), std::nullopt);
  EXPECT_EQ(AttributeRevisit(marks, Day(-1), window), std::nullopt);  // before any touch
  marks[1].attributed = true;
  EXPECT_EQ(AttributeRevisit(marks, Day(7), window), std::nullopt);  // credited once
}

TEST(Attribution, PruneKeepsRecentMarks) {
  std::vector<TouchMark> marks = {{"t1", "a", Day(0)}, {"t2", "b", Day(20)}, {"t3", "c", Day(25)}};
  PruneMarks(marks, Day(30), absl::Hours(24 * 14), 1);
  ASSERT_EQ(marks.size(), 1u);
  EXPECT_EQ(marks[0].touch_id, "t3");
}

TEST(Messages, NameWhatTheCustomerBoughtInEveryLocaleR10) {
  const RulesTable rules = RulesTable::Defaults();
  const MessageTemplates templates = BuiltInTemplates(rules);
  MessageFacts f;
  f.products = {"Silk scarf"};
  f.order_id = "ord-1";
  for (const char* locale : {"zh-CN", "en", ""}) {
    f.locale = locale;
    for (pb::Trigger t : {pb::TRIGGER_ORDER_THANKS, pb::TRIGGER_CARE_TIPS,
                          pb::TRIGGER_FEEDBACK_REQUEST, pb::TRIGGER_COMPLAINT_FOLLOW_UP,
                          pb::TRIGGER_SHIPMENT_APOLOGY, pb::TRIGGER_WIN_BACK,
                          pb::TRIGGER_CHECK_IN}) {
      EXPECT_NE(ComposeMessage(templates, rules.For(t).name, f).find("Silk scarf"),
                std::string::npos) << t << " " << locale;
    }
  }
  EXPECT_EQ(ProductPhrase({"A", "B", "C", "D"}), "A, B and 2 more");
  EXPECT_EQ(ProductPhrase({}), "your order");
  EXPECT_EQ(ProductPhrase({"A", "B", "C", "D"}, "zh-CN"), "A、B等4件商品");
  EXPECT_EQ(ProductPhrase({}, "zh-CN"), "您的订单");
}

TEST(RulesTable, ComplaintStepsAreServiceMessagesOnlyTheApologyIgnoresQuietHours) {
  RulesTable t = RulesTable::Defaults();
  for (pb::Trigger s : {pb::TRIGGER_COMPLAINT_ACKNOWLEDGED, pb::TRIGGER_COMPLAINT_UPDATE,
                        pb::TRIGGER_COMPLAINT_REFUSED, pb::TRIGGER_COMPLAINT_REMEDIES,
                        pb::TRIGGER_COMPLAINT_RULING, pb::TRIGGER_COMPLAINT_REMEDY_DONE}) {
    const TriggerRule& r = t.For(s);
    EXPECT_NE(r.name, "manual") << s;  // a row of its own
    EXPECT_TRUE(r.transactional) << r.name;  // caps do not apply (R6)
    EXPECT_FALSE(r.held_by_open_complaint) << r.name;
    EXPECT_EQ(r.delay, absl::ZeroDuration()) << r.name;
    EXPECT_EQ(r.quiet_hours, s != pb::TRIGGER_COMPLAINT_ACKNOWLEDGED) << r.name;  // C1/C3 at once
  }
}

TEST(Messages, RemedyPhraseNamesKindAndAmountC6) {
  namespace cpb = revisit::complaint::v1;
  cpb::Remedy r;
  r.set_kind(cpb::REMEDY_KIND_VOUCHER);
  r.mutable_amount()->set_amount_minor(2005);
  r.mutable_amount()->set_currency("CNY");
  EXPECT_EQ(RemedyPhrase(r), "a CNY 20.05 voucher");
  r.set_kind(cpb::REMEDY_KIND_PARTIAL_REFUND);
  EXPECT_EQ(RemedyPhrase(r), "a refund of CNY 20.05");
  r.set_kind(cpb::REMEDY_KIND_POINTS);
  r.set_points(200);
  EXPECT_EQ(RemedyPhrase(r), "200 points");
  r.set_kind(cpb::REMEDY_KIND_REPAIR);
  EXPECT_EQ(RemedyPhrase(r), "a free repair");
}

}  // namespace
}  // namespace revisit::outreach
