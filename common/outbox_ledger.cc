#include "common/outbox_ledger.h"

namespace revisit {

OutboxLedger::Decision OutboxLedger::Classify(const Entry& e) const {
  absl::MutexLock lock(&mu_);
  const std::string key = Key(e);
  auto open = open_.find(key);
  if (open != open_.end() && open->second.entry.event_id == e.event_id) {
    return open->second.state == State::kInFlight ? Decision::kWait : Decision::kAckOnly;
  }
  auto acked = acked_.find(key);
  if (acked != acked_.end() && acked->second == e.event_id) return Decision::kAckOnly;
  return Decision::kPublish;
}

void OutboxLedger::Begin(const Entry& e) {
  absl::MutexLock lock(&mu_);
  open_.insert_or_assign(Key(e), Record{e, State::kInFlight});
  ++in_flight_[e.stream];
  ++in_flight_total_;
}

void OutboxLedger::Settle(const Entry& e, const absl::Status& delivery) {
  absl::MutexLock lock(&mu_);
  auto it = open_.find(Key(e));
  if (it == open_.end() || it->second.state != State::kInFlight) return;
  --in_flight_[e.stream];
  --in_flight_total_;
  if (delivery.ok()) {
    it->second.state = State::kDelivered;
  } else {
    open_.erase(it);
  }
}

std::vector<OutboxLedger::Entry> OutboxLedger::ToAck() const {
  absl::MutexLock lock(&mu_);
  std::vector<Entry> out;
  for (const auto& [key, record] : open_) {
    if (record.state == State::kDelivered) out.push_back(record.entry);
  }
  return out;
}

void OutboxLedger::Acked(const std::vector<Entry>& entries) {
  absl::MutexLock lock(&mu_);
  for (const Entry& e : entries) {
    std::string key = Key(e);
    auto it = open_.find(key);
    if (it == open_.end() || it->second.state != State::kDelivered) continue;
    open_.erase(it);
    if (remember_acked_ == 0) continue;
    if (acked_.insert_or_assign(key, e.event_id).second) acked_order_.push_back(key);
    while (acked_order_.size() > remember_acked_) {
      acked_.erase(acked_order_.front());
      acked_order_.pop_front();
    }
  }
}

int OutboxLedger::InFlight(const std::string& stream) const {
  absl::MutexLock lock(&mu_);
  auto it = in_flight_.find(stream);
  return it == in_flight_.end() ? 0 : it->second;
}

bool OutboxLedger::AwaitSettled(absl::Time deadline) {
  absl::MutexLock lock(&mu_);
  auto done = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return in_flight_total_ == 0 || interrupted_;
  };
  mu_.AwaitWithDeadline(absl::Condition(&done), deadline);
  return in_flight_total_ == 0;
}

void OutboxLedger::Interrupt() {
  absl::MutexLock lock(&mu_);
  interrupted_ = true;
}

}  // namespace revisit
