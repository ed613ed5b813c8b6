// revisit-kafka-admin: the launcher's and CI's handle on a real Kafka cluster.
//
//   revisit-kafka-admin wait --bootstrap B [--brokers N] [--timeout-s S]
//   revisit-kafka-admin create-topics --bootstrap B --specs DIR [--brokers N]
//                       [--prefix P] [--max-partitions M]
//   revisit-kafka-admin leaders --bootstrap B      broker id and partitions it leads
//
// Topics come from the KafkaTopic manifests in DIR (deploy/k8s/base/kafka), sized
// for an N-broker cluster (TopicSpecs). Exit 0 on success, 1 on a failure (printed),
// 2 on a usage error.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <string>

#include "tools/kafka/kafka_admin.h"
#include "tools/kafka/topic_specs.h"

namespace {

using revisit::kafka::KafkaAdmin;

int Fail(const absl::Status& s) {
  std::fprintf(stderr, "revisit-kafka-admin: %s\n", s.ToString().c_str());
  return 1;
}

struct Args {
  std::string bootstrap;
  std::string specs_dir;
  std::string prefix;
  int brokers = 1;
  int max_partitions = 0;
  int timeout_s = 60;
};

int CreateTopics(KafkaAdmin& admin, const Args& a) {
  auto specs = revisit::kafka::LoadTopicSpecs(a.specs_dir);
  if (!specs.ok()) return Fail(specs.status());
  auto sized = revisit::kafka::SizeForCluster(*specs, a.brokers, a.max_partitions);
  if (auto st = admin.CreateTopics(sized, a.prefix, absl::Seconds(a.timeout_s)); !st.ok()) {
    return Fail(st);
  }
  for (const auto& t : sized) std::printf("%s%s %d\n", a.prefix.c_str(), t.name.c_str(), t.partitions);
  return 0;
}

int Leaders(KafkaAdmin& admin, const Args& a) {
  auto counts = admin.LeaderCounts({}, absl::Seconds(a.timeout_s));
  if (!counts.ok()) return Fail(counts.status());
  for (const auto& [broker, n] : *counts) std::printf("%d %d\n", broker, n);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Revisit's Kafka admin: wait for a cluster, create topics from the specs"};
  app.require_subcommand(1);
  Args a;
  auto* wait = app.add_subcommand("wait", "wait until N brokers answer metadata");
  auto* create = app.add_subcommand("create-topics", "create every topic of the specs");
  auto* leaders = app.add_subcommand("leaders", "partitions led per broker");
  for (CLI::App* sub : {wait, create, leaders}) {
    sub->add_option("--bootstrap", a.bootstrap, "host:port[,host:port]")->required();
    sub->add_option("--timeout-s", a.timeout_s, "seconds to wait");
  }
  for (CLI::App* sub : {wait, create}) sub->add_option("--brokers", a.brokers, "cluster size");
  create->add_option("--specs", a.specs_dir, "folder with topics.yaml")->required();
  create->add_option("--prefix", a.prefix, "REVISIT_TOPIC_PREFIX of the deployment");
  create->add_option("--max-partitions", a.max_partitions, "cap partitions (0 = as specified)");
  CLI11_PARSE(app, argc, argv);
  auto admin = KafkaAdmin::Create(a.bootstrap);
  if (!admin.ok()) return Fail(admin.status());
  if (*wait) {
    absl::Status st = (*admin)->WaitForBrokers(a.brokers, absl::Seconds(a.timeout_s));
    return st.ok() ? 0 : Fail(st);
  }
  if (*create) return CreateTopics(**admin, a);
  return Leaders(**admin, a);
}
