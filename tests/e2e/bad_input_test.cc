// End-to-end: bad input on every public RPC of the four services, each a real
// process (redis-server, revisit-broker, order, complaint, loyalty, outreach).
//
// The RPCs are enumerated from the service descriptors, so a new RPC is covered
// the day it is added: each one gets (1) an empty request and (2) at least one
// targeted bad request from the table below (the test fails if an RPC has none).
// Every answer must be INVALID_ARGUMENT, NOT_FOUND or FAILED_PRECONDITION (never
// OK, never UNKNOWN/INTERNAL), with a message naming the offending field, and the
// stored data must be unchanged: a digest of every Redis key (DUMP of each) is
// taken before and after each call. Read-only RPCs on well-formed unknown IDs must
// answer NOT_FOUND; a customer loyalty or outreach has never seen is NOT_FOUND on
// every RPC that names one, with a message naming customer_id and where the service
// learns customers (its projection of revisit.order.v1), and nothing is written.
// The one exception, asserted separately: GetShippingPerks (O7, on the shipping
// path) answers an unprojected customer "no perks" rather than fail a shipment.
//
// One validation contract (docs/rules.md "Validation"): every refusal names the
// field and the rule and quotes at most a short excerpt of the input (a 10,000
// character ID gets a short message, never one a default client receives as
// RESOURCE_EXHAUSTED); timestamps outside 0001-9999, money near 2^63, negative
// discounts, warranty days and points and unknown enum values are refused; a
// request_id reused with a different request is FAILED_PRECONDITION naming
// request_id (ReusedRequestIdIsRefused).
//
// The clock runs at real speed here so that no durable timer fires while the
// digests are compared.
#include <google/protobuf/descriptor.h>
#include <google/protobuf/dynamic_message.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/support/byte_buffer.h>
#include <gtest/gtest.h>

#include <functional>
#include <iostream>
#include <map>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "common/redis_client.h"
#include "tests/harness/stack.h"
#include "tests/e2e/story.h"
#include "tests/harness/shared_stack.h"
#include "tests/harness/seed.h"

namespace revisit::e2e {
namespace {

namespace pb = ::google::protobuf;
namespace ov1 = ::revisit::order::v1;
namespace cv1 = ::revisit::complaint::v1;
namespace lv1 = ::revisit::loyalty::v1;
namespace uv1 = ::revisit::outreach::v1;
namespace common1 = ::revisit::common::v1;

// Calls `method` with the serialized `request` through the generic stub.
grpc::Status GenericCall(const std::shared_ptr<grpc::Channel>& channel,
                         const pb::MethodDescriptor& method, const std::string& request) {
  grpc::Slice slice(request);
  grpc::ByteBuffer send(&slice, 1);
  grpc::ClientContext ctx;
  ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
  grpc::GenericStub stub(channel);
  grpc::CompletionQueue cq;
  const std::string path = "/" + method.service()->full_name() + "/" + method.name();
  auto call = stub.PrepareUnaryCall(&ctx, path, send, &cq);
  call->StartCall();
  grpc::ByteBuffer received;
  grpc::Status status;
  call->Finish(&received, &status, reinterpret_cast<void*>(1));
  void* tag = nullptr;
  bool ok = false;
  cq.Next(&tag, &ok);
  cq.Shutdown();
  while (cq.Next(&tag, &ok)) {
  }
  return status;
}

// Field names of `d` and of its message fields (one level down), e.g. "customer",
// "name": an error message must name one of them.
void FieldNames(const pb::Descriptor* d, int depth, std::set<std::string>* out) {
  for (int i = 0; i < d->field_count(); ++i) {
    const pb::FieldDescriptor* f = d->field(i);
    out->insert(f->name());
    if (depth > 0 && f->message_type() != nullptr) FieldNames(f->message_type(), depth - 1, out);
  }
}

// A digest of all stored data: every key with its DUMP, in key order.
class Digest {
 public:
  explicit Digest(const std::string& address) : redis_(*ParseRedisAddress(address)) {}
  absl::StatusOr<std::map<std::string, std::string>> Take() {
    std::map<std::string, std::string> out;
    std::string cursor = "0";
    do {
      auto r = redis_.Command({"SCAN", cursor, "COUNT", "1000"});
      if (!r.ok()) return r.status();
      cursor = r->elements[0].str;
      for (const auto& k : r->elements[1].elements) out[k.str] = "";
    } while (cursor != "0");
    for (auto& [k, v] : out) {
      auto d = redis_.Command({"DUMP", k});
      if (!d.ok()) return d.status();
      v = d->str;
    }
    return out;
  }

 private:
  RedisClient redis_;
};

std::string Diff(const std::map<std::string, std::string>& a,
                 const std::map<std::string, std::string>& b) {
  std::vector<std::string> out;
  for (const auto& [k, v] : a) {
    auto it = b.find(k);
    if (it == b.end()) out.push_back("removed " + k);
    else if (it->second != v) out.push_back("changed " + k);
  }
  for (const auto& [k, v] : b) {
    if (a.find(k) == a.end()) out.push_back("added " + k);
  }
  return absl::StrJoin(out, ", ");
}

// Read-only queries for which the empty request is a valid question ("all
// complaints", "causes over all time", "the top 20 customers"): they must answer OK
// and change nothing.
const std::set<std::string> kEmptyIsAValidQuery = {
    "revisit.complaint.v1.ComplaintService.ListComplaints",
    "revisit.complaint.v1.ComplaintService.ReportCauses",
    "revisit.loyalty.v1.LoyaltyService.ListTopCustomers",
};

using Codes = std::set<grpc::StatusCode>;
const Codes kInvalid = {grpc::StatusCode::INVALID_ARGUMENT};
const Codes kNotFound = {grpc::StatusCode::NOT_FOUND};
const Codes kPrecondition = {grpc::StatusCode::FAILED_PRECONDITION};
const Codes kAnyClientError = {grpc::StatusCode::INVALID_ARGUMENT, grpc::StatusCode::NOT_FOUND,
                               grpc::StatusCode::FAILED_PRECONDITION};

struct Case {
  std::string method;  // "revisit.order.v1.OrderService.PayOrder"
  std::string label;
  std::string request;  // serialized
  Codes codes;
  std::string field;  // the error message must contain this
};

template <typename T>
Case Make(const std::string& method, const std::string& label, Codes codes,
          const std::string& field, const std::function<void(T&)>& fill) {
  T req;
  fill(req);
  return {std::string(T::descriptor()->file()->package()) + "." + method, label,
          req.SerializeAsString(), std::move(codes), field};
}

common1::Money Cny(int64_t minor) {
  common1::Money m;
  m.set_amount_minor(minor);
  m.set_currency("CNY");
  return m;
}

common1::Actor Agent() {
  common1::Actor a;
  a.set_id("staff-7");
  a.set_role("agent");
  return a;
}

// A well-formed ID that names nothing: `id` with its last character changed.
std::string Unknown(std::string id) {
  id.back() = id.back() == '0' ? '1' : '0';
  return id;
}

// "ord-07-…" → "cmp-07-…": the same shard, another entity kind.
std::string Retag(const std::string& id, const std::string& prefix) {
  return prefix + id.substr(id.find('-'));
}

class BadInputTest : public testing::SharedStack<BadInputTest> {
 public:
  static StackOptions SuiteOptions() {
    StackOptions o;
    o.time_scale = 1;
    return o;
  }

 protected:
  // The seed is the same for every test (its request IDs return the first answer),
  // and each test starts from settled data (the digest of the store stops changing).
  void SetUp() override {
    SharedStack::SetUp();
    if (HasFatalFailure()) return;
    Seed();
  }

  // A customer with one created (unpaid) order, known to every service.
  void Seed() {
    testing::CustomerSeed who("seed");
    who.name = "赵敏";
    who.phone = "13600136000";
    absl::StatusOr<std::string> customer = testing::SeedCustomer(stack(), who);
    ASSERT_TRUE(customer.ok()) << customer.status();
    customer_ = *customer;
    testing::OrderSeed order("seed");
    order.lines = {{"TEA-1", "龙井茶", "食品", 1, 8800}};
    order.recipient = "赵敏";
    order.phone = "13600136000";
    order.street = "龙井路 1号";
    absl::StatusOr<ov1::Order> created = testing::SeedOrder(stack(), customer_, order);
    ASSERT_TRUE(created.ok()) << created.status();
    order_ = created->order_id();
    // Every consumer has projected the seed (on a loaded machine a consumer group may
    // join after the data looked settled for a second): loyalty and outreach know the
    // customer, complaint knows the order.
    absl::Status projected = Eventually("seed projected by loyalty, complaint, outreach", [&] {
      lv1::GetProfileRequest lp;
      lp.set_customer_id(customer_);
      lv1::GetProfileResponse lpr;
      cv1::CheckEligibilityRequest ce;
      ce.set_order_id(order_);
      ce.set_line_id("1");
      ce.set_cause(cv1::CAUSE_QUALITY_DEFECT);
      cv1::CheckEligibilityResponse cer;
      uv1::ListTouchesRequest lt;
      lt.set_customer_id(customer_);
      uv1::ListTouchesResponse ltr;
      return stack().loyalty().GetProfile(Ctx().get(), lp, &lpr).ok() &&
             stack().complaint().CheckEligibility(Ctx().get(), ce, &cer).ok() &&
             stack().outreach().ListTouches(Ctx().get(), lt, &ltr).ok();
    });
    ASSERT_TRUE(projected.ok()) << projected;
    // ... and the data stops changing.
    absl::Status settled = Eventually("seed data settled (two equal digests 1 s apart)", [&] {
      uv1::ListTouchesRequest lt;
      lt.set_customer_id(customer_);
      uv1::ListTouchesResponse ltr;
      lv1::GetProfileRequest gp;
      gp.set_customer_id(customer_);
      lv1::GetProfileResponse gpr;
      auto c1 = Ctx();
      auto c2 = Ctx();
      if (!stack().outreach().ListTouches(c1.get(), lt, &ltr).ok() ||
          !stack().loyalty().GetProfile(c2.get(), gp, &gpr).ok())
        return false;
      auto a = Digest(stack().redis().Address()).Take();
      absl::SleepFor(absl::Seconds(1));
      auto b = Digest(stack().redis().Address()).Take();
      return a.ok() && b.ok() && *a == *b && a->size() > 0;
    });
    ASSERT_TRUE(settled.ok()) << settled;
  }

  std::vector<Case> Cases();

  std::string customer_, order_;
};

std::vector<Case> BadInputTest::Cases() {
  const std::string c = customer_, o = order_;
  const std::string unknown_customer = Unknown(c), unknown_order = Unknown(o);
  const std::string unknown_complaint = Unknown(Retag(o, "cmp"));
  const std::string unknown_touch = "tch-" + o.substr(4, 2) + "-00000000000000ff";
  std::vector<Case> v;
  // ---- order
  v.push_back(Make<ov1::CreateCustomerRequest>("OrderService.CreateCustomer", "bad phone",
                                               kInvalid, "phone", [](auto& r) {
    r.set_request_id("bad-1");
    r.mutable_customer()->set_name("钱七");
    r.mutable_customer()->add_phones("12");
  }));
  v.push_back(Make<ov1::UpdateCustomerRequest>("OrderService.UpdateCustomer", "unknown customer",
                                               kNotFound, "customer", [&](auto& r) {
    r.set_request_id("bad-2");
    r.mutable_customer()->set_customer_id(unknown_customer);
    r.mutable_customer()->set_occupation("教师");
    r.mutable_update_mask()->add_paths("occupation");
  }));
  v.push_back(Make<ov1::UpdateCustomerRequest>("OrderService.UpdateCustomer",
                                               "consents (owned by outreach, R6)", kInvalid,
                                               "consents", [&](auto& r) {
    r.set_request_id("bad-2b");
    r.mutable_customer()->set_customer_id(c);
    r.mutable_update_mask()->add_paths("consents");
  }));
  v.push_back(Make<ov1::GetCustomerRequest>("OrderService.GetCustomer", "unknown customer",
                                            kNotFound, "customer",
                                            [&](auto& r) { r.set_customer_id(unknown_customer); }));
  v.push_back(Make<ov1::FindCustomersRequest>("OrderService.FindCustomers", "phone of 2 digits (O2)",
                                              kInvalid, "phone",
                                              [&](auto& r) { r.set_phone("12"); }));
  v.push_back(Make<ov1::FindCustomersRequest>("OrderService.FindCustomers", "e-mail without '@' (O2)",
                                              kInvalid, "email",
                                              [&](auto& r) { r.set_email("li.example.com"); }));
  v.push_back(Make<ov1::CreateOrderRequest>("OrderService.CreateOrder", "quantity 0", kInvalid,
                                            "quantity", [&](auto& r) {
    r.set_request_id("bad-3");
    r.set_customer_id(c);
    auto* l = r.add_lines();
    l->set_sku("TEA-1");
    l->set_name("龙井茶");
    l->set_category("食品");
    l->set_quantity(0);
    *l->mutable_unit_price() = Cny(8800);
  }));
  v.push_back(Make<ov1::CreateOrderRequest>("OrderService.CreateOrder", "unknown customer",
                                            kAnyClientError, "customer", [&](auto& r) {
    r.set_request_id("bad-4");
    r.set_customer_id(unknown_customer);
    auto* a = r.mutable_shipping_address();
    a->set_recipient("赵敏");
    a->set_phone("13600136000");
    a->set_province("浙江省");
    a->set_city("杭州市");
    a->set_district("西湖区");
    a->set_street("龙井路 1号");
    auto* l = r.add_lines();
    l->set_sku("TEA-1");
    l->set_name("龙井茶");
    l->set_category("食品");
    l->set_quantity(1);
    *l->mutable_unit_price() = Cny(8800);
  }));
  v.push_back(Make<ov1::PayOrderRequest>("OrderService.PayOrder", "wrong amount",
                                         {grpc::StatusCode::INVALID_ARGUMENT,
                                          grpc::StatusCode::FAILED_PRECONDITION},
                                         "amount", [&](auto& r) {
    r.set_request_id("bad-5");
    r.set_order_id(o);
    *r.mutable_amount() = Cny(1);
  }));
  v.push_back(Make<ov1::ShipOrderRequest>("OrderService.ShipOrder", "unpaid order", kPrecondition,
                                          "created", [&](auto& r) {
    r.set_request_id("bad-6");
    r.set_order_id(o);
    r.set_carrier("顺丰速运");
    r.set_tracking_number("SF1");
  }));
  v.push_back(Make<ov1::ConfirmDeliveryRequest>("OrderService.ConfirmDelivery", "unshipped order",
                                                kPrecondition, "created", [&](auto& r) {
    r.set_request_id("bad-7");
    r.set_order_id(o);
  }));
  v.push_back(Make<ov1::CompleteOrderRequest>("OrderService.CompleteOrder", "undelivered order",
                                              kPrecondition, "created", [&](auto& r) {
    r.set_request_id("bad-8");
    r.set_order_id(o);
  }));
  v.push_back(Make<ov1::CancelOrderRequest>("OrderService.CancelOrder", "unknown order",
                                            kNotFound, "order", [&](auto& r) {
    r.set_request_id("bad-9");
    r.set_order_id(unknown_order);
    r.set_reason("changed my mind");
  }));
  v.push_back(Make<ov1::RefundOrderRequest>("OrderService.RefundOrder", "unpaid order",
                                            kPrecondition, "created", [&](auto& r) {
    r.set_request_id("bad-10");
    r.set_order_id(o);
    r.set_full(true);
    r.set_reason("defect");
  }));
  v.push_back(Make<ov1::CreateReplacementOrderRequest>(
      "OrderService.CreateReplacementOrder", "undelivered order", kAnyClientError, "", [&](auto& r) {
        r.set_request_id("bad-11");
        r.set_original_order_id(o);
        auto* q = r.add_returned_lines();
        q->set_line_id("1");
        q->set_quantity(1);
        r.set_reason("defect");
      }));
  v.push_back(Make<ov1::GetOrderRequest>("OrderService.GetOrder", "unknown order", kNotFound,
                                         "order", [&](auto& r) { r.set_order_id(unknown_order); }));
  v.push_back(Make<ov1::ListOrdersRequest>("OrderService.ListOrders", "unknown customer",
                                           kNotFound, "customer",
                                           [&](auto& r) { r.set_customer_id(unknown_customer); }));
  v.push_back(Make<ov1::ListOrdersRequest>("OrderService.ListOrders", "negative page size",
                                           kInvalid, "page_size", [&](auto& r) {
    r.set_customer_id(c);
    r.mutable_page()->set_page_size(-1);
  }));
  v.push_back(Make<ov1::RecordPromiseRequest>("OrderService.RecordPromise", "negative discount",
                                              kInvalid, "discount", [&](auto& r) {
    r.set_request_id("bad-12");
    auto* p = r.mutable_promise();
    p->set_customer_id(c);
    p->set_kind(ov1::PROMISE_KIND_NEXT_PURCHASE_DISCOUNT);
    p->set_description("下次9折");
    *p->mutable_discount() = Cny(-100);
    p->set_made_by("staff-7");
  }));
  v.push_back(Make<ov1::ListPromisesRequest>("OrderService.ListPromises", "unknown customer",
                                             kNotFound, "customer",
                                             [&](auto& r) { r.set_customer_id(unknown_customer); }));
  // ---- complaint: every workflow RPC on an unknown complaint; targeted field errors.
  v.push_back(Make<cv1::OpenComplaintRequest>("ComplaintService.OpenComplaint", "unknown order",
                                              kAnyClientError, "order", [&](auto& r) {
    r.set_request_id("bad-20");
    *r.mutable_actor() = Agent();
    r.set_customer_id(c);
    r.set_order_id(unknown_order);
    r.set_stated_cause(cv1::CAUSE_QUALITY_DEFECT);
    r.set_account("broken");
  }));
  v.push_back(Make<cv1::OpenComplaintRequest>("ComplaintService.OpenComplaint", "no cause",
                                              kInvalid, "cause", [&](auto& r) {
    r.set_request_id("bad-21");
    *r.mutable_actor() = Agent();
    r.set_customer_id(c);
    r.set_order_id(o);
    r.set_account("broken");
  }));
  auto unknown_cmp = [&](auto tag) {
    return [&, tag](auto& r) {
      r.set_request_id(std::string("bad-cmp-") + tag);
      *r.mutable_actor() = Agent();
      r.set_complaint_id(unknown_complaint);
    };
  };
  v.push_back(Make<cv1::AcknowledgeComplaintRequest>("ComplaintService.AcknowledgeComplaint",
                                                     "unknown complaint", kNotFound, "complaint",
                                                     [&](auto& r) {
    unknown_cmp("ack")(r);
    r.set_restatement("x");
    r.set_restatement_confirmed(true);
  }));
  v.push_back(Make<cv1::StartInvestigationRequest>("ComplaintService.StartInvestigation",
                                                   "unknown complaint", kNotFound, "complaint",
                                                   unknown_cmp("inv")));
  v.push_back(Make<cv1::DetermineCauseRequest>("ComplaintService.DetermineCause",
                                               "unknown complaint", kNotFound, "complaint",
                                               [&](auto& r) {
    unknown_cmp("cause")(r);
    r.set_cause(cv1::CAUSE_QUALITY_DEFECT);
  }));
  v.push_back(Make<cv1::ProposeRemediesRequest>("ComplaintService.ProposeRemedies",
                                                "unknown complaint", kNotFound, "complaint",
                                                [&](auto& r) {
    unknown_cmp("propose")(r);
    r.add_remedies()->set_kind(cv1::REMEDY_KIND_APOLOGY);
  }));
  v.push_back(Make<cv1::ApproveRemedyRequest>("ComplaintService.ApproveRemedy",
                                              "unknown complaint", kNotFound, "complaint",
                                              [&](auto& r) {
    unknown_cmp("approve")(r);
    r.set_remedy_id("r1");
  }));
  v.push_back(Make<cv1::AcceptRemedyRequest>("ComplaintService.AcceptRemedy", "unknown complaint",
                                             kNotFound, "complaint", [&](auto& r) {
    unknown_cmp("accept")(r);
    r.set_remedy_id("r1");
  }));
  v.push_back(Make<cv1::ResolveComplaintRequest>("ComplaintService.ResolveComplaint",
                                                 "unknown complaint", kNotFound, "complaint",
                                                 unknown_cmp("resolve")));
  v.push_back(Make<cv1::RecordFollowUpRequest>("ComplaintService.RecordFollowUp",
                                               "satisfaction 9", kAnyClientError, "", [&](auto& r) {
    unknown_cmp("fu")(r);
    r.mutable_follow_up()->set_satisfaction(9);
  }));
  v.push_back(Make<cv1::CloseComplaintRequest>("ComplaintService.CloseComplaint",
                                               "unknown complaint", kNotFound, "complaint",
                                               unknown_cmp("close")));
  v.push_back(Make<cv1::RejectComplaintRequest>("ComplaintService.RejectComplaint",
                                                "unknown complaint", kNotFound, "complaint",
                                                [&](auto& r) {
    unknown_cmp("reject")(r);
    r.set_reason("no");
  }));
  v.push_back(Make<cv1::EscalateComplaintRequest>("ComplaintService.EscalateComplaint",
                                                  "unknown complaint", kNotFound, "complaint",
                                                  [&](auto& r) {
    unknown_cmp("escalate")(r);
    r.set_reason("no agreement");
  }));
  v.push_back(Make<cv1::RecordPlatformRulingRequest>("ComplaintService.RecordPlatformRuling",
                                                     "unknown complaint", kNotFound, "complaint",
                                                     [&](auto& r) {
    unknown_cmp("ruling")(r);
    r.set_ruling("refund");
  }));
  v.push_back(Make<cv1::ReopenComplaintRequest>("ComplaintService.ReopenComplaint",
                                                "unknown complaint", kNotFound, "complaint",
                                                [&](auto& r) {
    unknown_cmp("reopen")(r);
    r.set_reason("again");
  }));
  v.push_back(Make<cv1::PromiseUpdateRequest>("ComplaintService.PromiseUpdate",
                                              "unknown complaint", kNotFound, "complaint",
                                              [&](auto& r) {
    unknown_cmp("promise")(r);
    r.mutable_due_at()->set_seconds(absl::ToUnixSeconds(absl::Now()) + 3600);
    r.set_note("tomorrow");
  }));
  v.push_back(Make<cv1::PostUpdateRequest>("ComplaintService.PostUpdate", "unknown complaint",
                                           kNotFound, "complaint", [&](auto& r) {
    unknown_cmp("post")(r);
    r.set_note("progress");
  }));
  v.push_back(Make<cv1::GetComplaintRequest>("ComplaintService.GetComplaint", "unknown complaint",
                                             kNotFound, "complaint",
                                             [&](auto& r) { r.set_complaint_id(unknown_complaint); }));
  v.push_back(Make<cv1::ListComplaintsRequest>("ComplaintService.ListComplaints",
                                               "negative page size", kInvalid, "page_size",
                                               [&](auto& r) { r.mutable_page()->set_page_size(-1); }));
  v.push_back(Make<cv1::CheckEligibilityRequest>("ComplaintService.CheckEligibility",
                                                 "unknown order", kNotFound, "order", [&](auto& r) {
    r.set_order_id(unknown_order);
    r.set_line_id("1");
    r.set_cause(cv1::CAUSE_QUALITY_DEFECT);
  }));
  v.push_back(Make<cv1::ReportCausesRequest>("ComplaintService.ReportCauses", "from after to",
                                             kInvalid, "from", [&](auto& r) {
    r.mutable_from()->set_seconds(2000000000);
    r.mutable_to()->set_seconds(1000000000);
  }));
  v.push_back(Make<cv1::AssignComplaintRequest>("ComplaintService.AssignComplaint", "unknown complaint",
                                                kNotFound, "complaint", [&](auto& r) {
    unknown_cmp("assign")(r);
    r.set_agent_id("agent-7");
  }));
  v.push_back(Make<cv1::TakeComplaintRequest>("ComplaintService.TakeComplaint", "unknown complaint",
                                              kNotFound, "complaint", unknown_cmp("take")));
  v.push_back(Make<cv1::RecordFulfilmentRequest>("ComplaintService.RecordFulfilment", "unknown complaint",
                                                 kNotFound, "complaint", [&](auto& r) {
    unknown_cmp("fulfil")(r);
    r.set_stage(cv1::FULFILMENT_STAGE_SHIPPED);
    r.set_reference("SF1");
  }));
  v.push_back(Make<cv1::ListQueueRequest>("ComplaintService.ListQueue", "two queues", kInvalid, "exactly one",
                                          [&](auto& r) {
    r.set_agent_id("agent-7");
    r.set_supervisor(true);
  }));
  v.push_back(Make<cv1::ListQueueRequest>("ComplaintService.ListQueue", "forged cursor", kInvalid,
                                          "page.page_token", [&](auto& r) {
    r.set_supervisor(true);
    r.mutable_page()->set_page_token("0|");
  }));
  // ---- loyalty: a customer loyalty has never seen is NOT_FOUND naming customer_id and
  // where loyalty learns customers (its projection of revisit.order.v1).
  const std::string no_account = "customer_id: no loyalty account for " + unknown_customer;
  // An order ID of another shard than the customer's: not the customer's order.
  const std::string foreign_order =
      absl::StrCat("ord-", o.substr(4, 2) == "00" ? "01" : "00", o.substr(6));
  v.push_back(Make<lv1::GetProfileRequest>("LoyaltyService.GetProfile", "unknown customer",
                                           kNotFound, no_account,
                                           [&](auto& r) { r.set_customer_id(unknown_customer); }));
  v.push_back(Make<lv1::ListLedgerRequest>("LoyaltyService.ListLedger", "unknown customer",
                                           kNotFound, no_account,
                                           [&](auto& r) { r.set_customer_id(unknown_customer); }));
  v.push_back(Make<lv1::ListLedgerRequest>("LoyaltyService.ListLedger", "negative page size",
                                           kInvalid, "page_size", [&](auto& r) {
    r.set_customer_id(c);
    r.mutable_page()->set_page_size(-1);
  }));
  v.push_back(Make<lv1::RedeemPointsRequest>("LoyaltyService.RedeemPoints", "negative points",
                                             kInvalid, "points", [&](auto& r) {
    r.set_request_id("bad-30");
    r.set_customer_id(c);
    r.set_points(-5);
    r.set_reason("test");
  }));
  v.push_back(Make<lv1::RedeemPointsRequest>("LoyaltyService.RedeemPoints", "more than available",
                                             {grpc::StatusCode::FAILED_PRECONDITION,
                                              grpc::StatusCode::NOT_FOUND},
                                             "", [&](auto& r) {
    r.set_request_id("bad-31");
    r.set_customer_id(c);
    r.set_points(1000000);
    r.set_reason("test");
  }));
  v.push_back(Make<lv1::RedeemPointsRequest>("LoyaltyService.RedeemPoints", "unknown customer",
                                             kNotFound, no_account, [&](auto& r) {
    r.set_request_id("bad-35");
    r.set_customer_id(unknown_customer);
    r.set_points(1);
    r.set_reason("test");
  }));
  v.push_back(Make<lv1::AwardPointsRequest>("LoyaltyService.AwardPoints", "zero points", kInvalid,
                                            "points", [&](auto& r) {
    r.set_request_id("bad-32");
    r.set_customer_id(c);
    r.set_points(0);
    r.set_reason("goodwill");
    r.set_source("test");
  }));
  v.push_back(Make<lv1::AwardPointsRequest>("LoyaltyService.AwardPoints", "unknown customer",
                                            kNotFound, no_account, [&](auto& r) {
    r.set_request_id("bad-36");
    r.set_customer_id(unknown_customer);
    r.set_points(10);
    r.set_reason("goodwill");
    r.set_source("test");
  }));
  v.push_back(Make<lv1::IssueVoucherRequest>("LoyaltyService.IssueVoucher", "negative value",
                                             kInvalid, "value", [&](auto& r) {
    r.set_request_id("bad-33");
    auto* vch = r.mutable_voucher();
    vch->set_customer_id(c);
    vch->set_kind(lv1::VOUCHER_KIND_COMPENSATION);
    *vch->mutable_value() = Cny(-100);
    vch->set_reason("sorry");
  }));
  v.push_back(Make<lv1::IssueVoucherRequest>("LoyaltyService.IssueVoucher", "unknown kind",
                                             kInvalid, "voucher.kind", [&](auto& r) {
    r.set_request_id("bad-37");
    auto* vch = r.mutable_voucher();
    vch->set_customer_id(c);
    vch->set_kind(static_cast<lv1::VoucherKind>(99));
    *vch->mutable_value() = Cny(100);
    vch->set_reason("sorry");
  }));
  v.push_back(Make<lv1::IssueVoucherRequest>("LoyaltyService.IssueVoucher", "unknown customer",
                                             kNotFound, "voucher." + no_account, [&](auto& r) {
    r.set_request_id("bad-38");
    auto* vch = r.mutable_voucher();
    vch->set_customer_id(unknown_customer);
    vch->set_kind(lv1::VOUCHER_KIND_COMPENSATION);
    *vch->mutable_value() = Cny(100);
    vch->set_reason("sorry");
  }));
  v.push_back(Make<lv1::IssueVoucherRequest>("LoyaltyService.IssueVoucher", "malformed voucher id",
                                             kInvalid, "voucher.voucher_id", [&](auto& r) {
    r.set_request_id("bad-38b");
    auto* vch = r.mutable_voucher();
    vch->set_voucher_id("voucher 1");
    vch->set_customer_id(c);
    vch->set_kind(lv1::VOUCHER_KIND_COMPENSATION);
    *vch->mutable_value() = Cny(100);
    vch->set_reason("sorry");
  }));
  // L4: RedeemVoucher is retired (deprecated): every request is refused, naming why.
  v.push_back(Make<lv1::RedeemVoucherRequest>("LoyaltyService.RedeemVoucher", "retired (L4)",
                                              kPrecondition, "voucher_id: RedeemVoucher is retired",
                                              [&](auto& r) {
    r.set_request_id("bad-34");
    r.set_voucher_id(Unknown(Retag(o, "vch")));
    r.set_order_id(o);
    *r.mutable_order_amount() = Cny(8800);
  }));
  v.push_back(Make<lv1::ListVouchersRequest>("LoyaltyService.ListVouchers", "unknown customer",
                                             kNotFound, no_account,
                                             [&](auto& r) { r.set_customer_id(unknown_customer); }));
  v.push_back(Make<lv1::ListTopCustomersRequest>("LoyaltyService.ListTopCustomers",
                                                 "negative limit", kInvalid, "limit",
                                                 [&](auto& r) { r.set_limit(-1); }));
  v.push_back(Make<lv1::ListTopCustomersRequest>("LoyaltyService.ListTopCustomers",
                                                 "unknown value class", kInvalid, "value_class",
                                                 [&](auto& r) {
    r.set_value_class(static_cast<lv1::ValueClass>(9));
  }));
  v.push_back(Make<lv1::ReclassifyRequest>("LoyaltyService.Reclassify", "no request_id", kInvalid,
                                           "request_id", [&](auto& r) {}));
  v.push_back(Make<lv1::GetShippingPerksRequest>("LoyaltyService.GetShippingPerks",
                                                 "malformed customer id", kInvalid, "customer",
                                                 [&](auto& r) {
    r.set_customer_id("not an id");
    r.set_order_id(o);
  }));
  v.push_back(Make<lv1::GetShippingPerksRequest>("LoyaltyService.GetShippingPerks", "no order id",
                                                 kInvalid, "order_id: required", [&](auto& r) {
    r.set_customer_id(c);
  }));
  v.push_back(Make<lv1::GetShippingPerksRequest>("LoyaltyService.GetShippingPerks",
                                                 "malformed order id", kInvalid, "order_id",
                                                 [&](auto& r) {
    r.set_customer_id(c);
    r.set_order_id(Retag(o, "cmp"));
  }));
  v.push_back(Make<lv1::GetShippingPerksRequest>("LoyaltyService.GetShippingPerks",
                                                 "order of another customer", kInvalid,
                                                 "order_id", [&](auto& r) {
    r.set_customer_id(c);
    r.set_order_id(foreign_order);
  }));
  // Checkout benefits (L4): the order service's saga calls.
  v.push_back(Make<lv1::ReserveBenefitsRequest>("LoyaltyService.ReserveBenefits",
                                                "order of another customer", kInvalid,
                                                "reservation_id", [&](auto& r) {
    r.set_request_id("bad-rb1");
    r.set_reservation_id(foreign_order);
    r.set_customer_id(c);
  }));
  v.push_back(Make<lv1::ReserveBenefitsRequest>("LoyaltyService.ReserveBenefits", "negative points",
                                                kInvalid, "points", [&](auto& r) {
    r.set_request_id("bad-rb2");
    r.set_reservation_id(Unknown(o));
    r.set_customer_id(c);
    r.set_points(-1);
  }));
  v.push_back(Make<lv1::ConfirmReservationRequest>("LoyaltyService.ConfirmReservation",
                                                   "unknown reservation", kNotFound,
                                                   "reservation_id", [&](auto& r) {
    r.set_request_id("bad-cr1");
    r.set_reservation_id(Unknown(o));
  }));
  v.push_back(Make<lv1::ReleaseReservationRequest>("LoyaltyService.ReleaseReservation",
                                                   "no reason", kInvalid, "reason", [&](auto& r) {
    r.set_request_id("bad-rr1");
    r.set_reservation_id(Unknown(o));
  }));
  // ---- outreach: a customer outreach has never seen is NOT_FOUND naming customer_id.
  const std::string no_record = "customer_id: outreach has no record of " + unknown_customer;
  v.push_back(Make<uv1::ListTouchesRequest>("OutreachService.ListTouches", "unknown customer",
                                            kNotFound, no_record,
                                            [&](auto& r) { r.set_customer_id(unknown_customer); }));
  v.push_back(Make<uv1::ListTouchesRequest>("OutreachService.ListTouches", "malformed customer id",
                                            kInvalid, "customer_id",
                                            [&](auto& r) { r.set_customer_id("not an id"); }));
  v.push_back(Make<uv1::ListTouchesRequest>("OutreachService.ListTouches", "page size 201",
                                            kInvalid, "page_size", [&](auto& r) {
    r.set_customer_id(c);
    r.mutable_page()->set_page_size(201);
  }));
  v.push_back(Make<uv1::GetTouchRequest>("OutreachService.GetTouch", "unknown touch", kNotFound,
                                         "touch", [&](auto& r) { r.set_touch_id(unknown_touch); }));
  v.push_back(Make<uv1::GetTouchRequest>("OutreachService.GetTouch", "malformed touch id",
                                         kNotFound, "touch_id",
                                         [&](auto& r) { r.set_touch_id("touch 1"); }));
  v.push_back(Make<uv1::CancelTouchRequest>("OutreachService.CancelTouch", "unknown touch",
                                            kNotFound, "touch", [&](auto& r) {
    r.set_request_id("bad-40");
    r.set_touch_id(unknown_touch);
    r.set_reason("no");
  }));
  v.push_back(Make<uv1::ScheduleTouchRequest>("OutreachService.ScheduleTouch", "unknown customer",
                                              kNotFound, no_record, [&](auto& r) {
    r.set_request_id("bad-41");
    r.set_customer_id(unknown_customer);
    r.set_campaign("spring");
    r.set_message("hello");
  }));
  v.push_back(Make<uv1::ScheduleTouchRequest>("OutreachService.ScheduleTouch", "unknown channel",
                                              kInvalid, "channel", [&](auto& r) {
    r.set_request_id("bad-41b");
    r.set_customer_id(c);
    r.set_channel(static_cast<common1::Channel>(42));
    r.set_message("hello");
  }));
  v.push_back(Make<uv1::ScheduleTouchRequest>("OutreachService.ScheduleTouch", "due_at before 0001",
                                              kInvalid, "due_at.seconds", [&](auto& r) {
    r.set_request_id("bad-41c");
    r.set_customer_id(c);
    r.mutable_due_at()->set_seconds(-62135596801);
    r.set_message("hello");
  }));
  v.push_back(Make<uv1::ScheduleTouchRequest>("OutreachService.ScheduleTouch", "due_at after 9999",
                                              kInvalid, "due_at.seconds", [&](auto& r) {
    r.set_request_id("bad-41d");
    r.set_customer_id(c);
    r.mutable_due_at()->set_seconds(253402300800);
    r.set_message("hello");
  }));
  v.push_back(Make<uv1::RecordFeedbackRequest>("OutreachService.RecordFeedback", "rating 9",
                                               kAnyClientError, "", [&](auto& r) {
    r.set_request_id("bad-42");
    r.set_touch_id(unknown_touch);
    r.mutable_feedback()->set_rating(9);
  }));
  v.push_back(Make<uv1::RecordFeedbackRequest>("OutreachService.RecordFeedback", "unknown touch",
                                               kNotFound, "touch", [&](auto& r) {
    r.set_request_id("bad-43");
    r.set_touch_id(unknown_touch);
    r.mutable_feedback()->set_rating(4);
  }));
  v.push_back(Make<uv1::SetConsentRequest>("OutreachService.SetConsent", "no channel", kInvalid,
                                           "channel", [&](auto& r) {
    r.set_request_id("bad-44");
    r.set_customer_id(c);
    r.set_granted(true);
    r.set_source(uv1::CONSENT_SOURCE_CUSTOMER);
    r.mutable_actor()->set_id(c);
    r.mutable_actor()->set_role("customer");
  }));
  v.push_back(Make<uv1::SetConsentRequest>("OutreachService.SetConsent", "unknown customer",
                                           kNotFound, no_record, [&](auto& r) {
    r.set_request_id("bad-44b");
    r.set_customer_id(unknown_customer);
    r.set_channel(common1::CHANNEL_SMS);
    r.set_granted(true);
    r.set_source(uv1::CONSENT_SOURCE_CUSTOMER);
    r.mutable_actor()->set_id(unknown_customer);
    r.mutable_actor()->set_role("customer");
  }));
  v.push_back(Make<uv1::SetConsentRequest>("OutreachService.SetConsent", "no source (R6)",
                                           kInvalid, "source", [&](auto& r) {
    r.set_request_id("bad-44c");
    r.set_customer_id(c);
    r.set_channel(common1::CHANNEL_SMS);
    r.mutable_actor()->set_id(c);
    r.mutable_actor()->set_role("customer");
  }));
  v.push_back(Make<uv1::SetConsentRequest>("OutreachService.SetConsent",
                                           "customer source by someone else (R6)", kInvalid,
                                           "actor", [&](auto& r) {
    r.set_request_id("bad-44d");
    r.set_customer_id(c);
    r.set_channel(common1::CHANNEL_SMS);
    r.set_source(uv1::CONSENT_SOURCE_UNSUBSCRIBE_LINK);
    r.mutable_actor()->set_id(unknown_customer);
    r.mutable_actor()->set_role("customer");
  }));
  v.push_back(Make<uv1::SetConsentRequest>("OutreachService.SetConsent",
                                           "global unsubscribe that grants (R6)", kInvalid,
                                           "all_channels", [&](auto& r) {
    r.set_request_id("bad-44e");
    r.set_customer_id(c);
    r.set_all_channels(true);
    r.set_granted(true);
    r.set_source(uv1::CONSENT_SOURCE_CUSTOMER);
    r.mutable_actor()->set_id(c);
    r.mutable_actor()->set_role("customer");
  }));
  v.push_back(Make<uv1::ListConsentHistoryRequest>("OutreachService.ListConsentHistory",
                                                   "unknown customer", kNotFound, no_record,
                                                   [&](auto& r) { r.set_customer_id(unknown_customer); }));
  v.push_back(Make<uv1::ListConsentHistoryRequest>("OutreachService.ListConsentHistory",
                                                   "page size 500", kInvalid, "page", [&](auto& r) {
    r.set_customer_id(c);
    r.mutable_page()->set_page_size(500);
  }));
  v.push_back(Make<uv1::GetCampaignStatsRequest>("OutreachService.GetCampaignStats",
                                                 "unknown campaign", kNotFound, "campaign",
                                                 [&](auto& r) { r.set_campaign("no-such-campaign"); }));
  v.push_back(Make<uv1::AnnounceProductRequest>("OutreachService.AnnounceProduct",
                                                "negative wave interval", kInvalid, "wave",
                                                [&](auto& r) {
    r.set_request_id("bad-45");
    r.set_sku("TEA-2");
    r.set_name("碧螺春");
    r.set_category("食品");
    r.set_message("new tea");
    r.set_wave_interval_seconds(-1);
  }));
  v.push_back(Make<uv1::AnnounceProductRequest>("OutreachService.AnnounceProduct",
                                                "wave interval over 30 days", kInvalid,
                                                "wave_interval_seconds", [&](auto& r) {
    r.set_request_id("bad-46");
    r.set_sku("TEA-2");
    r.set_name("碧螺春");
    r.set_category("食品");
    r.set_message("new tea");
    r.set_wave_interval_seconds(int64_t{1} << 50);
  }));
  // ---- the one validation contract, across services.
  const std::string huge(10000, 'x');
  v.push_back(Make<ov1::PayOrderRequest>("OrderService.PayOrder", "10,000-character request_id",
                                         kInvalid, "request_id", [&](auto& r) {
    r.set_request_id(huge);
    r.set_order_id(o);
    *r.mutable_amount() = Cny(8800);
  }));
  v.push_back(Make<ov1::GetOrderRequest>("OrderService.GetOrder", "10,000-character order id",
                                         kAnyClientError, "order_id",
                                         [&](auto& r) { r.set_order_id(huge); }));
  v.push_back(Make<cv1::GetComplaintRequest>("ComplaintService.GetComplaint",
                                             "10,000-character complaint id", kAnyClientError,
                                             "complaint_id", [&](auto& r) { r.set_complaint_id(huge); }));
  v.push_back(Make<lv1::AwardPointsRequest>("LoyaltyService.AwardPoints", "10,000-character customer id",
                                            kInvalid, "customer_id", [&](auto& r) {
    r.set_request_id("bad-50");
    r.set_customer_id(huge);
    r.set_points(10);
    r.set_reason("goodwill");
  }));
  v.push_back(Make<uv1::GetTouchRequest>("OutreachService.GetTouch", "10,000-character touch id",
                                         kAnyClientError, "touch_id",
                                         [&](auto& r) { r.set_touch_id(huge); }));
  v.push_back(Make<cv1::OpenComplaintRequest>("ComplaintService.OpenComplaint",
                                              "request_id with a space", kInvalid, "request_id",
                                              [&](auto& r) {
    r.set_request_id("bad 51");
    *r.mutable_actor() = Agent();
    r.set_customer_id(c);
    r.set_order_id(o);
    r.set_stated_cause(cv1::CAUSE_QUALITY_DEFECT);
    r.set_account("broken");
  }));
  v.push_back(Make<ov1::RecordPromiseRequest>("OrderService.RecordPromise", "discount near 2^63",
                                              kInvalid, "promise.discount.amount_minor", [&](auto& r) {
    r.set_request_id("bad-52");
    auto* p = r.mutable_promise();
    p->set_customer_id(c);
    p->set_kind(ov1::PROMISE_KIND_NEXT_PURCHASE_DISCOUNT);
    p->set_description("下次9折");
    *p->mutable_discount() = Cny(INT64_MAX);
    p->set_made_by("staff-7");
  }));
  v.push_back(Make<ov1::RecordPromiseRequest>("OrderService.RecordPromise",
                                              "negative discount on a warranty", kInvalid,
                                              "promise.discount.amount_minor", [&](auto& r) {
    r.set_request_id("bad-53");
    auto* p = r.mutable_promise();
    p->set_customer_id(c);
    p->set_order_id(o);
    p->set_kind(ov1::PROMISE_KIND_EXTENDED_WARRANTY);
    p->set_description("延保一年");
    p->set_extended_warranty_days(365);
    *p->mutable_discount() = Cny(-5);
    p->set_made_by("staff-7");
  }));
  v.push_back(Make<ov1::RecordPromiseRequest>("OrderService.RecordPromise",
                                              "negative warranty days", kInvalid,
                                              "promise.extended_warranty_days", [&](auto& r) {
    r.set_request_id("bad-54");
    auto* p = r.mutable_promise();
    p->set_customer_id(c);
    p->set_kind(ov1::PROMISE_KIND_NEXT_PURCHASE_DISCOUNT);
    p->set_description("下次9折");
    *p->mutable_discount() = Cny(100);
    p->set_extended_warranty_days(-30);
    p->set_made_by("staff-7");
  }));
  v.push_back(Make<ov1::RecordPromiseRequest>("OrderService.RecordPromise", "unknown kind",
                                              kInvalid, "promise.kind", [&](auto& r) {
    r.set_request_id("bad-55");
    auto* p = r.mutable_promise();
    p->set_customer_id(c);
    p->set_kind(static_cast<ov1::PromiseKind>(99));
    p->set_description("?");
    p->set_made_by("staff-7");
  }));
  v.push_back(Make<ov1::RefundOrderRequest>("OrderService.RefundOrder", "negative amount",
                                            kInvalid, "amount.amount_minor", [&](auto& r) {
    r.set_request_id("bad-56");
    r.set_order_id(o);
    *r.mutable_amount() = Cny(-1);
    r.set_reason("defect");
  }));
  v.push_back(Make<ov1::RefundOrderRequest>("OrderService.RefundOrder", "amount near 2^63",
                                            kInvalid, "amount.amount_minor", [&](auto& r) {
    r.set_request_id("bad-57");
    r.set_order_id(o);
    *r.mutable_amount() = Cny(INT64_MAX);
    r.set_reason("defect");
  }));
  v.push_back(Make<lv1::AwardPointsRequest>("LoyaltyService.AwardPoints", "negative points",
                                            kInvalid, "points", [&](auto& r) {
    r.set_request_id("bad-58");
    r.set_customer_id(c);
    r.set_points(-5);
    r.set_reason("goodwill");
  }));
  v.push_back(Make<lv1::IssueVoucherRequest>("LoyaltyService.IssueVoucher", "value near 2^63",
                                             kInvalid, "voucher.value.amount_minor", [&](auto& r) {
    r.set_request_id("bad-59");
    auto* vch = r.mutable_voucher();
    vch->set_customer_id(c);
    vch->set_kind(lv1::VOUCHER_KIND_COMPENSATION);
    *vch->mutable_value() = Cny(INT64_MAX);
    vch->set_reason("sorry");
  }));
  v.push_back(Make<cv1::ReportCausesRequest>("ComplaintService.ReportCauses", "to after 9999",
                                             kInvalid, "to.seconds", [&](auto& r) {
    r.mutable_to()->set_seconds(int64_t{1} << 40);
  }));
  v.push_back(Make<cv1::CheckEligibilityRequest>("ComplaintService.CheckEligibility",
                                                 "at before 0001", kInvalid, "at.seconds",
                                                 [&](auto& r) {
    r.set_order_id(o);
    r.set_line_id("1");
    r.set_cause(cv1::CAUSE_QUALITY_DEFECT);
    r.mutable_at()->set_seconds(-(int64_t{1} << 40));
  }));
  return v;
}

TEST_F(BadInputTest, EveryPublicRpcRejectsBadInputAndChangesNothing) {
  Digest digest(stack().redis().Address());
  auto before = digest.Take();
  ASSERT_TRUE(before.ok()) << before.status();
  std::cerr << "[bad-input] " << before->size() << " keys stored before" << std::endl;

  const std::map<std::string, Svc> services = {
      {"revisit.order.v1.OrderService", Svc::kOrder},
      {"revisit.complaint.v1.ComplaintService", Svc::kComplaint},
      {"revisit.loyalty.v1.LoyaltyService", Svc::kLoyalty},
      {"revisit.outreach.v1.OutreachService", Svc::kOutreach},
  };
  std::vector<Case> cases = Cases();
  std::map<std::string, int> targeted;
  for (const auto& c : cases) targeted[c.method]++;

  int calls = 0;
  auto check = [&](const pb::MethodDescriptor& m, Svc svc, const std::string& label,
                   const std::string& request, const Codes& codes, const std::string& field) {
    grpc::Status st = GenericCall(stack().channel(svc), m, request);
    ++calls;
    const std::string what = absl::StrCat(m.full_name(), " [", label, "] -> ",
                                          st.error_code(), " \"", st.error_message(), "\"");
    std::cerr << "[bad-input] " << what << std::endl;
    if (label == "empty" && kEmptyIsAValidQuery.count(m.full_name())) {
      EXPECT_TRUE(st.ok()) << what;
      auto after = digest.Take();
      ASSERT_TRUE(after.ok()) << after.status();
      EXPECT_TRUE(*after == *before) << what << " changed stored data: " << Diff(*before, *after);
      return;
    }
    EXPECT_FALSE(st.ok()) << what;
    EXPECT_NE(st.error_code(), grpc::StatusCode::UNKNOWN) << what;
    EXPECT_NE(st.error_code(), grpc::StatusCode::INTERNAL) << what;
    EXPECT_TRUE(codes.count(st.error_code())) << what;
    // A refusal quotes at most an excerpt of the input (common/text.h).
    EXPECT_LT(st.error_message().size(), 600u) << what.substr(0, 300);
    if (!field.empty()) {
      EXPECT_TRUE(absl::StrContains(st.error_message(), field)) << what << " should name " << field;
    } else {
      std::set<std::string> names;
      FieldNames(m.input_type(), 2, &names);
      bool named = false;
      for (const auto& n : names) named = named || absl::StrContains(st.error_message(), n);
      EXPECT_TRUE(named) << what << " names no field of " << m.input_type()->full_name();
    }
    auto after = digest.Take();
    ASSERT_TRUE(after.ok()) << after.status();
    EXPECT_TRUE(*after == *before) << what << " changed stored data: " << Diff(*before, *after);
    if (*after != *before) before = after;  // report each change once
  };

  for (const auto& [name, svc] : services) {
    const pb::ServiceDescriptor* sd = pb::DescriptorPool::generated_pool()->FindServiceByName(name);
    ASSERT_NE(sd, nullptr) << name;
    for (int i = 0; i < sd->method_count(); ++i) {
      const pb::MethodDescriptor& m = *sd->method(i);
      // (1) The empty request.
      check(m, svc, "empty", "", kAnyClientError, "");
      // (2) Targeted bad requests.
      const std::string key = m.full_name();
      EXPECT_GE(targeted[key], 1) << key << " has no targeted bad request in the table";
      for (const auto& c : cases) {
        if (c.method == key) check(m, svc, c.label, c.request, c.codes, c.field);
      }
    }
  }
  for (const auto& [method, n] : targeted) {
    EXPECT_NE(pb::DescriptorPool::generated_pool()->FindMethodByName(method), nullptr)
        << "table names an RPC that does not exist: " << method;
  }
  // The one read on a well-formed unknown ID that answers OK: GetShippingPerks is on
  // the order service's shipping path (O7), and a customer registered a moment ago may
  // not be projected by loyalty yet, so it answers "no perks" instead of failing the
  // shipment; it names why and changes nothing.
  {
    lv1::GetShippingPerksRequest req;
    req.set_customer_id(Unknown(customer_));
    req.set_order_id(Unknown(order_));
    lv1::GetShippingPerksResponse resp;
    auto ctx = Ctx();
    grpc::Status st = stack().loyalty().GetShippingPerks(ctx.get(), req, &resp);
    ++calls;
    std::cerr << "[bad-input] GetShippingPerks [not projected customer] -> " << st.error_code()
              << " \"" << st.error_message() << "\" reason \"" << resp.reason() << "\"" << std::endl;
    EXPECT_TRUE(st.ok()) << st.error_message();
    EXPECT_FALSE(resp.parcel_gift());
    EXPECT_TRUE(absl::StrContains(resp.reason(), "no account for " + req.customer_id()))
        << resp.reason();
    auto after = digest.Take();
    ASSERT_TRUE(after.ok()) << after.status();
    EXPECT_TRUE(*after == *before) << "GetShippingPerks changed stored data: "
                                   << Diff(*before, *after);
  }
  std::cerr << "[bad-input] " << calls << " calls" << std::endl;
  if (HasFailure()) std::cerr << stack().LogTails(2000);
}


// A request_id reused with a different request is refused as payment APIs do
// (FAILED_PRECONDITION naming request_id) and changes nothing; the same request
// again still gets the first answer.
TEST_F(BadInputTest, ReusedRequestIdIsRefused) {
  ov1::CreateCustomerRequest first;
  first.set_request_id("reuse-1");
  first.mutable_customer()->set_name("孙悟空");
  first.mutable_customer()->add_phones("13600136001");
  ov1::CreateCustomerResponse r1;
  grpc::Status st = RetryCall("CreateCustomer", [&] {
    auto ctx = Ctx();
    return stack().order().CreateCustomer(ctx.get(), first, &r1);
  });
  ASSERT_TRUE(st.ok()) << st.error_message();
  Digest digest(stack().redis().Address());
  std::map<std::string, std::string> before;
  absl::Status settled = Eventually("data settled (two equal digests 1 s apart)", [&] {
    auto a = digest.Take();
    absl::SleepFor(absl::Seconds(1));
    auto b = digest.Take();
    if (!a.ok() || !b.ok() || *a != *b) return false;
    before = *a;
    return true;
  });
  ASSERT_TRUE(settled.ok()) << settled;

  ov1::CreateCustomerRequest other = first;
  other.mutable_customer()->set_name("猪八戒");
  ov1::CreateCustomerResponse r2;
  auto ctx = Ctx();
  st = stack().order().CreateCustomer(ctx.get(), other, &r2);
  std::cerr << "[bad-input] CreateCustomer [reused request_id] -> " << st.error_code() << " \""
            << st.error_message() << "\"" << std::endl;
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_TRUE(absl::StartsWith(st.error_message(), "request_id: ")) << st.error_message();
  auto after = digest.Take();
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_TRUE(*after == before) << "changed stored data: " << Diff(before, *after);

  ov1::CreateCustomerResponse r3;
  auto ctx3 = Ctx();
  st = stack().order().CreateCustomer(ctx3.get(), first, &r3);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(r3.customer().customer_id(), r1.customer().customer_id());
  if (HasFailure()) std::cerr << stack().LogTails(2000);
}

// Protobuf wire bytes: a varint, and a length-delimited field `number` holding `bytes`.
std::string Varint(uint64_t v) {
  std::string out;
  do {
    uint8_t b = v & 0x7f;
    v >>= 7;
    out.push_back(static_cast<char>(v ? (b | 0x80) : b));
  } while (v);
  return out;
}
std::string Delimited(int number, const std::string& bytes) {
  return Varint((static_cast<uint64_t>(number) << 3) | 2) + Varint(bytes.size()) + bytes;
}

// A request of type `d` whose first string field (top level, else one message field
// down) holds invalid UTF-8; `field` gets that field's full name. "" when none.
std::string WithInvalidUtf8(const pb::Descriptor* d, int depth, std::string* field) {
  for (int i = 0; i < d->field_count(); ++i) {
    const pb::FieldDescriptor* f = d->field(i);
    if (f->type() == pb::FieldDescriptor::TYPE_STRING) {
      *field = f->full_name();
      return Delimited(f->number(), std::string("\xff\xfe", 2));
    }
  }
  for (int i = 0; depth > 0 && i < d->field_count(); ++i) {
    const pb::FieldDescriptor* f = d->field(i);
    if (f->type() != pb::FieldDescriptor::TYPE_MESSAGE) continue;
    std::string inner = WithInvalidUtf8(f->message_type(), depth - 1, field);
    if (!inner.empty()) return Delimited(f->number(), inner);
  }
  return "";
}

// gRPC parses a request before any handler runs; protobuf refuses invalid UTF-8 in a
// proto3 string. Every service answers INVALID_ARGUMENT naming the field and the rule
// (common/parse_failure_interceptor.h, registered by ServiceHost), never INTERNAL "",
// and malformed bytes name the request type; nothing is stored.
TEST_F(BadInputTest, InvalidUtf8IsInvalidArgumentNamingTheField) {
  Digest digest(stack().redis().Address());
  auto before = digest.Take();
  ASSERT_TRUE(before.ok()) << before.status();
  const std::map<std::string, Svc> services = {
      {"revisit.order.v1.OrderService", Svc::kOrder},
      {"revisit.complaint.v1.ComplaintService", Svc::kComplaint},
      {"revisit.loyalty.v1.LoyaltyService", Svc::kLoyalty},
      {"revisit.outreach.v1.OutreachService", Svc::kOutreach},
  };
  int calls = 0;
  for (const auto& [name, svc] : services) {
    const pb::ServiceDescriptor* sd = pb::DescriptorPool::generated_pool()->FindServiceByName(name);
    ASSERT_NE(sd, nullptr) << name;
    for (int i = 0; i < sd->method_count(); ++i) {
      const pb::MethodDescriptor& m = *sd->method(i);
      std::string field;
      const std::string request = WithInvalidUtf8(m.input_type(), 1, &field);
      if (!request.empty()) {
        grpc::Status st = GenericCall(stack().channel(svc), m, request);
        ++calls;
        std::cerr << "[bad-input] " << m.full_name() << " [invalid UTF-8] -> " << st.error_code()
                  << " \"" << st.error_message() << "\"" << std::endl;
        EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << m.full_name();
        EXPECT_EQ(st.error_message(), field + ": must be valid UTF-8") << m.full_name();
      }
      // A length that runs past the end: not protobuf at all.
      grpc::Status st = GenericCall(stack().channel(svc), m, std::string("\x0a\x05" "ab", 4));
      ++calls;
      EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << m.full_name();
      EXPECT_EQ(st.error_message(), absl::StrCat("request: not a valid ",
                                                 m.input_type()->full_name(), " (malformed protobuf)"))
          << m.full_name();
    }
  }
  EXPECT_GT(calls, 40) << "every RPC of the four services";
  auto after = digest.Take();
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_TRUE(*after == *before) << "changed stored data: " << Diff(*before, *after);
  if (HasFailure()) std::cerr << stack().LogTails(2000);
}

}  // namespace
}  // namespace revisit::e2e
