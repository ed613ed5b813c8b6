#include "services/loyalty/store/batch_apply.h"

#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "common/log.h"
#include "services/loyalty/edge/event_decision.h"

namespace revisit::loyalty {

// One customer's events of the batch (positions index `events` below).
struct BatchApplier::Group {
  std::string customer;
  std::vector<size_t> events;            // batch indexes, in batch order
  std::vector<PreparedEvent> prepared;   // per position
  std::vector<absl::StatusOr<bool>> seen;  // per position: inbox record exists
  absl::StatusOr<Versioned<internal::Account>> account = absl::UnknownError("not read");
  AccountChain chain;
  std::vector<size_t> chained;  // positions the chain commits (steps and in-batch repeats)
  std::vector<bool> done;       // per position: status settled
  size_t cut = 0;               // first position left to the one-at-a-time path
  std::vector<absl::Status>* statuses = nullptr;
};

std::vector<absl::Status> BatchApplier::Apply(const std::vector<EventEnvelope>& events,
                                              absl::Time now) {
  std::vector<absl::Status> statuses(events.size());
  std::vector<Group> groups;
  std::map<std::string, size_t> by_customer;
  for (size_t i = 0; i < events.size(); ++i) {
    auto prepared = PrepareEvent(events[i], now, rules_);
    if (!prepared.ok()) {
      statuses[i] = prepared.status();  // the per-record path retries, then dead-letters
      continue;
    }
    if (!prepared->applies) continue;  // OK: nothing to do
    auto [it, added] = by_customer.emplace(prepared->customer_id, groups.size());
    if (added) {
      groups.emplace_back();
      groups.back().customer = prepared->customer_id;
      groups.back().statuses = &statuses;
    }
    Group& g = groups[it->second];
    g.events.push_back(i);
    g.prepared.push_back(*std::move(prepared));
    g.done.push_back(false);
  }
  if (groups.empty()) return statuses;

  std::vector<std::string> customers;
  std::vector<std::pair<std::string, std::string>> keys;
  for (const Group& g : groups) {
    customers.push_back(g.customer);
    for (size_t i : g.events) keys.emplace_back(g.customer, events[i].id);
  }
  auto snapshot = store_.Read(customers, keys);
  if (snapshot.ok() && (snapshot->accounts.size() != customers.size() ||
                        snapshot->seen.size() != keys.size())) {
    snapshot = absl::InternalError("batch read returned the wrong number of replies");
  }
  size_t next_key = 0;
  for (size_t gi = 0; gi < groups.size(); ++gi) {
    Group& g = groups[gi];
    for (size_t k = 0; k < g.events.size(); ++k) {
      g.seen.push_back(snapshot.ok() ? snapshot->seen[next_key++] : snapshot.status());
    }
    g.account = snapshot.ok() ? snapshot->accounts[gi] : snapshot.status();
    BuildChain(g, events);
  }

  std::vector<AccountChain> chains;
  std::vector<Group*> owners;
  for (Group& g : groups) {
    if (g.chain.steps.empty()) continue;
    chains.push_back(std::move(g.chain));
    owners.push_back(&g);
  }
  std::vector<absl::Status> committed;
  if (!chains.empty()) committed = store_.Commit(chains, now);
  if (committed.size() != chains.size()) {
    committed.assign(chains.size(), absl::InternalError("batch commit: wrong number of results"));
  }
  for (size_t c = 0; c < chains.size(); ++c) {
    Group& g = *owners[c];
    if (committed[c].ok()) {
      for (size_t k : g.chained) g.done[k] = true;
      continue;
    }
    LogInfo("loyalty batch: chain not committed, applying one at a time",
            {{"customer_id", g.customer},
             {"events", std::to_string(chains[c].steps.size())},
             {"error", committed[c].ToString()}});
    g.cut = g.chained.front();
  }
  for (Group& g : groups) FallBack(g, g.cut, events);
  return statuses;
}

void BatchApplier::BuildChain(Group& g, const std::vector<EventEnvelope>& events) {
  if (!g.account.ok()) return;  // cut = 0: all one at a time
  g.chain.customer_id = g.customer;
  g.chain.read_version = g.account->version;
  g.chain.account = g.account->value;  // the read state stays for Rewind
  std::set<std::string> ids;
  std::vector<size_t> decided;  // positions whose decisions chain.account holds
  for (size_t k = 0; k < g.events.size(); ++k) {
    const EventEnvelope& e = events[g.events[k]];
    g.cut = k;
    if (!g.seen[k].ok()) return;
    if (*g.seen[k]) {
      g.done[k] = true;  // applied by an earlier delivery: OK, nothing to do
      continue;
    }
    if (ids.count(e.id) > 0) {
      g.chained.push_back(k);  // repeated in this batch: settles with its twin
      continue;
    }
    // Decided in place: no copy of the account per event (issue 17). An event the
    // chain stops before may have changed it in part, so Rewind restores it.
    Effects effects;
    const absl::Status st = g.prepared[k].decide(g.chain.account, effects);
    if (!st.ok() || effects.referral) {  // the one-at-a-time path reports / rewards (L6)
      Rewind(g, decided);
      return;
    }
    g.chain.steps.push_back({e.id, e.traceparent, std::move(effects)});
    ids.insert(e.id);
    g.chained.push_back(k);
    decided.push_back(k);
  }
  g.cut = g.events.size();
}

void BatchApplier::Rewind(Group& g, const std::vector<size_t>& decided) {
  // Deciders are pure (domain/, explicit `now`): the same decisions on the same read
  // state give the same account the chain's steps were staged from.
  g.chain.account = g.account->value;
  for (size_t k : decided) {
    Effects again;
    g.prepared[k].decide(g.chain.account, again).IgnoreError();  // succeeded before
  }
}

void BatchApplier::FallBack(Group& g, size_t from, const std::vector<EventEnvelope>& events) {
  std::vector<absl::Status>& statuses = *g.statuses;
  for (size_t k = from; k < g.events.size(); ++k) {
    if (g.done[k]) continue;
    const size_t i = g.events[k];
    g.done[k] = true;
    statuses[i] = store_.ApplyOne(events[i]);
    if (statuses[i].ok()) continue;
    for (size_t later = k + 1; later < g.events.size(); ++later) {
      if (g.done[later]) continue;
      g.done[later] = true;
      statuses[g.events[later]] = absl::AbortedError(
          absl::StrCat("not attempted: event ", events[i].id, " of customer ", g.customer,
                       " before it in the batch failed"));
    }
    return;
  }
}

}  // namespace revisit::loyalty
