// The complaint service as a real process (revisit-complaint) with the real order
// service (revisit-order), a real redis-server and the local broker (testing::Stack
// with order and complaint only), driven over gRPC. Proves the "Done when" list of issue 4:
//   - a partial refund is executed exactly once (C9) even when the order RPC is
//     retried with the same idempotency key, when the order service is down during
//     resolution, and when the complaint service is SIGKILLed mid-resolution (the
//     durable retry timer finishes the job after restart);
//   - a complaint on someone else's order, on an unknown order, or proposing a
//     refund above the paid amount gets a clear error and changes nothing;
//   - a resolved complaint publishes ComplaintResolved keyed by customer ID (C10).
// No timing assertions: every wait is "until the condition holds" under a guard.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <functional>
#include <iostream>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/event_envelope.h"
#include "revisit/complaint/v1/complaint.grpc.pb.h"
#include "revisit/complaint/v1/events.pb.h"
#include "revisit/order/v1/order.grpc.pb.h"
#include "tests/harness/eventually.h"
#include "tests/harness/kafka_reader.h"
#include "tests/harness/seed.h"
#include "tests/harness/stack.h"

namespace revisit {
namespace {

using testing::Svc;
namespace ov1 = ::revisit::order::v1;
namespace cv1 = ::revisit::complaint::v1;
namespace common1 = ::revisit::common::v1;

constexpr absl::Duration kGuard = absl::Seconds(90);  // failure guard, never a timing check

common1::Money Cny(int64_t minor) {
  common1::Money m;
  m.set_amount_minor(minor);
  m.set_currency("CNY");
  return m;
}

common1::Actor Agent() {
  common1::Actor a;
  a.set_id("staff-7");
  a.set_role("agent");
  return a;
}

class ComplaintResolutionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::StackOptions o;
    o.services = {Svc::kOrder, Svc::kComplaint};
    o.service_env[Svc::kComplaint] = {{"REVISIT_COMPLAINT_EXECUTION_RETRY", "1s"},
                                      {"REVISIT_COMPLAINT_CALL_DEADLINE", "1s"}};
    auto stack = testing::Stack::Start(o);
    ASSERT_TRUE(stack.ok()) << stack.status();
    stack_ = *std::move(stack);
    orders_ = &stack_->order();
    complaints_ = &stack_->complaint();
  }

  void TearDown() override {
    if (::testing::Test::HasFailure() && stack_ != nullptr) std::cerr << stack_->LogTails();
  }

  template <typename Stub, typename Req, typename Resp>
  grpc::Status Call(Stub* stub, grpc::Status (Stub::*method)(grpc::ClientContext*, const Req&, Resp*),
                    const Req& req, Resp* resp) {
    grpc::ClientContext ctx;
    ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(20)));
    return (stub->*method)(&ctx, req, resp);
  }

  // A customer with a delivered order of 2 x 129.00 + 1 x 50.00 = 308.00 CNY paid,
  // known as delivered to the complaint service (tests/harness/seed.h).
  ov1::Order DeliveredOrder(const std::string& tag) {
    absl::StatusOr<std::string> customer = testing::SeedCustomer(*stack_, testing::CustomerSeed(tag));
    EXPECT_TRUE(customer.ok()) << customer.status();
    if (!customer.ok()) return ov1::Order();
    absl::StatusOr<ov1::Order> order = testing::SeedDeliveredOrder(*stack_, *customer, testing::OrderSeed(tag));
    EXPECT_TRUE(order.ok()) << order.status();
    return order.ok() ? *order : ov1::Order();
  }

  // Opens a complaint on `order` and takes it to INVESTIGATING with the cause determined.
  cv1::Complaint Investigating(const ov1::Order& order, const std::string& tag) {
    cv1::OpenComplaintRequest open;
    open.set_request_id("open-" + tag);
    *open.mutable_actor() = Agent();
    open.set_customer_id(order.customer_id());
    open.set_order_id(order.order_id());
    open.add_line_ids("1");
    open.set_stated_cause(cv1::CAUSE_QUALITY_DEFECT);
    open.set_account("围巾有抽丝, the scarf is pulling threads");
    open.set_desired_remedy(cv1::REMEDY_KIND_PARTIAL_REFUND);
    open.set_desired_outcome("只要退一部分钱 / a partial refund is enough");
    cv1::OpenComplaintResponse o;
    grpc::Status st = Call(complaints_, &cv1::ComplaintService::Stub::OpenComplaint, open, &o);
    EXPECT_TRUE(st.ok()) << st.error_message();
    // C5: what the customer wants is asked and kept with the complaint.
    EXPECT_EQ(o.complaint().desired_remedy(), cv1::REMEDY_KIND_PARTIAL_REFUND);
    EXPECT_EQ(o.complaint().desired_outcome(), open.desired_outcome());
    const std::string id = o.complaint().complaint_id();
    cv1::AcknowledgeComplaintRequest ack;
    ack.set_request_id("ack-" + tag);
    *ack.mutable_actor() = Agent();
    ack.set_complaint_id(id);
    ack.set_restatement("one scarf pulls threads after first wear");
    ack.set_restatement_confirmed(true);
    ack.set_apology("非常抱歉 / we are very sorry");
    cv1::AcknowledgeComplaintResponse a;
    EXPECT_TRUE(Call(complaints_, &cv1::ComplaintService::Stub::AcknowledgeComplaint, ack, &a).ok());
    cv1::StartInvestigationRequest inv;
    inv.set_request_id("inv-" + tag);
    *inv.mutable_actor() = Agent();
    inv.set_complaint_id(id);
    cv1::StartInvestigationResponse i;
    EXPECT_TRUE(Call(complaints_, &cv1::ComplaintService::Stub::StartInvestigation, inv, &i).ok());
    cv1::DetermineCauseRequest dc;
    dc.set_request_id("cause-" + tag);
    *dc.mutable_actor() = Agent();
    dc.set_complaint_id(id);
    dc.set_cause(cv1::CAUSE_QUALITY_DEFECT);
    cv1::DetermineCauseResponse d;
    EXPECT_TRUE(Call(complaints_, &cv1::ComplaintService::Stub::DetermineCause, dc, &d).ok());
    return d.complaint();
  }

  grpc::Status ProposePartialRefund(const std::string& id, int64_t amount, const std::string& rid,
                                    cv1::Complaint* out) {
    cv1::ProposeRemediesRequest p;
    p.set_request_id(rid);
    *p.mutable_actor() = Agent();
    p.set_complaint_id(id);
    auto* r = p.add_remedies();
    r->set_kind(cv1::REMEDY_KIND_PARTIAL_REFUND);
    *r->mutable_amount() = Cny(amount);
    cv1::ProposeRemediesResponse resp;
    grpc::Status st = Call(complaints_, &cv1::ComplaintService::Stub::ProposeRemedies, p, &resp);
    *out = resp.complaint();
    return st;
  }

  cv1::Complaint Get(const std::string& id) {
    cv1::GetComplaintRequest g;
    g.set_complaint_id(id);
    cv1::GetComplaintResponse r;
    grpc::Status st = Call(complaints_, &cv1::ComplaintService::Stub::GetComplaint, g, &r);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return r.complaint();
  }

  ov1::Order GetOrder(const std::string& id) {
    ov1::GetOrderRequest g;
    g.set_order_id(id);
    ov1::GetOrderResponse r;
    grpc::Status st = Call(orders_, &ov1::OrderService::Stub::GetOrder, g, &r);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return r.order();
  }

  grpc::Status Resolve(const std::string& id, const std::string& rid, cv1::Complaint* out) {
    cv1::ResolveComplaintRequest req;
    req.set_request_id(rid);
    *req.mutable_actor() = Agent();
    req.set_complaint_id(id);
    cv1::ResolveComplaintResponse resp;
    grpc::Status st = Call(complaints_, &cv1::ComplaintService::Stub::ResolveComplaint, req, &resp);
    *out = resp.complaint();
    return st;
  }

  std::unique_ptr<testing::Stack> stack_;
  ov1::OrderService::Stub* orders_ = nullptr;          // the stack's (reconnect by themselves)
  cv1::ComplaintService::Stub* complaints_ = nullptr;
};

TEST_F(ComplaintResolutionTest, C9_PartialRefundExactlyOnceAcrossRetriesAndAKillMidResolution) {
  const ov1::Order order = DeliveredOrder("a");
  cv1::Complaint c = Investigating(order, "a");
  const std::string id = c.complaint_id();
  ASSERT_TRUE(ProposePartialRefund(id, 5000, "propose-a", &c).ok());
  cv1::AcceptRemedyRequest acc;
  acc.set_request_id("accept-a");
  *acc.mutable_actor() = Agent();
  acc.set_complaint_id(id);
  acc.set_remedy_id(c.proposals(0).remedy_id());
  cv1::AcceptRemedyResponse accepted;
  ASSERT_TRUE(Call(complaints_, &cv1::ComplaintService::Stub::AcceptRemedy, acc, &accepted).ok());

  // The order service is down when we resolve: the complaint stays visibly EXECUTING.
  ASSERT_TRUE(stack_->Kill(Svc::kOrder).ok());
  cv1::Complaint r;
  grpc::Status st = Resolve(id, "resolve-a", &r);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(r.state(), cv1::COMPLAINT_STATE_EXECUTING);
  EXPECT_FALSE(r.execution_error().empty());

  // The complaint service dies mid-resolution (SIGKILL) ...
  ASSERT_TRUE(stack_->Kill(Svc::kComplaint).ok());
  // ... after its call reached the order service: emulate that call, byte for byte the
  // request the complaint service sends (a request_id reused with another request would
  // be refused), same idempotency key.
  ASSERT_TRUE(stack_->Restart(Svc::kOrder).ok());
  ov1::RefundOrderRequest dup;
  dup.set_request_id(absl::StrCat(id, ":", c.proposals(0).remedy_id(), ":exec"));
  dup.set_order_id(order.order_id());
  *dup.mutable_amount() = Cny(5000);
  dup.set_reason(absl::StrCat("complaint ", id, " remedy ", c.proposals(0).remedy_id(),
                              " (REMEDY_KIND_PARTIAL_REFUND)"));
  dup.mutable_actor()->set_id("complaint-service");
  dup.mutable_actor()->set_role("system");
  ov1::RefundOrderResponse first;
  st = Call(orders_, &ov1::OrderService::Stub::RefundOrder, dup, &first);
  ASSERT_TRUE(st.ok()) << st.error_message();

  // After restart the durable retry timer finishes the resolution by itself.
  ASSERT_TRUE(stack_->Restart(Svc::kComplaint).ok());
  ASSERT_EQ(revisit::testing::Eventually("complaint RESOLVED by the retry timer",
                                         [&] {
                                           return Get(id).state() ==
                                                  cv1::COMPLAINT_STATE_RESOLVED;
                                         },
                                         kGuard),
            absl::OkStatus());
  cv1::Complaint resolved = Get(id);
  EXPECT_TRUE(resolved.execution_error().empty());

  // Retries of every kind change nothing: the same and a new ResolveComplaint, the order RPC again.
  ASSERT_TRUE(Resolve(id, "resolve-a", &r).ok());
  EXPECT_EQ(r.state(), cv1::COMPLAINT_STATE_RESOLVED);
  EXPECT_EQ(Resolve(id, "resolve-a-2", &r).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  ov1::RefundOrderResponse again;
  ASSERT_TRUE(Call(orders_, &ov1::OrderService::Stub::RefundOrder, dup, &again).ok());
  EXPECT_EQ(again.refund().refund_id(), first.refund().refund_id());

  ov1::Order after = GetOrder(order.order_id());
  EXPECT_EQ(after.refunded().amount_minor(), 5000);
  ASSERT_EQ(after.refunds_size(), 1);
  EXPECT_EQ(after.refunds(0).amount().amount_minor(), 5000);

  // C10: ComplaintResolved is published, keyed by the customer ID, for outreach's follow-up.
  ASSERT_EQ(revisit::testing::Eventually("ComplaintResolved on revisit.complaint.v1", [&] {
    auto records = testing::ReadAllRaw(stack_->Bootstrap(), "revisit.complaint.v1", absl::Seconds(10));
    if (!records.ok()) return false;
    int resolved_events = 0;
    for (const auto& rec : *records) {
      auto env = ParseRecord(rec);
      if (!env.ok() || env->type != "revisit.complaint.resolved.v1") continue;
      ++resolved_events;
      EXPECT_EQ(rec.key, order.customer_id());
      cv1::ComplaintResolved ev;
      EXPECT_TRUE(ev.ParseFromString(rec.value));
      EXPECT_EQ(ev.complaint().complaint_id(), id);
      EXPECT_EQ(ev.complaint().customer_id(), order.customer_id());
      EXPECT_EQ(ev.remedy().kind(), cv1::REMEDY_KIND_PARTIAL_REFUND);
      EXPECT_EQ(ev.remedy().amount().amount_minor(), 5000);
      EXPECT_EQ(ev.complaint().determined_cause(), cv1::CAUSE_QUALITY_DEFECT);
      EXPECT_EQ(ev.complaint().skus(0), "SCARF-1");
    }
    EXPECT_LE(resolved_events, 1);
    return resolved_events == 1;
  }, kGuard), absl::OkStatus());
}

TEST_F(ComplaintResolutionTest, ClearErrorsChangeNothing) {
  const ov1::Order mine = DeliveredOrder("m");
  const ov1::Order theirs = DeliveredOrder("t");

  // Someone else's order.
  cv1::OpenComplaintRequest open;
  open.set_request_id("open-other");
  *open.mutable_actor() = Agent();
  open.set_customer_id(mine.customer_id());
  open.set_order_id(theirs.order_id());
  open.set_stated_cause(cv1::CAUSE_QUALITY_DEFECT);
  open.set_account("not my order");
  cv1::OpenComplaintResponse resp;
  grpc::Status st = Call(complaints_, &cv1::ComplaintService::Stub::OpenComplaint, open, &resp);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED) << st.error_message();
  EXPECT_NE(st.error_message().find("belongs to another customer"), std::string::npos) << st.error_message();

  // An unknown order.
  open.set_request_id("open-unknown");
  open.set_order_id("ord-03-00000000deadbeef");
  st = Call(complaints_, &cv1::ComplaintService::Stub::OpenComplaint, open, &resp);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::NOT_FOUND) << st.error_message();
  EXPECT_NE(st.error_message().find("order_id"), std::string::npos) << st.error_message();

  // Nothing was created for this customer.
  cv1::ListComplaintsRequest list;
  list.set_customer_id(mine.customer_id());
  cv1::ListComplaintsResponse listed;
  ASSERT_TRUE(Call(complaints_, &cv1::ComplaintService::Stub::ListComplaints, list, &listed).ok());
  EXPECT_EQ(listed.complaints_size(), 0);

  // A refund above what was paid (308.00).
  cv1::Complaint before = Investigating(mine, "m");
  cv1::Complaint out;
  st = ProposePartialRefund(before.complaint_id(), 30801, "propose-too-much", &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << st.error_message();
  EXPECT_NE(st.error_message().find("remedies[0].amount: 30801 exceeds"), std::string::npos)
      << st.error_message();
  cv1::Complaint after = Get(before.complaint_id());
  EXPECT_EQ(after.SerializeAsString(), before.SerializeAsString());
  EXPECT_EQ(GetOrder(mine.order_id()).refunded().amount_minor(), 0);

  // The full amount is fine.
  st = ProposePartialRefund(before.complaint_id(), 30800, "propose-all", &out);
  EXPECT_TRUE(st.ok()) << st.error_message();
  EXPECT_TRUE(out.proposals(0).requires_approval());  // above the agent's 200.00 (C8)
}

}  // namespace
}  // namespace revisit
