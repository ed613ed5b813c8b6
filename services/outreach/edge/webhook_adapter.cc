#include "services/outreach/edge/webhook_adapter.h"

#include <curl/curl.h>

#include <memory>
#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "common/log.h"

namespace revisit::outreach {
namespace {

size_t Discard(char*, size_t size, size_t n, void*) { return size * n; }

void GlobalInit() {
  static const bool done = [] { return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK; }();
  (void)done;
}

bool Retryable(long http) { return http == 429 || http >= 500; }

}  // namespace

WebhookAdapter::WebhookAdapter(WebhookOptions options) : options_(std::move(options)) {
  GlobalInit();
  if (!options_.sleep) options_.sleep = [](absl::Duration d) { absl::SleepFor(d); };
}

std::string WebhookAdapter::Body(const Delivery& d) {
  nlohmann::json j;
  j["touch_id"] = d.touch->touch_id();
  j["customer_id"] = d.touch->customer_id();
  j["trigger"] = v1::Trigger_Name(d.touch->trigger());
  j["campaign"] = d.touch->campaign();
  j["channel"] = revisit::common::v1::Channel_Name(d.channel);
  j["message"] = d.message;
  j["contact"] = {{"name", d.contact.name}, {"address", d.contact.address}};
  return j.dump();
}

absl::StatusOr<long> WebhookAdapter::Post(const std::string& body, const std::string& touch_id) {
  std::unique_ptr<CURL, void (*)(CURL*)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return absl::InternalError("webhook: curl_easy_init failed");
  const std::string idem = "Idempotency-Key: " + touch_id;
  curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
  headers = curl_slist_append(headers, idem.c_str());
  std::unique_ptr<curl_slist, void (*)(curl_slist*)> guard(headers, curl_slist_free_all);
  curl_easy_setopt(curl.get(), CURLOPT_URL, options_.url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_POST, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT_MS,
                   static_cast<long>(absl::ToInt64Milliseconds(options_.timeout)));
  curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, Discard);
  CURLcode rc = curl_easy_perform(curl.get());
  if (rc != CURLE_OK) return absl::UnavailableError(curl_easy_strerror(rc));
  long http = 0;
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &http);
  return http;
}

absl::Status WebhookAdapter::Deliver(const Delivery& delivery) {
  const std::string body = Body(delivery);
  absl::Duration pause = options_.backoff;
  std::string last;
  for (int attempt = 1; attempt <= options_.attempts; ++attempt) {
    auto http = Post(body, delivery.touch->touch_id());
    if (http.ok() && *http >= 200 && *http < 300) return absl::OkStatus();
    if (http.ok() && !Retryable(*http))
      return absl::FailedPreconditionError(absl::StrCat("webhook refused with HTTP ", *http));
    last = http.ok() ? absl::StrCat("HTTP ", *http) : std::string(http.status().message());
    LogWarn("webhook delivery failed", {{"touch_id", delivery.touch->touch_id()},
                                        {"attempt", std::to_string(attempt)}, {"error", last}});
    if (attempt < options_.attempts) {
      options_.sleep(pause);
      pause *= 2;
    }
  }
  return absl::UnavailableError(
      absl::StrCat("webhook failed after ", options_.attempts, " attempts: ", last));
}

}  // namespace revisit::outreach
