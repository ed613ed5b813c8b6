// ReservationTxn: the Redis side of checkout benefits (reservations.h). Reads a
// reservation with its vouchers and the customer's account, and stages the outcome
// of a decision as one WriteBatch: the reservation, the changed vouchers and the
// account (ledger lines, outbox events) under version guards, and the "hold:<order>"
// timer (set at reserve, cancelled once confirmed or released).
//
// Keys (in the customer's shard NN = ShardOf(customer_id), with the account and vouchers):
//   loyalty:{loyalty:NN}:reservation:<order_id>   entity v1.Reservation
//   loyalty:{loyalty:MM}:reservation_of:<order_id> the customer ID (MM = the shard the
//                                                  order ID embeds): Confirm and Release
//                                                  name only the order
// Thread-safety: a value for one attempt of one request; not shared.
// Errors: Redis errors, DATA_LOSS for unparsable bytes, NOT_FOUND naming `field` for a
// reservation or account that does not exist.
#ifndef REVISIT_SERVICES_LOYALTY_STORE_RESERVATION_TXN_H_
#define REVISIT_SERVICES_LOYALTY_STORE_RESERVATION_TXN_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/entity.h"
#include "common/write_batch.h"
#include "services/loyalty/store/loyalty_store.h"
#include "services/loyalty/domain/reservations.h"

namespace revisit::loyalty {

std::string ReservationKey(int shard, const std::string& reservation_id);
std::string HoldTimerId(const std::string& reservation_id);
std::string ReservationOwnerKey(const std::string& reservation_id);

// The customer whose reservation `reservation_id` is; NOT_FOUND naming `field` if none.
absl::StatusOr<std::string> ReservationOwner(RedisClient& redis, const std::string& reservation_id,
                                             const std::string& field);
// Records the owner (before the reservation is committed; idempotent);
// FAILED_PRECONDITION if the order ID is recorded for another customer.
absl::Status RecordReservationOwner(RedisClient& redis, const std::string& reservation_id,
                                    const std::string& customer_id);

class ReservationTxn {
 public:
  // Reads the reservation `id` of `customer_id`, its vouchers and account.
  // NOT_FOUND "<field>: no reservation ..." when absent (or not the customer's).
  static absl::StatusOr<ReservationTxn> Load(LoyaltyStore& store, const std::string& id,
                                             const std::string& customer_id,
                                             const std::string& field);
  // Reads what a new reservation needs: the account (NOT_FOUND when unknown) and the
  // named vouchers (a slot is empty for an unknown voucher); the reservation, when one
  // exists already, as found().
  static absl::StatusOr<ReservationTxn> LoadForReserve(LoyaltyStore& store,
                                                       const v1::ReserveBenefitsRequest& req);

  bool found() const { return reservation_version_ > 0; }
  v1::Reservation& reservation() { return reservation_; }
  std::vector<v1::Voucher> vouchers() const;
  VoucherSlots& slots() { return slots_; }
  void set_vouchers(const std::vector<v1::Voucher>& vouchers);
  internal::Account& account() { return account_.value; }

  // Stages everything changed by a decision with `effects` into `batch`.
  void Stage(WriteBatch& batch, const Effects& effects, absl::Time now,
             const LoyaltyRules& rules) const;

 private:
  explicit ReservationTxn(LoyaltyStore& store) : store_(&store) {}
  absl::Status LoadVouchers(const google::protobuf::RepeatedPtrField<std::string>& ids);

  LoyaltyStore* store_;
  int shard_ = 0;
  v1::Reservation reservation_;
  int64_t reservation_version_ = 0;
  VoucherSlots slots_;
  std::vector<int64_t> voucher_versions_;
  Versioned<internal::Account> account_;
};

}  // namespace revisit::loyalty

#endif  // REVISIT_SERVICES_LOYALTY_STORE_RESERVATION_TXN_H_
