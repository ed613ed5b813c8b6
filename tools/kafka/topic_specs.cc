#include "tools/kafka/topic_specs.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "tools/kafka/yaml_documents.h"

namespace revisit::kafka {
namespace {

absl::Status Invalid(const std::string& where, const std::string& what) {
  return absl::InvalidArgumentError(absl::StrCat(where, ": ", what));
}

absl::StatusOr<TopicSpec> SpecOf(const YAML::Node& doc, const std::string& where) {
  if (!doc.IsMap() || !doc["kind"] || doc["kind"].as<std::string>("") != "KafkaTopic") {
    return Invalid(where, "kind must be KafkaTopic");
  }
  const YAML::Node spec = doc["spec"];
  if (!spec || !spec["topicName"]) return Invalid(where, "spec.topicName is required");
  TopicSpec t;
  t.name = spec["topicName"].as<std::string>("");
  t.partitions = spec["partitions"] ? spec["partitions"].as<int>(0) : 0;
  t.replicas = spec["replicas"] ? spec["replicas"].as<int>(0) : 0;
  if (t.name.empty()) return Invalid(where, "spec.topicName must not be empty");
  if (t.partitions < 1) return Invalid(where, "spec.partitions must be a positive integer");
  if (t.replicas < 1) return Invalid(where, "spec.replicas must be a positive integer");
  if (const YAML::Node config = spec["config"]) {
    for (const auto& kv : config) {
      t.config[kv.first.as<std::string>()] = kv.second.as<std::string>("");
    }
  }
  return t;
}

}  // namespace

absl::StatusOr<std::vector<TopicSpec>> ParseTopicSpecs(const std::string& yaml,
                                                       const std::string& origin) {
  return ParseDocuments<TopicSpec>(yaml, origin, SpecOf);
}

absl::StatusOr<std::vector<TopicSpec>> LoadTopicSpecs(const std::string& dir) {
  std::vector<TopicSpec> all;
  for (const char* file : {"topics.yaml", "dead-letter-topics.yaml"}) {
    absl::StatusOr<std::vector<TopicSpec>> specs =
        LoadDocuments<TopicSpec>(absl::StrCat(dir, "/", file), SpecOf);
    if (!specs.ok()) return specs.status();
    all.insert(all.end(), specs->begin(), specs->end());
  }
  return all;
}

std::vector<TopicSpec> SizeForCluster(std::vector<TopicSpec> specs, int brokers,
                                      int max_partitions) {
  for (TopicSpec& t : specs) {
    t.replicas = std::min(t.replicas, brokers);
    int min_isr = 1;
    auto it = t.config.find("min.insync.replicas");
    if (it != t.config.end() && absl::SimpleAtoi(it->second, &min_isr)) {
      t.config["min.insync.replicas"] = absl::StrCat(std::max(1, std::min(min_isr, t.replicas - 1)));
    }
    if (t.replicas == 1) t.config["min.insync.replicas"] = "1";
    if (max_partitions > 0) t.partitions = std::min(t.partitions, max_partitions);
  }
  return specs;
}

}  // namespace revisit::kafka
