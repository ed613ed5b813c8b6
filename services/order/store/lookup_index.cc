// O2 finding customers: the hashed lookup indexes (see lookup_index.h).
#include "services/order/store/lookup_index.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <set>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/keys.h"
#include "services/order/store/order_store.h"

namespace revisit::order {

LookupIndex::LookupIndex(RedisClient& redis, std::string secret)
    : redis_(redis), secret_(std::move(secret)) {}

std::string LookupIndex::Digest(const LookupTerm& term) const {
  std::string text = absl::StrCat(LookupKindName(term.first), ":", term.second);
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  const auto* data = reinterpret_cast<const unsigned char*>(text.data());
  if (secret_.empty()) {
    SHA256(data, text.size(), out);
    len = SHA256_DIGEST_LENGTH;
  } else {
    HMAC(EVP_sha256(), secret_.data(), static_cast<int>(secret_.size()), data, text.size(), out, &len);
  }
  return absl::BytesToHexString(absl::string_view(reinterpret_cast<const char*>(out), len));
}

std::string LookupIndex::Key(int shard, const LookupTerm& term) const {
  return ShardKey(kService, shard, absl::StrCat("find:", LookupKindName(term.first), ":", Digest(term)));
}

void LookupIndex::StageCustomer(WriteBatch& batch, int shard, const v1::Customer* before,
                                const v1::Customer& after) const {
  const std::set<LookupTerm> now = CustomerTerms(after);
  TermChanges changes = DiffTerms(before == nullptr ? std::set<LookupTerm>{} : CustomerTerms(*before), now);
  for (const LookupTerm& t : changes.remove) batch.SRem(Key(shard, t), after.customer_id());
  // Every current term, not only the new ones: a set keeps one member, and an entry
  // never written (a customer registered before the index existed) comes with the
  // next update.
  for (const LookupTerm& t : now) batch.SAdd(Key(shard, t), after.customer_id());
}

void LookupIndex::StageOrder(WriteBatch& batch, int shard, const v1::Order& order) const {
  if (!order.has_shipment()) return;
  auto term = NormalizeTracking("tracking_number", order.shipment().tracking_number());
  if (!term.ok()) return;
  batch.SAdd(Key(shard, {LookupKind::kTracking, *term}), order.order_id());
}

absl::StatusOr<std::vector<std::string>> LookupIndex::Find(const LookupTerm& term) const {
  std::vector<std::vector<std::string>> commands;
  for (int shard = 0; shard < kShards; ++shard) commands.push_back({"SMEMBERS", Key(shard, term)});
  auto replies = redis_.Pipeline(commands);
  if (!replies.ok()) return replies.status();
  std::set<std::string> ids;
  for (const auto& reply : *replies) {
    if (!reply.ok()) return reply.status();
    for (const auto& member : reply->elements) ids.insert(member.str);
  }
  return std::vector<std::string>(ids.begin(), ids.end());
}

}  // namespace revisit::order
