#include "services/loyalty/store/reservation_txn.h"

#include "common/keys.h"
#include "common/redis_value.h"
#include "common/status.h"
#include "common/timer_queue.h"
#include "services/loyalty/domain/validation.h"

namespace revisit::loyalty {

std::string ReservationKey(int s, const std::string& id) {
  return ShardKey(kService, s, "reservation:" + id);
}
std::string HoldTimerId(const std::string& id) { return "hold:" + id; }

std::string ReservationOwnerKey(const std::string& id) {
  auto shard = ShardOfEntityId(id, "ord", "reservation_id");
  return ShardKey(kService, shard.ok() ? *shard : 0, "reservation_of:" + id);
}

absl::StatusOr<std::string> ReservationOwner(RedisClient& redis, const std::string& id,
                                             const std::string& field) {
  ASSIGN_OR_RETURN(RedisValue r, redis.Command({"GET", ReservationOwnerKey(id)}));
  if (r.is_nil()) return absl::NotFoundError(field + ": no reservation for order " + id);
  return r.str;
}

absl::Status RecordReservationOwner(RedisClient& redis, const std::string& id,
                                    const std::string& customer_id) {
  ASSIGN_OR_RETURN(RedisValue set, redis.Command({"SET", ReservationOwnerKey(id), customer_id, "NX"}));
  if (!set.is_nil()) return absl::OkStatus();
  ASSIGN_OR_RETURN(std::string owner, ReservationOwner(redis, id, "reservation_id"));
  if (owner != customer_id) {
    return absl::FailedPreconditionError("reservation_id: order " + id + " is another customer's");
  }
  return absl::OkStatus();
}

absl::Status ReservationTxn::LoadVouchers(const google::protobuf::RepeatedPtrField<std::string>& ids) {
  for (const auto& id : ids) {
    ASSIGN_OR_RETURN(auto v, store_->FindVoucher(id, shard_));
    slots_.push_back(v ? std::optional<v1::Voucher>(v->value) : std::nullopt);
    voucher_versions_.push_back(v ? v->version : 0);
  }
  return absl::OkStatus();
}

absl::StatusOr<ReservationTxn> ReservationTxn::Load(LoyaltyStore& store, const std::string& id,
                                                    const std::string& customer_id,
                                                    const std::string& field) {
  ReservationTxn t(store);
  t.shard_ = ShardOf(customer_id);
  ASSIGN_OR_RETURN(auto r, ReadEntity<v1::Reservation>(store.redis(), ReservationKey(t.shard_, id)));
  if (!r || r->value.customer_id() != customer_id) {
    return absl::NotFoundError(field + ": no reservation for order " + id + " of " + customer_id);
  }
  t.reservation_ = r->value;
  t.reservation_version_ = r->version;
  ASSIGN_OR_RETURN(auto account, store.FindAccount(t.reservation_.customer_id()));
  if (!account) return UnknownCustomer("customer_id", t.reservation_.customer_id());
  t.account_ = *account;
  RETURN_IF_ERROR(t.LoadVouchers(t.reservation_.voucher_ids()));
  return t;
}

absl::StatusOr<ReservationTxn> ReservationTxn::LoadForReserve(LoyaltyStore& store,
                                                              const v1::ReserveBenefitsRequest& req) {
  ReservationTxn t(store);
  t.shard_ = ShardOf(req.customer_id());
  ASSIGN_OR_RETURN(auto r, ReadEntity<v1::Reservation>(store.redis(),
                                                       ReservationKey(t.shard_, req.reservation_id())));
  if (r) {
    t.reservation_ = r->value;
    t.reservation_version_ = r->version;
    return t;
  }
  ASSIGN_OR_RETURN(auto account, store.FindAccount(req.customer_id()));
  if (!account) return UnknownCustomer("customer_id", req.customer_id());
  t.account_ = *account;
  RETURN_IF_ERROR(t.LoadVouchers(req.voucher_ids()));
  return t;
}

std::vector<v1::Voucher> ReservationTxn::vouchers() const {
  std::vector<v1::Voucher> out;
  for (const auto& s : slots_) {
    if (s) out.push_back(*s);
  }
  return out;
}

void ReservationTxn::set_vouchers(const std::vector<v1::Voucher>& vouchers) {
  size_t j = 0;
  for (auto& s : slots_) {
    if (s && j < vouchers.size()) s = vouchers[j++];
  }
}

void ReservationTxn::Stage(WriteBatch& batch, const Effects& effects, absl::Time now,
                           const LoyaltyRules& rules) const {
  const std::string key = ReservationKey(shard_, reservation_.reservation_id());
  batch.ExpectVersion(key, reservation_version_);
  batch.Put(key, reservation_version_ + 1, reservation_.SerializeAsString());
  for (size_t i = 0; i < slots_.size(); ++i) {
    if (!slots_[i]) continue;
    const std::string vkey = VoucherKey(shard_, slots_[i]->voucher_id());
    batch.ExpectVersion(vkey, voucher_versions_[i]);
    batch.Put(vkey, voucher_versions_[i] + 1, slots_[i]->SerializeAsString());
  }
  const std::string timer = HoldTimerId(reservation_.reservation_id());
  if (reservation_.state() == v1::RESERVATION_STATE_HELD) {
    ScheduleTimer(batch, kService, shard_, timer, FromProto(reservation_.hold_until()),
                  reservation_.customer_id());  // the payload names whose reservation
  } else {
    CancelTimer(batch, kService, shard_, timer);
  }
  store_->AddAccountWrites(batch, account_.value, account_.version, effects, now, rules);
}

}  // namespace revisit::loyalty
