// bench_loyalty: how fast revisit-loyalty applies order events, against what the
// same redis-server does with a pipelined redis-benchmark, in one invocation.
//
//   bench_loyalty [--events N] [--customers C] [--fsync always|everysec] [--loyalty PATH]
//
// --loyalty runs another revisit-loyalty binary (e.g. a copy built before a change, to
// compare both on the same machine state); default: the one built with this tool.
//
// --fsync sets the redis-server's appendfsync for both measurements (default
// everysec; the test harness starts Redis with always, where every commit waits for
// a disk flush and the per-event cost is dominated by the disk).
//
// 1. Starts a private redis-server and the local broker (loopback, free ports).
// 2. Baseline: `redis-benchmark -P 16 -t set -n 200000 -q` on that server.
// 3. Publishes N order.completed events for C customers to revisit.order.v1, then
//    starts revisit-loyalty, which applies them in batches: per batch one pipelined
//    read (accounts, inbox keys) and one pipeline of Lua WriteBatches, one per customer
//    (inbox keys, version guard, account, ledger lines, spend index, review timer,
//    outbox events); see services/loyalty/store/batch_apply.h.
// 4. Measures from the first applied event to the last (the consumer-group join is
//    excluded) and prints events/s, the baseline ops/s and the ratio, then where the
//    time went: CPU per applied event of revisit-loyalty (/proc/<pid>/stat) and of
//    the redis-server (INFO cpu; includes this tool's progress reads every 20 ms).
//    CPU per event moves far less with the machine's load than events/s does.
// Bounded: one run, a fixed event count, a 5-minute guard; loopback only.
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "common/kafka_producer.h"
#include "common/redis_client.h"
#include "tests/harness/local_broker.h"
#include "tests/harness/redis_server.h"
#include "tests/harness/subprocess.h"
#include "tests/harness/temp_dir.h"
#include "tests/harness/tls_material.h"
#include "tools/bench_loyalty/completed_orders.h"

namespace {

using namespace revisit;  // NOLINT

int Fail(const std::string& what) {
  std::cerr << "bench_loyalty: " << what << std::endl;
  return 1;
}

double RedisBenchmark(int port) {
  std::string cmd = absl::StrCat("redis-benchmark -h 127.0.0.1 -p ", port,
                                 " -P 16 -t set -n 200000 -q 2>/dev/null");
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return -1;
  std::string out;
  char buf[512];
  while (fgets(buf, sizeof buf, p)) out += buf;
  pclose(p);
  // "SET: 912408.75 requests per second, p50=..." (possibly after \r progress lines).
  size_t at = out.rfind("SET: ");
  if (at == std::string::npos) return -1;
  double rps = -1;
  std::vector<std::string> words = absl::StrSplit(out.substr(at + 5), ' ');
  if (words.empty() || !absl::SimpleAtod(words[0], &rps)) return -1;
  return rps;
}

// User + system CPU seconds of process `pid` so far (-1 when unreadable).
double ProcessCpuSeconds(pid_t pid) {
  FILE* f = std::fopen(absl::StrCat("/proc/", pid, "/stat").c_str(), "r");
  if (f == nullptr) return -1;
  char buf[2048];
  size_t n = std::fread(buf, 1, sizeof buf - 1, f);
  std::fclose(f);
  buf[n] = 0;
  // Fields after the ")" ending the command name: state is field 3, utime 14, stime 15.
  const char* rest = std::strrchr(buf, ')');
  if (rest == nullptr) return -1;
  std::vector<std::string> fields = absl::StrSplit(rest + 2, ' ');
  double utime = 0, stime = 0;
  if (fields.size() < 13 || !absl::SimpleAtod(fields[11], &utime) ||
      !absl::SimpleAtod(fields[12], &stime)) {
    return -1;
  }
  return (utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// used_cpu_user + used_cpu_sys of the redis-server (INFO cpu), -1 when unreadable.
double RedisCpuSeconds(RedisClient& client) {
  auto info = client.Command({"INFO", "cpu"});
  if (!info.ok()) return -1;
  double total = 0;
  for (absl::string_view line : absl::StrSplit(info->str, absl::ByAnyChar("\r\n"))) {
    for (absl::string_view key : {"used_cpu_user:", "used_cpu_sys:"}) {
      double v = 0;
      if (absl::ConsumePrefix(&line, key) && absl::SimpleAtod(line, &v)) total += v;
    }
  }
  return total;
}

// Per command: (calls, usec) from INFO commandstats.
std::map<std::string, std::pair<double, double>> CommandStats(RedisClient& client) {
  std::map<std::string, std::pair<double, double>> out;
  auto info = client.Command({"INFO", "commandstats"});
  if (!info.ok()) return out;
  for (absl::string_view line : absl::StrSplit(info->str, absl::ByAnyChar("\r\n"))) {
    // cmdstat_evalsha:calls=10,usec=500,usec_per_call=50.00,...
    if (!absl::ConsumePrefix(&line, "cmdstat_")) continue;
    std::vector<absl::string_view> parts = absl::StrSplit(line, absl::ByAnyChar(":,="));
    if (parts.size() < 5) continue;
    double calls = 0, usec = 0;
    if (!absl::SimpleAtod(parts[2], &calls) || !absl::SimpleAtod(parts[4], &usec)) continue;
    out[std::string(parts[0])] = {calls, usec};
  }
  return out;
}

// The commands the service sent during the run, per applied event, costliest first.
void PrintCommandStats(const std::map<std::string, std::pair<double, double>>& before,
                       const std::map<std::string, std::pair<double, double>>& after,
                       double applied) {
  std::vector<std::pair<double, std::string>> rows;
  for (const auto& [cmd, cu] : after) {
    auto it = before.find(cmd);
    const double calls = cu.first - (it == before.end() ? 0 : it->second.first);
    const double usec = cu.second - (it == before.end() ? 0 : it->second.second);
    if (calls > 0) {
      rows.push_back({usec, absl::StrFormat("  %-10s %8.3f calls, %6.1f us per event", cmd,
                                            calls / applied, usec / applied)});
    }
  }
  std::sort(rows.rbegin(), rows.rend());
  std::printf("redis commands per applied event (INFO commandstats; a script's usec includes "
              "the commands it calls, which are also listed):\n");
  for (const auto& row : rows) std::printf("%s\n", row.second.c_str());
}

}  // namespace

int main(int argc, char** argv) {
  int64_t events = 20000, customers_n = 500;
  std::string fsync = "everysec";
  std::string loyalty_path = REVISIT_LOYALTY_PATH;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--loyalty") {
      loyalty_path = argv[i + 1];
      continue;
    }
    if (flag == "--fsync") {
      fsync = argv[i + 1];
      if (fsync != "always" && fsync != "everysec") return Fail("--fsync: always or everysec");
      continue;
    }
    int64_t v = 0;
    if (!absl::SimpleAtoi(argv[i + 1], &v) || v <= 0) return Fail("bad value for " + flag);
    if (flag == "--events") events = v;
    else if (flag == "--customers") customers_n = v;
    else return Fail("unknown flag " + flag);
  }
  auto dir = testing::TempDir::Create("bench-loyalty");
  if (!dir.ok()) return Fail(dir.status().ToString());
  auto redis = testing::RedisServer::Start();
  if (!redis.ok()) return Fail(redis.status().ToString());
  auto broker = testing::LocalBroker::Start();
  if (!broker.ok()) return Fail(broker.status().ToString());

  {
    RedisClient admin(*ParseRedisAddress((*redis)->Address()));
    auto set = admin.Command({"CONFIG", "SET", "appendfsync", fsync});
    if (!set.ok()) return Fail(set.status().ToString());
  }
  double baseline = RedisBenchmark((*redis)->port());
  if (baseline <= 0) return Fail("redis-benchmark did not report SET requests per second");
  auto flushed = RedisClient(*ParseRedisAddress((*redis)->Address())).Command({"FLUSHALL"});
  if (!flushed.ok()) return Fail(flushed.status().ToString());

  std::vector<std::string> customers;
  for (int64_t c = 0; c < customers_n; ++c) customers.push_back(absl::StrCat("cus-bench-", c));
  KafkaProducerOptions popts;
  popts.bootstrap = (*broker)->Bootstrap();
  popts.kafka_namespace = (*broker)->Namespace();
  popts.client_id = "bench-loyalty";
  auto producer = KafkaProducer::Create(popts);
  if (!producer.ok()) return Fail(producer.status().ToString());
  for (int64_t i = 0; i < events; ++i) {
    const std::string& c = customers[static_cast<size_t>(i % customers_n)];
    auto st = (*producer)->Produce(bench::CompletedOrderEvent(c, absl::StrCat("ord-bench-", i)), [](absl::Status) {});
    if (!st.ok()) return Fail(st.ToString());
  }
  if (auto st = (*producer)->Flush(absl::Seconds(60)); !st.ok()) return Fail(st.ToString());

  auto port = testing::FreePort();
  if (!port.ok()) return Fail(port.status().ToString());
  testing::SubprocessOptions opts;
  opts.path = loyalty_path;
  opts.env = {{"REVISIT_GRPC_PORT", std::to_string(*port)},
              {"REVISIT_METRICS_PORT", "-1"},
              {"REVISIT_BIND_ADDRESS", "127.0.0.1"},
              {"REVISIT_REDIS_ADDR", (*redis)->Address()},
              {"REVISIT_KAFKA_BOOTSTRAP", (*broker)->Bootstrap()},
              {"REVISIT_INSTANCE_ID", "bench-loyalty"},
              {"REVISIT_LOG_LEVEL", "warn"}};
  for (auto& [k, v] : testing::TlsMaterial::Get().ServiceEnv("loyalty")) opts.env[k] = v;
  opts.log_path = (*dir)->File("loyalty.log");
  auto service = testing::Subprocess::Start(opts);
  if (!service.ok()) return Fail(service.status().ToString());

  RedisClient client(*ParseRedisAddress((*redis)->Address()));
  const absl::Time guard = absl::Now() + absl::Minutes(5);
  int64_t first = 0;
  absl::Time t0;
  while ((first = bench::CompletedOrdersApplied(client, customers)) <= 0) {
    if (absl::Now() > guard || !(*service)->Running()) return Fail("no event applied:\n" + (*service)->ReadLog());
    absl::SleepFor(absl::Milliseconds(2));
  }
  t0 = absl::Now();
  const double loyalty_cpu0 = ProcessCpuSeconds((*service)->pid());
  const double redis_cpu0 = RedisCpuSeconds(client);
  const auto stats0 = CommandStats(client);
  int64_t done = first;
  while ((done = bench::CompletedOrdersApplied(client, customers)) < events) {
    if (absl::Now() > guard || !(*service)->Running()) return Fail("stalled:\n" + (*service)->ReadLog());
    absl::SleepFor(absl::Milliseconds(20));
  }
  const absl::Duration took = absl::Now() - t0;
  const double rate = static_cast<double>(events - first) / absl::ToDoubleSeconds(took);
  const double loyalty_cpu = ProcessCpuSeconds((*service)->pid()) - loyalty_cpu0;
  const double redis_cpu = RedisCpuSeconds(client) - redis_cpu0;
  const auto stats1 = CommandStats(client);
  (*service)->Signal(SIGTERM).IgnoreError();
  (*service)->Wait(absl::Seconds(30)).IgnoreError();

  std::printf("loyalty: %lld events applied in %.2f s (%lld already applied at t0): %.0f events/s\n",
              static_cast<long long>(events - first), absl::ToDoubleSeconds(took),
              static_cast<long long>(first), rate);
  std::printf("redis-benchmark -P 16 -t set (same redis-server, appendfsync %s): %.0f ops/s\n",
              fsync.c_str(), baseline);
  std::printf("ratio loyalty events/s : pipelined SET ops/s = %.4f (1 : %.0f)\n", rate / baseline,
              baseline / rate);
  const double applied = static_cast<double>(events - first);
  std::printf("CPU per applied event: revisit-loyalty %.1f us, redis-server %.1f us "
              "(over %.2f s wall: %.0f %% and %.0f %% of a core)\n",
              loyalty_cpu * 1e6 / applied, redis_cpu * 1e6 / applied,
              absl::ToDoubleSeconds(took), 100 * loyalty_cpu / absl::ToDoubleSeconds(took),
              100 * redis_cpu / absl::ToDoubleSeconds(took));
  PrintCommandStats(stats0, stats1, applied);
  return 0;
}
