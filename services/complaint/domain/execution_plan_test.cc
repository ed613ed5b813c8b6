// The execution plan of each remedy (C9): which owning service is called, with the
// deterministic idempotency key "<complaint_id>:<remedy_id>:exec".
#include "services/complaint/domain/execution_plan.h"

#include <gtest/gtest.h>


namespace revisit::complaint {
namespace {

order::v1::OrderFacts TwoLines() {
  order::v1::OrderFacts o;
  o.set_order_id("ord-01-00000000000000aa");
  for (auto [id, sku, qty] : {std::tuple{"1", "A", 2}, std::tuple{"2", "B", 1}}) {
    auto* l = o.add_lines();
    l->set_line_id(id);
    l->set_sku(sku);
    l->set_quantity(qty);
    l->mutable_unit_price()->set_amount_minor(1000);
    l->mutable_unit_price()->set_currency("CNY");
  }
  return o;
}

v1::Complaint Complaint() {
  v1::Complaint c;
  c.set_complaint_id("cmp-01-00000000000000bb");
  c.set_customer_id("cus-01-00000000000000cc");
  c.set_order_id("ord-01-00000000000000aa");
  return c;
}

v1::Remedy R(v1::RemedyKind kind, std::vector<std::string> lines = {}) {
  v1::Remedy r;
  r.set_remedy_id("r2");
  r.set_kind(kind);
  for (auto& l : lines) r.add_line_ids(l);
  r.mutable_amount()->set_amount_minor(1500);
  r.mutable_amount()->set_currency("CNY");
  r.set_points(300);
  return r;
}

constexpr char kKey[] = "cmp-01-00000000000000bb:r2:exec";

TEST(ExecutionPlanTest, C9_FullRefundOfSomeLinesRefundsThoseQuantities) {
  auto p = PlanExecution(Complaint(), R(v1::REMEDY_KIND_FULL_REFUND, {"1"}), TwoLines());
  ASSERT_TRUE(p.ok() && p->refund);
  EXPECT_EQ(p->refund->request_id(), kKey);
  ASSERT_EQ(p->refund->lines().lines_size(), 1);
  EXPECT_EQ(p->refund->lines().lines(0).quantity(), 2);
  EXPECT_EQ(p->refund->actor().id(), "complaint-service");
}

TEST(ExecutionPlanTest, C9_FullRefundOfAllLinesIsFull) {
  auto p = PlanExecution(Complaint(), R(v1::REMEDY_KIND_FULL_REFUND, {"1", "2"}), TwoLines());
  ASSERT_TRUE(p.ok() && p->refund);
  EXPECT_TRUE(p->refund->full());
}

TEST(ExecutionPlanTest, C9_PartialRefundIsAnAmount) {
  auto p = PlanExecution(Complaint(), R(v1::REMEDY_KIND_PARTIAL_REFUND, {"1"}), TwoLines());
  ASSERT_TRUE(p.ok() && p->refund);
  EXPECT_EQ(p->refund->amount().amount_minor(), 1500);
}

TEST(ExecutionPlanTest, C13_ExchangeIsAReplacementOfTheSameLines) {
  auto p = PlanExecution(Complaint(), R(v1::REMEDY_KIND_EXCHANGE, {"2"}), TwoLines());
  ASSERT_TRUE(p.ok() && p->replacement);
  EXPECT_EQ(p->replacement->request_id(), kKey);
  EXPECT_EQ(p->replacement->original_order_id(), "ord-01-00000000000000aa");
  ASSERT_EQ(p->replacement->returned_lines_size(), 1);
  ASSERT_EQ(p->replacement->replacement_lines_size(), 1);
  EXPECT_EQ(p->replacement->replacement_lines(0).sku(), "B");
  EXPECT_TRUE(p->replacement->replacement_lines(0).line_id().empty());
  EXPECT_FALSE(PlanExecution(Complaint(), R(v1::REMEDY_KIND_EXCHANGE), TwoLines()).ok());
}

// C14: the cause decides who pays the exchange's postage.
TEST(ExecutionPlanTest, C14_ExchangeFaultFollowsTheCause) {
  for (auto [cause, fault] : {std::pair{v1::CAUSE_QUALITY_DEFECT, order::v1::EXCHANGE_FAULT_SHOP},
                              std::pair{v1::CAUSE_CUSTOMER_MISUSE, order::v1::EXCHANGE_FAULT_CUSTOMER},
                              std::pair{v1::CAUSE_EXPECTATION_GAP, order::v1::EXCHANGE_FAULT_UNSPECIFIED}}) {
    v1::Complaint c = Complaint();
    c.set_determined_cause(cause);
    auto p = PlanExecution(c, R(v1::REMEDY_KIND_EXCHANGE, {"2"}), TwoLines());
    ASSERT_TRUE(p.ok() && p->replacement);
    EXPECT_EQ(p->replacement->fault(), fault) << cause;
  }
}

TEST(ExecutionPlanTest, C9_VoucherAndPointsGoToLoyalty) {
  auto v = PlanExecution(Complaint(), R(v1::REMEDY_KIND_VOUCHER), TwoLines());
  ASSERT_TRUE(v.ok() && v->voucher);
  EXPECT_EQ(v->voucher->request_id(), kKey);
  EXPECT_EQ(v->voucher->voucher().kind(), loyalty::v1::VOUCHER_KIND_COMPENSATION);
  EXPECT_EQ(v->voucher->voucher().value().amount_minor(), 1500);
  EXPECT_EQ(v->voucher->voucher().source(), "cmp-01-00000000000000bb");
  auto pts = PlanExecution(Complaint(), R(v1::REMEDY_KIND_POINTS), TwoLines());
  ASSERT_TRUE(pts.ok() && pts->points);
  EXPECT_EQ(pts->points->points(), 300);
  EXPECT_EQ(pts->points->customer_id(), "cus-01-00000000000000cc");
}

TEST(ExecutionPlanTest, RepairGiftApologyNeedNoCall) {
  for (auto k : {v1::REMEDY_KIND_REPAIR, v1::REMEDY_KIND_GIFT, v1::REMEDY_KIND_APOLOGY}) {
    EXPECT_FALSE(NeedsCalls(k));
    EXPECT_EQ(NeedsFulfilment(k), k != v1::REMEDY_KIND_APOLOGY);  // C9: tracked to done
    auto p = PlanExecution(Complaint(), R(k, {"1"}), TwoLines());
    ASSERT_TRUE(p.ok());
    EXPECT_TRUE(p->empty());
  }
}

}  // namespace
}  // namespace revisit::complaint
