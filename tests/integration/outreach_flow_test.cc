// Outreach against a real redis-server with a manual clock (issue 6 "Done when"):
// the service's own EventHandler, Dispatcher and TimerScheduler run in-process, two
// of each ("two instances") on separate Redis connections, so every timer race is
// real while time moves only when the test says. The complaint service is a small
// fake gRPC ComplaintService inside this test (the only fake here): it counts
// OpenComplaint calls per request_id the way the real one deduplicates them.
// Events are read from the outbox streams in Redis (what the relay would publish).
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "common/clock.h"
#include "common/grpc_client.h"
#include "common/keys.h"
#include "common/outbox.h"
#include "common/redis_client.h"
#include "common/timer_queue.h"
#include "revisit/complaint/v1/complaint.grpc.pb.h"
#include "revisit/complaint/v1/events.pb.h"
#include "revisit/loyalty/v1/events.pb.h"
#include "revisit/order/v1/events.pb.h"
#include "revisit/outreach/v1/events.pb.h"
#include "services/outreach/edge/complaint_steps.h"
#include "services/outreach/edge/dispatcher.h"
#include "services/outreach/edge/event_handler.h"
#include "services/outreach/edge/grpc_complaint_opener.h"
#include "services/outreach/edge/outreach_service.h"
#include "common/proto_time.h"
#include "services/outreach/domain/touch_ids.h"
#include "tests/harness/redis_server.h"
#include "tests/harness/tls_material.h"

namespace revisit::outreach {
namespace {

namespace ov1 = revisit::order::v1;
namespace cv1 = revisit::complaint::v1;
using revisit::common::v1::CHANNEL_APP_PUSH;

constexpr char kCustomer[] = "cus-00000000000000c1";

// The only fake: a ComplaintService that opens one complaint per request_id.
class FakeComplaints final : public cv1::ComplaintService::Service {
 public:
  grpc::Status OpenComplaint(grpc::ServerContext*, const cv1::OpenComplaintRequest* req,
                             cv1::OpenComplaintResponse* resp) override {
    std::lock_guard<std::mutex> lock(mu_);
    ++calls_;
    auto [it, fresh] = opened_.emplace(req->request_id(), "cmp-" + std::to_string(opened_.size()));
    last_ = *req;
    resp->mutable_complaint()->set_complaint_id(it->second);
    return grpc::Status::OK;
  }
  size_t opened() { std::lock_guard<std::mutex> l(mu_); return opened_.size(); }
  cv1::OpenComplaintRequest last() { std::lock_guard<std::mutex> l(mu_); return last_; }

 private:
  std::mutex mu_;
  int calls_ = 0;
  std::map<std::string, std::string> opened_;
  cv1::OpenComplaintRequest last_;
};

// One outreach "instance": its own Redis connection, dispatcher and scheduler.
struct Instance {
  Instance(const OutreachConfig& config, const std::string& redis_addr, const Clock& clock,
           ContactSource& contacts, VoucherIssuer& vouchers) {
    RedisOptions o;
    o.port = std::stoi(redis_addr.substr(redis_addr.find(':') + 1));
    redis = std::make_unique<RedisClient>(o);
    store = std::make_unique<OutreachStore>(*redis);
    dispatcher = std::make_unique<Dispatcher>(config, *store, clock, adapter, contacts, vouchers);
    events = std::make_unique<EventHandler>(config, *store, clock);
    TimerSchedulerOptions t;
    t.service = kService;
    // A claim's touches together, as main.cc (Dispatcher::HandleBatch).
    timers = std::make_unique<TimerScheduler>(
        *redis, clock, t,
        [this](const std::vector<DueTimer>& due) { return dispatcher->HandleBatch(due); });
  }
  EventAdapter adapter;
  std::unique_ptr<RedisClient> redis;
  std::unique_ptr<OutreachStore> store;
  std::unique_ptr<Dispatcher> dispatcher;
  std::unique_ptr<EventHandler> events;
  std::unique_ptr<TimerScheduler> timers;
};

class NoContacts : public ContactSource {
 public:
  absl::StatusOr<Contact> Fetch(const std::string&, Channel) override { return Contact{}; }
};
class NoVouchers : public VoucherIssuer {
 public:
  absl::StatusOr<IssuedVoucher> IssueWinBack(const v1::Touch&, absl::Time) override {
    return absl::UnavailableError("no loyalty in this test");
  }
};

class OutreachFlowTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto r = testing::RedisServer::Start();
    ASSERT_TRUE(r.ok()) << r.status();
    redis_server_ = *std::move(r);
    grpc::ServerBuilder b;
    // mTLS as in production: the fake complaint has complaint's certificate, outreach's
    // channels present outreach's (MakeChannel's process default).
    b.AddListeningPort("127.0.0.1:0", testing::TlsMaterial::Get().ServerCredentials("complaint"),
                       &complaint_port_);
    SetDefaultChannelCredentials(testing::TlsMaterial::Get().ChannelCredentials("service/outreach"));
    b.RegisterService(&complaints_);
    complaint_server_ = b.BuildAndStart();
    config_.common.service = kService;
    config_.default_time_zone = absl::UTCTimeZone();
    config_.revisit_window = absl::Hours(24 * 14);
    config_.idempotency_ttl = absl::Hours(24);
    config_.inbox_ttl = absl::Hours(24);
    config_.call_deadline = absl::Seconds(5);
    config_.complaint_address = absl::StrCat("127.0.0.1:", complaint_port_);
    // 10:00 UTC on a Monday: outside quiet hours.
    clock_.Set(absl::FromCivil(absl::CivilSecond(2026, 3, 2, 10, 0, 0), absl::UTCTimeZone()));
    for (int i = 0; i < 2; ++i)
      instances_.push_back(std::make_unique<Instance>(config_, redis_server_->Address(), clock_,
                                                      contacts_, vouchers_));
    opener_ = std::make_unique<GrpcComplaintOpener>(config_);
    service_ = std::make_unique<OutreachServiceImpl>(config_, *instances_[0]->store, clock_,
                                                     *opener_);
  }
  void TearDown() override { complaint_server_->Shutdown(); }

  // Delivers `payload` as event `name` of `svc` to every instance `times` times
  // (same ce_id: a redelivery).
  void Deliver(const std::string& svc, const std::string& name,
               const google::protobuf::Message& payload, int times = 2) {
    EventEnvelope e = MakeEvent(svc, name, kCustomer, "agg", clock_.Now(), payload);
    e.sequence = 1;
    for (int i = 0; i < times; ++i)
      ASSERT_TRUE(instances_[i % 2]->events->Handle(e).ok());
  }
  // Both instances fire due timers at once.
  void FireBoth() {
    std::thread a([&] { ASSERT_TRUE(instances_[0]->timers->RunOnce().ok()); });
    std::thread b([&] { ASSERT_TRUE(instances_[1]->timers->RunOnce().ok()); });
    a.join();
    b.join();
  }
  // Every outreach event in the outbox streams: (type, subject) in order per shard.
  std::vector<EventEnvelope> Outbox() {
    std::vector<EventEnvelope> out;
    for (int s = 0; s < kShards; ++s) {
      auto r = instances_[0]->redis->Command({"XRANGE", OutboxStream(kService, s), "-", "+"});
      EXPECT_TRUE(r.ok());
      for (const auto& entry : r->elements) {
        auto e = FromOutboxFields(entry.elements[1].elements);
        EXPECT_TRUE(e.ok()) << e.status();
        out.push_back(*e);
      }
    }
    return out;
  }
  int Count(const std::string& type, const std::string& subject) {
    int n = 0;
    for (const auto& e : Outbox()) n += e.type == type && e.subject == subject;
    return n;
  }
  v1::Touch Get(const std::string& id) {
    auto t = instances_[0]->store->GetTouch(id, "touch_id");
    EXPECT_TRUE(t.ok()) << t.status();
    return t.ok() ? *t : v1::Touch();
  }
  ov1::OrderFacts Order(const std::string& id) {
    ov1::OrderFacts o;
    o.set_order_id(id);
    o.set_customer_id(kCustomer);
    auto* l = o.add_lines();
    l->set_name("Silk scarf");
    l->set_category("textiles");
    *o.mutable_delivered_at() = ToProto(clock_.Now());
    return o;
  }
  // Delivers order_id's order.delivered (default redelivery) and returns the R1
  // feedback request's touch id.
  std::string DeliverOrder(const std::string& order_id) {
    ov1::OrderDelivered delivered;
    *delivered.mutable_order() = Order(order_id);
    Deliver("order", "delivered", delivered);
    return TouchId(kCustomer, v1::TRIGGER_FEEDBACK_REQUEST, order_id);
  }
  void Register() {
    ov1::CustomerRegistered reg;
    reg.set_customer_id(kCustomer);
    reg.set_time_zone("UTC");
    reg.set_locale("en");  // R10: the customer's language (default zh-CN)
    auto* c = reg.add_consents();
    c->set_channel(CHANNEL_APP_PUSH);
    c->set_granted(true);
    Deliver("order", "customer_registered", reg);
  }
  cv1::ComplaintFacts Complaint(const std::string& id) {
    cv1::ComplaintFacts f;
    f.set_complaint_id(id);
    f.set_customer_id(kCustomer);
    f.set_order_id("ord-1");
    return f;
  }

  std::unique_ptr<testing::RedisServer> redis_server_;
  FakeComplaints complaints_;
  int complaint_port_ = 0;
  std::unique_ptr<grpc::Server> complaint_server_;
  OutreachConfig config_;
  ManualClock clock_;
  NoContacts contacts_;
  NoVouchers vouchers_;
  std::vector<std::unique_ptr<Instance>> instances_;
  std::unique_ptr<GrpcComplaintOpener> opener_;
  std::unique_ptr<OutreachServiceImpl> service_;
};

const char kSent[] = "revisit.outreach.touch_sent.v1";
// A timer's score is its due time rounded up to the millisecond (TimerScore, written
// with %.17g): it fires at most this late, and never early.
constexpr absl::Duration kTimerSlack = absl::Milliseconds(1);

TEST_F(OutreachFlowTest, DeliveredGivesOneFeedbackRequestAtPlus3DaysWithTwoInstancesR1) {
  Register();
  ov1::OrderDelivered delivered;
  *delivered.mutable_order() = Order("ord-1");
  Deliver("order", "delivered", delivered, 3);  // redelivered: still one touch
  const std::string id = TouchId(kCustomer, v1::TRIGGER_FEEDBACK_REQUEST, "ord-1");
  EXPECT_EQ(Get(id).state(), v1::TOUCH_STATE_SCHEDULED);
  EXPECT_EQ(Count("revisit.outreach.touch_scheduled.v1", id), 1);

  clock_.Advance(absl::Hours(72) - absl::Minutes(1));
  FireBoth();
  EXPECT_EQ(Count(kSent, id), 0) << "not before delivery + 3 days";

  clock_.Advance(absl::Minutes(1));
  FireBoth();
  FireBoth();
  // "Restart": a fresh instance over the same Redis fires again.
  instances_[1] = std::make_unique<Instance>(config_, redis_server_->Address(), clock_, contacts_,
                                             vouchers_);
  clock_.Advance(kTimerSlack);
  FireBoth();
  EXPECT_EQ(Count(kSent, id), 1);
  EXPECT_GE(FromProto(Get(id).sent_at()), FromProto(delivered.order().delivered_at()) + absl::Hours(72));
  v1::Touch t = Get(id);
  EXPECT_EQ(t.state(), v1::TOUCH_STATE_SENT);
  EXPECT_NE(t.message().find("Silk scarf"), std::string::npos) << "R10: " << t.message();
  EXPECT_EQ(instances_[0]->timers->Pending(), 0);
}

TEST_F(OutreachFlowTest, OpenComplaintHoldsFeedbackRequestUntilClosedR6) {
  Register();
  cv1::ComplaintOpened opened;
  *opened.mutable_complaint() = Complaint("cmp-a");
  Deliver("complaint", "opened", opened);
  const std::string id = DeliverOrder("ord-1");

  for (int day = 0; day < 6; ++day) {  // held through repeated re-checks
    clock_.Advance(absl::Hours(24));
    FireBoth();
  }
  EXPECT_EQ(Count(kSent, id), 0);
  EXPECT_EQ(Get(id).state(), v1::TOUCH_STATE_DEFERRED);
  EXPECT_NE(Get(id).steps().rbegin()->reason().find("cmp-a"), std::string::npos);
  EXPECT_GE(Count("revisit.outreach.touch_deferred.v1", id), 1);

  cv1::ComplaintClosed closed;
  *closed.mutable_complaint() = Complaint("cmp-a");
  Deliver("complaint", "closed", closed);
  clock_.Advance(kTimerSlack);
  FireBoth();
  EXPECT_EQ(Count(kSent, id), 1);
}

TEST_F(OutreachFlowTest, ResolvedComplaintYieldsExactlyOneFollowUpWithinSevenDaysC10) {
  Register();
  const absl::Time resolved_at = clock_.Now();
  cv1::ComplaintResolved resolved;
  *resolved.mutable_complaint() = Complaint("cmp-b");
  *resolved.mutable_resolved_at() = ToProto(resolved_at);
  Deliver("complaint", "resolved", resolved, 3);
  const std::string id = TouchId(kCustomer, v1::TRIGGER_COMPLAINT_FOLLOW_UP, "cmp-b");
  for (int h = 0; h < 24 * 7; h += 6) {
    clock_.Advance(absl::Hours(6));
    FireBoth();
  }
  EXPECT_EQ(Count(kSent, id), 1);
  v1::Touch t = Get(id);
  EXPECT_LE(FromProto(t.sent_at()) - resolved_at, absl::Hours(24 * 7));

  // The customer answers: FollowUpRecorded for the complaint service (C10).
  v1::RecordFeedbackRequest req;
  req.set_request_id("fb-follow");
  req.set_touch_id(id);
  req.mutable_feedback()->set_rating(5);
  v1::RecordFeedbackResponse resp;
  ASSERT_TRUE(service_->DoRecordFeedback(req, &resp).ok());
  EXPECT_EQ(Count("revisit.outreach.follow_up_recorded.v1", id), 1);
  EXPECT_EQ(complaints_.opened(), 0u);
}

TEST_F(OutreachFlowTest, SilentCustomerIsRemindedOnceAndTheNoAnswerCloseReleasesHeldRequestsC10R6) {
  Register();
  cv1::ComplaintOpened opened;
  *opened.mutable_complaint() = Complaint("cmp-s");
  Deliver("complaint", "opened", opened);
  const std::string feedback = DeliverOrder("ord-1");
  cv1::ComplaintResolved resolved;
  *resolved.mutable_complaint() = Complaint("cmp-s");
  *resolved.mutable_resolved_at() = ToProto(clock_.Now());
  Deliver("complaint", "resolved", resolved);
  const std::string follow_up = TouchId(kCustomer, v1::TRIGGER_COMPLAINT_FOLLOW_UP, "cmp-s");
  for (int day = 0; day < 7; ++day) {
    clock_.Advance(absl::Hours(24));
    FireBoth();
  }
  EXPECT_EQ(Count(kSent, follow_up), 1);
  EXPECT_EQ(Count(kSent, feedback), 0) << "R6: held while the complaint is open";

  // No answer within the window: the complaint service asks for one reminder (C10).
  cv1::FollowUpReminderDue due;
  *due.mutable_complaint() = Complaint("cmp-s");
  due.set_resolution(1);
  *due.mutable_answer_by() = ToProto(clock_.Now() + absl::Hours(72));
  Deliver("complaint", "follow_up_reminder_due", due, 3);  // redelivered: still one
  const std::string reminder = TouchId(kCustomer, v1::TRIGGER_COMPLAINT_FOLLOW_UP, "cmp-s/reminder");
  clock_.Advance(kTimerSlack);
  FireBoth();
  FireBoth();
  EXPECT_EQ(Count(kSent, reminder), 1);
  EXPECT_EQ(Get(reminder).message().rfind("A gentle reminder: ", 0), 0u) << Get(reminder).message();
  EXPECT_EQ(Count(kSent, follow_up), 1) << "the first touch is not sent again";
  EXPECT_EQ(Count(kSent, feedback), 0);

  // Still silent: closed as "followed up, no answer"; the held request goes out (R6).
  cv1::ComplaintClosed closed;
  *closed.mutable_complaint() = Complaint("cmp-s");
  closed.set_reason(cv1::CLOSURE_REASON_FOLLOW_UP_NO_ANSWER);
  Deliver("complaint", "closed", closed);
  clock_.Advance(kTimerSlack);
  FireBoth();
  EXPECT_EQ(Count(kSent, feedback), 1);
}

// The customer hears every step of a complaint (issue 15: C3, C7, C8, C6, C15, C12,
// C9; quiet hours R6, but no caps, for these service messages): each event is one
// transactional touch, sent at once, exactly once however often it is redelivered,
// and listed by ListTouches.
class ComplaintStepsTest : public OutreachFlowTest {
 protected:
  // Delivers the event twice (same ce_id) and returns the touch ID it maps to.
  std::string Step(const std::string& name, v1::Trigger trigger, const google::protobuf::Message& payload,
                   const std::string& complaint_id) {
    EventEnvelope e = MakeEvent("complaint", name, kCustomer, complaint_id, clock_.Now(), payload);
    e.sequence = 1;
    for (int i = 0; i < 2; ++i) EXPECT_TRUE(instances_[i]->events->Handle(e).ok());
    return TouchId(kCustomer, trigger, ComplaintStepSource(complaint_id, e.id));
  }
  std::vector<v1::Touch> Listed() {
    v1::ListTouchesRequest req;
    req.set_customer_id(kCustomer);
    req.mutable_page()->set_page_size(100);
    v1::ListTouchesResponse resp;
    grpc::ServerContext ctx;
    EXPECT_TRUE(service_->ListTouches(&ctx, &req, &resp).ok());
    return {resp.touches().begin(), resp.touches().end()};
  }
  int ListedTimes(const std::string& id) {
    int n = 0;
    for (const auto& t : Listed()) n += t.touch_id() == id;
    return n;
  }
  cv1::Remedy Refund(int64_t minor) {
    cv1::Remedy r;
    r.set_remedy_id("r1");
    r.set_kind(cv1::REMEDY_KIND_PARTIAL_REFUND);
    r.mutable_amount()->set_amount_minor(minor);
    r.mutable_amount()->set_currency("CNY");
    return r;
  }
};

TEST_F(ComplaintStepsTest, EveryStepReachesTheCustomerExactlyOnceC3C7C8C6C12C9) {
  Register();
  ov1::OrderPaid paid;  // outreach learns the products (R10)
  *paid.mutable_order() = Order("ord-1");
  Deliver("order", "paid", paid);
  config_.measure.cap = 1;  // caps do not hold service messages back
  std::map<std::string, std::string> touches;  // touch ID -> what its message must say
  cv1::ComplaintAcknowledged ack;
  *ack.mutable_complaint() = Complaint("cmp-x");
  ack.set_apology("we are truly sorry for the torn seam");
  touches[Step("acknowledged", v1::TRIGGER_COMPLAINT_ACKNOWLEDGED, ack, "cmp-x")] =
      "about Silk scarf and we are sorry. we are truly sorry for the torn seam. We are on it now";
  cv1::UpdatePromised promised;
  *promised.mutable_complaint() = Complaint("cmp-x");
  promised.set_deadline("update-1");
  *promised.mutable_due_at() = ToProto(clock_.Now() + absl::Hours(8));  // Mon 18:00 UTC
  touches[Step("update_promised", v1::TRIGGER_COMPLAINT_UPDATE, promised, "cmp-x")] =
      "we will get back to you by Mon 02 Mar 18:00";
  cv1::UpdatePosted posted;
  *posted.mutable_complaint() = Complaint("cmp-x");
  posted.set_note("the factory confirmed the defect");
  touches[Step("update_posted", v1::TRIGGER_COMPLAINT_UPDATE, posted, "cmp-x")] =
      "Silk scarf: the factory confirmed the defect";
  posted.set_note("a second update");  // another event: another touch
  touches[Step("update_posted", v1::TRIGGER_COMPLAINT_UPDATE, posted, "cmp-x")] = "a second update";
  cv1::RemediesProposed proposed;
  *proposed.mutable_complaint() = Complaint("cmp-x");
  proposed.mutable_complaint()->set_determined_cause(cv1::CAUSE_NOT_AS_DESCRIBED);
  *proposed.add_remedies() = Refund(5000);
  proposed.add_remedies()->set_kind(cv1::REMEDY_KIND_EXCHANGE);
  touches[Step("remedies_proposed", v1::TRIGGER_COMPLAINT_REMEDIES, proposed, "cmp-x")] =
      "Silk scarf was not as described. For your complaint cmp-x please choose what suits you best: "
      "a refund of CNY 50.00; an exchange for a new one.";
  cv1::PlatformRulingRecorded ruling;
  *ruling.mutable_complaint() = Complaint("cmp-x");
  ruling.set_ruling("refund 30 yuan");
  *ruling.mutable_remedy() = Refund(3000);
  touches[Step("ruling_recorded", v1::TRIGGER_COMPLAINT_RULING, ruling, "cmp-x")] =
      "The platform has ruled on your complaint cmp-x: refund 30 yuan. We are carrying out a refund of CNY 30.00";
  cv1::ComplaintResolved resolved;
  *resolved.mutable_complaint() = Complaint("cmp-x");
  *resolved.mutable_remedy() = Refund(3000);
  *resolved.mutable_resolved_at() = ToProto(clock_.Now());
  touches[Step("resolved", v1::TRIGGER_COMPLAINT_REMEDY_DONE, resolved, "cmp-x")] =
      "your refund (a refund of CNY 30.00) has been sent";
  cv1::ComplaintRejected rejected;
  *rejected.mutable_complaint() = Complaint("cmp-y");
  rejected.set_reason("ten times the price is beyond what we can offer");
  touches[Step("rejected", v1::TRIGGER_COMPLAINT_REFUSED, rejected, "cmp-y")] =
      "we cannot agree to the request: ten times the price is beyond what we can offer";
  clock_.Advance(kTimerSlack);
  FireBoth();
  FireBoth();
  ASSERT_EQ(touches.size(), 8u);
  for (const auto& [id, text] : touches) {
    EXPECT_EQ(Count(kSent, id), 1) << id << " " << text;
    const v1::Touch t = Get(id);
    EXPECT_TRUE(t.transactional()) << id;
    EXPECT_EQ(t.state(), v1::TOUCH_STATE_SENT) << t.DebugString();
    EXPECT_NE(t.message().find(text), std::string::npos) << t.message();
    EXPECT_EQ(ListedTimes(id), 1) << id;
  }
  // A repair's progress is an update (C9); its last stage is told as done (resolved).
  cv1::FulfilmentRecorded stage;
  *stage.mutable_complaint() = Complaint("cmp-r");
  stage.mutable_fulfilment()->set_kind(cv1::REMEDY_KIND_REPAIR);
  stage.mutable_fulfilment()->set_stage(cv1::FULFILMENT_STAGE_ITEM_RECEIVED);
  const std::string received = Step("fulfilment_recorded", v1::TRIGGER_COMPLAINT_UPDATE, stage, "cmp-r");
  stage.mutable_fulfilment()->set_stage(cv1::FULFILMENT_STAGE_RETURNED);
  const std::string returned = Step("fulfilment_recorded", v1::TRIGGER_COMPLAINT_UPDATE, stage, "cmp-r");
  EXPECT_EQ(ListedTimes(received), 1);
  EXPECT_NE(Get(received).message().find("About your complaint cmp-r: we have received Silk scarf for repair."),
            std::string::npos)
      << Get(received).message();
  EXPECT_EQ(ListedTimes(returned), 0);
  // A ruling that refuses is heard as the refusal alone (rejected carries it), not twice.
  cv1::PlatformRulingRecorded refusing;
  *refusing.mutable_complaint() = Complaint("cmp-z");
  refusing.set_ruling("no remedy owed");
  const std::string none = Step("ruling_recorded", v1::TRIGGER_COMPLAINT_RULING, refusing, "cmp-z");
  EXPECT_EQ(ListedTimes(none), 0);
}

TEST_F(ComplaintStepsTest, QuietHoursHoldStepsButNotTheApologyC3R6) {
  Register();
  // 23:00 UTC, in the customer's quiet hours (21:00-09:00).
  clock_.Set(absl::FromCivil(absl::CivilSecond(2026, 3, 2, 23, 0, 0), absl::UTCTimeZone()));
  cv1::ComplaintAcknowledged ack;
  *ack.mutable_complaint() = Complaint("cmp-q");
  const std::string apology = Step("acknowledged", v1::TRIGGER_COMPLAINT_ACKNOWLEDGED, ack, "cmp-q");
  cv1::RemediesProposed proposed;
  *proposed.mutable_complaint() = Complaint("cmp-q");
  *proposed.add_remedies() = Refund(1000);
  const std::string choices = Step("remedies_proposed", v1::TRIGGER_COMPLAINT_REMEDIES, proposed, "cmp-q");
  clock_.Advance(kTimerSlack);
  FireBoth();
  EXPECT_EQ(Count(kSent, apology), 1) << "C1/C3: the apology goes out at once";
  EXPECT_EQ(Count(kSent, choices), 0) << "R6: not urgent, waits for the morning";
  EXPECT_EQ(Get(choices).state(), v1::TOUCH_STATE_DEFERRED);
  clock_.Set(absl::FromCivil(absl::CivilSecond(2026, 3, 3, 9, 0, 1), absl::UTCTimeZone()));
  FireBoth();
  EXPECT_EQ(Count(kSent, choices), 1);
}

TEST_F(OutreachFlowTest, AnAnswerToTheReminderIsTheFollowUpOfItsComplaintC10) {
  Register();
  cv1::FollowUpReminderDue due;
  *due.mutable_complaint() = Complaint("cmp-t");
  due.set_resolution(2);
  Deliver("complaint", "follow_up_reminder_due", due);
  const std::string reminder = TouchId(kCustomer, v1::TRIGGER_COMPLAINT_FOLLOW_UP, "cmp-t/r2/reminder");
  clock_.Advance(kTimerSlack);
  FireBoth();
  ASSERT_EQ(Count(kSent, reminder), 1);
  v1::RecordFeedbackRequest req;
  req.set_request_id("fb-reminder");
  req.set_touch_id(reminder);
  req.mutable_feedback()->set_rating(4);
  v1::RecordFeedbackResponse resp;
  ASSERT_TRUE(service_->DoRecordFeedback(req, &resp).ok());
  v1::FollowUpRecorded fu;
  for (const auto& e : Outbox()) {
    if (e.type == "revisit.outreach.follow_up_recorded.v1" && e.subject == reminder) {
      ASSERT_TRUE(fu.ParseFromString(e.payload));
    }
  }
  EXPECT_EQ(fu.complaint_id(), "cmp-t");
  EXPECT_EQ(fu.resolution(), 2);
}

TEST_F(OutreachFlowTest, ClosingCancelsAReminderNotYetSentC10) {
  Register();
  // 23:00 UTC: quiet hours defer the (non-urgent) reminder.
  clock_.Set(absl::FromCivil(absl::CivilSecond(2026, 3, 2, 23, 0, 0), absl::UTCTimeZone()));
  cv1::FollowUpReminderDue due;
  *due.mutable_complaint() = Complaint("cmp-u");
  due.set_resolution(1);
  Deliver("complaint", "follow_up_reminder_due", due);
  const std::string reminder = TouchId(kCustomer, v1::TRIGGER_COMPLAINT_FOLLOW_UP, "cmp-u/reminder");
  clock_.Advance(kTimerSlack);
  FireBoth();
  ASSERT_EQ(Count(kSent, reminder), 0) << "quiet hours";
  cv1::ComplaintClosed closed;
  *closed.mutable_complaint() = Complaint("cmp-u");
  Deliver("complaint", "closed", closed);
  EXPECT_EQ(Get(reminder).state(), v1::TOUCH_STATE_CANCELLED);
  clock_.Advance(absl::Hours(24));
  FireBoth();
  EXPECT_EQ(Count(kSent, reminder), 0);
}

TEST_F(OutreachFlowTest, EachResolutionOfAReopenedComplaintGetsExactlyOneFollowUpC10R8) {
  Register();
  // Resolution n of cmp-r: resolved event, redelivered to both instances.
  auto resolve = [&](int resolution) {
    cv1::ComplaintResolved resolved;
    *resolved.mutable_complaint() = Complaint("cmp-r");
    *resolved.mutable_resolved_at() = ToProto(clock_.Now());
    resolved.set_resolution(resolution);
    Deliver("complaint", "resolved", resolved, 3);
  };
  // The customer answers touch `id` with `rating`; returns the follow_up_recorded payload.
  auto answer = [&](const std::string& id, int rating, const std::string& rid) {
    v1::RecordFeedbackRequest req;
    req.set_request_id(rid);
    req.set_touch_id(id);
    req.mutable_feedback()->set_rating(rating);
    v1::RecordFeedbackResponse resp;
    EXPECT_TRUE(service_->DoRecordFeedback(req, &resp).ok());
    v1::FollowUpRecorded fu;
    for (const auto& e : Outbox()) {
      if (e.type == "revisit.outreach.follow_up_recorded.v1" && e.subject == id) {
        EXPECT_TRUE(fu.ParseFromString(e.payload));
      }
    }
    return fu;
  };
  auto pass_a_week = [&] {
    for (int h = 0; h < 24 * 7; h += 6) {
      clock_.Advance(absl::Hours(6));
      FireBoth();
    }
  };
  resolve(1);
  const std::string first = TouchId(kCustomer, v1::TRIGGER_COMPLAINT_FOLLOW_UP, "cmp-r");
  pass_a_week();
  ASSERT_EQ(Count(kSent, first), 1);
  v1::FollowUpRecorded fu1 = answer(first, 1, "fb-r1");  // unhappy: complaint reopens
  EXPECT_EQ(fu1.complaint_id(), "cmp-r");
  EXPECT_EQ(fu1.resolution(), 1);
  EXPECT_EQ(complaints_.opened(), 0u) << "a follow-up answer opens no new complaint (R11)";

  // The complaint service reopened it (held touches again) and resolved it again.
  cv1::ComplaintOpened reopened;
  *reopened.mutable_complaint() = Complaint("cmp-r");
  Deliver("complaint", "reopened", reopened);
  clock_.Advance(absl::Hours(10));
  const absl::Time resolved_again = clock_.Now();
  resolve(2);
  const std::string second = TouchId(kCustomer, v1::TRIGGER_COMPLAINT_FOLLOW_UP, "cmp-r/r2");
  ASSERT_NE(second, first);
  EXPECT_EQ(Get(second).source_id(), "cmp-r/r2");
  EXPECT_EQ(Count("revisit.outreach.touch_scheduled.v1", second), 1);
  pass_a_week();
  EXPECT_EQ(Count(kSent, second), 1) << "the second resolution's follow-up, sent once";
  EXPECT_LE(FromProto(Get(second).sent_at()) - resolved_again, absl::Hours(24 * 7));

  // Either resolved event again, each redelivered three times (the inbox has not
  // seen these ce_ids: a replay), and the first once more without the resolution
  // field (an event from before it existed) create nothing new.
  resolve(1);
  resolve(2);
  cv1::ComplaintResolved replay;
  *replay.mutable_complaint() = Complaint("cmp-r");
  EventEnvelope e = MakeEvent("complaint", "resolved", kCustomer, "agg", clock_.Now(), replay);
  e.sequence = 1;  // no resolution field: an event from before it existed = the first
  ASSERT_TRUE(instances_[0]->events->Handle(e).ok());
  pass_a_week();
  int follow_ups = 0;
  for (const auto& ev : Outbox())
    follow_ups += ev.type == "revisit.outreach.touch_scheduled.v1" &&
                  (ev.subject == first || ev.subject == second);
  EXPECT_EQ(follow_ups, 2);
  EXPECT_EQ(Count(kSent, first), 1);
  EXPECT_EQ(Count(kSent, second), 1);

  v1::FollowUpRecorded fu2 = answer(second, 5, "fb-r2");  // the complaint service closes it
  EXPECT_EQ(fu2.complaint_id(), "cmp-r");
  EXPECT_EQ(fu2.resolution(), 2);
  EXPECT_EQ(Count("revisit.outreach.follow_up_recorded.v1", first), 1);
  EXPECT_EQ(Count("revisit.outreach.follow_up_recorded.v1", second), 1);
}

TEST_F(OutreachFlowTest, ReopenBeforeTheFollowUpWasSentCancelsItC10) {
  Register();
  cv1::ComplaintResolved resolved;
  *resolved.mutable_complaint() = Complaint("cmp-h");
  *resolved.mutable_resolved_at() = ToProto(clock_.Now());
  resolved.set_resolution(1);
  Deliver("complaint", "resolved", resolved);
  const std::string first = TouchId(kCustomer, v1::TRIGGER_COMPLAINT_FOLLOW_UP, "cmp-h");
  ASSERT_EQ(Get(first).state(), v1::TOUCH_STATE_SCHEDULED);
  // The customer calls again before the follow-up goes out: reopened by hand.
  cv1::ComplaintOpened reopened;
  *reopened.mutable_complaint() = Complaint("cmp-h");
  Deliver("complaint", "reopened", reopened);
  EXPECT_EQ(Get(first).state(), v1::TOUCH_STATE_CANCELLED);
  EXPECT_NE(Get(first).steps().rbegin()->reason().find("reopened"), std::string::npos);
  // Resolved again: only the new resolution's follow-up is sent; a replay of the
  // first resolved event does not bring the cancelled one back.
  resolved.set_resolution(2);
  *resolved.mutable_resolved_at() = ToProto(clock_.Now());
  Deliver("complaint", "resolved", resolved);
  resolved.set_resolution(1);
  Deliver("complaint", "resolved", resolved);
  const std::string second = TouchId(kCustomer, v1::TRIGGER_COMPLAINT_FOLLOW_UP, "cmp-h/r2");
  for (int h = 0; h < 24 * 7; h += 6) {
    clock_.Advance(absl::Hours(6));
    FireBoth();
  }
  EXPECT_EQ(Count(kSent, first), 0);
  EXPECT_EQ(Count(kSent, second), 1);
  EXPECT_EQ(Get(first).state(), v1::TOUCH_STATE_CANCELLED);
}

TEST_F(OutreachFlowTest, LowRatingOpensExactlyOneComplaintR11) {
  Register();
  const std::string id = DeliverOrder("ord-1");
  clock_.Advance(absl::Hours(72));
  FireBoth();
  ASSERT_EQ(Get(id).state(), v1::TOUCH_STATE_SENT);

  v1::RecordFeedbackRequest req;
  req.set_request_id("fb-1");
  req.set_touch_id(id);
  req.mutable_feedback()->set_rating(2);
  req.mutable_feedback()->set_comment("the colour ran after one wash");
  v1::RecordFeedbackResponse first, repeat, other;
  ASSERT_TRUE(service_->DoRecordFeedback(req, &first).ok());
  ASSERT_TRUE(service_->DoRecordFeedback(req, &repeat).ok());  // same request_id
  EXPECT_EQ(first.touch().complaint_id(), repeat.touch().complaint_id());
  req.set_request_id("fb-2");  // a second answer for the same touch is refused
  absl::Status again = service_->DoRecordFeedback(req, &other);
  EXPECT_EQ(again.code(), absl::StatusCode::kFailedPrecondition) << again;
  EXPECT_EQ(complaints_.opened(), 1u);
  EXPECT_EQ(complaints_.last().request_id(), id + ":complaint");
  EXPECT_EQ(complaints_.last().order_id(), "ord-1");
  EXPECT_EQ(complaints_.last().source_touch_id(), id);
  EXPECT_FALSE(first.touch().complaint_id().empty());
  EXPECT_EQ(Count("revisit.outreach.feedback_received.v1", id), 1);
}

TEST_F(OutreachFlowTest, LowRatingOnATouchWithoutAnOrderOpensOneComplaintWithoutOneR11) {
  Register();
  v1::ScheduleTouchRequest manual;
  manual.set_request_id("check-in-1");
  manual.set_customer_id(kCustomer);
  manual.set_campaign("spring-check-in");
  manual.set_channel(CHANNEL_APP_PUSH);
  manual.set_message("How are you getting on with us?");
  v1::ScheduleTouchResponse scheduled;
  grpc::Status st = service_->ScheduleTouch(kNoServerContext, &manual, &scheduled);
  ASSERT_TRUE(st.ok()) << st.error_message();
  const std::string id = scheduled.touch().touch_id();
  clock_.Advance(kTimerSlack);
  FireBoth();
  ASSERT_EQ(Get(id).state(), v1::TOUCH_STATE_SENT);

  v1::RecordFeedbackRequest req;
  req.set_request_id("fb-manual");
  req.set_touch_id(id);
  req.mutable_feedback()->set_rating(1);
  req.mutable_feedback()->set_comment("stop writing to me like a robot");
  v1::RecordFeedbackResponse first, repeat;
  ASSERT_TRUE(service_->DoRecordFeedback(req, &first).ok());
  ASSERT_TRUE(service_->DoRecordFeedback(req, &repeat).ok());
  EXPECT_EQ(complaints_.opened(), 1u);
  EXPECT_EQ(complaints_.last().order_id(), "") << "no order behind a manual touch";
  EXPECT_EQ(complaints_.last().stated_cause(), cv1::CAUSE_EXPECTATION_GAP);
  EXPECT_EQ(complaints_.last().source_touch_id(), id);
  EXPECT_FALSE(first.touch().complaint_id().empty());
}

TEST_F(OutreachFlowTest, LowRatingOnCareTipsCarriesTheOrderR11) {
  Register();
  ov1::OrderShipped shipped;
  *shipped.mutable_order() = Order("ord-2");
  Deliver("order", "shipped", shipped);
  const std::string id = TouchId(kCustomer, v1::TRIGGER_CARE_TIPS, "ord-2");
  clock_.Advance(absl::Hours(1));
  FireBoth();
  ASSERT_EQ(Get(id).state(), v1::TOUCH_STATE_SENT);
  v1::RecordFeedbackRequest req;
  req.set_request_id("fb-tips");
  req.set_touch_id(id);
  req.mutable_feedback()->set_rating(2);
  v1::RecordFeedbackResponse resp;
  ASSERT_TRUE(service_->DoRecordFeedback(req, &resp).ok());
  EXPECT_EQ(complaints_.opened(), 1u);
  EXPECT_EQ(complaints_.last().order_id(), "ord-2");
  EXPECT_EQ(complaints_.last().request_id(), id + ":complaint");
}

TEST_F(OutreachFlowTest, RefundCancelsThePendingFeedbackRequest) {
  Register();
  DeliverOrder("ord-1");
  ov1::OrderRefunded refunded;
  *refunded.mutable_order() = Order("ord-1");
  Deliver("order", "refunded", refunded);
  const std::string id = TouchId(kCustomer, v1::TRIGGER_FEEDBACK_REQUEST, "ord-1");
  clock_.Advance(absl::Hours(80));
  FireBoth();
  EXPECT_EQ(Get(id).state(), v1::TOUCH_STATE_CANCELLED);
  EXPECT_EQ(Count(kSent, id), 0);
  EXPECT_EQ(Count("revisit.outreach.touch_cancelled.v1", id), 1);
}

TEST_F(OutreachFlowTest, APaidOrderAfterACampaignTouchIsCreditedAndARefundTakesItBackR12) {
  Register();
  ov1::OrderPaid paid;
  *paid.mutable_order() = Order("ord-1");
  *paid.mutable_order()->mutable_paid_at() = ToProto(clock_.Now());
  Deliver("order", "paid", paid);
  clock_.Advance(kTimerSlack);
  FireBoth();
  // O1, R5: a paid order is thanked.
  const std::string thanks = TouchId(kCustomer, v1::TRIGGER_ORDER_THANKS, "ord-1");
  ASSERT_EQ(Get(thanks).state(), v1::TOUCH_STATE_SENT);
  // R2: care tips with the shipment, a non-transactional touch.
  ov1::OrderShipped shipped;
  *shipped.mutable_order() = Order("ord-1");
  *shipped.mutable_order()->mutable_shipped_at() = ToProto(clock_.Now());
  Deliver("order", "shipped", shipped);
  clock_.Advance(kTimerSlack);
  FireBoth();
  const std::string tips = TouchId(kCustomer, v1::TRIGGER_CARE_TIPS, "ord-1");
  ASSERT_EQ(Get(tips).state(), v1::TOUCH_STATE_SENT);
  clock_.Advance(absl::Hours(24 * 5));
  // Placed but not paid: no credit yet.
  ov1::OrderCreated created;
  *created.mutable_order() = Order("ord-2");
  *created.mutable_order()->mutable_created_at() = ToProto(clock_.Now());
  Deliver("order", "created", created);
  EXPECT_EQ(Count("revisit.outreach.revisit_attributed.v1", tips), 0) << "only paid orders count";
  ov1::OrderPaid paid2;
  *paid2.mutable_order() = created.order();
  paid2.mutable_order()->mutable_paid()->set_amount_minor(12900);
  paid2.mutable_order()->mutable_paid()->set_currency("CNY");
  *paid2.mutable_order()->mutable_paid_at() = ToProto(clock_.Now());
  Deliver("order", "paid", paid2);
  EXPECT_EQ(Count("revisit.outreach.revisit_attributed.v1", tips), 1);
  EXPECT_EQ(Count("revisit.outreach.revisit_attributed.v1", thanks), 0)
      << "the thank-you is transactional: it earns no credit";
  auto stats = instances_[0]->store->CampaignCounters("care_tips");
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ((*stats)["treated_revisits"], 1);
  EXPECT_EQ((*stats)["revenue_minor"], 12900);
  auto thanks_stats = instances_[0]->store->CampaignCounters("order_thanks");
  ASSERT_TRUE(thanks_stats.ok());
  EXPECT_EQ((*thanks_stats)["treated_revisits"], 0);

  // A refund within the window takes the credit back, and says so on the credited
  // touch (attribution_reversed): first part of the revenue, then, refunded in full,
  // the revisit itself. Each refund event is delivered twice: one event each.
  auto refund = [&](const std::string& id, int64_t minor, int64_t refunded_total) {
    ov1::OrderRefunded refunded;
    *refunded.mutable_order() = paid2.order();
    refunded.mutable_order()->mutable_refunded()->set_amount_minor(refunded_total);
    refunded.mutable_refund()->set_refund_id(id);
    refunded.mutable_refund()->mutable_amount()->set_amount_minor(minor);
    refunded.mutable_refund()->mutable_amount()->set_currency("CNY");
    Deliver("order", "refunded", refunded);
  };
  refund("rf-1", 4000, 4000);
  refund("rf-2", 8900, 12900);
  std::vector<v1::AttributionReversed> reversed;
  for (const auto& e : Outbox()) {
    if (e.type != "revisit.outreach.attribution_reversed.v1") continue;
    EXPECT_EQ(e.subject, tips);
    v1::AttributionReversed ev;
    ASSERT_TRUE(ev.ParseFromString(e.payload));
    reversed.push_back(ev);
  }
  ASSERT_EQ(reversed.size(), 2u);
  EXPECT_EQ(reversed[0].refund_id(), "rf-1");
  EXPECT_EQ(reversed[0].revenue_minor(), 4000);
  EXPECT_FALSE(reversed[0].revisit_reversed());
  EXPECT_EQ(reversed[1].refund_id(), "rf-2");
  EXPECT_EQ(reversed[1].order_id(), "ord-2");
  EXPECT_EQ(reversed[1].touch().campaign(), "care_tips");
  EXPECT_EQ(reversed[1].revenue_minor(), 8900);
  EXPECT_TRUE(reversed[1].revisit_reversed());
  stats = instances_[0]->store->CampaignCounters("care_tips");
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ((*stats)["treated_revisits"], 0);
  EXPECT_EQ((*stats)["revenue_minor"], 0);
}

// L4: a points-expiry warning still pending (here: its timer has not fired) is
// cancelled when the customer buys (points_earned) before the warned date; a later
// warning of the new date is a new touch. Each event is delivered twice.
TEST_F(OutreachFlowTest, APurchaseBeforeTheExpiryCancelsThePendingWarningL4) {
  Register();
  const absl::Time expires = clock_.Now() + absl::Hours(24 * 3);
  revisit::loyalty::v1::PointsExpiring warning;
  warning.set_customer_id(kCustomer);
  warning.set_points(300);
  *warning.mutable_expires_at() = ToProto(expires);
  Deliver("loyalty", "points_expiring", warning);
  const std::string id = TouchId(kCustomer, v1::TRIGGER_POINTS_EXPIRING,
                                 absl::StrCat("points-expiring-", absl::ToUnixMillis(expires)));
  ASSERT_EQ(Get(id).state(), v1::TOUCH_STATE_SCHEDULED);

  revisit::loyalty::v1::PointsEarned earned;
  earned.mutable_entry()->set_customer_id(kCustomer);
  earned.mutable_entry()->set_kind(revisit::loyalty::v1::ENTRY_KIND_EARN);
  earned.mutable_entry()->set_pending_delta(129);
  *earned.mutable_entry()->mutable_at() = ToProto(clock_.Now());
  earned.set_order_id("ord-2");
  Deliver("loyalty", "points_earned", earned);
  EXPECT_EQ(Get(id).state(), v1::TOUCH_STATE_CANCELLED);
  EXPECT_EQ(Count("revisit.outreach.touch_cancelled.v1", id), 1);
  clock_.Advance(kTimerSlack);
  FireBoth();
  EXPECT_EQ(Count(kSent, id), 0);

  // Loyalty warns of the new date later: a touch of its own, which goes out.
  const absl::Time later = expires + absl::Hours(24 * 30);
  *warning.mutable_expires_at() = ToProto(later);
  Deliver("loyalty", "points_expiring", warning);
  const std::string next = TouchId(kCustomer, v1::TRIGGER_POINTS_EXPIRING,
                                   absl::StrCat("points-expiring-", absl::ToUnixMillis(later)));
  clock_.Advance(kTimerSlack);
  FireBoth();
  EXPECT_EQ(Get(next).state(), v1::TOUCH_STATE_SENT);
}

// Upgrade path (issue 17, store/touch_record.h): a touch and a customer's record
// written by a version before the compact form (touch entity touch:<id> {v, d},
// the pending ref with its touch_id, the touch in touches_of) are read, listed once,
// fired by the dispatcher, and moved to the compact form by their first change.
TEST_F(OutreachFlowTest, TouchesOfTheFormBeforeIssue17AreReadSentAndMovedR1) {
  Register();
  const std::string id = DeliverOrder("ord-1");
  const int shard = ShardOf(kCustomer);
  RedisClient& redis = *instances_[0]->redis;
  // Rewrite both records in the old form.
  const v1::Touch scheduled = Get(id);
  const std::string old_key = TouchKey(shard, id);
  ASSERT_TRUE(redis.Command({"HSET", old_key, "v", "2", "d", scheduled.SerializeAsString()}).ok());
  ASSERT_TRUE(redis.Command({"HDEL", TouchesKey(shard), id}).ok());
  auto record = instances_[0]->store->GetCustomer(kCustomer);
  ASSERT_TRUE(record.ok() && record->value.pending_size() == 1);
  ASSERT_EQ(record->value.pending(0).touch_id(), id);
  ASSERT_TRUE(redis.Command({"HSET", CustomerKey(shard, kCustomer), "d",
                             record->value.SerializeAsString()}).ok());
  ASSERT_TRUE(redis.Command({"ZADD", TouchesOfKey(shard, kCustomer),
                             std::to_string(absl::ToUnixMillis(FromProto(scheduled.due_at()))), id})
                  .ok());

  auto list = [&] {
    v1::ListTouchesRequest req;
    req.set_customer_id(kCustomer);
    req.mutable_page()->set_page_size(100);
    v1::ListTouchesResponse resp;
    grpc::ServerContext ctx;
    EXPECT_TRUE(service_->ListTouches(&ctx, &req, &resp).ok());
    return std::vector<v1::Touch>(resp.touches().begin(), resp.touches().end());
  };
  EXPECT_EQ(Get(id).SerializeAsString(), scheduled.SerializeAsString());
  auto listed = list();
  ASSERT_EQ(listed.size(), 1u) << "listed once from the pending ref and touches_of";
  EXPECT_EQ(listed[0].touch_id(), id);

  clock_.Advance(absl::Hours(72) + kTimerSlack);
  FireBoth();
  EXPECT_EQ(Count(kSent, id), 1);
  EXPECT_EQ(Get(id).state(), v1::TOUCH_STATE_SENT);
  auto exists = redis.Command({"EXISTS", old_key});
  ASSERT_TRUE(exists.ok());
  EXPECT_EQ(exists->integer, 0) << "the old entity was moved, not left behind";
  auto compact = redis.Command({"HGET", TouchesKey(shard), id});
  ASSERT_TRUE(compact.ok());
  v1::Touch stored;
  ASSERT_TRUE(stored.ParseFromString(compact->str));
  EXPECT_EQ(stored.touch_id(), "") << "the compact form names the touch by its field";
  EXPECT_EQ(stored.state(), v1::TOUCH_STATE_SENT);
  listed = list();
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].state(), v1::TOUCH_STATE_SENT);
}

// The rollout from a version before issue 17 (REVISIT_OUTREACH_COMPACT_TOUCHES=false):
// touches and records are written in the form that version reads, and sent.
TEST_F(OutreachFlowTest, DuringARolloutTouchesAreWrittenInTheFormBeforeIssue17R1) {
  config_.compact_touches = false;
  Register();
  const std::string id = DeliverOrder("ord-1");
  const int shard = ShardOf(kCustomer);
  RedisClient& redis = *instances_[0]->redis;
  auto entity = [&] {
    auto r = redis.Command({"HMGET", TouchKey(shard, id), "v", "d"});
    v1::Touch t;
    EXPECT_TRUE(r.ok() && r->elements.size() == 2 && t.ParseFromString(r->elements[1].str));
    return t;
  };
  EXPECT_EQ(entity().state(), v1::TOUCH_STATE_SCHEDULED);
  EXPECT_EQ(entity().touch_id(), id);
  auto compact = redis.Command({"HEXISTS", TouchesKey(shard), id});
  ASSERT_TRUE(compact.ok());
  EXPECT_EQ(compact->integer, 0);
  auto record = redis.Command({"HGET", CustomerKey(shard, kCustomer), "d"});
  store::CustomerState c;
  ASSERT_TRUE(record.ok() && c.ParseFromString(record->str));
  ASSERT_EQ(c.pending_size(), 1);
  EXPECT_EQ(c.pending(0).touch_id(), id) << "the ID the older version looks for";
  auto indexed = redis.Command({"ZSCORE", TouchesOfKey(shard, kCustomer), id});
  ASSERT_TRUE(indexed.ok());
  EXPECT_FALSE(indexed->is_nil()) << "older versions list touches from touches_of only";

  clock_.Advance(absl::Hours(72) + kTimerSlack);
  FireBoth();
  EXPECT_EQ(Count(kSent, id), 1);
  EXPECT_EQ(entity().state(), v1::TOUCH_STATE_SENT);
}

}  // namespace
}  // namespace revisit::outreach
