#include "services/outreach/edge/order_contact_source.h"

#include "absl/strings/str_cat.h"
#include "common/proto_time.h"
#include "services/outreach/domain/touch_ids.h"

namespace revisit::outreach {

OrderContactSource::OrderContactSource(const OutreachConfig& config)
    : policy_(PeerCallPolicy(config)) {
  if (!config.order_address.empty())
    stub_ = order::v1::OrderService::NewStub(MakeChannel(config.order_address));
}

absl::StatusOr<Contact> OrderContactSource::Fetch(const std::string& customer_id,
                                                  Channel channel) {
  if (!stub_) return PeerNotConfigured("order service", "REVISIT_ORDER_ADDR");
  order::v1::GetCustomerRequest req;
  req.set_customer_id(customer_id);
  order::v1::GetCustomerResponse resp;
  absl::Status st = CallWithRetry(policy_, "order.GetCustomer", [&](grpc::ClientContext* ctx) {
    return stub_->GetCustomer(ctx, req, &resp);
  });
  if (!st.ok()) return st;
  const order::v1::Customer& c = resp.customer();
  Contact contact;
  contact.name = c.name();
  switch (channel) {
    case revisit::common::v1::CHANNEL_EMAIL:
      if (c.emails_size() > 0) contact.address = c.emails(0);
      break;
    case revisit::common::v1::CHANNEL_SMS:
    case revisit::common::v1::CHANNEL_PHONE:
      if (c.phones_size() > 0) contact.address = c.phones(0);
      break;
    default:
      contact.address = customer_id;  // push goes to the customer's app account
  }
  if (contact.address.empty())
    return absl::NotFoundError(absl::StrCat("customer ", customer_id, " has no address for ",
                                            revisit::common::v1::Channel_Name(channel)));
  return contact;
}

}  // namespace revisit::outreach
