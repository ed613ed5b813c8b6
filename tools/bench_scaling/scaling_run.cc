#include "tools/bench_scaling/scaling_run.h"

#include <unistd.h>

#include <atomic>
#include <csignal>
#include <iostream>
#include <memory>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/event_type.h"
#include "common/kafka_namespace.h"
#include "common/kafka_producer.h"
#include "common/redis_client.h"
#include "tests/harness/stack.h"
#include "tests/harness/consumer_group_lag.h"
#include "tools/bench_loyalty/completed_orders.h"
#include "tools/bench_scaling/proc_cpu.h"
#include "tools/load_order/order_driver.h"

namespace revisit::bench {
namespace {

using testing::Stack;
using testing::Svc;

constexpr absl::Duration kGuard = absl::Minutes(5);  // hang guard, not a measurement

std::vector<int> Pids(Stack& stack, const std::vector<Svc>& services) {
  std::vector<int> pids;
  for (Svc s : services) {
    for (int i = 0; i < stack.instances(); ++i) pids.push_back(stack.Pid(s, i));
  }
  return pids;
}

std::vector<int> RedisPids(Stack& stack) {
  if (stack.redis_cluster() == nullptr) return {stack.redis().pid()};
  std::vector<int> pids;
  for (int i = 0; i < stack.redis_cluster()->size(); ++i) {
    pids.push_back(stack.redis_cluster()->node(i).pid());
  }
  return pids;
}

// CPU seconds of each group of processes, and the machine, at one moment.
struct Snapshot {
  absl::Time at;
  double order = 0, services = 0, loyalty = 0, redis = 0, self = 0;
  MachineCpu machine;
};

Snapshot Take(Stack& stack) {
  Snapshot s;
  s.at = absl::Now();
  s.order = ProcessesCpuSeconds(Pids(stack, {Svc::kOrder}));
  s.services =
      ProcessesCpuSeconds(Pids(stack, {testing::kAllServices.begin(), testing::kAllServices.end()}));
  s.loyalty = ProcessesCpuSeconds(Pids(stack, {Svc::kLoyalty}));
  s.redis = ProcessesCpuSeconds(RedisPids(stack));
  s.self = ProcessCpuSeconds(static_cast<int>(getpid()));
  s.machine = ReadMachineCpu();
  return s;
}

// CPU milliseconds per operation between two readings (seconds).
double MsPer(double from_s, double to_s, double ops) {
  return ops <= 0 ? 0 : 1000.0 * (to_s - from_s) / ops;
}

absl::Status OrderPhase(const ScalingOptions& o, Stack& stack, ScalingResult& r) {
  load::Driver driver(stack.channel(Svc::kOrder), absl::StrCat(absl::ToUnixMicros(absl::Now())));
  if (!driver.CreateCustomers(o.customers)) return absl::UnavailableError("CreateCustomer failed");
  std::atomic<bool> stop{false};
  std::atomic<int> next{0};
  std::vector<load::Samples> samples(static_cast<size_t>(o.clients));
  std::vector<std::thread> clients;
  for (int c = 0; c < o.clients; ++c) {
    clients.emplace_back([&, c] {
      while (!stop) {
        int i = next++;
        driver.RunOrder(absl::StrCat(i), i, samples[static_cast<size_t>(c)]);
      }
    });
  }
  absl::SleepFor(o.warmup);
  const int64_t before = driver.delivered();
  Snapshot a = Take(stack);
  absl::SleepFor(o.seconds);
  const int64_t after = driver.delivered();
  Snapshot b = Take(stack);
  stop = true;
  for (std::thread& t : clients) t.join();
  const double orders = static_cast<double>(after - before);
  r.orders_per_s = orders / absl::ToDoubleSeconds(b.at - a.at);
  for (const load::Samples& s : samples) r.order_failures += s.failures;
  r.order_cpu_ms = MsPer(a.order, b.order, orders);
  r.services_cpu_ms = MsPer(a.services, b.services, orders);
  r.redis_cpu_ms = MsPer(a.redis, b.redis, orders);
  r.client_cpu_ms = MsPer(a.self, b.self, orders);
  r.machine_busy_pct = BusyPercent(a.machine, b.machine);
  const double machine_s = MachineBusySeconds(a.machine, b.machine);
  const double measured_s = (b.services - a.services) + (b.redis - a.redis) + (b.self - a.self);
  r.rest_cpu_ms = MsPer(measured_s, machine_s, orders);
  return absl::OkStatus();
}

absl::Status AwaitLoyaltyCaughtUp(Stack& stack) {
  absl::Time give_up = absl::Now() + kGuard;
  while (absl::Now() < give_up) {
    auto lag = testing::ConsumerGroupLag(stack.Bootstrap(), "loyalty",
                                         {EventTopic("order"), EventTopic("complaint")});
    if (lag.ok() && *lag == 0) return absl::OkStatus();
    absl::SleepFor(absl::Milliseconds(200));
  }
  return absl::DeadlineExceededError("loyalty never caught up with the order load");
}

absl::Status SignalLoyalty(Stack& stack, int sig) {
  for (int i = 0; i < stack.instances(); ++i) {
    if (absl::Status st = stack.Signal(Svc::kLoyalty, i, sig); !st.ok()) return st;
  }
  return absl::OkStatus();
}

absl::Status PublishCompleted(const ScalingOptions& o, Stack& stack,
                              const std::vector<std::string>& customers) {
  auto ns = KafkaNamespace::FromEnvironment();  // the stack's LocalBroker exported it
  if (!ns.ok()) return ns.status();
  KafkaProducerOptions popts;
  popts.bootstrap = stack.Bootstrap();
  popts.kafka_namespace = *ns;
  popts.client_id = "bench-scaling";
  auto producer = KafkaProducer::Create(popts);
  if (!producer.ok()) return producer.status();
  for (int i = 0; i < o.events; ++i) {
    const std::string& c = customers[static_cast<size_t>(i) % customers.size()];
    absl::Status st = (*producer)->Produce(CompletedOrderEvent(c, absl::StrCat("ord-scale-", i)),
                                           [](absl::Status) {});
    if (!st.ok()) return st;
  }
  return (*producer)->Flush(absl::Seconds(60));
}

absl::Status LoyaltyPhase(const ScalingOptions& o, Stack& stack, ScalingResult& r) {
  if (absl::Status st = AwaitLoyaltyCaughtUp(stack); !st.ok()) return st;
  std::vector<std::string> customers;
  for (int c = 0; c < o.customers; ++c) customers.push_back(absl::StrCat("cus-scale-", c));
  if (absl::Status st = SignalLoyalty(stack, SIGSTOP); !st.ok()) return st;
  absl::Status published = PublishCompleted(o, stack, customers);
  if (absl::Status st = SignalLoyalty(stack, SIGCONT); !st.ok()) return st;
  if (!published.ok()) return published;
  RedisClient redis(stack.StoreOptions());
  absl::Time give_up = absl::Now() + kGuard;
  Snapshot a = Take(stack);
  int64_t first = 0;
  while ((first = CompletedOrdersApplied(redis, customers)) <= 0) {
    if (absl::Now() > give_up) return absl::DeadlineExceededError("loyalty applied nothing");
    absl::SleepFor(absl::Milliseconds(2));
  }
  const absl::Time t0 = absl::Now();
  while (CompletedOrdersApplied(redis, customers) < o.events) {
    if (absl::Now() > give_up) return absl::DeadlineExceededError("loyalty stalled");
    absl::SleepFor(absl::Milliseconds(20));
  }
  Snapshot b = Take(stack);
  const double applied = static_cast<double>(o.events - first);
  r.loyalty_events_per_s = applied / absl::ToDoubleSeconds(b.at - t0);
  r.loyalty_cpu_ms = MsPer(a.loyalty, b.loyalty, o.events);
  r.loyalty_redis_cpu_ms = MsPer(a.redis, b.redis, o.events);
  r.loyalty_machine_busy_pct = BusyPercent(a.machine, b.machine);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<ScalingResult> RunScaling(const ScalingOptions& options, bool cluster,
                                         int instances) {
  testing::StackOptions so;
  so.instances = instances;
  so.redis_cluster = cluster;
  so.env["REVISIT_LOG_LEVEL"] = "warn";
  auto stack = Stack::Start(so);
  if (!stack.ok()) return stack.status();
  ScalingResult r;
  r.store = cluster ? "cluster" : "single";
  r.instances = instances;
  if (absl::Status st = OrderPhase(options, **stack, r); !st.ok()) return st;
  if (absl::Status st = LoyaltyPhase(options, **stack, r); !st.ok()) return st;
  return r;
}

}  // namespace revisit::bench
