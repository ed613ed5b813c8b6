#include "services/outreach/edge/dispatcher.h"

#include <map>
#include <mutex>

#include "absl/strings/str_replace.h"
#include "common/keys.h"
#include "common/log.h"
#include "common/status.h"
#include "common/proto_time.h"
#include "services/outreach/domain/touch_due.h"
#include "services/outreach/domain/touch_ids.h"

namespace revisit::outreach {
absl::TimeZone ZoneOrDefault(const std::string& name, const absl::TimeZone& fallback) {
  if (name.empty()) return fallback;
  static std::mutex mu;
  static auto* cache = new std::map<std::string, std::optional<absl::TimeZone>>();
  std::lock_guard<std::mutex> lock(mu);
  auto it = cache->find(name);
  if (it == cache->end()) {
    absl::TimeZone tz;
    std::optional<absl::TimeZone> loaded;
    if (absl::LoadTimeZone(name, &tz)) loaded = tz;
    it = cache->emplace(name, loaded).first;
  }
  return it->second ? *it->second : fallback;
}

Dispatcher::Dispatcher(const OutreachConfig& config, OutreachStore& store, const Clock& clock,
                       ChannelAdapter& adapter, ContactSource& contacts, VoucherIssuer& vouchers)
    : config_(config),
      store_(store),
      clock_(clock),
      adapter_(adapter),
      contacts_(contacts),
      vouchers_(vouchers) {}

CustomerView Dispatcher::ViewOf(const store::CustomerState& c) const {
  CustomerView v;
  v.tz = ZoneOrDefault(c.time_zone(), config_.default_time_zone);
  for (const auto& cc : c.consents()) v.consent[cc.channel()] = cc.granted();
  v.open_complaints.assign(c.open_complaints().begin(), c.open_complaints().end());
  for (int64_t ms : c.capped_sent_ms()) v.non_transactional_sent.push_back(absl::FromUnixMillis(ms));
  return v;
}

absl::Status Dispatcher::Handle(const DueTimer& timer) { return HandleBatch({timer}).front(); }

std::vector<absl::Status> Dispatcher::HandleBatch(const std::vector<DueTimer>& timers) {
  std::vector<absl::Status> out(timers.size());
  std::vector<size_t> slots(timers.size());
  for (size_t i = 0; i < slots.size(); ++i) slots[i] = i;
  constexpr int kAttempts = 8;  // as MutateWithRetry
  for (int attempt = 0; attempt < kAttempts && !slots.empty(); ++attempt) {
    std::vector<size_t> retry;
    Pass(timers, slots, out, retry);
    slots = std::move(retry);
  }
  for (size_t slot : slots)
    out[slot] = absl::AbortedError("touch " + timers[slot].id + ": changed concurrently, retried");
  return out;
}

void Dispatcher::Pass(const std::vector<DueTimer>& timers, const std::vector<size_t>& slots,
                      std::vector<absl::Status>& out, std::vector<size_t>& retry) {
  auto groups = GroupByCustomer(timers, slots, out);
  std::vector<OutreachStore::TouchesOfCustomer> reads;
  if (groups.ok())
    for (const Group& g : *groups) reads.push_back({g.customer_id, g.touch_ids});
  auto read = groups.ok() ? store_.GetCustomersWithTouches(reads)
                          : absl::StatusOr<std::vector<OutreachStore::CustomerAndTouches>>(
                                groups.status());
  if (!read.ok()) {
    for (size_t slot : slots) out[slot] = read.status();
    return;
  }
  for (size_t i = 0; i < groups->size(); ++i)
    HandleCustomer((*groups)[i], std::move((*read)[i]), out, retry);
}

absl::StatusOr<std::vector<Dispatcher::Group>> Dispatcher::GroupByCustomer(
    const std::vector<DueTimer>& timers, const std::vector<size_t>& slots,
    std::vector<absl::Status>& out) {
  std::map<int, std::vector<size_t>> by_shard;
  for (size_t slot : slots) by_shard[timers[slot].shard].push_back(slot);
  std::vector<Group> groups;
  std::map<std::string, size_t> group_of;
  for (const auto& [shard, in_shard] : by_shard) {
    std::vector<std::string> ids;
    for (size_t slot : in_shard) ids.push_back(timers[slot].id);
    ASSIGN_OR_RETURN(auto touches, ReadTouches(store_.redis(), shard, ids));
    for (size_t k = 0; k < in_shard.size(); ++k) {
      out[in_shard[k]] = absl::OkStatus();
      if (!touches[k]) continue;  // nothing to fire
      const std::string& customer_id = touches[k]->touch.customer_id();
      auto [it, fresh] = group_of.emplace(customer_id, groups.size());
      if (fresh) groups.push_back(Group{customer_id, {}, {}});
      groups[it->second].touch_ids.push_back(ids[k]);
      groups[it->second].slots.push_back(in_shard[k]);
    }
  }
  return groups;
}

void Dispatcher::HandleCustomer(const Group& g, OutreachStore::CustomerAndTouches read,
                                std::vector<absl::Status>& out, std::vector<size_t>& retry) {
  TouchTxn txn(store_, config_, g.customer_id, clock_.Now());
  txn.Adopt(std::move(read), g.touch_ids);
  struct Delivered {
    size_t slot;
    std::string id;
    Decision send;
    Outcome outcome;
  };
  std::map<size_t, std::string> staged;  // slot -> touch ID, effects staged
  std::vector<Delivered> delivered;
  for (size_t k = 0; k < g.touch_ids.size(); ++k) {
    const size_t slot = g.slots[k];
    const std::string& id = g.touch_ids[k];
    auto t = txn.LoadTouch(id);
    if (!t.ok() || *t == nullptr) {  // purged: nothing to fire
      out[slot] = t.status();
      continue;
    }
    // R6: re-arm, defer, suppress or send (domain/touch_due.h).
    auto v = DecideDue(txn.customer(), **t, config_.rules, config_.measure,
                       ViewOf(txn.customer()), txn.now());
    if (!v.ok()) {
      out[slot] = v.status();
      continue;
    }
    if (v->effects) {
      txn.Apply(*v->effects);
      staged[slot] = id;
    }
    if (!v->send) continue;
    auto outcome = Send(g.customer_id, **t, *v->send);
    if (!outcome.ok()) {  // the timer fires again
      out[slot] = outcome.status();
      continue;
    }
    txn.Advance(clock_.Now());
    out[slot] = ApplyOutcome(txn, id, *v->send, *outcome);
    delivered.push_back({slot, id, *v->send, *std::move(outcome)});
    staged.erase(slot);
  }
  absl::Status committed = txn.Commit().status();
  if (committed.ok()) return;
  // Not committed: what was delivered is recorded on fresh reads (it must not go out
  // twice); the other decisions are taken again on a changed record.
  for (const Delivered& d : delivered)
    out[d.slot] = CommitOutcome(g.customer_id, d.id, d.send, d.outcome);
  for (const auto& [slot, id] : staged) {
    if (absl::IsAborted(committed)) {
      retry.push_back(slot);
    } else {
      out[slot] = committed;
    }
  }
}

absl::StatusOr<Dispatcher::Outcome> Dispatcher::Send(const std::string& customer_id,
                                                     const v1::Touch& t, const Decision& send) {
  Outcome o;
  o.message = t.message();
  if (t.trigger() == v1::TRIGGER_WIN_BACK || t.trigger() == v1::TRIGGER_BIRTHDAY) {
    // R7: a real offer; R3: the birthday's small gift. Unavailable loyalty retries
    // the timer later.
    ASSIGN_OR_RETURN(IssuedVoucher v, vouchers_.IssueWinBack(t, clock_.Now()));
    o.voucher_id = v.voucher_id;
    o.message = absl::StrReplaceAll(o.message, {{"{voucher}", v.description}});
  }
  Delivery delivery;
  delivery.touch = &t;
  delivery.channel = send.channel;
  delivery.message = o.message;
  if (adapter_.NeedsContact()) {
    auto contact = contacts_.Fetch(customer_id, send.channel);
    if (IsRetryable(contact.status())) return contact.status();  // timer retries later
    if (contact.ok()) delivery.contact = *std::move(contact);
    else o.delivered = contact.status();
  }
  if (o.delivered.ok()) o.delivered = adapter_.Deliver(delivery);
  delivery.contact = Contact{};  // contact details live only for the delivery
  return o;
}

absl::Status Dispatcher::ApplyOutcome(TouchTxn& txn, const std::string& touch_id,
                                      const Decision& send, const Outcome& outcome) {
  ASSIGN_OR_RETURN(v1::Touch * t, txn.LoadTouch(touch_id));
  if (t == nullptr || !IsPending(*t)) return absl::OkStatus();  // another instance won
  if (outcome.delivered.ok()) return txn.Sent(t, send.channel, outcome.message, outcome.voucher_id);
  LogWarn("touch delivery failed",
          {{"touch_id", touch_id}, {"error", outcome.delivered.ToString()}});
  return txn.Failed(t, std::string(outcome.delivered.message()), outcome.voucher_id);
}

absl::Status Dispatcher::CommitOutcome(const std::string& customer_id,
                                       const std::string& touch_id, const Decision& send,
                                       const Outcome& outcome) {
  return MutateWithRetry([&]() -> absl::Status {
    TouchTxn txn(store_, config_, customer_id, clock_.Now());
    RETURN_IF_ERROR(txn.Load({touch_id}));
    RETURN_IF_ERROR(ApplyOutcome(txn, touch_id, send, outcome));
    return txn.Commit().status();
  });
}

}  // namespace revisit::outreach
