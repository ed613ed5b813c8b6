// bench_outreach: how much Redis memory a pending touch costs and how fast the
// dispatcher sends due touches.
//
//   bench_outreach [--touches=1000000] [--threads=4] [--hash-max-listpack-value=N]
//
// Starts a private redis-server (AOF as in the tests), creates --touches pending
// touches through the real write path (TouchTxn::Schedule: touch entity, customer
// record with its pending index, per-customer list index, durable timer, outbox
// event, campaign counters), two touches per customer (care tips and feedback
// request), and reads INFO memory before and after. The outbox stream is trimmed
// before measuring (the relay empties it in production). Then it moves the manual
// clock past every due time and runs --threads timer schedulers with the real
// Dispatcher (default event adapter) until nothing is pending, and prints the rate.
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstring>
#include <sstream>
#include <tuple>
#include <iostream>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/clock.h"
#include "common/keys.h"
#include "common/outbox.h"
#include "common/timer_queue.h"
#include "services/outreach/edge/dispatcher.h"
#include "services/outreach/store/touch_txn.h"
#include "tests/harness/redis_server.h"
#include "tools/bench_outreach/key_memory.h"

namespace ro = revisit::outreach;

namespace {

int64_t Flag(int argc, char** argv, const std::string& name, int64_t def) {
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    int64_t v = 0;
    if (a.rfind("--" + name + "=", 0) == 0 && absl::SimpleAtoi(a.substr(name.size() + 3), &v))
      return v;
  }
  return def;
}

int64_t UsedMemory(revisit::RedisClient& redis) {
  auto r = redis.Command({"INFO", "memory"});
  if (!r.ok()) return -1;
  const std::string& s = r->str;
  auto p = s.find("used_memory:");
  return p == std::string::npos ? -1 : std::stoll(s.substr(p + 12));
}

// Redis main-thread CPU so far (user + sys, seconds): what Redis spends per touch.
double RedisCpu(revisit::RedisClient& redis) {
  auto r = redis.Command({"INFO", "cpu"});
  if (!r.ok()) return 0;
  double total = 0;
  for (const char* field : {"used_cpu_user_main_thread:", "used_cpu_sys_main_thread:"}) {
    auto p = r->str.find(field);
    if (p != std::string::npos) total += std::stod(r->str.substr(p + strlen(field)));
  }
  return total;
}

// INFO commandstats as "cmd calls usec" rows, the most expensive first (scripts'
// own commands are counted both in their rows and in evalsha's).
std::string CommandStats(revisit::RedisClient& redis, int64_t per, int top) {
  auto r = redis.Command({"INFO", "commandstats"});
  if (!r.ok()) return "";
  std::vector<std::tuple<int64_t, int64_t, std::string>> rows;  // usec, calls, name
  std::istringstream in(r->str);
  for (std::string line; std::getline(in, line);) {
    int64_t calls = 0, usec = 0;
    auto name_end = line.find(':');
    if (line.rfind("cmdstat_", 0) != 0 || name_end == std::string::npos) continue;
    if (std::sscanf(line.c_str() + name_end + 1, "calls=%ld,usec=%ld", &calls, &usec) != 2) continue;
    rows.emplace_back(usec, calls, line.substr(8, name_end - 8));
  }
  std::sort(rows.rbegin(), rows.rend());
  std::string out;
  for (int i = 0; i < top && i < static_cast<int>(rows.size()); ++i) {
    const auto& [usec, calls, name] = rows[i];
    out += absl::StrFormat("  %-14s %6.2f calls %7.1f us per touch\n", name,
                           static_cast<double>(calls) / per, static_cast<double>(usec) / per);
  }
  return out;
}

class NoContacts : public ro::ContactSource {
 public:
  absl::StatusOr<ro::Contact> Fetch(const std::string&, ro::Channel) override {
    return ro::Contact{};
  }
};
class NoVouchers : public ro::VoucherIssuer {
 public:
  absl::StatusOr<ro::IssuedVoucher> IssueWinBack(const ro::v1::Touch&, absl::Time) override {
    return absl::UnavailableError("none");
  }
};

void TrimOutbox(revisit::RedisClient& redis) {
  for (int s = 0; s < revisit::kShards; ++s)
    (void)redis.Command({"DEL", revisit::OutboxStream(ro::kService, s)});
}

}  // namespace

int main(int argc, char** argv) {
  const int64_t touches = Flag(argc, argv, "touches", 1000000);
  const int threads = static_cast<int>(Flag(argc, argv, "threads", 4));
  auto server = revisit::testing::RedisServer::Start();
  if (!server.ok()) {
    std::cerr << server.status() << std::endl;
    return 1;
  }
  revisit::RedisOptions ro_opts;
  ro_opts.port = (*server)->port();
  ro_opts.pool_size = threads + 2;
  revisit::RedisClient redis(ro_opts);
  ro::OutreachConfig config;
  config.common.service = ro::kService;
  config.default_time_zone = absl::UTCTimeZone();
  config.revisit_window = absl::Hours(24 * 14);
  revisit::ManualClock clock(
      absl::FromCivil(absl::CivilSecond(2026, 3, 2, 10, 0, 0), absl::UTCTimeZone()));
  ro::OutreachStore store(redis);
  (void)redis.Command({"CONFIG", "SET", "appendfsync", "everysec"});
  // As deploy/k8s/base/redis/redis.conf (0: the server's default, 64).
  const int64_t listpack_value = Flag(argc, argv, "hash-max-listpack-value", 0);
  if (listpack_value > 0)
    (void)redis.Command(
        {"CONFIG", "SET", "hash-max-listpack-value", std::to_string(listpack_value)});
  const int64_t before = UsedMemory(redis);

  const int64_t customers = (touches + 1) / 2;
  double cpu0 = RedisCpu(redis);
  std::atomic<int64_t> next{0}, made{0};
  absl::Time t0 = absl::Now();
  std::vector<std::thread> workers;
  for (int w = 0; w < threads; ++w) {
    workers.emplace_back([&] {
      for (int64_t i = next++; i < customers; i = next++) {
        const std::string cus = absl::StrFormat("cus-%016x", i);
        absl::Status st = revisit::MutateWithRetry([&]() -> absl::Status {
          ro::TouchTxn txn(store, config, cus, clock.Now());
          if (auto s = txn.Load(); !s.ok()) return s;
          auto* c = txn.customer().add_consents();
          c->set_channel(revisit::common::v1::CHANNEL_APP_PUSH);
          c->set_granted(true);
          txn.customer().set_time_zone("UTC");
          txn.MarkCustomerDirty();
          for (auto trig : {ro::v1::TRIGGER_CARE_TIPS, ro::v1::TRIGGER_FEEDBACK_REQUEST}) {
            if (made.load() >= touches) break;
            ro::TouchSpec spec;
            spec.trigger = trig;
            spec.source_id = absl::StrFormat("ord-%016x", i);
            spec.due = clock.Now() + absl::Hours(72);
            spec.message = "How is Silk scarf working for you? Tell us honestly (1-5).";
            auto r = txn.Schedule(spec);
            if (!r.ok()) return r.status();
            ++made;
          }
          return txn.Commit().status();
        });
        if (!st.ok()) std::cerr << "schedule: " << st << std::endl;
      }
    });
  }
  for (auto& w : workers) w.join();
  const double create_s = absl::ToDoubleSeconds(absl::Now() - t0);
  const double create_cpu = RedisCpu(redis) - cpu0;
  TrimOutbox(redis);
  const int64_t after = UsedMemory(redis);
  std::cout << absl::StrFormat(
                   "pending touches: %d (customers %d)\ncreate: %.1f s (%.0f touches/s, %d threads)\n"
                   "redis used_memory before: %d B, after: %d B\n"
                   "memory per pending touch: %.0f B (incl. customer record, indexes, timer)\n",
                   made.load(), customers, create_s, made.load() / create_s, threads, before, after,
                   static_cast<double>(after - before) / made.load());
  std::cout << absl::StrFormat("redis main-thread CPU per created touch: %.1f us\n",
                               create_cpu * 1e6 / made.load());
  if (auto rows = revisit::bench::MemoryByKeyKind(redis, ro::kService); rows.ok())
    std::cout << "MEMORY USAGE by key kind (sampled):\n"
              << revisit::bench::FormatKeyMemory(*rows, made.load());
  else
    std::cerr << "memory by key kind: " << rows.status() << std::endl;

  // Dispatch: everything due now; the real dispatcher with the event adapter.
  clock.Advance(absl::Hours(80));
  ro::EventAdapter adapter;
  NoContacts contacts;
  NoVouchers vouchers;
  ro::Dispatcher dispatcher(config, store, clock, adapter, contacts, vouchers);
  revisit::TimerSchedulerOptions topts;
  topts.service = ro::kService;
  std::vector<std::unique_ptr<revisit::TimerScheduler>> schedulers;
  for (int w = 0; w < threads; ++w)
    schedulers.push_back(std::make_unique<revisit::TimerScheduler>(
        redis, clock, topts,
        [&](const std::vector<revisit::DueTimer>& due) { return dispatcher.HandleBatch(due); }));
  std::atomic<int64_t> fired{0};
  (void)redis.Command({"CONFIG", "RESETSTAT"});
  cpu0 = RedisCpu(redis);
  t0 = absl::Now();
  workers.clear();
  for (int w = 0; w < threads; ++w) {
    workers.emplace_back([&, w] {
      while (true) {
        auto n = schedulers[w]->RunOnce();
        if (!n.ok()) { std::cerr << n.status() << std::endl; break; }
        fired += *n;
        if (*n == 0 && schedulers[w]->Pending() == 0) break;
      }
    });
  }
  for (auto& w : workers) w.join();
  const double dispatch_s = absl::ToDoubleSeconds(absl::Now() - t0);
  std::cout << absl::StrFormat("dispatch: %d timers fired in %.1f s = %.0f touches/s (%d schedulers)\n",
                               fired.load(), dispatch_s, fired.load() / dispatch_s, threads);
  std::cout << absl::StrFormat("redis main-thread CPU per dispatched touch: %.1f us\n",
                               (RedisCpu(redis) - cpu0) * 1e6 / std::max<int64_t>(1, fired.load()));
  std::cout << "redis commands during dispatch (INFO commandstats):\n"
            << CommandStats(redis, std::max<int64_t>(1, fired.load()), 8);
  return 0;
}
