#include "services/loyalty/store/loyalty_store.h"

#include "absl/strings/str_cat.h"
#include "common/keys.h"
#include "common/log.h"
#include "common/outbox.h"
#include "common/timer_queue.h"
#include "services/loyalty/domain/account.h"
#include "services/loyalty/domain/ledger.h"

namespace revisit::loyalty {

std::string AccountKey(int s, const std::string& id) { return ShardKey(kService, s, "account:" + id); }
std::string LedgerKey(int s, const std::string& id) { return ShardKey(kService, s, "ledger:" + id); }
std::string VoucherKey(int s, const std::string& id) { return ShardKey(kService, s, "voucher:" + id); }
std::string VouchersOfKey(int s, const std::string& id) {
  return ShardKey(kService, s, "vouchers_of:" + id);
}
std::string SpendKey(int s) { return ShardKey(kService, s, "spend"); }
std::string ClassKey(int s) { return ShardKey(kService, s, "class"); }
std::string InboxKey(int s, const std::string& id) { return ShardKey(kService, s, "inbox:" + id); }
// L6: the award's and the reversal's one dedupe, in the referrer's shard.
std::string ReferralDedupeKey(const ReferralReward& reward) {
  return ShardKey(kService, ShardOf(reward.referrer_id),
                  (reward.reversal ? "referral_reversal:" : "referral:") + reward.referred_id);
}
std::string RequestKey(int s, const std::string& method, const std::string& request_id) {
  return ShardKey(kService, s, absl::StrCat("req:", method, ":", request_id));
}
std::string ReviewTimerId(const std::string& customer_id) { return "review:" + customer_id; }

absl::StatusOr<std::optional<Versioned<internal::Account>>> LoyaltyStore::FindAccount(
    const std::string& customer_id) {
  return ReadEntity<internal::Account>(redis_, AccountKey(ShardOf(customer_id), customer_id));
}

absl::StatusOr<bool> LoyaltyStore::AccountExists(const std::string& customer_id) {
  auto r = redis_.Command({"EXISTS", AccountKey(ShardOf(customer_id), customer_id)});
  if (!r.ok()) return r.status();
  return r->integer == 1;
}

absl::StatusOr<Versioned<internal::Account>> LoyaltyStore::LoadAccount(
    const std::string& customer_id) {
  auto found = FindAccount(customer_id);
  if (!found.ok()) return found.status();
  if (found->has_value()) return **found;
  Versioned<internal::Account> fresh;
  fresh.value = NewAccount(customer_id);
  return fresh;
}

void LoyaltyStore::AddAccountWrites(WriteBatch& batch, const internal::Account& account,
                                    int64_t read_version, const Effects& effects, absl::Time now,
                                    const LoyaltyRules& rules) const {
  AddChangeWrites(batch, account, effects, now);
  AddAccountPut(batch, account, read_version, read_version + 1, now, rules);
}

void LoyaltyStore::AddChangeWrites(WriteBatch& batch, const internal::Account& account,
                                   const Effects& effects, absl::Time now) const {
  const std::string& id = account.customer_id();
  const int shard = ShardOf(id);
  for (const auto& ev : effects.events) {  // numbered by the customer's counter
    batch.AppendEvent(OutboxStream(kService, shard),
                      MakeEvent(kService, ev.name, id, id, now, *ev.payload));
  }
  for (const auto& e : effects.entries) {
    // Post() made the ID; were it ever malformed, the entry is kept (sorted first), not lost.
    absl::StatusOr<int64_t> seq = LedgerSeqOf(e.entry_id());
    if (!seq.ok()) LogError("loyalty: ledger entry without a sequence", {{"entry_id", e.entry_id()}});
    batch.ZAdd(LedgerKey(shard, id), static_cast<double>(seq.value_or(0)), e.SerializeAsString());
  }
  for (const auto& v : effects.vouchers) {  // L4: issued once, terms never rewritten
    batch.ExpectVersion(VoucherKey(shard, v.voucher_id()), 0);
    batch.Put(VoucherKey(shard, v.voucher_id()), 1, v.SerializeAsString());
    batch.ZAdd(VouchersOfKey(shard, id), static_cast<double>(ToMs(now)), v.voucher_id());
  }
}

void LoyaltyStore::AddAccountPut(WriteBatch& batch, const internal::Account& account,
                                 int64_t read_version, int64_t new_version, absl::Time now,
                                 const LoyaltyRules& rules) const {
  const std::string& id = account.customer_id();
  const int shard = ShardOf(id);
  batch.ExpectVersion(AccountKey(shard, id), read_version);
  batch.Put(AccountKey(shard, id), new_version, account.SerializeAsString());
  batch.ZAdd(SpendKey(shard),
             static_cast<double>(account.spend_total_minor() - account.refunded_total_minor()), id);
  ScheduleTimer(batch, kService, shard, ReviewTimerId(id), NextReviewAt(account, now, rules), id);
}

absl::StatusOr<std::vector<v1::LedgerEntry>> LoyaltyStore::Ledger(const std::string& customer_id,
                                                                  int64_t before_seq, int limit) {
  std::string max = before_seq > 0 ? absl::StrCat("(", before_seq) : "+inf";
  auto reply = redis_.Command({"ZREVRANGEBYSCORE", LedgerKey(ShardOf(customer_id), customer_id),
                               max, "-inf", "LIMIT", "0", std::to_string(limit)});
  if (!reply.ok()) return reply.status();
  std::vector<v1::LedgerEntry> out;
  for (const auto& el : reply->elements) {
    v1::LedgerEntry e;
    if (!e.ParseFromString(el.str)) return absl::DataLossError("ledger entry does not parse");
    out.push_back(std::move(e));
  }
  return out;
}

absl::StatusOr<std::vector<v1::LedgerEntry>> LoyaltyStore::FullLedger(
    const std::string& customer_id) {
  auto all = Ledger(customer_id, 0, 1 << 30);
  if (!all.ok()) return all.status();
  std::reverse(all->begin(), all->end());
  return all;
}

absl::StatusOr<std::optional<Versioned<v1::Voucher>>> LoyaltyStore::FindVoucher(
    const std::string& voucher_id, int shard) {
  return ReadEntity<v1::Voucher>(redis_, VoucherKey(shard, voucher_id));
}

absl::StatusOr<std::vector<v1::Voucher>> LoyaltyStore::VouchersOf(const std::string& customer_id) {
  int shard = ShardOf(customer_id);
  auto ids = redis_.Command({"ZRANGE", VouchersOfKey(shard, customer_id), "0", "-1"});
  if (!ids.ok()) return ids.status();
  std::vector<std::string> keys;
  for (const auto& el : ids->elements) keys.push_back(VoucherKey(shard, el.str));
  auto read = ReadEntities<v1::Voucher>(redis_, keys);
  if (!read.ok()) return read.status();
  std::vector<v1::Voucher> out;
  for (auto& v : *read) out.push_back(std::move(v.value));
  return out;
}

absl::StatusOr<std::optional<internal::ClassRecord>> LoyaltyStore::ClassOf(
    const std::string& customer_id) {
  auto reply = redis_.Command({"HGET", ClassKey(ShardOf(customer_id)), customer_id});
  if (!reply.ok()) return reply.status();
  if (reply->is_nil()) return std::optional<internal::ClassRecord>();
  internal::ClassRecord r;
  if (!r.ParseFromString(reply->str)) return absl::DataLossError("class record does not parse");
  return std::optional<internal::ClassRecord>(std::move(r));
}

}  // namespace revisit::loyalty
