#include "common/write_batch.h"

#include <algorithm>
#include <cmath>
#include <iterator>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/event_envelope.h"
#include "common/outbox.h"
#include "common/wake_signal.h"

namespace revisit {

extern const char kCommitLua[];

namespace {

const LuaScript& CommitScript() {
  static const LuaScript* script = new LuaScript("commit", kCommitLua);
  return *script;
}

// The text between the first '{' and the following '}' of a key.
std::string HashTag(const std::string& key) {
  auto open = key.find('{');
  auto close = key.find('}', open);
  if (open == std::string::npos || close == std::string::npos) return key;
  return key.substr(open + 1, close - open - 1);
}

// A timer sorted set (common/timer_queue.h: TimerSetKey = the shard prefix + "timers").
// Only a ZADD there is a due time the timer scheduler may have to wake for; other
// sorted sets (e.g. the order service's newest-first indexes, scored "now") are not.
bool IsTimerSet(const std::string& key) { return absl::EndsWith(key, "}:timers"); }

}  // namespace

std::string WriteBatch::KeyRef(const std::string& key) {
  auto it = key_index_.find(key);
  if (it == key_index_.end()) {
    keys_.push_back(key);
    it = key_index_.emplace(key, static_cast<int>(keys_.size())).first;
  }
  return std::to_string(it->second);
}

void WriteBatch::Op(const std::string& name, std::vector<std::string> args) {
  op_starts_.push_back(args_.size());
  args_.push_back(name);
  args_.insert(args_.end(), std::make_move_iterator(args.begin()),
               std::make_move_iterator(args.end()));
  ++ops_;
}

WriteBatch& WriteBatch::Dedupe(const std::string& key, absl::Duration ttl,
                               const std::string& response) {
  Op("DEDUPE", {KeyRef(key), std::to_string(absl::ToInt64Milliseconds(ttl)), response});
  return *this;
}
WriteBatch& WriteBatch::ExpectVersion(const std::string& key, int64_t version) {
  Op("VERSION", {KeyRef(key), std::to_string(version)});
  return *this;
}
WriteBatch& WriteBatch::ExpectMember(const std::string& key, const std::string& member) {
  Op("MEMBER", {KeyRef(key), member});
  return *this;
}
WriteBatch& WriteBatch::Put(const std::string& key, int64_t version, const std::string& data) {
  Op("PUT", {KeyRef(key), std::to_string(version), data});
  return *this;
}
WriteBatch& WriteBatch::Delete(const std::string& key) {
  Op("DEL", {KeyRef(key)});
  return *this;
}
WriteBatch& WriteBatch::ZAdd(const std::string& key, double score, const std::string& member) {
  // %.17g round-trips every double: StrCat(double) keeps only six significant
  // digits, which rounded millisecond scores (timers, newest-first indexes) by hours.
  Op("ZADD", {KeyRef(key), absl::StrFormat("%.17g", score), member});
  if (IsTimerSet(key)) earliest_score_ = std::min(earliest_score_, score);
  return *this;
}
WriteBatch& WriteBatch::ZRem(const std::string& key, const std::string& member) {
  Op("ZREM", {KeyRef(key), member});
  return *this;
}
WriteBatch& WriteBatch::HSet(const std::string& key, const std::string& field,
                             const std::string& value) {
  Op("HSET", {KeyRef(key), field, value});
  return *this;
}
WriteBatch& WriteBatch::HDel(const std::string& key, const std::string& field) {
  Op("HDEL", {KeyRef(key), field});
  return *this;
}
WriteBatch& WriteBatch::Set(const std::string& key, const std::string& value) {
  Op("SET", {KeyRef(key), value});
  return *this;
}
WriteBatch& WriteBatch::IncrBy(const std::string& key, int64_t by) {
  Op("INCRBY", {KeyRef(key), std::to_string(by)});
  return *this;
}
WriteBatch& WriteBatch::SAdd(const std::string& key, const std::string& member) {
  Op("SADD", {KeyRef(key), member});
  return *this;
}
WriteBatch& WriteBatch::SRem(const std::string& key, const std::string& member) {
  Op("SREM", {KeyRef(key), member});
  return *this;
}

WriteBatch& WriteBatch::AppendEvent(const std::string& stream, const EventEnvelope& event) {
  if (CompactOutboxEntries()) {
    // The compact entry (common/outbox_entry.h): commit.lua numbers the event by its
    // subject and writes "<seq>:" before the encoded envelope.
    Op("XADD", {KeyRef(stream), KeyRef(SequenceKey(stream)), event.subject,
                EncodeOutboxEnvelope(event)});
  } else {
    auto fields = ToOutboxFields(event);
    std::vector<std::string> args = {KeyRef(stream), KeyRef(SequenceKey(stream)),
                                     std::to_string(fields.size())};
    for (auto& [f, v] : fields) {
      args.push_back(f);
      args.push_back(v);
    }
    Op("XADDF", std::move(args));
  }
  ++events_;
  if (std::find(event_streams_.begin(), event_streams_.end(), stream) == event_streams_.end()) {
    event_streams_.push_back(stream);
  }
  return *this;
}

namespace {

// XADD as Iterate reports it: the sequence key, then the event's field, value pairs
// (ToOutboxFields; seq 0: the commit numbers it).
std::vector<std::string> ReadableEvent(const std::string& sequence_key, const std::string& blob) {
  std::vector<std::string> args = {sequence_key};
  auto event = DecodeCompactEntry("0:" + blob);
  if (!event.ok()) return {sequence_key, blob};
  for (auto& [f, v] : ToOutboxFields(*event)) {
    args.push_back(std::move(f));
    args.push_back(std::move(v));
  }
  return args;
}

}  // namespace

void WriteBatch::Iterate(const std::function<void(const BatchOp&)>& visit) const {
  // Key arguments are 1-based references into keys_: the first of every operation,
  // and XADD's second (the sequence key).
  auto key_of = [&](const std::string& ref) {
    size_t n = 0;
    return absl::SimpleAtoi(ref, &n) && n >= 1 && n <= keys_.size() ? keys_[n - 1] : ref;
  };
  for (size_t i = 0; i < op_starts_.size(); ++i) {
    const size_t begin = op_starts_[i];
    const size_t end = i + 1 < op_starts_.size() ? op_starts_[i + 1] : args_.size();
    BatchOp op;
    op.op = args_[begin];
    op.key = key_of(args_[begin + 1]);
    op.args.assign(args_.begin() + begin + 2, args_.begin() + end);
    if (op.op == "XADDF") op.args[0] = key_of(op.args[0]);
    if (op.op == "XADD") op.args = ReadableEvent(key_of(op.args[0]), op.args[2]);
    visit(op);
  }
}

absl::Status WriteBatch::CheckOneShard() const {
  for (const auto& k : keys_) {
    if (HashTag(k) != HashTag(keys_.front())) {
      return absl::InternalError(absl::StrCat("write batch spans shards: ", keys_.front(),
                                              " and ", k));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<RedisClient::EvalCall> WriteBatch::ScriptCall() const {
  if (absl::Status one = CheckOneShard(); !one.ok()) return one;
  RedisClient::EvalCall call;
  call.keys = keys_;
  call.args.reserve(args_.size() + 1);
  call.args.push_back(std::to_string(ops_));
  call.args.insert(call.args.end(), args_.begin(), args_.end());
  return call;
}

absl::StatusOr<RedisClient::EvalCall> WriteBatch::TakeScriptCall() {
  if (absl::Status one = CheckOneShard(); !one.ok()) return one;
  RedisClient::EvalCall call;
  call.keys = std::move(keys_);
  call.args.reserve(args_.size() + 1);
  call.args.push_back(std::to_string(ops_));
  std::move(args_.begin(), args_.end(), std::back_inserter(call.args));
  keys_.clear();
  args_.clear();
  key_index_.clear();
  op_starts_.clear();
  return call;
}

void WriteBatch::WakeLoops(const std::vector<const WriteBatch*>& batches) {
  std::vector<std::string> streams;
  double earliest = kNoScore;
  for (const WriteBatch* b : batches) {
    streams.insert(streams.end(), b->event_streams_.begin(), b->event_streams_.end());
    earliest = std::min(earliest, b->earliest_score_);
  }
  if (!streams.empty()) OutboxCommitted().Notify(streams);
  // A removed or postponed timer needs no wake: the scheduler finds nothing due and
  // reads the earliest again. Scores are timer due times in ms (TimerScore).
  if (earliest < kNoScore) {
    TimersChanged().NotifyDue(static_cast<int64_t>(std::floor(std::min(earliest, 9e18))));
  }
}

CommitResult WriteBatch::ResultOf(const RedisValue& reply) {
  CommitResult result;
  if (!reply.elements.empty() && reply.elements[0].str == "DUP") {
    result.duplicate = true;
    if (reply.elements.size() > 1) result.prior_response = reply.elements[1].str;
  }
  return result;
}

absl::StatusOr<CommitResult> WriteBatch::Commit(RedisClient& redis) const {
  if (ops_ == 0) return CommitResult{};
  auto call = ScriptCall();
  if (!call.ok()) return call.status();
  auto reply = redis.Eval(CommitScript(), call->keys, call->args);
  WakeLoops({this});
  if (!reply.ok()) return reply.status();
  return ResultOf(*reply);
}

absl::StatusOr<std::vector<absl::StatusOr<CommitResult>>> WriteBatch::CommitAll(
    RedisClient& redis, std::vector<WriteBatch> batches) {
  std::vector<absl::StatusOr<CommitResult>> results(batches.size(), CommitResult{});
  std::vector<RedisClient::EvalCall> calls;
  std::vector<size_t> sent;  // index into batches of each call
  for (size_t i = 0; i < batches.size(); ++i) {
    if (batches[i].ops_ == 0) continue;
    auto call = batches[i].TakeScriptCall();  // batches is this function's own copy
    if (!call.ok()) {
      results[i] = call.status();
      continue;
    }
    calls.push_back(*std::move(call));
    sent.push_back(i);
  }
  if (calls.empty()) return results;
  auto replies = redis.EvalPipeline(CommitScript(), std::move(calls));
  std::vector<const WriteBatch*> all;
  for (const auto& b : batches) all.push_back(&b);
  WakeLoops(all);
  if (!replies.ok()) return replies.status();
  for (size_t c = 0; c < sent.size(); ++c) {
    auto& reply = (*replies)[c];
    if (reply.ok()) {
      results[sent[c]] = ResultOf(*reply);
    } else {
      results[sent[c]] = reply.status();
    }
  }
  return results;
}

absl::Status MutateWithRetry(const std::function<absl::Status()>& attempt, int attempts) {
  absl::Status st;
  for (int i = 0; i < attempts; ++i) {
    st = attempt();
    if (st.code() != absl::StatusCode::kAborted) return st;
  }
  return absl::AbortedError(absl::StrCat("gave up after ", attempts,
                                         " concurrent-change retries: ", st.message()));
}

}  // namespace revisit
