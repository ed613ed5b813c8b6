// revisit-bench-loop: the loop's own latency under load: how long after an order's
// `order.delivered` event was committed the outreach service committed the feedback
// request it schedules (`outreach.touch_scheduled`, trigger FEEDBACK_REQUEST), both
// read from ce_time (wall time when the stack runs at REVISIT_TIME_SCALE=1).
//
//   revisit-bench-loop --target ORDER_HOST:PORT --bootstrap KAFKA [--rate 100]
//                      [--seconds 20] [--customers 2000] [--threads 64] [--json FILE]
//
// Drives --rate orders per second (create -> pay -> ship -> deliver, paced: order i
// starts at t0 + i/rate, on up to --threads workers) for --seconds against a running
// stack (order + outreach at least), then reads revisit.order.v1 and
// revisit.outreach.v1 from the beginning (REVISIT_TOPIC_PREFIX applies) until every
// delivered order of this run has its feedback request or 60 s pass, and prints the
// achieved order rate and delivered -> feedback scheduled p50/p99/max. The figure is
// a measurement, not a verdict: exit 0 unless RPCs failed or nothing was measured.
// Credentials: TlsConfig::ForTool (REVISIT_TLS_CERT/KEY/CA or REVISIT_TLS=off).
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/event_envelope.h"
#include "common/tls_config.h"
#include "revisit/order/v1/events.pb.h"
#include "revisit/order/v1/order.grpc.pb.h"
#include "revisit/outreach/v1/events.pb.h"
#include "tests/harness/kafka_reader.h"

namespace {

namespace ov1 = revisit::order::v1;
namespace rv1 = revisit::outreach::v1;

struct Args {
  std::string target, bootstrap, json;
  int rate = 100, seconds = 20, customers = 2000, threads = 64;
};

[[noreturn]] void Usage(const std::string& why) {
  std::fprintf(stderr,
               "revisit-bench-loop: %s\nusage: revisit-bench-loop --target HOST:PORT --bootstrap "
               "KAFKA [--rate N] [--seconds N] [--customers N] [--threads N] [--json FILE]\n",
               why.c_str());
  std::exit(2);
}

Args Parse(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    std::string k = argv[i];
    if (i + 1 >= argc) Usage("missing value for " + k);
    std::string v = argv[++i];
    int* n = k == "--rate" ? &a.rate : k == "--seconds" ? &a.seconds
           : k == "--customers" ? &a.customers : k == "--threads" ? &a.threads : nullptr;
    if (n != nullptr) {
      if (!absl::SimpleAtoi(v, n) || *n < 1) Usage(k + " must be a positive integer");
    } else if (k == "--target") a.target = v;
    else if (k == "--bootstrap") a.bootstrap = v;
    else if (k == "--json") a.json = v;
    else Usage("unknown flag " + k);
  }
  if (a.target.empty() || a.bootstrap.empty()) Usage("--target and --bootstrap are required");
  return a;
}

std::unique_ptr<grpc::ClientContext> Context() {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
  return ctx;
}

// One order through create -> pay -> ship -> deliver; its ID, or "" on a failure.
std::string RunOrder(ov1::OrderService::Stub& stub, const std::string& prefix,
                     const std::string& customer, std::string* error) {
  auto fail = [&](const char* rpc, const grpc::Status& st) {
    *error = absl::StrCat(rpc, ": ", st.error_message());
    return std::string();
  };
  ov1::CreateOrderRequest create;
  create.set_request_id(prefix + "-c");
  create.set_customer_id(customer);
  auto* line = create.add_lines();
  line->set_sku("SKU-LOOP");
  line->set_name("回路测试商品");
  line->set_category("服饰");
  line->set_quantity(1);
  line->mutable_unit_price()->set_amount_minor(9900);
  line->mutable_unit_price()->set_currency("CNY");
  auto* addr = create.mutable_shipping_address();
  addr->set_recipient("收件人");
  addr->set_phone("13800000000");
  addr->set_province("浙江省");
  addr->set_city("杭州市");
  addr->set_street("文三路 1号");
  ov1::CreateOrderResponse created;
  if (auto st = stub.CreateOrder(Context().get(), create, &created); !st.ok()) return fail("create", st);
  const std::string id = created.order().order_id();
  ov1::PayOrderRequest pay;
  pay.set_request_id(prefix + "-p");
  pay.set_order_id(id);
  *pay.mutable_amount() = created.order().total();
  ov1::PayOrderResponse paid;
  if (auto st = stub.PayOrder(Context().get(), pay, &paid); !st.ok()) return fail("pay", st);
  ov1::ShipOrderRequest ship;
  ship.set_request_id(prefix + "-s");
  ship.set_order_id(id);
  ship.set_carrier("SF");
  ship.set_tracking_number("SF" + prefix);
  ov1::ShipOrderResponse shipped;
  if (auto st = stub.ShipOrder(Context().get(), ship, &shipped); !st.ok()) return fail("ship", st);
  ov1::ConfirmDeliveryRequest deliver;
  deliver.set_request_id(prefix + "-d");
  deliver.set_order_id(id);
  deliver.set_inspected_on_receipt(true);
  ov1::ConfirmDeliveryResponse delivered;
  if (auto st = stub.ConfirmDelivery(Context().get(), deliver, &delivered); !st.ok()) {
    return fail("deliver", st);
  }
  return id;
}

template <typename M>
bool As(const revisit::EventEnvelope& e, M* m) {
  return e.dataschema == "proto:" + M::descriptor()->full_name() && m->ParseFromString(e.payload);
}

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t i = static_cast<size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

// delivered -> feedback scheduled, ms, for the orders of this run that have both.
std::vector<double> Latencies(const Args& a, const std::set<std::string>& orders) {
  std::vector<double> ms;
  const absl::Time guard = absl::Now() + absl::Seconds(60);
  while (absl::Now() < guard) {
    auto order_events = revisit::testing::ReadAll(a.bootstrap, "revisit.order.v1", absl::Seconds(30));
    auto touch_events = revisit::testing::ReadAll(a.bootstrap, "revisit.outreach.v1", absl::Seconds(30));
    if (!order_events.ok() || !touch_events.ok()) {
      std::fprintf(stderr, "revisit-bench-loop: reading topics: %s %s\n",
                   order_events.status().ToString().c_str(), touch_events.status().ToString().c_str());
      return {};
    }
    std::map<std::string, absl::Time> delivered;
    for (const auto& e : *order_events) {
      ov1::OrderDelivered d;
      if (As(e, &d) && orders.count(d.order().order_id())) delivered.emplace(d.order().order_id(), e.time);
    }
    ms.clear();
    std::set<std::string> seen;
    for (const auto& e : *touch_events) {
      rv1::TouchScheduled t;
      if (!As(e, &t) || t.touch().trigger() != rv1::TRIGGER_FEEDBACK_REQUEST) continue;
      auto it = delivered.find(t.touch().source_id());
      if (it == delivered.end() || !seen.insert(it->first).second) continue;
      ms.push_back(absl::ToDoubleMilliseconds(e.time - it->second));
    }
    if (ms.size() >= orders.size()) break;
    absl::SleepFor(absl::Seconds(1));
  }
  return ms;
}

}  // namespace

int main(int argc, char** argv) {
  Args a = Parse(argc, argv);
  auto channel = grpc::CreateChannel(
      a.target, revisit::TlsConfig::ForTool(".run", "operator/revisitctl").ChannelCredentials());
  auto stub = ov1::OrderService::NewStub(channel);
  const std::string run = absl::StrCat("loop-", absl::ToUnixMicros(absl::Now()));
  std::vector<std::string> customers;
  for (int i = 0; i < a.customers; ++i) {
    ov1::CreateCustomerRequest req;
    req.set_request_id(absl::StrCat(run, "-cus-", i));
    req.mutable_customer()->set_name(absl::StrCat("回路客户", i));
    req.mutable_customer()->add_phones("13800000000");
    ov1::CreateCustomerResponse resp;
    if (auto st = stub->CreateCustomer(Context().get(), req, &resp); !st.ok()) {
      std::fprintf(stderr, "revisit-bench-loop: CreateCustomer: %s\n", st.error_message().c_str());
      return 1;
    }
    customers.push_back(resp.customer().customer_id());
  }
  const int total = a.rate * a.seconds;
  std::atomic<int> next{0}, failed{0};
  std::vector<std::vector<std::string>> ids(static_cast<size_t>(a.threads));
  std::string first_error;
  const absl::Time t0 = absl::Now();
  std::vector<std::thread> pool;
  for (int t = 0; t < a.threads; ++t) {
    pool.emplace_back([&, t] {
      for (int i = next++; i < total; i = next++) {
        absl::Time start = t0 + absl::Seconds(1) * i / a.rate;
        absl::SleepFor(start - absl::Now());
        std::string error;
        std::string id = RunOrder(*stub, absl::StrCat(run, "-", i),
                                  customers[static_cast<size_t>(i % a.customers)], &error);
        if (id.empty()) {
          if (failed++ == 0) first_error = error;
        } else {
          ids[static_cast<size_t>(t)].push_back(id);
        }
      }
    });
  }
  for (auto& th : pool) th.join();
  const double wall = absl::ToDoubleSeconds(absl::Now() - t0);
  std::set<std::string> orders;
  for (auto& v : ids) orders.insert(v.begin(), v.end());
  const double achieved = static_cast<double>(orders.size()) / wall;
  std::vector<double> ms = Latencies(a, orders);
  const double p50 = Percentile(ms, 0.5), p99 = Percentile(ms, 0.99);
  const double max = ms.empty() ? 0 : *std::max_element(ms.begin(), ms.end());
  std::printf("loop: %zu orders in %.1f s (%.0f orders/s asked, %.1f achieved), %d failed; "
              "delivered -> feedback scheduled (n=%zu): p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
              orders.size(), wall, static_cast<double>(a.rate), achieved, failed.load(), ms.size(),
              p50, p99, max);
  if (failed > 0) std::printf("  first error: %s\n", first_error.c_str());
  if (!a.json.empty()) {
    if (FILE* f = std::fopen(a.json.c_str(), "w")) {
      std::fprintf(f,
                   "{\"orders\": %zu, \"rate_asked\": %d, \"orders_per_s\": %.1f, \"failed\": %d, "
                   "\"measured\": %zu, \"p50_ms\": %.3f, \"p99_ms\": %.3f, \"max_ms\": %.3f}\n",
                   orders.size(), a.rate, achieved, failed.load(), ms.size(), p50, p99, max);
      std::fclose(f);
    }
  }
  return failed == 0 && !ms.empty() ? 0 : 1;
}
