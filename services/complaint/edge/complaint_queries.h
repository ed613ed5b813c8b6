// ComplaintQueries: the read RPCs of the complaint service: one complaint, lists by
// state/customer/SLA, work queues (queue views, at risk, breached), 三包 eligibility
// of an order line (C13, C14, with the terms recorded when paid, O8) and the
// determined causes per SKU (C11). They write nothing.
// Thread-safety: thread-safe.
// Errors: INVALID_ARGUMENT naming the field and the rule (page sizes 0..200, page
// tokens, enums, timestamps, line IDs), NOT_FOUND for an unknown complaint or
// order, Redis errors.
#ifndef REVISIT_SERVICES_COMPLAINT_EDGE_COMPLAINT_QUERIES_H_
#define REVISIT_SERVICES_COMPLAINT_EDGE_COMPLAINT_QUERIES_H_

#include "absl/status/status.h"
#include "common/clock.h"
#include "revisit/complaint/v1/complaint.pb.h"
#include "services/complaint/complaint_config.h"
#include "services/complaint/store/complaint_store.h"
#include "services/complaint/store/queue_store.h"

namespace revisit::complaint {

class ComplaintQueries {
 public:
  // Not owned; all must outlive this.
  ComplaintQueries(const ComplaintConfig& config, ComplaintStore& store, QueueStore& queues,
                   const Clock& clock);

  absl::Status Get(const v1::GetComplaintRequest& req, v1::GetComplaintResponse* resp);
  absl::Status List(const v1::ListComplaintsRequest& req, v1::ListComplaintsResponse* resp);
  absl::Status ListQueue(const v1::ListQueueRequest& req, v1::ListQueueResponse* resp);
  absl::Status CheckEligibility(const v1::CheckEligibilityRequest& req, v1::CheckEligibilityResponse* resp);
  absl::Status ReportCauses(const v1::ReportCausesRequest& req, v1::ReportCausesResponse* resp);

 private:
  const ComplaintConfig& config_;
  ComplaintStore& store_;
  QueueStore& queues_;
  const Clock& clock_;
};

}  // namespace revisit::complaint

#endif  // REVISIT_SERVICES_COMPLAINT_EDGE_COMPLAINT_QUERIES_H_
