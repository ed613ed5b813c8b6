// Delivery of a sent touch through a channel adapter, behind one interface.
//
// EventAdapter (the default) delivers nothing itself: the TouchSent event that the
// dispatcher commits is the delivery, for a downstream messaging system to consume.
// WebhookAdapter (webhook_adapter.h) POSTs JSON to a URL with retries and backoff.
// Contact details (name, phone, e-mail) are fetched at send time through a
// ContactSource and handed to the adapter only; they are never stored or published.
// Thread-safety: implementations are thread-safe.
// Errors: Deliver returns UNAVAILABLE when the channel failed after its retries,
// INVALID_ARGUMENT/FAILED_PRECONDITION when it refused the message.
#ifndef REVISIT_SERVICES_OUTREACH_EDGE_CHANNEL_ADAPTER_H_
#define REVISIT_SERVICES_OUTREACH_EDGE_CHANNEL_ADAPTER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "revisit/outreach/v1/outreach.pb.h"
#include "services/outreach/domain/rules.h"

namespace revisit::outreach {

// How to reach the customer on one channel; lives only for one delivery.
struct Contact {
  std::string name;
  std::string address;  // phone for SMS/phone, e-mail for e-mail, customer ID for push
};

// One delivery.
struct Delivery {
  const v1::Touch* touch = nullptr;
  Channel channel = revisit::common::v1::CHANNEL_UNSPECIFIED;
  std::string message;
  Contact contact;
};

class ChannelAdapter {
 public:
  virtual ~ChannelAdapter() = default;
  // True when Deliver needs contact details.
  virtual bool NeedsContact() const = 0;
  virtual absl::Status Deliver(const Delivery& delivery) = 0;
};

// The TouchSent event is the delivery.
class EventAdapter : public ChannelAdapter {
 public:
  bool NeedsContact() const override { return false; }
  absl::Status Deliver(const Delivery&) override { return absl::OkStatus(); }
};

// Where contact details come from at send time (the order service's archive).
class ContactSource {
 public:
  virtual ~ContactSource() = default;
  // NOT_FOUND when the customer or a usable address for `channel` is unknown;
  // UNAVAILABLE when the source cannot be reached.
  virtual absl::StatusOr<Contact> Fetch(const std::string& customer_id, Channel channel) = 0;
};

}  // namespace revisit::outreach

#endif  // REVISIT_SERVICES_OUTREACH_EDGE_CHANNEL_ADAPTER_H_
