#include "tools/kafka/kafka_admin.h"

#include <librdkafka/rdkafka.h>

#include <algorithm>
#include <thread>

#include "absl/strings/str_cat.h"

namespace revisit::kafka {
namespace {

int Millis(absl::Duration d) { return static_cast<int>(absl::ToInt64Milliseconds(d)); }

// Owns a metadata snapshot of the cluster.
struct Metadata {
  const rd_kafka_metadata_t* md = nullptr;
  ~Metadata() {
    if (md != nullptr) rd_kafka_metadata_destroy(md);
  }
};

absl::Status FetchMetadata(rd_kafka_t* rk, Metadata* out, absl::Duration timeout) {
  rd_kafka_resp_err_t err = rd_kafka_metadata(rk, 1, nullptr, &out->md, Millis(timeout));
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return absl::UnavailableError(absl::StrCat("kafka metadata: ", rd_kafka_err2str(err)));
  }
  return absl::OkStatus();
}

// Waits for the admin result event of one request on `queue`.
absl::StatusOr<rd_kafka_event_t*> AwaitResult(rd_kafka_queue_t* queue, absl::Duration timeout) {
  rd_kafka_event_t* ev = rd_kafka_queue_poll(queue, Millis(timeout) + 1000);
  if (ev == nullptr) return absl::UnavailableError("kafka admin: no answer in time");
  if (rd_kafka_event_error(ev) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    std::string msg = rd_kafka_event_error_string(ev);
    rd_kafka_event_destroy(ev);
    return absl::UnavailableError(absl::StrCat("kafka admin: ", msg));
  }
  return ev;
}

// Checks each topic result; `ignore` is an error code that counts as success.
absl::Status CheckTopicResults(const rd_kafka_topic_result_t** results, size_t n,
                               rd_kafka_resp_err_t ignore) {
  for (size_t i = 0; i < n; ++i) {
    rd_kafka_resp_err_t err = rd_kafka_topic_result_error(results[i]);
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR || err == ignore) continue;
    const char* why = rd_kafka_topic_result_error_string(results[i]);
    return absl::InternalError(absl::StrCat("topic ", rd_kafka_topic_result_name(results[i]),
                                            ": ", why ? why : rd_kafka_err2str(err)));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<KafkaAdmin>> KafkaAdmin::Create(
    const std::string& bootstrap, const std::map<std::string, std::string>& security) {
  char err[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  std::map<std::string, std::string> props = security;
  props["bootstrap.servers"] = bootstrap;
  props["log_level"] = "2";
  for (const auto& [name, value] : props) {
    if (rd_kafka_conf_set(conf, name.c_str(), value.c_str(), err, sizeof err) != RD_KAFKA_CONF_OK) {
      rd_kafka_conf_destroy(conf);
      return absl::InvalidArgumentError(absl::StrCat("kafka admin: ", name, ": ", err));
    }
  }
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
  if (rk == nullptr) return absl::InvalidArgumentError(absl::StrCat("kafka admin: ", err));
  return std::unique_ptr<KafkaAdmin>(new KafkaAdmin(rk));
}

KafkaAdmin::~KafkaAdmin() { rd_kafka_destroy(rk_); }

absl::Status KafkaAdmin::WaitForBrokers(int brokers, absl::Duration timeout) {
  absl::Time deadline = absl::Now() + timeout;
  absl::Status last = absl::UnavailableError("kafka: no metadata yet");
  while (absl::Now() < deadline) {
    Metadata m;
    last = FetchMetadata(rk_, &m, absl::Seconds(2));
    if (last.ok() && m.md->broker_cnt >= brokers) return absl::OkStatus();
    if (last.ok()) last = absl::UnavailableError(absl::StrCat("kafka: ", m.md->broker_cnt, " of ",
                                                            brokers, " brokers up"));
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return last;
}

absl::Status KafkaAdmin::CreateTopics(const std::vector<TopicSpec>& specs,
                                      const std::string& prefix, absl::Duration timeout) {
  std::vector<rd_kafka_NewTopic_t*> topics;
  std::vector<std::string> names;
  char err[512];
  for (const TopicSpec& s : specs) {
    names.push_back(prefix + s.name);
    rd_kafka_NewTopic_t* t =
        rd_kafka_NewTopic_new(names.back().c_str(), s.partitions, s.replicas, err, sizeof err);
    if (t == nullptr) {
      for (auto* made : topics) rd_kafka_NewTopic_destroy(made);
      return absl::InvalidArgumentError(absl::StrCat("topic ", names.back(), ": ", err));
    }
    for (const auto& [k, v] : s.config) rd_kafka_NewTopic_set_config(t, k.c_str(), v.c_str());
    topics.push_back(t);
  }
  rd_kafka_queue_t* queue = rd_kafka_queue_new(rk_);
  rd_kafka_AdminOptions_t* options = rd_kafka_AdminOptions_new(rk_, RD_KAFKA_ADMIN_OP_CREATETOPICS);
  rd_kafka_AdminOptions_set_operation_timeout(options, Millis(timeout), err, sizeof err);
  rd_kafka_AdminOptions_set_request_timeout(options, Millis(timeout), err, sizeof err);
  rd_kafka_CreateTopics(rk_, topics.data(), topics.size(), options, queue);
  absl::StatusOr<rd_kafka_event_t*> ev = AwaitResult(queue, timeout);
  absl::Status status = ev.status();
  if (ev.ok()) {
    size_t n = 0;
    const rd_kafka_topic_result_t** results =
        rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(*ev), &n);
    status = CheckTopicResults(results, n, RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS);
    rd_kafka_event_destroy(*ev);
  }
  rd_kafka_AdminOptions_destroy(options);
  rd_kafka_queue_destroy(queue);
  for (auto* t : topics) rd_kafka_NewTopic_destroy(t);
  if (!status.ok()) return status;
  return WaitForLeaders(names, timeout);
}

absl::Status KafkaAdmin::DeleteTopics(const std::vector<std::string>& names,
                                      absl::Duration timeout) {
  if (names.empty()) return absl::OkStatus();
  std::vector<rd_kafka_DeleteTopic_t*> topics;
  for (const std::string& n : names) topics.push_back(rd_kafka_DeleteTopic_new(n.c_str()));
  rd_kafka_queue_t* queue = rd_kafka_queue_new(rk_);
  rd_kafka_AdminOptions_t* options = rd_kafka_AdminOptions_new(rk_, RD_KAFKA_ADMIN_OP_DELETETOPICS);
  char err[512];
  rd_kafka_AdminOptions_set_request_timeout(options, Millis(timeout), err, sizeof err);
  rd_kafka_DeleteTopics(rk_, topics.data(), topics.size(), options, queue);
  absl::StatusOr<rd_kafka_event_t*> ev = AwaitResult(queue, timeout);
  absl::Status status = ev.status();
  if (ev.ok()) {
    size_t n = 0;
    const rd_kafka_topic_result_t** results =
        rd_kafka_DeleteTopics_result_topics(rd_kafka_event_DeleteTopics_result(*ev), &n);
    status = CheckTopicResults(results, n, RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART);
    rd_kafka_event_destroy(*ev);
  }
  rd_kafka_AdminOptions_destroy(options);
  rd_kafka_queue_destroy(queue);
  for (auto* t : topics) rd_kafka_DeleteTopic_destroy(t);
  return status;
}

absl::StatusOr<std::set<std::string>> KafkaAdmin::ListTopics(absl::Duration timeout) {
  Metadata m;
  absl::Status fetched = FetchMetadata(rk_, &m, timeout);
  if (!fetched.ok()) return fetched;
  std::set<std::string> names;
  for (int i = 0; i < m.md->topic_cnt; ++i) {
    if (m.md->topics[i].err == RD_KAFKA_RESP_ERR_NO_ERROR) names.insert(m.md->topics[i].topic);
  }
  return names;
}

absl::StatusOr<std::map<int, int>> KafkaAdmin::LeaderCounts(const std::set<std::string>& topics,
                                                            absl::Duration timeout) {
  Metadata m;
  absl::Status fetched = FetchMetadata(rk_, &m, timeout);
  if (!fetched.ok()) return fetched;
  std::map<int, int> counts;
  for (int i = 0; i < m.md->topic_cnt; ++i) {
    const rd_kafka_metadata_topic_t& t = m.md->topics[i];
    if (!topics.empty() && topics.count(t.topic) == 0) continue;
    for (int p = 0; p < t.partition_cnt; ++p) {
      if (t.partitions[p].leader >= 0) ++counts[t.partitions[p].leader];
    }
  }
  return counts;
}

absl::Status KafkaAdmin::WaitForLeaders(const std::vector<std::string>& names,
                                        absl::Duration timeout) {
  absl::Time deadline = absl::Now() + timeout;
  while (true) {
    Metadata m;
    absl::Status fetched = FetchMetadata(rk_, &m, absl::Seconds(2));
    size_t ready = 0;
    for (int i = 0; fetched.ok() && i < m.md->topic_cnt; ++i) {
      const rd_kafka_metadata_topic_t& t = m.md->topics[i];
      bool wanted = std::find(names.begin(), names.end(), t.topic) != names.end();
      bool led = t.err == RD_KAFKA_RESP_ERR_NO_ERROR && t.partition_cnt > 0;
      for (int p = 0; led && p < t.partition_cnt; ++p) led = t.partitions[p].leader >= 0;
      if (wanted && led) ++ready;
    }
    if (ready == names.size()) return absl::OkStatus();
    if (absl::Now() > deadline) {
      return absl::UnavailableError(absl::StrCat("kafka: ", ready, " of ", names.size(),
                                                 " topics have leaders after the timeout"));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

}  // namespace revisit::kafka
