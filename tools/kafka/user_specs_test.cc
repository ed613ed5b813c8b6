// The KafkaUser manifests are the one source of Kafka's ACLs (issue 13): these tests
// pin the least-privilege shape of deploy/k8s/base/kafka/users.yaml and the parser's
// refusals.
#include "tools/kafka/user_specs.h"
#include "tools/kafka/topic_specs.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace revisit::kafka {
namespace {

// "topic:name:Op" for every operation a user's ACLs grant.
std::set<std::string> Grants(const UserSpec& u) {
  std::set<std::string> out;
  for (const AclSpec& a : u.acls) {
    for (const std::string& op : a.operations) {
      out.insert(a.resource_type + ":" + a.name + (a.pattern_type == "prefix" ? "*" : "") + ":" + op);
    }
  }
  return out;
}

std::map<std::string, UserSpec> Manifest() {
  auto users = LoadUserSpecs(REVISIT_TOPIC_SPECS_DIR);
  EXPECT_TRUE(users.ok()) << users.status();
  std::map<std::string, UserSpec> by_name;
  if (users.ok()) {
    for (const auto& u : *users) by_name[u.name] = u;
  }
  return by_name;
}

TEST(UserSpecsTest, EachServiceWritesOnlyItsTopicAndItsDeadLetterTopic) {
  auto users = Manifest();
  ASSERT_EQ(users.size(), 6u);
  for (const char* svc : {"order", "complaint", "loyalty", "outreach"}) {
    std::string own = std::string("revisit.") + svc + ".v1";
    std::string dlq = std::string("revisit.") + svc + ".dlq.v1";
    for (const std::string& g : Grants(users.at(std::string("revisit-") + svc))) {
      if (g.find(":Write") == std::string::npos) continue;
      EXPECT_TRUE(g == "topic:" + own + ":Write" || g == "topic:" + dlq + ":Write") << svc << " " << g;
    }
    EXPECT_EQ(Grants(users.at(std::string("revisit-") + svc)).count("topic:" + own + ":Write"), 1u);
  }
}

TEST(UserSpecsTest, ServicesReadWhatTheyConsumeInTheirOwnGroup) {
  auto users = Manifest();
  std::set<std::string> complaint = Grants(users.at("revisit-complaint"));
  for (const char* t : {"order", "outreach", "loyalty"}) {
    EXPECT_EQ(complaint.count(std::string("topic:revisit.") + t + ".v1:Read"), 1u) << t;
  }
  EXPECT_EQ(complaint.count("group:complaint:Read"), 1u);
  EXPECT_EQ(complaint.count("group:loyalty:Read"), 0u);
  std::set<std::string> loyalty = Grants(users.at("revisit-loyalty"));
  EXPECT_EQ(loyalty.count("topic:revisit.outreach.v1:Read"), 0u);
  for (const std::string& g : Grants(users.at("revisit-order"))) {
    EXPECT_EQ(g.find(":Read"), std::string::npos) << "order consumes nothing: " << g;
  }
}

TEST(UserSpecsTest, AnalystsReadEventTopicsOnlyNeverADeadLetterTopic) {
  auto users = Manifest();
  for (const std::string& g : Grants(users.at("revisit-analysts"))) {
    EXPECT_EQ(g.find("dlq"), std::string::npos) << g;
    if (g.rfind("topic:", 0) == 0) {
      EXPECT_EQ(g.find('*'), std::string::npos) << g;
    }
    EXPECT_TRUE(g.find(":Read") != std::string::npos || g.find(":Describe") != std::string::npos)
        << g;
  }
  EXPECT_EQ(Grants(users.at("revisit-analysts")).count("topic:revisit.order.v1:Read"), 1u);
}

TEST(UserSpecsTest, NamespacedResourcesCarryTheTopicPrefix) {
  AclSpec topic{"topic", "revisit.order.v1", "literal", {"Write"}};
  AclSpec any{"topic", "*", "literal", {"All"}};
  AclSpec cluster{"cluster", "kafka-cluster", "literal", {"All"}};
  EXPECT_EQ(NamespacedResource(topic, "t1."), "t1.revisit.order.v1");
  EXPECT_EQ(NamespacedResource(any, "t1."), "*");
  EXPECT_EQ(NamespacedResource(cluster, "t1."), "kafka-cluster");
}

TEST(UserSpecsTest, RefusesWhatIsNotALeastPrivilegeKafkaUser) {
  const std::string head = "kind: KafkaUser\nmetadata: {name: u}\n";
  const std::string tls = "spec:\n  authentication: {type: tls}\n";
  struct Case {
    std::string yaml, field;
  } cases[] = {
      {"kind: KafkaTopic\n", "kind must be KafkaUser"},
      {"kind: KafkaUser\nspec: {}\n", "metadata.name"},
      {head + "spec:\n  authentication: {type: scram-sha-512}\n", "authentication.type must be tls"},
      {head + tls + "  authorization: {type: simple}\n", "spec.authorization"},
      {head + tls + "  authorization:\n    type: simple\n    acls:\n"
                      "      - {resource: {type: user, name: x}, operations: [Read]}\n",
       "resource.type"},
      {head + tls + "  authorization:\n    type: simple\n    acls:\n"
                      "      - {resource: {type: topic, name: x}, operations: [Steal]}\n",
       "unknown 'Steal'"},
      {head + tls + "  authorization:\n    type: simple\n    acls:\n"
                      "      - {resource: {type: topic, name: x, patternType: glob}, operations: [Read]}\n",
       "patternType"},
      {"kind: [unclosed\n", "u.yaml"},
  };
  for (const Case& c : cases) {
    auto users = ParseUserSpecs(c.yaml, "u.yaml");
    ASSERT_FALSE(users.ok()) << c.yaml;
    EXPECT_EQ(users.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(users.status().message().find(c.field), std::string::npos) << users.status();
  }
  EXPECT_EQ(LoadUserSpecs("/nonexistent").status().code(), absl::StatusCode::kNotFound);
}

// Regression (fuzz/kafka_manifests_fuzzer): yaml-cpp's LoadAll never returned on this
// text; the readers now load document by document and answer.
TEST(UserSpecsTest, AMalformedManifestThatHungYamlCppIsAnswered) {
  std::ifstream in(std::string(REVISIT_FUZZ_CORPUS_DIR) + "/kafka_manifests/regression-loadall-hang");
  ASSERT_TRUE(in.good());
  std::stringstream text;
  text << in.rdbuf();
  auto users = ParseUserSpecs(text.str(), "hang.yaml");
  auto topics = ParseTopicSpecs(text.str(), "hang.yaml");
  EXPECT_FALSE(users.ok() && topics.ok());  // it is neither a user list nor a topic list
}

}  // namespace
}  // namespace revisit::kafka
