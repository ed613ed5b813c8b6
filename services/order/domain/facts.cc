#include "services/order/domain/facts.h"

namespace revisit::order {

v1::OrderFacts Facts(const v1::Order& o) {
  v1::OrderFacts f;
  f.set_order_id(o.order_id());
  f.set_customer_id(o.customer_id());
  f.set_state(o.state());
  *f.mutable_lines() = o.lines();
  *f.mutable_total() = o.total();
  *f.mutable_paid() = o.paid();
  *f.mutable_refunded() = o.refunded();
  if (o.replacement_credit().amount_minor() != 0) *f.mutable_replacement_credit() = o.replacement_credit();
  f.set_gift(o.has_gift());
  f.set_replacement_of(o.replacement_of());
  *f.mutable_created_at() = o.created_at();
  if (o.has_paid_at()) *f.mutable_paid_at() = o.paid_at();
  if (o.shipment().has_shipped_at()) *f.mutable_shipped_at() = o.shipment().shipped_at();
  if (o.has_delivered_at()) *f.mutable_delivered_at() = o.delivered_at();
  f.set_inspected_on_receipt(o.delivery().inspected_on_receipt());
  if (o.has_completed_at()) *f.mutable_completed_at() = o.completed_at();
  f.set_payment_method(o.payment_method());
  if (o.has_ship_by()) *f.mutable_ship_by() = o.ship_by();
  if (o.has_checkout()) *f.mutable_checkout() = o.checkout();
  return f;
}

}  // namespace revisit::order
