#include "tests/e2e/story.h"

#include <gtest/gtest.h>

#include <iostream>
#include <map>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "common/proto_time.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "common/event_type.h"
#include "revisit/complaint/v1/events.pb.h"
#include "revisit/order/v1/events.pb.h"
#include "revisit/outreach/v1/events.pb.h"
#include "tests/harness/kafka_reader.h"

namespace revisit::e2e {
namespace {

namespace ov1 = ::revisit::order::v1;
namespace cv1 = ::revisit::complaint::v1;
namespace lv1 = ::revisit::loyalty::v1;
namespace uv1 = ::revisit::outreach::v1;
namespace common1 = ::revisit::common::v1;

constexpr int64_t kRefundMinor = 5000;

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

absl::Status FromGrpc(const std::string& what, const grpc::Status& st) {
  if (st.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(st.error_code()),
                      absl::StrCat(what, ": ", st.error_message()));
}

}  // namespace

// One RPC on the stack with retries of transient failures; returns absl::Status.
#define E2E_CALL(stub, Method, req, resp)                                                  \
  FromGrpc(#Method, RetryCall(#Method, [&] {                                               \
             auto ctx = Ctx();                                                             \
             return stack_.stub().Method(ctx.get(), req, &resp);                           \
           }))
#define E2E_RETURN_IF_ERROR(expr)          \
  do {                                     \
    absl::Status _st = (expr);             \
    if (!_st.ok()) return _st;             \
  } while (0)

namespace {

// Touches of `customer` (empty on a transient error: callers poll).
std::vector<uv1::Touch> Touches(Stack& stack, const std::string& customer) {
  uv1::ListTouchesRequest req;
  req.set_customer_id(customer);
  req.mutable_page()->set_page_size(100);
  uv1::ListTouchesResponse resp;
  auto ctx = Ctx();
  grpc::Status st = stack.outreach().ListTouches(ctx.get(), req, &resp);
  if (!st.ok()) {
    if (st.error_code() != grpc::StatusCode::UNAVAILABLE) {
      std::cerr << "[story]   ListTouches: " << st.error_code() << " " << st.error_message() << std::endl;
    }
    return {};
  }
  return {resp.touches().begin(), resp.touches().end()};
}

const uv1::Touch* Find(const std::vector<uv1::Touch>& ts, uv1::Trigger trigger,
                       uv1::TouchState state) {
  for (const auto& t : ts) {
    if (t.trigger() == trigger && t.state() == state) return &t;
  }
  return nullptr;
}

bool GetComplaint(Stack& stack, const std::string& id, cv1::Complaint* out) {
  cv1::GetComplaintRequest req;
  req.set_complaint_id(id);
  cv1::GetComplaintResponse resp;
  auto ctx = Ctx();
  if (!stack.complaint().GetComplaint(ctx.get(), req, &resp).ok()) return false;
  *out = resp.complaint();
  return true;
}

bool GetOrder(Stack& stack, const std::string& id, ov1::Order* out) {
  ov1::GetOrderRequest req;
  req.set_order_id(id);
  ov1::GetOrderResponse resp;
  auto ctx = Ctx();
  if (!stack.order().GetOrder(ctx.get(), req, &resp).ok()) return false;
  *out = resp.order();
  return true;
}

bool Ledger(Stack& stack, const std::string& customer, std::vector<lv1::LedgerEntry>* out) {
  lv1::ListLedgerRequest req;
  req.set_customer_id(customer);
  req.mutable_page()->set_page_size(200);
  lv1::ListLedgerResponse resp;
  auto ctx = Ctx();
  grpc::Status st = stack.loyalty().ListLedger(ctx.get(), req, &resp);
  if (!st.ok()) {
    if (st.error_code() != grpc::StatusCode::UNAVAILABLE) {
      std::cerr << "[story]   ListLedger: " << st.error_code() << " " << st.error_message() << std::endl;
    }
    return false;
  }
  out->assign(resp.entries().begin(), resp.entries().end());
  return true;
}

int CountKind(const std::vector<lv1::LedgerEntry>& es, lv1::EntryKind k) {
  int n = 0;
  for (const auto& e : es) n += e.kind() == k;
  return n;
}

std::string Header(const RawRecord& r, const std::string& name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return "";
}

}  // namespace

std::vector<Story::Step> Story::Steps() {
  return {
      {"register", [this] { return Register(); }},
      {"order", [this] { return PlaceOrder(); }},
      {"pay", [this] { return Pay(); }},
      {"ship (care tips)", [this] { return Ship(); }},
      {"deliver", [this] { return Deliver(); }},
      {"complete", [this] { return Complete(); }},
      {"feedback request after 3 days", [this] { return AwaitFeedbackRequest(); }},
      {"rating 1", [this] { return RateOne(); }},
      {"complaint opened (R11)", [this] { return AwaitComplaint(); }},
      {"acknowledge within SLA", [this] { return Acknowledge(); }},
      {"investigate, cause", [this] { return Investigate(); }},
      {"propose + accept partial refund", [this] { return ProposeAndAccept(); }},
      {"resolve (execute)", [this] { return Resolve(); }},
      {"refunded once, points reversed", [this] { return AwaitRefundAndReversal(); }},
      {"follow-up within 7 days", [this] { return AwaitFollowUp(); }},
      {"low satisfaction reopens", [this] { return RateFollowUpLow(); }},
      {"resolve again (apology)", [this] { return ResolveAgain(); }},
      {"second follow-up within 7 days", [this] { return AwaitSecondFollowUp(); }},
      {"satisfaction recorded", [this] { return RecordSatisfaction(); }},
      {"order again", [this] { return OrderAgain(); }},
      {"revisit attributed", [this] { return AwaitRevisit(); }},
  };
}

absl::Status Story::RunAll() {
  for (auto& [name, step] : Steps()) {
    std::cerr << "[story] step: " << name << " (domain " << absl::FormatTime(stack_.DomainNow())
              << ")" << std::endl;
    absl::Status st = step();
    if (!st.ok()) return absl::Status(st.code(), absl::StrCat("step '", name, "': ", st.message()));
  }
  return absl::OkStatus();
}

absl::Status Story::Register() {
  ov1::CreateCustomerRequest req;
  req.set_request_id("cus-" + tag_);
  auto* c = req.mutable_customer();
  c->set_name("王芳");
  c->add_phones("13700137000");
  c->add_emails("wangfang@example.cn");
  auto* a = c->add_addresses();
  a->set_recipient("王芳");
  a->set_phone("13700137000");
  a->set_province("浙江省");
  a->set_city("杭州市");
  a->set_district("西湖区");
  a->set_street("文三路 8号");
  c->set_time_zone("Asia/Shanghai");
  for (auto ch : {common1::CHANNEL_SMS, common1::CHANNEL_EMAIL, common1::CHANNEL_APP_PUSH}) {
    auto* consent = c->add_consents();
    consent->set_channel(ch);
    consent->set_granted(true);
  }
  ov1::CreateCustomerResponse resp;
  E2E_RETURN_IF_ERROR(E2E_CALL(order, CreateCustomer, req, resp));
  customer_id_ = resp.customer().customer_id();
  std::cerr << "[story]   customer " << customer_id_ << std::endl;
  return absl::OkStatus();
}

namespace {
ov1::CreateOrderRequest OrderRequest(const std::string& rid, const std::string& customer) {
  ov1::CreateOrderRequest req;
  req.set_request_id(rid);
  req.set_customer_id(customer);
  for (auto [sku, qty, price] :
       {std::tuple{"SCARF-1", 2, 12900}, std::tuple{"CARE-KIT", 1, 5000}}) {
    auto* l = req.add_lines();
    l->set_sku(sku);
    l->set_name(std::string("真丝围巾 ") + sku);
    l->set_category("服饰");
    l->set_quantity(qty);
    *l->mutable_unit_price() = Cny(price);
  }
  auto* a = req.mutable_shipping_address();
  a->set_recipient("王芳");
  a->set_phone("13700137000");
  a->set_province("浙江省");
  a->set_city("杭州市");
  a->set_district("西湖区");
  a->set_street("文三路 8号");
  return req;
}
}  // namespace

absl::Status Story::PlaceOrder() {
  ov1::CreateOrderRequest req = OrderRequest("ord1-" + tag_, customer_id_);
  ov1::CreateOrderResponse resp;
  E2E_RETURN_IF_ERROR(E2E_CALL(order, CreateOrder, req, resp));
  order_id_ = resp.order().order_id();
  order_total_minor_ = resp.order().total().amount_minor();
  std::cerr << "[story]   order " << order_id_ << " total " << order_total_minor_ << std::endl;
  return absl::OkStatus();
}

absl::Status Story::Pay() {
  ov1::PayOrderRequest req;
  req.set_request_id("pay1-" + tag_);
  req.set_order_id(order_id_);
  *req.mutable_amount() = Cny(order_total_minor_);
  req.set_payment_reference("alipay-" + tag_);
  ov1::PayOrderResponse resp;
  return E2E_CALL(order, PayOrder, req, resp);
}

absl::Status Story::Ship() {
  ov1::ShipOrderRequest req;
  req.set_request_id("ship1-" + tag_);
  req.set_order_id(order_id_);
  req.set_carrier("顺丰速运");
  req.set_tracking_number("SF" + tag_);
  ov1::ShipOrderResponse resp;
  E2E_RETURN_IF_ERROR(E2E_CALL(order, ShipOrder, req, resp));
  // R2: care tips with the shipment.
  return Eventually("care-tips touch SENT (R2)", [&] {
    return Find(Touches(stack_, customer_id_), uv1::TRIGGER_CARE_TIPS, uv1::TOUCH_STATE_SENT) !=
           nullptr;
  });
}

absl::Status Story::Deliver() {
  ov1::ConfirmDeliveryRequest req;
  req.set_request_id("deliver1-" + tag_);
  req.set_order_id(order_id_);
  req.set_inspected_on_receipt(true);
  ov1::ConfirmDeliveryResponse resp;
  return E2E_CALL(order, ConfirmDelivery, req, resp);
}

absl::Status Story::Complete() {
  // The customer confirms receipt: loyalty earns the points (pending for the return
  // window), so that the refund later has points to reverse (L4).
  ov1::CompleteOrderRequest req;
  req.set_request_id("complete1-" + tag_);
  req.set_order_id(order_id_);
  ov1::CompleteOrderResponse resp;
  E2E_RETURN_IF_ERROR(E2E_CALL(order, CompleteOrder, req, resp));
  return Eventually("loyalty EARN entry for the completed order (L4)", [&] {
    std::vector<lv1::LedgerEntry> es;
    return Ledger(stack_, customer_id_, &es) && CountKind(es, lv1::ENTRY_KIND_EARN) >= 1;
  });
}

absl::Status Story::AwaitFeedbackRequest() {
  // R1: 3 simulated days after delivery.
  std::cerr << "[story]   3 simulated days = " << absl::FormatDuration(stack_.ToWall(absl::Hours(72)))
            << " wall" << std::endl;
  uv1::Touch touch;
  E2E_RETURN_IF_ERROR(Eventually(
      "feedback-request touch SENT (R1, delivery + 3 days)",
      [&] {
        const auto all = Touches(stack_, customer_id_);
        const uv1::Touch* t = Find(all, uv1::TRIGGER_FEEDBACK_REQUEST, uv1::TOUCH_STATE_SENT);
        if (t != nullptr) touch = *t;
        return t != nullptr;
      },
      absl::Seconds(90)));
  feedback_touch_id_ = touch.touch_id();
  ov1::Order o;
  if (GetOrder(stack_, order_id_, &o)) {
    absl::Duration after = FromProto(touch.sent_at()) - FromProto(o.delivered_at());
    std::cerr << "[story]   feedback request " << feedback_touch_id_ << " sent "
              << absl::FormatDuration(after) << " (domain) after delivery" << std::endl;
    EXPECT_GE(after, absl::Hours(72)) << "R1: not before 3 days after delivery";
  }
  return absl::OkStatus();
}

absl::Status Story::RateOne() {
  uv1::RecordFeedbackRequest req;
  req.set_request_id("rate1-" + tag_);
  req.set_touch_id(feedback_touch_id_);
  req.mutable_feedback()->set_rating(1);
  req.mutable_feedback()->set_comment("围巾洗了一次就起球 / pilling after one wash");
  uv1::RecordFeedbackResponse resp;
  E2E_RETURN_IF_ERROR(E2E_CALL(outreach, RecordFeedback, req, resp));
  complaint_id_ = resp.touch().complaint_id();
  if (complaint_id_.empty()) return absl::InternalError("R11: rating 1 opened no complaint");
  std::cerr << "[story]   complaint " << complaint_id_ << std::endl;
  return absl::OkStatus();
}

absl::Status Story::AwaitComplaint() {
  cv1::Complaint c;
  E2E_RETURN_IF_ERROR(Eventually("complaint readable", [&] {
    return GetComplaint(stack_, complaint_id_, &c);
  }));
  EXPECT_EQ(c.state(), cv1::COMPLAINT_STATE_OPENED);
  EXPECT_EQ(c.customer_id(), customer_id_);
  EXPECT_EQ(c.order_id(), order_id_);
  EXPECT_EQ(c.source_touch_id(), feedback_touch_id_);
  return absl::OkStatus();
}

absl::Status Story::Acknowledge() {
  cv1::AcknowledgeComplaintRequest req;
  req.set_request_id("ack-" + tag_);
  *req.mutable_actor() = Agent();
  req.set_complaint_id(complaint_id_);
  req.set_restatement("the scarf pills after one wash");
  req.set_restatement_confirmed(true);
  req.set_apology("非常抱歉 / we are very sorry");
  cv1::AcknowledgeComplaintResponse resp;
  E2E_RETURN_IF_ERROR(E2E_CALL(complaint, AcknowledgeComplaint, req, resp));
  const cv1::Complaint& c = resp.complaint();
  EXPECT_EQ(c.state(), cv1::COMPLAINT_STATE_ACKNOWLEDGED);
  bool found = false;
  for (const auto& d : c.deadlines()) {
    if (d.name().find("first_response") == std::string::npos) continue;
    found = true;
    EXPECT_TRUE(d.has_met_at()) << "C1: first response recorded";
    EXPECT_FALSE(d.breached()) << "C1: acknowledged within SLA";
    EXPECT_LE(FromProto(d.met_at()), FromProto(d.due_at()));
    std::cerr << "[story]   first response met "
              << absl::FormatDuration(FromProto(d.due_at()) - FromProto(d.met_at()))
              << " (domain) before its deadline" << std::endl;
  }
  EXPECT_TRUE(found) << "no first-response deadline on " << c.DebugString();
  return absl::OkStatus();
}

absl::Status Story::Investigate() {
  cv1::StartInvestigationRequest inv;
  inv.set_request_id("inv-" + tag_);
  *inv.mutable_actor() = Agent();
  inv.set_complaint_id(complaint_id_);
  cv1::StartInvestigationResponse ir;
  E2E_RETURN_IF_ERROR(E2E_CALL(complaint, StartInvestigation, inv, ir));
  cv1::DetermineCauseRequest dc;
  dc.set_request_id("cause-" + tag_);
  *dc.mutable_actor() = Agent();
  dc.set_complaint_id(complaint_id_);
  dc.set_cause(cv1::CAUSE_QUALITY_DEFECT);
  dc.set_note("batch 2026-03 silk blend pills; reported to supplier (C11)");
  cv1::DetermineCauseResponse dr;
  E2E_RETURN_IF_ERROR(E2E_CALL(complaint, DetermineCause, dc, dr));
  EXPECT_EQ(dr.complaint().determined_cause(), cv1::CAUSE_QUALITY_DEFECT);
  return absl::OkStatus();
}

absl::Status Story::ProposeAndAccept() {
  cv1::ProposeRemediesRequest p;
  p.set_request_id("propose-" + tag_);
  *p.mutable_actor() = Agent();
  p.set_complaint_id(complaint_id_);
  auto* r = p.add_remedies();
  r->set_kind(cv1::REMEDY_KIND_PARTIAL_REFUND);
  *r->mutable_amount() = Cny(kRefundMinor);
  r->set_note("50 元 partial refund, keep the scarf");
  cv1::ProposeRemediesResponse pr;
  E2E_RETURN_IF_ERROR(E2E_CALL(complaint, ProposeRemedies, p, pr));
  if (pr.complaint().proposals_size() != 1) return absl::InternalError("no proposal recorded");
  remedy_id_ = pr.complaint().proposals(0).remedy_id();
  cv1::AcceptRemedyRequest acc;
  acc.set_request_id("accept-" + tag_);
  *acc.mutable_actor() = Agent();
  acc.set_complaint_id(complaint_id_);
  acc.set_remedy_id(remedy_id_);
  cv1::AcceptRemedyResponse ar;
  E2E_RETURN_IF_ERROR(E2E_CALL(complaint, AcceptRemedy, acc, ar));
  EXPECT_EQ(ar.complaint().state(), cv1::COMPLAINT_STATE_RESOLUTION_ACCEPTED);
  return absl::OkStatus();
}

absl::Status Story::Resolve() {
  cv1::ResolveComplaintRequest req;
  req.set_request_id("resolve-" + tag_);
  *req.mutable_actor() = Agent();
  req.set_complaint_id(complaint_id_);
  cv1::ResolveComplaintResponse resp;
  E2E_RETURN_IF_ERROR(E2E_CALL(complaint, ResolveComplaint, req, resp));
  std::cerr << "[story]   ResolveComplaint answered "
            << cv1::ComplaintState_Name(resp.complaint().state()) << std::endl;
  return Eventually("complaint RESOLVED (C9: refund executed through order)", [&] {
    cv1::Complaint c;
    return GetComplaint(stack_, complaint_id_, &c) && c.state() == cv1::COMPLAINT_STATE_RESOLVED;
  });
}

absl::Status Story::AwaitRefundAndReversal() {
  E2E_RETURN_IF_ERROR(Eventually("order refunded 50.00 once", [&] {
    ov1::Order o;
    return GetOrder(stack_, order_id_, &o) && o.refunds_size() >= 1;
  }));
  ov1::Order o;
  EXPECT_TRUE(GetOrder(stack_, order_id_, &o));
  EXPECT_EQ(o.refunds_size(), 1);
  EXPECT_EQ(o.refunded().amount_minor(), kRefundMinor);
  return Eventually("loyalty REVERSE entry (L4: points reversed on refund)", [&] {
    std::vector<lv1::LedgerEntry> es;
    return Ledger(stack_, customer_id_, &es) && CountKind(es, lv1::ENTRY_KIND_REVERSE) >= 1;
  });
}

absl::Status Story::AwaitFollowUp() {
  uv1::Touch touch;
  E2E_RETURN_IF_ERROR(Eventually(
      "complaint follow-up touch SENT (C10)",
      [&] {
        const auto all = Touches(stack_, customer_id_);
        const uv1::Touch* t = Find(all, uv1::TRIGGER_COMPLAINT_FOLLOW_UP, uv1::TOUCH_STATE_SENT);
        if (t != nullptr) touch = *t;
        return t != nullptr;
      },
      absl::Seconds(90)));
  follow_up_touch_id_ = touch.touch_id();
  EXPECT_EQ(touch.source_id(), complaint_id_);
  cv1::Complaint c;
  if (GetComplaint(stack_, complaint_id_, &c)) {
    absl::Duration after = FromProto(touch.sent_at()) - FromProto(c.resolved_at());
    std::cerr << "[story]   follow-up " << follow_up_touch_id_ << " sent "
              << absl::FormatDuration(after) << " (domain) after resolution" << std::endl;
    EXPECT_LE(after, absl::Hours(24 * 7)) << "C10: within a week";
    EXPECT_GE(after, absl::ZeroDuration());
  }
  return absl::OkStatus();
}

absl::Status Story::RateFollowUpLow() {
  uv1::RecordFeedbackRequest req;
  req.set_request_id("unhappy-" + tag_);
  req.set_touch_id(follow_up_touch_id_);
  req.mutable_feedback()->set_rating(2);
  req.mutable_feedback()->set_comment("退款到了, 但围巾还是起球 / refunded, but no answer about the pilling");
  uv1::RecordFeedbackResponse resp;
  E2E_RETURN_IF_ERROR(E2E_CALL(outreach, RecordFeedback, req, resp));
  EXPECT_TRUE(resp.touch().complaint_id().empty()) << "R11: a follow-up answer opens no new complaint";
  // C10: at or below REVISIT_COMPLAINT_FOLLOW_UP_REOPEN_AT_OR_BELOW (2) it reopens.
  return Eventually("complaint REOPENED by satisfaction 2 (C10)", [&] {
    cv1::Complaint c;
    return GetComplaint(stack_, complaint_id_, &c) && c.state() == cv1::COMPLAINT_STATE_REOPENED &&
           c.follow_up().satisfaction() == 2 && c.follow_up().resolution() == 1;
  });
}

absl::Status Story::ResolveAgain() {
  cv1::AcknowledgeComplaintRequest ack;
  ack.set_request_id("ack2-" + tag_);
  *ack.mutable_actor() = Agent();
  ack.set_complaint_id(complaint_id_);
  ack.set_restatement("the refund came, but the pilling itself was never explained");
  ack.set_restatement_confirmed(true);
  ack.set_apology("再次抱歉 / sorry again");
  cv1::AcknowledgeComplaintResponse ar;
  E2E_RETURN_IF_ERROR(E2E_CALL(complaint, AcknowledgeComplaint, ack, ar));
  cv1::StartInvestigationRequest inv;
  inv.set_request_id("inv2-" + tag_);
  *inv.mutable_actor() = Agent();
  inv.set_complaint_id(complaint_id_);
  cv1::StartInvestigationResponse ir;
  E2E_RETURN_IF_ERROR(E2E_CALL(complaint, StartInvestigation, inv, ir));
  cv1::ProposeRemediesRequest p;
  p.set_request_id("propose2-" + tag_);
  *p.mutable_actor() = Agent();
  p.set_complaint_id(complaint_id_);
  auto* r = p.add_remedies();
  r->set_kind(cv1::REMEDY_KIND_APOLOGY);
  r->set_note("the silk blend batch was faulty; the supplier changed it (C11)");
  cv1::ProposeRemediesResponse pr;
  E2E_RETURN_IF_ERROR(E2E_CALL(complaint, ProposeRemedies, p, pr));
  const auto& proposals = pr.complaint().proposals();
  if (proposals.empty()) return absl::InternalError("no second proposal recorded");
  cv1::AcceptRemedyRequest acc;
  acc.set_request_id("accept2-" + tag_);
  *acc.mutable_actor() = Agent();
  acc.set_complaint_id(complaint_id_);
  acc.set_remedy_id(proposals.rbegin()->remedy_id());
  cv1::AcceptRemedyResponse accr;
  E2E_RETURN_IF_ERROR(E2E_CALL(complaint, AcceptRemedy, acc, accr));
  cv1::ResolveComplaintRequest req;
  req.set_request_id("resolve2-" + tag_);
  *req.mutable_actor() = Agent();
  req.set_complaint_id(complaint_id_);
  cv1::ResolveComplaintResponse resp;
  E2E_RETURN_IF_ERROR(E2E_CALL(complaint, ResolveComplaint, req, resp));
  return Eventually("complaint RESOLVED a second time (apology needs no call)", [&] {
    cv1::Complaint c;
    return GetComplaint(stack_, complaint_id_, &c) && c.state() == cv1::COMPLAINT_STATE_RESOLVED;
  });
}

absl::Status Story::AwaitSecondFollowUp() {
  // C10/R8: the second resolution gets its own follow-up touch (source <complaint>/r2).
  const std::string source = complaint_id_ + "/r2";
  uv1::Touch touch;
  E2E_RETURN_IF_ERROR(Eventually(
      "second complaint follow-up touch SENT (C10)",
      [&] {
        for (const auto& t : Touches(stack_, customer_id_)) {
          if (t.trigger() == uv1::TRIGGER_COMPLAINT_FOLLOW_UP && t.source_id() == source &&
              t.state() == uv1::TOUCH_STATE_SENT) {
            touch = t;
            return true;
          }
        }
        return false;
      },
      absl::Seconds(90)));
  EXPECT_NE(touch.touch_id(), follow_up_touch_id_);
  follow_up_touch_id_ = touch.touch_id();
  cv1::Complaint c;
  if (GetComplaint(stack_, complaint_id_, &c)) {
    const absl::Duration after = FromProto(touch.sent_at()) - FromProto(c.resolved_at());
    std::cerr << "[story]   second follow-up " << follow_up_touch_id_ << " sent "
              << absl::FormatDuration(after) << " (domain) after the second resolution" << std::endl;
    EXPECT_LE(after, absl::Hours(24 * 7)) << "C10: within a week";
    EXPECT_GE(after, absl::ZeroDuration());
  }
  return absl::OkStatus();
}

absl::Status Story::RecordSatisfaction() {
  uv1::RecordFeedbackRequest req;
  req.set_request_id("satisfaction-" + tag_);
  req.set_touch_id(follow_up_touch_id_);
  req.mutable_feedback()->set_rating(5);
  req.mutable_feedback()->set_comment("退款很快, 谢谢 / quick refund, thanks");
  uv1::RecordFeedbackResponse resp;
  E2E_RETURN_IF_ERROR(E2E_CALL(outreach, RecordFeedback, req, resp));
  // C10: the satisfaction flows back and closes the complaint in the same commit.
  E2E_RETURN_IF_ERROR(Eventually("complaint CLOSED with satisfaction 5 (C10)", [&] {
    cv1::Complaint c;
    return GetComplaint(stack_, complaint_id_, &c) &&
           c.state() == cv1::COMPLAINT_STATE_CLOSED && c.follow_up().satisfaction() == 5 &&
           c.follow_up().resolution() == 2;
  }));
  cv1::Complaint c;
  if (GetComplaint(stack_, complaint_id_, &c)) {
    const cv1::Transition& t = c.history(c.history_size() - 1);
    EXPECT_EQ(t.from(), cv1::COMPLAINT_STATE_FOLLOWED_UP);
    EXPECT_EQ(t.actor().id(), "outreach-service");
    EXPECT_EQ(t.reason(), "follow-up recorded, satisfaction 5: closed (C10)");
  }
  return absl::OkStatus();
}

absl::Status Story::OrderAgain() {
  ov1::CreateOrderRequest req = OrderRequest("ord2-" + tag_, customer_id_);
  ov1::CreateOrderResponse resp;
  E2E_RETURN_IF_ERROR(E2E_CALL(order, CreateOrder, req, resp));
  second_order_id_ = resp.order().order_id();
  ov1::PayOrderRequest pay;
  pay.set_request_id("pay2-" + tag_);
  pay.set_order_id(second_order_id_);
  *pay.mutable_amount() = resp.order().total();
  ov1::PayOrderResponse pr;
  return E2E_CALL(order, PayOrder, pay, pr);
}

absl::Status Story::AwaitRevisit() {
  return Eventually("revisit.outreach.revisit_attributed.v1 for the second order (R12)", [&] {
    auto recs = testing::ReadAllRaw(stack_.Bootstrap(), "revisit.outreach.v1", absl::Seconds(10));
    if (!recs.ok()) return false;
    for (const auto& r : *recs) {
      if (Header(r, kCeType) != "revisit.outreach.revisit_attributed.v1") continue;
      uv1::RevisitAttributed ev;
      if (ev.ParseFromString(r.value) && ev.order_id() == second_order_id_ &&
          ev.touch().customer_id() == customer_id_) {
        std::cerr << "[story]   revisit attributed to touch " << ev.touch().touch_id() << " ("
                  << uv1::Trigger_Name(ev.touch().trigger()) << ", campaign "
                  << ev.touch().campaign() << ")" << std::endl;
        return true;
      }
    }
    return false;
  });
}

void Story::Verify() {
  std::cerr << "[story] verifying the end state and the event streams" << std::endl;
  // Refund exactly once (C9).
  ov1::Order o;
  ASSERT_TRUE(GetOrder(stack_, order_id_, &o));
  EXPECT_EQ(o.refunds_size(), 1) << o.DebugString();
  EXPECT_EQ(o.refunded().amount_minor(), kRefundMinor);

  // Ledger invariant (L4): balance == sum of entries; no entry twice for one source.
  std::vector<lv1::LedgerEntry> es;
  ASSERT_TRUE(Ledger(stack_, customer_id_, &es));
  lv1::GetProfileRequest preq;
  preq.set_customer_id(customer_id_);
  lv1::GetProfileResponse presp;
  {
    auto ctx = Ctx();
    ASSERT_TRUE(stack_.loyalty().GetProfile(ctx.get(), preq, &presp).ok());
  }
  int64_t avail = 0, pending = 0;
  std::set<std::pair<int, std::string>> sources;
  for (const auto& e : es) {
    avail += e.available_delta();
    pending += e.pending_delta();
    EXPECT_TRUE(sources.insert({e.kind(), e.source_id()}).second)
        << "ledger entry twice for one source: " << e.DebugString();
  }
  EXPECT_EQ(presp.profile().points_available(), avail);
  EXPECT_EQ(presp.profile().points_pending(), pending);
  EXPECT_EQ(CountKind(es, lv1::ENTRY_KIND_REVERSE), 1);
  EXPECT_GE(CountKind(es, lv1::ENTRY_KIND_EARN), 1);
  std::cerr << "[story]   ledger: " << es.size() << " entries, available " << avail
            << ", pending " << pending << std::endl;

  // Touches: exactly one feedback request, sent; one follow-up per resolution (C10/R8),
  // each sent and answered.
  auto touches = Touches(stack_, customer_id_);
  int feedback = 0;
  std::set<std::string> follow_up_sources, follow_up_ids;
  for (const auto& t : touches) {
    if (t.trigger() == uv1::TRIGGER_FEEDBACK_REQUEST && t.source_id() == order_id_) {
      ++feedback;
      EXPECT_EQ(t.state(), uv1::TOUCH_STATE_SENT);
    }
    if (t.trigger() == uv1::TRIGGER_COMPLAINT_FOLLOW_UP) {
      EXPECT_TRUE(follow_up_sources.insert(t.source_id()).second) << t.DebugString();
      follow_up_ids.insert(t.touch_id());
      EXPECT_EQ(t.state(), uv1::TOUCH_STATE_SENT);
      EXPECT_TRUE(t.has_feedback());
    }
  }
  EXPECT_EQ(feedback, 1);
  EXPECT_EQ(follow_up_sources, (std::set<std::string>{complaint_id_, complaint_id_ + "/r2"}));

  // Exactly one complaint for the low rating, closed.
  cv1::ListComplaintsRequest lreq;
  lreq.set_customer_id(customer_id_);
  cv1::ListComplaintsResponse lresp;
  {
    auto ctx = Ctx();
    ASSERT_TRUE(stack_.complaint().ListComplaints(ctx.get(), lreq, &lresp).ok());
  }
  ASSERT_EQ(lresp.complaints_size(), 1);
  EXPECT_EQ(lresp.complaints(0).state(), cv1::COMPLAINT_STATE_CLOSED);
  EXPECT_EQ(lresp.complaints(0).follow_up().satisfaction(), 5);

  // The streams: every expected ce_type of this customer, distinct ce_ids counted
  // (at-least-once may repeat a record, never with a new ce_id), no sequence gap.
  std::map<std::string, std::set<std::string>> ids_by_type;
  std::map<std::string, std::map<int64_t, int>> seq_by_subject;
  for (const char* topic : {"revisit.order.v1", "revisit.complaint.v1", "revisit.loyalty.v1",
                            "revisit.outreach.v1"}) {
    auto recs = testing::ReadAll(stack_.Bootstrap(), topic);
    ASSERT_TRUE(recs.ok()) << topic << ": " << recs.status();
    for (const auto& e : *recs) {
      if (e.key != customer_id_) continue;
      EXPECT_TRUE(ParseEventType(e.type).has_value()) << "ce_type breaks the naming rule: " << e.type;
      if (ids_by_type[e.type].insert(e.id).second) {
        seq_by_subject[absl::StrCat(e.source, " ", e.subject)][e.sequence]++;
      }
    }
  }
  std::vector<std::string> types;
  for (const auto& [t, ids] : ids_by_type) types.push_back(absl::StrCat(t, " x", ids.size()));
  std::cerr << "[story]   events: " << absl::StrJoin(types, ", ") << std::endl;
  for (const char* t : {
           "revisit.order.customer_registered.v1", "revisit.order.created.v1",
           "revisit.order.paid.v1", "revisit.order.shipped.v1", "revisit.order.delivered.v1",
           "revisit.order.completed.v1", "revisit.order.refunded.v1",
           "revisit.complaint.opened.v1", "revisit.complaint.acknowledged.v1",
           "revisit.complaint.cause_determined.v1", "revisit.complaint.remedies_proposed.v1",
           "revisit.complaint.remedy_accepted.v1", "revisit.complaint.resolved.v1",
           "revisit.complaint.follow_up_recorded.v1", "revisit.complaint.closed.v1",
           "revisit.loyalty.points_earned.v1", "revisit.loyalty.points_reversed.v1",
           "revisit.outreach.touch_scheduled.v1", "revisit.outreach.touch_sent.v1",
           "revisit.outreach.feedback_received.v1", "revisit.outreach.follow_up_recorded.v1",
           "revisit.outreach.revisit_attributed.v1"}) {
    EXPECT_GE(ids_by_type[t].size(), 1u) << "missing event type " << t;
  }
  EXPECT_EQ(ids_by_type["revisit.order.refunded.v1"].size(), 1u) << "refund published once";
  EXPECT_EQ(ids_by_type["revisit.complaint.opened.v1"].size(), 1u) << "one complaint opened";
  EXPECT_EQ(ids_by_type["revisit.order.created.v1"].size(), 2u);
  EXPECT_EQ(ids_by_type["revisit.loyalty.points_reversed.v1"].size(), 1u);
  // Three answers: the rating on the feedback request, the satisfaction on each of
  // the two follow-ups (the first reopened the complaint, the second closed it).
  EXPECT_EQ(ids_by_type["revisit.outreach.feedback_received.v1"].size(), 3u);
  EXPECT_EQ(ids_by_type["revisit.outreach.follow_up_recorded.v1"].size(), 2u);
  EXPECT_EQ(ids_by_type["revisit.complaint.resolved.v1"].size(), 2u) << "resolved, reopened, resolved";
  EXPECT_EQ(ids_by_type["revisit.complaint.reopened.v1"].size(), 1u);
  EXPECT_EQ(ids_by_type["revisit.complaint.follow_up_recorded.v1"].size(), 2u);
  EXPECT_EQ(ids_by_type["revisit.complaint.closed.v1"].size(), 1u);
  // One touch_sent per touch: the feedback request and each follow-up sent exactly once.
  auto sent = testing::ReadAll(stack_.Bootstrap(), "revisit.outreach.v1");
  ASSERT_TRUE(sent.ok());
  std::map<std::string, std::set<std::string>> sent_ids;  // touch -> distinct ce_ids
  std::map<std::string, std::set<std::string>> scheduled_ids;
  for (const auto& e : *sent) {
    if (e.type == "revisit.outreach.touch_sent.v1") sent_ids[e.subject].insert(e.id);
    if (e.type == "revisit.outreach.touch_scheduled.v1") scheduled_ids[e.subject].insert(e.id);
  }
  EXPECT_EQ(sent_ids[feedback_touch_id_].size(), 1u) << "feedback request sent exactly once";
  EXPECT_EQ(follow_up_ids.size(), 2u);
  for (const std::string& id : follow_up_ids) {
    EXPECT_EQ(scheduled_ids[id].size(), 1u) << "follow-up " << id << " scheduled exactly once";
    EXPECT_EQ(sent_ids[id].size(), 1u) << "follow-up " << id << " sent exactly once";
  }
  // No gap: each (ce_source, ce_subject)'s distinct events carry 1..n, each once
  // (the stack started empty, so every subject starts at 1).
  for (const auto& [subject, seqs] : seq_by_subject) {
    int64_t expect = 1;
    for (const auto& [seq, n] : seqs) {
      EXPECT_EQ(seq, expect) << "sequence gap in " << subject;
      EXPECT_EQ(n, 1) << "two events with sequence " << seq << " in " << subject;
      expect = seq + 1;
    }
  }
  // Nothing dead-lettered: every event was consumed.
  for (const char* dlq : {"revisit.order.dlq.v1", "revisit.complaint.dlq.v1",
                          "revisit.loyalty.dlq.v1", "revisit.outreach.dlq.v1"}) {
    auto recs = testing::ReadAllRaw(stack_.Bootstrap(), dlq, absl::Seconds(10));
    if (recs.ok()) {
      EXPECT_EQ(recs->size(), 0u) << dlq;
      for (const auto& r : *recs) {
        std::cerr << "[story]   DLQ " << dlq << ": " << Header(r, kCeType) << " "
                  << Header(r, kDlqError) << std::endl;
      }
    }
  }
}

// 1 wall second = 20,000 domain seconds (~5.6 h): 3 days pass in ~13 s, the 1-day
// follow-up delay in ~4 s, the 24 h first-response SLA is ~4.3 s of wall time.
constexpr double kScale = 20000;

StackOptions StoryStackOptions() {
  StackOptions o;
  o.time_scale = kScale;
  // Idempotency and inbox records must outlive the test in domain time (7 domain days
  // are only 30 wall seconds here); the defaults are for real time.
  o.env = {
      {"REVISIT_ORDER_IDEMPOTENCY_TTL", "3650d"},
      {"REVISIT_COMPLAINT_IDEMPOTENCY_TTL", "3650d"},
      {"REVISIT_LOYALTY_IDEMPOTENCY_TTL", "3650d"},
      {"REVISIT_OUTREACH_IDEMPOTENCY_TTL", "3650d"},
      {"REVISIT_OUTREACH_INBOX_TTL", "3650d"},
  };
  o.service_env[Svc::kOutreach] = {
      // The default 1-day delays of R1 (3 days) and C10 (1 day) stay; quiet hours
      // (21:00-09:00) would only shift sends by up to 12 domain hours, so they are off
      // to keep every run's path the same whatever the time of day.
      {"REVISIT_OUTREACH_RULES",
       "care_tips.quiet_hours=false;feedback_request.quiet_hours=false;"
       "complaint_follow_up.quiet_hours=false;shipment_apology.quiet_hours=false"},
      {"REVISIT_OUTREACH_CAP", "10"},
  };
  o.service_env[Svc::kComplaint] = {
      {"REVISIT_COMPLAINT_EXECUTION_RETRY", "1h"},  // ~0.2 s wall
  };
  return o;
}

StoryRun RunStoriesConcurrently(Stack& stack, const std::string& tag, int count,
                                absl::Duration stagger, const std::function<void()>& schedule) {
  StoryRun run;
  run.results.resize(static_cast<size_t>(count));
  for (int i = 0; i < count; ++i) {
    run.stories.push_back(std::make_unique<Story>(stack, absl::StrCat(tag, i)));
  }
  std::vector<std::thread> runners;
  for (int i = 0; i < count; ++i) {
    runners.emplace_back([&run, stagger, i] {
      absl::SleepFor(stagger * i);
      run.results[static_cast<size_t>(i)] = run.stories[static_cast<size_t>(i)]->RunAll();
    });
  }
  schedule();  // may end early (a failed ASSERT): the stories still run to their end
  for (std::thread& t : runners) t.join();
  return run;
}

bool StoryRun::ExpectAllVerified(Stack& stack) {
  for (size_t i = 0; i < results.size(); ++i) {
    if (!results[i].ok()) {
      ADD_FAILURE() << "story " << i << ": " << results[i] << "\n" << stack.LogTails();
      return false;
    }
  }
  for (auto& story : stories) story->Verify();
  return true;
}

}  // namespace revisit::e2e
