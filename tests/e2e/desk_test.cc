// End-to-end: the complaint desk on a Friday evening (issue 15 "Done when"), real
// processes (redis-server, Kafka, the four services) with an accelerated clock that
// starts on Tuesday 2026-09-15 in Shanghai, with the mainland-China 2026 calendar
// (deploy/calendars/cn-2026.cal): Sunday 2026-09-20 is a make-up working day (调休).
//
// A delivered order; at Friday 19:00 (the shop closed at 18:00) the complaint is
// opened → assigned → acknowledged (the customer receives the apology, C3) → the
// resolution target (one business day: the make-up Sunday's close, not Monday's)
// passes → breach, escalated into the supervisor queue, taken by a supervisor (C1, C7)
// → remedies proposed (the customer hears the choices, the SLA clock pauses, C6) → the
// customer escalates to the platform (C12) → the ruling orders a refund and it is
// carried out without another call (C12, C9: refund on the order, the customer hears
// the ruling and that the refund was sent) → the follow-up goes unanswered → one
// reminder → closed as "followed up, no answer" (C10). Every customer-visible step is
// in ListTouches exactly once.
//
// No timing assertions: waits poll under generous guards; domain-time facts are read
// from the services' own timestamps.
#include <gtest/gtest.h>

#include <iostream>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/proto_time.h"
#include "tests/harness/stack.h"
#include "tests/e2e/story.h"
#include "tests/harness/shared_stack.h"
#include "tests/harness/seed.h"

namespace revisit::e2e {
namespace {

namespace ov1 = ::revisit::order::v1;
namespace cv1 = ::revisit::complaint::v1;
namespace uv1 = ::revisit::outreach::v1;
namespace common1 = ::revisit::common::v1;

constexpr double kScale = 10000;  // a domain day in ~8.6 wall seconds
constexpr int64_t kRulingRefundMinor = 3000;

const absl::TimeZone& Shanghai() {
  static const absl::TimeZone* tz = [] {
    auto* z = new absl::TimeZone;
    EXPECT_TRUE(absl::LoadTimeZone("Asia/Shanghai", z));
    return z;
  }();
  return *tz;
}

absl::Time InShanghai(int y, int mo, int d, int h, int mi) {
  return absl::FromCivil(absl::CivilMinute(y, mo, d, h, mi), Shanghai());
}

common1::Money Cny(int64_t minor) {
  common1::Money m;
  m.set_amount_minor(minor);
  m.set_currency("CNY");
  return m;
}

common1::Actor Actor(const std::string& id, const std::string& role) {
  common1::Actor a;
  a.set_id(id);
  a.set_role(role);
  return a;
}

// Calls `call` with retries of transient failures; the request keeps its request_id.
absl::Status Call(const std::string& what, const std::function<grpc::Status(grpc::ClientContext*)>& call) {
  grpc::Status st = RetryCall(what, [&] {
    auto ctx = Ctx();
    return call(ctx.get());
  });
  if (st.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(st.error_code()), absl::StrCat(what, ": ", st.error_message()));
}

StackOptions DeskStackOptions() {
  StackOptions o;
  o.time_scale = kScale;
  o.domain_start = InShanghai(2026, 9, 15, 20, 0);  // Tuesday evening
  o.env = {
      {"REVISIT_ORDER_IDEMPOTENCY_TTL", "3650d"},   {"REVISIT_COMPLAINT_IDEMPOTENCY_TTL", "3650d"},
      {"REVISIT_LOYALTY_IDEMPOTENCY_TTL", "3650d"}, {"REVISIT_OUTREACH_IDEMPOTENCY_TTL", "3650d"},
      {"REVISIT_OUTREACH_INBOX_TTL", "3650d"},
  };
  o.service_env[Svc::kComplaint] = {
      {"REVISIT_COMPLAINT_CALENDAR", std::string(REVISIT_SOURCE_DIR) + "/deploy/calendars/cn-2026.cal"},
      // One business day to resolve: due at the close of the next business day.
      {"REVISIT_COMPLAINT_RESOLUTION_NORMAL", "1d"},
      {"REVISIT_COMPLAINT_FOLLOW_UP_WITHIN", "2d"},
      {"REVISIT_COMPLAINT_FOLLOW_UP_REMINDER_WAIT", "1d"},
      {"REVISIT_COMPLAINT_EXECUTION_RETRY", "1h"},
  };
  // Quiet hours (21:00-09:00 in the customer's zone) stay on: non-urgent steps may wait
  // for the morning, the apology does not.
  o.service_env[Svc::kOutreach] = {{"REVISIT_OUTREACH_RULES", "complaint_follow_up.delay=12h"},
                                   {"REVISIT_OUTREACH_CAP", "10"}};
  return o;
}

class DeskTest : public testing::SharedStack<DeskTest> {
 public:
  static StackOptions SuiteOptions() { return DeskStackOptions(); }

 protected:
  cv1::Complaint Complaint() {
    cv1::GetComplaintRequest req;
    req.set_complaint_id(complaint_id_);
    cv1::GetComplaintResponse resp;
    auto ctx = Ctx();
    if (!stack().complaint().GetComplaint(ctx.get(), req, &resp).ok()) return cv1::Complaint();
    return resp.complaint();
  }
  std::vector<uv1::Touch> Touches() {
    uv1::ListTouchesRequest req;
    req.set_customer_id(customer_id_);
    req.mutable_page()->set_page_size(200);
    uv1::ListTouchesResponse resp;
    auto ctx = Ctx();
    if (!stack().outreach().ListTouches(ctx.get(), req, &resp).ok()) return {};
    return {resp.touches().begin(), resp.touches().end()};
  }
  // Waits until the customer has received a touch of `trigger` about the complaint;
  // its text in `message` when given.
  absl::Status Received(uv1::Trigger trigger, const std::string& what, std::string* message = nullptr) {
    return Eventually(absl::StrCat("the customer receives ", what), [&] {
      for (const auto& t : Touches()) {
        if (t.trigger() == trigger && t.state() == uv1::TOUCH_STATE_SENT &&
            t.source_id().rfind(complaint_id_, 0) == 0) {
          if (message) *message = t.message();
          return true;
        }
      }
      return false;
    });
  }
  absl::Status Await(const std::string& what, const std::function<bool(const cv1::Complaint&)>& pred) {
    return Eventually(what, [&] { return pred(Complaint()); });
  }

  void DeliveredOrder();
  void OpenOnFridayEvening();

  std::string customer_id_, order_id_, line_id_, complaint_id_;
  int64_t total_minor_ = 0;
};

void DeskTest::DeliveredOrder() {
  testing::CustomerSeed customer("desk");
  customer.name = "李娜";
  customer.time_zone = "Asia/Shanghai";
  customer.consents = {common1::CHANNEL_SMS, common1::CHANNEL_APP_PUSH};
  absl::StatusOr<std::string> id = testing::SeedCustomer(stack(), customer);
  ASSERT_TRUE(id.ok()) << id.status();
  customer_id_ = *id;
  testing::OrderSeed order("desk");
  order.lines = {{"TEAPOT-1", "紫砂壶", "茶具", 1, 26800}};
  order.recipient = "李娜";
  order.province = "江苏省";
  order.city = "无锡市";
  order.district = "宜兴市";
  order.street = "丁蜀镇 1号";
  order.payment_reference = "alipay-desk";
  order.tracking_number = "SF-DESK-1";
  // Delivered, and known as delivered to the complaint service (its projection).
  absl::StatusOr<ov1::Order> delivered = testing::SeedDeliveredOrder(stack(), customer_id_, order);
  ASSERT_TRUE(delivered.ok()) << delivered.status();
  order_id_ = delivered->order_id();
  line_id_ = delivered->lines(0).line_id();
  total_minor_ = delivered->total().amount_minor();
}

void DeskTest::OpenOnFridayEvening() {
  const absl::Time friday_evening = InShanghai(2026, 9, 18, 19, 0);
  ASSERT_LT(stack().DomainNow(), friday_evening) << "the set-up ran past Friday evening in domain time";
  ASSERT_TRUE(Eventually("Friday 19:00 in Shanghai (domain time)",
                         [&] { return stack().DomainNow() >= friday_evening; }).ok());
  cv1::OpenComplaintRequest req;
  req.set_request_id("desk-open");
  *req.mutable_actor() = Actor("staff-7", "agent");
  req.set_customer_id(customer_id_);
  req.set_order_id(order_id_);
  req.add_line_ids(line_id_);
  req.set_stated_cause(cv1::CAUSE_QUALITY_DEFECT);
  req.set_account("the lid of the teapot cracked the first time hot water went in");
  req.set_channel(common1::CHANNEL_SMS);
  cv1::OpenComplaintResponse resp;
  ASSERT_TRUE(Call("OpenComplaint", [&](auto* ctx) { return stack().complaint().OpenComplaint(ctx, req, &resp); }).ok());
  const cv1::Complaint& c = resp.complaint();
  complaint_id_ = c.complaint_id();
  const absl::Time opened = FromProto(c.opened_at());
  const absl::CivilSecond local = absl::ToCivilSecond(opened, Shanghai());
  std::cerr << "[desk] complaint " << complaint_id_ << " opened " << absl::FormatTime(opened, Shanghai()) << std::endl;
  ASSERT_EQ(absl::GetWeekday(local), absl::Weekday::friday) << "opened on a Friday evening, after closing";
  ASSERT_GE(local.hour(), 19);
  // C1: never later than 24 elapsed hours, whatever the opening hours.
  for (const auto& d : c.deadlines()) {
    if (d.name() == "first_response") {
      EXPECT_LE(FromProto(d.due_at()), opened + absl::Hours(24));
    }
    // One business day: Saturday is closed, Sunday 2026-09-20 is a make-up working day
    // (调休): due at its close, not Monday's.
    if (d.name() == "resolution") {
      EXPECT_EQ(FromProto(d.due_at()), InShanghai(2026, 9, 20, 18, 0))
          << absl::FormatTime(FromProto(d.due_at()), Shanghai());
    }
  }
}

TEST_F(DeskTest, FridayEveningBeforeAMakeUpSundayEveryStepReachesTheCustomerOnce) {
  ASSERT_NO_FATAL_FAILURE(DeliveredOrder());
  ASSERT_NO_FATAL_FAILURE(OpenOnFridayEvening());
  // Assigned to an agent of the care team.
  cv1::AssignComplaintRequest assign;
  assign.set_request_id("desk-assign");
  *assign.mutable_actor() = Actor("lead-1", "supervisor");
  assign.set_complaint_id(complaint_id_);
  assign.set_agent_id("staff-7");
  assign.set_team("care");
  cv1::AssignComplaintResponse assigned;
  ASSERT_TRUE(Call("AssignComplaint", [&](auto* ctx) { return stack().complaint().AssignComplaint(ctx, assign, &assigned); }).ok());
  EXPECT_EQ(assigned.complaint().assignee(), "staff-7");
  // Acknowledged with an apology (C2, C3): the customer receives it at once.
  cv1::AcknowledgeComplaintRequest ack;
  ack.set_request_id("desk-ack");
  *ack.mutable_actor() = Actor("staff-7", "agent");
  ack.set_complaint_id(complaint_id_);
  ack.set_restatement("the lid cracked with the first hot water");
  ack.set_restatement_confirmed(true);
  ack.set_apology("紫砂壶让您失望了，真的很抱歉");
  cv1::AcknowledgeComplaintResponse acked;
  ASSERT_TRUE(Call("AcknowledgeComplaint", [&](auto* ctx) { return stack().complaint().AcknowledgeComplaint(ctx, ack, &acked); }).ok());
  std::string apology;
  ASSERT_TRUE(Received(uv1::TRIGGER_COMPLAINT_ACKNOWLEDGED, "the acknowledgement and apology (C3)", &apology).ok());
  // R10: the operator's zh-CN template (the customer has no locale), with the product,
  // the complaint and the agent's apology, is what went to the channel.
  EXPECT_EQ(apology, absl::StrCat("我们已收到您关于紫砂壶的投诉（", complaint_id_,
                                  "），非常抱歉。紫砂壶让您失望了，真的很抱歉。我们正在处理，每一步都会及时告知您。"));
  cv1::StartInvestigationRequest inv;
  inv.set_request_id("desk-investigate");
  *inv.mutable_actor() = Actor("staff-7", "agent");
  inv.set_complaint_id(complaint_id_);
  cv1::StartInvestigationResponse invr;
  ASSERT_TRUE(Call("StartInvestigation", [&](auto* ctx) { return stack().complaint().StartInvestigation(ctx, inv, &invr); }).ok());
  cv1::DetermineCauseRequest cause;
  cause.set_request_id("desk-cause");
  *cause.mutable_actor() = Actor("staff-7", "agent");
  cause.set_complaint_id(complaint_id_);
  cause.set_cause(cv1::CAUSE_QUALITY_DEFECT);
  cause.set_note("clay fired too thin at the lid");
  cv1::DetermineCauseResponse causer;
  ASSERT_TRUE(Call("DetermineCause", [&](auto* ctx) { return stack().complaint().DetermineCause(ctx, cause, &causer); }).ok());

  // The make-up Sunday closes without a resolution: breach, supervisor queue (C1, C7).
  ASSERT_TRUE(Await("resolution breached, in the supervisor queue",
                    [](const cv1::Complaint& c) { return c.sla_breached() && c.in_supervisor_queue(); }).ok());
  cv1::ListQueueRequest queue;
  queue.set_supervisor(true);
  cv1::ListQueueResponse listed;
  ASSERT_TRUE(Call("ListQueue", [&](auto* ctx) { return stack().complaint().ListQueue(ctx, queue, &listed); }).ok());
  bool queued = false;
  for (const auto& c : listed.complaints()) queued |= c.complaint_id() == complaint_id_;
  EXPECT_TRUE(queued) << "the breached complaint is in the supervisor queue";
  cv1::TakeComplaintRequest take;
  take.set_request_id("desk-take");
  *take.mutable_actor() = Actor("lead-1", "supervisor");
  take.set_complaint_id(complaint_id_);
  cv1::TakeComplaintResponse taken;
  ASSERT_TRUE(Call("TakeComplaint", [&](auto* ctx) { return stack().complaint().TakeComplaint(ctx, take, &taken); }).ok());
  EXPECT_EQ(taken.complaint().escalation_taken_by(), "lead-1");
  EXPECT_FALSE(taken.complaint().in_supervisor_queue());

  // Choices offered (C6): the clock waits on the customer, who hears the choices.
  cv1::ProposeRemediesRequest propose;
  propose.set_request_id("desk-propose");
  *propose.mutable_actor() = Actor("lead-1", "supervisor");
  propose.set_complaint_id(complaint_id_);
  auto* refund = propose.add_remedies();
  refund->set_kind(cv1::REMEDY_KIND_PARTIAL_REFUND);
  *refund->mutable_amount() = Cny(2000);
  refund->add_line_ids(line_id_);
  auto* exchange = propose.add_remedies();
  exchange->set_kind(cv1::REMEDY_KIND_EXCHANGE);
  exchange->add_line_ids(line_id_);
  cv1::ProposeRemediesResponse proposed;
  ASSERT_TRUE(Call("ProposeRemedies", [&](auto* ctx) { return stack().complaint().ProposeRemedies(ctx, propose, &proposed); }).ok());
  EXPECT_EQ(proposed.complaint().state(), cv1::COMPLAINT_STATE_RESOLUTION_PROPOSED);
  EXPECT_EQ(proposed.complaint().sla_pause().reason(), cv1::SLA_PAUSE_REASON_WAITING_ON_CUSTOMER)
      << "the clock is paused until the customer chooses";
  ASSERT_TRUE(Received(uv1::TRIGGER_COMPLAINT_REMEDIES, "the choices (C6)").ok());

  // The customer wants more and goes to the platform (C12).
  cv1::EscalateComplaintRequest esc;
  esc.set_request_id("desk-escalate");
  *esc.mutable_actor() = Actor(customer_id_, "customer");
  esc.set_complaint_id(complaint_id_);
  esc.set_reason("a cracked teapot deserves more than 20 yuan");
  esc.add_evidence_refs("photo-lid-crack");
  cv1::EscalateComplaintResponse escalated;
  ASSERT_TRUE(Call("EscalateComplaint", [&](auto* ctx) { return stack().complaint().EscalateComplaint(ctx, esc, &escalated); }).ok());
  EXPECT_EQ(escalated.complaint().sla_pause().reason(), cv1::SLA_PAUSE_REASON_WAITING_ON_PLATFORM);

  // The platform rules a refund: carried out without another call (C12, C9).
  cv1::RecordPlatformRulingRequest ruling;
  ruling.set_request_id("desk-ruling");
  *ruling.mutable_actor() = Actor("tmall-arbitration", "platform");
  ruling.set_complaint_id(complaint_id_);
  ruling.set_ruling("the shop refunds 30 yuan for the defect");
  ruling.mutable_remedy()->set_kind(cv1::REMEDY_KIND_PARTIAL_REFUND);
  *ruling.mutable_remedy()->mutable_amount() = Cny(kRulingRefundMinor);
  cv1::RecordPlatformRulingResponse ruled;
  ASSERT_TRUE(Call("RecordPlatformRuling", [&](auto* ctx) { return stack().complaint().RecordPlatformRuling(ctx, ruling, &ruled); }).ok());
  ASSERT_TRUE(Await("resolved without ResolveComplaint (C12)",
                    [](const cv1::Complaint& c) { return c.state() >= cv1::COMPLAINT_STATE_RESOLVED; }).ok());
  ov1::GetOrderRequest get;
  get.set_order_id(order_id_);
  ov1::GetOrderResponse order;
  ASSERT_TRUE(Call("GetOrder", [&](auto* ctx) { return stack().order().GetOrder(ctx, get, &order); }).ok());
  EXPECT_EQ(order.order().refunded().amount_minor(), kRulingRefundMinor) << "refunded once, by the ruling";
  ASSERT_TRUE(Received(uv1::TRIGGER_COMPLAINT_RULING, "the platform's ruling (C12)").ok());
  ASSERT_TRUE(Received(uv1::TRIGGER_COMPLAINT_REMEDY_DONE, "that the refund was sent (C9)").ok());

  // The follow-up goes unanswered: one reminder, then closed as no answer (C10).
  ASSERT_TRUE(Received(uv1::TRIGGER_COMPLAINT_FOLLOW_UP, "the follow-up (C10)").ok());
  ASSERT_TRUE(Await("closed as followed up, no answer (C10)", [](const cv1::Complaint& c) {
    return c.state() == cv1::COMPLAINT_STATE_CLOSED;
  }).ok());
  const cv1::Complaint closed = Complaint();
  EXPECT_EQ(closed.closure_reason(), cv1::CLOSURE_REASON_FOLLOW_UP_NO_ANSWER);

  // Every customer-visible step, exactly once.
  std::map<uv1::Trigger, int> sent;
  std::set<std::string> ids;
  const std::vector<uv1::Touch> touches = Touches();
  for (const auto& t : touches) {
    EXPECT_TRUE(ids.insert(t.touch_id()).second) << "listed twice: " << t.touch_id();
    if (t.source_id().rfind(complaint_id_, 0) != 0) continue;
    EXPECT_EQ(t.state(), uv1::TOUCH_STATE_SENT) << t.DebugString();
    EXPECT_TRUE(t.transactional()) << t.DebugString();
    ++sent[t.trigger()];
    std::cerr << "[desk] " << uv1::Trigger_Name(t.trigger()) << " sent "
              << absl::FormatTime(FromProto(t.sent_at()), Shanghai()) << ": " << t.message() << std::endl;
  }
  EXPECT_EQ(sent.size(), 5u) << "no other kind of complaint touch (no refusal, no update)";
  EXPECT_EQ(sent[uv1::TRIGGER_COMPLAINT_ACKNOWLEDGED], 1);
  EXPECT_EQ(sent[uv1::TRIGGER_COMPLAINT_REMEDIES], 1);
  EXPECT_EQ(sent[uv1::TRIGGER_COMPLAINT_RULING], 1);
  EXPECT_EQ(sent[uv1::TRIGGER_COMPLAINT_REMEDY_DONE], 1);
  EXPECT_EQ(sent[uv1::TRIGGER_COMPLAINT_FOLLOW_UP], 2) << "the follow-up and its one reminder";
}

}  // namespace
}  // namespace revisit::e2e
