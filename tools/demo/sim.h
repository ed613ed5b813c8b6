// Simulation: a population of customers and service agents driven through the
// public gRPC APIs of the four services on a running stack whose domain clock runs
// `scale` times faster than wall time. Everything the services do by themselves
// (feedback requests, complaints from low ratings, follow-ups, win-backs, revisit
// attribution) is left to them; the simulation only acts as people would.
// Thread-safety: Run() is called once; internally multi-threaded.
#ifndef REVISIT_TOOLS_DEMO_SIM_H_
#define REVISIT_TOOLS_DEMO_SIM_H_

#include <grpcpp/security/credentials.h>

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"

namespace revisit::demo {

struct SimOptions {
  std::string order_addr, complaint_addr, loyalty_addr, outreach_addr;
  // The demo's client certificate (operator/demo, TlsConfig::ForTool); null = plaintext.
  std::shared_ptr<grpc::ChannelCredentials> credentials;
  int customers = 1000;
  double days = 90;        // simulated purchase period (domain days)
  double drain_days = 12;   // after it: let feedback, complaints and follow-ups finish
  double scale = 57600;     // domain seconds per wall second
  int threads = 48;
  uint64_t seed = 7;
  std::string run_id;       // makes request IDs unique per run
};

// What the simulation did, counted on the client side.
struct SimStats {
  std::atomic<int64_t> customers{0}, referred{0}, orders{0}, paid{0}, cancelled{0},
      shipped{0}, shipped_late{0}, delivered{0}, inspected{0}, problems{0},
      complaints_direct{0}, feedback_given{0}, low_ratings{0}, complaints_handled{0},
      resolved{0}, followups_answered{0}, closed{0}, reopened{0}, lapsed{0}, win_back_seen{0},
      win_back_returns{0}, new_product_orders{0}, rpc_errors{0};
  std::vector<std::string> customer_ids;
  std::map<std::string, int64_t> error_samples;  // first words of an error -> count
  absl::Duration wall;
};

// Runs the whole simulation, printing progress to stderr. Returns false when the
// stack could not be reached at all.
bool RunSimulation(const SimOptions& o, SimStats* stats);

}  // namespace revisit::demo

#endif  // REVISIT_TOOLS_DEMO_SIM_H_
