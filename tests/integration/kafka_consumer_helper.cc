// kafka_consumer_helper BOOTSTRAP TOPIC GROUP DLQ MARKER_FILE
//
// Test helper: a KafkaConsumer whose handler, on its first record, writes the
// record's ce_id to MARKER_FILE and then hangs without returning, so the record's
// offset is never stored. The test kills this process to simulate a crash between
// receiving a record and committing its effect.
#include <cstdio>
#include <string>
#include <thread>

#include "common/kafka_consumer.h"

int main(int argc, char** argv) {
  if (argc != 6) {
    std::fprintf(stderr, "usage: %s BOOTSTRAP TOPIC GROUP DLQ MARKER_FILE\n", argv[0]);
    return 2;
  }
  revisit::KafkaConsumerOptions o;
  o.bootstrap = argv[1];
  o.topics = {argv[2]};
  o.group_id = argv[3];
  o.dead_letter_topic = argv[4];
  o.kafka_namespace = revisit::KafkaNamespace::FromEnvironment().value_or(revisit::KafkaNamespace());
  std::string marker = argv[5];
  auto consumer = revisit::KafkaConsumer::Create(o);
  if (!consumer.ok()) {
    std::fprintf(stderr, "%s\n", consumer.status().ToString().c_str());
    return 1;
  }
  absl::Status run = (*consumer)->Run([&](const revisit::EventEnvelope& e) {
    std::string tmp = marker + ".tmp";
    FILE* f = std::fopen(tmp.c_str(), "w");
    if (f != nullptr) {
      std::fputs(e.id.c_str(), f);
      std::fclose(f);
      std::rename(tmp.c_str(), marker.c_str());
    }
    while (true) std::this_thread::sleep_for(std::chrono::seconds(1));
    return absl::OkStatus();
  });
  return run.ok() ? 0 : 1;
}
