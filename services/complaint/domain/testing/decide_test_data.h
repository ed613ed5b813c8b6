// Test data for the complaint deciders' unit tests (domain/decide.h): the staff
// actor, a delivered order, the decisions' `now`, and the requests of the workflow
// with the fields every test sets, so a test spells out only what it is about.
// Header-only, test code only (links nothing beyond complaint_domain).
// Thread-safety: pure builders; a TestClock is a plain value.
#ifndef REVISIT_SERVICES_COMPLAINT_DOMAIN_TESTING_DECIDE_TEST_DATA_H_
#define REVISIT_SERVICES_COMPLAINT_DOMAIN_TESTING_DECIDE_TEST_DATA_H_

#include <string>

#include "absl/time/time.h"
#include "common/proto_time.h"
#include "revisit/complaint/v1/complaint.pb.h"
#include "revisit/order/v1/events.pb.h"

namespace revisit::complaint::testing {

// The decisions' `now`: 2026-01-01, moved by the tests.
struct TestClock {
  absl::Time now = absl::FromUnixSeconds(1767225600);
  absl::Time Now() const { return now; }
  void Advance(absl::Duration d) { now += d; }
};

// Staff member "staff-1" in `role` (agent, supervisor, customer for the customer's steps).
inline common::v1::Actor Agent(const std::string& role = "agent") {
  common::v1::Actor a;
  a.set_id("staff-1");
  a.set_role(role);
  return a;
}

// Any request of the workflow, made by Agent(role).
template <typename Request>
Request ByAgent(const std::string& role = "agent") {
  Request r;
  *r.mutable_actor() = Agent(role);
  return r;
}

// Customer cus-03-..01's order ord-03-..01: one pair of shoes (SHOE-38, 300.00 CNY,
// paid in full, nothing refunded) delivered at `delivered`.
inline order::v1::OrderFacts DeliveredOrder(absl::Time delivered) {
  order::v1::OrderFacts o;
  o.set_order_id("ord-03-0000000000000001");
  o.set_customer_id("cus-03-0000000000000001");
  auto* l = o.add_lines();
  l->set_line_id("1");
  l->set_sku("SHOE-38");
  l->set_category("shoes");
  l->set_quantity(1);
  l->mutable_unit_price()->set_amount_minor(30000);
  l->mutable_unit_price()->set_currency("CNY");
  o.mutable_paid()->set_amount_minor(30000);
  o.mutable_paid()->set_currency("CNY");
  o.mutable_refunded()->set_currency("CNY");
  *o.mutable_delivered_at() = ToProto(delivered);
  return o;
}

// A complaint of `customer_id` about no order (R11: service, expectation gap).
inline v1::OpenComplaintRequest OpenRequest(const std::string& customer_id, v1::Cause stated,
                                            const std::string& account) {
  auto req = ByAgent<v1::OpenComplaintRequest>();
  req.set_customer_id(customer_id);
  req.set_stated_cause(stated);
  req.set_account(account);
  return req;
}

// A complaint of the order's customer about `order`.
inline v1::OpenComplaintRequest OpenRequest(const order::v1::OrderFacts& order, v1::Cause stated,
                                            const std::string& account) {
  auto req = OpenRequest(order.customer_id(), stated, account);
  req.set_order_id(order.order_id());
  return req;
}

// C2/C3: a restatement the customer confirmed, and the apology.
inline v1::AcknowledgeComplaintRequest AckRequest(const std::string& restatement,
                                                  const std::string& apology) {
  auto req = ByAgent<v1::AcknowledgeComplaintRequest>();
  req.set_restatement(restatement);
  req.set_restatement_confirmed(true);
  req.set_apology(apology);
  return req;
}

// C4: the real cause found.
inline v1::DetermineCauseRequest CauseRequest(v1::Cause cause) {
  auto req = ByAgent<v1::DetermineCauseRequest>();
  req.set_cause(cause);
  return req;
}

// C12: the customer escalates to the platform.
inline v1::EscalateComplaintRequest EscalateRequest(const std::string& reason) {
  auto req = ByAgent<v1::EscalateComplaintRequest>("customer");
  req.set_reason(reason);
  return req;
}

// C12: the platform's ruling, recorded by staff (add a remedy to order one).
inline v1::RecordPlatformRulingRequest RulingRequest(const std::string& ruling) {
  auto req = ByAgent<v1::RecordPlatformRulingRequest>();
  req.set_ruling(ruling);
  return req;
}

}  // namespace revisit::complaint::testing

#endif  // REVISIT_SERVICES_COMPLAINT_DOMAIN_TESTING_DECIDE_TEST_DATA_H_
