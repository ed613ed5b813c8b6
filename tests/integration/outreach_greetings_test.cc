// Outreach R3 (birthdays with a gift, holidays) and R9 (check-ins) against a real
// redis-server with a manual clock. As in outreach_flow_test.cc, two in-process
// "instances" (own Redis connection, EventHandler, Dispatcher, GreetingsScheduler,
// TimerScheduler) fire every timer concurrently; time moves only when the test says.
// The loyalty service is a small fake gRPC LoyaltyService (the only fake) that
// issues one voucher per request_id the way the real one deduplicates.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/clock.h"
#include "common/grpc_client.h"
#include "common/keys.h"
#include "common/outbox.h"
#include "common/redis_client.h"
#include "common/timer_queue.h"
#include "revisit/loyalty/v1/events.pb.h"
#include "revisit/loyalty/v1/loyalty.grpc.pb.h"
#include "revisit/order/v1/events.pb.h"
#include "revisit/outreach/v1/events.pb.h"
#include "services/outreach/edge/dispatcher.h"
#include "services/outreach/edge/timer_routes.h"
#include "services/outreach/edge/event_handler.h"
#include "services/outreach/edge/greetings_scheduler.h"
#include "services/outreach/edge/loyalty_voucher_issuer.h"
#include "common/proto_time.h"
#include "services/outreach/domain/touch_ids.h"
#include "tests/harness/redis_server.h"
#include "tests/harness/tls_material.h"

namespace revisit::outreach {
namespace {

namespace ov1 = revisit::order::v1;
namespace lv1 = revisit::loyalty::v1;
using revisit::common::v1::CHANNEL_APP_PUSH;

const char kSent[] = "revisit.outreach.touch_sent.v1";
const char kScheduled[] = "revisit.outreach.touch_scheduled.v1";
const char kSuppressed[] = "revisit.outreach.touch_suppressed.v1";

// The only fake: a LoyaltyService issuing one voucher per request_id.
class FakeLoyalty final : public lv1::LoyaltyService::Service {
 public:
  grpc::Status IssueVoucher(grpc::ServerContext*, const lv1::IssueVoucherRequest* req,
                            lv1::IssueVoucherResponse* resp) override {
    std::lock_guard<std::mutex> lock(mu_);
    auto [it, fresh] = issued_.emplace(req->request_id(), req->voucher());
    if (fresh) it->second.set_voucher_id(absl::StrCat("vch-", issued_.size()));
    *resp->mutable_voucher() = it->second;
    return grpc::Status::OK;
  }
  std::map<std::string, lv1::Voucher> issued() {
    std::lock_guard<std::mutex> l(mu_);
    return issued_;
  }

 private:
  std::mutex mu_;
  std::map<std::string, lv1::Voucher> issued_;
};

class NoContacts : public ContactSource {
 public:
  absl::StatusOr<Contact> Fetch(const std::string&, Channel) override { return Contact{}; }
};

struct Instance {
  Instance(const OutreachConfig& config, int port, const Clock& clock, ContactSource& contacts,
           VoucherIssuer& vouchers) {
    RedisOptions o;
    o.port = port;
    redis = std::make_unique<RedisClient>(o);
    store = std::make_unique<OutreachStore>(*redis);
    dispatcher = std::make_unique<Dispatcher>(config, *store, clock, adapter, contacts, vouchers);
    events = std::make_unique<EventHandler>(config, *store, clock);
    greetings = std::make_unique<GreetingsScheduler>(config, *store, clock);
    TimerSchedulerOptions t;
    t.service = kService;
    timers = std::make_unique<TimerScheduler>(*redis, clock, t,
                                              OutreachTimers(*greetings, *dispatcher));  // as main.cc
  }
  EventAdapter adapter;
  std::unique_ptr<RedisClient> redis;
  std::unique_ptr<OutreachStore> store;
  std::unique_ptr<Dispatcher> dispatcher;
  std::unique_ptr<EventHandler> events;
  std::unique_ptr<GreetingsScheduler> greetings;
  std::unique_ptr<TimerScheduler> timers;
};

// Customer IDs of shard `shard` (all of them in one shard makes its known-customers
// set big enough for SSCAN to page), optionally outside the holdout of `campaign`.
std::vector<std::string> CustomersIn(int shard, int n, const std::string& campaign = "",
                                     int holdout_permille = 0) {
  std::vector<std::string> out;
  for (int i = 0; static_cast<int>(out.size()) < n; ++i) {
    std::string id = absl::StrFormat("cus-%016x", 0xc0000 + i);
    if (ShardOf(id) != shard) continue;
    if (!campaign.empty() && InHoldout(id, campaign, holdout_permille)) continue;
    out.push_back(id);
  }
  return out;
}

class OutreachGreetingsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto r = testing::RedisServer::Start();
    ASSERT_TRUE(r.ok()) << r.status();
    redis_server_ = *std::move(r);
    grpc::ServerBuilder b;
    // mTLS as in production: the fake loyalty has loyalty's certificate, outreach's
    // channels present outreach's (MakeChannel's process default).
    b.AddListeningPort("127.0.0.1:0", testing::TlsMaterial::Get().ServerCredentials("loyalty"),
                       &loyalty_port_);
    SetDefaultChannelCredentials(testing::TlsMaterial::Get().ChannelCredentials("service/outreach"));
    b.RegisterService(&loyalty_);
    loyalty_server_ = b.BuildAndStart();
    config_.common.service = kService;
    config_.default_time_zone = absl::UTCTimeZone();
    config_.revisit_window = absl::Hours(24 * 14);
    config_.idempotency_ttl = absl::Hours(24);
    config_.inbox_ttl = absl::Hours(24 * 400);
    config_.call_deadline = absl::Seconds(5);
    config_.loyalty_address = absl::StrCat("127.0.0.1:", loyalty_port_);
    config_.win_back_currency = "CNY";
    config_.win_back_validity = absl::Hours(24 * 30);
    // Monday 2026-03-02 10:00 UTC.
    clock_.Set(absl::FromCivil(absl::CivilSecond(2026, 3, 2, 10, 0, 0), absl::UTCTimeZone()));
  }
  void Start() {
    vouchers_ = std::make_unique<LoyaltyVoucherIssuer>(config_);
    for (int i = 0; i < 2; ++i)
      instances_.push_back(std::make_unique<Instance>(config_, redis_server_->port(), clock_,
                                                      contacts_, *vouchers_));
  }
  void TearDown() override { loyalty_server_->Shutdown(); }

  void Deliver(const std::string& customer, const std::string& name,
               const google::protobuf::Message& payload, int times = 1) {
    EventEnvelope e = MakeEvent("order", name, customer, "agg", clock_.Now(), payload);
    e.sequence = 1;
    for (int i = 0; i < times; ++i) ASSERT_TRUE(instances_[i % 2]->events->Handle(e).ok());
  }
  ov1::CustomerRegistered Registration(const std::string& customer, const std::string& tz,
                                       int month = 0, int day = 0) {
    ov1::CustomerRegistered reg;
    reg.set_customer_id(customer);
    reg.set_time_zone(tz);
    auto* c = reg.add_consents();
    c->set_channel(CHANNEL_APP_PUSH);
    c->set_granted(true);
    reg.mutable_birthday()->set_month(month);
    reg.mutable_birthday()->set_day(day);
    return reg;
  }
  void FireBoth() {
    std::thread a([&] { ASSERT_TRUE(instances_[0]->timers->RunOnce().ok()); });
    std::thread b([&] { ASSERT_TRUE(instances_[1]->timers->RunOnce().ok()); });
    a.join();
    b.join();
  }
  // Moves time in `step`s until `until`, firing timers (a few passes per step so
  // sweep pages, re-armed due now, complete).
  void RunUntil(absl::Time until, absl::Duration step) {
    while (clock_.Now() < until) {
      clock_.Advance(std::min(step, until - clock_.Now()));
      for (int i = 0; i < 4; ++i) FireBoth();
    }
  }
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
  // Events of `type` per subject (touch ID).
  std::map<std::string, int> CountBySubject(const std::string& type) {
    std::map<std::string, int> n;
    for (const auto& e : Outbox())
      if (e.type == type) ++n[e.subject];
    return n;
  }
  v1::Touch Get(const std::string& id) {
    auto t = instances_[0]->store->GetTouch(id, "touch_id");
    EXPECT_TRUE(t.ok()) << t.status();
    return t.ok() ? *t : v1::Touch();
  }
  absl::Time Utc(int y, int m, int d, int hh = 0) {
    return absl::FromCivil(absl::CivilSecond(y, m, d, hh, 0, 0), absl::UTCTimeZone());
  }

  std::unique_ptr<testing::RedisServer> redis_server_;
  FakeLoyalty loyalty_;
  int loyalty_port_ = 0;
  std::unique_ptr<grpc::Server> loyalty_server_;
  OutreachConfig config_;
  ManualClock clock_;
  NoContacts contacts_;
  std::unique_ptr<LoyaltyVoucherIssuer> vouchers_;
  std::vector<std::unique_ptr<Instance>> instances_;
};

TEST_F(OutreachGreetingsTest, OneBirthdayTouchPerYearOnTheDayAfterQuietHoursWithAGiftR3) {
  config_.measure.quiet.end_minute = 11 * 60;  // quiet 21:00-11:00: 10:00 is still quiet
  Start();
  const std::string customer =
      CustomersIn(3, 1, "birthday", config_.rules.For(v1::TRIGGER_BIRTHDAY).holdout_permille)[0];
  const absl::TimeZone sh = ZoneOrDefault("Asia/Shanghai", absl::UTCTimeZone());
  ov1::CustomerRegistered reg = Registration(customer, "Asia/Shanghai", 3, 10);
  Deliver(customer, "customer_registered", reg, 3);  // redelivered: still one timer
  ov1::CustomerUpdated upd;  // the same profile again, as an update
  upd.set_customer_id(customer);
  upd.set_time_zone("Asia/Shanghai");
  *upd.mutable_consents() = reg.consents();
  *upd.mutable_birthday() = reg.birthday();
  Deliver(customer, "customer_updated", upd, 2);

  const std::string id2026 = TouchId(customer, v1::TRIGGER_BIRTHDAY, "birthday-2026");
  const std::string id2027 = TouchId(customer, v1::TRIGGER_BIRTHDAY, "birthday-2027");
  RunUntil(absl::FromCivil(absl::CivilSecond(2026, 3, 10, 0, 0, 0), sh), absl::Hours(6));
  EXPECT_EQ(CountBySubject(kScheduled)[id2026], 0) << "nothing before the day";

  RunUntil(Utc(2026, 3, 12), absl::Hours(1));
  EXPECT_EQ(CountBySubject(kScheduled)[id2026], 1);
  ASSERT_EQ(CountBySubject(kSent)[id2026], 1);
  v1::Touch t = Get(id2026);
  const absl::CivilSecond sent = absl::ToCivilSecond(FromProto(t.sent_at()), sh);
  EXPECT_EQ(absl::CivilDay(sent), absl::CivilDay(2026, 3, 10)) << "sent on the birthday";
  EXPECT_GE(sent.hour(), 11) << "after quiet hours";
  EXPECT_EQ(CountBySubject("revisit.outreach.touch_deferred.v1")[id2026], 1)
      << "10:00 is inside the configured quiet hours";
  // The gift: one birthday voucher from loyalty, named in the message.
  auto issued = loyalty_.issued();
  ASSERT_EQ(issued.size(), 1u);
  ASSERT_EQ(issued.count(id2026 + ":voucher"), 1u);
  EXPECT_EQ(issued[id2026 + ":voucher"].kind(), lv1::VOUCHER_KIND_BIRTHDAY);
  EXPECT_EQ(issued[id2026 + ":voucher"].value().amount_minor(), config_.birthday_voucher_minor);
  EXPECT_EQ(t.voucher_id(), issued[id2026 + ":voucher"].voucher_id());
  EXPECT_NE(t.message().find(t.voucher_id()), std::string::npos) << t.message();

  // The profile arrives again after the birthday: no second touch this year.
  Deliver(customer, "customer_registered", reg, 1);
  RunUntil(Utc(2026, 3, 14), absl::Hours(6));
  EXPECT_EQ(CountBySubject(kScheduled)[id2026], 1);

  // A year later: exactly one more, for 2027.
  RunUntil(Utc(2027, 3, 8), absl::Hours(24 * 5));
  EXPECT_EQ(CountBySubject(kScheduled)[id2027], 0);
  RunUntil(Utc(2027, 3, 12), absl::Hours(1));
  EXPECT_EQ(CountBySubject(kSent)[id2026], 1);
  EXPECT_EQ(CountBySubject(kSent)[id2027], 1);
  EXPECT_EQ(absl::CivilDay(absl::ToCivilSecond(FromProto(Get(id2027).sent_at()), sh)),
            absl::CivilDay(2027, 3, 10));
  EXPECT_EQ(loyalty_.issued().size(), 2u);
}

TEST_F(OutreachGreetingsTest, HolidayOncePerCustomerWithHoldoutAcrossPagedSweepsR3) {
  config_.holidays = *ParseHolidays("2026-03-05:Lantern Festival");
  config_.sweep_interval = absl::Hours(6);  // several sweeps see the holiday ahead
  config_.sweep_page = 10;
  Start();
  // 160 customers in one shard: a set big enough for SSCAN to page.
  const std::vector<std::string> customers = CustomersIn(5, 160);
  for (const auto& c : customers) Deliver(c, "customer_registered", Registration(c, "UTC"));
  ASSERT_TRUE(instances_[0]->greetings->ArmSweeps().ok());
  ASSERT_TRUE(instances_[1]->greetings->ArmSweeps().ok());  // second instance: no duplicate

  RunUntil(Utc(2026, 3, 6, 12), absl::Hours(2));
  auto scheduled = CountBySubject(kScheduled);
  auto sent = CountBySubject(kSent);
  auto suppressed = CountBySubject(kSuppressed);
  int holdout = 0;
  const int permille = config_.rules.For(v1::TRIGGER_HOLIDAY).holdout_permille;
  for (const auto& c : customers) {
    const std::string id = TouchId(c, v1::TRIGGER_HOLIDAY, "holiday-2026-03-05");
    EXPECT_EQ(scheduled[id], 1) << c;
    const bool in_holdout = InHoldout(c, "holiday", permille);
    holdout += in_holdout;
    EXPECT_EQ(sent[id], in_holdout ? 0 : 1) << c;
    EXPECT_EQ(suppressed[id], in_holdout ? 1 : 0) << c;
    if (!in_holdout) {
      const v1::Touch t = Get(id);
      EXPECT_EQ(absl::CivilDay(absl::ToCivilSecond(FromProto(t.sent_at()), absl::UTCTimeZone())),
                absl::CivilDay(2026, 3, 5));
      EXPECT_NE(t.message().find("Lantern Festival"), std::string::npos) << t.message();
    }
  }
  EXPECT_LT(holdout, 40) << "holdout share is 5%";
  // The sweep timer stays armed for the next run (one per shard).
  EXPECT_EQ(instances_[0]->timers->Pending(), kShards);
}

// R3 anniversaries: a customer who registered two years ago and first paid one year
// ago (a later order does not move it) gets exactly one greeting of each kind on its
// day, with the year count, however often the sweep and the events come; one more of
// each a year later.
TEST_F(OutreachGreetingsTest, OneAnniversaryGreetingPerKindAndYearWithTheYearCountR3) {
  config_.sweep_interval = absl::Hours(6);
  Start();
  const std::string customer = CustomersIn(
      2, 1, "anniversary", config_.rules.For(v1::TRIGGER_ANNIVERSARY).holdout_permille)[0];
  ov1::CustomerRegistered reg = Registration(customer, "UTC");
  *reg.mutable_registered_at() = ToProto(Utc(2024, 3, 3, 15));
  Deliver(customer, "customer_registered", reg, 2);
  auto paid = [&](const std::string& order, absl::Time at) {
    ov1::OrderPaid p;
    p.mutable_order()->set_order_id(order);
    p.mutable_order()->set_customer_id(customer);
    p.mutable_order()->add_lines()->set_name("Silk scarf");
    *p.mutable_order()->mutable_paid_at() = ToProto(at);
    Deliver(customer, "paid", p);
  };
  paid("ord-late", clock_.Now());         // a later order arrives first ...
  paid("ord-first", Utc(2025, 3, 5, 9));  // ... the first paid order is the earliest
  ASSERT_TRUE(instances_[0]->greetings->ArmSweeps().ok());
  ASSERT_TRUE(instances_[1]->greetings->ArmSweeps().ok());

  const std::string reg26 = TouchId(customer, v1::TRIGGER_ANNIVERSARY, "anniversary-registration-2026");
  const std::string buy26 = TouchId(customer, v1::TRIGGER_ANNIVERSARY, "anniversary-first-purchase-2026");
  const std::string late = TouchId(customer, v1::TRIGGER_ANNIVERSARY, "anniversary-first-purchase-2027");
  RunUntil(Utc(2026, 3, 2, 23), absl::Hours(2));
  EXPECT_EQ(CountBySubject(kScheduled)[reg26], 0) << "nothing before the look-ahead";
  RunUntil(Utc(2026, 3, 8), absl::Hours(2));
  Deliver(customer, "customer_registered", reg, 1);  // seen again: no second greeting
  RunUntil(Utc(2026, 3, 10), absl::Hours(6));
  auto scheduled = CountBySubject(kScheduled);
  auto sent = CountBySubject(kSent);
  EXPECT_EQ(scheduled[reg26], 1);
  EXPECT_EQ(scheduled[buy26], 1);
  EXPECT_EQ(scheduled[late], 0) << "the later order is no anniversary";
  ASSERT_EQ(sent[reg26], 1);
  ASSERT_EQ(sent[buy26], 1);
  int anniversaries = 0;
  for (const auto& e : Outbox()) {
    v1::TouchScheduled s;
    if (e.type == kScheduled && s.ParseFromString(e.payload) &&
        s.touch().trigger() == v1::TRIGGER_ANNIVERSARY)
      ++anniversaries;
  }
  EXPECT_EQ(anniversaries, 2) << "one per kind";
  const v1::Touch r = Get(reg26), b = Get(buy26);
  EXPECT_EQ(absl::CivilDay(absl::ToCivilSecond(FromProto(r.sent_at()), absl::UTCTimeZone())),
            absl::CivilDay(2026, 3, 3));
  EXPECT_EQ(absl::CivilDay(absl::ToCivilSecond(FromProto(b.sent_at()), absl::UTCTimeZone())),
            absl::CivilDay(2026, 3, 5));
  EXPECT_NE(r.message().find("2年前的今天，您成为我们的会员"), std::string::npos) << r.message();
  EXPECT_NE(b.message().find("1年前的今天，您第一次在我们这里购物"), std::string::npos)
      << b.message();

  // A year later: one more of each, counting 3 and 2 years (R6 caps apply: a check-in
  // in the same week may move the second greeting to the next free slot).
  RunUntil(Utc(2027, 3, 1), absl::Hours(24 * 5));
  RunUntil(Utc(2027, 3, 10), absl::Hours(3));
  sent = CountBySubject(kSent);
  const std::string reg27 = TouchId(customer, v1::TRIGGER_ANNIVERSARY, "anniversary-registration-2027");
  EXPECT_EQ(sent[reg26], 1);
  EXPECT_EQ(sent[buy26], 1);
  ASSERT_EQ(sent[reg27], 1);
  ASSERT_EQ(sent[late], 1);
  EXPECT_NE(Get(reg27).message().find("3年前"), std::string::npos) << Get(reg27).message();
  EXPECT_NE(Get(late).message().find("2年前"), std::string::npos) << Get(late).message();
}

TEST_F(OutreachGreetingsTest, CheckInOnlyForTheCustomerNotContactedForThePeriodR9) {
  config_.check_in_after = absl::Hours(24 * 30);
  Start();
  const int permille = config_.rules.For(v1::TRIGGER_CHECK_IN).holdout_permille;
  const std::vector<std::string> ids = CustomersIn(7, 2, "check_in", permille);
  const std::string& silent = ids[0];
  const std::string& buyer = ids[1];
  for (const auto& c : ids) Deliver(c, "customer_registered", Registration(c, "UTC"));
  ASSERT_TRUE(instances_[0]->greetings->ArmSweeps().ok());

  // Day 20: the buyer pays an order and gets the thank-you (a contact).
  RunUntil(Utc(2026, 3, 22, 10), absl::Hours(12));
  ov1::OrderPaid paid;
  paid.mutable_order()->set_order_id("ord-1");
  paid.mutable_order()->set_customer_id(buyer);
  paid.mutable_order()->add_lines()->set_name("Silk scarf");
  *paid.mutable_order()->mutable_paid_at() = ToProto(clock_.Now());
  Deliver(buyer, "paid", paid);

  // Day 45: only the silent customer was out of touch for 30 days.
  RunUntil(Utc(2026, 4, 16, 10), absl::Hours(12));
  int silent_sent = 0, buyer_checkins = 0;
  for (const auto& e : Outbox()) {
    if (e.type != kScheduled && e.type != kSent) continue;
    v1::TouchScheduled s;
    if (e.type == kScheduled && s.ParseFromString(e.payload) &&
        s.touch().trigger() == v1::TRIGGER_CHECK_IN && s.touch().customer_id() == buyer)
      ++buyer_checkins;
    v1::TouchSent sent;
    if (e.type == kSent && sent.ParseFromString(e.payload) &&
        sent.touch().trigger() == v1::TRIGGER_CHECK_IN) {
      EXPECT_EQ(sent.touch().customer_id(), silent);
      ++silent_sent;
      EXPECT_GE(FromProto(sent.sent_at()), Utc(2026, 4, 1, 10)) << "not before 30 days of silence";
    }
  }
  EXPECT_EQ(silent_sent, 1) << "one check-in per period";
  EXPECT_EQ(buyer_checkins, 0);
}

// R7 (L9): a customer loyalty finds overdue against their own rhythm gets a win-back
// touch with a real offer: a voucher issued by loyalty, named in the message.
TEST_F(OutreachGreetingsTest, WinBackCarriesARealVoucherFromLoyaltyR7) {
  Start();
  const int permille = config_.rules.For(v1::TRIGGER_WIN_BACK).holdout_permille;
  const std::string customer = CustomersIn(3, 1, "win_back", permille)[0];
  Deliver(customer, "customer_registered", Registration(customer, "UTC"));
  lv1::ChurnRiskDetected churn;
  churn.set_customer_id(customer);
  *churn.mutable_last_order_at() = ToProto(clock_.Now() - absl::Hours(24 * 90));
  EventEnvelope e = MakeEvent("loyalty", "churn_risk_detected", customer, customer, clock_.Now(), churn);
  e.sequence = 1;
  ASSERT_TRUE(instances_[0]->events->Handle(e).ok());
  RunUntil(clock_.Now() + absl::Hours(24), absl::Hours(1));

  const std::string id = TouchId(customer, v1::TRIGGER_WIN_BACK,
                                 absl::StrCat("lapse-", absl::ToUnixMillis(FromProto(churn.last_order_at()))));
  ASSERT_EQ(CountBySubject(kSent)[id], 1);
  v1::Touch t = Get(id);
  auto issued = loyalty_.issued();
  ASSERT_EQ(issued.count(id + ":voucher"), 1u);
  EXPECT_EQ(issued[id + ":voucher"].customer_id(), customer);
  EXPECT_GT(issued[id + ":voucher"].value().amount_minor(), 0);
  EXPECT_EQ(t.voucher_id(), issued[id + ":voucher"].voucher_id());
  EXPECT_NE(t.message().find(t.voucher_id()), std::string::npos) << t.message();
}

}  // namespace
}  // namespace revisit::outreach
