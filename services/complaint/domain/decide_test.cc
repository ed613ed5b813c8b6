// The deciders end to end on plain values: C1-C16 as one customer's complaint moves.
#include "services/complaint/domain/decide.h"

#include <gtest/gtest.h>

#include "services/complaint/domain/workflow.h"
#include "services/complaint/domain/execution_plan.h"
#include "services/complaint/domain/testing/decide_test_data.h"
#include "common/proto_time.h"

namespace revisit::complaint {
namespace {

using testing::AckRequest;
using testing::Agent;
using testing::ByAgent;
using testing::CauseRequest;
using testing::EscalateRequest;
using testing::OpenRequest;
using testing::RulingRequest;

class DecideTest : public ::testing::Test {
 protected:
  DecideTest() {
    p_.authority = *AuthorityPolicy::Parse("agent=5000/500,supervisor=100000/10000/approve");
    order_ = testing::DeliveredOrder(clock_.Now() - absl::Hours(48));
  }

  v1::Complaint Apply(absl::StatusOr<Effects> e) {
    EXPECT_TRUE(e.ok()) << e.status();
    last_ = *e;
    return e->complaint;
  }

  v1::Complaint Opened() {
    v1::OpenComplaintRequest req = OpenRequest(order_, v1::CAUSE_QUALITY_DEFECT, "the sole came off after two days");
    return Apply(DecideOpen(req, "cmp-03-00000000000000aa", order_, loyalty::v1::TIER_REGULAR, p_, clock_.Now()));
  }

  v1::Complaint Investigating() {
    v1::Complaint c = Opened();
    v1::AcknowledgeComplaintRequest ack = AckRequest("the left sole detached on day two", "we are sorry");
    c = Apply(DecideAcknowledge(c, ack, p_, clock_.Now()));
    auto inv = ByAgent<v1::StartInvestigationRequest>();
    c = Apply(DecideStartInvestigation(c, inv, p_, clock_.Now()));
    v1::DetermineCauseRequest cause = CauseRequest(v1::CAUSE_QUALITY_DEFECT);
    return Apply(DecideDetermineCause(c, cause, p_, clock_.Now()));
  }

  v1::ProposeRemediesRequest Propose(v1::RemedyKind kind, int64_t amount) {
    auto req = ByAgent<v1::ProposeRemediesRequest>();
    auto* r = req.add_remedies();
    r->set_kind(kind);
    r->mutable_amount()->set_amount_minor(amount);
    r->mutable_amount()->set_currency("CNY");
    return req;
  }

  v1::Complaint Accepted(v1::RemedyKind kind, int64_t amount) {
    v1::Complaint c = Apply(DecideProposeRemedies(Investigating(), Propose(kind, amount), order_, p_, clock_.Now()));
    auto acc = ByAgent<v1::AcceptRemedyRequest>();
    acc.set_remedy_id(c.proposals(0).remedy_id());
    return Apply(DecideAcceptRemedy(c, acc, p_, clock_.Now()));
  }

  std::vector<std::string> EventNames() const {
    std::vector<std::string> n;
    for (const auto& e : last_.events) n.push_back(e.name);
    return n;
  }

  testing::TestClock clock_;
  Policies p_;
  order::v1::OrderFacts order_;
  Effects last_;
};

TEST_F(DecideTest, C1_OpenSetsFirstResponseDeadlineAndTimer) {
  v1::Complaint c = Opened();
  EXPECT_EQ(c.state(), v1::COMPLAINT_STATE_OPENED);
  EXPECT_EQ(c.priority(), v1::PRIORITY_NORMAL);
  EXPECT_EQ(c.skus(0), "SHOE-38");
  ASSERT_NE(FindDeadline(c, kFirstResponse), nullptr);
  EXPECT_EQ(FromProto(FindDeadline(c, kFirstResponse)->due_at()), clock_.Now() + absl::Hours(24));
  EXPECT_EQ(EventNames(), std::vector<std::string>{"opened"});
  ASSERT_EQ(last_.timers.size(), 2u);
  EXPECT_EQ(last_.timers[0].id, "cmp-03-00000000000000aa|first_response");
  EXPECT_EQ(c.history(0).action(), "open");
  EXPECT_EQ(c.history(0).actor().id(), "staff-1");
}

TEST_F(DecideTest, C16_PlatinumCustomerGetsUrgentPriority) {
  v1::OpenComplaintRequest req = OpenRequest(order_, v1::CAUSE_QUALITY_DEFECT, "x");
  auto e = DecideOpen(req, "cmp-1", order_, loyalty::v1::TIER_PLATINUM, p_, clock_.Now());
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->complaint.priority(), v1::PRIORITY_URGENT);
  EXPECT_EQ(FromProto(FindDeadline(e->complaint, kFirstResponse)->due_at()), clock_.Now() + absl::Hours(2));
}

TEST_F(DecideTest, OpenOnSomeoneElsesOrderIsRefused) {
  auto req = ByAgent<v1::OpenComplaintRequest>();
  req.set_customer_id("cus-03-00000000000000ff");
  req.set_order_id(order_.order_id());
  req.set_stated_cause(v1::CAUSE_QUALITY_DEFECT);
  req.set_account("x");
  auto e = DecideOpen(req, "cmp-1", order_, loyalty::v1::TIER_REGULAR, p_, clock_.Now());
  EXPECT_EQ(e.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_NE(e.status().message().find("belongs to another customer"), std::string::npos);
}

TEST_F(DecideTest, OpenValidationNamesTheField) {
  auto req = ByAgent<v1::OpenComplaintRequest>();
  req.set_customer_id(order_.customer_id());
  req.set_order_id(order_.order_id());
  req.set_account("x");
  auto e = DecideOpen(req, "cmp-1", order_, loyalty::v1::TIER_REGULAR, p_, clock_.Now());
  EXPECT_EQ(e.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(e.status().message().find("stated_cause"), std::string::npos);
  req.set_stated_cause(v1::CAUSE_QUALITY_DEFECT);
  req.add_line_ids("9");
  e = DecideOpen(req, "cmp-1", order_, loyalty::v1::TIER_REGULAR, p_, clock_.Now());
  EXPECT_NE(e.status().message().find("line_ids[0]"), std::string::npos) << e.status();
}

TEST_F(DecideTest, R11_AComplaintAboutTheServiceNeedsNoOrder) {
  v1::OpenComplaintRequest req = OpenRequest(order_.customer_id(), v1::CAUSE_STAFF_ATTITUDE, "the agent on the phone was rude");
  const order::v1::OrderFacts none;  // what the service passes without an order
  v1::Complaint c = Apply(DecideOpen(req, "cmp-03-00000000000000ab", none, loyalty::v1::TIER_REGULAR, p_, clock_.Now()));
  EXPECT_EQ(c.state(), v1::COMPLAINT_STATE_OPENED);
  EXPECT_TRUE(c.order_id().empty());
  EXPECT_EQ(c.line_ids_size(), 0);
  EXPECT_EQ(c.skus_size(), 0);
  EXPECT_NE(FindDeadline(c, kFirstResponse), nullptr);  // C1 holds all the same
  // An expectation gap (outreach's low rating on a greeting, R11) too.
  req.set_stated_cause(v1::CAUSE_EXPECTATION_GAP);
  req.set_source_touch_id("tch-05-00000000000000aa");
  EXPECT_TRUE(DecideOpen(req, "cmp-2", none, loyalty::v1::TIER_REGULAR, p_, clock_.Now()).ok());
  // Lines need an order.
  req.add_line_ids("1");
  auto lines = DecideOpen(req, "cmp-2", none, loyalty::v1::TIER_REGULAR, p_, clock_.Now());
  EXPECT_EQ(lines.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(lines.status().message().find("line_ids"), std::string::npos) << lines.status();
  // A complaint about a product does.
  req.clear_line_ids();
  for (v1::Cause cause : {v1::CAUSE_QUALITY_DEFECT, v1::CAUSE_NOT_AS_DESCRIBED, v1::CAUSE_WRONG_OR_MISSING_ITEM,
                          v1::CAUSE_TRANSIT_DAMAGE, v1::CAUSE_DELIVERY_DELAY, v1::CAUSE_CUSTOMER_MISUSE}) {
    req.set_stated_cause(cause);
    auto e = DecideOpen(req, "cmp-2", none, loyalty::v1::TIER_REGULAR, p_, clock_.Now());
    EXPECT_EQ(e.status().code(), absl::StatusCode::kInvalidArgument) << v1::Cause_Name(cause);
    EXPECT_NE(e.status().message().find("order_id"), std::string::npos) << e.status();
  }
}

TEST_F(DecideTest, R11_WithoutAnOrderOnlyRemediesThatNeedNone) {
  v1::OpenComplaintRequest req = OpenRequest(order_.customer_id(), v1::CAUSE_STAFF_ATTITUDE, "rude on the phone");
  order::v1::OrderFacts none;
  none.set_customer_id(order_.customer_id());
  v1::Complaint c = Apply(DecideOpen(req, "cmp-03-00000000000000ac", none, loyalty::v1::TIER_REGULAR, p_, clock_.Now()));
  v1::AcknowledgeComplaintRequest ack = AckRequest("the agent was rude", "we are sorry");
  c = Apply(DecideAcknowledge(c, ack, p_, clock_.Now()));
  auto inv = ByAgent<v1::StartInvestigationRequest>();
  c = Apply(DecideStartInvestigation(c, inv, p_, clock_.Now()));
  v1::DetermineCauseRequest cause = CauseRequest(v1::CAUSE_STAFF_ATTITUDE);
  c = Apply(DecideDetermineCause(c, cause, p_, clock_.Now()));
  for (v1::RemedyKind k : {v1::REMEDY_KIND_FULL_REFUND, v1::REMEDY_KIND_PARTIAL_REFUND, v1::REMEDY_KIND_EXCHANGE,
                           v1::REMEDY_KIND_REPAIR}) {
    auto e = DecideProposeRemedies(c, Propose(k, 1000), none, p_, clock_.Now());
    EXPECT_EQ(e.status().code(), absl::StatusCode::kFailedPrecondition) << v1::RemedyKind_Name(k);
    EXPECT_NE(e.status().message().find("needs an order"), std::string::npos) << e.status();
  }
  c = Apply(DecideProposeRemedies(c, Propose(v1::REMEDY_KIND_VOUCHER, 1000), none, p_, clock_.Now()));
  EXPECT_EQ(c.proposals(0).kind(), v1::REMEDY_KIND_VOUCHER);
  EXPECT_EQ(c.proposals(0).line_ids_size(), 0);
  // Nor can the platform order a refund of a complaint without an order.
  v1::EscalateComplaintRequest esc = EscalateRequest("not enough");
  c = Apply(DecideEscalate(c, esc, p_, clock_.Now()));
  v1::RecordPlatformRulingRequest ruling = RulingRequest("refund");
  ruling.mutable_remedy()->set_kind(v1::REMEDY_KIND_FULL_REFUND);
  EXPECT_EQ(DecideRecordRuling(c, ruling, p_, clock_.Now()).status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(DecideTest, C2_AcknowledgeNeedsConfirmedRestatementAndMeetsC1) {
  v1::Complaint c = Opened();
  auto ack = ByAgent<v1::AcknowledgeComplaintRequest>();
  ack.set_restatement("r");
  ack.set_apology("sorry");
  EXPECT_EQ(DecideAcknowledge(c, ack, p_, clock_.Now()).status().code(), absl::StatusCode::kInvalidArgument);
  ack.set_restatement_confirmed(true);
  c = Apply(DecideAcknowledge(c, ack, p_, clock_.Now()));
  EXPECT_TRUE(IsSet(FindDeadline(c, kFirstResponse)->met_at()));
  ASSERT_EQ(last_.timers.size(), 1u);  // first_response timer cancelled
  EXPECT_FALSE(last_.timers[0].due.has_value());
}

TEST_F(DecideTest, C4_ProposeNeedsDeterminedCause) {
  v1::Complaint c = Opened();
  v1::AcknowledgeComplaintRequest ack = AckRequest("r", "sorry");
  c = Apply(DecideAcknowledge(c, ack, p_, clock_.Now()));
  auto inv = ByAgent<v1::StartInvestigationRequest>();
  c = Apply(DecideStartInvestigation(c, inv, p_, clock_.Now()));
  auto e = DecideProposeRemedies(c, Propose(v1::REMEDY_KIND_APOLOGY, 0), order_, p_, clock_.Now());
  EXPECT_EQ(e.status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(DecideTest, RefundAbovePaidIsAClearError) {
  auto e = DecideProposeRemedies(Investigating(), Propose(v1::REMEDY_KIND_PARTIAL_REFUND, 30001), order_, p_,
                                 clock_.Now());
  EXPECT_EQ(e.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(e.status().message().find("remedies[0].amount: 30001 exceeds"), std::string::npos) << e.status();
}

TEST_F(DecideTest, C13_OutsideEligibilityNeedsGoodwillWithReason) {
  clock_.Advance(absl::Hours(24 * 20));  // past return and exchange windows
  v1::Complaint c = Investigating();
  auto req = Propose(v1::REMEDY_KIND_FULL_REFUND, 0);
  auto e = DecideProposeRemedies(c, req, order_, p_, clock_.Now());
  EXPECT_EQ(e.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(e.status().message().find("goodwill"), std::string::npos);
  req.mutable_remedies(0)->set_goodwill(true);
  EXPECT_EQ(DecideProposeRemedies(c, req, order_, p_, clock_.Now()).status().code(),
            absl::StatusCode::kInvalidArgument);  // reason missing
  req.mutable_remedies(0)->set_goodwill_reason("loyal customer");
  c = Apply(DecideProposeRemedies(c, req, order_, p_, clock_.Now()));
  EXPECT_EQ(c.proposals(0).amount().amount_minor(), 30000);
  EXPECT_TRUE(c.proposals(0).requires_approval());  // goodwill counts against authority (C8)
}

TEST_F(DecideTest, C6_FullRefundProposalShowsWhatWasPaidNotTheListPrice) {
  // Two lines, 300.00 + 100.00 list, 320.00 paid after a 20% discount, 20.00
  // already refunded: the order service refunds paid shares, not list prices.
  auto* l2 = order_.add_lines();
  l2->set_line_id("2");
  l2->set_sku("SOCKS");
  l2->set_category("shoes");
  l2->set_quantity(2);
  l2->mutable_unit_price()->set_amount_minor(5000);
  l2->mutable_unit_price()->set_currency("CNY");
  order_.mutable_paid()->set_amount_minor(32000);
  order_.mutable_refunded()->set_amount_minor(2000);
  v1::Complaint c = Investigating();
  auto req = Propose(v1::REMEDY_KIND_FULL_REFUND, 0);
  req.mutable_remedies(0)->add_line_ids("1");
  auto* whole = req.add_remedies();
  whole->set_kind(v1::REMEDY_KIND_FULL_REFUND);
  c = Apply(DecideProposeRemedies(c, req, order_, p_, clock_.Now()));
  EXPECT_EQ(c.proposals(0).amount().amount_minor(), 24000);  // 300.00 × 320/400, not 300.00
  EXPECT_EQ(c.proposals(1).amount().amount_minor(), 30000);  // 320.00 paid - 20.00 refunded
  EXPECT_EQ(c.proposals(1).amount().currency(), "CNY");
  // The execution asks the order service for exactly that: line 1, or the whole order.
  auto one = PlanExecution(c, c.proposals(0), order_);
  ASSERT_TRUE(one.ok() && one->refund.has_value());
  ASSERT_EQ(one->refund->lines().lines_size(), 1);
  EXPECT_EQ(one->refund->lines().lines(0).line_id(), "1");
  auto all = PlanExecution(c, c.proposals(1), order_);
  ASSERT_TRUE(all.ok() && all->refund.has_value());
  EXPECT_TRUE(all->refund->full());
}

TEST_F(DecideTest, C8_AboveAuthorityNeedsApprovalBeforeAcceptance) {
  v1::Complaint c = Apply(DecideProposeRemedies(Investigating(), Propose(v1::REMEDY_KIND_PARTIAL_REFUND, 8000),
                                                order_, p_, clock_.Now()));
  ASSERT_TRUE(c.proposals(0).requires_approval());
  auto acc = ByAgent<v1::AcceptRemedyRequest>();
  acc.set_remedy_id("r1");
  EXPECT_EQ(DecideAcceptRemedy(c, acc, p_, clock_.Now()).status().code(), absl::StatusCode::kFailedPrecondition);
  auto ap = ByAgent<v1::ApproveRemedyRequest>();
  ap.set_remedy_id("r1");
  EXPECT_EQ(DecideApproveRemedy(c, ap, p_, clock_.Now()).status().code(), absl::StatusCode::kPermissionDenied);
  *ap.mutable_actor() = Agent("supervisor");
  c = Apply(DecideApproveRemedy(c, ap, p_, clock_.Now()));
  EXPECT_EQ(c.proposals(0).approved_by(), "staff-1");
  c = Apply(DecideAcceptRemedy(c, acc, p_, clock_.Now()));
  EXPECT_EQ(c.state(), v1::COMPLAINT_STATE_RESOLUTION_ACCEPTED);
  // The customer chose: the SLA clock runs again.
  EXPECT_EQ(EventNames(), (std::vector<std::string>{"remedy_accepted", "sla_resumed"}));
}

TEST_F(DecideTest, SlaClockPausesWhileTheCustomerChoosesAndResumesWithTheTimeLeft) {
  v1::Complaint c = Investigating();
  const absl::Time due = FromProto(FindDeadline(c, kResolution)->due_at());
  clock_.Advance(absl::Hours(1));
  c = Apply(DecideProposeRemedies(c, Propose(v1::REMEDY_KIND_APOLOGY, 0), order_, p_, clock_.Now()));
  EXPECT_EQ(EventNames(), (std::vector<std::string>{"remedies_proposed", "sla_paused"}));
  EXPECT_EQ(c.sla_pause().reason(), v1::SLA_PAUSE_REASON_WAITING_ON_CUSTOMER);
  EXPECT_EQ(FromProto(FindDeadline(c, kResolution)->paused_since()), clock_.Now());
  // The paused deadline's timer is cancelled: it cannot breach while the customer thinks.
  ASSERT_EQ(last_.timers.size(), 1u);
  EXPECT_EQ(last_.timers[0].id, DeadlineTimerId(c.complaint_id(), kResolution));
  EXPECT_FALSE(last_.timers[0].due.has_value());
  const auto* paused = static_cast<const v1::SlaPaused*>(last_.events[1].payload.get());
  ASSERT_EQ(paused->deadlines_size(), 1);
  EXPECT_EQ(paused->deadlines(0).name(), kResolution);
  auto none = DecideSlaBreach(c, kResolution, p_, due + absl::Hours(1));
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());

  clock_.Advance(absl::Hours(30));
  auto acc = ByAgent<v1::AcceptRemedyRequest>("customer");
  acc.set_remedy_id(c.proposals(0).remedy_id());
  c = Apply(DecideAcceptRemedy(c, acc, p_, clock_.Now()));
  EXPECT_EQ(EventNames(), (std::vector<std::string>{"remedy_accepted", "sla_resumed"}));
  EXPECT_EQ(FromProto(FindDeadline(c, kResolution)->due_at()), due + absl::Hours(30));
  EXPECT_EQ(FindDeadline(c, kResolution)->paused_seconds(), 30 * 3600);
  EXPECT_FALSE(c.has_sla_pause());
  ASSERT_EQ(c.sla_pauses_size(), 1);
  ASSERT_EQ(last_.timers.size(), 1u);
  EXPECT_EQ(*last_.timers[0].due, due + absl::Hours(30));
}

TEST_F(DecideTest, C12_SlaClockPausesWhileThePlatformRules) {
  v1::Complaint c = Opened();  // escalated before the first response
  v1::EscalateComplaintRequest esc = EscalateRequest("cannot agree");
  c = Apply(DecideEscalate(c, esc, p_, clock_.Now()));
  EXPECT_EQ(EventNames(), (std::vector<std::string>{"escalated", "sla_paused"}));
  EXPECT_EQ(c.sla_pause().reason(), v1::SLA_PAUSE_REASON_WAITING_ON_PLATFORM);
  EXPECT_EQ(last_.timers.size(), 2u);  // first response and resolution stopped
  clock_.Advance(absl::Hours(48));
  v1::RecordPlatformRulingRequest ruling = RulingRequest("no remedy owed");
  c = Apply(DecideRecordRuling(c, ruling, p_, clock_.Now()));
  EXPECT_EQ(c.state(), v1::COMPLAINT_STATE_REJECTED);
  // Rejected settles the deadlines; the pause still ends, recorded.
  EXPECT_EQ(EventNames(), (std::vector<std::string>{"ruling_recorded", "rejected", "sla_resumed"}));
  EXPECT_EQ(c.sla_pauses(0).reason(), v1::SLA_PAUSE_REASON_WAITING_ON_PLATFORM);
  EXPECT_FALSE(c.has_sla_pause());
}

TEST_F(DecideTest, C9_RefundExecutesWithDurableRetryThenResolves) {
  v1::Complaint c = Accepted(v1::REMEDY_KIND_PARTIAL_REFUND, 5000);
  c = Apply(DecideResolve(c, Agent(), p_, clock_.Now()));
  EXPECT_EQ(c.state(), v1::COMPLAINT_STATE_EXECUTING);
  EXPECT_EQ(EventNames(), std::vector<std::string>{"executing"});
  ASSERT_EQ(last_.timers.size(), 1u);
  EXPECT_EQ(last_.timers[0].id, "cmp-03-00000000000000aa|exec");
  // A repeat while executing records nothing.
  auto again = DecideResolve(c, Agent(), p_, clock_.Now());
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->events.empty());
  EXPECT_EQ(again->complaint.history_size(), c.history_size());
  // Failure: visible, still executing.
  c = Apply(DecideExecutionFailed(c, "order service unavailable", p_, clock_.Now()));
  EXPECT_EQ(c.state(), v1::COMPLAINT_STATE_EXECUTING);
  EXPECT_EQ(c.execution_error(), "order service unavailable");
  // Plan: deterministic idempotency key.
  auto plan = PlanExecution(c, *AcceptedRemedy(c), order_);
  ASSERT_TRUE(plan.ok());
  ASSERT_TRUE(plan->refund.has_value());
  EXPECT_EQ(plan->refund->request_id(), "cmp-03-00000000000000aa:r1:exec");
  EXPECT_EQ(plan->refund->amount().amount_minor(), 5000);
  c = Apply(DecideExecutionSucceeded(c, p_, clock_.Now()));
  EXPECT_EQ(c.state(), v1::COMPLAINT_STATE_RESOLVED);
  EXPECT_TRUE(c.execution_error().empty());
  EXPECT_EQ(EventNames(), std::vector<std::string>{"resolved"});
  // C10: the follow-up deadline is tracked.
  ASSERT_NE(FindDeadline(c, "follow_up"), nullptr);
  EXPECT_EQ(FromProto(FindDeadline(c, "follow_up")->due_at()), clock_.Now() + absl::Hours(24 * 7));
}

TEST_F(DecideTest, C9_ApologyNeedsNoCallAndResolvesAtOnce) {
  v1::Complaint c = Accepted(v1::REMEDY_KIND_APOLOGY, 0);
  c = Apply(DecideResolve(c, Agent(), p_, clock_.Now()));
  EXPECT_EQ(c.state(), v1::COMPLAINT_STATE_RESOLVED);
  EXPECT_EQ(EventNames(), (std::vector<std::string>{"executing", "resolved"}));
}

TEST_F(DecideTest, C9_RepairIsTrackedThroughItsStagesAndDeadlineBeforeResolved) {
  v1::Complaint c = Accepted(v1::REMEDY_KIND_REPAIR, 0);
  c = Apply(DecideResolve(c, Agent(), p_, clock_.Now()));
  // Not "as a note": still executing, with its own deadline, and no call to finish it.
  EXPECT_EQ(c.state(), v1::COMPLAINT_STATE_EXECUTING);
  EXPECT_EQ(EventNames(), std::vector<std::string>{"executing"});
  EXPECT_TRUE(AwaitsFulfilment(c));
  EXPECT_EQ(c.fulfilment().kind(), v1::REMEDY_KIND_REPAIR);
  ASSERT_NE(FindDeadline(c, kFulfilment), nullptr);
  EXPECT_EQ(FromProto(FindDeadline(c, kFulfilment)->due_at()), clock_.Now() + p_.repair_within);
  bool timer = false;
  for (const auto& t : last_.timers) timer |= t.id == DeadlineTimerId(c.complaint_id(), kFulfilment) && t.due;
  EXPECT_TRUE(timer) << "a missed repair deadline breaches and escalates (C7)";
  EXPECT_EQ(DecideExecutionSucceeded(c, p_, clock_.Now()).status().code(), absl::StatusCode::kFailedPrecondition);

  auto req = ByAgent<v1::RecordFulfilmentRequest>();
  req.set_stage(v1::FULFILMENT_STAGE_SHIPPED);  // a gift's stage
  EXPECT_EQ(DecideRecordFulfilment(c, req, p_, clock_.Now()).status().code(), absl::StatusCode::kInvalidArgument);
  req.set_stage(v1::FULFILMENT_STAGE_REPAIRED);  // skipping ahead is allowed
  c = Apply(DecideRecordFulfilment(c, req, p_, clock_.Now()));
  EXPECT_EQ(c.state(), v1::COMPLAINT_STATE_EXECUTING);
  EXPECT_EQ(EventNames(), std::vector<std::string>{"fulfilment_recorded"});
  req.set_stage(v1::FULFILMENT_STAGE_ITEM_RECEIVED);  // never backwards
  EXPECT_EQ(DecideRecordFulfilment(c, req, p_, clock_.Now()).status().code(), absl::StatusCode::kFailedPrecondition);
  req.set_stage(v1::FULFILMENT_STAGE_REPAIRED);  // nor twice
  EXPECT_EQ(DecideRecordFulfilment(c, req, p_, clock_.Now()).status().code(), absl::StatusCode::kFailedPrecondition);
  req.set_stage(v1::FULFILMENT_STAGE_RETURNED);
  EXPECT_EQ(DecideRecordFulfilment(c, req, p_, clock_.Now()).status().code(), absl::StatusCode::kInvalidArgument)
      << "the returned parcel needs its tracking reference";
  req.set_reference("SF1234567890");
  c = Apply(DecideRecordFulfilment(c, req, p_, clock_.Now() + absl::Hours(30)));
  EXPECT_EQ(c.state(), v1::COMPLAINT_STATE_RESOLVED);
  EXPECT_EQ(EventNames(), (std::vector<std::string>{"fulfilment_recorded", "resolved"}));
  EXPECT_TRUE(IsSet(FindDeadline(c, kFulfilment)->met_at()));
  EXPECT_FALSE(FindDeadline(c, kFulfilment)->breached());
  EXPECT_EQ(c.fulfilment().reference(), "SF1234567890");
  EXPECT_NE(FindDeadline(c, kFollowUp), nullptr) << "C10: the follow-up is owed";
}

TEST_F(DecideTest, C9_GiftIsDoneWhenShippedAndAMissedDeadlineBreaches) {
  v1::Complaint c = Accepted(v1::REMEDY_KIND_GIFT, 1000);
  c = Apply(DecideResolve(c, Agent(), p_, clock_.Now()));
  EXPECT_EQ(c.state(), v1::COMPLAINT_STATE_EXECUTING);
  EXPECT_EQ(FromProto(c.fulfilment().due_at()), clock_.Now() + p_.gift_within);
  auto breach = DecideSlaBreach(c, kFulfilment, p_, clock_.Now() + p_.gift_within);
  ASSERT_TRUE(breach.ok() && breach->has_value()) << breach.status();
  EXPECT_TRUE((*breach)->complaint.in_supervisor_queue());
  auto req = ByAgent<v1::RecordFulfilmentRequest>();
  req.set_stage(v1::FULFILMENT_STAGE_REPAIRED);
  EXPECT_EQ(DecideRecordFulfilment(c, req, p_, clock_.Now()).status().code(), absl::StatusCode::kInvalidArgument);
  req.set_stage(v1::FULFILMENT_STAGE_SHIPPED);
  req.set_reference("YTO 998877");
  c = Apply(DecideRecordFulfilment(c, req, p_, clock_.Now()));
  EXPECT_EQ(c.state(), v1::COMPLAINT_STATE_RESOLVED);
  EXPECT_FALSE(AwaitsFulfilment(c));
}

TEST_F(DecideTest, C9_NoFulfilmentOutsideARepairOrGift) {
  v1::Complaint c = Accepted(v1::REMEDY_KIND_PARTIAL_REFUND, 1000);
  c = Apply(DecideResolve(c, Agent(), p_, clock_.Now()));
  EXPECT_FALSE(AwaitsFulfilment(c));
  auto req = ByAgent<v1::RecordFulfilmentRequest>();
  req.set_stage(v1::FULFILMENT_STAGE_SHIPPED);
  req.set_reference("x");
  EXPECT_EQ(DecideRecordFulfilment(c, req, p_, clock_.Now()).status().code(), absl::StatusCode::kFailedPrecondition);
  req.set_stage(v1::FULFILMENT_STAGE_UNSPECIFIED);
  EXPECT_EQ(DecideRecordFulfilment(c, req, p_, clock_.Now()).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(DecideTest, C12_RulingOrderingARepairIsTrackedLikeAnAcceptedOne) {
  v1::Complaint c = Investigating();
  v1::EscalateComplaintRequest esc = EscalateRequest("cannot agree");
  c = Apply(DecideEscalate(c, esc, p_, clock_.Now()));
  v1::RecordPlatformRulingRequest ruling = RulingRequest("repair at the shop's cost");
  ruling.mutable_remedy()->set_kind(v1::REMEDY_KIND_REPAIR);
  c = Apply(DecideRecordRuling(c, ruling, p_, clock_.Now()));
  EXPECT_EQ(c.state(), v1::COMPLAINT_STATE_EXECUTING);
  EXPECT_TRUE(AwaitsFulfilment(c));
}

// Where causes lead (C11): determine a cause on a complaint about SHOE-38.
class CauseTest : public DecideTest {
 protected:
  CauseTest() {
    p_.causes.suppliers = {{"SHOE-38", "Wenzhou Shoe Works"}};
    p_.causes.threshold = 3;
  }
  v1::Complaint Determine(v1::Cause cause, const CauseCounts& prior) {
    v1::Complaint c = Opened();
    v1::AcknowledgeComplaintRequest ack = AckRequest("r", "sorry");
    c = Apply(DecideAcknowledge(c, ack, p_, clock_.Now()));
    auto inv = ByAgent<v1::StartInvestigationRequest>();
    c = Apply(DecideStartInvestigation(c, inv, p_, clock_.Now()));
    v1::DetermineCauseRequest req = CauseRequest(cause);
    req.set_note("glue failed");
    return Apply(DecideDetermineCause(c, req, p_, clock_.Now(), prior));
  }
  template <typename T>
  const T* Event(const std::string& name) const {
    for (const auto& e : last_.events) {
      if (e.name == name) return static_cast<const T*>(e.payload.get());
    }
    return nullptr;
  }
};

TEST_F(CauseTest, C11_QualityCauseIsAddressedToTheSkusSupplier) {
  Determine(v1::CAUSE_QUALITY_DEFECT, {});
  EXPECT_EQ(EventNames(), (std::vector<std::string>{"cause_determined", "quality_reported"}));
  const auto* q = Event<v1::QualityReported>("quality_reported");
  EXPECT_EQ(q->sku(), "SHOE-38");
  EXPECT_EQ(q->supplier(), "Wenzhou Shoe Works");
  EXPECT_EQ(q->cause(), v1::CAUSE_QUALITY_DEFECT);
  EXPECT_EQ(q->note(), "glue failed");
  p_.causes.suppliers.clear();  // unknown supplier: the report still goes out
  Determine(v1::CAUSE_QUALITY_DEFECT, {});
  EXPECT_EQ(Event<v1::QualityReported>("quality_reported")->supplier(), "");
}

TEST_F(CauseTest, C11_AttitudeCauseGoesToManagementOthersToNeither) {
  Determine(v1::CAUSE_STAFF_ATTITUDE, {});
  EXPECT_EQ(EventNames(), (std::vector<std::string>{"cause_determined", "attitude_reported"}));
  EXPECT_EQ(Event<v1::AttitudeReported>("attitude_reported")->note(), "glue failed");
  Determine(v1::CAUSE_TRANSIT_DAMAGE, {});
  EXPECT_EQ(EventNames(), std::vector<std::string>{"cause_determined"});
}

TEST_F(CauseTest, C11_RecurringCauseAlertsOnceWhenTheThresholdIsCrossed) {
  Determine(v1::CAUSE_TRANSIT_DAMAGE, {{"SHOE-38", 1}});
  EXPECT_EQ(Event<v1::RecurringCauseDetected>("recurring_cause_detected"), nullptr);
  Determine(v1::CAUSE_TRANSIT_DAMAGE, {{"SHOE-38", 2}});  // the third in the window
  const auto* r = Event<v1::RecurringCauseDetected>("recurring_cause_detected");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->sku(), "SHOE-38");
  EXPECT_EQ(r->cause(), v1::CAUSE_TRANSIT_DAMAGE);
  EXPECT_EQ(r->count(), 3);
  EXPECT_EQ(r->threshold(), 3);
  EXPECT_EQ(r->window_seconds(), absl::ToInt64Seconds(p_.causes.window));
  EXPECT_EQ(r->supplier(), "Wenzhou Shoe Works");
  Determine(v1::CAUSE_TRANSIT_DAMAGE, {{"SHOE-38", 3}});  // already above: no new alert
  EXPECT_EQ(Event<v1::RecurringCauseDetected>("recurring_cause_detected"), nullptr);
  p_.causes.threshold = 0;  // off
  Determine(v1::CAUSE_TRANSIT_DAMAGE, {{"SHOE-38", 2}});
  EXPECT_EQ(Event<v1::RecurringCauseDetected>("recurring_cause_detected"), nullptr);
}

TEST_F(CauseTest, C11_TheSameCauseDeterminedAgainIsNotRoutedTwice) {
  v1::Complaint c = Determine(v1::CAUSE_QUALITY_DEFECT, {{"SHOE-38", 2}});
  v1::DetermineCauseRequest again = CauseRequest(v1::CAUSE_QUALITY_DEFECT);
  c = Apply(DecideDetermineCause(c, again, p_, clock_.Now(), {{"SHOE-38", 2}}));
  EXPECT_EQ(EventNames(), std::vector<std::string>{"cause_determined"});
}

TEST(CauseRoutingTest, SuppliersParseAndBadEntriesNameThemselves) {
  auto s = ParseSuppliers(" SHOE-38 = Wenzhou Shoe Works , BAG-1=Guangzhou Leather ");
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->at("SHOE-38"), "Wenzhou Shoe Works");
  EXPECT_EQ(s->at("BAG-1"), "Guangzhou Leather");
  EXPECT_TRUE(ParseSuppliers("")->empty());
  EXPECT_NE(ParseSuppliers("SHOE-38").status().message().find("'SHOE-38' is not SKU=supplier"), std::string::npos);
  EXPECT_NE(ParseSuppliers("A=x,A=y").status().message().find("SKU A has two suppliers"), std::string::npos);
  EXPECT_TRUE(CrossesThreshold(2, 3));
  EXPECT_FALSE(CrossesThreshold(3, 3));
  EXPECT_FALSE(CrossesThreshold(1, 3));
  EXPECT_TRUE(CrossesThreshold(0, 1));
  EXPECT_FALSE(CrossesThreshold(0, 0));
}

// A resolved complaint (apology, needs no call) and a follow-up request.
class FollowUpTest : public DecideTest {
 protected:
  v1::Complaint Resolved() {
    return Apply(DecideResolve(Accepted(v1::REMEDY_KIND_APOLOGY, 0), Agent(), p_, clock_.Now()));
  }
  v1::RecordFollowUpRequest FollowUp(int satisfaction) {
    auto f = ByAgent<v1::RecordFollowUpRequest>();
    f.mutable_follow_up()->set_satisfaction(satisfaction);
    f.mutable_follow_up()->set_comment("fine now");
    return f;
  }
  static bool AnyDeadlineOpen(const v1::Complaint& c) {
    for (const auto& d : c.deadlines()) {
      if (!IsSet(d.met_at()) && !d.breached()) return true;
    }
    return false;
  }
};

TEST_F(FollowUpTest, C10_SatisfactionOutOfRangeIsRejected) {
  v1::Complaint c = Resolved();
  for (int bad : {0, 6}) {
    EXPECT_EQ(DecideRecordFollowUp(c, FollowUp(bad), p_, clock_.Now()).status().code(),
              absl::StatusCode::kInvalidArgument);
  }
}

TEST_F(FollowUpTest, C10_SatisfiedFollowUpClosesInTheSameDecision) {
  v1::Complaint before = Resolved();
  clock_.Advance(absl::Hours(30));
  v1::Complaint c = Apply(DecideRecordFollowUp(before, FollowUp(3), p_, clock_.Now()));
  EXPECT_EQ(c.state(), v1::COMPLAINT_STATE_CLOSED);
  EXPECT_EQ(c.follow_up().satisfaction(), 3);
  EXPECT_EQ(EventNames(), (std::vector<std::string>{"follow_up_recorded", "closed"}));
  // Who, when, why: RESOLVED → FOLLOWED_UP → CLOSED, both by the recorder.
  ASSERT_EQ(c.history_size(), before.history_size() + 2);
  const v1::Transition& fu = c.history(c.history_size() - 2);
  const v1::Transition& close = c.history(c.history_size() - 1);
  EXPECT_EQ(fu.from(), v1::COMPLAINT_STATE_RESOLVED);
  EXPECT_EQ(fu.to(), v1::COMPLAINT_STATE_FOLLOWED_UP);
  EXPECT_EQ(fu.action(), "record_follow_up");
  EXPECT_EQ(close.from(), v1::COMPLAINT_STATE_FOLLOWED_UP);
  EXPECT_EQ(close.to(), v1::COMPLAINT_STATE_CLOSED);
  EXPECT_EQ(close.action(), "close");
  EXPECT_EQ(close.reason(), "follow-up recorded, satisfaction 3: closed (C10)");
  EXPECT_EQ(close.actor().id(), "staff-1");
  EXPECT_EQ(FromProto(close.at()), clock_.Now());
  // The follow-up deadline is met; nothing is left running.
  EXPECT_EQ(FromProto(FindDeadline(c, "follow_up")->met_at()), clock_.Now());
  EXPECT_FALSE(AnyDeadlineOpen(c));
  auto* ev = dynamic_cast<v1::ComplaintClosed*>(last_.events[1].payload.get());
  ASSERT_NE(ev, nullptr);
  EXPECT_EQ(ev->outcome(), v1::REMEDY_KIND_APOLOGY);
  EXPECT_EQ(ev->complaint().determined_cause(), v1::CAUSE_QUALITY_DEFECT);  // C11
  EXPECT_EQ(ev->complaint().state(), v1::COMPLAINT_STATE_CLOSED);
}

TEST_F(FollowUpTest, C10_C7_UnhappyCustomerReopensForTheHandlerWithHigherPriority) {
  v1::Complaint before = Resolved();
  ASSERT_EQ(before.priority(), v1::PRIORITY_NORMAL);
  v1::Complaint c = Apply(DecideRecordFollowUp(before, FollowUp(2), p_, clock_.Now()));
  EXPECT_EQ(c.state(), v1::COMPLAINT_STATE_REOPENED);
  EXPECT_EQ(c.follow_up().satisfaction(), 2);  // kept for the handler
  EXPECT_EQ(EventNames(), (std::vector<std::string>{"follow_up_recorded", "reopened"}));
  const v1::Transition& t = c.history(c.history_size() - 1);
  EXPECT_EQ(t.from(), v1::COMPLAINT_STATE_FOLLOWED_UP);
  EXPECT_EQ(t.to(), v1::COMPLAINT_STATE_REOPENED);
  EXPECT_EQ(t.reason(), "follow-up recorded, satisfaction 2: customer still unhappy, reopened (C10, C7, C15)");
  EXPECT_EQ(c.priority(), v1::PRIORITY_HIGH);
  EXPECT_TRUE(c.accepted_remedy_id().empty());
  EXPECT_FALSE(c.has_resolved_at());
  // C1: a first response is owed again, at the raised priority's target.
  const v1::Deadline* first = FindDeadline(c, kFirstResponse);
  ASSERT_NE(first, nullptr);
  EXPECT_FALSE(IsSet(first->met_at()));
  EXPECT_EQ(FromProto(first->due_at()), p_.sla.FirstResponseDue(v1::PRIORITY_HIGH, clock_.Now()));
  bool timer = false;
  for (const auto& tc : last_.timers) timer |= tc.id == "cmp-03-00000000000000aa|first_response" && tc.due;
  EXPECT_TRUE(timer);
  EXPECT_TRUE(IsActive(c.state()));
}

TEST_F(FollowUpTest, C10_ThresholdIsConfigurable) {
  p_.reopen_at_or_below = 0;  // every follow-up closes
  EXPECT_EQ(Apply(DecideRecordFollowUp(Resolved(), FollowUp(1), p_, clock_.Now())).state(),
            v1::COMPLAINT_STATE_CLOSED);
  p_.reopen_at_or_below = 4;
  EXPECT_EQ(Apply(DecideRecordFollowUp(Resolved(), FollowUp(4), p_, clock_.Now())).state(),
            v1::COMPLAINT_STATE_REOPENED);
  EXPECT_EQ(Apply(DecideRecordFollowUp(Resolved(), FollowUp(5), p_, clock_.Now())).state(),
            v1::COMPLAINT_STATE_CLOSED);
}

TEST_F(FollowUpTest, C10_OnlyAResolvedComplaintTakesAFollowUp) {
  v1::Complaint closed = Apply(DecideRecordFollowUp(Resolved(), FollowUp(5), p_, clock_.Now()));
  auto again = DecideRecordFollowUp(closed, FollowUp(5), p_, clock_.Now());
  EXPECT_EQ(again.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(again.status().message(), "complaint is CLOSED: cannot record_follow_up");
}

// Reopened by an unhappy follow-up, worked again (investigate, apology) and resolved.
class ResolvedAgainTest : public FollowUpTest {
 protected:
  v1::Complaint ResolvedTwice() {
    v1::Complaint c = Apply(DecideRecordFollowUp(Resolved(), FollowUp(1), p_, clock_.Now()));
    EXPECT_EQ(c.state(), v1::COMPLAINT_STATE_REOPENED);
    auto inv = ByAgent<v1::StartInvestigationRequest>();
    c = Apply(DecideStartInvestigation(c, inv, p_, clock_.Now()));
    c = Apply(DecideProposeRemedies(c, Propose(v1::REMEDY_KIND_APOLOGY, 0), order_, p_, clock_.Now()));
    auto acc = ByAgent<v1::AcceptRemedyRequest>();
    acc.set_remedy_id(c.proposals(0).remedy_id());
    c = Apply(DecideAcceptRemedy(c, acc, p_, clock_.Now()));
    clock_.Advance(absl::Hours(5));
    return Apply(DecideResolve(c, Agent(), p_, clock_.Now()));
  }
  const v1::ComplaintResolved* ResolvedEvent() const {
    for (const auto& e : last_.events) {
      if (e.name == "resolved") return dynamic_cast<v1::ComplaintResolved*>(e.payload.get());
    }
    return nullptr;
  }
};

TEST_F(ResolvedAgainTest, C10_EachResolutionIsCountedOnItsResolvedEvent) {
  v1::Complaint first = Resolved();
  EXPECT_EQ(ResolutionCount(first), 1);
  ASSERT_NE(ResolvedEvent(), nullptr);
  EXPECT_EQ(ResolvedEvent()->resolution(), 1);
  v1::Complaint second = ResolvedTwice();
  EXPECT_EQ(second.state(), v1::COMPLAINT_STATE_RESOLVED);
  EXPECT_EQ(ResolutionCount(second), 2);
  ASSERT_NE(ResolvedEvent(), nullptr);
  EXPECT_EQ(ResolvedEvent()->resolution(), 2);
  // A new follow-up deadline for the second resolution (C10).
  const v1::Deadline* d = FindDeadline(second, "follow_up");
  ASSERT_NE(d, nullptr);
  EXPECT_FALSE(IsSet(d->met_at()));
  EXPECT_EQ(FromProto(d->due_at()), clock_.Now() + p_.follow_up_within);
}

TEST_F(ResolvedAgainTest, C10_StaleFollowUpForTheFirstResolutionDecidesNothing) {
  v1::Complaint c = ResolvedTwice();
  v1::RecordFollowUpRequest stale = FollowUp(5);
  stale.mutable_follow_up()->set_resolution(1);
  auto e = DecideRecordFollowUp(c, stale, p_, clock_.Now());
  EXPECT_EQ(e.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(e.status().message(),
            "follow_up.resolution 1 is stale: the complaint is at resolution 2 (C10)");
  stale.mutable_follow_up()->set_resolution(3);  // from the future: also not this one
  EXPECT_EQ(DecideRecordFollowUp(c, stale, p_, clock_.Now()).status().code(),
            absl::StatusCode::kFailedPrecondition);
  stale.mutable_follow_up()->set_resolution(-1);
  EXPECT_EQ(DecideRecordFollowUp(c, stale, p_, clock_.Now()).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(ResolvedAgainTest, C10_FollowUpForTheCurrentResolutionClosesAndRecordsWhichOne) {
  for (int named : {2, 0}) {  // 0: the current one (a handler recording by hand)
    v1::RecordFollowUpRequest f = FollowUp(5);
    f.mutable_follow_up()->set_resolution(named);
    const v1::Complaint resolved = ResolvedTwice();  // moves the clock
    v1::Complaint c = Apply(DecideRecordFollowUp(resolved, f, p_, clock_.Now()));
    EXPECT_EQ(c.state(), v1::COMPLAINT_STATE_CLOSED);
    EXPECT_EQ(c.follow_up().resolution(), 2);
    EXPECT_EQ(FromProto(FindDeadline(c, "follow_up")->met_at()), clock_.Now());
  }
}

TEST_F(FollowUpTest, C10_SilenceIsRemindedOnceThenClosedAsNoAnswerNeverBreached) {
  const absl::Time resolved = clock_.Now();
  v1::Complaint c = Resolved();
  const std::string id = c.complaint_id();
  // Not yet due: nothing.
  auto early = DecideFollowUpSilence(c, kFollowUp, p_, resolved + p_.follow_up_within - absl::Milliseconds(1));
  ASSERT_TRUE(early.ok());
  EXPECT_FALSE(early->has_value());
  // The window passes: one reminder, no breach.
  clock_.Advance(p_.follow_up_within);
  auto remind = DecideFollowUpSilence(c, kFollowUp, p_, clock_.Now());
  ASSERT_TRUE(remind.ok() && remind->has_value()) << remind.status();
  c = Apply(**remind);
  EXPECT_EQ(c.state(), v1::COMPLAINT_STATE_RESOLVED);
  EXPECT_FALSE(c.sla_breached());
  EXPECT_EQ(EventNames(), std::vector<std::string>{"follow_up_reminder_due"});
  const auto* ev = static_cast<const v1::FollowUpReminderDue*>(last_.events[0].payload.get());
  EXPECT_EQ(ev->resolution(), 1);
  EXPECT_EQ(FromProto(ev->answer_by()), clock_.Now() + p_.follow_up_reminder_wait);
  EXPECT_EQ(FindDeadline(c, kFollowUp)->note(), "no answer from the customer (C10)");
  EXPECT_FALSE(FindDeadline(c, kFollowUp)->breached());
  ASSERT_EQ(last_.timers.size(), 2u);  // the follow-up window's done, the reminder's set
  EXPECT_EQ(last_.timers[0].id, DeadlineTimerId(id, kFollowUp));
  EXPECT_FALSE(last_.timers[0].due.has_value());
  EXPECT_EQ(last_.timers[1].id, DeadlineTimerId(id, kFollowUpReminder));
  EXPECT_EQ(*last_.timers[1].due, clock_.Now() + p_.follow_up_reminder_wait);
  EXPECT_EQ(c.history(c.history_size() - 1).action(), "follow_up_reminder");
  // The first window's timer firing again changes nothing (reminded once).
  auto again = DecideFollowUpSilence(c, kFollowUp, p_, clock_.Now() + absl::Hours(1));
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->has_value());
  // A follow-up window is not an SLA deadline: the breach decider is never given it, and
  // the at-risk listing ignores it.
  EXPECT_FALSE(AtRisk(c, clock_.Now() + p_.follow_up_reminder_wait, absl::Hours(2)));
  // Still silent after the reminder: followed up, no answer, closed.
  clock_.Advance(p_.follow_up_reminder_wait);
  auto close = DecideFollowUpSilence(c, kFollowUpReminder, p_, clock_.Now());
  ASSERT_TRUE(close.ok() && close->has_value()) << close.status();
  c = Apply(**close);
  EXPECT_EQ(c.state(), v1::COMPLAINT_STATE_CLOSED);
  EXPECT_EQ(c.closure_reason(), v1::CLOSURE_REASON_FOLLOW_UP_NO_ANSWER);
  EXPECT_FALSE(c.sla_breached());
  EXPECT_FALSE(c.has_follow_up());
  EXPECT_EQ(EventNames(), std::vector<std::string>{"closed"});
  const auto* closed = static_cast<const v1::ComplaintClosed*>(last_.events[0].payload.get());
  EXPECT_EQ(closed->reason(), v1::CLOSURE_REASON_FOLLOW_UP_NO_ANSWER);
  EXPECT_EQ(closed->outcome(), v1::REMEDY_KIND_APOLOGY);
  EXPECT_EQ(c.history(c.history_size() - 2).action(), "follow_up_unanswered");
  EXPECT_EQ(c.history(c.history_size() - 1).reason(), "followed up, no answer: closed (C10)");
  EXPECT_FALSE(AnyDeadlineOpen(c));
}

TEST_F(FollowUpTest, C10_AnAnswerToTheReminderClosesAsAnswered) {
  v1::Complaint c = Resolved();
  clock_.Advance(p_.follow_up_within);
  c = Apply(**DecideFollowUpSilence(c, kFollowUp, p_, clock_.Now()));
  clock_.Advance(absl::Hours(5));
  c = Apply(DecideRecordFollowUp(c, FollowUp(4), p_, clock_.Now()));
  EXPECT_EQ(c.state(), v1::COMPLAINT_STATE_CLOSED);
  EXPECT_EQ(c.closure_reason(), v1::CLOSURE_REASON_FOLLOW_UP_ANSWERED);
  EXPECT_TRUE(IsSet(FindDeadline(c, kFollowUpReminder)->met_at()));
  // The reminder window's timer is cancelled and would change nothing anyway.
  bool cancelled = false;
  for (const auto& t : last_.timers) cancelled |= t.id == DeadlineTimerId(c.complaint_id(), kFollowUpReminder) && !t.due;
  EXPECT_TRUE(cancelled);
  auto late = DecideFollowUpSilence(c, kFollowUpReminder, p_, clock_.Now() + p_.follow_up_reminder_wait);
  ASSERT_TRUE(late.ok());
  EXPECT_FALSE(late->has_value());
}

TEST_F(FollowUpTest, C10_OnlyFollowUpWindowsAreSilence) {
  v1::Complaint c = Resolved();
  EXPECT_EQ(DecideFollowUpSilence(c, kResolution, p_, clock_.Now()).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(FollowUpTest, ComplaintLeftFollowedUpStillClosesByHand) {
  // A complaint stored in FOLLOWED_UP before follow-ups closed it.
  v1::Complaint c = Resolved();
  c.set_state(v1::COMPLAINT_STATE_FOLLOWED_UP);
  auto close = ByAgent<v1::CloseComplaintRequest>();
  c = Apply(DecideClose(c, close, p_, clock_.Now()));
  EXPECT_EQ(c.state(), v1::COMPLAINT_STATE_CLOSED);
  EXPECT_EQ(EventNames(), std::vector<std::string>{"closed"});
}

TEST_F(DecideTest, C1_BreachFiresExactlyAtTheDeadlineAndEscalates) {
  v1::Complaint c = Opened();
  absl::Time due = FromProto(FindDeadline(c, kFirstResponse)->due_at());
  auto early = DecideSlaBreach(c, kFirstResponse, p_, due - absl::Milliseconds(1));
  ASSERT_TRUE(early.ok());
  EXPECT_FALSE(early->has_value());
  auto late = DecideSlaBreach(c, kFirstResponse, p_, due);
  ASSERT_TRUE(late.ok() && late->has_value());
  const v1::Complaint& b = (*late)->complaint;
  EXPECT_TRUE(b.sla_breached());
  EXPECT_EQ(b.state(), v1::COMPLAINT_STATE_OPENED);  // still to be acknowledged
  EXPECT_EQ(b.priority(), v1::PRIORITY_HIGH);
  EXPECT_TRUE(FindDeadline(b, kFirstResponse)->breached());
  ASSERT_EQ((*late)->events.size(), 2u);
  EXPECT_EQ((*late)->events[0].name, "sla_breached");
  EXPECT_EQ((*late)->events[1].name, "escalated");
  // A second firing does nothing.
  auto twice = DecideSlaBreach(b, kFirstResponse, p_, due + absl::Hours(1));
  ASSERT_TRUE(twice.ok());
  EXPECT_FALSE(twice->has_value());
}

TEST_F(DecideTest, AssignReassignAndTakeAreRecordedWithEvents) {
  v1::Complaint c = Opened();
  auto as = ByAgent<v1::AssignComplaintRequest>("supervisor");
  EXPECT_EQ(DecideAssign(c, as, p_, clock_.Now()).status().code(), absl::StatusCode::kInvalidArgument);
  as.set_agent_id("agent-7");
  as.set_team("returns");
  c = Apply(DecideAssign(c, as, p_, clock_.Now()));
  EXPECT_EQ(c.assignee(), "agent-7");
  EXPECT_EQ(c.team(), "returns");
  EXPECT_EQ(EventNames(), std::vector<std::string>{"assigned"});
  const auto* ev = static_cast<const v1::ComplaintAssigned*>(last_.events[0].payload.get());
  EXPECT_EQ(ev->previous_agent_id(), "");
  EXPECT_EQ(ev->complaint().assignee(), "agent-7");
  EXPECT_EQ(c.history(c.history_size() - 1).action(), "assign");
  // The same again records nothing.
  Apply(DecideAssign(c, as, p_, clock_.Now()));
  EXPECT_TRUE(last_.events.empty());
  // Reassign to another agent; the team stays.
  as.set_agent_id("agent-8");
  as.clear_team();
  c = Apply(DecideAssign(c, as, p_, clock_.Now()));
  EXPECT_EQ(c.team(), "returns");
  ev = static_cast<const v1::ComplaintAssigned*>(last_.events[0].payload.get());
  EXPECT_EQ(ev->previous_agent_id(), "agent-7");
  // An agent takes it.
  auto take = ByAgent<v1::TakeComplaintRequest>();
  c = Apply(DecideTake(c, take, p_, clock_.Now()));
  EXPECT_EQ(c.assignee(), "staff-1");
  EXPECT_EQ(EventNames(), std::vector<std::string>{"taken"});
  // Nothing to assign once it is no longer worked.
  auto rej = ByAgent<v1::RejectComplaintRequest>();
  rej.set_reason("outside our policy");
  c = Apply(DecideReject(c, rej, p_, clock_.Now()));
  EXPECT_EQ(DecideAssign(c, as, p_, clock_.Now()).status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(DecideTake(c, take, p_, clock_.Now()).status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(DecideTest, C1_BreachLandsInTheSupervisorQueueUntilASupervisorTakesIt) {
  v1::Complaint c = Opened();
  clock_.Advance(absl::Hours(24));
  auto breach = DecideSlaBreach(c, kFirstResponse, p_, clock_.Now());
  ASSERT_TRUE(breach.ok() && breach->has_value());
  c = Apply(**breach);
  EXPECT_TRUE(c.in_supervisor_queue());
  v1::TakeComplaintRequest take;
  *take.mutable_actor() = Agent();  // an agent may take the work, not the escalation
  c = Apply(DecideTake(c, take, p_, clock_.Now()));
  EXPECT_TRUE(c.in_supervisor_queue());
  const auto* ev = static_cast<const v1::ComplaintTaken*>(last_.events[0].payload.get());
  EXPECT_FALSE(ev->from_supervisor_queue());
  *take.mutable_actor() = Agent("supervisor");
  take.mutable_actor()->set_id("sup-1");
  c = Apply(DecideTake(c, take, p_, clock_.Now()));
  EXPECT_FALSE(c.in_supervisor_queue());
  EXPECT_EQ(c.escalation_taken_by(), "sup-1");
  EXPECT_EQ(c.assignee(), "sup-1");
  ev = static_cast<const v1::ComplaintTaken*>(last_.events[0].payload.get());
  EXPECT_TRUE(ev->from_supervisor_queue());
  EXPECT_EQ(ev->previous_agent_id(), "staff-1");
}

TEST_F(DecideTest, C7_PromisedUpdateBreachedUnlessPosted) {
  v1::Complaint c = Investigating();
  auto pr = ByAgent<v1::PromiseUpdateRequest>();
  *pr.mutable_due_at() = ToProto(clock_.Now() - absl::Seconds(1));
  EXPECT_EQ(DecidePromiseUpdate(c, pr, p_, clock_.Now()).status().code(), absl::StatusCode::kInvalidArgument);
  *pr.mutable_due_at() = ToProto(clock_.Now() + absl::Hours(3));
  pr.set_note("the factory answers by then");
  c = Apply(DecidePromiseUpdate(c, pr, p_, clock_.Now()));
  ASSERT_EQ(last_.timers.size(), 1u);
  EXPECT_EQ(last_.timers[0].id, "cmp-03-00000000000000aa|update-1");
  // The customer hears the promise (C7): outreach sends it.
  ASSERT_EQ(EventNames(), std::vector<std::string>{"update_promised"});
  const auto* promised = static_cast<const v1::UpdatePromised*>(last_.events[0].payload.get());
  EXPECT_EQ(promised->deadline(), "update-1");
  EXPECT_EQ(FromProto(promised->due_at()), clock_.Now() + absl::Hours(3));
  EXPECT_EQ(promised->note(), "the factory answers by then");
  auto breach = DecideSlaBreach(c, "update-1", p_, clock_.Now() + absl::Hours(3));
  ASSERT_TRUE(breach.ok() && breach->has_value());
  auto post = ByAgent<v1::PostUpdateRequest>();
  post.set_note("still waiting for the factory");
  c = Apply(DecidePostUpdate(c, post, p_, clock_.Now() + absl::Hours(1)));
  ASSERT_EQ(EventNames(), std::vector<std::string>{"update_posted"});
  const auto* posted = static_cast<const v1::UpdatePosted*>(last_.events[0].payload.get());
  EXPECT_EQ(posted->note(), "still waiting for the factory");
  EXPECT_EQ(posted->deadline(), "update-1");
  auto none = DecideSlaBreach(c, "update-1", p_, clock_.Now() + absl::Hours(3));
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  // A second update with no promise open is still posted to the customer (C7).
  c = Apply(DecidePostUpdate(c, post, p_, clock_.Now() + absl::Hours(2)));
  ASSERT_EQ(EventNames(), std::vector<std::string>{"update_posted"});
  EXPECT_EQ(static_cast<const v1::UpdatePosted*>(last_.events[0].payload.get())->deadline(), "");
}

TEST_F(DecideTest, C3_AcknowledgedCarriesTheApologyForTheCustomer) {
  v1::Complaint c = Opened();
  v1::AcknowledgeComplaintRequest ack = AckRequest("the left sole detached on day two", "we are truly sorry for the trouble");
  c = Apply(DecideAcknowledge(c, ack, p_, clock_.Now()));
  ASSERT_EQ(EventNames(), std::vector<std::string>{"acknowledged"});
  EXPECT_EQ(static_cast<const v1::ComplaintAcknowledged*>(last_.events[0].payload.get())->apology(),
            "we are truly sorry for the trouble");
}

TEST_F(DecideTest, C12_EscalateThenRulingIsExecutedLikeAnAcceptedRemedy) {
  v1::Complaint c = Investigating();
  v1::EscalateComplaintRequest esc = EscalateRequest("cannot agree");
  esc.add_evidence_refs("photo-1");
  c = Apply(DecideEscalate(c, esc, p_, clock_.Now()));
  EXPECT_EQ(c.state(), v1::COMPLAINT_STATE_ESCALATED);
  v1::RecordPlatformRulingRequest ruling = RulingRequest("refund 100");
  ruling.mutable_remedy()->set_kind(v1::REMEDY_KIND_PARTIAL_REFUND);
  ruling.mutable_remedy()->mutable_amount()->set_amount_minor(10000);
  ruling.mutable_remedy()->mutable_amount()->set_currency("CNY");
  c = Apply(DecideRecordRuling(c, ruling, p_, clock_.Now()));
  // C12: carried out at once, no ResolveComplaint needed: executing with its durable
  // retry timer (a refund calls order, C9), the platform's wait over.
  EXPECT_EQ(c.state(), v1::COMPLAINT_STATE_EXECUTING);
  EXPECT_EQ(AcceptedRemedy(c)->approved_by(), "platform");
  EXPECT_EQ(EventNames(), (std::vector<std::string>{"ruling_recorded", "executing", "sla_resumed"}));
  const auto* rec = static_cast<const v1::PlatformRulingRecorded*>(last_.events[0].payload.get());
  EXPECT_EQ(rec->remedy().kind(), v1::REMEDY_KIND_PARTIAL_REFUND);
  EXPECT_EQ(rec->remedy().remedy_id(), AcceptedRemedy(c)->remedy_id());
  bool exec_timer = false;
  for (const auto& t : last_.timers) exec_timer |= t.id == ExecutionTimerId(c.complaint_id()) && t.due.has_value();
  EXPECT_TRUE(exec_timer);
  EXPECT_EQ(c.history(c.history_size() - 1).action(), "resolve");
  // The execution then finishes like any other (C9): resolved, follow-up owed (C10).
  c = Apply(DecideExecutionSucceeded(c, p_, clock_.Now()));
  EXPECT_EQ(c.state(), v1::COMPLAINT_STATE_RESOLVED);
}

TEST_F(DecideTest, C12_RulingOrderingAnApologyResolvesInTheSameStep) {
  v1::Complaint c = Investigating();
  v1::EscalateComplaintRequest esc = EscalateRequest("cannot agree");
  c = Apply(DecideEscalate(c, esc, p_, clock_.Now()));
  v1::RecordPlatformRulingRequest ruling = RulingRequest("the shop apologises");
  ruling.mutable_remedy()->set_kind(v1::REMEDY_KIND_APOLOGY);
  c = Apply(DecideRecordRuling(c, ruling, p_, clock_.Now()));
  EXPECT_EQ(c.state(), v1::COMPLAINT_STATE_RESOLVED);
  EXPECT_EQ(EventNames(), (std::vector<std::string>{"ruling_recorded", "executing", "resolved", "sla_resumed"}));
}

TEST_F(DecideTest, C8_RejectWithReasonThenReopen) {
  v1::Complaint c = Opened();
  auto rej = ByAgent<v1::RejectComplaintRequest>();
  EXPECT_EQ(DecideReject(c, rej, p_, clock_.Now()).status().code(), absl::StatusCode::kInvalidArgument);
  rej.set_reason("a refund of ten times the price is not something we can offer");
  c = Apply(DecideReject(c, rej, p_, clock_.Now()));
  EXPECT_EQ(c.state(), v1::COMPLAINT_STATE_REJECTED);
  auto re = ByAgent<v1::ReopenComplaintRequest>();
  re.set_reason("new evidence");
  c = Apply(DecideReopen(c, re, p_, clock_.Now()));
  EXPECT_EQ(c.state(), v1::COMPLAINT_STATE_REOPENED);
  EXPECT_FALSE(IsSet(FindDeadline(c, kFirstResponse)->met_at()));
}

TEST_F(DecideTest, IllegalActionNamesStateAndAction) {
  v1::Complaint c = Opened();
  auto close = ByAgent<v1::CloseComplaintRequest>();
  auto e = DecideClose(c, close, p_, clock_.Now());
  EXPECT_EQ(e.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(e.status().message(), "complaint is OPENED: cannot close");
}

TEST(TimerIdTest, RoundTrip) {
  auto s = SplitTimerId(DeadlineTimerId("cmp-1", "update-2"));
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->first, "cmp-1");
  EXPECT_EQ(s->second, "update-2");
  EXPECT_FALSE(SplitTimerId("nope").ok());
}

}  // namespace
}  // namespace revisit::complaint
