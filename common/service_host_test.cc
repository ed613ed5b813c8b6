// Starts a ServiceHost on ephemeral loopback ports with the health service and a
// fake OrderService, then checks health, trace propagation, metrics and shutdown.
#include "common/service_host.h"

#include <arpa/inet.h>
#include <grpcpp/create_channel.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/security/credentials.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

#include "absl/synchronization/notification.h"
#include "common/callback_handlers.h"
#include "common/grpc_client.h"
#include "common/log.h"
#include "gmock/gmock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "gtest/gtest.h"
#include "revisit/order/v1/order.grpc.pb.h"
#include "tests/harness/http_get.h"

namespace revisit {
namespace {

using ::grpc::health::v1::Health;
using ::grpc::health::v1::HealthCheckRequest;
using ::grpc::health::v1::HealthCheckResponse;
using ::revisit::order::v1::GetOrderRequest;
using ::revisit::order::v1::GetOrderResponse;
using ::revisit::order::v1::OrderService;
using ::testing::HasSubstr;

using ::revisit::testing::HttpGet;

// GetOrder records the trace it ran with; everything else is UNIMPLEMENTED. Served
// like the services: callback API, handler on the host's executor.
class FakeOrders : public OrderService::CallbackService, public CallbackHandlers {
 public:
  REVISIT_UNARY_RPC(GetOrder, GetOrderRequest, GetOrderResponse)
  absl::Mutex mu;
  std::string seen_trace ABSL_GUARDED_BY(mu);
};

grpc::Status FakeOrders::GetOrder(grpc::ServerContextBase*, const GetOrderRequest*,
                                  GetOrderResponse*) {
  absl::MutexLock lock(&mu);
  seen_trace = CurrentTraceId();
  return grpc::Status::OK;
}

// The value of the series `series` (name{labels}) in a scrape, 0 when absent.
double SeriesValue(const std::string& scrape, const std::string& series) {
  size_t at = scrape.find("\n" + series + " ");
  if (at == std::string::npos) return 0;
  return std::stod(scrape.substr(at + series.size() + 2));
}

const char kGetOrderOk[] =
    "revisit_grpc_requests_total{service=\"revisit.order.v1.OrderService\","
    "method=\"GetOrder\",code=\"OK\"}";
const char kListOrdersUnimplemented[] =
    "revisit_grpc_requests_total{service=\"revisit.order.v1.OrderService\","
    "method=\"ListOrders\",code=\"UNIMPLEMENTED\"}";
const char kGetOrderCount[] =
    "revisit_grpc_request_duration_seconds_count{service=\"revisit.order.v1.OrderService\","
    "method=\"GetOrder\"}";

ServiceHostOptions LoopbackOptions() {
  ServiceHostOptions o;
  o.service_name = "test";
  o.bind_address = "127.0.0.1";
  o.drain_timeout = absl::Seconds(5);
  return o;
}

HealthCheckResponse::ServingStatus Check(int port, const std::string& service) {
  auto stub = Health::NewStub(grpc::CreateChannel(absl::StrCat("127.0.0.1:", port),
                                                  grpc::InsecureChannelCredentials()));
  grpc::ClientContext ctx;
  HealthCheckRequest req;
  req.set_service(service);
  HealthCheckResponse resp;
  grpc::Status s = stub->Check(&ctx, req, &resp);
  return s.ok() ? resp.status() : HealthCheckResponse::UNKNOWN;
}

TEST(ServiceHostTest, ServesHealthTracesMetricsAndShutsDown) {
  FakeOrders orders;
  ServiceHost host(LoopbackOptions());
  host.AddService(&orders, OrderService::service_full_name());
  std::vector<std::string> steps;
  host.OnShutdown("first", [&] { steps.push_back("first"); });
  host.OnShutdown("second", [&] { steps.push_back("second"); });
  const std::string before = Metrics().Render();  // the registry is process-wide
  ASSERT_TRUE(host.Start().ok());
  ASSERT_GT(host.grpc_port(), 0);
  ASSERT_GT(host.metrics_port(), 0);
  EXPECT_FALSE(host.Start().ok());

  EXPECT_EQ(Check(host.grpc_port(), ""), HealthCheckResponse::SERVING);
  EXPECT_EQ(Check(host.grpc_port(), OrderService::service_full_name()),
            HealthCheckResponse::SERVING);

  // The caller's trace reaches the handler thread through CallWithRetry and CallbackHandlers (on the worker).
  auto stub = OrderService::NewStub(MakeChannel(absl::StrCat("127.0.0.1:", host.grpc_port())));
  const std::string trace = NewTraceId();
  {
    ScopedTraceId scoped(trace);
    GetOrderRequest req;
    GetOrderResponse resp;
    ASSERT_TRUE(CallWithRetry({}, "GetOrder", [&](grpc::ClientContext* ctx) {
                  return stub->GetOrder(ctx, req, &resp);
                }).ok());
  }
  {
    absl::MutexLock lock(&orders.mu);
    EXPECT_EQ(orders.seen_trace, trace);
  }
  // Without a traceparent the handler still gets a (new) trace.
  {
    grpc::ClientContext ctx;
    GetOrderResponse resp;
    ASSERT_TRUE(stub->GetOrder(&ctx, GetOrderRequest(), &resp).ok());
    absl::MutexLock lock(&orders.mu);
    EXPECT_EQ(orders.seen_trace.size(), 32u);
    EXPECT_NE(orders.seen_trace, trace);
  }
  {
    grpc::ClientContext ctx;
    revisit::order::v1::ListOrdersResponse resp;
    EXPECT_EQ(stub->ListOrders(&ctx, {}, &resp).error_code(), grpc::StatusCode::UNIMPLEMENTED);
  }

  std::string metrics = HttpGet(host.metrics_port(), "/metrics");
  EXPECT_THAT(metrics, HasSubstr("# TYPE revisit_grpc_requests_total counter\n"));
  EXPECT_EQ(SeriesValue(metrics, kGetOrderOk) - SeriesValue(before, kGetOrderOk), 2);
  EXPECT_EQ(SeriesValue(metrics, kListOrdersUnimplemented) -
                SeriesValue(before, kListOrdersUnimplemented), 1);
  EXPECT_EQ(SeriesValue(metrics, kGetOrderCount) - SeriesValue(before, kGetOrderCount), 2);
  EXPECT_THAT(metrics, HasSubstr("service=\"grpc.health.v1.Health\",method=\"Check\""));
  EXPECT_THAT(HttpGet(host.metrics_port(), "/healthz"), HasSubstr("200 OK"));

  EXPECT_EQ(Check(host.grpc_port(), "readiness"), HealthCheckResponse::SERVING);
  EXPECT_EQ(Check(host.grpc_port(), "liveness"), HealthCheckResponse::SERVING);
  host.SetServing(false);
  EXPECT_EQ(Check(host.grpc_port(), ""), HealthCheckResponse::NOT_SERVING);
  EXPECT_EQ(Check(host.grpc_port(), "readiness"), HealthCheckResponse::NOT_SERVING);
  EXPECT_EQ(Check(host.grpc_port(), OrderService::service_full_name()),
            HealthCheckResponse::NOT_SERVING);
  EXPECT_EQ(Check(host.grpc_port(), "liveness"), HealthCheckResponse::SERVING)
      << "not ready is not dead";
  EXPECT_THAT(HttpGet(host.metrics_port(), "/healthz"), HasSubstr("503"));
  host.SetLive(false);
  EXPECT_EQ(Check(host.grpc_port(), "liveness"), HealthCheckResponse::NOT_SERVING);
  host.SetLive(true);
  host.SetServing(true);

  int port = host.grpc_port();
  host.RequestShutdown();
  EXPECT_EQ(host.WaitForTermination(), 0);
  EXPECT_EQ(steps, (std::vector<std::string>{"first", "second"}));
  EXPECT_NE(Check(port, ""), HealthCheckResponse::SERVING);
}

// One ServerReflectionInfo exchange asking for the service list: the status and the
// raw answer.
std::pair<grpc::StatusCode, std::string> ListServicesByReflection(int port) {
  grpc::GenericStub stub(grpc::CreateChannel(absl::StrCat("127.0.0.1:", port),
                                             grpc::InsecureChannelCredentials()));
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  const std::string list_services("\x3a\x00", 2);  // ServerReflectionRequest{list_services: ""}
  grpc::Slice slice(list_services);
  grpc::ByteBuffer request(&slice, 1), response;
  absl::Notification done;
  grpc::Status status;
  stub.UnaryCall(&ctx, "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo", {},
                 &request, &response, [&](grpc::Status s) {
                   status = std::move(s);
                   done.Notify();
                 });
  done.WaitForNotification();
  std::vector<grpc::Slice> slices;
  std::string text;
  if (status.ok() && response.Dump(&slices).ok()) {
    for (const auto& s : slices) text.append(reinterpret_cast<const char*>(s.begin()), s.size());
  }
  return {status.error_code(), text};
}

TEST(ServiceHostTest, ServerReflectionIsOffUnlessAskedFor) {
  FakeOrders orders;
  ServiceHost off(LoopbackOptions());
  off.AddService(&orders, OrderService::service_full_name());
  ASSERT_TRUE(off.Start().ok());
  EXPECT_EQ(ListServicesByReflection(off.grpc_port()).first, grpc::StatusCode::UNIMPLEMENTED);

  ServiceHostOptions o = LoopbackOptions();
  o.reflection = true;  // REVISIT_GRPC_REFLECTION=true
  FakeOrders more_orders;
  ServiceHost on(o);
  on.AddService(&more_orders, OrderService::service_full_name());
  ASSERT_TRUE(on.Start().ok());
  auto [code, answer] = ListServicesByReflection(on.grpc_port());
  EXPECT_EQ(code, grpc::StatusCode::OK);
  EXPECT_THAT(answer, HasSubstr(OrderService::service_full_name()));
  // A host started after one with reflection still has none (the plugin is process-wide).
  FakeOrders later_orders;
  ServiceHost later(LoopbackOptions());
  later.AddService(&later_orders, OrderService::service_full_name());
  ASSERT_TRUE(later.Start().ok());
  EXPECT_EQ(ListServicesByReflection(later.grpc_port()).first, grpc::StatusCode::UNIMPLEMENTED);
}

TEST(ServiceHostTest, RequestShutdownFromAnotherThread) {
  FakeOrders orders;  // a host serves at least one service (reflection is off)
  ServiceHost host(LoopbackOptions());
  host.AddService(&orders, OrderService::service_full_name());
  ASSERT_TRUE(host.Start().ok());
  std::thread t([&] { host.RequestShutdown(); });
  EXPECT_EQ(host.WaitForTermination(), 0);
  t.join();
}

TEST(ServiceHostTest, DestructorShutsDownWithoutWait) {
  bool ran = false;
  FakeOrders orders;
  {
    ServiceHost host(LoopbackOptions());
    host.AddService(&orders, OrderService::service_full_name());
    host.OnShutdown("step", [&] { ran = true; });
    ASSERT_TRUE(host.Start().ok());
  }
  EXPECT_TRUE(ran);
}

TEST(ServiceHostTest, PortInUseFails) {
  FakeOrders orders, more_orders;
  ServiceHost first(LoopbackOptions());
  first.AddService(&orders, OrderService::service_full_name());
  ASSERT_TRUE(first.Start().ok());
  ServiceHostOptions o = LoopbackOptions();
  o.metrics_port = first.metrics_port();
  ServiceHost second(o);
  second.AddService(&more_orders, OrderService::service_full_name());
  EXPECT_EQ(second.Start().code(), absl::StatusCode::kUnavailable);
}

// GetOrder with order_id "slow" blocks until Release(); any other returns at once
// (counted in `fast`).
class SlowOrders : public OrderService::CallbackService, public CallbackHandlers {
 public:
  REVISIT_UNARY_RPC(GetOrder, GetOrderRequest, GetOrderResponse)
  void Release() {
    absl::MutexLock lock(&mu);
    released = true;
  }
  bool AwaitEntered(int n) {
    absl::MutexLock lock(&mu);
    auto reached = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) { return entered >= n; };
    return mu.AwaitWithTimeout(absl::Condition(&reached), absl::Seconds(30));
  }
  absl::Mutex mu;
  int entered ABSL_GUARDED_BY(mu) = 0;
  int fast ABSL_GUARDED_BY(mu) = 0;
  bool released ABSL_GUARDED_BY(mu) = false;
};

grpc::Status SlowOrders::GetOrder(grpc::ServerContextBase*, const GetOrderRequest* req,
                                  GetOrderResponse*) {
  absl::MutexLock lock(&mu);
  if (req->order_id() != "slow") {
    ++fast;
    return grpc::Status::OK;
  }
  ++entered;
  mu.Await(absl::Condition(&released));
  return grpc::Status::OK;
}

grpc::Status GetOrder(const std::shared_ptr<grpc::Channel>& channel, const std::string& id,
                      absl::Duration deadline = absl::Seconds(60)) {  // default: hang guard
  GetOrderRequest req;
  req.set_order_id(id);
  GetOrderResponse resp;
  grpc::ClientContext ctx;
  ctx.set_deadline(absl::ToChronoTime(absl::Now() + deadline));
  return OrderService::NewStub(channel)->GetOrder(&ctx, req, &resp);
}

std::shared_ptr<grpc::Channel> Channel(int port) {
  return grpc::CreateChannel(absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials());
}

// Issue 18: on shutdown health goes NOT_SERVING, new calls are refused with
// UNAVAILABLE, and calls in flight finish with their own answer (not CANCELLED).
TEST(ServiceHostTest, ShutdownDrainsCallsInFlightAndRefusesNewOnes) {
  constexpr int kInFlight = 4;
  SlowOrders orders;
  ServiceHostOptions o = LoopbackOptions();
  o.drain_timeout = absl::Seconds(60);  // a guard: the calls finish long before
  ServiceHost host(o);
  host.AddService(&orders, OrderService::service_full_name());
  bool step_ran = false;
  host.OnShutdown("after drain", [&] { step_ran = true; });
  ASSERT_TRUE(host.Start().ok());
  const int port = host.grpc_port();
  auto channel = Channel(port);
  std::vector<grpc::Status> results(kInFlight);
  std::vector<std::thread> callers;
  for (int i = 0; i < kInFlight; ++i) {
    callers.emplace_back([&, i] { results[i] = GetOrder(channel, "slow"); });
  }
  ASSERT_TRUE(orders.AwaitEntered(kInFlight));

  std::thread stopper([&] {
    host.RequestShutdown();
    host.WaitForTermination();
  });
  // NOT_SERVING for as long as the drain lasts (the calls are still blocked).
  while (HttpGet(host.metrics_port(), "/healthz").find("503") == std::string::npos) {
    absl::SleepFor(absl::Milliseconds(5));
  }
  EXPECT_NE(Check(port, ""), HealthCheckResponse::SERVING);
  // New calls, on the busy channel and on a new one, end UNAVAILABLE once the
  // listener is closed (until then they are served: OK).
  for (auto ch : {channel, Channel(port)}) {
    grpc::Status s;
    do {
      s = GetOrder(ch, "fast");
      ASSERT_TRUE(s.ok() || s.error_code() == grpc::StatusCode::UNAVAILABLE)
          << s.error_code() << " " << s.error_message();
    } while (s.ok());
  }
  EXPECT_FALSE(step_ran) << "steps wait for the drain";
  orders.Release();
  for (auto& t : callers) t.join();
  for (const grpc::Status& s : results) {
    EXPECT_TRUE(s.ok()) << "in-flight call ended " << s.error_code() << " " << s.error_message();
  }
  stopper.join();
  EXPECT_TRUE(step_ran);
  EXPECT_EQ(host.abandoned_steps(), 0);
}

// A call still running at the drain deadline is cancelled; a handler that ignores
// the cancellation, and a step that overruns its deadline, are abandoned so that
// shutdown ends anyway; the steps after them still run.
TEST(ServiceHostTest, DrainAndStepsAreBoundedByTheirDeadlines) {
  // The abandoned drain may still call into the service after the test: it lives on.
  SlowOrders& orders = *new SlowOrders();
  ServiceHostOptions o = LoopbackOptions();
  o.drain_timeout = absl::Milliseconds(200);
  o.cancel_grace = absl::Milliseconds(200);
  auto host = std::make_unique<ServiceHost>(o);
  host->AddService(&orders);
  auto stuck = std::make_shared<absl::Notification>();
  std::vector<std::string> ran;
  host->OnShutdown("stuck", [stuck] { stuck->WaitForNotification(); }, absl::Milliseconds(100));
  host->OnShutdown("next", [&] { ran.push_back("next"); }, absl::Seconds(30));
  ASSERT_TRUE(host->Start().ok());
  grpc::Status slow;
  std::thread caller([&] { slow = GetOrder(Channel(host->grpc_port()), "slow"); });
  ASSERT_TRUE(orders.AwaitEntered(1));
  host->RequestShutdown();
  EXPECT_EQ(host->WaitForTermination(), 0);
  EXPECT_EQ(host->abandoned_steps(), 2) << "the drain and the stuck step";
  EXPECT_EQ(ran, std::vector<std::string>{"next"});
  caller.join();
  EXPECT_FALSE(slow.ok()) << "cancelled at the drain deadline";
  orders.Release();
  stuck->Notify();
  // An abandoned step may still run: like the process after an abandoned shutdown
  // (it exits without destructors), the test leaves the host alive.
  (void)host.release();
}

// Waits (bounded by a hang guard) until `host`'s executor holds `n` waiting calls.
bool AwaitQueued(const ServiceHost& host, int n) {
  absl::Time guard = absl::Now() + absl::Seconds(30);
  while (host.queued_calls() != n) {
    if (absl::Now() > guard) return false;
    absl::SleepFor(absl::Milliseconds(1));
  }
  return true;
}

// Handlers run on a bounded executor: with its one worker busy and its one queue slot
// taken, the next call is refused RESOURCE_EXHAUSTED "server busy" at once, and the
// queued one is served once the worker is free.
TEST(ServiceHostTest, AFullExecutorQueueAnswersServerBusy) {
  SlowOrders orders;
  ServiceHostOptions o = LoopbackOptions();
  o.grpc_workers = 1;
  o.grpc_queue = 1;
  ServiceHost host(o);
  host.AddService(&orders, OrderService::service_full_name());
  ASSERT_TRUE(host.Start().ok());
  auto channel = Channel(host.grpc_port());
  grpc::Status first, second;
  std::thread a([&] { first = GetOrder(channel, "slow"); });
  ASSERT_TRUE(orders.AwaitEntered(1));
  std::thread b([&] { second = GetOrder(channel, "queued"); });
  ASSERT_TRUE(AwaitQueued(host, 1));
  grpc::Status busy = GetOrder(channel, "refused");
  EXPECT_EQ(busy.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(busy.error_message(), "server busy");
  orders.Release();
  a.join();
  b.join();
  EXPECT_TRUE(first.ok()) << first.error_message();
  EXPECT_TRUE(second.ok()) << second.error_message();
  absl::MutexLock lock(&orders.mu);
  EXPECT_EQ(orders.fast, 1) << "the refused call never ran";
}

// A call whose deadline passes while it waits for a worker is answered without
// running its handler.
TEST(ServiceHostTest, ACallWhoseDeadlinePassedInTheQueueDoesNotRun) {
  SlowOrders orders;
  ServiceHostOptions o = LoopbackOptions();
  o.grpc_workers = 1;
  ServiceHost host(o);
  host.AddService(&orders, OrderService::service_full_name());
  ASSERT_TRUE(host.Start().ok());
  auto channel = Channel(host.grpc_port());
  grpc::Status slow;
  std::thread a([&] { slow = GetOrder(channel, "slow"); });
  ASSERT_TRUE(orders.AwaitEntered(1));
  grpc::Status late = GetOrder(channel, "late", absl::Milliseconds(100));
  EXPECT_EQ(late.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  ASSERT_EQ(host.queued_calls(), 1) << "still waiting for the worker";
  orders.Release();
  a.join();
  EXPECT_TRUE(slow.ok());
  // One worker, one FIFO queue: once this call is answered, the late one was handled.
  EXPECT_TRUE(GetOrder(channel, "after").ok());
  absl::MutexLock lock(&orders.mu);
  EXPECT_EQ(orders.fast, 1) << "only the call after ran; the late one was answered unrun";
}

// SIGTERM sent to the process ends WaitForTermination. Runs in a re-executed child
// (threadsafe death-test style) so the signal cannot hit other tests' threads.
TEST(ServiceHostDeathTest, SigtermRunsShutdownAndReturns) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        BlockTerminationSignals();
        (void)InitLogging("test", "info");
        FakeOrders orders;
        ServiceHost host(LoopbackOptions());
        host.AddService(&orders, OrderService::service_full_name());
        if (!host.Start().ok()) _exit(2);
        kill(getpid(), SIGTERM);
        _exit(host.WaitForTermination() == SIGTERM ? 0 : 1);
      },
      ::testing::ExitedWithCode(0), "shutdown: complete");
}

}  // namespace
}  // namespace revisit
