#include "tests/harness/seed.h"

#include <functional>

#include "absl/strings/str_cat.h"
#include "revisit/complaint/v1/complaint.grpc.pb.h"
#include "tests/harness/eventually.h"
#include "tests/harness/retry_call.h"

namespace revisit::testing {
namespace {

namespace ov1 = ::revisit::order::v1;
namespace cv1 = ::revisit::complaint::v1;

constexpr absl::Duration kProjectionGuard = absl::Seconds(90);  // failure guard only

absl::Status Call(const std::string& what,
                  const std::function<grpc::Status(grpc::ClientContext*)>& call) {
  grpc::Status st = RetryCall(what, [&] {
    auto ctx = Ctx();
    return call(ctx.get());
  });
  if (st.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(st.error_code()),
                      absl::StrCat(what, ": ", st.error_message()));
}

common::v1::Money Cny(int64_t minor) {
  common::v1::Money m;
  m.set_amount_minor(minor);
  m.set_currency("CNY");
  return m;
}

ov1::CreateOrderRequest OrderRequest(const std::string& customer_id, const OrderSeed& seed) {
  ov1::CreateOrderRequest req;
  req.set_request_id("ord-" + seed.tag);
  req.set_customer_id(customer_id);
  for (const LineSeed& line : seed.lines) {
    auto* l = req.add_lines();
    l->set_sku(line.sku);
    l->set_name(line.name);
    l->set_category(line.category);
    l->set_quantity(line.quantity);
    *l->mutable_unit_price() = Cny(line.unit_price_minor);
  }
  auto* a = req.mutable_shipping_address();
  a->set_recipient(seed.recipient);
  a->set_phone(seed.phone);
  a->set_province(seed.province);
  a->set_city(seed.city);
  a->set_district(seed.district);
  a->set_street(seed.street);
  return req;
}

// The complaint service's projection has the order as delivered: a remedy is eligible.
absl::Status AwaitDeliveryProjected(Stack& stack, const ov1::Order& order) {
  if (!stack.Started(Svc::kComplaint) || order.lines_size() == 0) return absl::OkStatus();
  return Eventually("complaint knows order " + order.order_id() + " as delivered", [&] {
    cv1::CheckEligibilityRequest q;
    q.set_order_id(order.order_id());
    q.set_line_id(order.lines(0).line_id());
    q.set_cause(cv1::CAUSE_QUALITY_DEFECT);
    cv1::CheckEligibilityResponse r;
    auto ctx = Ctx();
    if (!stack.complaint().CheckEligibility(ctx.get(), q, &r).ok()) return false;
    for (const auto& e : r.remedies()) {
      if (e.eligible()) return true;
    }
    return false;
  }, kProjectionGuard);
}

}  // namespace

absl::StatusOr<std::string> SeedCustomer(Stack& stack, const CustomerSeed& seed) {
  ov1::CreateCustomerRequest req;
  req.set_request_id("cus-" + seed.tag);
  ov1::Customer* c = req.mutable_customer();
  c->set_name(seed.name);
  c->add_phones(seed.phone);
  if (!seed.email.empty()) c->add_emails(seed.email);
  if (!seed.time_zone.empty()) c->set_time_zone(seed.time_zone);
  if (!seed.locale.empty()) c->set_locale(seed.locale);
  for (common::v1::Channel channel : seed.consents) {
    auto* consent = c->add_consents();
    consent->set_channel(channel);
    consent->set_granted(true);
  }
  ov1::CreateCustomerResponse resp;
  absl::Status st = Call("CreateCustomer", [&](grpc::ClientContext* ctx) {
    return stack.order().CreateCustomer(ctx, req, &resp);
  });
  if (!st.ok()) return st;
  return resp.customer().customer_id();
}

absl::StatusOr<ov1::Order> SeedOrder(Stack& stack, const std::string& customer_id,
                                     const OrderSeed& seed) {
  ov1::CreateOrderRequest req = OrderRequest(customer_id, seed);
  ov1::CreateOrderResponse resp;
  absl::Status st = Call("CreateOrder", [&](grpc::ClientContext* ctx) {
    return stack.order().CreateOrder(ctx, req, &resp);
  });
  if (!st.ok()) return st;
  return resp.order();
}

absl::StatusOr<ov1::Order> SeedPaidOrder(Stack& stack, const std::string& customer_id,
                                         const OrderSeed& seed) {
  absl::StatusOr<ov1::Order> created = SeedOrder(stack, customer_id, seed);
  if (!created.ok()) return created;
  ov1::PayOrderRequest req;
  req.set_request_id("pay-" + seed.tag);
  req.set_order_id(created->order_id());
  *req.mutable_amount() = created->total();
  if (!seed.payment_reference.empty()) req.set_payment_reference(seed.payment_reference);
  ov1::PayOrderResponse resp;
  absl::Status st = Call("PayOrder", [&](grpc::ClientContext* ctx) {
    return stack.order().PayOrder(ctx, req, &resp);
  });
  if (!st.ok()) return st;
  return resp.order();
}

absl::StatusOr<ov1::Order> SeedDeliveredOrder(Stack& stack, const std::string& customer_id,
                                              const OrderSeed& seed) {
  absl::StatusOr<ov1::Order> paid = SeedPaidOrder(stack, customer_id, seed);
  if (!paid.ok()) return paid;
  ov1::ShipOrderRequest ship;
  ship.set_request_id("ship-" + seed.tag);
  ship.set_order_id(paid->order_id());
  ship.set_carrier(seed.carrier);
  ship.set_tracking_number(seed.tracking_number);
  ov1::ShipOrderResponse shipped;
  absl::Status st = Call("ShipOrder", [&](grpc::ClientContext* ctx) {
    return stack.order().ShipOrder(ctx, ship, &shipped);
  });
  if (!st.ok()) return st;
  ov1::ConfirmDeliveryRequest del;
  del.set_request_id("del-" + seed.tag);
  del.set_order_id(paid->order_id());
  del.set_inspected_on_receipt(true);
  ov1::ConfirmDeliveryResponse delivered;
  st = Call("ConfirmDelivery", [&](grpc::ClientContext* ctx) {
    return stack.order().ConfirmDelivery(ctx, del, &delivered);
  });
  if (!st.ok()) return st;
  if (absl::Status seen = AwaitDeliveryProjected(stack, delivered.order()); !seen.ok()) return seen;
  return delivered.order();
}

}  // namespace revisit::testing
