// The facts of an order every order event carries (OrderFacts): no PII, the
// customer is a pseudonymous ID. Thread-safety: pure.
#ifndef REVISIT_SERVICES_ORDER_DOMAIN_FACTS_H_
#define REVISIT_SERVICES_ORDER_DOMAIN_FACTS_H_

#include "revisit/order/v1/events.pb.h"
#include "revisit/order/v1/order.pb.h"

namespace revisit::order {

v1::OrderFacts Facts(const v1::Order& order);

}  // namespace revisit::order

#endif  // REVISIT_SERVICES_ORDER_DOMAIN_FACTS_H_
