// WebhookAdapter: delivers a touch by POSTing JSON to a configured URL (libcurl).
//
// Body: {"touch_id","customer_id","trigger","campaign","channel","message",
// "contact":{"name","address"}}; header Idempotency-Key: <touch_id> so the receiver
// can drop a repeat (a crash between delivery and commit re-sends). 2xx is success;
// 5xx, 429 and transport errors are retried with exponential backoff up to
// `attempts`; other statuses fail at once.
// Thread-safety: thread-safe (one curl handle per call).
// Errors: UNAVAILABLE after retries; FAILED_PRECONDITION for a refusing status.
#ifndef REVISIT_SERVICES_OUTREACH_EDGE_WEBHOOK_ADAPTER_H_
#define REVISIT_SERVICES_OUTREACH_EDGE_WEBHOOK_ADAPTER_H_

#include <functional>
#include <string>

#include "absl/time/time.h"
#include "services/outreach/edge/channel_adapter.h"

namespace revisit::outreach {

struct WebhookOptions {
  std::string url;
  int attempts = 3;
  absl::Duration backoff = absl::Milliseconds(200);
  absl::Duration timeout = absl::Seconds(5);
  // Waits between attempts; tests inject a fake. Null means absl::SleepFor.
  std::function<void(absl::Duration)> sleep;
};

class WebhookAdapter : public ChannelAdapter {
 public:
  explicit WebhookAdapter(WebhookOptions options);
  bool NeedsContact() const override { return true; }
  absl::Status Deliver(const Delivery& delivery) override;

  // The JSON body for `delivery` (exposed for tests).
  static std::string Body(const Delivery& delivery);

 private:
  // One POST: the HTTP status, or UNAVAILABLE for a transport error.
  absl::StatusOr<long> Post(const std::string& body, const std::string& touch_id);

  WebhookOptions options_;
};

}  // namespace revisit::outreach

#endif  // REVISIT_SERVICES_OUTREACH_EDGE_WEBHOOK_ADAPTER_H_
