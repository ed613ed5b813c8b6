#include "tools/kafka/user_specs.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "tools/kafka/yaml_documents.h"

namespace revisit::kafka {
namespace {

const std::set<std::string>& KnownOperations() {
  static const auto* ops = new std::set<std::string>{
      "Read", "Write", "Create", "Delete", "Alter", "Describe", "ClusterAction",
      "DescribeConfigs", "AlterConfigs", "IdempotentWrite", "All"};
  return *ops;
}

absl::StatusOr<AclSpec> AclOf(const YAML::Node& node, const std::string& where) {
  const YAML::Node resource = At(node, {"resource"});
  if (!resource || !resource.IsMap()) return absl::InvalidArgumentError(where + ".resource is required");
  AclSpec a;
  a.resource_type = ScalarAt(resource, {"type"}, "");
  a.name = ScalarAt(resource, {"name"}, "");
  a.pattern_type = ScalarAt(resource, {"patternType"}, "literal");
  if (a.resource_type != "topic" && a.resource_type != "group" && a.resource_type != "cluster") {
    return absl::InvalidArgumentError(where + ".resource.type must be topic, group or cluster");
  }
  if (a.resource_type != "cluster" && a.name.empty()) {
    return absl::InvalidArgumentError(where + ".resource.name is required");
  }
  if (a.resource_type == "cluster") a.name = "kafka-cluster";
  if (a.pattern_type != "literal" && a.pattern_type != "prefix") {
    return absl::InvalidArgumentError(where + ".resource.patternType must be literal or prefix");
  }
  const YAML::Node ops = At(node, {"operations"});
  if (!ops || !ops.IsSequence() || ops.size() == 0) {
    return absl::InvalidArgumentError(where + ".operations must be a non-empty list");
  }
  for (const auto& op : ops) {
    std::string name = op.as<std::string>("");
    if (KnownOperations().count(name) == 0) {
      return absl::InvalidArgumentError(absl::StrCat(where, ".operations: unknown '", name, "'"));
    }
    a.operations.push_back(name);
  }
  a.host = ScalarAt(node, {"host"}, "*");
  return a;
}

absl::StatusOr<UserSpec> UserOf(const YAML::Node& doc, const std::string& where) {
  if (ScalarAt(doc, {"kind"}) != "KafkaUser") {
    return absl::InvalidArgumentError(where + ": kind must be KafkaUser");
  }
  UserSpec u;
  u.name = ScalarAt(doc, {"metadata", "name"}, "");
  if (u.name.empty()) return absl::InvalidArgumentError(where + ": metadata.name is required");
  if (ScalarAt(doc, {"spec", "authentication", "type"}, "") != "tls") {
    return absl::InvalidArgumentError(where + ": spec.authentication.type must be tls");
  }
  const YAML::Node acls = At(doc, {"spec", "authorization", "acls"});
  if (ScalarAt(doc, {"spec", "authorization", "type"}, "") != "simple" ||
      !acls.IsSequence()) {
    return absl::InvalidArgumentError(where + ": spec.authorization must be simple with acls");
  }
  for (size_t i = 0; i < acls.size(); ++i) {
    absl::StatusOr<AclSpec> acl = AclOf(acls[i], absl::StrCat(where, ": spec.authorization.acls[", i, "]"));
    if (!acl.ok()) return acl.status();
    u.acls.push_back(*std::move(acl));
  }
  return u;
}

}  // namespace

absl::StatusOr<std::vector<UserSpec>> ParseUserSpecs(const std::string& yaml,
                                                     const std::string& origin) {
  return ParseDocuments<UserSpec>(yaml, origin, UserOf);
}

absl::StatusOr<std::vector<UserSpec>> LoadUserSpecs(const std::string& dir) {
  return LoadDocuments<UserSpec>(absl::StrCat(dir, "/users.yaml"), UserOf);
}

std::string NamespacedResource(const AclSpec& acl, const std::string& prefix) {
  if (acl.resource_type == "cluster" || acl.name == "*") return acl.name;
  return prefix + acl.name;
}

}  // namespace revisit::kafka
