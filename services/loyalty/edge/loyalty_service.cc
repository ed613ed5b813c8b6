#include "services/loyalty/edge/loyalty_service.h"

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/idempotent.h"
#include "common/keys.h"
#include "common/outbox.h"
#include "common/status.h"
#include "services/loyalty/domain/account.h"
#include "services/loyalty/domain/ledger.h"
#include "services/loyalty/domain/validation.h"
#include "services/loyalty/domain/vouchers.h"

namespace revisit::loyalty {

namespace {

template <typename Resp>
absl::Status PointsChange(LoyaltyEngine& engine, const std::string& method,
                          const google::protobuf::Message& request, const std::string& request_id, const std::string& customer_id,
                          const std::function<absl::Status(internal::Account&, Effects&)>& change,
                          Resp* resp) {
  const int shard = ShardOf(customer_id);
  return RunIdempotent<Resp>(
      engine.store().redis(), RequestKey(shard, method, request_id),
      engine.config().idempotency_ttl, request, resp,
      [&](WriteBatch& batch, Resp* r) -> absl::Status {
        ASSIGN_OR_RETURN(auto found, engine.store().FindAccount(customer_id));
        if (!found) return UnknownCustomer("customer_id", customer_id);
        Effects effects;
        RETURN_IF_ERROR(change(found->value, effects));
        engine.store().AddAccountWrites(batch, found->value, found->version, effects,
                                        engine.clock().Now(), engine.rules());
        *r->mutable_entry() = effects.entries.back();
        r->set_points_available(found->value.points_available());
        return absl::OkStatus();
      });
}

}  // namespace

grpc::Status LoyaltyServiceImpl::GetProfile(grpc::ServerContextBase*, const v1::GetProfileRequest* req,
                                            v1::GetProfileResponse* resp) {
  return ToGrpcStatus(DoGetProfile(*req, resp));
}

absl::Status LoyaltyServiceImpl::DoGetProfile(const v1::GetProfileRequest& req,
                                              v1::GetProfileResponse* resp) {
  RETURN_IF_ERROR(ValidateId("customer_id", req.customer_id()));
  ASSIGN_OR_RETURN(auto found, engine_.store().FindAccount(req.customer_id()));
  if (!found) return UnknownCustomer("customer_id", req.customer_id());
  const absl::Time now = engine_.clock().Now();
  v1::Profile* p = resp->mutable_profile();
  *p = BuildProfile(found->value, now, engine_.rules());
  ASSIGN_OR_RETURN(auto cls, engine_.store().ClassOf(req.customer_id()));
  if (cls) {
    p->set_value_class(cls->value_class());
    p->set_class_reason(cls->reason());
  } else {
    p->set_class_reason("not classified yet: classes are recomputed periodically (L1)");
  }
  ASSIGN_OR_RETURN(auto vouchers, engine_.store().VouchersOf(req.customer_id()));
  for (auto& v : vouchers) {
    v.set_state(EffectiveState(v, now));
    *p->add_vouchers() = std::move(v);
  }
  return absl::OkStatus();
}

grpc::Status LoyaltyServiceImpl::ListLedger(grpc::ServerContextBase*, const v1::ListLedgerRequest* req,
                                            v1::ListLedgerResponse* resp) {
  return ToGrpcStatus(DoListLedger(*req, resp));
}

absl::Status LoyaltyServiceImpl::DoListLedger(const v1::ListLedgerRequest& req,
                                              v1::ListLedgerResponse* resp) {
  RETURN_IF_ERROR(ValidateId("customer_id", req.customer_id()));
  ASSIGN_OR_RETURN(LedgerPage page, ParseLedgerPage(req.page()));
  const int size = page.size;
  ASSIGN_OR_RETURN(bool known, engine_.store().AccountExists(req.customer_id()));
  if (!known) return UnknownCustomer("customer_id", req.customer_id());
  ASSIGN_OR_RETURN(auto entries,
                   engine_.store().Ledger(req.customer_id(), page.before_seq, size + 1));
  for (int i = 0; i < static_cast<int>(entries.size()) && i < size; ++i) {
    *resp->add_entries() = entries[i];
  }
  if (static_cast<int>(entries.size()) > size) {
    ASSIGN_OR_RETURN(int64_t last_seq, LedgerSeqOf(entries[size - 1].entry_id()));
    resp->mutable_page()->set_next_page_token(std::to_string(last_seq));
  }
  return absl::OkStatus();
}

grpc::Status LoyaltyServiceImpl::RedeemPoints(grpc::ServerContextBase*,
                                              const v1::RedeemPointsRequest* req,
                                              v1::RedeemPointsResponse* resp) {
  auto run = [&]() -> absl::Status {
    RETURN_IF_ERROR(ValidateRequestId(req->request_id()));
    RETURN_IF_ERROR(ValidateId("customer_id", req->customer_id()));
    if (req->points() < 1) return absl::InvalidArgumentError("points: must be at least 1");
    RETURN_IF_ERROR(ValidateText("reason", req->reason(), 0, 500));
    return PointsChange<v1::RedeemPointsResponse>(
        engine_, "RedeemPoints", *req, req->request_id(), req->customer_id(),
        [&](internal::Account& a, Effects& fx) {
          return Redeem(a, req->points(), req->reason(), "request:" + req->request_id(),
                        engine_.clock().Now(), fx);
        },
        resp);
  };
  return ToGrpcStatus(run());
}

grpc::Status LoyaltyServiceImpl::AwardPoints(grpc::ServerContextBase*,
                                             const v1::AwardPointsRequest* req,
                                             v1::AwardPointsResponse* resp) {
  auto run = [&]() -> absl::Status {
    RETURN_IF_ERROR(ValidateRequestId(req->request_id()));
    RETURN_IF_ERROR(ValidateId("customer_id", req->customer_id()));
    if (req->points() < 1 || req->points() > 1000000) {
      return absl::InvalidArgumentError("points: must be 1..1,000,000");
    }
    if (req->reason().empty()) return absl::InvalidArgumentError("reason: required");
    RETURN_IF_ERROR(ValidateText("reason", req->reason(), 0, 500));
    RETURN_IF_ERROR(ValidateText("source", req->source(), 0, 128));
    return PointsChange<v1::AwardPointsResponse>(
        engine_, "AwardPoints", *req, req->request_id(), req->customer_id(),
        [&](internal::Account& a, Effects& fx) {
          Award(a, req->points(), req->reason(),
                req->source().empty() ? "request:" + req->request_id() : req->source(),
                engine_.clock().Now(), fx);
          return absl::OkStatus();
        },
        resp);
  };
  return ToGrpcStatus(run());
}

grpc::Status LoyaltyServiceImpl::IssueVoucher(grpc::ServerContextBase*,
                                              const v1::IssueVoucherRequest* req,
                                              v1::IssueVoucherResponse* resp) {
  return ToGrpcStatus(DoIssueVoucher(*req, resp));
}

absl::Status LoyaltyServiceImpl::DoIssueVoucher(const v1::IssueVoucherRequest& req,
                                                v1::IssueVoucherResponse* resp) {
  RETURN_IF_ERROR(ValidateRequestId(req.request_id()));
  const v1::Voucher& asked = req.voucher();
  RETURN_IF_ERROR(ValidateId("voucher.customer_id", asked.customer_id()));
  const std::string& customer = asked.customer_id();
  const int shard = ShardOf(customer);
  if (!asked.voucher_id().empty()) {
    auto id_shard = ShardOfEntityId(asked.voucher_id(), "vch", "voucher.voucher_id");
    if (!id_shard.ok()) {
      return absl::InvalidArgumentError(
          "voucher.voucher_id: unset, or a voucher ID of this service (vch-<shard>-<16 hex>)");
    }
    if (*id_shard != shard) {
      return absl::InvalidArgumentError("voucher.voucher_id: does not belong to voucher.customer_id");
    }
  }
  const absl::Time now = engine_.clock().Now();
  v1::Voucher prepared = asked;
  RETURN_IF_ERROR(PrepareVoucher(prepared, now, engine_.rules()));
  return RunIdempotent<v1::IssueVoucherResponse>(
      engine_.store().redis(), RequestKey(shard, "IssueVoucher", req.request_id()),
      engine_.config().idempotency_ttl, req, resp,
      [&](WriteBatch& batch, v1::IssueVoucherResponse* r) -> absl::Status {
        v1::Voucher v = prepared;
        if (v.voucher_id().empty()) v.set_voucher_id(NewEntityId("vch", shard));
        ASSIGN_OR_RETURN(auto existing, engine_.store().FindVoucher(v.voucher_id(), shard));
        if (existing) {
          if (!SameTerms(asked, existing->value)) {
            return absl::FailedPreconditionError(absl::StrCat(
                "voucher ", v.voucher_id(), " was already issued with other terms; a voucher's "
                "terms never change once issued (L4)"));
          }
          *r->mutable_voucher() = existing->value;
          return absl::OkStatus();
        }
        ASSIGN_OR_RETURN(auto found, engine_.store().FindAccount(customer));
        if (!found) return UnknownCustomer("voucher.customer_id", customer);
        Versioned<internal::Account>& account = *found;
        Effects effects;
        if (v.kind() == v1::VOUCHER_KIND_FREE_SHIPPING_PASS) {
          if (!v.has_valid_until()) {
            account.value.set_free_shipping_lifetime(true);
          } else {
            account.value.set_free_shipping_until_ms(
                std::max(account.value.free_shipping_until_ms(), ToMs(FromProto(v.valid_until()))));
          }
        }
        v1::VoucherIssued ev;
        *ev.mutable_voucher() = v;
        effects.Emit("voucher_issued", std::move(ev));
        batch.ExpectVersion(VoucherKey(shard, v.voucher_id()), 0);
        batch.Put(VoucherKey(shard, v.voucher_id()), 1, v.SerializeAsString());
        batch.ZAdd(VouchersOfKey(shard, customer), static_cast<double>(ToMs(now)), v.voucher_id());
        engine_.store().AddAccountWrites(batch, account.value, account.version, effects, now,
                                         engine_.rules());
        *r->mutable_voucher() = v;
        return absl::OkStatus();
      });
}

grpc::Status LoyaltyServiceImpl::RedeemVoucher(grpc::ServerContextBase*,
                                               const v1::RedeemVoucherRequest* req,
                                               v1::RedeemVoucherResponse* resp) {
  return ToGrpcStatus(DoRedeemVoucher(*req, resp));
}

absl::Status LoyaltyServiceImpl::DoRedeemVoucher(const v1::RedeemVoucherRequest&,
                                                 v1::RedeemVoucherResponse*) {
  // L4: retired (deprecated in the proto). It took a caller-supplied order amount and
  // reduced no price; vouchers are spent at checkout, where the discount is priced
  // into the order (services/order/domain/pricing.h) and the voucher is held, then
  // redeemed on payment (ReserveBenefits/ConfirmReservation) or given back.
  return absl::FailedPreconditionError(
      "voucher_id: RedeemVoucher is retired (L4): spend a voucher at checkout with "
      "OrderService.CreateOrder voucher_ids, which prices the discount into the order "
      "and redeems it when the order is paid");
}

grpc::Status LoyaltyServiceImpl::ListVouchers(grpc::ServerContextBase*,
                                              const v1::ListVouchersRequest* req,
                                              v1::ListVouchersResponse* resp) {
  auto run = [&]() -> absl::Status {
    RETURN_IF_ERROR(ValidateId("customer_id", req->customer_id()));
    ASSIGN_OR_RETURN(bool known, engine_.store().AccountExists(req->customer_id()));
    if (!known) return UnknownCustomer("customer_id", req->customer_id());
    ASSIGN_OR_RETURN(auto vouchers, engine_.store().VouchersOf(req->customer_id()));
    const absl::Time now = engine_.clock().Now();
    for (auto& v : vouchers) {
      v.set_state(EffectiveState(v, now));
      *resp->add_vouchers() = std::move(v);
    }
    return absl::OkStatus();
  };
  return ToGrpcStatus(run());
}

grpc::Status LoyaltyServiceImpl::Reclassify(grpc::ServerContextBase*, const v1::ReclassifyRequest* req,
                                            v1::ReclassifyResponse* resp) {
  return ToGrpcStatus(DoReclassify(*req, resp));
}

absl::Status LoyaltyServiceImpl::DoReclassify(const v1::ReclassifyRequest& req,
                                              v1::ReclassifyResponse* resp) {
  RETURN_IF_ERROR(ValidateRequestId(req.request_id()));
  return RunIdempotentOnce<v1::ReclassifyResponse>(
      engine_.store().redis(), RequestKey(0, "Reclassify", req.request_id()),
      engine_.config().idempotency_ttl, req, resp, [&](v1::ReclassifyResponse* r) -> absl::Status {
        ASSIGN_OR_RETURN(*r, engine_.Reclassify());
        return absl::OkStatus();
      });
}

grpc::Status LoyaltyServiceImpl::GetShippingPerks(grpc::ServerContextBase*,
                                                  const v1::GetShippingPerksRequest* req,
                                                  v1::GetShippingPerksResponse* resp) {
  auto run = [&]() -> absl::Status {
    RETURN_IF_ERROR(ValidateId("customer_id", req->customer_id()));
    RETURN_IF_ERROR(ValidateOrderId("order_id", req->order_id(), req->customer_id()));
    ASSIGN_OR_RETURN(auto found, engine_.store().FindAccount(req->customer_id()));
    const absl::Time now = engine_.clock().Now();
    // Eventual consistency: a customer registered a moment ago may not be projected
    // yet. The shipment goes ahead as a first order (no gift) rather than fail (O7).
    *resp = found ? DecidePerks(found->value, now) : PerksWithoutAccount(req->customer_id(), now);
    return absl::OkStatus();
  };
  return ToGrpcStatus(run());
}

grpc::Status LoyaltyServiceImpl::ListTopCustomers(grpc::ServerContextBase*,
                                                  const v1::ListTopCustomersRequest* req,
                                                  v1::ListTopCustomersResponse* resp) {
  return ToGrpcStatus(DoListTop(*req, resp));
}

absl::Status LoyaltyServiceImpl::DoListTop(const v1::ListTopCustomersRequest& req,
                                           v1::ListTopCustomersResponse* resp) {
  int limit = req.limit() == 0 ? 20 : req.limit();
  if (limit < 1 || limit > 1000) return absl::InvalidArgumentError("limit: 1..1000 (0 = 20)");
  if (!v1::ValueClass_IsValid(req.value_class())) {
    return absl::InvalidArgumentError("value_class: unknown value");
  }
  RedisClient& redis = engine_.store().redis();
  struct Candidate { std::string id; int64_t spend; v1::ValueClass cls; };
  std::vector<Candidate> all;
  constexpr int kPage = 500;
  for (int s = 0; s < kShards; ++s) {
    int taken = 0;
    for (int offset = 0; taken < limit; offset += kPage) {
      ASSIGN_OR_RETURN(auto page, redis.Command({"ZREVRANGE", SpendKey(s), std::to_string(offset),
                                                 std::to_string(offset + kPage - 1), "WITHSCORES"}));
      if (page.elements.empty()) break;
      std::vector<std::string> hmget = {"HMGET", ClassKey(s)};
      for (size_t i = 0; i < page.elements.size(); i += 2) hmget.push_back(page.elements[i].str);
      ASSIGN_OR_RETURN(auto classes, redis.Command(hmget));
      for (size_t i = 0; i + 1 < page.elements.size() && taken < limit; i += 2) {
        internal::ClassRecord rec;
        const auto& c = classes.elements[i / 2];
        if (!c.is_nil()) rec.ParseFromString(c.str);
        if (req.value_class() != v1::VALUE_CLASS_UNSPECIFIED && rec.value_class() != req.value_class()) {
          continue;
        }
        double score = 0;
        absl::SimpleAtod(page.elements[i + 1].str, &score);
        all.push_back({page.elements[i].str, static_cast<int64_t>(score), rec.value_class()});
        ++taken;
      }
      if (static_cast<int>(page.elements.size()) < 2 * kPage) break;
    }
  }
  std::sort(all.begin(), all.end(), [](const Candidate& a, const Candidate& b) {
    return a.spend != b.spend ? a.spend > b.spend : a.id < b.id;
  });
  if (static_cast<int>(all.size()) > limit) all.resize(limit);
  std::vector<std::string> keys;
  for (const auto& c : all) keys.push_back(AccountKey(ShardOf(c.id), c.id));
  std::vector<std::vector<std::string>> cmds;
  for (const auto& k : keys) cmds.push_back({"HGET", k, "d"});
  ASSIGN_OR_RETURN(auto accounts, redis.Pipeline(cmds));
  for (size_t i = 0; i < all.size(); ++i) {
    v1::TopCustomer* t = resp->add_customers();
    t->set_customer_id(all[i].id);
    t->mutable_spend_total()->set_amount_minor(all[i].spend);
    t->mutable_spend_total()->set_currency(engine_.rules().currency);
    t->set_value_class(all[i].cls);
    internal::Account a;
    if (accounts[i].ok() && !accounts[i]->is_nil()) a.ParseFromString(accounts[i]->str);
    t->set_tier(a.tier() == v1::TIER_UNSPECIFIED ? v1::TIER_REGULAR : a.tier());
  }
  return absl::OkStatus();
}

grpc::Status LoyaltyServiceImpl::ReserveBenefits(grpc::ServerContextBase*,
                                                 const v1::ReserveBenefitsRequest* req,
                                                 v1::ReserveBenefitsResponse* resp) {
  return ToGrpcStatus(checkout_.Reserve(*req, resp));
}

grpc::Status LoyaltyServiceImpl::ConfirmReservation(grpc::ServerContextBase*,
                                                    const v1::ConfirmReservationRequest* req,
                                                    v1::ConfirmReservationResponse* resp) {
  return ToGrpcStatus(checkout_.Confirm(*req, resp));
}

grpc::Status LoyaltyServiceImpl::ReleaseReservation(grpc::ServerContextBase*,
                                                    const v1::ReleaseReservationRequest* req,
                                                    v1::ReleaseReservationResponse* resp) {
  return ToGrpcStatus(checkout_.Release(*req, resp));
}

}  // namespace revisit::loyalty
