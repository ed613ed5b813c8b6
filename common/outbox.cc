#include "common/outbox.h"

#include <algorithm>
#include <map>

#include "absl/random/random.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "common/event_type.h"
#include "common/keys.h"
#include "common/log.h"
#include "common/metrics.h"
#include "common/wake_signal.h"

namespace revisit {

extern const char kLeaseLua[];

namespace {

constexpr const char* kGroup = kOutboxRelayGroup;

const LuaScript& LeaseScript() {
  static const LuaScript* script = new LuaScript("lease", kLeaseLua);
  return *script;
}

std::string NewEventId() {
  static thread_local absl::BitGen gen;
  return absl::StrFormat("%016x%016x", absl::Uniform<uint64_t>(gen), absl::Uniform<uint64_t>(gen));
}

// Entries of a XREADGROUP entry list: [[id, [f, v, ...]], ...]. A pending entry
// that was deleted already comes back as [id, nil] (a tombstone to acknowledge).
void CollectEntries(int shard, const RedisValue& list,
                    std::vector<std::pair<int, RedisValue>>& out) {
  for (const auto& entry : list.elements) {
    if (entry.elements.size() == 2) out.push_back({shard, entry});
  }
}

}  // namespace

std::string OutboxStream(const std::string& service, int shard) {
  return ShardKey(service, shard, "outbox");
}

std::string SequenceKey(const std::string& outbox_stream) { return outbox_stream + ":seq"; }

std::string QuarantineStream(const std::string& outbox_stream) {
  return outbox_stream + ":quarantine";
}

EventEnvelope MakeEvent(const std::string& service, const std::string& name,
                        const std::string& customer_id, const std::string& subject,
                        absl::Time time, const google::protobuf::Message& payload) {
  EventEnvelope e;
  e.id = NewEventId();
  e.source = "revisit/" + service;
  e.type = EventTypeName(service, name);
  e.time = time;
  e.subject = subject;
  if (!CurrentTraceId().empty()) e.traceparent = FormatTraceparent(CurrentTraceId());
  e.key = customer_id;
  e.topic = EventTopic(service);
  e.dataschema = "proto:" + payload.GetDescriptor()->full_name();
  payload.SerializeToString(&e.payload);
  return e;
}

OutboxRelay::OutboxRelay(RedisClient& redis, PublishFn publish, OutboxRelayOptions options)
    : redis_(redis), publish_(std::move(publish)), options_(std::move(options)),
      ledger_(std::make_shared<OutboxLedger>()), shards_(kShards), more_(kShards, false) {
  for (int s = 0; s < kShards; ++s) shard_of_stream_[OutboxStream(options_.service, s)] = s;
}

OutboxRelay::~OutboxRelay() { Stop(); }

void OutboxRelay::Start() {
  running_ = true;
  last_pass_ns_ = absl::ToUnixNanos(absl::Now());
  thread_ = std::thread([this, waiter = OutboxCommitted().Register()] {
    absl::Duration idle = options_.min_idle_sleep;
    absl::Time last_full = absl::InfinitePast();
    bool full = true;
    while (running_) {
      // Take before the pass: it covers every commit signalled so far (one pass for
      // all of them); a commit during the pass makes the wait return at once.
      std::vector<std::string> committed = waiter->Take();
      if (absl::Now() - last_full >= options_.max_idle_sleep) full = true;
      std::vector<bool> only = full ? std::vector<bool>() : DirtyShards(committed);
      auto n = Pass(full ? nullptr : &only);
      if (full) last_full = absl::Now();
      full = false;
      last_pass_ns_ = absl::ToUnixNanos(absl::Now());
      if (!n.ok()) {
        LogWarn("outbox relay pass failed: " + n.status().ToString());
        full = true;
        absl::SleepFor(idle);
        idle = std::min(idle * 2, options_.max_idle_sleep);
        continue;
      }
      if (*n > 0) {
        idle = options_.min_idle_sleep;
        continue;
      }
      // This process's commits wake the relay at once (WriteBatch notifies, naming
      // the streams); the timeout, and a full pass at least every max_idle_sleep,
      // find entries other processes committed to shards this relay leases.
      if (waiter->Wait(idle)) {
        idle = options_.min_idle_sleep;
        continue;
      }
      full = true;
      idle = std::min(idle * 2, options_.max_idle_sleep);
    }
  });
}

std::vector<bool> OutboxRelay::DirtyShards(const std::vector<std::string>& committed) const {
  std::vector<bool> dirty = more_;
  for (const std::string& stream : committed) {
    auto it = shard_of_stream_.find(stream);
    if (it != shard_of_stream_.end()) dirty[static_cast<size_t>(it->second)] = true;
  }
  return dirty;
}

void OutboxRelay::Stop() {
  running_ = false;
  ledger_->Interrupt();
  OutboxCommitted().Notify();  // ends an idle wait
  if (!thread_.joinable()) return;
  thread_.join();
  auto acked = AckDelivered({});
  if (!acked.ok()) LogWarn("outbox relay: final acknowledgement failed: " + acked.status().ToString());
}

void OutboxRelay::ReplayAll() {
  for (auto& shard : shards_) shard.replay = true;
}

absl::Status OutboxRelay::TakeOver(int shard) {
  const std::string stream = OutboxStream(options_.service, shard);
  auto created = redis_.Command({"XGROUP", "CREATE", stream, kGroup, "0", "MKSTREAM"});
  if (!created.ok() && created.status().message().find("BUSYGROUP") == std::string::npos) {
    return created.status();
  }
  // We hold the lease: every pending entry belongs to a previous holder; take them all.
  std::string cursor = "0-0";
  do {
    auto claimed = redis_.Command({"XAUTOCLAIM", stream, kGroup, options_.instance_id, "0",
                                   cursor, "COUNT", "1000", "JUSTID"});
    if (!claimed.ok()) return claimed.status();
    cursor = claimed->elements.empty() ? "0-0" : claimed->elements[0].str;
  } while (cursor != "0-0");
  shards_[shard].replay = true;
  return absl::OkStatus();
}

absl::Status OutboxRelay::RenewLeases() {
  // Renewing three times per lease period is plenty; every pass would cost 16 scripts.
  absl::Time now = absl::Now();
  if (now - last_renewal_ < options_.lease_ttl / 3) return absl::OkStatus();
  std::string ttl = std::to_string(absl::ToInt64Milliseconds(options_.lease_ttl));
  for (int s = 0; s < kShards; ++s) {
    auto r = redis_.Eval(LeaseScript(), {ShardKey(options_.service, s, "relay_lease")},
                         {options_.instance_id, ttl});
    if (!r.ok()) return r.status();
    bool was_held = shards_[s].held;
    shards_[s].held = r->integer > 0;
    if (shards_[s].held && (!was_held || r->integer == 2)) {
      auto st = TakeOver(s);
      if (!st.ok()) {
        shards_[s].held = false;
        return st;
      }
    }
  }
  last_renewal_ = now;
  return absl::OkStatus();
}

absl::StatusOr<int> OutboxRelay::RunOnce() { return Pass(nullptr); }

absl::StatusOr<int> OutboxRelay::Pass(const std::vector<bool>* only) {
  // After any Redis failure the outcome of the last command is unknown (an XREADGROUP
  // that ran but whose reply was lost, an XACK that did not run): re-read own pending.
  auto st = RenewLeases();
  if (!st.ok()) {
    ReplayAll();
    return st;
  }
  auto earlier = AckDelivered({});
  if (!earlier.ok()) {
    ReplayAll();
    return earlier.status();
  }
  auto entries = ReadShards(only);
  if (!entries.ok()) {
    ReplayAll();
    return entries.status();
  }
  std::vector<std::pair<int, std::string>> tombstones;
  std::vector<std::pair<int, RedisValue>> live;
  for (auto& [shard, entry] : *entries) {
    if (entry.elements[1].is_nil()) tombstones.push_back({shard, entry.elements[0].str});
    else live.push_back({shard, std::move(entry)});
  }
  Publish(live);
  auto acked = AckDelivered(tombstones);
  if (!acked.ok()) {
    ReplayAll();
    return acked.status();
  }
  return *earlier + *acked;
}

absl::StatusOr<std::vector<std::pair<int, RedisValue>>> OutboxRelay::ReadShards(
    const std::vector<bool>* only) {
  std::vector<std::vector<std::string>> reads;
  std::vector<int> read_shards;
  for (int s = 0; s < kShards; ++s) {
    const std::string stream = OutboxStream(options_.service, s);
    // Reports still outstanding (a pass that timed out): wait for them, in order.
    if (!shards_[s].held || ledger_->InFlight(stream) > 0) continue;
    if (only != nullptr && !(*only)[static_cast<size_t>(s)] && !shards_[s].replay) continue;
    reads.push_back({"XREADGROUP", "GROUP", kGroup, options_.instance_id, "COUNT",
                     std::to_string(options_.batch_size), "STREAMS", stream,
                     shards_[s].replay ? "0" : ">"});
    read_shards.push_back(s);
  }
  std::vector<std::pair<int, RedisValue>> entries;
  if (reads.empty()) return entries;
  auto replies = redis_.Pipeline(reads);
  if (!replies.ok()) return replies.status();
  for (size_t i = 0; i < replies->size(); ++i) {
    auto& r = (*replies)[i];
    if (!r.ok()) return r.status();
    size_t before = entries.size();
    if (!r->is_nil() && !r->elements.empty()) {
      CollectEntries(read_shards[i], r->elements[0].elements[1], entries);
    }
    // A shard that filled the batch may hold more: read it again next pass. (Entries
    // committed after this read notify the relay themselves.)
    more_[static_cast<size_t>(read_shards[i])] =
        entries.size() - before >= static_cast<size_t>(options_.batch_size);
    if (shards_[read_shards[i]].replay && entries.size() == before) {
      shards_[read_shards[i]].replay = false;  // own pending list drained
    }
  }
  return entries;
}

void OutboxRelay::Publish(const std::vector<std::pair<int, RedisValue>>& entries) {
  std::vector<std::pair<int, OutboxLedger::Entry>> published;
  for (const auto& [shard, entry] : entries) {
    OutboxLedger::Entry key{OutboxStream(options_.service, shard), entry.elements[0].str, ""};
    auto envelope = FromOutboxFields(entry.elements[1].elements);
    if (!envelope.ok()) {
      Quarantine(shard, key, entry, envelope.status());
      continue;
    }
    key.event_id = envelope->id;
    if (ledger_->Classify(key) != OutboxLedger::Decision::kPublish) continue;
    ledger_->Begin(key);
    published.push_back({shard, key});
    publish_(*envelope, [ledger = ledger_, key](absl::Status s) { ledger->Settle(key, s); });
  }
  if (published.empty()) return;
  if (!ledger_->AwaitSettled(absl::Now() + options_.delivery_timeout) && running_) {
    LogWarn("outbox relay: delivery reports outstanding after the delivery timeout",
            {{"timeout_ms", absl::ToInt64Milliseconds(options_.delivery_timeout)}});
  }
  // Failed (publish again) or still unreported: re-read own pending entries next time.
  for (const auto& [shard, key] : published) {
    if (ledger_->Classify(key) != OutboxLedger::Decision::kAckOnly) shards_[shard].replay = true;
  }
}

void OutboxRelay::Quarantine(int shard, const OutboxLedger::Entry& key, const RedisValue& entry,
                             const absl::Status& why) {
  std::vector<std::string> add = {"XADD", QuarantineStream(key.stream), "*", "entry_id",
                                  key.entry_id, "error", std::string(why.message())};
  for (const RedisValue& field : entry.elements[1].elements) add.push_back(field.str);
  auto kept = redis_.Command(add);
  if (!kept.ok()) {  // not kept yet: leave it pending and try again next pass
    LogError("outbox relay: cannot quarantine a corrupt entry",
             {{"entry_id", key.entry_id}, {"error", std::string(kept.status().message())}});
    shards_[shard].replay = true;
    return;
  }
  static Counter& quarantined =
      Metrics()
          .CounterFamily("revisit_outbox_quarantined_total",
                         "Outbox entries that could not be decoded, moved to the quarantine "
                         "stream instead of being published.",
                         {"service"})
          .WithLabels({options_.service});
  quarantined.Inc();
  LogError("outbox relay: quarantined a corrupt entry",
           {{"entry_id", key.entry_id},
            {"quarantine", QuarantineStream(key.stream)},
            {"error", std::string(why.message())}});
  ledger_->Begin(key);
  ledger_->Settle(key, absl::OkStatus());  // acknowledged (deleted) with the others
}

absl::StatusOr<int> OutboxRelay::AckDelivered(
    const std::vector<std::pair<int, std::string>>& tombstones) {
  std::vector<OutboxLedger::Entry> delivered = ledger_->ToAck();
  // One XACK and one XDEL per stream for all its entries (not two commands per entry).
  std::map<std::string, std::vector<std::string>> acked_ids, deleted_ids;
  for (const auto& e : delivered) {
    acked_ids[e.stream].push_back(e.entry_id);
    deleted_ids[e.stream].push_back(e.entry_id);
  }
  for (const auto& [shard, id] : tombstones) {
    acked_ids[OutboxStream(options_.service, shard)].push_back(id);
  }
  std::vector<std::vector<std::string>> acks;
  for (auto& [stream, ids] : acked_ids) {
    std::vector<std::string> cmd = {"XACK", stream, kGroup};
    cmd.insert(cmd.end(), ids.begin(), ids.end());
    acks.push_back(std::move(cmd));
    auto del = deleted_ids.find(stream);
    if (del == deleted_ids.end()) continue;
    std::vector<std::string> xdel = {"XDEL", stream};
    xdel.insert(xdel.end(), del->second.begin(), del->second.end());
    acks.push_back(std::move(xdel));
  }
  if (acks.empty()) return 0;
  auto r = redis_.Pipeline(acks);
  if (!r.ok()) return r.status();
  for (const auto& reply : *r) {
    if (!reply.ok()) return reply.status();
  }
  ledger_->Acked(delivered);
  return static_cast<int>(delivered.size());
}

int64_t OutboxRelay::Backlog() {
  return SumOverShards(redis_, "XLEN", [this](int s) { return OutboxStream(options_.service, s); });
}

}  // namespace revisit
