#include "services/outreach/edge/peers.h"

#include "absl/strings/str_cat.h"
#include "common/proto_time.h"
#include "services/outreach/domain/touch_ids.h"

namespace revisit::outreach {
namespace {

CallPolicy PolicyFrom(const OutreachConfig& config) {
  CallPolicy p;
  p.attempt_deadline = config.call_deadline;
  p.max_attempts = 3;
  return p;
}

absl::Status NotConfigured(const char* what, const char* var) {
  return absl::UnavailableError(absl::StrCat(what, " not configured (", var, " is empty)"));
}

}  // namespace

OrderContactSource::OrderContactSource(const OutreachConfig& config)
    : policy_(PolicyFrom(config)) {
  if (!config.order_address.empty())
    stub_ = order::v1::OrderService::NewStub(MakeChannel(config.order_address));
}

absl::StatusOr<Contact> OrderContactSource::Fetch(const std::string& customer_id,
                                                  Channel channel) {
  if (!stub_) return NotConfigured("order service", "REVISIT_ORDER_ADDR");
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

LoyaltyVoucherIssuer::LoyaltyVoucherIssuer(const OutreachConfig& config)
    : config_(config), policy_(PolicyFrom(config)) {
  if (!config.loyalty_address.empty())
    stub_ = loyalty::v1::LoyaltyService::NewStub(MakeChannel(config.loyalty_address));
}

absl::StatusOr<IssuedVoucher> LoyaltyVoucherIssuer::IssueWinBack(const v1::Touch& touch,
                                                                 absl::Time now) {
  if (!stub_) return NotConfigured("loyalty service", "REVISIT_LOYALTY_ADDR");
  loyalty::v1::IssueVoucherRequest req;
  req.set_request_id(touch.touch_id() + ":voucher");
  loyalty::v1::Voucher* v = req.mutable_voucher();
  v->set_customer_id(touch.customer_id());
  const bool birthday = touch.trigger() == v1::TRIGGER_BIRTHDAY;  // R3 gift
  v->set_kind(birthday ? loyalty::v1::VOUCHER_KIND_BIRTHDAY : loyalty::v1::VOUCHER_KIND_WIN_BACK);
  v->mutable_value()->set_amount_minor(birthday ? config_.birthday_voucher_minor
                                                : config_.win_back_voucher_minor);
  v->mutable_value()->set_currency(config_.win_back_currency);
  // The request must be identical on every retry: derive times from the due time.
  const absl::Time from = FromProto(touch.due_at());
  *v->mutable_valid_from() = ToProto(from);
  *v->mutable_valid_until() =
      ToProto(from + (birthday ? config_.birthday_validity : config_.win_back_validity));
  v->set_reason(birthday ? "R3 birthday gift" : "R7 win-back for a lapsed customer");
  v->set_source(touch.touch_id());
  loyalty::v1::IssueVoucherResponse resp;
  absl::Status st = CallWithRetry(policy_, "loyalty.IssueVoucher", [&](grpc::ClientContext* ctx) {
    return stub_->IssueVoucher(ctx, req, &resp);
  });
  if (!st.ok()) return st;
  (void)now;
  IssuedVoucher out;
  out.voucher_id = resp.voucher().voucher_id();
  out.description = absl::StrCat(
      FormatMoney(resp.voucher().value().amount_minor(), resp.voucher().value().currency()),
      " voucher ", out.voucher_id);
  return out;
}

GrpcComplaintOpener::GrpcComplaintOpener(const OutreachConfig& config)
    : policy_(PolicyFrom(config)) {
  if (!config.complaint_address.empty())
    stub_ = complaint::v1::ComplaintService::NewStub(MakeChannel(config.complaint_address));
}

absl::StatusOr<std::string> GrpcComplaintOpener::OpenFromRating(const v1::Touch& touch,
                                                                const v1::Feedback& feedback) {
  if (!stub_) return NotConfigured("complaint service", "REVISIT_COMPLAINT_ADDR");
  complaint::v1::OpenComplaintRequest req;
  req.set_request_id(touch.touch_id() + ":complaint");
  req.mutable_actor()->set_id("outreach");
  req.mutable_actor()->set_role("system");
  req.set_customer_id(touch.customer_id());
  // R11: any touch's low rating; the order when the touch is about one. An expectation
  // gap is a complaint the complaint service takes without an order.
  req.set_order_id(OrderIdOf(touch));
  req.set_stated_cause(complaint::v1::CAUSE_EXPECTATION_GAP);
  req.set_account(absl::StrCat("Rated ", feedback.rating(), "/5 in reply to \"", touch.message(),
                               "\"", feedback.comment().empty() ? "" : ": ",
                               feedback.comment()));
  req.set_channel(touch.channel());
  req.set_source_touch_id(touch.touch_id());
  complaint::v1::OpenComplaintResponse resp;
  absl::Status st = CallWithRetry(policy_, "complaint.OpenComplaint", [&](grpc::ClientContext* ctx) {
    return stub_->OpenComplaint(ctx, req, &resp);
  });
  if (!st.ok()) return st;
  return resp.complaint().complaint_id();
}

}  // namespace revisit::outreach
