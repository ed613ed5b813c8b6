// The complaint deciders: pure functions from (current complaint, request, facts,
// policies, now) to the new complaint plus the events to publish and the timers to
// set or cancel. No I/O: the service reads, calls a decider, and commits the
// Effects in one WriteBatch (complaint_store.h).
//
// Every decider validates its request (INVALID_ARGUMENT naming the field and the
// rule), checks the workflow (FAILED_PRECONDITION naming state and action, see
// workflow.h), records a Transition (who, when, why) and emits exactly the events
// listed in proto/revisit/complaint/v1/events.proto. SLA deadlines (C1, C7) are
// added, met and settled here; their durable timers are TimerChanges.
// Thread-safety: pure functions.
#ifndef REVISIT_SERVICES_COMPLAINT_DOMAIN_DECIDE_H_
#define REVISIT_SERVICES_COMPLAINT_DOMAIN_DECIDE_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <google/protobuf/message.h>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "revisit/complaint/v1/complaint.pb.h"
#include "revisit/complaint/v1/events.pb.h"
#include "revisit/loyalty/v1/loyalty.pb.h"
#include "revisit/order/v1/events.pb.h"
#include "services/complaint/domain/authority.h"
#include "services/complaint/domain/cause_routing.h"
#include "services/complaint/domain/eligibility.h"
#include "services/complaint/domain/refund_value.h"
#include "services/complaint/domain/sla.h"

namespace revisit::complaint {

// Everything configurable that the deciders use.
struct Policies {
  SlaPolicy sla;
  AuthorityPolicy authority;
  SanbaoPolicy sanbao;
  // How soon a failed execution is retried (C9).
  absl::Duration execution_retry = absl::Seconds(30);
  // The follow-up after resolution is due within this (C10).
  absl::Duration follow_up_within = absl::Hours(24 * 7);
  // After the window above passes without an answer: one reminder, then this long
  // for an answer before closing as "followed up, no answer" (C10).
  absl::Duration follow_up_reminder_wait = absl::Hours(24 * 3);
  // A REPAIR or GIFT remedy is done within this (the "fulfilment" deadline, C9).
  absl::Duration repair_within = absl::Hours(24 * 7);
  absl::Duration gift_within = absl::Hours(24 * 3);
  // Where causes lead (C11): suppliers per SKU, the recurring-cause alert.
  CauseRouting causes;
  // A follow-up satisfaction (1..5) at or below this reopens the complaint instead
  // of closing it (C10, C7, C15); 0 = every follow-up closes.
  int reopen_at_or_below = 2;
};

// True when a follow-up with `satisfaction` leaves the customer unhappy (C10).
inline bool IsUnhappy(const Policies& p, int satisfaction) { return satisfaction <= p.reopen_at_or_below; }

// How often `c` has been resolved: its history's transitions into RESOLVED from another state (1 after
// the first resolution, 2 after a reopen and a second one, ...). ComplaintResolved and
// the follow-up carry it, so each resolution gets its own follow-up (C10). Counted
// from the history, so complaints stored before the counter existed count right too.
int ResolutionCount(const v1::Complaint& c);

// One event to publish: name as in ce_type ("resolved") and its payload.
struct PendingEvent {
  std::string name;
  std::shared_ptr<google::protobuf::Message> payload;
};

// Schedule (due set) or cancel (due unset) the durable timer `id`.
struct TimerChange {
  std::string id;
  std::optional<absl::Time> due;
};

// The outcome of a decision.
struct Effects {
  v1::Complaint complaint;
  std::vector<PendingEvent> events;
  std::vector<TimerChange> timers;
};

// Timer IDs: "<complaint_id>|<deadline name>" and "<complaint_id>|exec".
std::string DeadlineTimerId(const std::string& complaint_id, const std::string& deadline);
std::string ExecutionTimerId(const std::string& complaint_id);
// Splits a timer ID back; INVALID_ARGUMENT if malformed.
absl::StatusOr<std::pair<std::string, std::string>> SplitTimerId(const std::string& id);

// The PII-free facts every event carries.
v1::ComplaintFacts FactsOf(const v1::Complaint& c, const common::v1::Actor& actor);

// Lines of `order` by ID; INVALID_ARGUMENT naming `field` for an unknown line.
absl::StatusOr<std::vector<order::v1::OrderLine>> LinesOf(const order::v1::OrderFacts& order,
                                                          const google::protobuf::RepeatedPtrField<std::string>& ids,
                                                          const std::string& field);
// The eligibility facts of `line` of `order`; `extra_warranty_days` promised for
// the order (O8 EXTENDED_WARRANTY promises) extend the warranty.
// `terms`, when recorded (O8), are the line's 三包 terms as in force when paid.
LineFacts LineFactsOf(const order::v1::OrderFacts& order, const order::v1::OrderLine& line,
                      int extra_warranty_days = 0, const v1::OrderTerms* terms = nullptr);

// True for the causes a complaint may have without an order: staff attitude and an
// expectation gap are about the service, not a product (R11: a low rating on a care
// tip, check-in or greeting). Every other cause (C4) needs the order.
bool OrderOptional(v1::Cause stated_cause);
// True for remedies carried out on order lines (refunds, exchange, repair): a
// complaint without an order cannot be offered or ruled one.
bool NeedsOrder(v1::RemedyKind kind);

// --- deciders (decide_open.cc) ---
// `order` is the projection of the order (must belong to req.customer_id); ignored
// when req.order_id is empty (OrderOptional causes only); `tier` the customer's
// loyalty tier (C16).
absl::StatusOr<Effects> DecideOpen(const v1::OpenComplaintRequest& req, const std::string& complaint_id,
                                   const order::v1::OrderFacts& order, loyalty::v1::Tier tier,
                                   const Policies& p, absl::Time now);
absl::StatusOr<Effects> DecideAcknowledge(const v1::Complaint& c, const v1::AcknowledgeComplaintRequest& req,
                                          const Policies& p, absl::Time now);
absl::StatusOr<Effects> DecideStartInvestigation(const v1::Complaint& c,
                                                 const v1::StartInvestigationRequest& req,
                                                 const Policies& p, absl::Time now);

// --- deciders (decide_cause.cc) ---
// The real cause (C4), and where it leads (C11): a quality cause emits quality_reported
// for each SKU's supplier, a staff attitude cause attitude_reported for management, and
// recurring_cause_detected for each SKU whose complaints with this cause within
// p.causes.window reach p.causes.threshold with this one. `prior`: per SKU of `c`,
// the other complaints with req.cause determined within the window (the store's count).
absl::StatusOr<Effects> DecideDetermineCause(const v1::Complaint& c, const v1::DetermineCauseRequest& req,
                                             const Policies& p, absl::Time now,
                                             const CauseCounts& prior = {});

// --- deciders (decide_remedy.cc) ---
absl::StatusOr<Effects> DecideProposeRemedies(const v1::Complaint& c, const v1::ProposeRemediesRequest& req,
                                              const order::v1::OrderFacts& order, const Policies& p,
                                              absl::Time now, int extra_warranty_days = 0,
                                              const v1::OrderTerms* terms = nullptr);
absl::StatusOr<Effects> DecideApproveRemedy(const v1::Complaint& c, const v1::ApproveRemedyRequest& req,
                                            const Policies& p, absl::Time now);
absl::StatusOr<Effects> DecideAcceptRemedy(const v1::Complaint& c, const v1::AcceptRemedyRequest& req,
                                           const Policies& p, absl::Time now);
// True while `c` is EXECUTING a REPAIR or GIFT whose last stage is not recorded (C9):
// no call finishes it, only RecordFulfilment.
bool AwaitsFulfilment(const v1::Complaint& c);
// The remedy accepted (or ordered by the platform), or FAILED_PRECONDITION.
absl::StatusOr<v1::Remedy> AcceptedRemedy(const v1::Complaint& c);

// --- deciders (decide_resolve.cc) ---
// ACCEPTED → EXECUTING (C9), with a durable retry timer; a REPAIR or GIFT stays
// EXECUTING with its fulfilment and "fulfilment" deadline (DecideRecordFulfilment
// takes it on); an apology goes straight on to RESOLVED.
// In EXECUTING it changes nothing (the caller retries the execution).
absl::StatusOr<Effects> DecideResolve(const v1::Complaint& c, const common::v1::Actor& actor,
                                      const Policies& p, absl::Time now);
// The execution finished: EXECUTING → RESOLVED, ComplaintResolved (C10 follow-up).
// FAILED_PRECONDITION while a fulfilment (repair, gift) is not done.
absl::StatusOr<Effects> DecideExecutionSucceeded(const v1::Complaint& c, const Policies& p,
                                                 absl::Time now);
// The execution failed: stays EXECUTING with execution_error; retry timer moved.
absl::StatusOr<Effects> DecideExecutionFailed(const v1::Complaint& c, const std::string& error,
                                              const Policies& p, absl::Time now);
absl::StatusOr<Effects> DecideRecordRuling(const v1::Complaint& c, const v1::RecordPlatformRulingRequest& req,
                                           const Policies& p, absl::Time now);

// --- deciders (decide_fulfilment.cc) ---
// The accepted REPAIR or GIFT remedy moved on (C9): stays EXECUTING with the stage
// recorded, or on the last stage (RETURNED, SHIPPED) goes on to RESOLVED
// (ComplaintResolved, C10 follow-up). Emits fulfilment_recorded. FAILED_PRECONDITION
// unless EXECUTING such a remedy, or for a stage that is not the remedy's or not
// after the current one.
absl::StatusOr<Effects> DecideRecordFulfilment(const v1::Complaint& c, const v1::RecordFulfilmentRequest& req,
                                               const Policies& p, absl::Time now);

// --- deciders (decide_follow_up.cc) ---
// A follow-up window (kFollowUp or kFollowUpReminder) passed: nullopt when there is
// nothing to do (answered, not RESOLVED any more, not yet due). The customer's
// silence is not the shop's breach (C10): after kFollowUp the deadline is met with
// a note, a history entry records the reminder, kFollowUpReminder is due after
// follow_up_reminder_wait and follow_up_reminder_due asks outreach for one more
// touch; after kFollowUpReminder the complaint goes RESOLVED → FOLLOWED_UP → CLOSED
// with closure_reason FOLLOW_UP_NO_ANSWER (closed carries it).
absl::StatusOr<std::optional<Effects>> DecideFollowUpSilence(const v1::Complaint& c, const std::string& deadline,
                                                             const Policies& p, absl::Time now);

// --- deciders (decide_queue.cc) ---
// Assign or reassign (queues.h): agent_id empty = unassigned, team empty = keep the
// current team. Only an active complaint; a request that changes nothing records
// nothing. Emits `assigned` with the previous owner.
absl::StatusOr<Effects> DecideAssign(const v1::Complaint& c, const v1::AssignComplaintRequest& req,
                                     const Policies& p, absl::Time now);
// The actor becomes the assignee; a supervisor (authority role that can approve, C8)
// also takes it out of the supervisor queue, recorded in escalation_taken_by.
// Emits `taken`.
absl::StatusOr<Effects> DecideTake(const v1::Complaint& c, const v1::TakeComplaintRequest& req, const Policies& p,
                                   absl::Time now);

// --- deciders (decide_other.cc) ---
// RESOLVED → FOLLOWED_UP, then in the same decision (C10): CLOSED with `closed`
// when the customer is satisfied, or REOPENED (priority one step up, first response
// due again, `reopened`) when IsUnhappy. `touch_id` set when it came from outreach.
// follow_up.resolution 0 answers the current resolution; another value that is not
// ResolutionCount(c) is a stale answer to an earlier one: FAILED_PRECONDITION, so a
// late result for the first resolution never closes a reopened, re-resolved complaint.
absl::StatusOr<Effects> DecideRecordFollowUp(const v1::Complaint& c, const v1::RecordFollowUpRequest& req,
                                             const Policies& p, absl::Time now);
// FOLLOWED_UP (a complaint left there before follow-ups closed it) or REJECTED → CLOSED.
absl::StatusOr<Effects> DecideClose(const v1::Complaint& c, const v1::CloseComplaintRequest& req,
                                    const Policies& p, absl::Time now);
absl::StatusOr<Effects> DecideReject(const v1::Complaint& c, const v1::RejectComplaintRequest& req,
                                     const Policies& p, absl::Time now);
absl::StatusOr<Effects> DecideEscalate(const v1::Complaint& c, const v1::EscalateComplaintRequest& req,
                                       const Policies& p, absl::Time now);
absl::StatusOr<Effects> DecideReopen(const v1::Complaint& c, const v1::ReopenComplaintRequest& req,
                                     const Policies& p, absl::Time now);
absl::StatusOr<Effects> DecidePromiseUpdate(const v1::Complaint& c, const v1::PromiseUpdateRequest& req,
                                            const Policies& p, absl::Time now);
absl::StatusOr<Effects> DecidePostUpdate(const v1::Complaint& c, const v1::PostUpdateRequest& req,
                                         const Policies& p, absl::Time now);
// A shop deadline timer fired (IsShopDeadline; follow-up windows go to
// DecideFollowUpSilence). Returns nullopt when there is nothing to do (deadline met,
// already breached, paused, or not yet due); otherwise marks it breached, sets sla_breached,
// raises priority, puts it in the supervisor queue (until a supervisor takes it), and
// emits SlaBreached and ComplaintEscalated (C1, C7).
absl::StatusOr<std::optional<Effects>> DecideSlaBreach(const v1::Complaint& c, const std::string& deadline,
                                                       const Policies& p, absl::Time now);

}  // namespace revisit::complaint

#endif  // REVISIT_SERVICES_COMPLAINT_DOMAIN_DECIDE_H_
