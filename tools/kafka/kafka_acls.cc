// KafkaAdmin::CreateAcls: the KafkaUser manifests' ACLs as librdkafka ACL bindings.
#include <librdkafka/rdkafka.h>

#include <map>

#include "absl/strings/str_cat.h"
#include "tools/kafka/kafka_admin.h"

namespace revisit::kafka {
namespace {

rd_kafka_ResourceType_t ResourceType(const std::string& type) {
  if (type == "topic") return RD_KAFKA_RESOURCE_TOPIC;
  if (type == "group") return RD_KAFKA_RESOURCE_GROUP;
  return RD_KAFKA_RESOURCE_BROKER;  // Kafka's CLUSTER resource (code 4)
}

rd_kafka_AclOperation_t Operation(const std::string& op) {
  static const std::map<std::string, rd_kafka_AclOperation_t> ops = {
      {"All", RD_KAFKA_ACL_OPERATION_ALL},
      {"Read", RD_KAFKA_ACL_OPERATION_READ},
      {"Write", RD_KAFKA_ACL_OPERATION_WRITE},
      {"Create", RD_KAFKA_ACL_OPERATION_CREATE},
      {"Delete", RD_KAFKA_ACL_OPERATION_DELETE},
      {"Alter", RD_KAFKA_ACL_OPERATION_ALTER},
      {"Describe", RD_KAFKA_ACL_OPERATION_DESCRIBE},
      {"ClusterAction", RD_KAFKA_ACL_OPERATION_CLUSTER_ACTION},
      {"DescribeConfigs", RD_KAFKA_ACL_OPERATION_DESCRIBE_CONFIGS},
      {"AlterConfigs", RD_KAFKA_ACL_OPERATION_ALTER_CONFIGS},
      {"IdempotentWrite", RD_KAFKA_ACL_OPERATION_IDEMPOTENT_WRITE}};
  auto it = ops.find(op);
  return it == ops.end() ? RD_KAFKA_ACL_OPERATION_UNKNOWN : it->second;
}

absl::StatusOr<std::vector<rd_kafka_AclBinding_t*>> Bindings(const std::vector<UserSpec>& users,
                                                             const std::string& prefix) {
  std::vector<rd_kafka_AclBinding_t*> out;
  char err[512];
  for (const UserSpec& u : users) {
    std::string principal = "User:" + u.name;
    for (const AclSpec& a : u.acls) {
      std::string name = NamespacedResource(a, prefix);
      auto pattern = a.pattern_type == "prefix" ? RD_KAFKA_RESOURCE_PATTERN_PREFIXED
                                                : RD_KAFKA_RESOURCE_PATTERN_LITERAL;
      for (const std::string& op : a.operations) {
        rd_kafka_AclBinding_t* b = rd_kafka_AclBinding_new(
            ResourceType(a.resource_type), name.c_str(), pattern, principal.c_str(),
            a.host.c_str(), Operation(op), RD_KAFKA_ACL_PERMISSION_TYPE_ALLOW, err, sizeof err);
        if (b == nullptr) {
          for (auto* made : out) rd_kafka_AclBinding_destroy(made);
          return absl::InvalidArgumentError(
              absl::StrCat("acl of ", u.name, " on ", a.resource_type, " ", name, ": ", err));
        }
        out.push_back(b);
      }
    }
  }
  return out;
}

absl::Status CheckAclResults(const rd_kafka_CreateAcls_result_t* result) {
  size_t n = 0;
  const rd_kafka_acl_result_t** acls = rd_kafka_CreateAcls_result_acls(result, &n);
  for (size_t i = 0; i < n; ++i) {
    const rd_kafka_error_t* error = rd_kafka_acl_result_error(acls[i]);
    if (error == nullptr || rd_kafka_error_code(error) == RD_KAFKA_RESP_ERR_NO_ERROR) continue;
    return absl::InternalError(absl::StrCat("kafka create acls (binding ", i + 1, "): ",
                                            rd_kafka_error_string(error)));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status KafkaAdmin::CreateAcls(const std::vector<UserSpec>& users, const std::string& prefix,
                                    absl::Duration timeout) {
  absl::StatusOr<std::vector<rd_kafka_AclBinding_t*>> bindings = Bindings(users, prefix);
  if (!bindings.ok()) return bindings.status();
  if (bindings->empty()) return absl::OkStatus();
  char err[512];
  rd_kafka_queue_t* queue = rd_kafka_queue_new(rk_);
  rd_kafka_AdminOptions_t* options = rd_kafka_AdminOptions_new(rk_, RD_KAFKA_ADMIN_OP_CREATEACLS);
  int ms = static_cast<int>(absl::ToInt64Milliseconds(timeout));
  rd_kafka_AdminOptions_set_request_timeout(options, ms, err, sizeof err);
  rd_kafka_CreateAcls(rk_, bindings->data(), bindings->size(), options, queue);
  rd_kafka_event_t* ev = rd_kafka_queue_poll(queue, ms + 1000);
  absl::Status status = absl::UnavailableError("kafka create acls: no answer in time");
  if (ev != nullptr && rd_kafka_event_error(ev) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    status = absl::UnavailableError(
        absl::StrCat("kafka create acls: ", rd_kafka_event_error_string(ev)));
  } else if (ev != nullptr) {
    status = CheckAclResults(rd_kafka_event_CreateAcls_result(ev));
  }
  if (ev != nullptr) rd_kafka_event_destroy(ev);
  rd_kafka_AdminOptions_destroy(options);
  rd_kafka_queue_destroy(queue);
  for (auto* b : *bindings) rd_kafka_AclBinding_destroy(b);
  return status;
}

}  // namespace revisit::kafka
