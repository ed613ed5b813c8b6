#include "tests/harness/kafka_cluster.h"

#include <signal.h>

#include <algorithm>
#include <iostream>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "tools/kafka/kafka_admin.h"
#include "tools/kafka/topic_specs.h"
#include "tools/kafka/user_specs.h"

namespace revisit::testing {
namespace {
constexpr absl::Duration kStartGuard = absl::Seconds(180);  // a failure guard only
constexpr int kStartAttempts = 3;

absl::Status RunToEnd(const SubprocessOptions& so, absl::Duration timeout) {
  absl::StatusOr<std::unique_ptr<Subprocess>> p = Subprocess::Start(so);
  if (!p.ok()) return p.status();
  absl::StatusOr<int> code = (*p)->Wait(timeout);
  if (!code.ok()) return code.status();
  if (*code != 0) {
    return absl::FailedPreconditionError(
        absl::StrCat(so.path, " ", so.args.empty() ? "" : so.args[0], " exited ", *code, ":\n",
                     (*p)->ReadLog()));
  }
  return absl::OkStatus();
}
}  // namespace

std::string KafkaCluster::LauncherPath() { return REVISIT_KAFKA_LOCAL_PATH; }

absl::StatusOr<std::unique_ptr<KafkaCluster>> KafkaCluster::Start(const KafkaClusterOptions& o) {
  for (int attempt = 1;; ++attempt) {
    absl::StatusOr<std::unique_ptr<KafkaCluster>> c = StartOnce(o);
    // kafka-local picks free ports that another process may take before a broker
    // binds them: format again (new ports) a bounded number of times.
    if (c.ok() || attempt >= kStartAttempts ||
        !absl::StrContains(c.status().message(), "Address already in use")) {
      return c;
    }
    std::cerr << "[kafka] a port was taken before a broker bound it (attempt " << attempt
              << " of " << kStartAttempts << "): new ports, starting again" << std::endl;
  }
}

absl::StatusOr<std::unique_ptr<KafkaCluster>> KafkaCluster::StartOnce(const KafkaClusterOptions& o) {
  std::unique_ptr<KafkaCluster> c(new KafkaCluster());
  absl::StatusOr<std::unique_ptr<TempDir>> dir = TempDir::Create("revisit-kafka");
  if (!dir.ok()) return dir.status();
  c->dir_ = *std::move(dir);
  c->mtls_ = o.mtls;
  SubprocessOptions format{LauncherPath(),
                           {"format", "--dir", c->dir_->path(), "--brokers", absl::StrCat(o.brokers),
                            "--auth", o.mtls ? "mtls" : "none"},
                           {{"REVISIT_BUILD_DIR", REVISIT_BUILD_DIR}},
                           c->dir_->File("format.log")};
  if (absl::Status st = RunToEnd(format, absl::Seconds(120)); !st.ok()) return st;
  absl::StatusOr<std::string> bootstrap = ReadFile(c->dir_->File("bootstrap"));
  if (!bootstrap.ok()) return bootstrap.status();
  c->bootstrap_ = std::string(absl::StripAsciiWhitespace(*bootstrap));
  for (int node = 1; node <= o.brokers; ++node) {
    if (absl::Status st = c->RunBroker(node); !st.ok()) return st;
  }
  if (absl::Status st = c->WaitForBrokers(kStartGuard); !st.ok()) return st;
  if (!o.create_topics) return c;
  auto specs = kafka::LoadTopicSpecs(REVISIT_TOPIC_SPECS_DIR);
  if (!specs.ok()) return specs.status();
  auto admin = kafka::KafkaAdmin::Create(c->bootstrap_, c->AdminProperties());
  if (!admin.ok()) return admin.status();
  absl::Status created = (*admin)->CreateTopics(
      kafka::SizeForCluster(*specs, o.brokers, o.max_partitions), o.topic_prefix, kStartGuard);
  if (!created.ok()) return created;
  if (!o.mtls) return c;
  auto users = kafka::LoadUserSpecs(REVISIT_TOPIC_SPECS_DIR);
  if (!users.ok()) return users.status();
  if (absl::Status st = (*admin)->CreateAcls(*users, o.topic_prefix, kStartGuard); !st.ok()) return st;
  return c;
}

KafkaSecurity KafkaCluster::Security(const std::string& user) const {
  if (!mtls_) return KafkaSecurity();
  return KafkaSecurity(dir_->File("tls/kafka-" + user + ".crt"),
                       dir_->File("tls/kafka-" + user + ".key"), CaFile());
}

std::string KafkaCluster::CaFile() const { return mtls_ ? dir_->File("tls/ca.crt") : ""; }

std::map<std::string, std::string> KafkaCluster::AdminProperties() const {
  return Security("revisit-admin").Properties();
}

KafkaCluster::~KafkaCluster() {
  for (auto& [node, p] : nodes_) {
    if (p != nullptr && p->Running()) {
      p->Signal(SIGTERM).IgnoreError();
      if (!p->Wait(absl::Seconds(20)).ok()) p->Kill().IgnoreError();
    }
  }
}

absl::Status KafkaCluster::RunBroker(int node) {
  SubprocessOptions so{LauncherPath(),
                       {"exec-broker", "--dir", dir_->path(), "--node", absl::StrCat(node)},
                       {},
                       dir_->File(absl::StrCat("node-", node, "/broker.log"))};
  absl::StatusOr<std::unique_ptr<Subprocess>> p = Subprocess::Start(so);
  if (!p.ok()) return p.status();
  nodes_[node] = *std::move(p);
  return absl::OkStatus();
}

absl::Status KafkaCluster::WaitForBrokers(absl::Duration timeout) {
  auto admin = kafka::KafkaAdmin::Create(bootstrap_, AdminProperties());
  if (!admin.ok()) return admin.status();
  const absl::Time give_up = absl::Now() + timeout;
  absl::Status up;
  bool exited = false;
  // In slices, so a broker that exited (a port taken, a bad config) fails fast.
  while (!exited && absl::Now() < give_up) {
    absl::Duration slice = std::max(absl::Seconds(1), std::min(absl::Seconds(5), give_up - absl::Now()));
    up = (*admin)->WaitForBrokers(static_cast<int>(nodes_.size()), slice);
    if (up.ok()) return up;
    for (auto& [node, p] : nodes_) exited = exited || !p->Running();
  }
  if (exited) up = absl::UnavailableError("a broker exited before the cluster was up");
  std::string logs;
  for (const auto& [node, p] : nodes_) absl::StrAppend(&logs, "\n--- node ", node, ":\n", Log(node));
  return absl::UnavailableError(absl::StrCat(up.message(), logs));
}

absl::Status KafkaCluster::KillBroker(int node) {
  auto it = nodes_.find(node);
  if (it == nodes_.end()) return absl::NotFoundError(absl::StrCat("no broker ", node));
  return it->second->Kill();
}

absl::Status KafkaCluster::RestartBroker(int node) {
  if (absl::Status st = KillBroker(node); !st.ok()) return st;
  if (absl::Status st = RunBroker(node); !st.ok()) return st;
  return WaitForBrokers(kStartGuard);
}

absl::StatusOr<int> KafkaCluster::BusiestLeader(const std::vector<std::string>& topics) {
  auto admin = kafka::KafkaAdmin::Create(bootstrap_, AdminProperties());
  if (!admin.ok()) return admin.status();
  auto counts = (*admin)->LeaderCounts(std::set<std::string>(topics.begin(), topics.end()),
                                       absl::Seconds(10));
  if (!counts.ok()) return counts.status();
  int best = -1, most = -1;
  for (const auto& [broker, n] : *counts) {
    if (n > most) best = broker, most = n;
  }
  if (best < 0) return absl::NotFoundError("no partition has a leader");
  return best;
}

std::string KafkaCluster::Log(int node) const {
  absl::StatusOr<std::string> log = ReadFile(dir_->File(absl::StrCat("node-", node, "/broker.log")));
  if (!log.ok()) return "";
  return log->size() > 4000 ? log->substr(log->size() - 4000) : *log;
}

}  // namespace revisit::testing
