#include "tests/harness/local_broker.h"

#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <thread>

#include "absl/random/random.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "tools/kafka/kafka_admin.h"
#include "tools/kafka/topic_specs.h"

namespace revisit::testing {
namespace {
constexpr absl::Duration kStartGuard = absl::Seconds(20);
constexpr absl::Duration kAdminTimeout = absl::Seconds(30);
constexpr int kSharedMaxPartitions = 4;

bool EmbeddedForced() {
  const char* v = std::getenv("REVISIT_TEST_BROKER");
  return v != nullptr && std::string(v) == "embedded";
}

// The shared broker of this ctest run, or "" when none runs.
std::string SharedBootstrap() {
  if (const char* v = std::getenv("REVISIT_TEST_KAFKA_BOOTSTRAP"); v != nullptr && *v) return v;
  // kafka-local writes bootstrap.live once the brokers answer and removes it on stop.
  absl::StatusOr<std::string> file =
      ReadFile(std::string(REVISIT_TEST_KAFKA_DIR) + "/bootstrap.live");
  if (!file.ok()) return "";
  return std::string(absl::StripAsciiWhitespace(*file));
}

std::string FreshPrefix() {
  absl::BitGen gen;
  return absl::StrCat("t", getpid(), "-", absl::Hex(absl::Uniform<uint32_t>(gen)), ".");
}

// "name:partitions,..." as specs with one replica.
absl::StatusOr<std::vector<kafka::TopicSpec>> ParseTopicList(const std::string& topics) {
  std::vector<kafka::TopicSpec> specs;
  for (absl::string_view item : absl::StrSplit(topics, ',', absl::SkipEmpty())) {
    std::vector<std::string> parts = absl::StrSplit(item, ':');
    int partitions = 0;
    if (parts.size() != 2 || parts[0].empty() || !absl::SimpleAtoi(parts[1], &partitions) ||
        partitions < 1) {
      return absl::InvalidArgumentError(absl::StrCat("topics: bad item '", item, "'"));
    }
    specs.push_back({parts[0], partitions, 1, {}});
  }
  return specs;
}

absl::StatusOr<std::vector<kafka::TopicSpec>> SpecsFor(const std::string& topics) {
  if (!topics.empty()) return ParseTopicList(topics);
  auto specs = kafka::LoadTopicSpecs(REVISIT_TOPIC_SPECS_DIR);
  if (!specs.ok()) return specs.status();
  return kafka::SizeForCluster(*specs, 1, kSharedMaxPartitions);
}

}  // namespace

std::string LocalBroker::BinaryPath() { return REVISIT_BROKER_PATH; }

absl::StatusOr<std::unique_ptr<LocalBroker>> LocalBroker::Start(const LocalBrokerOptions& o) {
  std::unique_ptr<LocalBroker> b(new LocalBroker());
  absl::StatusOr<std::unique_ptr<TempDir>> dir = TempDir::Create("revisit-broker");
  if (!dir.ok()) return dir.status();
  b->dir_ = *std::move(dir);
  absl::Status started = (o.embedded || EmbeddedForced()) ? b->StartEmbedded(o) : b->StartReal(o);
  if (!started.ok()) return started;
  return b;
}

absl::Status LocalBroker::StartReal(const LocalBrokerOptions& o) {
  auto specs = SpecsFor(o.topics);
  if (!specs.ok()) return specs.status();
  bootstrap_ = SharedBootstrap();
  if (bootstrap_.empty()) {
    auto cluster = KafkaCluster::Start({1, "", /*create_topics=*/false, 0});
    if (!cluster.ok()) return cluster.status();
    own_cluster_ = *std::move(cluster);
    bootstrap_ = own_cluster_->Bootstrap();
  }
  namespace_ = KafkaNamespace(FreshPrefix());
  auto admin = kafka::KafkaAdmin::Create(bootstrap_);
  if (!admin.ok()) return admin.status();
  absl::Status created = (*admin)->CreateTopics(*specs, namespace_.prefix(), kAdminTimeout);
  if (!created.ok()) return created;
  for (const kafka::TopicSpec& s : *specs) created_topics_.push_back(namespace_.Topic(s.name));
  // Processes this test starts (services, helpers) and the readers share the namespace.
  setenv("REVISIT_TOPIC_PREFIX", namespace_.prefix().c_str(), 1);
  return absl::OkStatus();
}

absl::Status LocalBroker::StartEmbedded(const LocalBrokerOptions& o) {
  setenv("REVISIT_TOPIC_PREFIX", "", 1);
  SubprocessOptions so;
  so.path = BinaryPath();
  so.args = {"--brokers", absl::StrCat(o.brokers), "--bootstrap-file", dir_->File("bootstrap")};
  if (!o.topics.empty()) so.args.insert(so.args.end(), {"--topics", o.topics});
  so.log_path = dir_->File("broker.log");
  absl::StatusOr<std::unique_ptr<Subprocess>> p = Subprocess::Start(so);
  if (!p.ok()) return p.status();
  process_ = *std::move(p);
  absl::Time deadline = absl::Now() + kStartGuard;
  while (absl::Now() < deadline && process_->Running()) {
    absl::StatusOr<std::string> text = ReadFile(dir_->File("bootstrap"));
    if (text.ok()) {
      bootstrap_ = std::string(absl::StripAsciiWhitespace(*text));
      return absl::OkStatus();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return absl::UnavailableError(absl::StrCat("revisit-broker not ready:\n", process_->ReadLog()));
}

LocalBroker::~LocalBroker() { Stop().IgnoreError(); }

absl::Status LocalBroker::Stop() {
  if (process_ == nullptr) {
    if (created_topics_.empty() || own_cluster_ != nullptr) return absl::OkStatus();
    auto admin = kafka::KafkaAdmin::Create(bootstrap_);
    if (!admin.ok()) return admin.status();
    absl::Status deleted = (*admin)->DeleteTopics(created_topics_, kAdminTimeout);
    created_topics_.clear();
    return deleted;
  }
  if (!process_->Running()) return absl::OkStatus();
  absl::Status signalled = process_->Signal(SIGTERM);
  if (!signalled.ok()) return signalled;
  absl::StatusOr<int> code = process_->Wait(kStartGuard);
  if (!code.ok()) return code.status();
  if (*code != 0) return absl::InternalError(absl::StrCat("revisit-broker exited ", *code));
  return absl::OkStatus();
}

}  // namespace revisit::testing
