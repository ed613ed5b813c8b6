// Work queues (ownership): which queues an active complaint is in, the order within
// a queue (soonest next unmet SLA deadline first, overdue ones included) and the
// page cursor.
//
// Queues: "agent:<id>" (its assignee), "team:<name>" (its team), "unassigned" (no
// assignee), "supervisor" (escalated by an SLA breach, not yet taken). Only active
// complaints (workflow.h IsActive) are in any queue. The store keeps one sorted set
// per queue and shard, scored by QueueScore.
// Thread-safety: pure functions.
#ifndef REVISIT_SERVICES_COMPLAINT_DOMAIN_QUEUES_H_
#define REVISIT_SERVICES_COMPLAINT_DOMAIN_QUEUES_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "revisit/complaint/v1/complaint.pb.h"

namespace revisit::complaint {

inline constexpr char kSupervisorQueue[] = "supervisor";
inline constexpr char kUnassignedQueue[] = "unassigned";
// The score of a complaint without a running deadline: after every real one.
inline constexpr double kNoDeadlineScore = 1e15;

// The queues `c` is in now.
std::vector<std::string> QueuesOf(const v1::Complaint& c);
// Unix ms of the soonest shop deadline not met and not paused (sla.h
// IsShopDeadline), breached ones included so overdue work stays first; else
// kNoDeadlineScore.
double QueueScore(const v1::Complaint& c);
// The one queue a ListQueueRequest names; INVALID_ARGUMENT unless exactly one.
absl::StatusOr<std::string> QueueOf(const v1::ListQueueRequest& req);

// A position in a queue: entries after (score, complaint_id) come next.
struct QueueCursor {
  double score = 0;
  std::string complaint_id;
};
std::string EncodeCursor(const QueueCursor& c);
// INVALID_ARGUMENT "page.page_token: ..." for anything EncodeCursor did not make.
absl::StatusOr<QueueCursor> DecodeCursor(const std::string& token);
// True when (score, id) comes after `cursor` in queue order.
bool After(const QueueCursor& cursor, double score, const std::string& id);

}  // namespace revisit::complaint

#endif  // REVISIT_SERVICES_COMPLAINT_DOMAIN_QUEUES_H_
