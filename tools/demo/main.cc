// revisit-demo: drives a realistic population through the running local stack's
// public gRPC APIs, then reads the event streams and writes an HTML report.
//
//   revisit-demo [--customers N] [--days D] [--max-wall SECONDS] [--run-dir DIR]
//                [--time-scale X] [--threads N] [--seed N] [--out FILE]
//
// Addresses come from the launcher's state dir (--run-dir, else $REVISIT_RUN_DIR, else
// ./.run): <service>.ports ("grpc_port metrics_port") and broker.addr. The domain
// clock scale comes from --time-scale, else the order service's environment
// (/proc/<pid>/environ, REVISIT_TIME_SCALE), else $REVISIT_TIME_SCALE. The simulated
// period is shortened when it would not fit in --max-wall at that scale.
// The last line printed is the report's path. Exit: 0 ok, 1 failure, 2 usage.
#include <grpcpp/grpcpp.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "common/tls_config.h"
#include "revisit/loyalty/v1/loyalty.grpc.pb.h"
#include "revisit/outreach/v1/outreach.grpc.pb.h"
#include "tools/demo/analysis.h"
#include "tools/demo/report.h"
#include "tools/demo/sim.h"

namespace revisit::demo {
namespace {

namespace lv1 = revisit::loyalty::v1;
namespace rv1 = revisit::outreach::v1;

struct Args {
  int customers = 1000;
  double days = 90;
  double max_wall = 240;
  std::string run_dir;
  double scale = 0;
  int threads = 48;
  uint64_t seed = 7;
  std::string out;
};

[[noreturn]] void Usage(const std::string& why) {
  std::fprintf(stderr,
               "revisit-demo: %s\nusage: revisit-demo [--customers N] [--days D] [--max-wall SECONDS] "
               "[--run-dir DIR] [--time-scale X] [--threads N] [--seed N] [--out FILE]\n",
               why.c_str());
  std::exit(2);
}

Args Parse(int argc, char** argv) {
  Args a;
  if (const char* d = std::getenv("REVISIT_RUN_DIR")) a.run_dir = d;
  for (int i = 1; i < argc; ++i) {
    std::string k = argv[i];
    if (k == "--help" || k == "-h") Usage("help");
    if (i + 1 >= argc) Usage("missing value for " + k);
    std::string v = argv[++i];
    bool ok = true;
    if (k == "--customers") ok = absl::SimpleAtoi(v, &a.customers) && a.customers >= 1;
    else if (k == "--days") ok = absl::SimpleAtod(v, &a.days) && a.days >= 1;
    else if (k == "--max-wall") ok = absl::SimpleAtod(v, &a.max_wall) && a.max_wall >= 5;
    else if (k == "--run-dir") a.run_dir = v;
    else if (k == "--time-scale") ok = absl::SimpleAtod(v, &a.scale) && a.scale >= 1;
    else if (k == "--threads") ok = absl::SimpleAtoi(v, &a.threads) && a.threads >= 1 && a.threads <= 512;
    else if (k == "--seed") ok = absl::SimpleAtoi(v, &a.seed);
    else if (k == "--out") a.out = v;
    else Usage("unknown flag " + k);
    if (!ok) Usage("bad value for " + k + ": " + v);
  }
  if (a.run_dir.empty()) a.run_dir = ".run";
  if (a.out.empty()) a.out = a.run_dir + "/demo/report.html";
  return a;
}

std::string ReadFirstWord(const std::string& path) {
  std::ifstream f(path);
  std::string w;
  f >> w;
  return w;
}

// REVISIT_TIME_SCALE from the running order service's environment.
double ScaleFromProcess(const std::string& run_dir) {
  std::string pid = ReadFirstWord(run_dir + "/order.pid");
  if (pid.empty()) return 0;
  std::ifstream f("/proc/" + pid + "/environ", std::ios::binary);
  std::string entry;
  while (std::getline(f, entry, '\0')) {
    absl::string_view e = entry;
    double v = 0;
    if (absl::ConsumePrefix(&e, "REVISIT_TIME_SCALE=") && absl::SimpleAtod(e, &v)) return v;
  }
  return 0;
}

std::string Now() { return absl::FormatTime("%Y-%m-%d %H:%M:%S %Z", absl::Now(), absl::LocalTimeZone()); }

std::unique_ptr<grpc::ClientContext> Ctx() {
  auto c = std::make_unique<grpc::ClientContext>();
  c->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(15)));
  return c;
}

// Tiers and classes from loyalty, campaign stats from outreach.
void ReadServices(const SimOptions& o, const std::vector<std::string>& customers, Analysis* a) {
  auto loyalty = lv1::LoyaltyService::NewStub(grpc::CreateChannel(o.loyalty_addr, o.credentials));
  auto outreach = rv1::OutreachService::NewStub(grpc::CreateChannel(o.outreach_addr, o.credentials));
  {
    lv1::ReclassifyRequest req;  // L1: classes as of now
    req.set_request_id(absl::StrCat("demo-reclassify-", absl::ToUnixMillis(absl::Now())));
    lv1::ReclassifyResponse resp;
    auto ctx = Ctx();
    loyalty->Reclassify(ctx.get(), req, &resp);
  }
  std::mutex mu;
  std::atomic<size_t> next{0};
  std::vector<std::thread> pool;
  for (int t = 0; t < 16; ++t) {
    pool.emplace_back([&] {
      for (size_t i; (i = next++) < customers.size();) {
        lv1::GetProfileRequest req;
        req.set_customer_id(customers[i]);
        lv1::GetProfileResponse resp;
        auto ctx = Ctx();
        if (!loyalty->GetProfile(ctx.get(), req, &resp).ok()) continue;
        std::string tier(absl::StripPrefix(lv1::Tier_Name(resp.profile().tier()), "TIER_"));
        std::string cls(absl::StripPrefix(lv1::ValueClass_Name(resp.profile().value_class()), "VALUE_CLASS_"));
        std::lock_guard<std::mutex> l(mu);
        ++a->tiers[tier];
        ++a->classes[cls];
      }
    });
  }
  for (auto& t : pool) t.join();
  for (const auto& name : a->campaign_names) {
    rv1::GetCampaignStatsRequest req;
    req.set_campaign(name);
    rv1::GetCampaignStatsResponse resp;
    auto ctx = Ctx();
    if (!outreach->GetCampaignStats(ctx.get(), req, &resp).ok()) continue;
    const auto& s = resp.stats();
    Campaign c;
    c.name = name;
    c.scheduled = s.scheduled();
    c.sent = s.sent();
    c.suppressed = s.suppressed();
    c.feedback = s.feedback_received();
    c.treated = s.treated_customers();
    c.treated_revisits = s.treated_revisits();
    c.holdout = s.holdout_customers();
    c.holdout_revisits = s.holdout_revisits();
    c.revisit_rate = s.revisit_rate();
    c.holdout_rate = s.holdout_revisit_rate();
    c.lift = s.lift();
    a->campaigns.push_back(c);
  }
  // Campaigns with a holdout first, then by customers touched.
  std::sort(a->campaigns.begin(), a->campaigns.end(), [](const Campaign& x, const Campaign& y) {
    if ((x.holdout > 0) != (y.holdout > 0)) return x.holdout > 0;
    return x.treated > y.treated;
  });
}

int Main(int argc, char** argv) {
  Args args = Parse(argc, argv);
  absl::Time t0 = absl::Now();
  SimOptions o;
  auto addr = [&](const char* svc) {
    std::string port = ReadFirstWord(args.run_dir + "/" + svc + ".ports");
    return port.empty() ? std::string() : "127.0.0.1:" + port;
  };
  o.credentials = revisit::TlsConfig::ForTool(args.run_dir, "operator/demo").ChannelCredentials();
  o.order_addr = addr("order");
  o.complaint_addr = addr("complaint");
  o.loyalty_addr = addr("loyalty");
  o.outreach_addr = addr("outreach");
  std::string broker = ReadFirstWord(args.run_dir + "/broker.addr");
  if (o.order_addr.empty() || o.complaint_addr.empty() || o.loyalty_addr.empty() || o.outreach_addr.empty() ||
      broker.empty()) {
    std::fprintf(stderr, "revisit-demo: no running stack in %s (start it: tools/revisit up)\n", args.run_dir.c_str());
    return 1;
  }
  double scale = args.scale;
  if (scale <= 0) scale = ScaleFromProcess(args.run_dir);
  if (scale <= 0) {
    const char* e = std::getenv("REVISIT_TIME_SCALE");
    if (!e || !absl::SimpleAtod(e, &scale)) scale = 1;
  }
  o.scale = scale;
  o.customers = args.customers;
  o.threads = args.threads;
  o.seed = args.seed;
  o.run_id = absl::StrCat(absl::Hex(absl::ToUnixMillis(absl::Now()) & 0xffffffff));
  // Fit the simulated period (plus the drain for the last loops) into the wall budget.
  double fit_days = args.max_wall * scale / 86400.0;
  o.drain_days = std::min(12.0, std::max(0.2 * fit_days, 0.0));
  o.days = std::min(args.days, fit_days - o.drain_days);
  if (o.days < 7) {
    std::fprintf(stderr,
                 "revisit-demo: the stack's clock runs ×%.0f: %.0f s hold only %.1f simulated days. Restart it "
                 "accelerated: tools/revisit down && REVISIT_TIME_SCALE=43200 tools/revisit demo\n",
                 scale, args.max_wall, fit_days);
    return 1;
  }
  std::printf("revisit-demo: %d customers, %.0f simulated days (+%.0f to finish), clock ×%.0f, about %.0f s\n",
              o.customers, o.days, o.drain_days, scale, (o.days + o.drain_days) * 86400 / scale);
  std::printf("  order %s  complaint %s  loyalty %s  outreach %s  broker %s\n", o.order_addr.c_str(),
              o.complaint_addr.c_str(), o.loyalty_addr.c_str(), o.outreach_addr.c_str(), broker.c_str());
  std::fflush(stdout);
  SimStats st;
  if (!RunSimulation(o, &st)) return 1;
  std::printf("simulation done in %.0f s: %lld customers (%lld referred), %lld orders, %lld delivered, "
              "%lld problems, %lld complaints handled (%lld direct, %lld from low ratings), %lld resolved, "
              "%lld closed, %lld reopened after an unhappy follow-up, %lld lapsed, %lld won back, %lld RPC errors\n",
              absl::ToDoubleSeconds(st.wall), (long long)st.customers.load(), (long long)st.referred.load(),
              (long long)st.orders.load(), (long long)st.delivered.load(), (long long)st.problems.load(),
              (long long)st.complaints_handled.load(), (long long)st.complaints_direct.load(),
              (long long)st.low_ratings.load(), (long long)st.resolved.load(), (long long)st.closed.load(),
              (long long)st.reopened.load(), (long long)st.lapsed.load(), (long long)st.win_back_returns.load(), (long long)st.rpc_errors.load());
  for (const auto& [e, n] : st.error_samples) std::printf("  error x%lld  %s\n", (long long)n, e.c_str());
  std::fflush(stdout);
  // Let the last events leave the outboxes.
  std::this_thread::sleep_for(std::chrono::seconds(2));
  Analysis a;
  std::string error;
  std::printf("reading the event streams at %s ...\n", broker.c_str());
  std::fflush(stdout);
  if (!ReadStreams(broker, st.customer_ids, &a, &error)) {
    std::fprintf(stderr, "revisit-demo: %s\n", error.c_str());
    return 1;
  }
  ReadServices(o, st.customer_ids, &a);
  RunFacts run;
  run.population = o.customers;
  run.customers_registered = st.customers;
  run.referred = st.referred;
  run.lapsed = st.lapsed;
  run.win_back_returns = st.win_back_returns;
  run.rpc_errors = st.rpc_errors;
  run.simulated_days = o.days;
  run.scale = scale;
  run.sim_wall_s = absl::ToDoubleSeconds(st.wall);
  run.total_wall_s = absl::ToDoubleSeconds(absl::Now() - t0);
  run.generated_at = Now();
  std::string html = RenderReport(run, a);
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(args.out).parent_path(), ec);
  {
    std::ofstream f(args.out, std::ios::binary | std::ios::trunc);
    f << html;
    if (!f) {
      std::fprintf(stderr, "revisit-demo: cannot write %s\n", args.out.c_str());
      return 1;
    }
  }
  std::printf("events %lld: shipped %lld, feedback requested %lld, answered %lld, complaints %lld, resolved %lld, "
              "followed up %lld, revisits %lld\n",
              (long long)a.events, (long long)a.shipped, (long long)a.feedback_sent, (long long)a.feedback_answered,
              (long long)a.complaints, (long long)a.resolved, (long long)a.followed_up, (long long)a.revisits);
  std::printf("loop latency from ce_time (domain / wall): delivered -> feedback scheduled p50 %.0f ms / %.2f ms, "
              "p99 %.0f ms / %.2f ms (n=%lld); resolved -> follow-up scheduled p50 %.0f ms / %.2f ms, p99 %.0f ms / "
              "%.2f ms (n=%lld)\n",
              a.delivered_to_feedback.p50_ms, a.delivered_to_feedback.p50_ms / scale, a.delivered_to_feedback.p99_ms,
              a.delivered_to_feedback.p99_ms / scale, (long long)a.delivered_to_feedback.n,
              a.resolved_to_followup.p50_ms, a.resolved_to_followup.p50_ms / scale, a.resolved_to_followup.p99_ms,
              a.resolved_to_followup.p99_ms / scale, (long long)a.resolved_to_followup.n);
  std::printf("population %d, wall time %.0f s\n", o.customers, run.total_wall_s);
  std::printf("%s\n", std::filesystem::absolute(args.out).string().c_str());
  return 0;
}

}  // namespace
}  // namespace revisit::demo

int main(int argc, char** argv) { return revisit::demo::Main(argc, argv); }
