// OutboxLedger: what one OutboxRelay process has published and not yet acknowledged.
//
// The relay publishes an outbox entry, waits for its delivery report, then XACKs and
// XDELs it. Redis can fail between those steps (a crash after the delivery report,
// a reply lost with the connection), so the relay re-reads its own pending entries
// and must tell "never published" from "published, waiting for its report" from
// "delivered, only the acknowledgement is missing". The ledger remembers, per stream
// entry ID (and the entry's ce_id, in case Redis lost the entry and reused the ID):
//
//   unknown --Begin--> in flight --Settle(OK)--> delivered --Acked--> recently acked
//                          \--Settle(error)--> unknown (publish again)
//
// Classify() answers for an entry read from Redis: kPublish (unknown), kAckOnly
// (delivered or recently acked: acknowledge without publishing again) or kWait (its
// delivery report is still outstanding). So one process never publishes an entry
// twice unless its earlier publication failed. The recently-acked memory is bounded
// (oldest forgotten first); it covers an acknowledgement that Redis lost after
// confirming it.
// Thread-safety: every method is thread-safe (Settle runs on the producer's thread).
// Errors: none; unknown keys are ignored by Settle and Acked.
#ifndef REVISIT_COMMON_OUTBOX_LEDGER_H_
#define REVISIT_COMMON_OUTBOX_LEDGER_H_

#include <cstddef>
#include <deque>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace revisit {

class OutboxLedger {
 public:
  // An outbox entry: its stream, stream entry ID and event ID.
  struct Entry {
    std::string stream;
    std::string entry_id;
    std::string event_id;
  };
  enum class Decision { kPublish, kAckOnly, kWait };

  explicit OutboxLedger(size_t remember_acked = 100000) : remember_acked_(remember_acked) {}

  Decision Classify(const Entry& e) const;
  // Records that `e` is being published now.
  void Begin(const Entry& e);
  // The delivery report of a Begin()ed entry: OK makes it delivered, else unknown.
  void Settle(const Entry& e, const absl::Status& delivery);
  // Delivered entries waiting for their acknowledgement.
  std::vector<Entry> ToAck() const;
  // The acknowledgement of these entries succeeded.
  void Acked(const std::vector<Entry>& entries);

  // Entries of `stream` whose delivery report is outstanding.
  int InFlight(const std::string& stream) const;
  // Waits until no entry is in flight, `deadline` passes or Interrupt() was called.
  // True when none is in flight.
  bool AwaitSettled(absl::Time deadline);
  // Ends every current and future AwaitSettled wait (shutdown).
  void Interrupt();

 private:
  enum class State { kInFlight, kDelivered };
  struct Record {
    Entry entry;
    State state;
  };
  static std::string Key(const Entry& e) { return e.stream + '\n' + e.entry_id; }

  const size_t remember_acked_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, Record> open_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, std::string> acked_ ABSL_GUARDED_BY(mu_);  // key -> ce_id
  std::deque<std::string> acked_order_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, int> in_flight_ ABSL_GUARDED_BY(mu_);  // per stream
  int in_flight_total_ ABSL_GUARDED_BY(mu_) = 0;
  bool interrupted_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace revisit

#endif  // REVISIT_COMMON_OUTBOX_LEDGER_H_
