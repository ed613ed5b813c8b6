// L2 segments, RFM, L9 churn, L5 CLV, L7 negative value, with explicit times.
#include "services/loyalty/domain/insights.h"

#include <gtest/gtest.h>

#include "services/loyalty/domain/account.h"
#include "services/loyalty/domain/testing/account_test_data.h"

namespace revisit::loyalty {
namespace {

using testing::CustomerWithOrders;
using testing::Day;
using testing::Has;
using testing::Order;

TEST(ChurnTest, MedianIntervalTimesFactorL9) {
  LoyaltyRules rules;
  auto a = CustomerWithOrders({0, 10, 20, 50}, rules);  // gaps 10, 10, 30 -> median 10, allowance 20
  auto at_due = DecideChurn(a, Day(70), rules);
  EXPECT_TRUE(at_due.has_rhythm);
  EXPECT_EQ(at_due.median_interval, absl::Hours(24 * 10));
  EXPECT_EQ(at_due.due, Day(70));
  EXPECT_FALSE(at_due.at_risk);
  auto late = DecideChurn(a, Day(71), rules);
  EXPECT_TRUE(late.at_risk);
  EXPECT_NE(late.reason.find("median interval 10 days x 2.0 = 20 days"), std::string::npos)
      << late.reason;
}

TEST(ChurnTest, TooFewOrdersHaveNoRhythmL9) {
  LoyaltyRules rules;
  auto a = CustomerWithOrders({0, 10}, rules);
  EXPECT_FALSE(DecideChurn(a, Day(500), rules).at_risk);
  EXPECT_FALSE(DecideChurn(a, Day(500), rules).has_rhythm);
}

TEST(ChurnTest, OneEventPerOverdueEpisodeL9) {
  LoyaltyRules rules;
  auto a = CustomerWithOrders({0, 10, 20}, rules);
  Effects e1;
  Review(a, Day(41), rules, e1);
  EXPECT_TRUE(Has(e1, "churn_risk_detected"));
  EXPECT_TRUE(a.churn_risk());
  Effects e2;
  Review(a, Day(45), rules, e2);
  EXPECT_FALSE(Has(e2, "churn_risk_detected"));
  // A new order ends the episode.
  Effects e3;
  ASSERT_TRUE(OnOrderCompleted(a, Order("o9", 10000, Day(46)), "ev9", Day(46), rules, e3).ok());
  EXPECT_FALSE(a.churn_risk());
  EXPECT_EQ(NextInsightCheck(a, Day(46), rules) <= Day(46 + 20) + absl::Milliseconds(1), true);
}

TEST(SegmentTest, RulesL2) {
  LoyaltyRules rules;
  struct Case {
    std::string name;
    std::vector<int> days;
    std::vector<std::vector<std::string>> skus;
    int now;
    v1::Segment want;
  } cases[] = {
      {"no order", {}, {}, 0, v1::SEGMENT_UNSPECIFIED},
      {"one recent", {0}, {}, 30, v1::SEGMENT_UNSPECIFIED},
      {"one old", {0}, {}, 181, v1::SEGMENT_NO_LOYALTY},
      {"two orders", {0, 30}, {}, 40, v1::SEGMENT_BRAND_SWITCHER},
      {"three on rhythm", {0, 30, 60}, {}, 70, v1::SEGMENT_LOYAL},
      {"three overdue", {0, 30, 60}, {}, 200, v1::SEGMENT_BRAND_SWITCHER},
      {"tries new products", {0, 30, 60}, {{"a"}, {"b"}, {"c"}}, 70, v1::SEGMENT_EARLY_ADOPTER},
  };
  for (const auto& c : cases) {
    auto a = CustomerWithOrders(c.days, rules, c.skus);
    auto d = DecideSegment(a, Day(c.now), rules);
    EXPECT_EQ(d.segment, c.want) << c.name << ": " << d.reason;
    EXPECT_FALSE(d.reason.empty());
  }
  // Early adoption ages out: at day 115 only SKUs first bought after day 25 count (b, c).
  auto a = CustomerWithOrders({0, 30, 60, 90}, rules, {{"a"}, {"b"}, {"c"}, {"c"}});
  EXPECT_EQ(DecideSegment(a, Day(115), rules).segment, v1::SEGMENT_LOYAL);
}

TEST(SegmentTest, ChangeEmitsEventWithReasonL2) {
  LoyaltyRules rules;
  auto a = CustomerWithOrders({0, 30}, rules);
  Effects e;
  ASSERT_TRUE(OnOrderCompleted(a, Order("o3", 10000, Day(60)), "ev3", Day(60), rules, e).ok());
  EXPECT_TRUE(Has(e, "segment_changed"));
  EXPECT_EQ(a.segment(), v1::SEGMENT_LOYAL);
}

TEST(RfmTest, ScoresL2) {
  LoyaltyRules rules;
  EXPECT_EQ(ScoreRfm(NewAccount("x"), Day(0), rules).recency(), 0);
  auto a = CustomerWithOrders({0, 10, 20, 30}, rules);
  auto r = ScoreRfm(a, Day(40), rules);
  EXPECT_EQ(r.recency(), 5);    // 10 days
  EXPECT_EQ(r.frequency(), 3);  // 4 orders: >= 4
  EXPECT_EQ(r.monetary(), 1);   // 400.00 CNY < 500.00 CNY
  auto old = ScoreRfm(a, Day(30 + 400), rules);
  EXPECT_EQ(old.recency(), 1);
  EXPECT_EQ(old.frequency(), 1);
}

TEST(ClvTest, AverageMonthlySpendTimesLifetimeL5) {
  LoyaltyRules rules;
  auto a = CustomerWithOrders({0, 30, 60}, rules);  // 300.00 CNY over 3 months
  auto clv = EstimateClv(a, Day(90), rules);
  EXPECT_EQ(clv.value_minor, 10000 * 36);
  EXPECT_NE(clv.reason.find("100.00 CNY per month over 3 months"), std::string::npos) << clv.reason;
  EXPECT_EQ(EstimateClv(NewAccount("x"), Day(0), rules).value_minor, 0);
}

TEST(NegativeValueTest, RefundRatioFlagsOnceForReviewL7) {
  LoyaltyRules rules;
  auto a = CustomerWithOrders({0, 1}, rules);
  Effects e;
  ASSERT_TRUE(OnOrderRefunded(a, Order("o0", 10000, Day(2)), testing::RefundOf("r0", 9000, Day(2)),
                              "evr0", Day(2), rules, e).ok());
  EXPECT_FALSE(a.negative_value());  // 45%
  ASSERT_TRUE(OnOrderRefunded(a, Order("o1", 10000, Day(3)), testing::RefundOf("r1", 1000, Day(3)),
                              "evr1", Day(3), rules, e).ok());
  EXPECT_TRUE(a.negative_value());  // 50%
  EXPECT_TRUE(Has(e, "negative_value_flagged"));
  EXPECT_NE(a.negative_value_reason().find("review"), std::string::npos);
  Effects e2;
  Review(a, Day(4), rules, e2);
  EXPECT_FALSE(Has(e2, "negative_value_flagged"));
  EXPECT_TRUE(a.negative_value());
}

}  // namespace
}  // namespace revisit::loyalty
