// The security suite against real processes: revisit-order and revisit-complaint
// with mTLS, the shipped authorization table and their own Redis ACL users, a
// real redis-server and the local broker. Proves, per issue 13:
//   - no certificate, an expired one or one from a foreign CA → UNAVAILABLE;
//   - a valid service calling an RPC it may not → PERMISSION_DENIED naming both;
//   - a role forged in a request body is ignored: C8's authority check and the
//     audit trail use the certificate's role and actor;
//   - order's Redis user cannot read complaint's keys (NOPERM), nor run
//     FLUSHALL, KEYS or CONFIG, while both services work under their users.
// No timing assertions: every wait is "until the condition holds" under a guard.
#include <grpcpp/create_channel.h>

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/redis_client.h"
#include "gmock/gmock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "gtest/gtest.h"
#include "revisit/complaint/v1/complaint.grpc.pb.h"
#include "revisit/order/v1/order.grpc.pb.h"
#include "tests/harness/local_broker.h"
#include "tests/harness/redis_server.h"
#include "tests/harness/eventually.h"
#include "tests/harness/subprocess.h"
#include "tests/harness/temp_dir.h"
#include "tests/harness/tls_material.h"

#if !defined(REVISIT_ORDER_PATH) || !defined(REVISIT_COMPLAINT_PATH)
#error "REVISIT_ORDER_PATH and REVISIT_COMPLAINT_PATH must name the service binaries"
#endif

namespace revisit {
namespace {

using testing::TlsMaterial;
using ::testing::AnyOf;
using ::testing::HasSubstr;
namespace ov1 = ::revisit::order::v1;
namespace cv1 = ::revisit::complaint::v1;

constexpr absl::Duration kGuard = absl::Seconds(90);  // failure guard, never a timing check

common::v1::Actor Forged() {  // what a body may claim; the certificate decides
  common::v1::Actor a;
  a.set_id("boss");
  a.set_role("manager");
  return a;
}

common::v1::Money Cny(int64_t minor) {
  common::v1::Money m;
  m.set_amount_minor(minor);
  m.set_currency("CNY");
  return m;
}

class SecurityServicesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto dir = testing::TempDir::Create("security-it");
    ASSERT_TRUE(dir.ok()) << dir.status();
    dir_ = *std::move(dir);
    auto redis = testing::RedisServer::Start();
    ASSERT_TRUE(redis.ok()) << redis.status();
    redis_ = *std::move(redis);
    ASSERT_TRUE(redis_->CreateServiceUsers().ok());
    auto broker = testing::LocalBroker::Start();
    ASSERT_TRUE(broker.ok()) << broker.status();
    broker_ = *std::move(broker);
    for (auto* port : {&order_port_, &complaint_port_}) {
      auto p = testing::FreePort();
      ASSERT_TRUE(p.ok()) << p.status();
      *port = *p;
    }
    ASSERT_NO_FATAL_FAILURE(Start("order", REVISIT_ORDER_PATH, order_port_));
    ASSERT_NO_FATAL_FAILURE(Start("complaint", REVISIT_COMPLAINT_PATH, complaint_port_));
  }

  void TearDown() override {
    if (!::testing::Test::HasFailure()) return;
    for (auto& [name, p] : procs_) std::cerr << "---- " << name << " log ----\n" << p->ReadLog();
  }

  void Start(const std::string& name, const std::string& path, int port) {
    std::map<std::string, std::string> env = {
        {"REVISIT_GRPC_PORT", std::to_string(port)},
        {"REVISIT_METRICS_PORT", "-1"},
        {"REVISIT_BIND_ADDRESS", "127.0.0.1"},
        {"REVISIT_REDIS_ADDR", redis_->Address()},
        {"REVISIT_KAFKA_BOOTSTRAP", broker_->Bootstrap()},
        {"REVISIT_INSTANCE_ID", name + "-security"},
        {"REVISIT_ORDER_ADDR", absl::StrCat("127.0.0.1:", order_port_)},
    };
    for (auto& [k, v] : TlsMaterial::Get().ServiceEnv(name)) env[k] = v;
    for (auto& [k, v] : testing::RedisServer::ServiceEnv(name)) env[k] = v;
    testing::SubprocessOptions opts;
    opts.path = path;
    opts.env = env;
    opts.log_path = dir_->File(name + ".log");
    auto proc = testing::Subprocess::Start(opts);
    ASSERT_TRUE(proc.ok()) << proc.status();
    testing::Subprocess* p = proc->get();
    procs_[name] = *std::move(proc);
    auto health = grpc::health::v1::Health::NewStub(Channel(port, "operator/revisitctl"));
    ASSERT_EQ(revisit::testing::Eventually(name + " SERVING", [&] {
      EXPECT_TRUE(p->Running()) << name << " exited:\n" << p->ReadLog();
      if (!p->Running()) return true;
      grpc::ClientContext ctx;
      ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(1)));
      ctx.set_wait_for_ready(true);  // poll the (mTLS) connection attempt meanwhile
      grpc::health::v1::HealthCheckResponse resp;
      return health->Check(&ctx, {}, &resp).ok() &&
             resp.status() == grpc::health::v1::HealthCheckResponse::SERVING;
    }, kGuard), absl::OkStatus());
  }

  std::shared_ptr<grpc::Channel> Channel(int port, const std::string& identity) {
    return grpc::CreateChannel(absl::StrCat("127.0.0.1:", port),
                               TlsMaterial::Get().ChannelCredentials(identity));
  }
  std::unique_ptr<ov1::OrderService::Stub> Orders(const std::string& identity) {
    return ov1::OrderService::NewStub(Channel(order_port_, identity));
  }
  std::unique_ptr<cv1::ComplaintService::Stub> Complaints(const std::string& identity) {
    return cv1::ComplaintService::NewStub(Channel(complaint_port_, identity));
  }

  template <typename Stub, typename Req, typename Resp>
  grpc::Status Call(Stub* stub, grpc::Status (Stub::*method)(grpc::ClientContext*, const Req&, Resp*),
                    const Req& req, Resp* resp) {
    grpc::ClientContext ctx;
    ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(20)));
    return (stub->*method)(&ctx, req, resp);
  }

  // A delivered order of 2 x 129.00 + 1 x 50.00 = 308.00 CNY, set up by an operator,
  // known to complaint's projection.
  ov1::Order DeliveredOrder() {
    auto orders = Orders("operator/revisitctl");
    ov1::CreateCustomerRequest cc;
    cc.set_request_id("cus-sec");
    cc.mutable_customer()->set_name("李华");
    cc.mutable_customer()->add_phones("13900139000");
    ov1::CreateCustomerResponse cr;
    EXPECT_TRUE(Call(orders.get(), &ov1::OrderService::Stub::CreateCustomer, cc, &cr).ok());
    ov1::CreateOrderRequest co;
    co.set_request_id("ord-sec");
    co.set_customer_id(cr.customer().customer_id());
    for (auto [sku, qty, price] : {std::tuple{"SCARF-1", 2, 12900}, std::tuple{"CARE-KIT", 1, 5000}}) {
      auto* l = co.add_lines();
      l->set_sku(sku);
      l->set_name(std::string("商品 ") + sku);
      l->set_category("服饰");
      l->set_quantity(qty);
      *l->mutable_unit_price() = Cny(price);
    }
    auto* a = co.mutable_shipping_address();
    a->set_recipient("李华");
    a->set_phone("13900139000");
    a->set_province("浙江省");
    a->set_city("杭州市");
    a->set_district("西湖区");
    a->set_street("文三路 1号");
    ov1::CreateOrderResponse created;
    grpc::Status st = Call(orders.get(), &ov1::OrderService::Stub::CreateOrder, co, &created);
    EXPECT_TRUE(st.ok()) << st.error_message();
    const std::string id = created.order().order_id();
    ov1::PayOrderRequest pay;
    pay.set_request_id("pay-sec");
    pay.set_order_id(id);
    *pay.mutable_amount() = created.order().total();
    ov1::PayOrderResponse paid;
    EXPECT_TRUE(Call(orders.get(), &ov1::OrderService::Stub::PayOrder, pay, &paid).ok());
    ov1::ShipOrderRequest ship;
    ship.set_request_id("ship-sec");
    ship.set_order_id(id);
    ship.set_carrier("顺丰速运");
    ship.set_tracking_number("SF0001");
    ov1::ShipOrderResponse shipped;
    EXPECT_TRUE(Call(orders.get(), &ov1::OrderService::Stub::ShipOrder, ship, &shipped).ok());
    ov1::ConfirmDeliveryRequest del;
    del.set_request_id("del-sec");
    del.set_order_id(id);
    del.set_inspected_on_receipt(true);
    ov1::ConfirmDeliveryResponse delivered;
    EXPECT_TRUE(Call(orders.get(), &ov1::OrderService::Stub::ConfirmDelivery, del, &delivered).ok());
    auto complaints = Complaints("agent/agent-1");
    EXPECT_EQ(revisit::testing::Eventually("complaint projection sees the delivery", [&] {
      cv1::CheckEligibilityRequest q;
      q.set_order_id(id);
      q.set_line_id("1");
      q.set_cause(cv1::CAUSE_QUALITY_DEFECT);
      cv1::CheckEligibilityResponse r;
      return Call(complaints.get(), &cv1::ComplaintService::Stub::CheckEligibility, q, &r).ok();
    }, kGuard), absl::OkStatus());
    return delivered.order();
  }

  std::unique_ptr<testing::TempDir> dir_;
  std::unique_ptr<testing::RedisServer> redis_;
  std::unique_ptr<testing::LocalBroker> broker_;
  std::map<std::string, std::unique_ptr<testing::Subprocess>> procs_;
  int order_port_ = 0, complaint_port_ = 0;
};

grpc::Status GetOrder(ov1::OrderService::Stub* stub) {
  grpc::ClientContext ctx;
  ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
  ov1::GetOrderRequest req;
  req.set_order_id("ord-00-0000000000000000");
  ov1::GetOrderResponse resp;
  return stub->GetOrder(&ctx, req, &resp);
}

TEST_F(SecurityServicesTest, OnlyCertificatesOfTheRevisitCaGetIn) {
  auto plaintext = ov1::OrderService::NewStub(grpc::CreateChannel(
      absl::StrCat("127.0.0.1:", order_port_), grpc::InsecureChannelCredentials()));
  EXPECT_EQ(GetOrder(plaintext.get()).error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(GetOrder(Orders("expired-agent").get()).error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(GetOrder(Orders("foreign-agent").get()).error_code(), grpc::StatusCode::UNAVAILABLE);
  // A valid agent gets through to the handler (the order does not exist).
  EXPECT_EQ(GetOrder(Orders("agent/agent-1").get()).error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(SecurityServicesTest, AServiceMayCallOnlyWhatTheTableAllows) {
  ov1::RefundOrderRequest refund;
  refund.set_request_id("refund-sec");
  refund.set_order_id("ord-00-0000000000000000");
  refund.set_reason("not outreach's business");
  ov1::RefundOrderResponse resp;
  grpc::Status st =
      Call(Orders("service/outreach").get(), &ov1::OrderService::Stub::RefundOrder, refund, &resp);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(st.error_message(), HasSubstr("spiffe://revisit/service/outreach"));
  EXPECT_THAT(st.error_message(), HasSubstr("/revisit.order.v1.OrderService/RefundOrder"));
  // loyalty may not even read a customer; an agent may not refund.
  ov1::GetCustomerRequest get;
  get.set_customer_id("cus-00-0000000000000000");
  ov1::GetCustomerResponse customer;
  EXPECT_EQ(Call(Orders("service/loyalty").get(), &ov1::OrderService::Stub::GetCustomer, get, &customer)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Call(Orders("agent/agent-1").get(), &ov1::OrderService::Stub::RefundOrder, refund, &resp)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(SecurityServicesTest, AForgedRoleInTheBodyIsIgnoredC8) {
  const ov1::Order order = DeliveredOrder();
  auto agent = Complaints("agent/agent-1");
  cv1::OpenComplaintRequest open;
  open.set_request_id("open-sec");
  *open.mutable_actor() = Forged();
  open.set_customer_id(order.customer_id());
  open.set_order_id(order.order_id());
  open.add_line_ids("1");
  open.set_stated_cause(cv1::CAUSE_QUALITY_DEFECT);
  open.set_account("围巾有抽丝, the scarf is pulling threads");
  open.set_desired_remedy(cv1::REMEDY_KIND_PARTIAL_REFUND);
  cv1::OpenComplaintResponse opened;
  grpc::Status st = Call(agent.get(), &cv1::ComplaintService::Stub::OpenComplaint, open, &opened);
  ASSERT_TRUE(st.ok()) << st.error_message();
  const std::string id = opened.complaint().complaint_id();
  cv1::AcknowledgeComplaintRequest ack;
  ack.set_request_id("ack-sec");
  *ack.mutable_actor() = Forged();
  ack.set_complaint_id(id);
  ack.set_restatement("one scarf pulls threads after first wear");
  ack.set_restatement_confirmed(true);
  ack.set_apology("非常抱歉 / we are very sorry");
  cv1::AcknowledgeComplaintResponse acked;
  ASSERT_TRUE(Call(agent.get(), &cv1::ComplaintService::Stub::AcknowledgeComplaint, ack, &acked).ok());
  cv1::StartInvestigationRequest inv;
  inv.set_request_id("inv-sec");
  *inv.mutable_actor() = Forged();
  inv.set_complaint_id(id);
  cv1::StartInvestigationResponse investigating;
  ASSERT_TRUE(Call(agent.get(), &cv1::ComplaintService::Stub::StartInvestigation, inv, &investigating).ok());
  cv1::DetermineCauseRequest dc;
  dc.set_request_id("cause-sec");
  *dc.mutable_actor() = Forged();
  dc.set_complaint_id(id);
  dc.set_cause(cv1::CAUSE_QUALITY_DEFECT);
  cv1::DetermineCauseResponse caused;
  ASSERT_TRUE(Call(agent.get(), &cv1::ComplaintService::Stub::DetermineCause, dc, &caused).ok());

  // 300.00 CNY is above an agent's 200.00 (a manager's is unlimited): the body's
  // "manager" is ignored, so the proposal needs approval (C8).
  cv1::ProposeRemediesRequest p;
  p.set_request_id("propose-sec");
  *p.mutable_actor() = Forged();
  p.set_complaint_id(id);
  auto* r = p.add_remedies();
  r->set_kind(cv1::REMEDY_KIND_PARTIAL_REFUND);
  *r->mutable_amount() = Cny(30000);
  cv1::ProposeRemediesResponse proposed;
  st = Call(agent.get(), &cv1::ComplaintService::Stub::ProposeRemedies, p, &proposed);
  ASSERT_TRUE(st.ok()) << st.error_message();
  ASSERT_EQ(proposed.complaint().proposals_size(), 1);
  EXPECT_TRUE(proposed.complaint().proposals(0).requires_approval());

  // The agent cannot approve it, whatever the body says; a supervisor can.
  cv1::ApproveRemedyRequest approve;
  approve.set_request_id("approve-sec");
  *approve.mutable_actor() = Forged();
  approve.set_complaint_id(id);
  approve.set_remedy_id(proposed.complaint().proposals(0).remedy_id());
  cv1::ApproveRemedyResponse approved;
  st = Call(agent.get(), &cv1::ComplaintService::Stub::ApproveRemedy, approve, &approved);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(st.error_message(), HasSubstr("spiffe://revisit/agent/agent-1"));
  st = Call(Complaints("supervisor/supervisor-1").get(), &cv1::ComplaintService::Stub::ApproveRemedy,
            approve, &approved);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(approved.complaint().proposals(0).approved_by(), "supervisor-1");

  // The audit trail names the certificates' actors, never "boss".
  ASSERT_FALSE(approved.complaint().history().empty());
  for (const auto& t : approved.complaint().history()) {
    EXPECT_NE(t.actor().id(), "boss") << t.action();
    EXPECT_NE(t.actor().role(), "manager") << t.action();
  }
  EXPECT_EQ(approved.complaint().history(0).actor().id(), "agent-1");
  EXPECT_EQ(approved.complaint().history(0).actor().role(), "agent");
}

TEST_F(SecurityServicesTest, OrdersRedisUserCannotReadComplaintsKeys) {
  // Both services have been writing under their own users (complaint consumes
  // order's events into its projection): give them something to hold.
  DeliveredOrder();
  RedisOptions as_order = *ParseRedisAddress(redis_->Address());
  as_order.user = "order";
  as_order.password = testing::RedisServer::ServicePassword("order");
  RedisClient order_redis(as_order);
  ASSERT_TRUE(order_redis.Command({"SET", "order:{order:00}:acl-probe", "1"}).ok());
  for (const std::vector<std::string>& cmd :
       std::vector<std::vector<std::string>>{{"GET", "complaint:{complaint:00}:anything"},
                                             {"SCAN", "0", "MATCH", "complaint:*"},
                                             {"EVAL", "return redis.call('GET', ARGV[1])", "0",
                                              "complaint:{complaint:00}:anything"},
                                             {"KEYS", "*"},
                                             {"FLUSHALL"},
                                             {"CONFIG", "GET", "*"},
                                             {"SCRIPT", "FLUSH"},
                                             {"DEBUG", "SLEEP", "0"}}) {
    auto reply = order_redis.Command(cmd);
    EXPECT_FALSE(reply.ok()) << cmd[0];
    // DEBUG is refused before the ACL is consulted unless enable-debug-command is on.
    // A script is refused the key at the redis.call inside it.
    if (cmd[0] != "DEBUG") {
      EXPECT_THAT(reply.status().message(), AnyOf(HasSubstr("NOPERM"), HasSubstr("can't access")))
          << cmd[0];
    }
  }
}

}  // namespace
}  // namespace revisit
