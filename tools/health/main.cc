// revisit-health ADDRESS [--service NAME] [--wait SECONDS] [--timeout SECONDS]
//                [--identity ROLE/NAME | --plaintext]
//
// The API port is mTLS: the tool presents the certificate of --identity (default
// operator/revisitctl) from .run/tls/ ($REVISIT_RUN_DIR) or $REVISIT_TLS_CERT/KEY/CA
// (TlsConfig::ForTool). --plaintext is for a REVISIT_PROBE_PORT (health only).
//
// Calls grpc.health.v1.Health/Check on ADDRESS and prints SERVING, NOT_SERVING,
// SERVICE_UNKNOWN, UNKNOWN or the gRPC error. Exit status: 0 only when SERVING,
// 1 otherwise, 2 on bad usage. With --wait it retries (every 200 ms) until SERVING
// or until SECONDS have passed, then reports the last answer.
#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/tls_config.h"
#include "grpc/health/v1/health.grpc.pb.h"

namespace {

using grpc::health::v1::Health;
using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;

struct Args {
  std::string address;
  std::string service;
  double wait_seconds = 0;
  double timeout_seconds = 2;  // per Check call
  std::string identity = "operator/revisitctl";
  bool plaintext = false;
};

int Usage(const char* why) {
  std::fprintf(stderr,
               "revisit-health: %s\nusage: revisit-health ADDRESS [--service NAME] "
               "[--wait SECONDS] [--timeout SECONDS] [--identity ROLE/NAME | --plaintext]\n",
               why);
  return 2;
}

// Parses argv into `args`; returns an error message or "" when fine.
std::string Parse(int argc, char** argv, Args* args) {
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    bool has_value = i + 1 < argc;
    if (a == "--service" && has_value) {
      args->service = argv[++i];
    } else if (a == "--identity" && has_value) {
      args->identity = argv[++i];
    } else if (a == "--plaintext") {
      args->plaintext = true;
    } else if ((a == "--wait" || a == "--timeout") && has_value) {
      double v;
      if (!absl::SimpleAtod(argv[++i], &v) || v < 0) return a + " needs a number of seconds";
      (a == "--wait" ? args->wait_seconds : args->timeout_seconds) = v;
    } else if (a == "-h" || a == "--help") {
      return "help";
    } else if (!a.empty() && a[0] != '-' && args->address.empty()) {
      args->address = a;
    } else {
      return "unexpected argument '" + a + "'";
    }
  }
  return args->address.empty() ? "missing ADDRESS" : "";
}

// One Check call; returns the text to print and whether it was SERVING.
std::pair<std::string, bool> CheckOnce(Health::Stub* stub, const Args& args) {
  grpc::ClientContext ctx;
  ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(args.timeout_seconds)));
  // With --wait, keep the connection attempt (a multi-round-trip mTLS handshake)
  // polled until it is ready instead of failing fast between sleeps.
  ctx.set_wait_for_ready(args.wait_seconds > 0);
  HealthCheckRequest req;
  req.set_service(args.service);
  HealthCheckResponse resp;
  grpc::Status s = stub->Check(&ctx, req, &resp);
  if (!s.ok()) return {"error: code " + std::to_string(s.error_code()) + ": " + s.error_message(), false};
  return {HealthCheckResponse::ServingStatus_Name(resp.status()),
          resp.status() == HealthCheckResponse::SERVING};
}

}  // namespace

int main(int argc, char** argv) {
  Args args;
  std::string err = Parse(argc, argv, &args);
  if (!err.empty()) return Usage(err.c_str());
  const char* run_dir = std::getenv("REVISIT_RUN_DIR");
  auto credentials = args.plaintext ? grpc::InsecureChannelCredentials()
                                    : revisit::TlsConfig::ForTool(run_dir ? run_dir : ".run",
                                                                  args.identity)
                                          .ChannelCredentials();
  auto stub = Health::NewStub(grpc::CreateChannel(args.address, credentials));
  absl::Time give_up = absl::Now() + absl::Seconds(args.wait_seconds);
  for (;;) {
    auto [text, serving] = CheckOnce(stub.get(), args);
    if (serving || absl::Now() >= give_up) {
      std::printf("%s\n", text.c_str());
      return serving ? 0 : 1;
    }
    absl::SleepFor(absl::Milliseconds(200));
  }
}
