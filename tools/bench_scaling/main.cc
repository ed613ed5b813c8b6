// bench_scaling: order throughput and loyalty apply rate with 1, 2 and 3 instances of
// every service, on one redis-server and on a Redis Cluster, in one run (issue 12).
//
//   bench_scaling [--instances 1,2,3] [--stores single,cluster] [--seconds 8]
//                 [--clients 16] [--events 4000] [--json bench_scaling.json]
//
// For each store and instance count it starts a whole stack of real processes
// (tests/harness/stack.h; the run's Kafka, or one private broker for the whole run) and
// measures it (tools/bench_scaling/scaling_run.h): orders delivered per second through
// the public OrderService (16 client threads running create -> pay -> ship -> deliver)
// and order.completed events applied per second by the loyalty instances, each with
// the CPU milliseconds per operation of the service processes and the redis-servers
// (from /proc/<pid>/stat) and how busy the machine was. CPU per operation is what a
// projection for a larger machine starts from: orders/s per core = 1000 / (service +
// Redis CPU ms per order), as long as Kafka and the network are not the limit.
// The cluster is 3 masters + 3 replicas on the same machine, each commit waiting for a
// replica (WAIT 1); every redis-server runs appendfsync always (the harness default).
// Prints a table and writes the results as JSON. Bounded: each configuration runs
// --seconds of order load plus --events loyalty events; a 5-minute guard per phase.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "tests/harness/kafka_cluster.h"
#include "tools/bench_scaling/scaling_run.h"

namespace {

using revisit::bench::ScalingOptions;
using revisit::bench::ScalingResult;

struct Args {
  std::vector<int> instances = {1, 2, 3};
  std::vector<std::string> stores = {"single", "cluster"};
  ScalingOptions run;
  std::string json = "bench_scaling.json";
};

[[noreturn]] void Usage(const std::string& error) {
  std::cerr << "bench_scaling: " << error
            << "\nusage: bench_scaling [--instances 1,2,3] [--stores single,cluster] "
               "[--seconds 8] [--clients 16] [--events 4000] [--json PATH]"
            << std::endl;
  std::exit(2);
}

int Positive(const std::string& flag, const std::string& v) {
  int n = 0;
  if (!absl::SimpleAtoi(v, &n) || n < 1) Usage(flag + " must be a positive integer");
  return n;
}

Args ParseArgs(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; i += 2) {
    std::string k = argv[i];
    if (i + 1 >= argc) Usage("missing value for " + k);
    std::string v = argv[i + 1];
    if (k == "--instances") {
      a.instances.clear();
      for (absl::string_view p : absl::StrSplit(v, ',')) {
        a.instances.push_back(Positive(k, std::string(p)));
      }
    } else if (k == "--stores") {
      a.stores = absl::StrSplit(v, ',');
      for (const auto& s : a.stores) {
        if (s != "single" && s != "cluster") Usage("--stores: single and/or cluster");
      }
    } else if (k == "--seconds") {
      a.run.seconds = absl::Seconds(Positive(k, v));
    } else if (k == "--clients") {
      a.run.clients = Positive(k, v);
    } else if (k == "--events") {
      a.run.events = Positive(k, v);
    } else if (k == "--json") {
      a.json = v;
    } else {
      Usage("unknown flag " + k);
    }
  }
  return a;
}

double PerCore(double a, double b) { return a + b <= 0 ? 0 : 1000.0 / (a + b); }

void PrintTable(const std::vector<ScalingResult>& rs) {
  std::printf(
      "\n%-8s %4s | %9s %5s | %6s %6s %6s %6s %6s | %5s | %10s | %10s %6s %6s | %5s | %10s\n",
      "store", "inst", "orders/s", "fail", "order", "svcs", "redis", "client", "rest", "busy%",
      "orders/", "loyalty", "loyal.", "redis", "busy%", "events/");
  std::printf("%-8s %4s | %9s %5s | %34s | %5s | %10s | %10s %13s | %5s | %10s\n", "", "", "", "",
              "CPU ms per order", "", "core-s", "events/s", "CPU ms/event", "", "core-s");
  for (const ScalingResult& r : rs) {
    std::printf(
        "%-8s %4d | %9.1f %5lld | %6.2f %6.2f %6.2f %6.2f %6.2f | %5.0f | %10.0f | %10.0f %6.3f "
        "%6.3f | %5.0f | %10.0f\n",
        r.store.c_str(), r.instances, r.orders_per_s, static_cast<long long>(r.order_failures),
        r.order_cpu_ms, r.services_cpu_ms, r.redis_cpu_ms, r.client_cpu_ms, r.rest_cpu_ms,
        r.machine_busy_pct,
        PerCore(r.services_cpu_ms, r.redis_cpu_ms), r.loyalty_events_per_s, r.loyalty_cpu_ms,
        r.loyalty_redis_cpu_ms, r.loyalty_machine_busy_pct,
        PerCore(r.loyalty_cpu_ms, r.loyalty_redis_cpu_ms));
  }
  std::printf(
      "\norder: the order instances; svcs: all service instances (order included); redis: every "
      "redis-server; client: this program; rest: the machine's other busy time (Kafka and "
      "anything else running).\norders/core-s and events/core-s: operations per second one fully "
      "used core sustains for the services plus Redis (1000 / CPU ms per operation); Kafka not "
      "included.\n");
}

std::string Json(const std::vector<ScalingResult>& rs, int cores) {
  std::string out = absl::StrCat("{\"cores\": ", cores, ", \"results\": [");
  for (size_t i = 0; i < rs.size(); ++i) {
    const ScalingResult& r = rs[i];
    absl::StrAppend(
        &out, i ? ",\n  " : "\n  ",
        absl::StrFormat(
            "{\"store\": \"%s\", \"instances\": %d, \"orders_per_s\": %.2f, "
            "\"order_failures\": %d, "
            "\"order_cpu_ms_per_order\": %.3f, \"services_cpu_ms_per_order\": %.3f, "
            "\"redis_cpu_ms_per_order\": %.3f, \"client_cpu_ms_per_order\": %.3f, "
            "\"rest_cpu_ms_per_order\": %.3f, "
            "\"machine_busy_pct\": %.1f, \"loyalty_events_per_s\": %.1f, "
            "\"loyalty_cpu_ms_per_event\": %.4f, \"redis_cpu_ms_per_event\": %.4f, "
            "\"loyalty_machine_busy_pct\": %.1f}",
            r.store, r.instances, r.orders_per_s, r.order_failures, r.order_cpu_ms,
            r.services_cpu_ms, r.redis_cpu_ms, r.client_cpu_ms, r.rest_cpu_ms, r.machine_busy_pct,
            r.loyalty_events_per_s, r.loyalty_cpu_ms, r.loyalty_redis_cpu_ms,
            r.loyalty_machine_busy_pct));
  }
  return out + "\n]}\n";
}

}  // namespace

int main(int argc, char** argv) {
  Args args = ParseArgs(argc, argv);
  // One Kafka for the whole run: the run's shared broker, else a private one.
  std::unique_ptr<revisit::testing::KafkaCluster> kafka;
  const char* shared = std::getenv("REVISIT_TEST_KAFKA_BOOTSTRAP");
  if (shared == nullptr || *shared == '\0') {
    auto started = revisit::testing::KafkaCluster::Start({1, "", /*create_topics=*/false, 0});
    if (!started.ok()) {
      std::cerr << "bench_scaling: Kafka: " << started.status() << std::endl;
      return 1;
    }
    kafka = *std::move(started);
    setenv("REVISIT_TEST_KAFKA_BOOTSTRAP", kafka->Bootstrap().c_str(), 1);
  }
  const int cores = static_cast<int>(sysconf(_SC_NPROCESSORS_ONLN));
  std::vector<ScalingResult> results;
  absl::Time began = absl::Now();
  for (const std::string& store : args.stores) {
    for (int n : args.instances) {
      std::cerr << "[bench_scaling] " << store << " x" << n << " ..." << std::endl;
      auto r = revisit::bench::RunScaling(args.run, store == "cluster", n);
      if (!r.ok()) {
        std::cerr << "bench_scaling: " << store << " x" << n << ": " << r.status() << std::endl;
        return 1;
      }
      results.push_back(*r);
    }
  }
  std::printf("bench_scaling: %d cores, %d client threads, %s order load per configuration, "
              "%d loyalty events; took %s\n",
              cores, args.run.clients, absl::FormatDuration(args.run.seconds).c_str(),
              args.run.events, absl::FormatDuration(absl::Now() - began).c_str());
  PrintTable(results);
  std::ofstream(args.json) << Json(results, cores);
  std::printf("JSON: %s\n", args.json.c_str());
  return 0;
}
