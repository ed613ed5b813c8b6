#include "services/outreach/edge/loyalty_voucher_issuer.h"

#include "absl/strings/str_cat.h"
#include "common/proto_time.h"
#include "services/outreach/domain/touch_ids.h"

namespace revisit::outreach {

LoyaltyVoucherIssuer::LoyaltyVoucherIssuer(const OutreachConfig& config)
    : config_(config), policy_(PeerCallPolicy(config)) {
  if (!config.loyalty_address.empty())
    stub_ = loyalty::v1::LoyaltyService::NewStub(MakeChannel(config.loyalty_address));
}

absl::StatusOr<IssuedVoucher> LoyaltyVoucherIssuer::IssueWinBack(const v1::Touch& touch,
                                                                 absl::Time now) {
  if (!stub_) return PeerNotConfigured("loyalty service", "REVISIT_LOYALTY_ADDR");
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

}  // namespace revisit::outreach
