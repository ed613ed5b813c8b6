// L7 from complaint events: compensation granted and complaints rejected as
// unreasonable (C8) flag a customer for review; each fact counts once.
#include "services/loyalty/domain/complaints.h"

#include <gtest/gtest.h>

#include <limits>

#include "services/loyalty/domain/account.h"
#include "services/loyalty/domain/insights.h"
#include "services/loyalty/domain/testing/account_test_data.h"

namespace revisit::loyalty {
namespace {

namespace cv1 = ::revisit::complaint::v1;
using testing::Day;
using testing::Has;
using testing::Order;

// A customer who spent 1000.00 CNY on one completed order.
internal::Account Spent100000() {
  LoyaltyRules rules;
  auto a = NewAccount("cus-1");
  Effects e;
  EXPECT_TRUE(OnOrderCompleted(a, Order("o1", 100000, Day(0)), "ev-o1", Day(0), rules, e).ok());
  return a;
}

template <typename M>
M About(const std::string& complaint_id) {
  M m;
  m.mutable_complaint()->set_complaint_id(complaint_id);
  m.mutable_complaint()->set_customer_id("cus-1");
  return m;
}

cv1::ComplaintResolved Resolved(const std::string& complaint_id, cv1::RemedyKind kind, int64_t minor,
                                int64_t points = 0, const std::string& currency = "CNY",
                                const std::string& remedy_id = "r1") {
  auto ev = About<cv1::ComplaintResolved>(complaint_id);
  ev.mutable_remedy()->set_remedy_id(remedy_id);
  ev.mutable_remedy()->set_kind(kind);
  ev.mutable_remedy()->mutable_amount()->set_amount_minor(minor);
  ev.mutable_remedy()->mutable_amount()->set_currency(currency);
  ev.mutable_remedy()->set_points(points);
  return ev;
}

class ComplaintsTest : public ::testing::Test {
 protected:
  void Resolve(const cv1::ComplaintResolved& ev) {
    ASSERT_TRUE(OnComplaintResolved(a_, ev, Day(1), rules_, e_).ok());
  }
  void Reject(const std::string& id) {
    ASSERT_TRUE(OnComplaintRejected(a_, About<cv1::ComplaintRejected>(id), Day(1), rules_, e_).ok());
  }
  int Flagged() const {
    int n = 0;
    for (const auto& ev : e_.events) n += ev.name == "negative_value_flagged";
    return n;
  }

  LoyaltyRules rules_;
  internal::Account a_ = Spent100000();
  Effects e_;
};

TEST_F(ComplaintsTest, CompensationCountsOncePerRemedyL7) {
  Resolve(Resolved("cmp-1", cv1::REMEDY_KIND_VOUCHER, 5000));
  Resolve(Resolved("cmp-1", cv1::REMEDY_KIND_VOUCHER, 5000));  // replay below the inbox
  auto t = TotalComplaints(a_, rules_);
  EXPECT_EQ(t.compensated, 1);
  EXPECT_EQ(t.compensation_minor, 5000);
  // Reopened and resolved again with another remedy: both were granted.
  Resolve(Resolved("cmp-1", cv1::REMEDY_KIND_PARTIAL_REFUND, 3000, 0, "CNY", "r2"));
  t = TotalComplaints(a_, rules_);
  EXPECT_EQ(t.compensated, 1);
  EXPECT_EQ(t.compensation_minor, 8000);
}

TEST_F(ComplaintsTest, WhatCountsAsCompensation) {
  Resolve(Resolved("cmp-1", cv1::REMEDY_KIND_FULL_REFUND, 20000));
  Resolve(Resolved("cmp-2", cv1::REMEDY_KIND_POINTS, 0, 500));  // 500 points at 0.10 = 50.00
  Resolve(Resolved("cmp-3", cv1::REMEDY_KIND_GIFT, 1000));
  Resolve(Resolved("cmp-4", cv1::REMEDY_KIND_EXCHANGE, 0));
  Resolve(Resolved("cmp-5", cv1::REMEDY_KIND_APOLOGY, 0));
  Resolve(Resolved("cmp-6", cv1::REMEDY_KIND_VOUCHER, 9000, 0, "USD"));  // not comparable
  auto t = TotalComplaints(a_, rules_);
  EXPECT_EQ(t.compensated, 3);
  EXPECT_EQ(t.compensation_minor, 20000 + 5000 + 1000);
  rules_.negative_point_value_minor = 1;  // configurable
  EXPECT_EQ(TotalComplaints(a_, rules_).compensation_minor, 20000 + 500 + 1000);
}

TEST_F(ComplaintsTest, CompensatedComplaintsAboveShareOfSpendFlagOnceL7) {
  // Defaults: >= 3 complaints compensated with >= 20% of the 1000.00 spent.
  Resolve(Resolved("cmp-1", cv1::REMEDY_KIND_VOUCHER, 10000));
  Resolve(Resolved("cmp-2", cv1::REMEDY_KIND_VOUCHER, 50000));
  EXPECT_FALSE(a_.negative_value());  // 60%, but only two complaints
  a_ = Spent100000();
  Resolve(Resolved("cmp-1", cv1::REMEDY_KIND_VOUCHER, 10000));
  Resolve(Resolved("cmp-2", cv1::REMEDY_KIND_VOUCHER, 5000));
  Resolve(Resolved("cmp-3", cv1::REMEDY_KIND_POINTS, 0, 499));
  EXPECT_FALSE(a_.negative_value());  // three complaints, 199.90 = 19.99%
  EXPECT_EQ(Flagged(), 0);
  Resolve(Resolved("cmp-3", cv1::REMEDY_KIND_POINTS, 0, 1, "CNY", "r2"));
  EXPECT_TRUE(a_.negative_value());  // 200.00 = 20%
  EXPECT_EQ(Flagged(), 1);
  EXPECT_EQ(a_.negative_value_reason(),
            "3 complaints compensated with 200.00 CNY against 1000.00 CNY spent (>= 3 complaints, >= 20%): "
            "review, do not drop (L7)");
  Resolve(Resolved("cmp-4", cv1::REMEDY_KIND_VOUCHER, 1000));
  EXPECT_EQ(Flagged(), 1);  // flagged once, never dropped
  EXPECT_TRUE(a_.negative_value());
}

TEST_F(ComplaintsTest, RejectedAsUnreasonableFlagsAndReopeningWithdrawsItL7) {
  Reject("cmp-1");
  Reject("cmp-1");  // the same complaint again (e.g. a platform ruling after C8)
  EXPECT_EQ(TotalComplaints(a_, rules_).rejected, 1);
  EXPECT_FALSE(a_.negative_value());
  Reject("cmp-2");
  EXPECT_TRUE(a_.negative_value());
  EXPECT_EQ(Flagged(), 1);
  EXPECT_EQ(a_.negative_value_reason(),
            "2 complaints rejected as unreasonable (C8, >= 2): review, do not drop (L7)");
  // New evidence: the rejection is no longer final.
  ASSERT_TRUE(OnComplaintReopened(a_, About<cv1::ComplaintReopened>("cmp-2"), Day(2), rules_, e_).ok());
  EXPECT_EQ(TotalComplaints(a_, rules_).rejected, 1);
  EXPECT_FALSE(a_.negative_value());
  EXPECT_TRUE(a_.negative_value_reason().empty());
}

TEST_F(ComplaintsTest, EveryRuleThatHoldsIsNamedAndThresholdsAreConfigurable) {
  rules_.negative_compensated_complaints = 1;
  rules_.negative_compensation_pct = 0;  // the count alone
  rules_.negative_rejected_complaints = 1;
  Resolve(Resolved("cmp-1", cv1::REMEDY_KIND_VOUCHER, 100));
  Reject("cmp-2");
  const auto d = DecideNegativeValue(a_, rules_);
  EXPECT_TRUE(d.negative);
  EXPECT_NE(d.reason.find("1 complaints compensated"), std::string::npos) << d.reason;
  EXPECT_NE(d.reason.find("1 complaints rejected as unreasonable"), std::string::npos) << d.reason;
  rules_.negative_compensated_complaints = 0;  // off
  rules_.negative_rejected_complaints = 0;     // off
  EXPECT_FALSE(DecideNegativeValue(a_, rules_).negative);
}

TEST_F(ComplaintsTest, EventWithoutIdsIsRefused) {
  cv1::ComplaintRejected ev;
  EXPECT_EQ(OnComplaintRejected(a_, ev, Day(1), rules_, e_).code(), absl::StatusCode::kInvalidArgument);
  ev.mutable_complaint()->set_complaint_id("cmp-1");
  EXPECT_EQ(OnComplaintRejected(a_, ev, Day(1), rules_, e_).code(), absl::StatusCode::kInvalidArgument);
}

// Amounts near 2^63 in received events saturate the sums instead of wrapping
// negative (common/money.h): the customer still counts as highly compensated.
TEST_F(ComplaintsTest, CompensationSumsSaturateNearTwoToThe63) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  Resolve(Resolved("c1", cv1::REMEDY_KIND_PARTIAL_REFUND, kMax - 1, 0, "CNY", "r1"));
  Resolve(Resolved("c1", cv1::REMEDY_KIND_VOUCHER, kMax - 1, 0, "CNY", "r2"));
  Resolve(Resolved("c2", cv1::REMEDY_KIND_POINTS, 0, kMax, "CNY", "r1"));
  ComplaintTotals t = TotalComplaints(a_, rules_);
  EXPECT_EQ(t.compensation_minor, kMax);
  EXPECT_EQ(t.compensated, 2);
}

}  // namespace
}  // namespace revisit::loyalty
