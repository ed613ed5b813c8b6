// Any text as a KafkaTopic / KafkaUser manifest: an error status, never a crash or an
// escaping yaml-cpp exception.
#include <cstddef>
#include <cstdint>
#include <string>

#include "tools/kafka/topic_specs.h"
#include "tools/kafka/user_specs.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto topics = revisit::kafka::ParseTopicSpecs(text, "fuzz.yaml");
  if (topics.ok()) revisit::kafka::SizeForCluster(*topics, 1 + size % 5, static_cast<int>(size % 7));
  auto users = revisit::kafka::ParseUserSpecs(text, "fuzz.yaml");
  if (users.ok()) {
    for (const auto& u : *users) {
      for (const auto& a : u.acls) (void)revisit::kafka::NamespacedResource(a, "t.");
    }
  }
  return 0;
}
