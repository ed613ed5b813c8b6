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

absl::Status Dispatcher::Handle(const DueTimer& timer) {
  auto touch = store_.GetTouch(timer.id, "touch_id");
  if (absl::IsNotFound(touch.status())) return absl::OkStatus();  // nothing to fire
  if (!touch.ok()) return touch.status();
  const std::string customer_id = touch->customer_id();
  ASSIGN_OR_RETURN(std::optional<ToSend> to_send, DecideAndCommit(customer_id, timer.id));
  if (!to_send) return absl::OkStatus();
  return Deliver(customer_id, *to_send);
}

absl::StatusOr<std::optional<Dispatcher::ToSend>> Dispatcher::DecideAndCommit(
    const std::string& customer_id, const std::string& touch_id) {
  std::optional<ToSend> out;
  RETURN_IF_ERROR(MutateWithRetry([&]() -> absl::Status {
    out.reset();
    std::optional<TouchTxn> txn;
    txn.emplace(store_, config_, customer_id, clock_.Now());
    RETURN_IF_ERROR(txn->Load({touch_id}));
    ASSIGN_OR_RETURN(v1::Touch * t, txn->LoadTouch(touch_id));
    if (t == nullptr) return absl::OkStatus();  // purged
    // R6: re-arm, defer, suppress or send (domain/touch_due.h).
    ASSIGN_OR_RETURN(DueVerdict v, DecideDue(txn->customer(), *t, config_.rules, config_.measure,
                                             ViewOf(txn->customer()), txn->now()));
    if (v.send) out.emplace(ToSend{*v.send, *t, std::nullopt});
    if (!v.effects) {
      if (out) out->txn.emplace(std::move(*txn));  // nothing committed: the outcome commits on it
      return absl::OkStatus();
    }
    txn->Apply(*v.effects);
    if (out) out->touch = *t;
    return txn->Commit().status();
  }));
  return out;
}

absl::Status Dispatcher::Deliver(const std::string& customer_id, ToSend& to_send) {
  const v1::Touch& t = to_send.touch;
  const Decision& send = to_send.send;
  std::string message = t.message();
  std::string voucher_id;
  absl::Status delivered = absl::OkStatus();
  if (t.trigger() == v1::TRIGGER_WIN_BACK || t.trigger() == v1::TRIGGER_BIRTHDAY) {
    // R7: a real offer; R3: the birthday's small gift. Unavailable loyalty retries
    // the timer later.
    ASSIGN_OR_RETURN(IssuedVoucher v, vouchers_.IssueWinBack(t, clock_.Now()));
    voucher_id = v.voucher_id;
    message = absl::StrReplaceAll(message, {{"{voucher}", v.description}});
  }
  Delivery delivery;
  delivery.touch = &t;
  delivery.channel = send.channel;
  delivery.message = message;
  if (adapter_.NeedsContact()) {
    auto contact = contacts_.Fetch(customer_id, send.channel);
    if (IsRetryable(contact.status())) return contact.status();  // timer retries later
    if (contact.ok()) delivery.contact = *std::move(contact);
    else delivered = contact.status();
  }
  if (delivered.ok()) delivered = adapter_.Deliver(delivery);
  delivery.contact = Contact{};  // contact details live only for the delivery
  return CommitOutcome(customer_id, t.touch_id(), send, message, voucher_id, delivered,
                       to_send.txn);
}

absl::Status Dispatcher::ApplyOutcome(TouchTxn& txn, const std::string& touch_id,
                                      const Decision& send, const std::string& message,
                                      const std::string& voucher_id,
                                      const absl::Status& delivered) {
  ASSIGN_OR_RETURN(v1::Touch * t, txn.LoadTouch(touch_id));
  if (t == nullptr || !IsPending(*t)) return absl::OkStatus();  // another instance won
  if (delivered.ok()) return txn.Sent(t, send.channel, message, voucher_id);
  LogWarn("touch delivery failed", {{"touch_id", touch_id}, {"error", delivered.ToString()}});
  return txn.Failed(t, std::string(delivered.message()), voucher_id);
}

absl::Status Dispatcher::CommitOutcome(const std::string& customer_id,
                                       const std::string& touch_id, const Decision& send,
                                       const std::string& message, const std::string& voucher_id,
                                       const absl::Status& delivered,
                                       std::optional<TouchTxn>& txn) {
  if (txn && txn->Advance(clock_.Now()).ok()) {
    RETURN_IF_ERROR(ApplyOutcome(*txn, touch_id, send, message, voucher_id, delivered));
    absl::Status committed = txn->Commit().status();
    if (!absl::IsAborted(committed)) return committed;  // else changed meanwhile: re-read
  }
  return MutateWithRetry([&]() -> absl::Status {
    TouchTxn fresh(store_, config_, customer_id, clock_.Now());
    RETURN_IF_ERROR(fresh.Load({touch_id}));
    RETURN_IF_ERROR(ApplyOutcome(fresh, touch_id, send, message, voucher_id, delivered));
    return fresh.Commit().status();
  });
}

}  // namespace revisit::outreach
