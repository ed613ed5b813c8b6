// Redis layout, reads and the account commit of the loyalty service.
//
// Keys (NN = the customer's shard, common/keys.h; voucher IDs embed it):
//   loyalty:{loyalty:NN}:account:<customer_id>      entity internal.Account
//   loyalty:{loyalty:NN}:ledger:<customer_id>       zset: serialized LedgerEntry by seq
//   loyalty:{loyalty:NN}:voucher:<voucher_id>       entity v1.Voucher
//   loyalty:{loyalty:NN}:vouchers_of:<customer_id>  zset: voucher_id by issue ms
//   loyalty:{loyalty:NN}:spend                      zset: customer_id by net lifetime spend (L1)
//   loyalty:{loyalty:NN}:class                      hash: customer_id -> internal.ClassRecord
//   loyalty:{loyalty:NN}:inbox:<ce_id>              consumed event (exactly-once effect)
//   loyalty:{loyalty:NN}:referral:<referred_id>     referral reward given (L6), referrer's shard
//   loyalty:{loyalty:NN}:referral_reversal:<referred_id>  that reward taken back (L6), same shard
//   loyalty:{loyalty:NN}:req:<method>:<request_id>  first response (idempotency)
//   loyalty:{loyalty:NN}:outbox / outbox:seq / timers / timer_data
//                                                   (common/outbox.h, timer_queue.h)
// Timers: "review:<customer_id>" (periodic re-evaluation, pending release, expiry,
// downgrade, churn) in the customer's shard; "reclassify" in shard 0.
//
// CommitAccount is the one way an account changes: it writes the account, its new
// ledger lines, the spend index, the outbox events (ce_subject = the customer, numbered
// by its one counter, which class_changed and voucher_redeemed share) and re-schedules the review timer, with a version guard and an optional
// Dedupe key, in one WriteBatch.
// Thread-safety: thread-safe (stateless over a thread-safe RedisClient).
// Errors: Redis errors; DATA_LOSS for unparsable stored bytes; ABORTED on a
// concurrent change (callers retry with MutateWithRetry).
#ifndef REVISIT_SERVICES_LOYALTY_STORE_LOYALTY_STORE_H_
#define REVISIT_SERVICES_LOYALTY_STORE_LOYALTY_STORE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/entity.h"
#include "common/redis_client.h"
#include "common/write_batch.h"
#include "services/loyalty/domain/effects.h"
#include "services/loyalty/domain/loyalty_rules.h"
#include "services/loyalty/loyalty_state.pb.h"

namespace revisit::loyalty {

inline constexpr char kService[] = "loyalty";

std::string AccountKey(int shard, const std::string& customer_id);
std::string LedgerKey(int shard, const std::string& customer_id);
std::string VoucherKey(int shard, const std::string& voucher_id);
std::string VouchersOfKey(int shard, const std::string& customer_id);
std::string SpendKey(int shard);
std::string ClassKey(int shard);
std::string InboxKey(int shard, const std::string& event_id);
// L6: the one dedupe of a referral reward or of its reversal, in the referrer's shard:
// referral:<referred_id> for the award, referral_reversal:<referred_id> for the
// reversal, committed with the referrer's ledger entry in one WriteBatch, so a second
// request for the same referred customer (redelivery, a second full refund, a
// cancellation after the refund) applies nothing.
std::string ReferralDedupeKey(const ReferralReward& reward);
std::string RequestKey(int shard, const std::string& method, const std::string& request_id);
std::string ReviewTimerId(const std::string& customer_id);
inline constexpr char kReclassifyTimer[] = "reclassify";

class LoyaltyStore {
 public:
  explicit LoyaltyStore(RedisClient& redis) : redis_(redis) {}

  // The account, or a fresh one at version 0 when none exists.
  absl::StatusOr<Versioned<internal::Account>> LoadAccount(const std::string& customer_id);
  // True when the customer has an account (loyalty has applied one of its events).
  absl::StatusOr<bool> AccountExists(const std::string& customer_id);
  // The account, or nullopt.
  absl::StatusOr<std::optional<Versioned<internal::Account>>> FindAccount(
      const std::string& customer_id);

  // Adds the account change to `batch` (see the file comment). `read_version` is the
  // version LoadAccount returned.
  void AddAccountWrites(WriteBatch& batch, const internal::Account& account, int64_t read_version,
                        const Effects& effects, absl::Time now, const LoyaltyRules& rules) const;

  // The two halves of AddAccountWrites, so that several consecutive changes of one
  // account (a batched chain) commit as one WriteBatch:
  // one change's outbox events (numbered at commit by the customer's sequence counter),
  // ledger lines and vouchers issued by a rule (ExpectVersion 0: a voucher is written
  // once), ...
  void AddChangeWrites(WriteBatch& batch, const internal::Account& account,
                       const Effects& effects, absl::Time now) const;
  // ... then the account itself, guarded by `read_version` and written at
  // `new_version`, the spend index and the review timer.
  void AddAccountPut(WriteBatch& batch, const internal::Account& account, int64_t read_version,
                     int64_t new_version, absl::Time now, const LoyaltyRules& rules) const;

  // Ledger entries newest first with seq < before_seq (0 = from the newest).
  absl::StatusOr<std::vector<v1::LedgerEntry>> Ledger(const std::string& customer_id,
                                                      int64_t before_seq, int limit);
  // Every ledger entry, for invariant checks.
  absl::StatusOr<std::vector<v1::LedgerEntry>> FullLedger(const std::string& customer_id);

  absl::StatusOr<std::optional<Versioned<v1::Voucher>>> FindVoucher(const std::string& voucher_id,
                                                                     int shard);
  absl::StatusOr<std::vector<v1::Voucher>> VouchersOf(const std::string& customer_id);
  absl::StatusOr<std::optional<internal::ClassRecord>> ClassOf(const std::string& customer_id);

  RedisClient& redis() { return redis_; }

 private:
  RedisClient& redis_;
};

}  // namespace revisit::loyalty

#endif  // REVISIT_SERVICES_LOYALTY_STORE_LOYALTY_STORE_H_
