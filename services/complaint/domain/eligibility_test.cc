// Table-driven tests of the three guarantees (三包) and fault rules: C13, C14.
#include "services/complaint/domain/eligibility.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace revisit::complaint {
namespace {

const absl::Time kDelivered = absl::FromUnixSeconds(1767225600);  // 2026-01-01
absl::Time Day(double d) { return kDelivered + absl::Hours(24 * d); }

struct Case {
  std::string name;
  v1::Cause cause;
  double day;  // days after delivery
  LineFacts line;
  // Expected eligibility of FULL_REFUND, EXCHANGE, REPAIR, PARTIAL_REFUND.
  bool refund, exchange, repair, partial;
  v1::Party postage;  // of the first eligible of refund/exchange/repair
  std::string reason_part;  // must appear in some reason
};

LineFacts Line(bool inspected = false) {
  LineFacts l;
  l.sku = "SKU-1";
  l.category = "shoes";
  l.delivered_at = kDelivered;
  l.inspected_on_receipt = inspected;
  return l;
}
LineFacts Discounted() { auto l = Line(); l.discounted = true; return l; }
LineFacts Gift() { auto l = Line(); l.free_gift = true; return l; }
LineFacts Disclosed() { auto l = Line(); l.defect_disclosed = true; return l; }
LineFacts DisclosedDiscounted() { auto l = Disclosed(); l.discounted = true; return l; }
LineFacts Undelivered() { auto l = Line(); l.delivered_at.reset(); return l; }
LineFacts ExtraWarranty() { auto l = Line(); l.extra_warranty_days = 30; return l; }

using v1::CAUSE_CUSTOMER_MISUSE;
using v1::CAUSE_DELIVERY_DELAY;
using v1::CAUSE_EXPECTATION_GAP;
using v1::CAUSE_NOT_AS_DESCRIBED;
using v1::CAUSE_QUALITY_DEFECT;
using v1::CAUSE_STAFF_ATTITUDE;
using v1::CAUSE_TRANSIT_DAMAGE;
using v1::CAUSE_WRONG_OR_MISSING_ITEM;
constexpr v1::Party kShop = v1::PARTY_SHOP, kCustomer = v1::PARTY_CUSTOMER,
                    kNone = v1::PARTY_UNSPECIFIED;

const std::vector<Case>& Cases() {
  static const auto* cases = new std::vector<Case>{
      // C13 windows from delivery: return 7d, exchange 15d, warranty 365d.
      {"C13_DefectDay1_AllOwed_ShopPaysPostage", CAUSE_QUALITY_DEFECT, 1, Line(), true, true, true, true, kShop, "7-day return"},
      {"C13_DefectJustBeforeReturnWindowEnds", CAUSE_QUALITY_DEFECT, 6.99, Line(), true, true, true, true, kShop, "return window"},
      {"C13_DefectAtDay7_ReturnClosed_ExchangeOpen", CAUSE_QUALITY_DEFECT, 7, Line(), false, true, true, true, kShop, "return window of 7 days ended"},
      {"C13_DefectDay14_ExchangeOpen", CAUSE_QUALITY_DEFECT, 14.9, Line(), false, true, true, true, kShop, "15-day exchange"},
      {"C13_DefectDay15_OnlyWarranty", CAUSE_QUALITY_DEFECT, 15, Line(), false, false, true, true, kShop, "under warranty"},
      {"C13_DefectDay364_Warranty", CAUSE_QUALITY_DEFECT, 364, Line(), false, false, true, true, kShop, "manufacturing defects"},
      {"C13_DefectDay365_NothingOwed", CAUSE_QUALITY_DEFECT, 365, Line(), false, false, false, false, kNone, "warranty ended"},
      {"O8_ExtendedWarrantyPromiseExtends", CAUSE_QUALITY_DEFECT, 380, ExtraWarranty(), false, false, true, true, kShop, "under warranty"},
      // C13: discounted goods and free gifts are covered too.
      {"C13_DiscountedCovered", CAUSE_QUALITY_DEFECT, 2, Discounted(), true, true, true, true, kShop, "discounted goods are covered"},
      {"C13_FreeGiftCovered_ExchangeNotRefund", CAUSE_QUALITY_DEFECT, 2, Gift(), false, true, true, true, kShop, "free gifts are covered"},
      // ... unless the defect was disclosed before the sale.
      {"C13_DisclosedDefectNotCovered_NoReasonReturnStill", CAUSE_QUALITY_DEFECT, 2, Disclosed(), true, false, false, true, kCustomer, "disclosed before the sale"},
      {"C13_DisclosedDefectDiscountedAfterReturnWindow", CAUSE_QUALITY_DEFECT, 10, DisclosedDiscounted(), false, false, false, false, kNone, "disclosed before the sale"},
      {"C13_DisclosureOnlyConcernsTheDefect_NotAsDescribed", CAUSE_NOT_AS_DESCRIBED, 10, Disclosed(), false, true, true, true, kShop, "exchange window"},
      // C14/C15: other shop faults.
      {"C15_NotAsDescribed_ShopFault", CAUSE_NOT_AS_DESCRIBED, 3, Line(), true, true, true, true, kShop, "shop at fault"},
      {"C14_WrongItem_ShopFault", CAUSE_WRONG_OR_MISSING_ITEM, 3, Line(), true, true, true, true, kShop, "shop pays postage"},
      // C14 transit damage depends on inspection at receipt (O4).
      {"C14_TransitInspected_ShopPays", CAUSE_TRANSIT_DAMAGE, 3, Line(true), true, true, true, true, kShop, "shop at fault"},
      {"C14_TransitNotInspected_CustomersLoss_RepairHelp", CAUSE_TRANSIT_DAMAGE, 3, Line(false), true, false, true, true, kCustomer, "customer's loss"},
      {"C14_TransitNotInspectedAfterReturnWindow_RepairOnly", CAUSE_TRANSIT_DAMAGE, 9, Line(false), false, false, true, true, kCustomer, "helps with repair"},
      // C14 misuse: repair and care guidance, no refund by right.
      {"C14_MisuseAfterReturnWindow_RepairWithCareGuidance", CAUSE_CUSTOMER_MISUSE, 8, Line(), false, false, true, true, kCustomer, "care guidance"},
      {"C14_MisuseWithinReturnWindow_NoReasonReturnAtCustomerPostage", CAUSE_CUSTOMER_MISUSE, 2, Line(), true, false, true, true, kCustomer, "not a defect"},
      // No product fault: no-reason return only.
      {"NoFault_ExpectationGap_NoReasonReturn", CAUSE_EXPECTATION_GAP, 3, Line(), true, false, false, true, kCustomer, "no-reason return within 7 days"},
      {"NoFault_ExpectationGap_AfterWindow", CAUSE_EXPECTATION_GAP, 8, Line(), false, false, false, false, kNone, "no-reason return window ended"},
      {"NoFault_DeliveryDelay", CAUSE_DELIVERY_DELAY, 1, Line(), true, false, false, true, kCustomer, "no product fault"},
      {"NoFault_StaffAttitude", CAUSE_STAFF_ATTITUDE, 1, Line(), true, false, false, true, kCustomer, "no product fault"},
      {"NoFault_FreeGiftNothingToRefund", CAUSE_EXPECTATION_GAP, 1, Gift(), false, false, false, false, kNone, "nothing was paid"},
      // O4: windows run from delivery.
      {"O4_NotDeliveredYet", CAUSE_QUALITY_DEFECT, -1, Undelivered(), false, false, false, false, kNone, "not delivered yet"},
  };
  return *cases;
}

class EligibilityTest : public ::testing::TestWithParam<Case> {};

TEST_P(EligibilityTest, Case) {
  const Case& c = GetParam();
  SanbaoPolicy policy;
  auto answers = CheckEligibility(policy, c.line, c.cause, Day(c.day));
  ASSERT_EQ(answers.size(), 8u);
  EXPECT_EQ(Find(answers, v1::REMEDY_KIND_FULL_REFUND).eligible(), c.refund);
  EXPECT_EQ(Find(answers, v1::REMEDY_KIND_EXCHANGE).eligible(), c.exchange);
  EXPECT_EQ(Find(answers, v1::REMEDY_KIND_REPAIR).eligible(), c.repair);
  EXPECT_EQ(Find(answers, v1::REMEDY_KIND_PARTIAL_REFUND).eligible(), c.partial);
  // Compensation and apology are always possible (C3, C8).
  for (auto k : {v1::REMEDY_KIND_VOUCHER, v1::REMEDY_KIND_POINTS, v1::REMEDY_KIND_GIFT,
                 v1::REMEDY_KIND_APOLOGY}) {
    EXPECT_TRUE(Find(answers, k).eligible());
  }
  v1::Party postage = kNone;
  for (auto k : {v1::REMEDY_KIND_FULL_REFUND, v1::REMEDY_KIND_EXCHANGE, v1::REMEDY_KIND_REPAIR}) {
    if (Find(answers, k).eligible()) {
      postage = Find(answers, k).postage_paid_by();
      break;
    }
  }
  EXPECT_EQ(postage, c.postage);
  bool found = false;
  std::string all;
  for (const auto& a : answers) {
    EXPECT_FALSE(a.reason().empty());
    all += a.reason() + " | ";
    if (a.reason().find(c.reason_part) != std::string::npos) found = true;
  }
  EXPECT_TRUE(found) << all;
}

INSTANTIATE_TEST_SUITE_P(Sanbao, EligibilityTest, ::testing::ValuesIn(Cases()),
                         [](const auto& info) { return info.param.name; });

TEST(EligibilityTest, WindowEndIsReported) {
  auto answers = CheckEligibility(SanbaoPolicy{}, Line(), CAUSE_QUALITY_DEFECT, Day(1));
  auto refund = Find(answers, v1::REMEDY_KIND_FULL_REFUND);
  EXPECT_EQ(refund.window_ends_at().seconds(), absl::ToUnixSeconds(Day(7)));
}

TEST(SanbaoPolicyTest, SkuWinsOverCategoryWinsOverDefault) {
  auto policy = ParseSanbaoPolicy(R"({
      "default": {"return_days": 10},
      "categories": {"food": {"return_days": 0, "no_reason_return": false, "warranty_days": 0}},
      "skus": {"TV-1": {"warranty_days": 730, "warranty_provider": "manufacturer",
                        "warranty_paid_by": "manufacturer", "warranty_scope": "panel"}}})");
  ASSERT_TRUE(policy.ok()) << policy.status();
  EXPECT_EQ(policy->RuleFor("X", "shoes").return_days, 10);
  EXPECT_EQ(policy->RuleFor("X", "food").return_days, 0);
  EXPECT_EQ(policy->RuleFor("TV-1", "food").warranty_days, 730);
  EXPECT_EQ(policy->RuleFor("TV-1", "food").return_days, 10);  // inherits default
  EXPECT_EQ(policy->RuleFor("TV-1", "x").warranty_provider, v1::PARTY_MANUFACTURER);
}

TEST(SanbaoPolicyTest, PerCategoryRulesDecide) {
  auto policy = ParseSanbaoPolicy(
      R"({"categories": {"food": {"return_days": 0, "exchange_days": 0, "warranty_days": 0,
                                  "no_reason_return": false}},
          "skus": {"TV-1": {"warranty_days": 730, "warranty_provider": "manufacturer"}}})");
  ASSERT_TRUE(policy.ok());
  LineFacts food = Line();
  food.category = "food";
  food.sku = "F";
  auto a = CheckEligibility(*policy, food, CAUSE_EXPECTATION_GAP, Day(1));
  EXPECT_FALSE(Find(a, v1::REMEDY_KIND_FULL_REFUND).eligible());
  EXPECT_NE(Find(a, v1::REMEDY_KIND_FULL_REFUND).reason().find("no no-reason return"), std::string::npos);
  LineFacts tv = Line();
  tv.sku = "TV-1";
  auto b = CheckEligibility(*policy, tv, CAUSE_QUALITY_DEFECT, Day(500));
  EXPECT_TRUE(Find(b, v1::REMEDY_KIND_REPAIR).eligible());
  EXPECT_NE(Find(b, v1::REMEDY_KIND_REPAIR).reason().find("by the manufacturer"), std::string::npos);
}

// O8: the terms recorded when the order was paid decide, whatever the policy says now;
// an order without recorded terms follows the live policy.
TEST(SanbaoPolicyTest, RecordedTermsWinOverALaterPolicyO8) {
  SanbaoPolicy then;  // 7-day return, 15-day exchange
  revisit::order::v1::OrderFacts order;
  order.set_order_id("ord-01-00000000000000aa");
  auto* l = order.add_lines();
  l->set_line_id("1");
  l->set_sku("SKU-1");
  l->set_category("shoes");
  const v1::OrderTerms recorded = RecordTerms(then, order, kDelivered);
  ASSERT_EQ(recorded.lines().count("1"), 1u);
  EXPECT_EQ(recorded.lines().at("1").exchange_days(), 15);
  auto now = ParseSanbaoPolicy(R"({"default": {"return_days": 3, "exchange_days": 5}})");
  ASSERT_TRUE(now.ok());
  LineFacts old_order = Line();
  old_order.recorded = RuleOf(recorded.lines().at("1"));
  auto a = CheckEligibility(*now, old_order, CAUSE_QUALITY_DEFECT, Day(10));
  EXPECT_TRUE(Find(a, v1::REMEDY_KIND_EXCHANGE).eligible());  // 15 days as promised
  auto b = CheckEligibility(*now, Line(), CAUSE_QUALITY_DEFECT, Day(10));
  EXPECT_FALSE(Find(b, v1::REMEDY_KIND_EXCHANGE).eligible());  // a later order: 5 days
  EXPECT_EQ(EffectiveRule(*now, old_order).exchange_days, 15);
  const v1::SanbaoTerms round = TermsOf(RuleOf(recorded.lines().at("1")));
  EXPECT_EQ(round.SerializeAsString(), recorded.lines().at("1").SerializeAsString());
}

TEST(SanbaoPolicyTest, BadPolicyNamesTheField) {
  struct Bad {
    std::string json, field;
  };
  for (const Bad& b : std::vector<Bad>{
           {"[1]", "not a JSON object"},
           {"{\"x\":1}", "x: unknown field"},
           {R"({"default":{"return_days":-1}})", "default.return_days"},
           {R"({"categories":{"a":{"warranty_provider":"customer"}}})", "categories.a.warranty_provider"},
           {R"({"skus":{"s":{"foo":1}}})", "skus.s.foo: unknown field"},
           {R"({"skus":{"s":{"no_reason_return":"yes"}}})", "skus.s.no_reason_return"}}) {
    auto p = ParseSanbaoPolicy(b.json);
    ASSERT_FALSE(p.ok()) << b.json;
    EXPECT_EQ(p.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(p.status().message().find(b.field), std::string::npos) << p.status();
  }
  EXPECT_TRUE(ParseSanbaoPolicy("").ok());
}

TEST(FaultTest, C14) {
  EXPECT_EQ(FaultOf(CAUSE_QUALITY_DEFECT, false), Fault::kShop);
  EXPECT_EQ(FaultOf(CAUSE_TRANSIT_DAMAGE, true), Fault::kShop);
  EXPECT_EQ(FaultOf(CAUSE_TRANSIT_DAMAGE, false), Fault::kCustomerLoss);
  EXPECT_EQ(FaultOf(CAUSE_CUSTOMER_MISUSE, true), Fault::kMisuse);
  EXPECT_EQ(FaultOf(CAUSE_EXPECTATION_GAP, true), Fault::kNone);
}

}  // namespace
}  // namespace revisit::complaint
