// The launcher itself (tests/harness/stack.h, issue 14): a subset of services, and
// new ports when one it picked was taken before the service bound it. Real processes,
// real redis-server and Kafka; a "taken" port is a socket this test keeps listening.
#include "tests/harness/stack.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "tests/harness/shared_stack.h"

namespace revisit::testing {
namespace {

// A loopback port held by a listening socket (no SO_REUSEPORT) while it lives.
class TakenPort {
 public:
  TakenPort() {
    fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof(addr);
    if (fd_ >= 0 && bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
        listen(fd_, 1) == 0 && getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
      port_ = ntohs(addr.sin_port);
    }
  }
  ~TakenPort() {
    if (fd_ >= 0) close(fd_);
  }
  int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

// Hands out `taken` for the first `times` picks, then free ports.
std::function<absl::StatusOr<int>()> TakenFirst(int taken, int times) {
  auto left = std::make_shared<int>(times);
  return [taken, left]() -> absl::StatusOr<int> {
    if (*left > 0) {
      --*left;
      return taken;
    }
    return FreePort();
  };
}

bool Serving(Stack& stack, Svc s) {
  auto health = grpc::health::v1::Health::NewStub(stack.channel(s));
  grpc::health::v1::HealthCheckResponse resp;
  auto ctx = Ctx();
  return health->Check(ctx.get(), {}, &resp).ok() &&
         resp.status() == grpc::health::v1::HealthCheckResponse::SERVING;
}

TEST(StackTest, StartsOnlyTheChosenServices) {
  StackOptions o;
  o.services = {Svc::kLoyalty};
  auto stack = Stack::Start(o);
  ASSERT_TRUE(stack.ok()) << stack.status();
  EXPECT_TRUE((*stack)->Started(Svc::kLoyalty));
  EXPECT_TRUE((*stack)->Running(Svc::kLoyalty));
  EXPECT_TRUE(Serving(**stack, Svc::kLoyalty));
  for (Svc s : {Svc::kOrder, Svc::kComplaint, Svc::kOutreach}) {
    EXPECT_FALSE((*stack)->Started(s)) << SvcName(s);
    EXPECT_FALSE((*stack)->Running(s)) << SvcName(s);
    EXPECT_EQ((*stack)->Pid(s), 0) << SvcName(s);
  }
  // A left-out service is a peer that is down: its address answers nothing.
  order::v1::GetOrderRequest req;
  req.set_order_id("ord-00-0000000000000000");
  order::v1::GetOrderResponse resp;
  auto ctx = Ctx(absl::Seconds(2));
  EXPECT_EQ((*stack)->order().GetOrder(ctx.get(), req, &resp).error_code(),
            grpc::StatusCode::UNAVAILABLE);
  // ... until the test starts it.
  ASSERT_TRUE((*stack)->Restart(Svc::kOrder).ok());
  EXPECT_TRUE(Serving(**stack, Svc::kOrder));
}

TEST(StackTest, RefusesAServiceNamedTwice) {
  StackOptions o;
  o.services = {Svc::kOrder, Svc::kOrder};
  auto stack = Stack::Start(o);
  EXPECT_EQ(stack.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(stack.status().message().find("order named twice"), std::string::npos)
      << stack.status();
}

TEST(StackTest, PicksNewPortsWhenTheGrpcPortWasTakenMeanwhile) {
  TakenPort taken;
  ASSERT_NE(taken.port(), 0);
  StackOptions o;
  o.services = {Svc::kOrder};
  o.pick_port = TakenFirst(taken.port(), 1);  // order's gRPC port is picked first
  auto stack = Stack::Start(o);
  ASSERT_TRUE(stack.ok()) << stack.status();
  EXPECT_NE((*stack)->Address(Svc::kOrder), absl::StrCat("127.0.0.1:", taken.port()));
  EXPECT_TRUE(Serving(**stack, Svc::kOrder));
  const std::string logs = (*stack)->LogTails();
  EXPECT_NE(logs.find("cannot start gRPC server on 127.0.0.1:" + std::to_string(taken.port())),
            std::string::npos)
      << logs;
  EXPECT_NE(logs.find("revisit-order start 2"), std::string::npos) << logs;
}

TEST(StackTest, PicksNewPortsWhenTheMetricsPortWasTakenMeanwhile) {
  TakenPort taken;
  ASSERT_NE(taken.port(), 0);
  StackOptions o;
  o.services = {Svc::kOrder};
  o.metrics = true;
  auto picks = std::make_shared<int>(0);  // order's gRPC port, then its metrics port
  o.pick_port = [picks, &taken]() -> absl::StatusOr<int> {
    return ++*picks == 2 ? absl::StatusOr<int>(taken.port()) : FreePort();
  };
  auto stack = Stack::Start(o);
  ASSERT_TRUE(stack.ok()) << stack.status();
  EXPECT_NE((*stack)->MetricsPort(Svc::kOrder), taken.port());
  EXPECT_GT((*stack)->MetricsPort(Svc::kOrder), 0);
  EXPECT_TRUE(Serving(**stack, Svc::kOrder));
  EXPECT_NE((*stack)->LogTails().find("revisit-order start 2"), std::string::npos);
}

TEST(StackTest, GivesUpAfterTheLastAttempt) {
  TakenPort taken;
  ASSERT_NE(taken.port(), 0);
  StackOptions o;
  o.services = {Svc::kOrder};
  o.start_attempts = 2;
  o.pick_port = [&taken]() -> absl::StatusOr<int> { return taken.port(); };
  auto stack = Stack::Start(o);
  EXPECT_EQ(stack.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(stack.status().message().find("cannot start gRPC server"), std::string::npos)
      << stack.status();
}

}  // namespace
}  // namespace revisit::testing

namespace revisit::testing {
namespace {

// A suite whose Stack cannot start (options out of range), its hooks called by hand.
class UnstartableSuite : public SharedStack<UnstartableSuite> {
 public:
  static StackOptions SuiteOptions() {
    StackOptions o;
    o.instances = 0;
    return o;
  }
  using SharedStack::SetUpTestSuite;
  using SharedStack::start_status;
  using SharedStack::TearDownTestSuite;
};

TEST(SharedStackTest, AStackThatCannotStartKeepsItsStatusForEveryTest) {
  UnstartableSuite::SetUpTestSuite();
  EXPECT_EQ(UnstartableSuite::start_status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(UnstartableSuite::start_status().message(), "instances must be >= 1");
  UnstartableSuite::TearDownTestSuite();
}

}  // namespace
}  // namespace revisit::testing
