// CustomerHandlers (customer_handlers.h): the customer archive (O2), promises (O5,
// O8) and listings.
#include "services/order/edge/customer_handlers.h"

#include <google/protobuf/util/field_mask_util.h>

#include "absl/strings/numbers.h"
#include "common/text.h"
#include "common/idempotent.h"
#include "common/keys.h"
#include "common/status.h"
#include "services/order/store/order_events.h"
#include "common/proto_time.h"
#include "services/order/domain/validation.h"

namespace revisit::order {
namespace {

constexpr int kDefaultPage = 50;
constexpr int kMaxPage = 200;

// What other services may know of a customer: no name, phone or address.
template <typename Event>
void FillPublicFacts(const v1::Customer& c, Event* ev) {
  ev->set_customer_id(c.customer_id());
  if (c.has_birthday()) *ev->mutable_birthday() = c.birthday();
  ev->set_time_zone(c.time_zone());
  *ev->mutable_consents() = c.consents();
  ev->set_locale(c.locale().empty() ? "zh-CN" : c.locale());
}

absl::StatusOr<std::pair<int, int>> Page(const revisit::common::v1::PageRequest& page) {
  int size = page.page_size() == 0 ? kDefaultPage : page.page_size();
  if (size < 1 || size > kMaxPage) {
    return absl::InvalidArgumentError("page.page_size: must be 0 (default 50) or 1..200");
  }
  int offset = 0;
  if (!page.page_token().empty() && (!absl::SimpleAtoi(page.page_token(), &offset) || offset < 0)) {
    return absl::InvalidArgumentError("page.page_token: not a token returned by this service");
  }
  return std::make_pair(offset, size);
}

}  // namespace

CustomerHandlers::CustomerHandlers(const OrderConfig& config, OrderStore& store, const Clock& clock)
    : config_(config), store_(store), clock_(clock) {}

absl::Status CustomerHandlers::CreateCustomer(const v1::CreateCustomerRequest& req,
                                              v1::CreateCustomerResponse* resp) {
  absl::Status st = ValidateRequestId(req.request_id());
  if (st.ok()) st = ValidateCustomer(req.customer());
  if (!st.ok()) return st;
  int shard = ShardOf(req.request_id());
  std::string id = NewEntityId("cus", shard);
  return RunIdempotent<v1::CreateCustomerResponse>(
      store_.redis(), RequestKey(shard, "CreateCustomer", req.request_id()),
      config_.idempotency_ttl, req, resp,
      [&](WriteBatch& batch, v1::CreateCustomerResponse* r) -> absl::Status {
        v1::Customer c = req.customer();
        if (!c.referrer_id().empty()) {  // L6: the referrer must be a known customer.
          auto referrer = store_.GetCustomer(c.referrer_id(), "customer.referrer_id");
          if (!referrer.ok()) {
            return absl::InvalidArgumentError("customer.referrer_id: no customer " +
                                              Excerpt(c.referrer_id()));
          }
        }
        absl::Time now = clock_.Now();
        c.set_customer_id(id);
        if (c.time_zone().empty()) c.set_time_zone("Asia/Shanghai");
        *c.mutable_registered_at() = ToProto(now);
        *c.mutable_updated_at() = ToProto(now);
        batch.ExpectVersion(CustomerKey(shard, id), 0).Put(CustomerKey(shard, id), 1, c.SerializeAsString());
        v1::CustomerRegistered ev;
        FillPublicFacts(c, &ev);
        ev.set_referrer_id(c.referrer_id());
        *ev.mutable_registered_at() = c.registered_at();
        Emit(batch, shard, id, id, now, "customer_registered", ev);
        *r->mutable_customer() = c;
        return absl::OkStatus();
      });
}

absl::Status CustomerHandlers::UpdateCustomer(const v1::UpdateCustomerRequest& req,
                                              v1::UpdateCustomerResponse* resp) {
  absl::Status st = ValidateRequestId(req.request_id());
  if (st.ok() && req.update_mask().paths().empty()) {
    st = absl::InvalidArgumentError("update_mask: name at least one field to update");
  }
  const std::string& id = req.customer().customer_id();
  auto shard = ShardOfEntityId(id, "cus", "customer.customer_id");
  if (st.ok()) st = shard.status();
  if (!st.ok()) return st;
  return RunIdempotent<v1::UpdateCustomerResponse>(
      store_.redis(), RequestKey(*shard, "UpdateCustomer", req.request_id()),
      config_.idempotency_ttl, req, resp,
      [&](WriteBatch& batch, v1::UpdateCustomerResponse* r) -> absl::Status {
        ASSIGN_OR_RETURN(auto c, store_.GetCustomer(id, "customer.customer_id"));
        const auto* desc = v1::Customer::descriptor();
        for (const auto& path : req.update_mask().paths()) {
          const auto* field = desc->FindFieldByName(path);
          if (field == nullptr || path == "customer_id" || path == "registered_at" ||
              path == "updated_at") {
            return absl::InvalidArgumentError("update_mask: " + Excerpt(path) + " is not an updatable field");
          }
          if (path == "referrer_id") {
            return absl::InvalidArgumentError("update_mask: referrer_id is set only at registration (L6)");
          }
          if (path == "consents") {  // R6: one owner, outreach (services/outreach/README.md)
            return absl::InvalidArgumentError(
                "update_mask: consents are owned by outreach after registration (R6): "
                "use OutreachService.SetConsent");
          }
          const auto* refl = c.value.GetReflection();
          refl->ClearField(&c.value, field);
        }
        google::protobuf::util::FieldMaskUtil::MergeMessageTo(req.customer(), req.update_mask(),
                                                              {}, &c.value);
        RETURN_IF_ERROR(ValidateCustomer(c.value));
        absl::Time now = clock_.Now();
        *c.value.mutable_updated_at() = ToProto(now);
        std::string key = CustomerKey(*shard, id);
        batch.ExpectVersion(key, c.version).Put(key, c.version + 1, c.value.SerializeAsString());
        v1::CustomerUpdated ev;
        FillPublicFacts(c.value, &ev);
        ev.clear_consents();  // R6: consent is outreach's; an update never carries it
        *ev.mutable_updated_at() = ToProto(now);
        Emit(batch, *shard, id, id, now, "customer_updated", ev);
        *r->mutable_customer() = c.value;
        return absl::OkStatus();
      });
}

absl::Status CustomerHandlers::GetCustomer(const v1::GetCustomerRequest& req,
                                           v1::GetCustomerResponse* resp) {
  auto c = store_.GetCustomer(req.customer_id(), "customer_id");
  if (!c.ok()) return c.status();
  *resp->mutable_customer() = c->value;
  return absl::OkStatus();
}

absl::Status CustomerHandlers::ListOrders(const v1::ListOrdersRequest& req,
                                          v1::ListOrdersResponse* resp) {
  auto page = Page(req.page());
  if (!page.ok()) return page.status();
  auto customer = store_.GetCustomer(req.customer_id(), "customer_id");
  if (!customer.ok()) return customer.status();
  auto ids = store_.OrderIdsOf(req.customer_id(), page->first, page->second + 1);
  if (!ids.ok()) return ids.status();
  bool more = static_cast<int>(ids->size()) > page->second;
  if (more) ids->pop_back();
  auto orders = store_.GetOrders(*ShardOfEntityId(req.customer_id(), "cus", "customer_id"), *ids);
  if (!orders.ok()) return orders.status();
  for (auto& o : *orders) *resp->add_orders() = std::move(o.value);
  if (more) resp->mutable_page()->set_next_page_token(std::to_string(page->first + page->second));
  return absl::OkStatus();
}

absl::Status CustomerHandlers::RecordPromise(const v1::RecordPromiseRequest& req,
                                             v1::RecordPromiseResponse* resp) {
  absl::Status st = ValidateRequestId(req.request_id());
  if (st.ok()) st = ValidatePromise(req.promise());
  const std::string& cid = req.promise().customer_id();
  auto shard = ShardOfEntityId(cid, "cus", "promise.customer_id");
  if (st.ok()) st = shard.status();
  if (!st.ok()) return st;
  std::string id = NewEntityId("prm", *shard);
  return RunIdempotent<v1::RecordPromiseResponse>(
      store_.redis(), RequestKey(*shard, "RecordPromise", req.request_id()),
      config_.idempotency_ttl, req, resp,
      [&](WriteBatch& batch, v1::RecordPromiseResponse* r) -> absl::Status {
        RETURN_IF_ERROR(store_.GetCustomer(cid, "promise.customer_id").status());
        if (!req.promise().order_id().empty()) {
          ASSIGN_OR_RETURN(auto o, store_.GetOrder(req.promise().order_id(), "promise.order_id"));
          if (o.value.customer_id() != cid) {
            return absl::InvalidArgumentError("promise.order_id: belongs to another customer");
          }
        }
        absl::Time now = clock_.Now();
        v1::Promise p = req.promise();
        p.set_promise_id(id);
        p.set_state(v1::PROMISE_STATE_OPEN);
        *p.mutable_made_at() = ToProto(now);
        p.clear_redeemed_order_id();
        p.clear_redeemed_at();
        // O8: recorded once, never rewritten: ExpectVersion(0) and no update RPC.
        batch.ExpectVersion(PromiseKey(*shard, id), 0).Put(PromiseKey(*shard, id), 1, p.SerializeAsString());
        batch.ZAdd(PromisesOfKey(*shard, cid), static_cast<double>(absl::ToUnixMillis(now)), id);
        v1::PromiseRecorded ev;
        *ev.mutable_promise() = p;
        Emit(batch, *shard, cid, id, now, "promise_recorded", ev);
        *r->mutable_promise() = p;
        return absl::OkStatus();
      });
}

absl::Status CustomerHandlers::ListPromises(const v1::ListPromisesRequest& req,
                                            v1::ListPromisesResponse* resp) {
  auto customer = store_.GetCustomer(req.customer_id(), "customer_id");
  if (!customer.ok()) return customer.status();
  auto promises = store_.PromisesOf(req.customer_id());
  if (!promises.ok()) return promises.status();
  for (auto& p : *promises) *resp->add_promises() = std::move(p.value);
  return absl::OkStatus();
}

}  // namespace revisit::order
