// A ServiceHost configured as every service's (mTLS + the shipped authorization
// table + a probe port), with a fake OrderService, called with the certificates of
// tools/tls/make-certs.sh: who gets in, who may call what, whose actor is recorded.
#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include <fstream>
#include <iterator>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/authorization.h"
#include "common/call_authorizer.h"
#include "common/callback_handlers.h"
#include "common/service_host.h"
#include "common/tls_config.h"
#include "gmock/gmock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "gtest/gtest.h"
#include "revisit/order/v1/order.grpc.pb.h"
#include "tests/harness/temp_dir.h"
#include "tests/harness/tls_material.h"

namespace revisit {
namespace {

using ::grpc::health::v1::Health;
using ::grpc::health::v1::HealthCheckRequest;
using ::grpc::health::v1::HealthCheckResponse;
using ::revisit::order::v1::GetOrderRequest;
using ::revisit::order::v1::GetOrderResponse;
using ::revisit::order::v1::OrderService;
using ::revisit::order::v1::RefundOrderRequest;
using ::revisit::order::v1::RefundOrderResponse;
using ::testing::HasSubstr;
using testing::TlsMaterial;

// Records the actor each RefundOrder arrived with; GetOrder answers OK. Served like the
// services (callback API, handlers on the host's executor), so the authorizer and the
// ActorInterceptor are tested on the path production calls take.
class FakeOrders : public OrderService::CallbackService, public CallbackHandlers {
 public:
  REVISIT_UNARY_RPC(GetOrder, GetOrderRequest, GetOrderResponse)
  REVISIT_UNARY_RPC(RefundOrder, RefundOrderRequest, RefundOrderResponse)
  absl::Mutex mu;
  common::v1::Actor actor ABSL_GUARDED_BY(mu);
};

grpc::Status FakeOrders::GetOrder(grpc::ServerContextBase*, const GetOrderRequest*,
                                  GetOrderResponse*) {
  return grpc::Status::OK;
}

grpc::Status FakeOrders::RefundOrder(grpc::ServerContextBase*, const RefundOrderRequest* req,
                                     RefundOrderResponse*) {
  absl::MutexLock lock(&mu);
  actor = req->actor();
  return grpc::Status::OK;
}

class MtlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const TlsMaterial& tls = TlsMaterial::Get();
    auto policy = AuthorizationPolicy::LoadFile(tls.ServiceEnv("order")["REVISIT_AUTHZ_FILE"]);
    ASSERT_TRUE(policy.ok()) << policy.status();
    ServiceHostOptions o;
    o.service_name = "order";
    o.bind_address = "127.0.0.1";
    o.metrics_port = -1;
    o.probe_port = 0;
    o.drain_timeout = absl::ZeroDuration();
    o.credentials = CallAuthorizer::Install(tls.ServerCredentials("order"), *policy, "order");
    host_ = std::make_unique<ServiceHost>(o);
    host_->AddService(&orders_);
    ASSERT_TRUE(host_->Start().ok());
  }

  std::unique_ptr<OrderService::Stub> Stub(std::shared_ptr<grpc::ChannelCredentials> creds) {
    return OrderService::NewStub(
        grpc::CreateChannel(absl::StrCat("127.0.0.1:", host_->grpc_port()), creds));
  }
  grpc::Status GetOrder(std::shared_ptr<grpc::ChannelCredentials> creds) {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    GetOrderRequest req;
    GetOrderResponse resp;
    return Stub(std::move(creds))->GetOrder(&ctx, req, &resp);
  }
  grpc::Status Refund(const std::string& identity, const common::v1::Actor& claimed) {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    RefundOrderRequest req;
    *req.mutable_actor() = claimed;
    RefundOrderResponse resp;
    return Stub(TlsMaterial::Get().ChannelCredentials(identity))->RefundOrder(&ctx, req, &resp);
  }
  common::v1::Actor Recorded() {
    absl::MutexLock lock(&orders_.mu);
    return orders_.actor;
  }

  FakeOrders orders_;
  std::unique_ptr<ServiceHost> host_;
};

common::v1::Actor MakeActor(const std::string& id, const std::string& role) {
  common::v1::Actor a;
  a.set_id(id);
  a.set_role(role);
  return a;
}

TEST_F(MtlsTest, NoClientCertificateIsRefused) {
  EXPECT_EQ(GetOrder(grpc::InsecureChannelCredentials()).error_code(), grpc::StatusCode::UNAVAILABLE);
  // TLS that verifies the server but presents no certificate of its own.
  grpc::SslCredentialsOptions server_only;
  std::ifstream ca(TlsMaterial::Get().For("service/order").ca_file());
  server_only.pem_root_certs.assign(std::istreambuf_iterator<char>(ca), {});
  EXPECT_EQ(GetOrder(grpc::SslCredentials(server_only)).error_code(), grpc::StatusCode::UNAVAILABLE);
}

TEST_F(MtlsTest, ExpiredAndForeignCertificatesAreRefused) {
  const TlsMaterial& tls = TlsMaterial::Get();
  EXPECT_EQ(GetOrder(tls.ChannelCredentials("expired-agent")).error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(GetOrder(tls.ChannelCredentials("foreign-agent")).error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_TRUE(GetOrder(tls.ChannelCredentials("agent/agent-1")).ok());
}

TEST_F(MtlsTest, ServiceMayCallOnlyWhatTheTableAllows) {
  common::v1::Actor relayed = MakeActor("agent-1", "agent");
  EXPECT_TRUE(Refund("service/complaint", relayed).ok());  // complaint executes refunds (C9)
  grpc::Status denied = Refund("service/outreach", relayed);
  EXPECT_EQ(denied.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(denied.error_message(), HasSubstr("spiffe://revisit/service/outreach"));
  EXPECT_THAT(denied.error_message(), HasSubstr("/revisit.order.v1.OrderService/RefundOrder"));
  EXPECT_EQ(Refund("agent/agent-1", relayed).error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(MtlsTest, TrustedRelaysKeepTheActorTheyActFor) {
  // A service and an operator relay the actor they act for (a person's own
  // certificate overrides the body: ActorInterceptorTest, security_services_test).
  ASSERT_TRUE(Refund("service/complaint", MakeActor("agent-1", "agent")).ok());
  EXPECT_EQ(Recorded().id(), "agent-1");
  ASSERT_TRUE(Refund("operator/revisitctl", MakeActor("staff-7", "supervisor")).ok());
  EXPECT_EQ(Recorded().id(), "staff-7");
  EXPECT_EQ(Recorded().role(), "supervisor");
}

TEST_F(MtlsTest, ApiPortHealthNeedsACertificateButNoRule) {
  auto check = [&](std::shared_ptr<grpc::ChannelCredentials> creds) {
    auto channel = grpc::CreateChannel(absl::StrCat("127.0.0.1:", host_->grpc_port()), creds);
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    HealthCheckResponse health;
    return Health::NewStub(channel)->Check(&ctx, HealthCheckRequest(), &health);
  };
  EXPECT_TRUE(check(TlsMaterial::Get().ChannelCredentials("platform/platform-1")).ok());
  EXPECT_EQ(check(grpc::InsecureChannelCredentials()).error_code(), grpc::StatusCode::UNAVAILABLE);
}

TEST_F(MtlsTest, ProbePortServesPlaintextHealthOnly) {
  auto channel = grpc::CreateChannel(absl::StrCat("127.0.0.1:", host_->probe_port()),
                                     grpc::InsecureChannelCredentials());
  grpc::ClientContext ctx;
  HealthCheckResponse health;
  ASSERT_TRUE(Health::NewStub(channel)->Check(&ctx, HealthCheckRequest(), &health).ok());
  EXPECT_EQ(health.status(), HealthCheckResponse::SERVING);
  grpc::ClientContext api;
  GetOrderResponse resp;
  EXPECT_EQ(OrderService::NewStub(channel)->GetOrder(&api, GetOrderRequest(), &resp).error_code(),
            grpc::StatusCode::UNIMPLEMENTED);
}

// Certificates and CA bundles are re-read from disk (FileWatcherCertificateProvider):
// trusting a second CA, as in a CA rotation, needs no restart.
TEST(MtlsRotationTest, ANewCaBundleIsPickedUpWithoutARestart) {
  const TlsMaterial& tls = TlsMaterial::Get();
  auto dir = testing::TempDir::Create("rotation");
  ASSERT_TRUE(dir.ok());
  auto copy = [](const std::string& from, const std::string& to, bool append = false) {
    std::ifstream in(from);
    std::ofstream out(to, append ? std::ios::app : std::ios::trunc);
    out << in.rdbuf();
  };
  TlsConfig order = tls.For("service/order");
  copy(order.cert_file(), (*dir)->File("tls.crt"));
  copy(order.key_file(), (*dir)->File("tls.key"));
  copy(order.ca_file(), (*dir)->File("ca.crt"));
  TlsConfig server = TlsConfig::Files((*dir)->File("tls.crt"), (*dir)->File("tls.key"),
                                      (*dir)->File("ca.crt"), absl::Seconds(1));
  auto policy = AuthorizationPolicy::Parse("agent/* revisit.order.v1.OrderService/GetOrder");
  ASSERT_TRUE(policy.ok());
  ServiceHostOptions o;
  o.service_name = "order";
  o.bind_address = "127.0.0.1";
  o.metrics_port = -1;
  o.drain_timeout = absl::ZeroDuration();
  o.credentials = CallAuthorizer::Install(server.ServerCredentials(), *policy, "order");
  FakeOrders orders;
  ServiceHost host(o);
  host.AddService(&orders);
  ASSERT_TRUE(host.Start().ok());
  auto get = [&] {
    // A fresh channel each time: a refused handshake is not retried on an old one.
    auto stub = OrderService::NewStub(grpc::CreateChannel(
        absl::StrCat("127.0.0.1:", host.grpc_port()), tls.ChannelCredentials("foreign-agent")));
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    GetOrderResponse resp;
    return stub->GetOrder(&ctx, GetOrderRequest(), &resp);
  };
  EXPECT_EQ(get().error_code(), grpc::StatusCode::UNAVAILABLE);
  // Trust the foreign CA too (a CA rotation's overlap): no restart.
  copy(tls.dir() + "/foreign-ca.crt", (*dir)->File("ca.crt"), /*append=*/true);
  const absl::Time give_up = absl::Now() + absl::Seconds(60);  // failure guard only
  grpc::Status st = get();
  while (!st.ok() && absl::Now() < give_up) {
    absl::SleepFor(absl::Milliseconds(200));
    st = get();
  }
  EXPECT_TRUE(st.ok()) << st.error_message();
}

}  // namespace
}  // namespace revisit
