// Stack: the whole Revisit system as real processes for one end-to-end test.
//
// Start() runs a private redis-server, Kafka (the test's LocalBroker namespace on the
// run's shared broker, or a private KafkaCluster of StackOptions::kafka_brokers) and the
// four services (revisit-order, -complaint, -loyalty, -outreach), each on a free
// loopback port, with every peer address wired (REVISIT_ORDER_ADDR,
// REVISIT_COMPLAINT_ADDR, REVISIT_LOYALTY_ADDR) and one accelerated domain clock
// shared by all processes (REVISIT_TIME_SCALE + REVISIT_TIME_ORIGIN, so restarted
// processes agree on "now"). It returns once every service reports SERVING on
// grpc.health.v1.
//
// Kill() SIGKILLs one service; Restart() starts it again on the same port with the
// same environment and waits for SERVING. Channels (and so the stubs) are made once
// per service and reconnect by themselves after a restart.
//
// Thread-safety: Start/Restart/destructor must run on one long-lived thread (the
// test's main thread): a child gets SIGKILL when the thread that forked it exits
// (PR_SET_PDEATHSIG). Kill() of a service and the stubs may be used from any thread;
// never Kill and Restart the same service concurrently.
// Errors: UNAVAILABLE when a process exits or is not SERVING within the guard
// (the message carries the tail of its log).
#ifndef REVISIT_TESTS_E2E_STACK_H_
#define REVISIT_TESTS_E2E_STACK_H_

#include <grpcpp/grpcpp.h>

#include <array>
#include <map>
#include <memory>
#include <string>

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

namespace revisit::e2e {

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
  // 0: the test's LocalBroker (the run's shared Kafka, in a namespace of this test).
  // N > 0: a private real Kafka cluster of N brokers (KafkaCluster: replication
  // min(N, 3), min.insync.replicas 2 on three) that the test can fault.
  int kafka_brokers = 0;
  // The store: false, one redis-server; true, a Redis Cluster of 3 masters and 3
  // replicas (RedisCluster) that every service uses in cluster mode, each commit
  // waiting for one replica (REVISIT_REDIS_WAIT_REPLICAS=1).
  bool redis_cluster = false;
};

class Stack {
 public:
  static absl::StatusOr<std::unique_ptr<Stack>> Start(const StackOptions& options);
  ~Stack();
  Stack(const Stack&) = delete;
  Stack& operator=(const Stack&) = delete;

  // SIGKILL (a crash); OK if already dead.
  absl::Status Kill(Svc s);
  // Starts `s` again (killing it first if it runs) and waits for SERVING.
  absl::Status Restart(Svc s);
  // Sets `name` in the environment of `s`'s next start (Restart), e.g. to change a
  // policy an operator would change with a rollout.
  void SetEnv(Svc s, const std::string& name, const std::string& value);
  bool Running(Svc s);
  // SIGTERM, then waits up to `within` for the exit: the exit code (128 + signal if
  // killed by one); DEADLINE_EXCEEDED if it still runs then (it is SIGKILLed).
  absl::StatusOr<int> Terminate(Svc s, absl::Duration within);
  // Stops Kafka for good: SIGKILLs every broker of the private cluster
  // (StackOptions::kafka_brokers > 0); FAILED_PRECONDITION on the run's shared broker.
  absl::Status StopBroker();

  order::v1::OrderService::Stub& order() { return *order_; }
  complaint::v1::ComplaintService::Stub& complaint() { return *complaint_; }
  loyalty::v1::LoyaltyService::Stub& loyalty() { return *loyalty_; }
  outreach::v1::OutreachService::Stub& outreach() { return *outreach_; }
  std::shared_ptr<grpc::Channel> channel(Svc s) { return procs_[Index(s)].channel; }
  std::string Address(Svc s) const;

  const std::string& Bootstrap() const {
    return cluster_ ? cluster_->Bootstrap() : broker_->Bootstrap();
  }
  // The private cluster (StackOptions::kafka_brokers > 0), else nullptr.
  testing::KafkaCluster* kafka_cluster() { return cluster_.get(); }
  // The single redis-server (StackOptions::redis_cluster false).
  testing::RedisServer& redis() { return *redis_; }
  // The Redis Cluster (StackOptions::redis_cluster true), else nullptr.
  testing::RedisCluster* redis_cluster() { return redis_cluster_.get(); }
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
    int port = 0;
    int starts = 0;
    std::map<std::string, std::string> env;
    std::unique_ptr<testing::Subprocess> process;
    std::shared_ptr<grpc::Channel> channel;
  };
  explicit Stack(StackOptions options) : options_(std::move(options)) {}
  static size_t Index(Svc s) { return static_cast<size_t>(s); }
  absl::Status StartStore();
  std::string StoreAddress() const;
  absl::Status StartKafka();
  absl::Status Launch(Proc& p);
  absl::Status AwaitServing(Proc& p);

  StackOptions options_;
  int64_t origin_unix_ = 0;
  std::unique_ptr<testing::TempDir> dir_;
  std::unique_ptr<testing::RedisServer> redis_;
  std::unique_ptr<testing::RedisCluster> redis_cluster_;
  std::unique_ptr<testing::LocalBroker> broker_;
  std::unique_ptr<testing::KafkaCluster> cluster_;
  std::array<Proc, 4> procs_;
  std::unique_ptr<order::v1::OrderService::Stub> order_;
  std::unique_ptr<complaint::v1::ComplaintService::Stub> complaint_;
  std::unique_ptr<loyalty::v1::LoyaltyService::Stub> loyalty_;
  std::unique_ptr<outreach::v1::OutreachService::Stub> outreach_;
};

// A deadline-bounded context for one call (the deadline is a hang guard only).
std::unique_ptr<grpc::ClientContext> Ctx(absl::Duration deadline = absl::Seconds(10));

}  // namespace revisit::e2e

#endif  // REVISIT_TESTS_E2E_STACK_H_
