#include "tools/load_order/order_driver.h"

#include <cstdio>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace revisit::load {

namespace ov1 = revisit::order::v1;

std::unique_ptr<grpc::ClientContext> Context() {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
  return ctx;
}

bool Driver::CreateCustomers(int n) {
  for (int i = 0; i < n; ++i) {
    ov1::CreateCustomerRequest req;
    req.set_request_id(absl::StrCat("load-", run_, "-cus-", i));
    auto* c = req.mutable_customer();
    c->set_name(absl::StrCat("压测客户", i));
    c->add_phones("13800000000");
    ov1::CreateCustomerResponse resp;
    auto ctx = Context();
    grpc::Status st = stub_->CreateCustomer(ctx.get(), req, &resp);
    if (!st.ok()) {
      std::fprintf(stderr, "CreateCustomer: %s\n", st.error_message().c_str());
      return false;
    }
    customers_.push_back(resp.customer().customer_id());
  }
  return true;
}

void Driver::RunOrder(const std::string& tag, int customer, Samples& s) {
  auto timed = [&](Rpc rpc, auto&& call) {
    absl::Time start = absl::Now();
    grpc::Status st = call();
    s.us[rpc].push_back(absl::ToInt64Microseconds(absl::Now() - start));
    if (!st.ok()) {
      if (s.failures++ == 0) {
        s.first_error =
            absl::StrCat(kRpcNames[rpc], ": ", st.error_code(), " ", st.error_message());
      }
    }
    return st.ok();
  };
  std::string prefix = absl::StrCat("load-", run_, "-", tag);
  ov1::CreateOrderRequest create;
  create.set_request_id(prefix + "-c");
  create.set_customer_id(customers_[customer % customers_.size()]);
  auto* line = create.add_lines();
  line->set_sku("SKU-LOAD");
  line->set_name("负载测试商品");
  line->set_category("服饰");
  line->set_quantity(1);
  line->mutable_unit_price()->set_amount_minor(9900);
  line->mutable_unit_price()->set_currency("CNY");
  auto* a = create.mutable_shipping_address();
  a->set_recipient("收件人");
  a->set_phone("13800000000");
  a->set_province("浙江省");
  a->set_city("杭州市");
  a->set_street("文三路 1号");
  ov1::CreateOrderResponse created;
  if (!timed(kCreate, [&] {
        auto c = Context();
        return stub_->CreateOrder(c.get(), create, &created);
      })) {
    return;
  }
  const std::string& id = created.order().order_id();
  ov1::PayOrderRequest pay;
  pay.set_request_id(prefix + "-p");
  pay.set_order_id(id);
  *pay.mutable_amount() = created.order().total();
  ov1::PayOrderResponse paid;
  if (!timed(kPay, [&] {
        auto c = Context();
        return stub_->PayOrder(c.get(), pay, &paid);
      })) {
    return;
  }
  ov1::ShipOrderRequest ship;
  ship.set_request_id(prefix + "-s");
  ship.set_order_id(id);
  ship.set_carrier("SF");
  ship.set_tracking_number("SF" + tag);
  ov1::ShipOrderResponse shipped;
  if (!timed(kShip, [&] {
        auto c = Context();
        return stub_->ShipOrder(c.get(), ship, &shipped);
      })) {
    return;
  }
  ov1::ConfirmDeliveryRequest deliver;
  deliver.set_request_id(prefix + "-d");
  deliver.set_order_id(id);
  deliver.set_inspected_on_receipt(true);
  ov1::ConfirmDeliveryResponse delivered;
  if (timed(kDeliver, [&] {
        auto c = Context();
        return stub_->ConfirmDelivery(c.get(), deliver, &delivered);
      })) {
    ++delivered_;
  }
}

}  // namespace revisit::load
