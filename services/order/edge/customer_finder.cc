// O2 finding customers by phone, e-mail or tracking number (see customer_finder.h).
#include "services/order/edge/customer_finder.h"

#include <set>

namespace revisit::order {

absl::StatusOr<v1::FindCustomersResponse> CustomerFinder::Find(const v1::FindCustomersRequest& req) {
  auto term = RequestTerm(req);
  if (!term.ok()) return term.status();
  auto ids = index_.Find(*term);
  if (!ids.ok()) return ids.status();
  v1::FindCustomersResponse resp;
  std::vector<std::string> customer_ids = *ids;
  if (term->first == LookupKind::kTracking) {
    customer_ids.clear();
    if (auto st = MatchOrders(term->second, *ids, &resp, &customer_ids); !st.ok()) return st;
  }
  if (auto st = AddCustomers(*term, customer_ids, &resp); !st.ok()) return st;
  return resp;
}

absl::Status CustomerFinder::MatchOrders(const std::string& tracking,
                                         const std::vector<std::string>& order_ids,
                                         v1::FindCustomersResponse* resp,
                                         std::vector<std::string>* customer_ids) {
  std::set<std::string> customers;
  for (const auto& id : order_ids) {
    auto order = store_.GetOrder(id, "tracking_number");
    if (absl::IsNotFound(order.status())) continue;
    if (!order.ok()) return order.status();
    auto stored = NormalizeTracking("tracking_number", order->value.shipment().tracking_number());
    if (!stored.ok() || *stored != tracking) continue;
    resp->add_order_ids(id);
    customers.insert(order->value.customer_id());
  }
  customer_ids->assign(customers.begin(), customers.end());
  return absl::OkStatus();
}

absl::Status CustomerFinder::AddCustomers(const LookupTerm& term, const std::vector<std::string>& ids,
                                          v1::FindCustomersResponse* resp) {
  for (const auto& id : ids) {
    if (resp->customers_size() >= kMaxMatches) break;
    auto customer = store_.GetCustomer(id, "customer_id");
    if (absl::IsNotFound(customer.status())) continue;
    if (!customer.ok()) return customer.status();
    if (term.first != LookupKind::kTracking && CustomerTerms(customer->value).count(term) == 0) continue;
    *resp->add_customers() = std::move(customer->value);
  }
  return absl::OkStatus();
}

}  // namespace revisit::order
