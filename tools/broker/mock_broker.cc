#include "tools/broker/mock_broker.h"

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <algorithm>
#include <cstdio>

#include "absl/strings/str_cat.h"

namespace revisit {

absl::StatusOr<std::unique_ptr<MockBroker>> MockBroker::Create(
    int brokers, const std::vector<TopicSpec>& topics) {
  std::unique_ptr<MockBroker> b(new MockBroker());
  char err[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  // log_level 4 hides the notice that this hosting handle has no bootstrap.servers.
  if (rd_kafka_conf_set(conf, "client.id", "revisit-broker", err, sizeof(err)) !=
          RD_KAFKA_CONF_OK ||
      rd_kafka_conf_set(conf, "log_level", "4", err, sizeof(err)) != RD_KAFKA_CONF_OK) {
    rd_kafka_conf_destroy(conf);
    return absl::InternalError(err);
  }
  b->handle_ = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof(err));
  if (b->handle_ == nullptr) {
    rd_kafka_conf_destroy(conf);
    return absl::InternalError(absl::StrCat("rd_kafka_new: ", err));
  }
  b->brokers_ = brokers;
  b->cluster_ = rd_kafka_mock_cluster_new(b->handle_, brokers);
  if (b->cluster_ == nullptr) return absl::InternalError("rd_kafka_mock_cluster_new failed");
  int replication = std::min(brokers, 3);
  for (const TopicSpec& t : topics) {
    rd_kafka_resp_err_t e =
        rd_kafka_mock_topic_create(b->cluster_, t.name.c_str(), t.partitions, replication);
    if (e != RD_KAFKA_RESP_ERR_NO_ERROR) {
      return absl::InternalError(absl::StrCat("create topic ", t.name, ": ", rd_kafka_err2str(e)));
    }
  }
  b->bootstrap_ = rd_kafka_mock_cluster_bootstraps(b->cluster_);
  return b;
}

absl::Status MockBroker::SetBrokersUp(bool up) {
  for (int32_t id = 1; id <= brokers_; ++id) {
    rd_kafka_resp_err_t e = up ? rd_kafka_mock_broker_set_up(cluster_, id)
                               : rd_kafka_mock_broker_set_down(cluster_, id);
    if (e != RD_KAFKA_RESP_ERR_NO_ERROR) {
      return absl::InternalError(absl::StrCat("broker ", id, up ? " up: " : " down: ",
                                              rd_kafka_err2str(e)));
    }
  }
  return absl::OkStatus();
}

MockBroker::~MockBroker() {
  if (cluster_ != nullptr) rd_kafka_mock_cluster_destroy(cluster_);
  if (handle_ != nullptr) rd_kafka_destroy(handle_);
}

absl::Status WriteFileAtomically(const std::string& path, const std::string& content) {
  std::string tmp = path + ".tmp";
  FILE* f = std::fopen(tmp.c_str(), "w");
  if (f == nullptr) return absl::UnavailableError("cannot write " + tmp);
  bool ok = std::fwrite(content.data(), 1, content.size(), f) == content.size();
  ok = (std::fclose(f) == 0) && ok;
  if (!ok || std::rename(tmp.c_str(), path.c_str()) != 0) {
    return absl::UnavailableError("cannot write " + path);
  }
  return absl::OkStatus();
}

}  // namespace revisit
