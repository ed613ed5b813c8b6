// The complaint service in-process (ComplaintServiceImpl) against a real
// redis-server, with a ManualClock and a fake remedy executor: durable SLA timers
// fire at the right moment and survive a restart (C1, C7), the execution retry
// timer finishes a failed execution exactly once (C9), consumed events take effect
// once (inbox) and feed the projection, the follow-up (C10) and priority (C16).
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <memory>

#include "absl/strings/str_cat.h"
#include "common/clock.h"
#include "common/event_envelope.h"
#include "common/outbox.h"
#include "common/redis_client.h"
#include "common/timer_queue.h"
#include "revisit/loyalty/v1/events.pb.h"
#include "revisit/order/v1/events.pb.h"
#include "revisit/outreach/v1/events.pb.h"
#include "services/complaint/edge/complaint_service.h"
#include "services/complaint/store/complaint_store.h"
#include "services/complaint/domain/decide.h"
#include "common/proto_time.h"
#include "tests/harness/redis_server.h"

namespace revisit::complaint {
namespace {

constexpr char kCustomer[] = "cus-05-00000000000000c1";
constexpr char kOrder[] = "ord-05-00000000000000d1";

// Fails the first `failures` executions, then succeeds; counts effective executions.
class FakeExecutor : public RemedyExecutor {
 public:
  absl::Status Execute(const ExecutionPlan& plan) override {
    ++calls;
    if (failures > 0) {
      --failures;
      return absl::UnavailableError("order service down");
    }
    if (plan.refund) keys.push_back(plan.refund->request_id());
    return absl::OkStatus();
  }
  std::atomic<int> calls{0};
  int failures = 0;
  std::vector<std::string> keys;
};

common::v1::Actor Agent() {
  common::v1::Actor a;
  a.set_id("staff-9");
  a.set_role("agent");
  return a;
}

class ComplaintServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto redis = testing::RedisServer::Start();
    ASSERT_TRUE(redis.ok()) << redis.status();
    server_ = *std::move(redis);
    auto opts = ParseRedisAddress(server_->Address());
    ASSERT_TRUE(opts.ok());
    redis_ = std::make_unique<RedisClient>(*opts);
    config_.idempotency_ttl = absl::Hours(24);
    config_.policies.execution_retry = absl::Seconds(30);
    config_.policies.authority = *AuthorityPolicy::Parse("agent=20000/2000");
    Restart();
  }

  // A fresh service and timer scheduler over the same Redis: a process restart.
  void Restart() {
    timers_.reset();
    service_ = std::make_unique<ComplaintServiceImpl>(config_, *redis_, clock_, executor_);
    TimerSchedulerOptions o;
    o.service = "complaint";
    timers_ = std::make_unique<TimerScheduler>(*redis_, clock_, o,
                                               [this](const DueTimer& t) { return service_->HandleTimer(t); });
  }

  int FireTimers() {
    auto n = timers_->RunOnce();
    EXPECT_TRUE(n.ok()) << n.status();
    return n.ok() ? *n : -1;
  }

  EventEnvelope Event(const std::string& id, const std::string& type, int64_t seq,
                      const google::protobuf::Message& payload) {
    EventEnvelope e;
    e.id = id;
    e.type = type;
    e.sequence = seq;
    e.key = kCustomer;
    e.payload = payload.SerializeAsString();
    return e;
  }

  // The order, delivered 2 days ago, through the consumer.
  void Delivered() {
    order::v1::OrderDelivered ev;
    auto* f = ev.mutable_order();
    f->set_order_id(kOrder);
    f->set_customer_id(kCustomer);
    f->set_state(order::v1::ORDER_STATE_DELIVERED);
    auto* l = f->add_lines();
    l->set_line_id("1");
    l->set_sku("TEA-1");
    l->set_category("food");
    l->set_quantity(1);
    l->mutable_unit_price()->set_amount_minor(10000);
    l->mutable_unit_price()->set_currency("CNY");
    f->mutable_paid()->set_amount_minor(10000);
    f->mutable_paid()->set_currency("CNY");
    *f->mutable_delivered_at() = ToProto(clock_.Now() - absl::Hours(48));
    ASSERT_TRUE(service_->HandleEvent(Event("evt-delivered", "revisit.order.delivered.v1", 4, ev)).ok());
  }

  v1::Complaint Open(const std::string& rid) {
    v1::OpenComplaintRequest req;
    req.set_request_id(rid);
    *req.mutable_actor() = Agent();
    req.set_customer_id(kCustomer);
    req.set_order_id(kOrder);
    req.set_stated_cause(v1::CAUSE_QUALITY_DEFECT);
    req.set_account("the tea tin arrived dented and leaking");
    v1::OpenComplaintResponse resp;
    grpc::Status st = service_->OpenComplaint(kNoServerContext, &req, &resp);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return resp.complaint();
  }

  v1::Complaint Get(const std::string& id) {
    v1::GetComplaintRequest req;
    req.set_complaint_id(id);
    v1::GetComplaintResponse resp;
    EXPECT_TRUE(service_->GetComplaint(kNoServerContext, &req, &resp).ok());
    return resp.complaint();
  }

  // Event types in the complaint outbox of the customer's shard, in order.
  std::vector<std::string> OutboxTypes() {
    auto r = redis_->Command({"XRANGE", OutboxStream("complaint", 5), "-", "+"});
    EXPECT_TRUE(r.ok());
    std::vector<std::string> types;
    for (const auto& entry : r->elements) {
      auto env = FromOutboxFields(entry.elements[1].elements);
      EXPECT_TRUE(env.ok()) << env.status();
      if (env.ok()) types.push_back(env->type.substr(std::string("revisit.complaint.").size()));
    }
    return types;
  }

  // Takes `id` to RESOLUTION_ACCEPTED with a partial refund of 30.00.
  void Accept(const std::string& id) {
    v1::AcknowledgeComplaintRequest ack;
    ack.set_request_id("ack");
    *ack.mutable_actor() = Agent();
    ack.set_complaint_id(id);
    ack.set_restatement("tin dented, tea leaking");
    ack.set_restatement_confirmed(true);
    ack.set_apology("sorry");
    v1::AcknowledgeComplaintResponse a;
    ASSERT_TRUE(service_->AcknowledgeComplaint(kNoServerContext, &ack, &a).ok());
    v1::StartInvestigationRequest inv;
    inv.set_request_id("inv");
    *inv.mutable_actor() = Agent();
    inv.set_complaint_id(id);
    v1::StartInvestigationResponse i;
    ASSERT_TRUE(service_->StartInvestigation(kNoServerContext, &inv, &i).ok());
    v1::DetermineCauseRequest dc;
    dc.set_request_id("cause");
    *dc.mutable_actor() = Agent();
    dc.set_complaint_id(id);
    dc.set_cause(v1::CAUSE_TRANSIT_DAMAGE);
    v1::DetermineCauseResponse d;
    ASSERT_TRUE(service_->DetermineCause(kNoServerContext, &dc, &d).ok());
    v1::ProposeRemediesRequest p;
    p.set_request_id("propose");
    *p.mutable_actor() = Agent();
    p.set_complaint_id(id);
    auto* r = p.add_remedies();
    r->set_kind(v1::REMEDY_KIND_PARTIAL_REFUND);
    r->mutable_amount()->set_amount_minor(3000);
    r->mutable_amount()->set_currency("CNY");
    v1::ProposeRemediesResponse pr;
    grpc::Status st = service_->ProposeRemedies(kNoServerContext, &p, &pr);
    ASSERT_TRUE(st.ok()) << st.error_message();
    v1::AcceptRemedyRequest acc;
    acc.set_request_id("accept");
    *acc.mutable_actor() = Agent();
    acc.set_complaint_id(id);
    acc.set_remedy_id("r1");
    v1::AcceptRemedyResponse ar;
    ASSERT_TRUE(service_->AcceptRemedy(kNoServerContext, &acc, &ar).ok());
  }

  std::unique_ptr<testing::RedisServer> server_;
  std::unique_ptr<RedisClient> redis_;
  ManualClock clock_;
  ComplaintConfig config_;
  FakeExecutor executor_;
  std::unique_ptr<ComplaintServiceImpl> service_;
  std::unique_ptr<TimerScheduler> timers_;
};

TEST_F(ComplaintServiceTest, C1_FirstResponseBreachFiresAtTheDeadlineAndSurvivesARestart) {
  ASSERT_NO_FATAL_FAILURE(Delivered());
  v1::Complaint c = Open("open-1");
  ASSERT_EQ(c.priority(), v1::PRIORITY_NORMAL);
  clock_.Advance(absl::Hours(24) - absl::Milliseconds(1));
  EXPECT_EQ(FireTimers(), 0);
  EXPECT_FALSE(Get(c.complaint_id()).sla_breached());
  Restart();  // the timer lives in Redis, not in the process
  clock_.Advance(absl::Milliseconds(1));
  EXPECT_EQ(FireTimers(), 1);
  v1::Complaint b = Get(c.complaint_id());
  EXPECT_TRUE(b.sla_breached());
  EXPECT_EQ(b.state(), v1::COMPLAINT_STATE_OPENED);
  EXPECT_EQ(b.priority(), v1::PRIORITY_HIGH);
  EXPECT_NE(b.escalation_reason().find("first_response"), std::string::npos);
  EXPECT_EQ(OutboxTypes(), (std::vector<std::string>{"opened.v1", "sla_breached.v1", "escalated.v1"}));
  // Listed as breached.
  v1::ListComplaintsRequest list;
  list.set_sla(v1::SLA_FILTER_BREACHED);
  v1::ListComplaintsResponse listed;
  ASSERT_TRUE(service_->ListComplaints(kNoServerContext, &list, &listed).ok());
  ASSERT_EQ(listed.complaints_size(), 1);
  // Never fires twice.
  clock_.Advance(absl::Hours(1));
  FireTimers();
  EXPECT_EQ(OutboxTypes().size(), 3u);
}

TEST_F(ComplaintServiceTest, C1_AcknowledgedInTimeNeverBreaches) {
  ASSERT_NO_FATAL_FAILURE(Delivered());
  v1::Complaint c = Open("open-1");
  v1::AcknowledgeComplaintRequest ack;
  ack.set_request_id("ack");
  *ack.mutable_actor() = Agent();
  ack.set_complaint_id(c.complaint_id());
  ack.set_restatement("r");
  ack.set_restatement_confirmed(true);
  ack.set_apology("sorry");
  v1::AcknowledgeComplaintResponse a;
  ASSERT_TRUE(service_->AcknowledgeComplaint(kNoServerContext, &ack, &a).ok());
  clock_.Advance(absl::Hours(25));
  FireTimers();
  EXPECT_FALSE(Get(c.complaint_id()).sla_breached());
  // At risk: the 7-day resolution target is not within 2 h yet.
  v1::ListComplaintsRequest list;
  list.set_sla(v1::SLA_FILTER_AT_RISK);
  v1::ListComplaintsResponse listed;
  ASSERT_TRUE(service_->ListComplaints(kNoServerContext, &list, &listed).ok());
  EXPECT_EQ(listed.complaints_size(), 0);
  clock_.Advance(absl::Hours(24 * 6 - 25 + 23));
  listed.Clear();
  ASSERT_TRUE(service_->ListComplaints(kNoServerContext, &list, &listed).ok());
  EXPECT_EQ(listed.complaints_size(), 1);
}

TEST_F(ComplaintServiceTest, C9_FailedExecutionRetriedByDurableTimerUntilDoneAndNeverTwice) {
  ASSERT_NO_FATAL_FAILURE(Delivered());
  const std::string id = Open("open-1").complaint_id();
  ASSERT_NO_FATAL_FAILURE(Accept(id));
  executor_.failures = 2;
  v1::ResolveComplaintRequest req;
  req.set_request_id("resolve");
  *req.mutable_actor() = Agent();
  req.set_complaint_id(id);
  v1::ResolveComplaintResponse resp;
  ASSERT_TRUE(service_->ResolveComplaint(kNoServerContext, &req, &resp).ok());
  EXPECT_EQ(resp.complaint().state(), v1::COMPLAINT_STATE_EXECUTING);
  EXPECT_NE(resp.complaint().execution_error().find("order service down"), std::string::npos);
  Restart();
  clock_.Advance(absl::Seconds(30));
  // Fails again: the commit re-schedules the retry 30 s later, which is exactly the
  // score the scheduler's 30 s lease gave the claimed timer; the release keeps it.
  EXPECT_EQ(FireTimers(), 1);
  EXPECT_EQ(Get(id).state(), v1::COMPLAINT_STATE_EXECUTING);
  const std::string exec_timer = ExecutionTimerId(id);
  auto score = redis_->Command({"ZSCORE", TimerSetKey("complaint", CustomerShard(kCustomer)), exec_timer});
  ASSERT_TRUE(score.ok()) << score.status();
  EXPECT_EQ(score->str, std::to_string(TimerScore(clock_.Now() + absl::Seconds(30))));
  clock_.Advance(absl::Seconds(30) - absl::Milliseconds(1));
  EXPECT_EQ(FireTimers(), 0);  // not yet due
  clock_.Advance(absl::Milliseconds(1));
  EXPECT_EQ(FireTimers(), 1);  // succeeds
  v1::Complaint done = Get(id);
  EXPECT_EQ(done.state(), v1::COMPLAINT_STATE_RESOLVED);
  EXPECT_TRUE(done.execution_error().empty());
  ASSERT_EQ(executor_.keys.size(), 1u);
  EXPECT_EQ(executor_.keys[0], id + ":r1:exec");
  // Nothing more to do: no exec timer left, a repeat does not execute again.
  clock_.Advance(absl::Hours(1));
  FireTimers();
  ASSERT_TRUE(service_->ResolveComplaint(kNoServerContext, &req, &resp).ok());
  EXPECT_EQ(resp.complaint().state(), v1::COMPLAINT_STATE_RESOLVED);
  EXPECT_EQ(executor_.calls.load(), 3);
  auto types = OutboxTypes();
  EXPECT_EQ(std::count(types.begin(), types.end(), "resolved.v1"), 1);
}

TEST_F(ComplaintServiceTest, C10_FollowUpFromOutreachRecordedOnceAndCloses) {
  ASSERT_NO_FATAL_FAILURE(Delivered());
  const std::string id = Open("open-1").complaint_id();
  ASSERT_NO_FATAL_FAILURE(Accept(id));
  v1::ResolveComplaintRequest req;
  req.set_request_id("resolve");
  *req.mutable_actor() = Agent();
  req.set_complaint_id(id);
  v1::ResolveComplaintResponse resp;
  ASSERT_TRUE(service_->ResolveComplaint(kNoServerContext, &req, &resp).ok());
  ASSERT_EQ(resp.complaint().state(), v1::COMPLAINT_STATE_RESOLVED);
  outreach::v1::FollowUpRecorded ev;
  ev.mutable_touch()->set_touch_id("tch-1");
  ev.set_complaint_id(id);
  ev.mutable_feedback()->set_rating(4);
  ev.mutable_feedback()->set_comment("thanks for the quick refund");
  auto env = Event("evt-fu", "revisit.outreach.follow_up_recorded.v1", 1, ev);
  ASSERT_TRUE(service_->HandleEvent(env).ok());
  ASSERT_TRUE(service_->HandleEvent(env).ok());  // redelivery
  v1::Complaint c = Get(id);
  EXPECT_EQ(c.state(), v1::COMPLAINT_STATE_CLOSED);  // C10: closes in the same commit
  EXPECT_EQ(c.follow_up().satisfaction(), 4);
  EXPECT_EQ(c.follow_up().touch_id(), "tch-1");
  const v1::Transition& last = c.history(c.history_size() - 1);
  EXPECT_EQ(last.actor().id(), "outreach-service");
  EXPECT_EQ(last.reason(), "follow-up recorded, satisfaction 4: closed (C10)");
  auto types = OutboxTypes();
  EXPECT_EQ(std::count(types.begin(), types.end(), "follow_up_recorded.v1"), 1);
  EXPECT_EQ(std::count(types.begin(), types.end(), "closed.v1"), 1);
  // The follow-up deadline was met: it never breaches.
  clock_.Advance(absl::Hours(24 * 8));
  FireTimers();
  EXPECT_FALSE(Get(id).sla_breached());
}

TEST_F(ComplaintServiceTest, C10_SilentCustomerIsRemindedOnceThenClosedAsNoAnswerNeverBreached) {
  config_.policies.follow_up_within = absl::Hours(24 * 7);
  config_.policies.follow_up_reminder_wait = absl::Hours(24 * 3);
  ASSERT_NO_FATAL_FAILURE(Delivered());
  const std::string id = Open("open-1").complaint_id();
  ASSERT_NO_FATAL_FAILURE(Accept(id));
  v1::ResolveComplaintRequest req;
  req.set_request_id("resolve");
  *req.mutable_actor() = Agent();
  req.set_complaint_id(id);
  v1::ResolveComplaintResponse resp;
  ASSERT_TRUE(service_->ResolveComplaint(kNoServerContext, &req, &resp).ok());
  ASSERT_EQ(resp.complaint().state(), v1::COMPLAINT_STATE_RESOLVED);

  clock_.Advance(absl::Hours(24 * 7) - absl::Milliseconds(1));
  FireTimers();
  const auto before = OutboxTypes();
  EXPECT_EQ(std::count(before.begin(), before.end(), "follow_up_reminder_due.v1"), 0);
  clock_.Advance(absl::Milliseconds(2));
  FireTimers();
  v1::Complaint c = Get(id);
  EXPECT_EQ(c.state(), v1::COMPLAINT_STATE_RESOLVED);
  EXPECT_FALSE(c.sla_breached()) << "the customer's silence is not the shop's breach (C10)";
  ASSERT_NE(FindDeadline(c, kFollowUpReminder), nullptr);

  Restart();  // the reminder window's timer is durable
  clock_.Advance(absl::Hours(24 * 3));
  FireTimers();
  FireTimers();
  c = Get(id);
  EXPECT_EQ(c.state(), v1::COMPLAINT_STATE_CLOSED);
  EXPECT_EQ(c.closure_reason(), v1::CLOSURE_REASON_FOLLOW_UP_NO_ANSWER);
  EXPECT_FALSE(c.sla_breached());
  EXPECT_EQ(c.history(c.history_size() - 1).reason(), "followed up, no answer: closed (C10)");
  const auto types = OutboxTypes();
  EXPECT_EQ(std::count(types.begin(), types.end(), "follow_up_reminder_due.v1"), 1);
  EXPECT_EQ(std::count(types.begin(), types.end(), "closed.v1"), 1);
  EXPECT_EQ(std::count(types.begin(), types.end(), "sla_breached.v1"), 0);
  EXPECT_EQ(std::count(types.begin(), types.end(), "escalated.v1"), 0);

  // A late answer to the follow-up changes nothing on the closed complaint.
  outreach::v1::FollowUpRecorded ev;
  ev.mutable_touch()->set_touch_id("tch-late");
  ev.set_complaint_id(id);
  ev.mutable_feedback()->set_rating(2);
  ASSERT_TRUE(service_->HandleEvent(Event("evt-late", "revisit.outreach.follow_up_recorded.v1", 1, ev)).ok());
  EXPECT_EQ(Get(id).state(), v1::COMPLAINT_STATE_CLOSED);
  clock_.Advance(absl::Hours(24 * 30));
  EXPECT_EQ(FireTimers(), 0);
}

TEST_F(ComplaintServiceTest, R11_ALowRatingOnAGreetingOpensAComplaintWithoutAnOrderOnce) {
  // What outreach sends for a low rating on a touch without an order (R11).
  v1::OpenComplaintRequest req;
  req.set_request_id("tch-05-00000000000000aa:complaint");
  req.mutable_actor()->set_id("outreach");
  req.mutable_actor()->set_role("system");
  req.set_customer_id(kCustomer);
  req.set_stated_cause(v1::CAUSE_EXPECTATION_GAP);
  req.set_account("Rated 1/5 in reply to \"Happy Spring Festival\": too pushy");
  req.set_source_touch_id("tch-05-00000000000000aa");
  v1::OpenComplaintResponse first, again;
  grpc::Status st = service_->OpenComplaint(kNoServerContext, &req, &first);
  ASSERT_TRUE(st.ok()) << st.error_message();
  ASSERT_TRUE(service_->OpenComplaint(kNoServerContext, &req, &again).ok());  // outreach's retry
  EXPECT_EQ(first.complaint().complaint_id(), again.complaint().complaint_id());
  const std::string id = first.complaint().complaint_id();
  const auto types = OutboxTypes();
  EXPECT_EQ(std::count(types.begin(), types.end(), "opened.v1"), 1);
  v1::Complaint c = Get(id);
  EXPECT_TRUE(c.order_id().empty());
  EXPECT_EQ(c.source_touch_id(), "tch-05-00000000000000aa");
  // A product complaint still needs its order.
  req.set_request_id("other");
  req.set_stated_cause(v1::CAUSE_QUALITY_DEFECT);
  v1::OpenComplaintResponse refused;
  st = service_->OpenComplaint(kNoServerContext, &req, &refused);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(st.error_message().find("order_id"), std::string::npos) << st.error_message();

  // Handled to the end with a remedy that needs no order (C6, C9).
  v1::AcknowledgeComplaintRequest ack;
  ack.set_request_id("ack-g");
  *ack.mutable_actor() = Agent();
  ack.set_complaint_id(id);
  ack.set_restatement("the greeting felt pushy");
  ack.set_restatement_confirmed(true);
  ack.set_apology("sorry");
  v1::AcknowledgeComplaintResponse a;
  ASSERT_TRUE(service_->AcknowledgeComplaint(kNoServerContext, &ack, &a).ok());
  v1::StartInvestigationRequest inv;
  inv.set_request_id("inv-g");
  *inv.mutable_actor() = Agent();
  inv.set_complaint_id(id);
  v1::StartInvestigationResponse i;
  ASSERT_TRUE(service_->StartInvestigation(kNoServerContext, &inv, &i).ok());
  v1::DetermineCauseRequest dc;
  dc.set_request_id("cause-g");
  *dc.mutable_actor() = Agent();
  dc.set_complaint_id(id);
  dc.set_cause(v1::CAUSE_STAFF_ATTITUDE);
  v1::DetermineCauseResponse d;
  ASSERT_TRUE(service_->DetermineCause(kNoServerContext, &dc, &d).ok());
  v1::ProposeRemediesRequest p;
  p.set_request_id("propose-refund");
  *p.mutable_actor() = Agent();
  p.set_complaint_id(id);
  p.add_remedies()->set_kind(v1::REMEDY_KIND_FULL_REFUND);
  v1::ProposeRemediesResponse pr;
  EXPECT_EQ(service_->ProposeRemedies(kNoServerContext, &p, &pr).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  p.set_request_id("propose-voucher");
  p.clear_remedies();
  auto* r = p.add_remedies();
  r->set_kind(v1::REMEDY_KIND_VOUCHER);
  r->mutable_amount()->set_amount_minor(1000);
  r->mutable_amount()->set_currency("CNY");
  st = service_->ProposeRemedies(kNoServerContext, &p, &pr);
  ASSERT_TRUE(st.ok()) << st.error_message();
  v1::AcceptRemedyRequest acc;
  acc.set_request_id("accept-g");
  *acc.mutable_actor() = Agent();
  acc.set_complaint_id(id);
  acc.set_remedy_id(pr.complaint().proposals(0).remedy_id());
  v1::AcceptRemedyResponse ar;
  ASSERT_TRUE(service_->AcceptRemedy(kNoServerContext, &acc, &ar).ok());
  v1::ResolveComplaintRequest res;
  res.set_request_id("resolve-g");
  *res.mutable_actor() = Agent();
  res.set_complaint_id(id);
  v1::ResolveComplaintResponse rr;
  st = service_->ResolveComplaint(kNoServerContext, &res, &rr);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(rr.complaint().state(), v1::COMPLAINT_STATE_RESOLVED) << rr.complaint().execution_error();
}

// Queues across shards: customers on shards 01, 07 and 0c.
class QueueTest : public ComplaintServiceTest {
 protected:
  std::string OpenFor(const std::string& customer, v1::Priority priority, const std::string& rid) {
    v1::OpenComplaintRequest req;
    req.set_request_id(rid);
    *req.mutable_actor() = Agent();
    req.set_customer_id(customer);
    req.set_stated_cause(v1::CAUSE_STAFF_ATTITUDE);
    req.set_account("the agent hung up on me");
    req.set_priority(priority);
    v1::OpenComplaintResponse resp;
    grpc::Status st = service_->OpenComplaint(kNoServerContext, &req, &resp);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return resp.complaint().complaint_id();
  }
  void Assign(const std::string& id, const std::string& agent, const std::string& team) {
    v1::AssignComplaintRequest req;
    req.set_request_id("assign-" + id + agent);
    *req.mutable_actor() = Agent();
    req.set_complaint_id(id);
    req.set_agent_id(agent);
    req.set_team(team);
    v1::AssignComplaintResponse resp;
    grpc::Status st = service_->AssignComplaint(kNoServerContext, &req, &resp);
    ASSERT_TRUE(st.ok()) << st.error_message();
  }
  // Every complaint ID of a queue, following the cursor `size` at a time.
  std::vector<std::string> Walk(v1::ListQueueRequest req, int size, int* pages = nullptr) {
    std::vector<std::string> ids;
    req.mutable_page()->set_page_size(size);
    for (int n = 1; n < 50; ++n) {
      v1::ListQueueResponse resp;
      grpc::Status st = service_->ListQueue(kNoServerContext, &req, &resp);
      EXPECT_TRUE(st.ok()) << st.error_message();
      for (const auto& c : resp.complaints()) ids.push_back(c.complaint_id());
      if (pages != nullptr) *pages = n;
      if (resp.page().next_page_token().empty()) break;
      req.mutable_page()->set_page_token(resp.page().next_page_token());
    }
    return ids;
  }
};

TEST_F(QueueTest, QueuesSortedByNextDeadlinePagedByCursorAndBreachLandsWithTheSupervisor) {
  const std::string a = OpenFor("cus-01-00000000000000a1", v1::PRIORITY_NORMAL, "o-a");  // due +24h
  const std::string b = OpenFor("cus-07-00000000000000b1", v1::PRIORITY_URGENT, "o-b");  // due +2h
  const std::string c = OpenFor("cus-0c-00000000000000c1", v1::PRIORITY_HIGH, "o-c");    // due +8h
  clock_.Advance(absl::Hours(1));
  const std::string d = OpenFor("cus-01-00000000000000a2", v1::PRIORITY_NORMAL, "o-d");  // due +25h
  for (const auto& id : {a, b, c}) ASSERT_NO_FATAL_FAILURE(Assign(id, "agent-7", "desk"));
  ASSERT_NO_FATAL_FAILURE(Assign(d, "", "desk"));

  v1::ListQueueRequest agent;
  agent.set_agent_id("agent-7");
  int pages = 0;
  EXPECT_EQ(Walk(agent, 1, &pages), (std::vector<std::string>{b, c, a}));
  EXPECT_EQ(pages, 3);
  v1::ListQueueRequest team;
  team.set_team("desk");
  EXPECT_EQ(Walk(team, 3), (std::vector<std::string>{b, c, a, d}));
  v1::ListQueueRequest unassigned;
  unassigned.set_unassigned(true);
  EXPECT_EQ(Walk(unassigned, 10), std::vector<std::string>{d});
  v1::ListQueueRequest at_risk = team;
  at_risk.set_view(v1::QUEUE_VIEW_AT_RISK);  // within REVISIT_COMPLAINT_AT_RISK (2h)
  EXPECT_EQ(Walk(at_risk, 10), std::vector<std::string>{b});

  // B's first response is breached: it lands in the supervisor queue.
  clock_.Advance(absl::Hours(1));
  FireTimers();
  v1::ListQueueRequest supervisor;
  supervisor.set_supervisor(true);
  EXPECT_EQ(Walk(supervisor, 10), std::vector<std::string>{b});
  v1::ListQueueRequest breached = agent;
  breached.set_view(v1::QUEUE_VIEW_BREACHED);
  EXPECT_EQ(Walk(breached, 10), std::vector<std::string>{b});

  // A supervisor takes it: out of the supervisor queue and agent-7's, recorded.
  v1::TakeComplaintRequest take;
  take.set_request_id("take-b");
  take.mutable_actor()->set_id("sup-1");
  take.mutable_actor()->set_role("supervisor");
  take.set_complaint_id(b);
  v1::TakeComplaintResponse taken;
  config_.policies.authority = *AuthorityPolicy::Parse("agent=20000/2000,supervisor=200000/20000/approve");
  grpc::Status st = service_->TakeComplaint(kNoServerContext, &take, &taken);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(taken.complaint().escalation_taken_by(), "sup-1");
  EXPECT_TRUE(Walk(supervisor, 10).empty());
  EXPECT_EQ(Walk(agent, 2), (std::vector<std::string>{c, a}));
  v1::ListQueueRequest sup_agent;
  sup_agent.set_agent_id("sup-1");
  EXPECT_EQ(Walk(sup_agent, 10), std::vector<std::string>{b});

  // A rejected complaint leaves every queue.
  v1::RejectComplaintRequest rej;
  rej.set_request_id("rej-c");
  *rej.mutable_actor() = Agent();
  rej.set_complaint_id(c);
  rej.set_reason("not something we can change");
  v1::RejectComplaintResponse rr;
  ASSERT_TRUE(service_->RejectComplaint(kNoServerContext, &rej, &rr).ok());
  EXPECT_EQ(Walk(agent, 10), std::vector<std::string>{a});
  EXPECT_EQ(Walk(team, 10), (std::vector<std::string>{b, a, d}));

  // Bad requests name the field.
  v1::ListQueueRequest bad = agent;
  bad.mutable_page()->set_page_token("nonsense");
  v1::ListQueueResponse resp;
  st = service_->ListQueue(kNoServerContext, &bad, &resp);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(st.error_message().find("page.page_token"), std::string::npos);
  st = service_->ListQueue(kNoServerContext, &supervisor, &resp);
  EXPECT_TRUE(st.ok());
  v1::ListQueueRequest none;
  st = service_->ListQueue(kNoServerContext, &none, &resp);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(ComplaintServiceTest, C10_UnhappyFollowUpByRpcReopensOnce) {
  ASSERT_NO_FATAL_FAILURE(Delivered());
  const std::string id = Open("open-1").complaint_id();
  ASSERT_NO_FATAL_FAILURE(Accept(id));
  v1::ResolveComplaintRequest res;
  res.set_request_id("resolve");
  *res.mutable_actor() = Agent();
  res.set_complaint_id(id);
  v1::ResolveComplaintResponse res_resp;
  ASSERT_TRUE(service_->ResolveComplaint(kNoServerContext, &res, &res_resp).ok());
  ASSERT_EQ(res_resp.complaint().state(), v1::COMPLAINT_STATE_RESOLVED);
  v1::RecordFollowUpRequest req;
  req.set_request_id("follow-up");
  *req.mutable_actor() = Agent();
  req.set_complaint_id(id);
  req.mutable_follow_up()->set_satisfaction(1);
  req.mutable_follow_up()->set_comment("the refund never arrived");
  v1::RecordFollowUpResponse first, again;
  ASSERT_TRUE(service_->RecordFollowUp(kNoServerContext, &req, &first).ok());
  ASSERT_TRUE(service_->RecordFollowUp(kNoServerContext, &req, &again).ok());  // a retry
  EXPECT_EQ(first.complaint().state(), v1::COMPLAINT_STATE_REOPENED);
  EXPECT_EQ(again.SerializeAsString(), first.SerializeAsString());
  v1::Complaint c = Get(id);
  EXPECT_EQ(c.state(), v1::COMPLAINT_STATE_REOPENED);
  EXPECT_EQ(c.follow_up().satisfaction(), 1);
  auto types = OutboxTypes();
  EXPECT_EQ(std::count(types.begin(), types.end(), "reopened.v1"), 1);
  EXPECT_EQ(std::count(types.begin(), types.end(), "closed.v1"), 0);
  // C1: the reopened complaint owes a first response again; unanswered, it breaches.
  clock_.Advance(absl::Hours(25));
  FireTimers();
  EXPECT_TRUE(Get(id).sla_breached());
}

TEST_F(ComplaintServiceTest, C10_EachResolutionTakesOnlyItsOwnFollowUpAfterAReopen) {
  ASSERT_NO_FATAL_FAILURE(Delivered());
  const std::string id = Open("open-1").complaint_id();
  ASSERT_NO_FATAL_FAILURE(Accept(id));
  auto resolve = [&](const std::string& rid) {
    v1::ResolveComplaintRequest req;
    req.set_request_id(rid);
    *req.mutable_actor() = Agent();
    req.set_complaint_id(id);
    v1::ResolveComplaintResponse resp;
    ASSERT_TRUE(service_->ResolveComplaint(kNoServerContext, &req, &resp).ok());
    ASSERT_EQ(resp.complaint().state(), v1::COMPLAINT_STATE_RESOLVED);
  };
  // What outreach publishes when the customer answers the follow-up touch of resolution n.
  auto follow_up = [&](const std::string& event_id, int resolution, int rating) {
    outreach::v1::FollowUpRecorded ev;
    ev.mutable_touch()->set_touch_id(absl::StrCat("tch-r", resolution));
    ev.set_complaint_id(id);
    ev.set_resolution(resolution);
    ev.mutable_feedback()->set_rating(rating);
    return Event(event_id, "revisit.outreach.follow_up_recorded.v1", 1, ev);
  };
  ASSERT_NO_FATAL_FAILURE(resolve("resolve-1"));
  ASSERT_TRUE(service_->HandleEvent(follow_up("evt-fu-1", 1, 1)).ok());  // unhappy: reopens
  ASSERT_EQ(Get(id).state(), v1::COMPLAINT_STATE_REOPENED);

  // The handler works it again: an apology (no call needed), resolved a second time.
  v1::StartInvestigationRequest inv;
  inv.set_request_id("inv-2");
  *inv.mutable_actor() = Agent();
  inv.set_complaint_id(id);
  v1::StartInvestigationResponse ir;
  ASSERT_TRUE(service_->StartInvestigation(kNoServerContext, &inv, &ir).ok());
  v1::ProposeRemediesRequest p;
  p.set_request_id("propose-2");
  *p.mutable_actor() = Agent();
  p.set_complaint_id(id);
  p.add_remedies()->set_kind(v1::REMEDY_KIND_APOLOGY);
  v1::ProposeRemediesResponse pr;
  grpc::Status st = service_->ProposeRemedies(kNoServerContext, &p, &pr);
  ASSERT_TRUE(st.ok()) << st.error_message();
  v1::AcceptRemedyRequest acc;
  acc.set_request_id("accept-2");
  *acc.mutable_actor() = Agent();
  acc.set_complaint_id(id);
  acc.set_remedy_id(pr.complaint().proposals(pr.complaint().proposals_size() - 1).remedy_id());
  v1::AcceptRemedyResponse ar;
  st = service_->AcceptRemedy(kNoServerContext, &acc, &ar);
  ASSERT_TRUE(st.ok()) << st.error_message();
  ASSERT_NO_FATAL_FAILURE(resolve("resolve-2"));

  // Each resolved event names its resolution (outreach makes one follow-up touch each).
  std::vector<int> resolutions;
  auto r = redis_->Command({"XRANGE", OutboxStream("complaint", 5), "-", "+"});
  ASSERT_TRUE(r.ok());
  for (const auto& entry : r->elements) {
    auto env = FromOutboxFields(entry.elements[1].elements);
    ASSERT_TRUE(env.ok()) << env.status();
    if (env->type != "revisit.complaint.resolved.v1") continue;
    v1::ComplaintResolved ev;
    ASSERT_TRUE(ev.ParseFromString(env->payload));
    resolutions.push_back(ev.resolution());
  }
  EXPECT_EQ(resolutions, (std::vector<int>{1, 2}));

  // A stale answer to the first resolution (a replay under a new ce_id, or a late
  // duplicate), however happy, neither closes nor reopens the re-resolved complaint.
  ASSERT_TRUE(service_->HandleEvent(follow_up("evt-fu-1-replayed", 1, 5)).ok());
  ASSERT_TRUE(service_->HandleEvent(follow_up("evt-fu-1", 1, 1)).ok());  // redelivery
  v1::Complaint c = Get(id);
  EXPECT_EQ(c.state(), v1::COMPLAINT_STATE_RESOLVED);
  EXPECT_EQ(c.follow_up().resolution(), 1);
  EXPECT_EQ(c.follow_up().satisfaction(), 1);
  // By RPC too: naming the first resolution is refused, the handler sees why.
  v1::RecordFollowUpRequest stale;
  stale.set_request_id("fu-stale");
  *stale.mutable_actor() = Agent();
  stale.set_complaint_id(id);
  stale.mutable_follow_up()->set_satisfaction(5);
  stale.mutable_follow_up()->set_resolution(1);
  v1::RecordFollowUpResponse stale_resp;
  EXPECT_EQ(service_->RecordFollowUp(kNoServerContext, &stale, &stale_resp).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);

  // The answer to the second resolution closes it (C10).
  ASSERT_TRUE(service_->HandleEvent(follow_up("evt-fu-2", 2, 5)).ok());
  c = Get(id);
  EXPECT_EQ(c.state(), v1::COMPLAINT_STATE_CLOSED);
  EXPECT_EQ(c.follow_up().resolution(), 2);
  EXPECT_EQ(c.follow_up().touch_id(), "tch-r2");
  auto types = OutboxTypes();
  EXPECT_EQ(std::count(types.begin(), types.end(), "follow_up_recorded.v1"), 2);
  EXPECT_EQ(std::count(types.begin(), types.end(), "reopened.v1"), 1);
  EXPECT_EQ(std::count(types.begin(), types.end(), "closed.v1"), 1);
  // Both follow-up deadlines were met: nothing breaches.
  clock_.Advance(absl::Hours(24 * 8));
  FireTimers();
  EXPECT_FALSE(Get(id).sla_breached());
}

TEST_F(ComplaintServiceTest, C16_TierFromLoyaltySetsPriorityAndReplayedOrderEventsChangeNothing) {
  ASSERT_NO_FATAL_FAILURE(Delivered());
  loyalty::v1::TierChanged tier;
  tier.set_customer_id(kCustomer);
  tier.set_from(loyalty::v1::TIER_GOLD);
  tier.set_to(loyalty::v1::TIER_PLATINUM);
  ASSERT_TRUE(service_->HandleEvent(Event("evt-tier", "revisit.loyalty.tier_changed.v1", 1, tier)).ok());
  // An older order event (replay) does not roll the projection back.
  order::v1::OrderPaid paid;
  paid.mutable_order()->set_order_id(kOrder);
  paid.mutable_order()->set_customer_id(kCustomer);
  paid.mutable_order()->set_state(order::v1::ORDER_STATE_PAID);
  ASSERT_TRUE(service_->HandleEvent(Event("evt-paid", "revisit.order.paid.v1", 2, paid)).ok());
  v1::Complaint c = Open("open-1");
  EXPECT_EQ(c.priority(), v1::PRIORITY_URGENT);
  EXPECT_EQ(FromProto(c.deadlines(0).due_at()), clock_.Now() + absl::Hours(2));
  v1::CheckEligibilityRequest q;
  q.set_order_id(kOrder);
  q.set_line_id("1");
  q.set_cause(v1::CAUSE_TRANSIT_DAMAGE);
  v1::CheckEligibilityResponse r;
  ASSERT_TRUE(service_->CheckEligibility(kNoServerContext, &q, &r).ok());
  ASSERT_EQ(r.remedies_size(), 8);
  EXPECT_TRUE(r.remedies(0).eligible());  // still delivered, within 7 days
  // Repeating the open request returns the first answer.
  v1::Complaint again = Open("open-1");
  EXPECT_EQ(again.complaint_id(), c.complaint_id());
}

TEST_F(ComplaintServiceTest, C11_CausesReportedPerSku) {
  ASSERT_NO_FATAL_FAILURE(Delivered());
  const std::string id = Open("open-1").complaint_id();
  ASSERT_NO_FATAL_FAILURE(Accept(id));
  v1::ReportCausesRequest req;
  v1::ReportCausesResponse resp;
  clock_.Advance(absl::Seconds(1));
  ASSERT_TRUE(service_->ReportCauses(kNoServerContext, &req, &resp).ok());
  ASSERT_EQ(resp.counts_size(), 1);
  EXPECT_EQ(resp.counts(0).sku(), "TEA-1");
  EXPECT_EQ(resp.counts(0).cause(), v1::CAUSE_TRANSIT_DAMAGE);
  EXPECT_EQ(resp.counts(0).count(), 1);
}

TEST_F(ComplaintServiceTest, O8_ExtendedWarrantyPromiseExtendsRepairEligibility) {
  ASSERT_NO_FATAL_FAILURE(Delivered());
  auto repair_at = [&](absl::Duration after_delivery) {
    v1::CheckEligibilityRequest q;
    q.set_order_id(kOrder);
    q.set_line_id("1");
    q.set_cause(v1::CAUSE_QUALITY_DEFECT);
    *q.mutable_at() = ToProto(clock_.Now() - absl::Hours(48) + after_delivery);
    v1::CheckEligibilityResponse r;
    EXPECT_TRUE(service_->CheckEligibility(kNoServerContext, &q, &r).ok());
    for (const auto& e : r.remedies()) {
      if (e.kind() == v1::REMEDY_KIND_REPAIR) return e.eligible();
    }
    return false;
  };
  EXPECT_FALSE(repair_at(absl::Hours(24 * 380)));
  order::v1::PromiseRecorded ev;
  auto* p = ev.mutable_promise();
  p->set_promise_id("prm-1");
  p->set_customer_id(kCustomer);
  p->set_order_id(kOrder);
  p->set_kind(order::v1::PROMISE_KIND_EXTENDED_WARRANTY);
  p->set_extended_warranty_days(30);
  auto env = Event("evt-promise", "revisit.order.promise_recorded.v1", 1, ev);
  ASSERT_TRUE(service_->HandleEvent(env).ok());
  ASSERT_TRUE(service_->HandleEvent(env).ok());  // redelivery counts once
  EXPECT_TRUE(repair_at(absl::Hours(24 * 380)));
  EXPECT_FALSE(repair_at(absl::Hours(24 * 396)));
}

// Issue 15: the complaint desk's remedies and causes through the service.
class DeskServiceTest : public ComplaintServiceTest {
 protected:
  // Opens a complaint and takes it to INVESTIGATING with `cause` determined.
  std::string Investigated(const std::string& tag, v1::Cause cause) {
    const std::string id = Open("open-" + tag).complaint_id();
    v1::AcknowledgeComplaintRequest ack;
    ack.set_request_id("ack-" + tag);
    *ack.mutable_actor() = Agent();
    ack.set_complaint_id(id);
    ack.set_restatement("tin dented");
    ack.set_restatement_confirmed(true);
    ack.set_apology("sorry");
    v1::AcknowledgeComplaintResponse a;
    EXPECT_TRUE(service_->AcknowledgeComplaint(kNoServerContext, &ack, &a).ok());
    v1::StartInvestigationRequest inv;
    inv.set_request_id("inv-" + tag);
    *inv.mutable_actor() = Agent();
    inv.set_complaint_id(id);
    v1::StartInvestigationResponse i;
    EXPECT_TRUE(service_->StartInvestigation(kNoServerContext, &inv, &i).ok());
    v1::DetermineCauseRequest dc;
    dc.set_request_id("cause-" + tag);
    *dc.mutable_actor() = Agent();
    dc.set_complaint_id(id);
    dc.set_cause(cause);
    v1::DetermineCauseResponse d;
    grpc::Status st = service_->DetermineCause(kNoServerContext, &dc, &d);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return id;
  }
  int Count(const std::string& type) {
    auto types = OutboxTypes();
    return static_cast<int>(std::count(types.begin(), types.end(), type));
  }
};

TEST_F(DeskServiceTest, C11_RecurringCauseOfOneSkuAlertsOnceAtTheThreshold) {
  config_.policies.causes.threshold = 3;
  config_.policies.causes.suppliers = {{"TEA-1", "Anxi Tea Co."}};
  ASSERT_NO_FATAL_FAILURE(Delivered());
  Investigated("a", v1::CAUSE_QUALITY_DEFECT);
  clock_.Advance(absl::Hours(1));
  Investigated("b", v1::CAUSE_QUALITY_DEFECT);
  EXPECT_EQ(Count("recurring_cause_detected.v1"), 0);
  EXPECT_EQ(Count("quality_reported.v1"), 2) << "each quality cause goes to the supplier";
  clock_.Advance(absl::Hours(1));
  Investigated("c", v1::CAUSE_QUALITY_DEFECT);
  EXPECT_EQ(Count("recurring_cause_detected.v1"), 1) << "the third within the window crosses 3";
  clock_.Advance(absl::Hours(1));
  Investigated("d", v1::CAUSE_QUALITY_DEFECT);
  EXPECT_EQ(Count("recurring_cause_detected.v1"), 1) << "once per crossing";
  // Outside the window the count starts again.
  clock_.Advance(config_.policies.causes.window + absl::Hours(1));
  Investigated("e", v1::CAUSE_QUALITY_DEFECT);
  EXPECT_EQ(Count("recurring_cause_detected.v1"), 1);
  Investigated("f", v1::CAUSE_STAFF_ATTITUDE);
  EXPECT_EQ(Count("attitude_reported.v1"), 1) << "attitude causes go to management";
}

TEST_F(DeskServiceTest, C12_ARulingWithARemedyIsCarriedOutWithoutResolveComplaint) {
  ASSERT_NO_FATAL_FAILURE(Delivered());
  const std::string id = Investigated("r", v1::CAUSE_TRANSIT_DAMAGE);
  v1::EscalateComplaintRequest esc;
  esc.set_request_id("esc");
  *esc.mutable_actor() = Agent();
  esc.set_complaint_id(id);
  esc.set_reason("no agreement");
  v1::EscalateComplaintResponse e;
  ASSERT_TRUE(service_->EscalateComplaint(kNoServerContext, &esc, &e).ok());
  v1::RecordPlatformRulingRequest ruling;
  ruling.set_request_id("ruling");
  ruling.mutable_actor()->set_id("tmall");
  ruling.mutable_actor()->set_role("platform");
  ruling.set_complaint_id(id);
  ruling.set_ruling("refund 30");
  ruling.mutable_remedy()->set_kind(v1::REMEDY_KIND_PARTIAL_REFUND);
  ruling.mutable_remedy()->mutable_amount()->set_amount_minor(3000);
  ruling.mutable_remedy()->mutable_amount()->set_currency("CNY");
  v1::RecordPlatformRulingResponse r;
  grpc::Status st = service_->RecordPlatformRuling(kNoServerContext, &ruling, &r);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(r.complaint().state(), v1::COMPLAINT_STATE_RESOLVED);
  ASSERT_TRUE(service_->RecordPlatformRuling(kNoServerContext, &ruling, &r).ok());  // a repeat
  EXPECT_EQ(executor_.keys.size(), 1u) << "refunded once";
  EXPECT_EQ(Count("resolved.v1"), 1);
}

TEST_F(DeskServiceTest, C9_ARepairIsResolvedOnlyWhenReturned) {
  ASSERT_NO_FATAL_FAILURE(Delivered());
  const std::string id = Investigated("p", v1::CAUSE_QUALITY_DEFECT);
  v1::ProposeRemediesRequest p;
  p.set_request_id("propose-p");
  *p.mutable_actor() = Agent();
  p.set_complaint_id(id);
  p.add_remedies()->set_kind(v1::REMEDY_KIND_REPAIR);
  v1::ProposeRemediesResponse pr;
  grpc::Status st = service_->ProposeRemedies(kNoServerContext, &p, &pr);
  ASSERT_TRUE(st.ok()) << st.error_message();
  v1::AcceptRemedyRequest acc;
  acc.set_request_id("accept-p");
  *acc.mutable_actor() = Agent();
  acc.set_complaint_id(id);
  acc.set_remedy_id(pr.complaint().proposals(0).remedy_id());
  v1::AcceptRemedyResponse ar;
  ASSERT_TRUE(service_->AcceptRemedy(kNoServerContext, &acc, &ar).ok());
  v1::ResolveComplaintRequest res;
  res.set_request_id("resolve-p");
  *res.mutable_actor() = Agent();
  res.set_complaint_id(id);
  v1::ResolveComplaintResponse rr;
  ASSERT_TRUE(service_->ResolveComplaint(kNoServerContext, &res, &rr).ok());
  EXPECT_EQ(rr.complaint().state(), v1::COMPLAINT_STATE_EXECUTING) << "not resolved as a note (C9)";
  clock_.Advance(absl::Minutes(5));
  FireTimers();
  EXPECT_EQ(Get(id).state(), v1::COMPLAINT_STATE_EXECUTING);
  v1::RecordFulfilmentRequest f;
  f.set_request_id("returned-p");
  *f.mutable_actor() = Agent();
  f.set_complaint_id(id);
  f.set_stage(v1::FULFILMENT_STAGE_RETURNED);
  f.set_reference("SF-REPAIR-1");
  v1::RecordFulfilmentResponse fr;
  st = service_->RecordFulfilment(kNoServerContext, &f, &fr);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(fr.complaint().state(), v1::COMPLAINT_STATE_RESOLVED);
  EXPECT_EQ(Count("fulfilment_recorded.v1"), 1);
  EXPECT_EQ(Count("resolved.v1"), 1);
}

}  // namespace
}  // namespace revisit::complaint
