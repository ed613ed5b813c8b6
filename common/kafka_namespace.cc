#include "common/kafka_namespace.h"

#include <cstdlib>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace revisit {
namespace {
constexpr size_t kMaxPrefix = 100;  // Kafka allows 249 characters per topic name

bool LegalTopicChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '.' || c == '_' || c == '-';
}
}  // namespace

absl::Status KafkaNamespace::Validate(absl::string_view prefix) {
  if (prefix.size() > kMaxPrefix) {
    return absl::InvalidArgumentError(
        absl::StrCat("REVISIT_TOPIC_PREFIX: at most ", kMaxPrefix, " characters"));
  }
  for (char c : prefix) {
    if (!LegalTopicChar(c)) {
      return absl::InvalidArgumentError(
          "REVISIT_TOPIC_PREFIX: only letters, digits, '.', '_' and '-' (Kafka topic names)");
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<KafkaNamespace> KafkaNamespace::FromEnvironment() {
  const char* v = std::getenv("REVISIT_TOPIC_PREFIX");
  std::string prefix = v == nullptr ? "" : v;
  absl::Status valid = Validate(prefix);
  if (!valid.ok()) return valid;
  return KafkaNamespace(prefix);
}

std::string KafkaNamespace::Topic(absl::string_view logical) const {
  return absl::StrCat(prefix_, logical);
}

std::vector<std::string> KafkaNamespace::Topics(const std::vector<std::string>& logical) const {
  std::vector<std::string> out;
  out.reserve(logical.size());
  for (const std::string& t : logical) out.push_back(Topic(t));
  return out;
}

std::string KafkaNamespace::Logical(absl::string_view physical) const {
  if (!absl::StartsWith(physical, prefix_)) return "";
  return std::string(physical.substr(prefix_.size()));
}

}  // namespace revisit
