#include "tools/tail/event_json.h"

#include <fnmatch.h>

#include <google/protobuf/util/json_util.h>
#include <nlohmann/json.hpp>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "revisit/complaint/v1/events.pb.h"
#include "revisit/loyalty/v1/events.pb.h"
#include "revisit/order/v1/events.pb.h"
#include "revisit/outreach/v1/events.pb.h"

namespace revisit::tail {
namespace {

// Makes sure every events.proto is linked in and registered in the generated pool.
void LinkEventDescriptors() {
  (void)order::v1::OrderShipped::descriptor();
  (void)complaint::v1::ComplaintOpened::descriptor();
  (void)loyalty::v1::TierChanged::descriptor();
  (void)outreach::v1::TouchSent::descriptor();
}

// The payload as a JSON value, or nullptr when its schema is unknown.
nlohmann::json PayloadJson(const EventEnvelope& e) {
  LinkEventDescriptors();
  absl::string_view schema = e.dataschema;
  if (!absl::ConsumePrefix(&schema, "proto:")) return nullptr;
  const auto* desc = google::protobuf::DescriptorPool::generated_pool()->FindMessageTypeByName(
      std::string(schema));
  if (desc == nullptr) return nullptr;
  std::unique_ptr<google::protobuf::Message> msg(
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(desc)->New());
  if (!msg->ParseFromString(e.payload)) return nullptr;
  google::protobuf::util::JsonPrintOptions opts;
  opts.preserve_proto_field_names = true;
  std::string out;
  if (!google::protobuf::util::MessageToJsonString(*msg, &out, opts).ok()) return nullptr;
  return nlohmann::json::parse(out, nullptr, false);
}

}  // namespace

std::string EventJson(const EventEnvelope& e) {
  nlohmann::json j;
  j["topic"] = e.topic;
  j["partition"] = e.partition;
  j["offset"] = e.offset;
  j["key"] = e.key;
  j["ce_id"] = e.id;
  j["ce_type"] = e.type;
  j["ce_source"] = e.source;
  j["ce_time"] = absl::FormatTime(absl::RFC3339_full, e.time, absl::UTCTimeZone());
  j["ce_subject"] = e.subject;
  j["ce_sequence"] = e.sequence;
  if (!e.traceparent.empty()) j["ce_traceparent"] = e.traceparent;
  if (!e.dataschema.empty()) j["ce_dataschema"] = e.dataschema;
  nlohmann::json data = PayloadJson(e);
  if (data.is_null() || data.is_discarded()) {
    j["data_base64"] = absl::Base64Escape(e.payload);
  } else {
    j["data"] = data;
  }
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

bool EventFilter::Matches(const EventEnvelope& e) const {
  if (!customer.empty() && e.key != customer) return false;
  if (types.empty()) return true;
  for (const auto& t : types) {
    if (fnmatch(t.c_str(), e.type.c_str(), 0) == 0) return true;
  }
  return false;
}

}  // namespace revisit::tail
