#include "tests/harness/stack.h"

#include <signal.h>

#include <cstdlib>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "tests/harness/tls_material.h"

#if !defined(REVISIT_ORDER_PATH) || !defined(REVISIT_COMPLAINT_PATH) || \
    !defined(REVISIT_LOYALTY_PATH) || !defined(REVISIT_OUTREACH_PATH)
#error "REVISIT_{ORDER,COMPLAINT,LOYALTY,OUTREACH}_PATH must name the service binaries"
#endif

namespace revisit::testing {
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
  if (options.instances < 1) return absl::InvalidArgumentError("instances must be >= 1");
  if (options.start_attempts < 1) return absl::InvalidArgumentError("start_attempts must be >= 1");
  for (size_t i = 0; i < options.services.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (options.services[i] == options.services[j]) {
        return absl::InvalidArgumentError(absl::StrCat("services: ", SvcName(options.services[i]),
                                                       " named twice"));
      }
    }
  }
  std::unique_ptr<Stack> st(new Stack(options));
  auto dir = TempDir::Create("stack");
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
  if (absl::Status started = st->StartServices(); !started.ok()) return started;
  st->MakeChannels();
  std::cerr << "[stack] redis " << st->StoreAddress() << ", broker " << st->Bootstrap();
  for (Svc s : kAllServices) {
    std::cerr << ", " << SvcName(s) << " " << st->Address(s) << (st->Started(s) ? "" : " (not started)");
  }
  std::cerr << " (x" << options.instances << " instances), time x" << options.time_scale
            << ", logs in " << st->dir_->path() << std::endl;
  return st;
}

// Ports, environment, launch, SERVING; again with new ports while a port was taken.
absl::Status Stack::StartServices() {
  for (int attempt = 1;; ++attempt) {
    if (absl::Status ports = AssignPorts(); !ports.ok()) return ports;
    ConfigureProcs(CommonEnv());
    absl::Status up = LaunchAndAwaitAll();
    if (up.ok()) return up;
    bool taken = false;
    for (auto& procs : procs_) {
      for (Proc& p : procs) taken = taken || PortTaken(p);
    }
    KillAll();
    if (!taken || attempt >= options_.start_attempts) return up;
    std::cerr << "[stack] a port was taken before its service bound it (attempt " << attempt
              << " of " << options_.start_attempts << "): new ports, starting again" << std::endl;
  }
}

absl::Status Stack::LaunchAndAwaitAll() {
  // Start every process, then wait: they come up in parallel.
  for (Svc s : options_.services) {
    for (Proc& p : procs_[Index(s)]) {
      if (auto status = Launch(p); !status.ok()) return status;
    }
  }
  for (Svc s : options_.services) {
    for (Proc& p : procs_[Index(s)]) {
      if (auto status = AwaitServing(p); !status.ok()) return status;
    }
  }
  return absl::OkStatus();
}

// An exited process whose log says it could not bind (ServiceHost::Start: the gRPC
// listener, or the metrics server's "cannot listen on").
bool Stack::PortTaken(Proc& p) const {
  if (p.process == nullptr || p.process->Running()) return false;
  const std::string log = p.process->ReadLog();
  return log.find("cannot start gRPC server on") != std::string::npos ||
         log.find("cannot listen on") != std::string::npos;
}

void Stack::KillAll() {
  for (auto& procs : procs_) {
    for (Proc& p : procs) {
      if (p.process != nullptr) (void)p.process->Kill();
    }
  }
}

absl::StatusOr<int> Stack::PickPort() const {
  return options_.pick_port ? options_.pick_port() : FreePort();
}

absl::Status Stack::AssignPorts() {
  for (Svc s : kAllServices) {
    procs_[Index(s)].resize(static_cast<size_t>(options_.instances));
    for (int i = 0; i < options_.instances; ++i) {
      Proc& p = proc(s, i);
      p.svc = s;
      p.instance = i;
      auto port = PickPort();
      if (!port.ok()) return port.status();
      p.port = *port;
      if (!options_.metrics) continue;
      auto metrics = PickPort();
      if (!metrics.ok()) return metrics.status();
      p.metrics_port = *metrics;
    }
  }
  return absl::OkStatus();
}

std::map<std::string, std::string> Stack::CommonEnv() const {
  std::map<std::string, std::string> common = {
      {"REVISIT_METRICS_PORT", "-1"},
      {"REVISIT_BIND_ADDRESS", "127.0.0.1"},
      {"REVISIT_REDIS_ADDR", StoreAddress()},
      {"REVISIT_REDIS_CLUSTER", options_.redis_cluster ? "true" : "false"},
      {"REVISIT_REDIS_WAIT_REPLICAS", options_.redis_cluster ? "1" : "0"},
      {"REVISIT_KAFKA_BOOTSTRAP", Bootstrap()},
      {"REVISIT_LOG_LEVEL", "info"},
      {"REVISIT_TIME_SCALE", absl::StrCat(options_.time_scale)},
      {"REVISIT_TIME_ORIGIN", std::to_string(origin_unix_)},
      {"REVISIT_DRAIN_TIMEOUT", "1s"},
      {"REVISIT_ORDER_ADDR", Address(Svc::kOrder)},
      {"REVISIT_COMPLAINT_ADDR", Address(Svc::kComplaint)},
      {"REVISIT_LOYALTY_ADDR", Address(Svc::kLoyalty)},
      {"REVISIT_OUTREACH_ADDR", Address(Svc::kOutreach)},
  };
  for (const auto& [k, v] : options_.env) common[k] = v;
  return common;
}

void Stack::ConfigureProcs(const std::map<std::string, std::string>& common) {
  for (auto& procs : procs_) {
    for (Proc& p : procs) {
      p.env = common;
      p.env["REVISIT_GRPC_PORT"] = std::to_string(p.port);
      if (options_.metrics) p.env["REVISIT_METRICS_PORT"] = std::to_string(p.metrics_port);
      // Stable across restarts, like a pod name across container restarts.
      p.env["REVISIT_INSTANCE_ID"] = InstanceId(p.svc, p.instance);
      for (const auto& [k, v] : TlsMaterial::Get().ServiceEnv(SvcName(p.svc))) {
        p.env[k] = v;
      }
      if (options_.redis_acl_users) {
        for (const auto& [k, v] : RedisServer::ServiceEnv(SvcName(p.svc))) p.env[k] = v;
      }
      auto it = options_.service_env.find(p.svc);
      if (it != options_.service_env.end()) {
        for (const auto& [k, v] : it->second) p.env[k] = v;
      }
      p.channel = grpc::CreateChannel(Address(p.svc, p.instance),
                                      TlsMaterial::Get().ChannelCredentials());
    }
  }
}

void Stack::MakeChannels() {
  for (Svc s : kAllServices) {
    if (options_.instances == 1) {
      channels_[Index(s)] = proc(s, 0).channel;
      continue;
    }
    // One channel over every instance: round robin, a dead instance is skipped. The
    // certificates name localhost and 127.0.0.1, not the list of addresses.
    std::vector<std::string> addresses;
    for (const Proc& p : procs_[Index(s)]) addresses.push_back(absl::StrCat("127.0.0.1:", p.port));
    grpc::ChannelArguments args;
    args.SetLoadBalancingPolicyName("round_robin");
    args.SetSslTargetNameOverride("localhost");
    channels_[Index(s)] = grpc::CreateCustomChannel(
        absl::StrCat("ipv4:", absl::StrJoin(addresses, ",")),
        TlsMaterial::Get().ChannelCredentials(), args);
  }
  order_ = order::v1::OrderService::NewStub(channel(Svc::kOrder));
  complaint_ = complaint::v1::ComplaintService::NewStub(channel(Svc::kComplaint));
  loyalty_ = loyalty::v1::LoyaltyService::NewStub(channel(Svc::kLoyalty));
  outreach_ = outreach::v1::OutreachService::NewStub(channel(Svc::kOutreach));
}

Stack::~Stack() { KillAll(); }

std::string Stack::Address(Svc s, int instance) const {
  return absl::StrCat("127.0.0.1:", proc(s, instance).port);
}

int Stack::MetricsPort(Svc s, int instance) const { return proc(s, instance).metrics_port; }

bool Stack::Started(Svc s) const {
  for (Svc started : options_.services) {
    if (started == s) return true;
  }
  return false;
}

std::string Stack::InstanceId(Svc s, int instance) const {
  std::string id = absl::StrCat(SvcName(s), "-e2e");
  return instance == 0 ? id : absl::StrCat(id, "-", instance);
}

std::string Stack::ProcName(const Proc& p) {
  return p.instance == 0 ? SvcName(p.svc) : absl::StrCat(SvcName(p.svc), "-", p.instance);
}

int Stack::Pid(Svc s, int instance) const {
  const Proc& p = proc(s, instance);
  return p.process == nullptr ? 0 : static_cast<int>(p.process->pid());
}

absl::Time Stack::DomainNow() const {
  if (options_.time_scale == 1) return absl::Now();
  absl::Time origin = absl::FromUnixSeconds(origin_unix_);
  return origin + (absl::Now() - origin) * options_.time_scale;
}

absl::Status Stack::StartStore() {
  if (options_.redis_cluster) {
    auto cluster = RedisCluster::Start();
    if (!cluster.ok()) return cluster.status();
    redis_cluster_ = *std::move(cluster);
    if (!options_.redis_acl_users) return absl::OkStatus();
    for (int i = 0; i < redis_cluster_->size(); ++i) {  // ACL users are per node
      if (absl::Status st = redis_cluster_->node(i).CreateServiceUsers(); !st.ok()) return st;
    }
    return absl::OkStatus();
  }
  auto redis = RedisServer::Start();
  if (!redis.ok()) return redis.status();
  redis_ = *std::move(redis);
  return options_.redis_acl_users ? redis_->CreateServiceUsers() : absl::OkStatus();
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
    KafkaClusterOptions o;
    o.brokers = options_.kafka_brokers;
    auto cluster = KafkaCluster::Start(o);
    if (!cluster.ok()) return cluster.status();
    cluster_ = *std::move(cluster);
    setenv("REVISIT_TOPIC_PREFIX", "", 1);  // the private cluster holds one deployment
    return absl::OkStatus();
  }
  auto broker = LocalBroker::Start();
  if (!broker.ok()) return broker.status();
  broker_ = *std::move(broker);
  return absl::OkStatus();
}

absl::Status Stack::Launch(Proc& p) {
  ++p.starts;
  SubprocessOptions opts;
  opts.path = BinaryOf(p.svc);
  opts.env = p.env;
  opts.log_path = dir_->File(absl::StrCat(ProcName(p), "-", p.starts, ".log"));
  auto proc = Subprocess::Start(opts);
  if (!proc.ok()) return proc.status();
  p.process = *std::move(proc);
  return absl::OkStatus();
}

absl::Status Stack::AwaitServing(Proc& p) {
  auto health = grpc::health::v1::Health::NewStub(p.channel);
  absl::Time give_up = absl::Now() + kServingGuard;
  while (true) {
    if (!p.process->Running()) {
      return absl::UnavailableError(absl::StrCat("revisit-", ProcName(p), " exited:\n",
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
      return absl::UnavailableError(absl::StrCat("revisit-", ProcName(p), " never SERVING:\n",
                                                 Tail(p.process->ReadLog(), 4000)));
    }
    absl::SleepFor(absl::Milliseconds(50));
  }
}

absl::Status Stack::Kill(Svc s, int instance) {
  Proc& p = proc(s, instance);
  if (p.process == nullptr) return absl::OkStatus();
  return p.process->Kill();
}

absl::Status Stack::Signal(Svc s, int instance, int sig) {
  Proc& p = proc(s, instance);
  if (p.process == nullptr) return absl::FailedPreconditionError("never started");
  return p.process->Signal(sig);
}

bool Stack::Running(Svc s, int instance) {
  Proc& p = proc(s, instance);
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

absl::StatusOr<int> Stack::Terminate(Svc s, absl::Duration within, int instance) {
  Proc& p = proc(s, instance);
  if (p.process == nullptr) return absl::FailedPreconditionError("never started");
  if (auto st = p.process->Signal(SIGTERM); !st.ok()) return st;
  absl::StatusOr<int> code = p.process->Wait(within);
  if (!code.ok()) (void)p.process->Kill();
  return code;
}

void Stack::SetEnv(Svc s, const std::string& name, const std::string& value) {
  for (int i = 0; i < options_.instances; ++i) proc(s, i).env[name] = value;
}

absl::Status Stack::Restart(Svc s, int instance) {
  Proc& p = proc(s, instance);
  if (p.process != nullptr) {
    if (auto st = p.process->Kill(); !st.ok()) return st;
  }
  if (auto st = Launch(p); !st.ok()) return st;
  return AwaitServing(p);
}

std::string Stack::LogTails(size_t bytes) const {
  std::string out;
  for (const auto& procs : procs_) {
    for (const Proc& p : procs) {
      for (int i = 1; i <= p.starts; ++i) {
        auto log = ReadFile(dir_->File(absl::StrCat(ProcName(p), "-", i, ".log")));
        absl::StrAppend(&out, "---- revisit-", ProcName(p), " start ", i, " ----\n",
                        log.ok() ? Tail(*log, bytes) : std::string("(no log)"), "\n");
      }
    }
  }
  return out;
}

}  // namespace revisit::testing
