// revisit-bench-commit: Redis CPU per call of the commit script (common/lua/commit.lua)
// for a typical order-path batch, from Redis's own INFO commandstats.
//
//   revisit-bench-commit --redis HOST:PORT [--calls 5000] [--script FILE] [--json FILE]
//
// Each call commits one WriteBatch shaped like ConfirmDelivery's: a DEDUPE record
// (request ID + recorded answer), a VERSION guard, the order PUT, one outbox event
// (XADD with its sequence HINCRBY), a timer (ZADD + HSET + HDEL), on fresh keys, so
// every call does the full work. CONFIG RESETSTAT first, then EVALSHA's usec/calls
// (Redis counts a script's inner commands in its own time), and the CPU time of
// Redis's main thread per call (INFO cpu), which other processes' load disturbs less. --script runs another
// version of the script with the same keys and arguments (e.g. the previous commit's
// `git show REV:common/lua/commit.lua`), for a before/after in one run.
// Prints one line; exit 0, 1 on a Redis error, 2 on bad usage.
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "common/keys.h"
#include "common/outbox.h"
#include "common/redis_client.h"
#include "common/timer_queue.h"
#include "common/write_batch.h"

namespace revisit {
extern const char kCommitLua[];
}  // namespace revisit

namespace {

using namespace revisit;  // NOLINT

[[noreturn]] void Usage(const std::string& why) {
  std::fprintf(stderr, "revisit-bench-commit: %s\nusage: revisit-bench-commit --redis HOST:PORT "
               "[--calls N] [--script FILE] [--json FILE]\n", why.c_str());
  std::exit(2);
}

WriteBatch TypicalBatch(const std::string& run, int i) {
  const int shard = i % kShards;
  const std::string order = absl::StrCat("ord-bench-", run, "-", i);
  const std::string key = ShardKey("order", shard, "order:" + order);
  WriteBatch b;
  b.Dedupe(ShardKey("order", shard, absl::StrCat("req:ConfirmDelivery:", order)), absl::Hours(24),
           std::string(180, 'r'));
  b.ExpectVersion(key, 0);
  b.Put(key, 1, std::string(420, 'd'));
  EventEnvelope e;
  e.id = absl::StrCat("evt-", order);
  e.source = "revisit/order";
  e.type = "revisit.order.delivered.v1";
  e.time = absl::Now();
  e.subject = order;
  e.traceparent = "00-0123456789abcdef0123456789abcdef-0123456789abcdef-01";
  e.key = "cus-bench";
  e.topic = "revisit.order.v1";
  e.dataschema = "proto:revisit.order.v1.OrderDelivered";
  e.payload = std::string(300, 'p');
  b.AppendEvent(OutboxStream("order", shard), e);
  ScheduleTimer(b, "order", shard, "complete:" + order, absl::Now() + absl::Hours(72), order);
  return b;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) Usage("cannot read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Seconds of CPU Redis's main thread used so far (INFO cpu, from getrusage): what
// every command costs the server, robust to other processes' load on the machine.
double MainThreadCpu(RedisClient& redis) {
  auto info = redis.Command({"INFO", "cpu"});
  if (!info.ok()) return 0;
  double total = 0;
  for (absl::string_view line : absl::StrSplit(info->str, '\n')) {
    double v = 0;
    if ((absl::ConsumePrefix(&line, "used_cpu_user_main_thread:") ||
         absl::ConsumePrefix(&line, "used_cpu_sys_main_thread:")) &&
        absl::SimpleAtod(absl::StripAsciiWhitespace(line), &v)) {
      total += v;
    }
  }
  return total;
}

}  // namespace

int main(int argc, char** argv) {
  std::string address, script_file, json;
  int calls = 5000;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i], v = argv[i + 1];
    if (k == "--redis") address = v;
    else if (k == "--script") script_file = v;
    else if (k == "--json") json = v;
    else if (k == "--calls") { if (!absl::SimpleAtoi(v, &calls) || calls < 1) Usage("bad --calls"); }
    else Usage("unknown flag " + k);
  }
  if (address.empty()) Usage("--redis is required");
  auto options = ParseRedisAddress(address);
  if (!options.ok()) Usage(std::string(options.status().message()));
  RedisClient redis(*options);
  LuaScript script("commit", script_file.empty() ? std::string(kCommitLua) : ReadFile(script_file));
  const std::string run = absl::StrCat(absl::ToUnixMicros(absl::Now()));
  if (auto r = redis.Command({"CONFIG", "RESETSTAT"}); !r.ok()) {
    std::fprintf(stderr, "revisit-bench-commit: %s\n", r.status().ToString().c_str());
    return 1;
  }
  const double cpu0 = MainThreadCpu(redis);
  const absl::Time t0 = absl::Now();
  for (int i = 0; i < calls; ++i) {
    auto call = TypicalBatch(run, i).ScriptCall();
    if (!call.ok()) return 1;
    auto r = redis.Eval(script, call->keys, call->args);
    if (!r.ok()) {
      std::fprintf(stderr, "revisit-bench-commit: %s\n", r.status().ToString().c_str());
      return 1;
    }
  }
  const double wall = absl::ToDoubleSeconds(absl::Now() - t0);
  const double cpu_us_per_call = (MainThreadCpu(redis) - cpu0) * 1e6 / calls;
  auto info = redis.Command({"INFO", "commandstats"});
  if (!info.ok()) return 1;
  double usec_per_call = -1;
  for (absl::string_view line : absl::StrSplit(info->str, '\n')) {
    if (!absl::ConsumePrefix(&line, "cmdstat_evalsha:")) continue;
    for (absl::string_view part : absl::StrSplit(line, ',')) {
      if (absl::ConsumePrefix(&part, "usec_per_call=")) {
        (void)absl::SimpleAtod(absl::StripAsciiWhitespace(part), &usec_per_call);
      }
    }
  }
  std::printf("commit script %s: %d calls, Redis main-thread CPU %.1f us per call "
              "(EVALSHA usec_per_call %.1f), %.0f calls/s one at a time\n",
              script_file.empty() ? "(built in)" : script_file.c_str(), calls, cpu_us_per_call,
              usec_per_call, calls / wall);
  if (!json.empty()) {
    if (FILE* f = std::fopen(json.c_str(), "w")) {
      std::fprintf(f, "{\"calls\": %d, \"cpu_us_per_call\": %.2f, \"usec_per_call\": %.2f, "
                   "\"calls_per_s\": %.1f}\n", calls, cpu_us_per_call, usec_per_call, calls / wall);
      std::fclose(f);
    }
  }
  return usec_per_call > 0 ? 0 : 1;
}
