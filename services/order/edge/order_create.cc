// OrderCreation (order_create.h): orders with O5 promised discounts and O6 gifts,
// and replacement orders for exchanges (C13 多退少补).
#include "services/order/edge/order_create.h"

#include <optional>
#include <utility>
#include <vector>

#include "common/idempotent.h"
#include "common/keys.h"
#include "common/recorded_answer.h"
#include "common/text.h"
#include "common/status.h"
#include "common/timer_queue.h"
#include "services/order/order_config.h"
#include "services/order/store/order_events.h"
#include "services/order/domain/money.h"
#include "services/order/domain/pricing.h"
#include "common/proto_time.h"
#include "services/order/domain/validation.h"

namespace revisit::order {
namespace {

// The oldest open next-purchase discount usable on an order in `currency` (O5).
const Versioned<v1::Promise>* OpenDiscount(const std::vector<Versioned<v1::Promise>>& promises,
                                           const std::string& currency, absl::Time now) {
  for (const auto& p : promises) {
    const auto& v = p.value;
    bool expired = v.has_valid_until() && FromProto(v.valid_until()) < now;
    if (v.kind() == v1::PROMISE_KIND_NEXT_PURCHASE_DISCOUNT && v.state() == v1::PROMISE_STATE_OPEN &&
        !expired && v.discount().currency() == currency) {
      return &p;
    }
  }
  return nullptr;
}

}  // namespace

OrderCreation::OrderCreation(const OrderConfig& config, OrderStore& store, OrderCommands& commands,
                             OrderCheckout& checkout, const Clock& clock)
    : config_(config), store_(store), commands_(commands), checkout_(checkout), clock_(clock) {}

absl::StatusOr<v1::Order> OrderCreation::PlaceOrder(const v1::CreateOrderRequest& req,
                                                    const std::string& order_id, int shard,
                                                    WriteBatch& batch, const CheckoutFacts& facts,
                                                    const CheckoutBasis& basis) {
  if (!basis.customer) {
    return absl::NotFoundError("customer_id: customer " + Excerpt(req.customer_id()) + " not found");
  }
  const Versioned<v1::Customer>& customer = *basis.customer;
  const std::vector<Versioned<v1::Promise>>& promises = basis.promises;
  absl::Time now = clock_.Now();
  v1::Order o;
  o.set_order_id(order_id);
  o.set_customer_id(req.customer_id());
  o.set_state(v1::ORDER_STATE_CREATED);
  *o.mutable_lines() = req.lines();
  NumberLines(o);
  *o.mutable_shipping_address() = req.shipping_address();
  if (req.has_gift()) {  // O6: the card is signed with the buyer's name.
    *o.mutable_gift() = req.gift();
    o.mutable_gift()->set_signed_by(customer.value.name());
  }
  *o.mutable_created_at() = ToProto(now);
  const std::string& currency = req.lines(0).unit_price().currency();
  const Versioned<v1::Promise>* promise = OpenDiscount(promises, currency, now);
  PriceInputs in;
  in.promise_discount = promise ? promise->value.discount().amount_minor() : 0;
  in.voucher_discount = facts.voucher_discount;
  in.points_discount = facts.points_discount;
  in.shipping_fee = config_.shipping_fee_minor;
  in.shipping_waived = facts.free_shipping;
  ASSIGN_OR_RETURN(Price price, DecidePrice(o.lines(), in));
  ApplyPrice(o, price);
  v1::Checkout* c = o.mutable_checkout();  // L4, L8
  *c->mutable_voucher_ids() = req.voucher_ids();
  c->set_points(req.points());
  c->set_shipping_waived(facts.free_shipping && config_.shipping_fee_minor > 0);
  c->set_shipping_reason(facts.shipping_reason);
  c->set_benefits(facts.reserved ? v1::BENEFITS_STATE_HELD : v1::BENEFITS_STATE_NONE);
  if (facts.reserved) {  // unpaid at hold_until: cancelled and given back (order_checkout.cc)
    *c->mutable_hold_until() = facts.hold_until;
    ScheduleTimer(batch, kService, shard, BenefitsTimerId(order_id), FromProto(facts.hold_until), "");
  }
  o.mutable_paid()->set_currency(currency);
  o.mutable_refunded()->set_currency(currency);
  v1::OrderCreated created;
  if (promise) {  // O5: honour the promise without being asked, exactly once.
    v1::Promise redeemed = promise->value;
    redeemed.set_state(v1::PROMISE_STATE_REDEEMED);
    redeemed.set_redeemed_order_id(order_id);
    *redeemed.mutable_redeemed_at() = ToProto(now);
    std::string key = PromiseKey(shard, redeemed.promise_id());
    batch.ExpectVersion(key, promise->version).Put(key, promise->version + 1, redeemed.SerializeAsString());
    o.set_applied_promise_id(redeemed.promise_id());
    created.set_applied_promise_id(redeemed.promise_id());
    *created.mutable_discount() = o.discount();
    v1::PromiseRedeemed ev;
    *ev.mutable_promise() = redeemed;
    Emit(batch, shard, o.customer_id(), redeemed.promise_id(), now, "promise_redeemed", ev);
  }
  batch.ExpectVersion(OrderKey(shard, order_id), 0).Put(OrderKey(shard, order_id), 1, o.SerializeAsString());
  batch.ZAdd(OrdersOfKey(shard, o.customer_id()), static_cast<double>(absl::ToUnixMillis(now)), order_id);
  *created.mutable_order() = Facts(o);
  Emit(batch, shard, o.customer_id(), order_id, now, "created", created);
  return o;
}

absl::Status OrderCreation::Create(const v1::CreateOrderRequest& req, v1::CreateOrderResponse* resp) {
  RETURN_IF_ERROR(ValidateRequestId(req.request_id()));
  RETURN_IF_ERROR(ValidateCreateOrder(req));
  ASSIGN_OR_RETURN(int shard, ShardOfEntityId(req.customer_id(), "cus", "customer_id"));
  const std::string key = RequestKey(shard, "CreateOrder", req.request_id());
  // One round trip reads the recorded answer (a repeat makes no new hold), the
  // customer and its promises; a retry after ABORTED reads them again.
  ASSIGN_OR_RETURN(std::optional<CheckoutBasis> basis,
                   store_.ReadCheckoutBasis(shard, key, req.customer_id()));
  if (basis->recorded) return ReadAnswer(key, *basis->recorded, req, resp);
  const std::string order_id = CheckoutOrderId(shard, req.customer_id(), req.request_id());
  ASSIGN_OR_RETURN(CheckoutFacts facts,
                   checkout_.Gather(req, order_id, [&](const std::string& currency) -> absl::StatusOr<int64_t> {
                     const Versioned<v1::Promise>* p = OpenDiscount(basis->promises, currency, clock_.Now());
                     return p ? p->value.discount().amount_minor() : 0;
                   }));
  std::optional<v1::Order> placed;
  bool applied = false;
  absl::Status st = RunIdempotent<v1::CreateOrderResponse>(
      store_.redis(), key, config_.idempotency_ttl, req, resp,
      [&](WriteBatch& batch, v1::CreateOrderResponse* r) -> absl::Status {
        if (!basis) {
          ASSIGN_OR_RETURN(basis, store_.ReadCheckoutBasis(shard, key, req.customer_id()));
        }
        absl::StatusOr<v1::Order> o = PlaceOrder(req, order_id, shard, batch, facts, *basis);
        basis.reset();  // a retry reads afresh
        if (!o.ok()) return o.status();
        *r->mutable_order() = *o;
        placed = *std::move(o);
        return absl::OkStatus();
      },
      &applied);
  if (applied) store_.cache().Put({*std::move(placed), 1});
  if (!st.ok() && facts.reserved) checkout_.ReleaseAfterFailure(order_id, std::string(st.message()));
  return st;
}

absl::Status OrderCreation::CreateReplacement(const v1::CreateReplacementOrderRequest& req,
                                              v1::CreateReplacementOrderResponse* resp) {
  RETURN_IF_ERROR(ValidateRequestId(req.request_id()));
  RETURN_IF_ERROR(ValidateLines("replacement_lines", req.replacement_lines()));
  if (req.returned_lines().empty()) {
    return absl::InvalidArgumentError("returned_lines: at least one line must be returned");
  }
  RETURN_IF_ERROR(ValidateText("reason", req.reason(), 1, 500));
  ASSIGN_OR_RETURN(int shard, ShardOfEntityId(req.original_order_id(), "ord", "original_order_id"));
  std::string new_id = NewEntityId("ord", shard);
  return RunIdempotent<v1::CreateReplacementOrderResponse>(
      store_.redis(), RequestKey(shard, "CreateReplacementOrder", req.request_id()),
      config_.idempotency_ttl, req, resp,
      [&](WriteBatch& batch, v1::CreateReplacementOrderResponse* r) -> absl::Status {
        ASSIGN_OR_RETURN(auto orig, store_.GetOrder(req.original_order_id(), "original_order_id"));
        const absl::Time now = clock_.Now();
        ASSIGN_OR_RETURN(ReplacementEffects e,
                         DecideReplacement(orig.value, req, new_id, NewEntityId("rfd", shard),
                                           commands_.Policy(), now));
        StageOrder(batch, shard, orig.version, e.original, now);
        StageOrder(batch, shard, 0, e.replacement, now);
        batch.ZAdd(OrdersOfKey(shard, orig.value.customer_id()),
                   static_cast<double>(absl::ToUnixMillis(now)), new_id);
        *r->mutable_replacement() = e.replacement.order;
        r->mutable_price_difference()->set_amount_minor(e.price_difference);
        r->mutable_price_difference()->set_currency(orig.value.total().currency());
        return absl::OkStatus();
      });
}

}  // namespace revisit::order
