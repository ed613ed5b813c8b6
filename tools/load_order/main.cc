// revisit-load-order: load generator for the order service (issue 3).
//
//   revisit-load-order --target HOST:PORT [--customers N] [--orders N]
//                      [--concurrency 1,64] [--echo target|inproc|callback] [--warmup N]
//                      [--json FILE]
//
// Registers --customers customers, then for each concurrency C runs --orders
// orders through create -> pay -> ship -> deliver with C worker threads (so C
// orders are in flight, one blocking RPC each), and prints throughput (orders/s,
// RPCs/s) and p50/p99 latency per RPC. Beside it, in the same invocation and at
// the same concurrency, it measures a raw gRPC echo baseline: the same number of
// unary calls to grpc.health.v1.Health/Check, either on the target itself
// (--echo target, default: same process, same network path, no Redis) or on a
// trivial in-process server (--echo inproc: sync API; --echo callback: the callback
// API, the fastest gRPC server shape, the ceiling tools/bench quotes). The ratio of the two is the figure
// to quote: what the order logic, Redis and the outbox cost over bare gRPC.
// The callback echo serves mTLS when REVISIT_BENCH_ECHO_CERT/KEY (a server certificate
// for 127.0.0.1) and REVISIT_TLS_CA are set, plaintext otherwise (as the client then is).
// --json FILE appends one JSON object per concurrency level (tools/bench reads it).
// Credentials: the client certificate of operator/revisitctl from .run/tls/, or
// $REVISIT_TLS_CERT/KEY/CA; REVISIT_TLS=off for a plaintext target (TlsConfig::ForTool).
// Exit status: 0 when every RPC succeeded, 1 when any failed, 2 on bad usage.
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/tls_config.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "revisit/order/v1/order.grpc.pb.h"
#include "tools/load_order/order_driver.h"

namespace {

using revisit::load::Context;
using revisit::load::Driver;
using revisit::load::kRpcNames;
using revisit::load::kRpcs;
using revisit::load::Samples;
using grpc::health::v1::Health;
using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;

struct Args {
  std::string target;
  int customers = 100;
  int orders = 1000;
  int warmup = 50;
  std::vector<int> concurrency = {1, 64};
  std::string echo = "target";
  std::string json;
};

[[noreturn]] void Usage(const std::string& error) {
  std::fprintf(stderr,
               "revisit-load-order: %s\nusage: revisit-load-order --target HOST:PORT "
               "[--customers N] [--orders N] [--concurrency 1,64] [--echo target|inproc|callback] "
               "[--warmup N] [--json FILE]\n",
               error.c_str());
  std::exit(2);
}

Args ParseArgs(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    std::string k = argv[i];
    if (i + 1 >= argc) Usage("missing value for " + k);
    std::string v = argv[++i];
    auto positive = [&](int* out) {
      if (!absl::SimpleAtoi(v, out) || *out < 1) Usage(k + " must be a positive integer");
    };
    if (k == "--target") {
      a.target = v;
    } else if (k == "--customers") {
      positive(&a.customers);
    } else if (k == "--orders") {
      positive(&a.orders);
    } else if (k == "--warmup") {
      if (!absl::SimpleAtoi(v, &a.warmup) || a.warmup < 0) Usage("--warmup must be >= 0");
    } else if (k == "--concurrency") {
      a.concurrency.clear();
      for (absl::string_view part : absl::StrSplit(v, ',')) {
        int c = 0;
        if (!absl::SimpleAtoi(part, &c) || c < 1 || c > 4096) Usage("bad --concurrency " + v);
        a.concurrency.push_back(c);
      }
    } else if (k == "--echo") {
      if (v != "target" && v != "inproc" && v != "callback") {
        Usage("--echo must be target, inproc or callback");
      }
      a.echo = v;
    } else if (k == "--json") {
      a.json = v;
    } else {
      Usage("unknown flag " + k);
    }
  }
  if (a.target.empty()) Usage("--target is required");
  return a;
}

// A trivial raw gRPC server: Health/Check answers SERVING, nothing else.
class EchoHealth final : public Health::Service {
  grpc::Status Check(grpc::ServerContext*, const HealthCheckRequest*,
                     HealthCheckResponse* resp) override {
    resp->set_status(HealthCheckResponse::SERVING);
    return grpc::Status::OK;
  }
};

// The same answer on the callback API: the handler runs on gRPC's own threads and
// finishes the call inline (no thread hand-off, no blocking).
class CallbackEchoHealth final : public Health::CallbackService {
  grpc::ServerUnaryReactor* Check(grpc::CallbackServerContext* ctx, const HealthCheckRequest*,
                                  HealthCheckResponse* resp) override {
    resp->set_status(HealthCheckResponse::SERVING);
    auto* reactor = ctx->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }
};

// Server credentials of the callback echo: mTLS like the services when a server
// certificate is given, else plaintext.
std::shared_ptr<grpc::ServerCredentials> EchoServerCredentials() {
  const char* cert = std::getenv("REVISIT_BENCH_ECHO_CERT");
  const char* key = std::getenv("REVISIT_BENCH_ECHO_KEY");
  const char* ca = std::getenv("REVISIT_TLS_CA");
  const char* tls = std::getenv("REVISIT_TLS");
  if (cert == nullptr || key == nullptr || ca == nullptr || (tls && std::string(tls) == "off")) {
    return grpc::InsecureServerCredentials();
  }
  return revisit::TlsConfig::Files(cert, key, ca).ServerCredentials();
}

double Percentile(std::vector<int64_t>& v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t i = static_cast<size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return static_cast<double>(v[std::min(i, v.size() - 1)]) / 1000.0;
}

// Runs `total` units of work over `threads` threads; returns wall time.
template <typename Work>
absl::Duration RunParallel(int threads, int total, std::vector<Samples>& per_thread, Work work) {
  per_thread.clear();
  per_thread.resize(static_cast<size_t>(threads));
  std::atomic<int> next{0};
  absl::Time start = absl::Now();
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      for (int i = next++; i < total; i = next++) work(i, per_thread[t]);
    });
  }
  for (auto& th : pool) th.join();
  return absl::Now() - start;
}

Samples Merge(std::vector<Samples>& parts) {
  Samples all;
  for (auto& p : parts) {
    for (int r = 0; r < kRpcs; ++r) all.us[r].insert(all.us[r].end(), p.us[r].begin(), p.us[r].end());
    if (all.failures == 0 && p.failures > 0) all.first_error = p.first_error;
    all.failures += p.failures;
  }
  return all;
}

}  // namespace

int main(int argc, char** argv) {
  Args args = ParseArgs(argc, argv);
  std::string run_id = absl::StrCat(absl::ToUnixMicros(absl::Now()));
  auto channel = grpc::CreateChannel(
      args.target, revisit::TlsConfig::ForTool(".run", "operator/revisitctl").ChannelCredentials());
  if (!channel->WaitForConnected(absl::ToChronoTime(absl::Now() + absl::Seconds(10)))) {
    std::fprintf(stderr, "revisit-load-order: cannot connect to %s\n", args.target.c_str());
    return 1;
  }

  std::unique_ptr<grpc::Server> echo_server;
  EchoHealth echo_service;
  CallbackEchoHealth callback_echo_service;
  std::shared_ptr<grpc::Channel> echo_channel = channel;
  std::string echo_what = "grpc.health.v1.Health/Check on the target (same server, no Redis)";
  if (args.echo == "inproc") {
    int port = 0;
    grpc::ServerBuilder b;
    b.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    b.RegisterService(&echo_service);
    echo_server = b.BuildAndStart();
    if (!echo_server || port == 0) {
      std::fprintf(stderr, "revisit-load-order: cannot start the echo server\n");
      return 1;
    }
    echo_channel = grpc::CreateChannel(absl::StrCat("127.0.0.1:", port),
                                       grpc::InsecureChannelCredentials());
    echo_what = "grpc.health.v1.Health/Check on an in-process raw gRPC server";
  } else if (args.echo == "callback") {
    int port = 0;
    grpc::ServerBuilder b;
    b.AddListeningPort("127.0.0.1:0", EchoServerCredentials(), &port);
    b.RegisterService(&callback_echo_service);
    echo_server = b.BuildAndStart();
    if (!echo_server || port == 0) {
      std::fprintf(stderr, "revisit-load-order: cannot start the callback echo server\n");
      return 1;
    }
    echo_channel = grpc::CreateChannel(
        absl::StrCat("127.0.0.1:", port),
        revisit::TlsConfig::ForTool(".run", "operator/revisitctl").ChannelCredentials());
    echo_what = "grpc.health.v1.Health/Check on an in-process callback-API gRPC server";
  }
  auto health = Health::NewStub(echo_channel);

  Driver driver(channel, run_id);
  if (!driver.CreateCustomers(args.customers)) return 1;
  std::printf("revisit-load-order: target %s, %d customers, %d orders per level "
              "(create -> pay -> ship -> deliver = 4 RPCs each)\necho baseline: %s\n",
              args.target.c_str(), args.customers, args.orders, echo_what.c_str());

  int failures = 0;
  std::vector<Samples> parts;
  if (args.warmup > 0) {
    RunParallel(1, args.warmup, parts, [&](int i, Samples& s) {
      driver.RunOrder(absl::StrCat("w", i), i, s);
    });
  }
  for (int c : args.concurrency) {
    absl::Duration wall = RunParallel(c, args.orders, parts, [&](int i, Samples& s) {
      driver.RunOrder(absl::StrCat(c, "-", i), i, s);
    });
    Samples all = Merge(parts);
    int64_t rpcs = 0;
    std::vector<int64_t> every;
    for (int r = 0; r < kRpcs; ++r) {
      rpcs += static_cast<int64_t>(all.us[r].size());
      every.insert(every.end(), all.us[r].begin(), all.us[r].end());
    }
    double secs = absl::ToDoubleSeconds(wall);
    double orders_per_s = args.orders / secs;
    double rpcs_per_s = static_cast<double>(rpcs) / secs;
    std::printf("\n== concurrency %d ==\n", c);
    std::printf("order path : %d orders in %.2f s = %.1f orders/s, %.1f RPCs/s, %lld failed\n",
                args.orders, secs, orders_per_s, rpcs_per_s, static_cast<long long>(all.failures));
    if (all.failures > 0) std::printf("  first error: %s\n", all.first_error.c_str());
    for (int r = 0; r < kRpcs; ++r) {
      std::printf("  %-16s p50 %7.2f ms  p99 %7.2f ms  (n=%zu)\n", kRpcNames[r],
                  Percentile(all.us[r], 0.50), Percentile(all.us[r], 0.99), all.us[r].size());
    }
    double p50 = Percentile(every, 0.50), p99 = Percentile(every, 0.99);
    std::printf("  %-16s p50 %7.2f ms  p99 %7.2f ms\n", "any order RPC", p50, p99);

    // The echo baseline: as many unary calls as the order path made, same concurrency.
    int echo_calls = static_cast<int>(rpcs);
    for (int w = 0; w < 50; ++w) {  // warm the echo channel (connection, TLS) like the target's
      HealthCheckRequest req;
      HealthCheckResponse resp;
      auto ctx = Context();
      (void)health->Check(ctx.get(), req, &resp);
    }
    absl::Duration echo_wall = RunParallel(c, echo_calls, parts, [&](int, Samples& s) {
      HealthCheckRequest req;
      HealthCheckResponse resp;
      auto ctx = Context();
      absl::Time start = absl::Now();
      grpc::Status st = health->Check(ctx.get(), req, &resp);
      s.us[0].push_back(absl::ToInt64Microseconds(absl::Now() - start));
      if (!st.ok() && s.failures++ == 0) s.first_error = st.error_message();
    });
    Samples echo = Merge(parts);
    double echo_rps = echo_calls / absl::ToDoubleSeconds(echo_wall);
    double e50 = Percentile(echo.us[0], 0.50), e99 = Percentile(echo.us[0], 0.99);
    std::printf("echo       : %d calls in %.2f s = %.1f RPCs/s, p50 %.2f ms, p99 %.2f ms, %lld failed\n",
                echo_calls, absl::ToDoubleSeconds(echo_wall), echo_rps, e50, e99,
                static_cast<long long>(echo.failures));
    std::printf("ratio      : order RPCs/s = %.3f x echo RPCs/s; order p50 = %.1f x echo p50, "
                "p99 = %.1f x echo p99\n",
                rpcs_per_s / echo_rps, e50 > 0 ? p50 / e50 : 0.0, e99 > 0 ? p99 / e99 : 0.0);
    failures += static_cast<int>(all.failures + echo.failures);
    if (!args.json.empty()) {
      FILE* f = std::fopen(args.json.c_str(), "a");
      if (f == nullptr) {
        std::fprintf(stderr, "revisit-load-order: cannot write %s\n", args.json.c_str());
        return 1;
      }
      std::fprintf(f,
                   "{\"concurrency\": %d, \"rpcs\": %lld, \"orders_per_s\": %.1f, \"rpc_per_s\": %.1f, "
                   "\"p50_ms\": %.3f, \"p99_ms\": %.3f, \"failed\": %lld, \"echo\": \"%s\", "
                   "\"echo_rpc_per_s\": %.1f, \"echo_p50_ms\": %.3f, \"echo_p99_ms\": %.3f}\n",
                   c, static_cast<long long>(rpcs), orders_per_s, rpcs_per_s, p50, p99, static_cast<long long>(all.failures),
                   args.echo.c_str(), echo_rps, e50, e99);
      std::fclose(f);
    }
  }
  std::fflush(stdout);
  if (echo_server) echo_server->Shutdown(absl::ToChronoTime(absl::Now() + absl::Seconds(1)));
  return failures == 0 ? 0 : 1;
}
