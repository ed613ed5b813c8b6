#include "services/complaint/domain/queues.h"

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/proto_time.h"
#include "services/complaint/domain/sla.h"
#include "services/complaint/domain/workflow.h"

namespace revisit::complaint {

std::vector<std::string> QueuesOf(const v1::Complaint& c) {
  std::vector<std::string> out;
  if (!IsActive(c.state())) return out;
  out.push_back(c.assignee().empty() ? std::string(kUnassignedQueue) : "agent:" + c.assignee());
  if (!c.team().empty()) out.push_back("team:" + c.team());
  if (c.in_supervisor_queue()) out.push_back(kSupervisorQueue);
  return out;
}

double QueueScore(const v1::Complaint& c) {
  double best = kNoDeadlineScore;
  for (const auto& d : c.deadlines()) {
    // Overdue (breached, not yet met) work stays first; paused deadlines wait.
    if (IsSet(d.met_at()) || IsSet(d.paused_since()) || !IsShopDeadline(d.name())) continue;
    best = std::min(best, static_cast<double>(absl::ToUnixMillis(FromProto(d.due_at()))));
  }
  return best;
}

absl::StatusOr<std::string> QueueOf(const v1::ListQueueRequest& req) {
  const int named = !req.agent_id().empty() + !req.team().empty() + req.supervisor() + req.unassigned();
  if (named != 1) {
    return absl::InvalidArgumentError(
        "agent_id/team/supervisor/unassigned: name exactly one queue (an agent, a team, supervisor or unassigned)");
  }
  if (req.agent_id().size() > 128) return absl::InvalidArgumentError("agent_id: at most 128 characters");
  if (req.team().size() > 64) return absl::InvalidArgumentError("team: at most 64 characters");
  if (!req.agent_id().empty()) return "agent:" + req.agent_id();
  if (!req.team().empty()) return "team:" + req.team();
  return std::string(req.supervisor() ? kSupervisorQueue : kUnassignedQueue);
}

std::string EncodeCursor(const QueueCursor& c) {
  return absl::StrCat(static_cast<int64_t>(c.score), "|", c.complaint_id);
}

absl::StatusOr<QueueCursor> DecodeCursor(const std::string& token) {
  const size_t bar = token.find('|');
  int64_t score = 0;
  if (bar == std::string::npos || bar + 1 >= token.size() || !absl::SimpleAtoi(token.substr(0, bar), &score) ||
      score < 0 || static_cast<double>(score) > kNoDeadlineScore) {
    return absl::InvalidArgumentError("page.page_token: not a token from a previous page");
  }
  return QueueCursor{static_cast<double>(score), token.substr(bar + 1)};
}

bool After(const QueueCursor& cursor, double score, const std::string& id) {
  return score > cursor.score || (score == cursor.score && id > cursor.complaint_id);
}

}  // namespace revisit::complaint
