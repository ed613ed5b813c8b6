// ComplaintQueries (complaint_queries.h): get, lists, queues, eligibility (C13/C14,
// O8) and the determined causes per SKU (C11).
#include "services/complaint/edge/complaint_queries.h"

#include <optional>
#include <string>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/proto_time.h"
#include "common/status.h"
#include "common/text.h"
#include "services/complaint/domain/decide.h"
#include "services/complaint/domain/queues.h"

namespace revisit::complaint {

ComplaintQueries::ComplaintQueries(const ComplaintConfig& config, ComplaintStore& store, QueueStore& queues,
                                   const Clock& clock)
    : config_(config), store_(store), queues_(queues), clock_(clock) {}

absl::Status ComplaintQueries::Get(const v1::GetComplaintRequest& req, v1::GetComplaintResponse* resp) {
  ASSIGN_OR_RETURN(StoredComplaint s, store_.Get(req.complaint_id()));
  *resp->mutable_complaint() = s.complaint;
  return absl::OkStatus();
}

absl::Status ComplaintQueries::List(const v1::ListComplaintsRequest& req, v1::ListComplaintsResponse* resp) {
  int size = req.page().page_size() == 0 ? 50 : req.page().page_size();
  if (size < 1 || size > 200) return absl::InvalidArgumentError("page.page_size: must be 0..200");
  int offset = 0;
  if (!req.page().page_token().empty() &&
      (!absl::SimpleAtoi(req.page().page_token(), &offset) || offset < 0)) {
    return absl::InvalidArgumentError("page.page_token: not a token from a previous page");
  }
  if (!v1::ComplaintState_IsValid(req.state()) || !v1::SlaFilter_IsValid(req.sla())) {
    return absl::InvalidArgumentError("state/sla: unknown value");
  }
  bool more = false;
  ASSIGN_OR_RETURN(auto list, store_.List(req.state(), req.customer_id(), req.sla(), clock_.Now(),
                                          config_.policies.sla.at_risk, offset, size, &more));
  for (auto& c : list) *resp->add_complaints() = std::move(c);
  if (more) resp->mutable_page()->set_next_page_token(absl::StrCat(offset + size));
  return absl::OkStatus();
}

absl::Status ComplaintQueries::ListQueue(const v1::ListQueueRequest& req, v1::ListQueueResponse* resp) {
  ASSIGN_OR_RETURN(std::string queue, QueueOf(req));
  const int size = req.page().page_size() == 0 ? 50 : req.page().page_size();
  if (size < 1 || size > 200) return absl::InvalidArgumentError("page.page_size: must be 0..200");
  if (!v1::QueueView_IsValid(req.view())) return absl::InvalidArgumentError("view: unknown queue view");
  std::optional<QueueCursor> cursor;
  if (!req.page().page_token().empty()) {
    ASSIGN_OR_RETURN(cursor, DecodeCursor(req.page().page_token()));
  }
  const double max_score = req.view() == v1::QUEUE_VIEW_AT_RISK
                               ? static_cast<double>(absl::ToUnixMillis(clock_.Now() + config_.policies.sla.at_risk))
                               : kNoDeadlineScore;
  ASSIGN_OR_RETURN(QueuePage page, queues_.Page(queue, cursor, max_score, size,
                                                req.view() == v1::QUEUE_VIEW_BREACHED));
  for (auto& c : page.complaints) *resp->add_complaints() = std::move(c);
  if (page.next) resp->mutable_page()->set_next_page_token(EncodeCursor(*page.next));
  return absl::OkStatus();
}

absl::Status ComplaintQueries::CheckEligibility(const v1::CheckEligibilityRequest& req,
                                                v1::CheckEligibilityResponse* resp) {
  RETURN_IF_ERROR(ValidateText("line_id", req.line_id(), 1, 16));
  RETURN_IF_ERROR(ValidateTimestamp("at", req.at()));
  if (req.cause() == v1::CAUSE_UNSPECIFIED || !v1::Cause_IsValid(req.cause())) {
    return absl::InvalidArgumentError("cause: required, one of the causes of C4");
  }
  ASSIGN_OR_RETURN(order::v1::OrderFacts order, store_.OrderOf(req.order_id()));
  google::protobuf::RepeatedPtrField<std::string> ids;
  *ids.Add() = req.line_id();
  ASSIGN_OR_RETURN(auto lines, LinesOf(order, ids, "line_id"));
  const absl::Time at = IsSet(req.at()) ? FromProto(req.at()) : clock_.Now();
  ASSIGN_OR_RETURN(int extra, store_.ExtraWarrantyDays(CustomerShard(order.customer_id()), order.order_id()));
  ASSIGN_OR_RETURN(auto terms, store_.GetTerms(CustomerShard(order.customer_id()), order.order_id()));
  const LineFacts facts = LineFactsOf(order, lines[0], extra, terms ? &*terms : nullptr);
  for (auto& a : complaint::CheckEligibility(config_.policies.sanbao, facts, req.cause(), at)) {
    *resp->add_remedies() = std::move(a);
  }
  *resp->mutable_terms() = TermsOf(EffectiveRule(config_.policies.sanbao, facts));  // O8
  resp->set_terms_recorded(facts.recorded.has_value());
  return absl::OkStatus();
}

absl::Status ComplaintQueries::ReportCauses(const v1::ReportCausesRequest& req, v1::ReportCausesResponse* resp) {
  for (const auto& [field, ts] : {std::pair<const char*, const google::protobuf::Timestamp*>{"from", &req.from()},
                                  {"to", &req.to()}}) {
    RETURN_IF_ERROR(ValidateTimestamp(field, *ts));
  }
  const absl::Time to = IsSet(req.to()) ? FromProto(req.to()) : clock_.Now();
  const absl::Time from = IsSet(req.from()) ? FromProto(req.from()) : to - absl::Hours(24 * 30);
  if (from >= to) return absl::InvalidArgumentError("from: must be before to");
  ASSIGN_OR_RETURN(auto counts, store_.ReportCauses(from, to));
  for (auto& c : counts) *resp->add_counts() = std::move(c);
  return absl::OkStatus();
}

}  // namespace revisit::complaint
