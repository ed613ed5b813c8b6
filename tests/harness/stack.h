// Stack: the one test launcher (issue 14): Revisit's services as real processes for
// an integration, security, end-to-end or chaos test. No suite starts a service
// process by hand.
//
// Start() runs a private redis-server, Kafka (the test's LocalBroker namespace on the
// run's shared broker, or a private KafkaCluster of StackOptions::kafka_brokers) and
// the services of StackOptions::services (any subset of revisit-order, -complaint,
// -loyalty, -outreach; all four by default), each on a free loopback port, with every
// peer address wired (REVISIT_ORDER_ADDR, REVISIT_COMPLAINT_ADDR, REVISIT_LOYALTY_ADDR,
// REVISIT_OUTREACH_ADDR) and one accelerated domain clock shared by all processes
// (REVISIT_TIME_SCALE + REVISIT_TIME_ORIGIN, so restarted processes agree on "now").
// It returns once every started service reports SERVING on grpc.health.v1.
//
// Subset: a service left out of StackOptions::services still has an address (a port
// the stack reserved and nothing listens on), so its peers' calls to it fail
// UNAVAILABLE as with a peer that is down, and its stub answers UNAVAILABLE.
// Restart() of a left-out service starts it then (on that address).
//
// Ports: "bind port 0, close, hand the port to the child" races with every other
// process of the machine. When a service exits before SERVING because one of its
// ports was taken meanwhile (its log says it cannot bind), Start() stops the
// services, picks new ports for all of them (peers' addresses change with them) and
// starts them again, at most StackOptions::start_attempts times. redis-server does
// the same inside RedisServer. Restart() keeps the address (peers know it).
//
// Kill() SIGKILLs one service; Restart() starts it again on the same port with the
// same environment and waits for SERVING. Channels (and so the stubs) are made once
// per service and reconnect by themselves after a restart.
//
// Several instances (StackOptions::instances = N): every service runs N processes,
// each on its own port with its own pod name (REVISIT_INSTANCE_ID "<svc>-e2e" for
// instance 0, "<svc>-e2e-<i>" for the others) and its own log. Kill/Restart/Running/
// Terminate/Pid take an instance index (default 0: the single-instance calls keep
// their meaning). The test's stubs round-robin over all instances of a service and
// skip a dead one; each service's peer addresses (REVISIT_ORDER_ADDR, ...) name the
// peer's instance 0, as one Kubernetes Service address names all pods, so a call to a
// dead instance 0 waits for its restart (the callers retry).
//
// Thread-safety: Start/Restart/destructor must run on one long-lived thread (the
// test's main thread): a child gets SIGKILL when the thread that forked it exits
// (PR_SET_PDEATHSIG). Kill() of a service and the stubs may be used from any thread;
// never Kill and Restart the same service concurrently.
// Errors: UNAVAILABLE when a process exits or is not SERVING within the guard
// (the message carries the tail of its log), also after the last port attempt;
// INVALID_ARGUMENT for options out of range.
#ifndef REVISIT_TESTS_HARNESS_STACK_H_
#define REVISIT_TESTS_HARNESS_STACK_H_

#include <grpcpp/grpcpp.h>

#include <array>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/redis_client.h"
#include "revisit/complaint/v1/complaint.grpc.pb.h"
#include "revisit/loyalty/v1/loyalty.grpc.pb.h"
#include "revisit/order/v1/order.grpc.pb.h"
#include "revisit/outreach/v1/outreach.grpc.pb.h"
#include "tests/harness/kafka_cluster.h"
#include "tests/harness/local_broker.h"
#include "tests/harness/redis_cluster.h"
#include "tests/harness/redis_server.h"
#include "tests/harness/subprocess.h"
#include "tests/harness/temp_dir.h"

namespace revisit::testing {

enum class Svc { kOrder = 0, kComplaint = 1, kLoyalty = 2, kOutreach = 3 };
inline constexpr std::array<Svc, 4> kAllServices = {Svc::kOrder, Svc::kComplaint, Svc::kLoyalty,
                                                    Svc::kOutreach};
const char* SvcName(Svc s);

struct StackOptions {
  // Domain time runs this many times faster than wall time (1 = real time).
  double time_scale = 1;
  // Where domain time stands when the stack starts (time_scale > 1 only, at most now):
  // a scenario on a given date (a Friday before a make-up working day). The shared
  // REVISIT_TIME_ORIGIN is chosen so; whole seconds, so it lands within time_scale / 2
  // seconds of this. InfinitePast: domain time starts at the wall clock's now.
  absl::Time domain_start = absl::InfinitePast();
  // Extra environment for every service (wins over the defaults below).
  std::map<std::string, std::string> env;
  // Extra environment per service (wins over `env`).
  std::map<Svc, std::map<std::string, std::string>> service_env;
  // Processes per service (>= 1), sharing the store and Kafka (consumer group =
  // service, one relay lease per outbox shard, timers claimed with a lease).
  int instances = 1;
  // 0: the test's LocalBroker (the run's shared Kafka, in a namespace of this test).
  // N > 0: a private real Kafka cluster of N brokers (KafkaCluster: replication
  // min(N, 3), min.insync.replicas 2 on three) that the test can fault.
  int kafka_brokers = 0;
  // The store: false, one redis-server; true, a Redis Cluster of 3 masters and 3
  // replicas (RedisCluster) that every service uses in cluster mode, each commit
  // waiting for one replica (REVISIT_REDIS_WAIT_REPLICAS=1).
  bool redis_cluster = false;
  // Every service connects as its own Redis ACL user (deploy/k8s/base/redis/
  // acl-rules.conf, created on every node at start), as in Kubernetes. Users made
  // with ACL SETUSER live in memory: do not combine with restarting a Redis node.
  bool redis_acl_users = false;
  // The services started (any subset, in any order); see "Subset" above.
  std::vector<Svc> services = {kAllServices.begin(), kAllServices.end()};
  // Every instance serves Prometheus /metrics on a port of its own (MetricsPort);
  // false: REVISIT_METRICS_PORT=-1 (no metrics server).
  bool metrics = false;
  // How many times Start() picks new ports after a service found one taken (>= 1).
  int start_attempts = 3;
  // Where ports come from (tests of the launcher itself hand out a taken one);
  // null: FreePort().
  std::function<absl::StatusOr<int>()> pick_port;
};

class Stack {
 public:
  static absl::StatusOr<std::unique_ptr<Stack>> Start(const StackOptions& options);
  ~Stack();
  Stack(const Stack&) = delete;
  Stack& operator=(const Stack&) = delete;

  // SIGKILL (a crash) of one instance; OK if already dead.
  absl::Status Kill(Svc s, int instance = 0);
  // Starts the instance again (killing it first if it runs) and waits for SERVING.
  absl::Status Restart(Svc s, int instance = 0);
  // Sets `name` in the environment of every instance of `s` from its next start
  // (Restart), e.g. to change a policy an operator would change with a rollout.
  void SetEnv(Svc s, const std::string& name, const std::string& value);
  bool Running(Svc s, int instance = 0);
  // SIGTERM, then waits up to `within` for the exit: the exit code (128 + signal if
  // killed by one); DEADLINE_EXCEEDED if it still runs then (it is SIGKILLed).
  absl::StatusOr<int> Terminate(Svc s, absl::Duration within, int instance = 0);
  // Sends `sig` to the instance (e.g. SIGSTOP / SIGCONT to pause it; benchmarks).
  absl::Status Signal(Svc s, int instance, int sig);
  // The process ID of the instance's current process (0 if never started).
  int Pid(Svc s, int instance = 0) const;
  // Its REVISIT_INSTANCE_ID (the relay's lease holder name), stable across restarts.
  std::string InstanceId(Svc s, int instance = 0) const;
  int instances() const { return options_.instances; }
  // Stops Kafka for good: SIGKILLs every broker of the private cluster
  // (StackOptions::kafka_brokers > 0); FAILED_PRECONDITION on the run's shared broker.
  absl::Status StopBroker();

  order::v1::OrderService::Stub& order() { return *order_; }
  complaint::v1::ComplaintService::Stub& complaint() { return *complaint_; }
  loyalty::v1::LoyaltyService::Stub& loyalty() { return *loyalty_; }
  outreach::v1::OutreachService::Stub& outreach() { return *outreach_; }
  // Round-robin over every instance of `s` (what the stubs above use).
  std::shared_ptr<grpc::Channel> channel(Svc s) { return channels_[Index(s)]; }
  std::string Address(Svc s, int instance = 0) const;
  // The instance's /metrics port (StackOptions::metrics), else -1.
  int MetricsPort(Svc s, int instance = 0) const;
  // Whether `s` is one of StackOptions::services.
  bool Started(Svc s) const;

  const std::string& Bootstrap() const {
    return cluster_ ? cluster_->Bootstrap() : broker_->Bootstrap();
  }
  // The private cluster (StackOptions::kafka_brokers > 0), else nullptr.
  KafkaCluster* kafka_cluster() { return cluster_.get(); }
  // The single redis-server (StackOptions::redis_cluster false).
  RedisServer& redis() { return *redis_; }
  // The Redis Cluster (StackOptions::redis_cluster true), else nullptr.
  RedisCluster* redis_cluster() { return redis_cluster_.get(); }
  // Client options for the stack's store, whichever it is (tests' own reads).
  RedisOptions StoreOptions() const;
  double time_scale() const { return options_.time_scale; }
  // The domain time every service sees now.
  absl::Time DomainNow() const;
  // How long `domain` of domain time takes on the wall clock.
  absl::Duration ToWall(absl::Duration domain) const { return domain / options_.time_scale; }
  // The last `bytes` of every log of every service start (for failure messages).
  std::string LogTails(size_t bytes = 4000) const;

 private:
  struct Proc {
    Svc svc;
    int instance = 0;
    int port = 0;
    int metrics_port = -1;
    int starts = 0;
    std::map<std::string, std::string> env;
    std::unique_ptr<Subprocess> process;
    std::shared_ptr<grpc::Channel> channel;
  };
  explicit Stack(StackOptions options) : options_(std::move(options)) {}
  static size_t Index(Svc s) { return static_cast<size_t>(s); }
  Proc& proc(Svc s, int instance) { return procs_[Index(s)].at(static_cast<size_t>(instance)); }
  const Proc& proc(Svc s, int instance) const {
    return procs_[Index(s)].at(static_cast<size_t>(instance));
  }
  // "order" for instance 0, "order-1" for instance 1 (log file names, messages).
  static std::string ProcName(const Proc& p);
  absl::StatusOr<int> PickPort() const;
  absl::Status AssignPorts();
  std::map<std::string, std::string> CommonEnv() const;
  void ConfigureProcs(const std::map<std::string, std::string>& common);
  absl::Status StartServices();
  absl::Status LaunchAndAwaitAll();
  bool PortTaken(Proc& p) const;
  void KillAll();
  void MakeChannels();
  absl::Status StartStore();
  std::string StoreAddress() const;
  absl::Status StartKafka();
  absl::Status Launch(Proc& p);
  absl::Status AwaitServing(Proc& p);

  StackOptions options_;
  int64_t origin_unix_ = 0;
  std::unique_ptr<TempDir> dir_;
  std::unique_ptr<RedisServer> redis_;
  std::unique_ptr<RedisCluster> redis_cluster_;
  std::unique_ptr<LocalBroker> broker_;
  std::unique_ptr<KafkaCluster> cluster_;
  std::array<std::vector<Proc>, 4> procs_;        // per service, per instance
  std::array<std::shared_ptr<grpc::Channel>, 4> channels_;  // per service, all instances
  std::unique_ptr<order::v1::OrderService::Stub> order_;
  std::unique_ptr<complaint::v1::ComplaintService::Stub> complaint_;
  std::unique_ptr<loyalty::v1::LoyaltyService::Stub> loyalty_;
  std::unique_ptr<outreach::v1::OutreachService::Stub> outreach_;
};

// A deadline-bounded context for one call (the deadline is a hang guard only).
std::unique_ptr<grpc::ClientContext> Ctx(absl::Duration deadline = absl::Seconds(10));

}  // namespace revisit::testing

#endif  // REVISIT_TESTS_HARNESS_STACK_H_
