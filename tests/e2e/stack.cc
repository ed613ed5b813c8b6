#include "tests/e2e/stack.h"

#include <signal.h>

#include <cstdlib>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "tests/harness/tls_material.h"

#if !defined(REVISIT_ORDER_PATH) || !defined(REVISIT_COMPLAINT_PATH) || \
    !defined(REVISIT_LOYALTY_PATH) || !defined(REVISIT_OUTREACH_PATH)
#error "REVISIT_{ORDER,COMPLAINT,LOYALTY,OUTREACH}_PATH must name the service binaries"
#endif

namespace revisit::e2e {
namespace {

constexpr absl::Duration kServingGuard = absl::Seconds(40);  // hang guard, not a timing check

const char* BinaryOf(Svc s) {
  switch (s) {
    case Svc::kOrder: return REVISIT_ORDER_PATH;
    case Svc::kComplaint: return REVISIT_COMPLAINT_PATH;
    case Svc::kLoyalty: return REVISIT_LOYALTY_PATH;
    case Svc::kOutreach: return REVISIT_OUTREACH_PATH;
  }
  return "";
}

std::string Tail(const std::string& s, size_t bytes) {
  return s.size() <= bytes ? s : "..." + s.substr(s.size() - bytes);
}

}  // namespace

const char* SvcName(Svc s) {
  switch (s) {
    case Svc::kOrder: return "order";
    case Svc::kComplaint: return "complaint";
    case Svc::kLoyalty: return "loyalty";
    case Svc::kOutreach: return "outreach";
  }
  return "?";
}

std::unique_ptr<grpc::ClientContext> Ctx(absl::Duration deadline) {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->set_deadline(absl::ToChronoTime(absl::Now() + deadline));
  return ctx;
}

absl::StatusOr<std::unique_ptr<Stack>> Stack::Start(const StackOptions& options) {
  std::unique_ptr<Stack> st(new Stack(options));
  auto dir = testing::TempDir::Create("e2e");
  if (!dir.ok()) return dir.status();
  st->dir_ = *std::move(dir);
  if (absl::Status store = st->StartStore(); !store.ok()) return store;
  if (absl::Status kafka = st->StartKafka(); !kafka.ok()) return kafka;
  // All processes share one origin, so a restarted process agrees on domain time.
  st->origin_unix_ = absl::ToUnixSeconds(absl::Now());
  if (options.time_scale > 1 && options.domain_start != absl::InfinitePast()) {
    // origin + (now - origin) * scale = domain_start  <=>  origin = now + (now - start) / (scale - 1).
    const absl::Time now = absl::Now();
    if (options.domain_start > now) return absl::InvalidArgumentError("domain_start: must not be in the future");
    st->origin_unix_ = absl::ToUnixSeconds(now + (now - options.domain_start) / (options.time_scale - 1));
  }

  for (Svc s : kAllServices) {
    auto port = testing::FreePort();
    if (!port.ok()) return port.status();
    st->procs_[Index(s)].svc = s;
    st->procs_[Index(s)].port = *port;
  }
  std::map<std::string, std::string> common = {
      {"REVISIT_METRICS_PORT", "-1"},
      {"REVISIT_BIND_ADDRESS", "127.0.0.1"},
      {"REVISIT_REDIS_ADDR", st->StoreAddress()},
      {"REVISIT_REDIS_CLUSTER", options.redis_cluster ? "true" : "false"},
      {"REVISIT_REDIS_WAIT_REPLICAS", options.redis_cluster ? "1" : "0"},
      {"REVISIT_KAFKA_BOOTSTRAP", st->Bootstrap()},
      {"REVISIT_LOG_LEVEL", "info"},
      {"REVISIT_TIME_SCALE", absl::StrCat(options.time_scale)},
      {"REVISIT_TIME_ORIGIN", std::to_string(st->origin_unix_)},
      {"REVISIT_DRAIN_TIMEOUT", "1s"},
      {"REVISIT_ORDER_ADDR", st->Address(Svc::kOrder)},
      {"REVISIT_COMPLAINT_ADDR", st->Address(Svc::kComplaint)},
      {"REVISIT_LOYALTY_ADDR", st->Address(Svc::kLoyalty)},
      {"REVISIT_OUTREACH_ADDR", st->Address(Svc::kOutreach)},
  };
  for (const auto& [k, v] : options.env) common[k] = v;
  for (Svc s : kAllServices) {
    Proc& p = st->procs_[Index(s)];
    p.env = common;
    p.env["REVISIT_GRPC_PORT"] = std::to_string(p.port);
    // Stable across restarts, like a pod name across container restarts.
    p.env["REVISIT_INSTANCE_ID"] = absl::StrCat(SvcName(s), "-e2e");
    for (const auto& [k, v] : testing::TlsMaterial::Get().ServiceEnv(SvcName(s))) p.env[k] = v;
    auto it = options.service_env.find(s);
    if (it != options.service_env.end()) {
      for (const auto& [k, v] : it->second) p.env[k] = v;
    }
    p.channel = grpc::CreateChannel(st->Address(s), testing::TlsMaterial::Get().ChannelCredentials());
  }
  // Start all four, then wait: they come up in parallel.
  for (Svc s : kAllServices) {
    if (auto status = st->Launch(st->procs_[Index(s)]); !status.ok()) return status;
  }
  for (Svc s : kAllServices) {
    if (auto status = st->AwaitServing(st->procs_[Index(s)]); !status.ok()) return status;
  }
  st->order_ = order::v1::OrderService::NewStub(st->channel(Svc::kOrder));
  st->complaint_ = complaint::v1::ComplaintService::NewStub(st->channel(Svc::kComplaint));
  st->loyalty_ = loyalty::v1::LoyaltyService::NewStub(st->channel(Svc::kLoyalty));
  st->outreach_ = outreach::v1::OutreachService::NewStub(st->channel(Svc::kOutreach));
  std::cerr << "[stack] redis " << st->StoreAddress() << ", broker " << st->Bootstrap()
            << ", order " << st->Address(Svc::kOrder) << ", complaint "
            << st->Address(Svc::kComplaint) << ", loyalty " << st->Address(Svc::kLoyalty)
            << ", outreach " << st->Address(Svc::kOutreach) << ", time x" << options.time_scale
            << ", logs in " << st->dir_->path() << std::endl;
  return st;
}

Stack::~Stack() {
  for (Proc& p : procs_) {
    if (p.process != nullptr) (void)p.process->Kill();
  }
}

std::string Stack::Address(Svc s) const {
  return absl::StrCat("127.0.0.1:", procs_[Index(s)].port);
}

absl::Time Stack::DomainNow() const {
  if (options_.time_scale == 1) return absl::Now();
  absl::Time origin = absl::FromUnixSeconds(origin_unix_);
  return origin + (absl::Now() - origin) * options_.time_scale;
}

absl::Status Stack::StartStore() {
  if (options_.redis_cluster) {
    auto cluster = testing::RedisCluster::Start();
    if (!cluster.ok()) return cluster.status();
    redis_cluster_ = *std::move(cluster);
    return absl::OkStatus();
  }
  auto redis = testing::RedisServer::Start();
  if (!redis.ok()) return redis.status();
  redis_ = *std::move(redis);
  return absl::OkStatus();
}

std::string Stack::StoreAddress() const {
  return redis_cluster_ ? redis_cluster_->Seeds() : redis_->Address();
}

RedisOptions Stack::StoreOptions() const {
  absl::StatusOr<RedisOptions> o = ParseRedisAddresses(StoreAddress(), redis_cluster_ != nullptr);
  return o.ok() ? *o : RedisOptions();
}

absl::Status Stack::StartKafka() {
  if (options_.kafka_brokers > 0) {
    testing::KafkaClusterOptions o;
    o.brokers = options_.kafka_brokers;
    auto cluster = testing::KafkaCluster::Start(o);
    if (!cluster.ok()) return cluster.status();
    cluster_ = *std::move(cluster);
    setenv("REVISIT_TOPIC_PREFIX", "", 1);  // the private cluster holds one deployment
    return absl::OkStatus();
  }
  auto broker = testing::LocalBroker::Start();
  if (!broker.ok()) return broker.status();
  broker_ = *std::move(broker);
  return absl::OkStatus();
}

absl::Status Stack::Launch(Proc& p) {
  ++p.starts;
  testing::SubprocessOptions opts;
  opts.path = BinaryOf(p.svc);
  opts.env = p.env;
  opts.log_path = dir_->File(absl::StrCat(SvcName(p.svc), "-", p.starts, ".log"));
  auto proc = testing::Subprocess::Start(opts);
  if (!proc.ok()) return proc.status();
  p.process = *std::move(proc);
  return absl::OkStatus();
}

absl::Status Stack::AwaitServing(Proc& p) {
  auto health = grpc::health::v1::Health::NewStub(p.channel);
  absl::Time give_up = absl::Now() + kServingGuard;
  while (true) {
    if (!p.process->Running()) {
      return absl::UnavailableError(absl::StrCat("revisit-", SvcName(p.svc), " exited:\n",
                                                 Tail(p.process->ReadLog(), 4000)));
    }
    grpc::ClientContext ctx;
    ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(1)));
    ctx.set_wait_for_ready(true);  // poll the (mTLS) connection attempt meanwhile
    grpc::health::v1::HealthCheckRequest req;
    grpc::health::v1::HealthCheckResponse resp;
    if (health->Check(&ctx, req, &resp).ok() &&
        resp.status() == grpc::health::v1::HealthCheckResponse::SERVING) {
      return absl::OkStatus();
    }
    if (absl::Now() > give_up) {
      return absl::UnavailableError(absl::StrCat("revisit-", SvcName(p.svc), " never SERVING:\n",
                                                 Tail(p.process->ReadLog(), 4000)));
    }
    absl::SleepFor(absl::Milliseconds(50));
  }
}

absl::Status Stack::Kill(Svc s) {
  Proc& p = procs_[Index(s)];
  if (p.process == nullptr) return absl::OkStatus();
  return p.process->Kill();
}

bool Stack::Running(Svc s) {
  Proc& p = procs_[Index(s)];
  return p.process != nullptr && p.process->Running();
}

absl::Status Stack::StopBroker() {
  if (cluster_ == nullptr) {
    return absl::FailedPreconditionError("the shared broker cannot stop: set kafka_brokers");
  }
  for (int node = 1; node <= cluster_->brokers(); ++node) {
    if (absl::Status st = cluster_->KillBroker(node); !st.ok()) return st;
  }
  return absl::OkStatus();
}

absl::StatusOr<int> Stack::Terminate(Svc s, absl::Duration within) {
  Proc& p = procs_[Index(s)];
  if (p.process == nullptr) return absl::FailedPreconditionError("never started");
  if (auto st = p.process->Signal(SIGTERM); !st.ok()) return st;
  absl::StatusOr<int> code = p.process->Wait(within);
  if (!code.ok()) (void)p.process->Kill();
  return code;
}

void Stack::SetEnv(Svc s, const std::string& name, const std::string& value) {
  procs_[Index(s)].env[name] = value;
}

absl::Status Stack::Restart(Svc s) {
  Proc& p = procs_[Index(s)];
  if (p.process != nullptr) {
    if (auto st = p.process->Kill(); !st.ok()) return st;
  }
  if (auto st = Launch(p); !st.ok()) return st;
  return AwaitServing(p);
}

std::string Stack::LogTails(size_t bytes) const {
  std::string out;
  for (const Proc& p : procs_) {
    for (int i = 1; i <= p.starts; ++i) {
      auto log = testing::ReadFile(dir_->File(absl::StrCat(SvcName(p.svc), "-", i, ".log")));
      absl::StrAppend(&out, "---- revisit-", SvcName(p.svc), " start ", i, " ----\n",
                      log.ok() ? Tail(*log, bytes) : std::string("(no log)"), "\n");
    }
  }
  return out;
}

}  // namespace revisit::e2e
