// revisit-kafka-admin: the launcher's and CI's handle on a real Kafka cluster.
//
//   revisit-kafka-admin wait --bootstrap B [--brokers N] [--timeout-s S]
//   revisit-kafka-admin create-topics --bootstrap B --specs DIR [--brokers N]
//                       [--prefix P] [--max-partitions M]
//   revisit-kafka-admin leaders --bootstrap B      broker id and partitions it leads
//   revisit-kafka-admin create-acls --bootstrap B --specs DIR [--prefix P]
//   revisit-kafka-admin list-users --specs DIR     the KafkaUser names, one a line
//
// Topics come from the KafkaTopic manifests in DIR (deploy/k8s/base/kafka), sized
// for an N-broker cluster (TopicSpecs); ACLs from its KafkaUser manifests (UserSpecs).
// On an mTLS cluster (kafka-local --auth mtls) every command takes --tls-cert C
// --tls-key K --tls-ca A: the admin principal's certificate.
// Exit 0 on success, 1 on a failure (printed), 2 on a usage error.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <map>
#include <string>

#include "tools/kafka/kafka_admin.h"
#include "tools/kafka/topic_specs.h"
#include "tools/kafka/user_specs.h"

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
  std::string tls_cert;
  std::string tls_key;
  std::string tls_ca;
};

// librdkafka security properties of --tls-cert/--tls-key/--tls-ca ({} = plaintext).
std::map<std::string, std::string> Security(const Args& a) {
  if (a.tls_cert.empty()) return {};
  return {{"security.protocol", "SSL"},
          {"ssl.certificate.location", a.tls_cert},
          {"ssl.key.location", a.tls_key},
          {"ssl.ca.location", a.tls_ca}};
}

int CreateAcls(KafkaAdmin& admin, const Args& a) {
  auto users = revisit::kafka::LoadUserSpecs(a.specs_dir);
  if (!users.ok()) return Fail(users.status());
  absl::Status st = admin.CreateAcls(*users, a.prefix, absl::Seconds(a.timeout_s));
  return st.ok() ? 0 : Fail(st);
}

int ListUsers(const Args& a) {
  auto users = revisit::kafka::LoadUserSpecs(a.specs_dir);
  if (!users.ok()) return Fail(users.status());
  for (const auto& u : *users) std::printf("%s\n", u.name.c_str());
  return 0;
}

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
  CLI::App app{"Revisit's Kafka admin: wait for a cluster, create topics and ACLs from the specs"};
  app.require_subcommand(1);
  Args a;
  auto* wait = app.add_subcommand("wait", "wait until N brokers answer metadata");
  auto* create = app.add_subcommand("create-topics", "create every topic of the specs");
  auto* leaders = app.add_subcommand("leaders", "partitions led per broker");
  auto* acls = app.add_subcommand("create-acls", "apply the ACLs of the KafkaUser manifests");
  auto* users = app.add_subcommand("list-users", "names of the KafkaUser manifests");
  for (CLI::App* sub : {wait, create, leaders, acls}) {
    sub->add_option("--bootstrap", a.bootstrap, "host:port[,host:port]")->required();
    sub->add_option("--timeout-s", a.timeout_s, "seconds to wait");
    sub->add_option("--tls-cert", a.tls_cert, "client certificate (PEM) of the admin principal");
    sub->add_option("--tls-key", a.tls_key, "its private key (PEM)");
    sub->add_option("--tls-ca", a.tls_ca, "CA certificate (PEM) of the brokers");
  }
  for (CLI::App* sub : {wait, create}) sub->add_option("--brokers", a.brokers, "cluster size");
  for (CLI::App* sub : {create, acls, users}) {
    sub->add_option("--specs", a.specs_dir, "folder with the Kafka manifests")->required();
  }
  for (CLI::App* sub : {create, acls}) {
    sub->add_option("--prefix", a.prefix, "REVISIT_TOPIC_PREFIX of the deployment");
  }
  create->add_option("--max-partitions", a.max_partitions, "cap partitions (0 = as specified)");
  CLI11_PARSE(app, argc, argv);
  if (*users) return ListUsers(a);
  auto admin = KafkaAdmin::Create(a.bootstrap, Security(a));
  if (!admin.ok()) return Fail(admin.status());
  if (*wait) {
    absl::Status st = (*admin)->WaitForBrokers(a.brokers, absl::Seconds(a.timeout_s));
    return st.ok() ? 0 : Fail(st);
  }
  if (*create) return CreateTopics(**admin, a);
  if (*acls) return CreateAcls(**admin, a);
  return Leaders(**admin, a);
}
