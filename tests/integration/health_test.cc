// Readiness versus liveness of a real service process (revisit-order) while its
// dependencies fail and come back (issue 18): redis-server is SIGKILLed and
// restarted; the Kafka brokers (an in-process mock cluster, so they come back on the
// same address) are taken down and brought up. grpc.health.v1 "readiness" (and "")
// turns NOT_SERVING while Redis does not answer and once no broker answered for
// REVISIT_BROKER_UNREACHABLE_GRACE, and SERVING again when they return; "liveness"
// stays SERVING throughout (a restart would not cure an outage).
//
// No timing assertions: every wait polls until the state is reached, under a guard.
#include <gtest/gtest.h>

#include <grpcpp/grpcpp.h>

#include <iostream>
#include <memory>

#include "absl/strings/str_cat.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "tests/harness/redis_server.h"
#include "tests/harness/subprocess.h"
#include "tests/harness/tls_material.h"
#include "tests/harness/temp_dir.h"
#include "tools/broker/mock_broker.h"

#ifndef REVISIT_ORDER_PATH
#error "REVISIT_ORDER_PATH must name the revisit-order binary"
#endif

namespace revisit {
namespace {

using ::grpc::health::v1::Health;
using ::grpc::health::v1::HealthCheckRequest;
using ::grpc::health::v1::HealthCheckResponse;
using testing::RedisServer;
using testing::Subprocess;

constexpr absl::Duration kGuard = absl::Seconds(60);  // failure guard, not a timing check

class HealthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto redis = RedisServer::Start();
    ASSERT_TRUE(redis.ok()) << redis.status();
    redis_ = *std::move(redis);
    auto broker = MockBroker::Create(1, {{"revisit.order.v1", 4}});
    ASSERT_TRUE(broker.ok()) << broker.status();
    broker_ = *std::move(broker);
    auto dir = testing::TempDir::Create("health");
    ASSERT_TRUE(dir.ok()) << dir.status();
    dir_ = *std::move(dir);
    auto port = testing::FreePort();
    ASSERT_TRUE(port.ok()) << port.status();
    auto probe_port = testing::FreePort();
    ASSERT_TRUE(probe_port.ok()) << probe_port.status();
    testing::SubprocessOptions o;
    o.path = REVISIT_ORDER_PATH;
    o.env = {{"REVISIT_GRPC_PORT", std::to_string(*port)},
             {"REVISIT_METRICS_PORT", "-1"},
             {"REVISIT_BIND_ADDRESS", "127.0.0.1"},
             {"REVISIT_REDIS_ADDR", redis_->Address()},
             {"REVISIT_KAFKA_BOOTSTRAP", broker_->Bootstrap()},
             {"REVISIT_INSTANCE_ID", "order-health"},
             {"REVISIT_HEALTH_PROBE_INTERVAL", "100ms"},
             {"REVISIT_BROKER_UNREACHABLE_GRACE", "1s"},
             // Kubernetes' probes: plaintext grpc.health.v1 on the probe port (the API
             // port is mTLS), readiness and liveness by service name.
             {"REVISIT_PROBE_PORT", std::to_string(*probe_port)}};
    for (const auto& [k, v] : testing::TlsMaterial::Get().ServiceEnv("order")) o.env[k] = v;
    o.log_path = dir_->File("order.log");
    auto proc = Subprocess::Start(o);
    ASSERT_TRUE(proc.ok()) << proc.status();
    order_ = *std::move(proc);
    health_ = Health::NewStub(grpc::CreateChannel(absl::StrCat("127.0.0.1:", *probe_port),
                                                  grpc::InsecureChannelCredentials()));
  }

  HealthCheckResponse::ServingStatus Check(const std::string& service) {
    grpc::ClientContext ctx;
    ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(2)));
    HealthCheckRequest req;
    req.set_service(service);
    HealthCheckResponse resp;
    return health_->Check(&ctx, req, &resp).ok() ? resp.status() : HealthCheckResponse::UNKNOWN;
  }

  // Polls until `service` reports `want`; false (with the log) at the guard.
  bool Await(const std::string& service, HealthCheckResponse::ServingStatus want) {
    absl::Time give_up = absl::Now() + kGuard;
    while (Check(service) != want) {
      if (absl::Now() > give_up || !order_->Running()) return false;
      absl::SleepFor(absl::Milliseconds(20));
    }
    return true;
  }

  void ExpectReadiness(HealthCheckResponse::ServingStatus want, const std::string& when) {
    ASSERT_TRUE(Await("readiness", want)) << when << "\n" << order_->ReadLog();
    // While it holds (the dependency stays as it is), "" agrees and liveness is SERVING.
    EXPECT_EQ(Check(""), want) << when;
    EXPECT_EQ(Check("liveness"), HealthCheckResponse::SERVING) << when << ": not a wedge";
    std::cerr << "[health] " << when << ": readiness "
              << HealthCheckResponse::ServingStatus_Name(want) << ", liveness SERVING"
              << std::endl;
  }

  std::unique_ptr<RedisServer> redis_;
  std::unique_ptr<MockBroker> broker_;
  std::unique_ptr<testing::TempDir> dir_;
  std::unique_ptr<Subprocess> order_;
  std::unique_ptr<Health::Stub> health_;
};

TEST_F(HealthTest, ReadinessFollowsRedisAndTheBrokerLivenessDoesNot) {
  ExpectReadiness(HealthCheckResponse::SERVING, "started");

  ASSERT_TRUE(redis_->Kill().ok());
  ExpectReadiness(HealthCheckResponse::NOT_SERVING, "redis killed");
  ASSERT_TRUE(redis_->Restart().ok());
  ExpectReadiness(HealthCheckResponse::SERVING, "redis restarted");

  ASSERT_TRUE(broker_->SetBrokersUp(false).ok());
  ExpectReadiness(HealthCheckResponse::NOT_SERVING, "brokers down past the grace");
  ASSERT_TRUE(broker_->SetBrokersUp(true).ok());
  ExpectReadiness(HealthCheckResponse::SERVING, "brokers up");

  EXPECT_TRUE(order_->Running());
  EXPECT_NE(order_->ReadLog().find("no kafka broker reachable"), std::string::npos);
  EXPECT_NE(order_->ReadLog().find("redis does not answer"), std::string::npos);
}

}  // namespace
}  // namespace revisit
