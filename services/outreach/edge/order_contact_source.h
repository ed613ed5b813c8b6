// OrderContactSource: the customer's contact for one channel from the order
// service's archive (order.GetCustomer), at send time only: never stored (R6, R10).
// Thread-safety: thread-safe (gRPC stubs are).
// Errors: UNAVAILABLE when the peer has no address or stays unreachable after the
// retries (CallWithRetry); the peer's own refusal.
#ifndef REVISIT_SERVICES_OUTREACH_EDGE_ORDER_CONTACT_SOURCE_H_
#define REVISIT_SERVICES_OUTREACH_EDGE_ORDER_CONTACT_SOURCE_H_

#include <memory>
#include <string>

#include "revisit/order/v1/order.grpc.pb.h"
#include "services/outreach/edge/peers.h"

namespace revisit::outreach {

class OrderContactSource : public ContactSource {
 public:
  explicit OrderContactSource(const OutreachConfig& config);
  absl::StatusOr<Contact> Fetch(const std::string& customer_id, Channel channel) override;

 private:
  CallPolicy policy_;
  std::unique_ptr<order::v1::OrderService::Stub> stub_;
};

}  // namespace revisit::outreach

#endif  // REVISIT_SERVICES_OUTREACH_EDGE_ORDER_CONTACT_SOURCE_H_
