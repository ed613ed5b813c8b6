// Readiness versus liveness of a real service process (revisit-order, started by
// testing::Stack with its Kafka pointed at a mock cluster) while its
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
#include "tests/harness/stack.h"
#include "tools/broker/mock_broker.h"

namespace revisit {
namespace {

using ::grpc::health::v1::Health;
using ::grpc::health::v1::HealthCheckRequest;
using ::grpc::health::v1::HealthCheckResponse;
using testing::Svc;

constexpr absl::Duration kGuard = absl::Seconds(60);  // failure guard, not a timing check

class HealthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto broker = MockBroker::Create(1, {{"revisit.order.v1", 4}});
    ASSERT_TRUE(broker.ok()) << broker.status();
    broker_ = *std::move(broker);
    testing::StackOptions o;
    o.services = {Svc::kOrder};
    // Kubernetes' probes: plaintext grpc.health.v1 on the probe port (the API port is
    // mTLS), readiness and liveness by service name.
    o.probe = true;
    o.service_env[Svc::kOrder] = {{"REVISIT_KAFKA_BOOTSTRAP", broker_->Bootstrap()},
                                  {"REVISIT_TOPIC_PREFIX", ""},  // the mock's own topics
                                  {"REVISIT_HEALTH_PROBE_INTERVAL", "100ms"},
                                  {"REVISIT_BROKER_UNREACHABLE_GRACE", "1s"}};
    auto stack = testing::Stack::Start(o);
    ASSERT_TRUE(stack.ok()) << stack.status();
    stack_ = *std::move(stack);
    health_ = Health::NewStub(
        grpc::CreateChannel(absl::StrCat("127.0.0.1:", stack_->ProbePort(Svc::kOrder)),
                            grpc::InsecureChannelCredentials()));
  }

  std::string Log() const { return stack_->LogTails(/*bytes=*/1 << 20); }

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
      if (absl::Now() > give_up || !stack_->Running(Svc::kOrder)) return false;
      absl::SleepFor(absl::Milliseconds(20));
    }
    return true;
  }

  void ExpectReadiness(HealthCheckResponse::ServingStatus want, const std::string& when) {
    ASSERT_TRUE(Await("readiness", want)) << when << "\n" << Log();
    // While it holds (the dependency stays as it is), "" agrees and liveness is SERVING.
    EXPECT_EQ(Check(""), want) << when;
    EXPECT_EQ(Check("liveness"), HealthCheckResponse::SERVING) << when << ": not a wedge";
    std::cerr << "[health] " << when << ": readiness "
              << HealthCheckResponse::ServingStatus_Name(want) << ", liveness SERVING"
              << std::endl;
  }

  std::unique_ptr<MockBroker> broker_;  // before the stack: the service uses it to the end
  std::unique_ptr<testing::Stack> stack_;
  std::unique_ptr<Health::Stub> health_;
};

TEST_F(HealthTest, ReadinessFollowsRedisAndTheBrokerLivenessDoesNot) {
  ExpectReadiness(HealthCheckResponse::SERVING, "started");

  ASSERT_TRUE(stack_->redis().Kill().ok());
  ExpectReadiness(HealthCheckResponse::NOT_SERVING, "redis killed");
  ASSERT_TRUE(stack_->redis().Restart().ok());
  ExpectReadiness(HealthCheckResponse::SERVING, "redis restarted");

  ASSERT_TRUE(broker_->SetBrokersUp(false).ok());
  ExpectReadiness(HealthCheckResponse::NOT_SERVING, "brokers down past the grace");
  ASSERT_TRUE(broker_->SetBrokersUp(true).ok());
  ExpectReadiness(HealthCheckResponse::SERVING, "brokers up");

  EXPECT_TRUE(stack_->Running(Svc::kOrder));
  EXPECT_NE(Log().find("no kafka broker reachable"), std::string::npos);
  EXPECT_NE(Log().find("redis does not answer"), std::string::npos);
}

}  // namespace
}  // namespace revisit
