#include "services/outreach/domain/touch_state.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace revisit::outreach {

namespace v1 = revisit::outreach::v1;

const std::vector<TouchAction>& AllTouchActions() {
  using A = TouchAction;
  static const auto* all = new std::vector<TouchAction>{
      A::kSchedule, A::kDefer, A::kRelease, A::kRearm, A::kSuppress,
      A::kSend,     A::kFail,  A::kCancel,  A::kFeedback, A::kAttribute};
  return *all;
}

const std::vector<v1::TouchState>& AllTouchStates() {
  static const auto* all = new std::vector<v1::TouchState>{
      v1::TOUCH_STATE_UNSPECIFIED, v1::TOUCH_STATE_SCHEDULED, v1::TOUCH_STATE_DEFERRED,
      v1::TOUCH_STATE_SENT,        v1::TOUCH_STATE_SUPPRESSED, v1::TOUCH_STATE_CANCELLED,
      v1::TOUCH_STATE_FAILED};
  return *all;
}

const std::vector<TouchTransition>& TouchTransitions() {
  using A = TouchAction;
  constexpr v1::TouchState kNew = v1::TOUCH_STATE_UNSPECIFIED,
                           kScheduled = v1::TOUCH_STATE_SCHEDULED,
                           kDeferred = v1::TOUCH_STATE_DEFERRED, kSent = v1::TOUCH_STATE_SENT,
                           kSuppressed = v1::TOUCH_STATE_SUPPRESSED,
                           kCancelled = v1::TOUCH_STATE_CANCELLED,
                           kFailed = v1::TOUCH_STATE_FAILED;
  static const auto* table = new std::vector<TouchTransition>{
      {kNew, A::kSchedule, kScheduled},
      {kScheduled, A::kDefer, kDeferred},      {kDeferred, A::kDefer, kDeferred},
      {kDeferred, A::kRelease, kScheduled},
      {kScheduled, A::kRearm, kScheduled},     {kDeferred, A::kRearm, kDeferred},
      {kScheduled, A::kSuppress, kSuppressed}, {kDeferred, A::kSuppress, kSuppressed},
      {kScheduled, A::kSend, kSent},           {kDeferred, A::kSend, kSent},
      {kScheduled, A::kFail, kFailed},         {kDeferred, A::kFail, kFailed},
      {kScheduled, A::kCancel, kCancelled},    {kDeferred, A::kCancel, kCancelled},
      {kSent, A::kFeedback, kSent},            {kSent, A::kAttribute, kSent},
  };
  return *table;
}

std::string TouchActionName(TouchAction action) {
  switch (action) {
    case TouchAction::kSchedule: return "schedule";
    case TouchAction::kDefer: return "defer";
    case TouchAction::kRelease: return "release";
    case TouchAction::kRearm: return "re-arm";
    case TouchAction::kSuppress: return "suppress";
    case TouchAction::kSend: return "send";
    case TouchAction::kFail: return "fail";
    case TouchAction::kCancel: return "cancel";
    case TouchAction::kFeedback: return "record feedback for";
    case TouchAction::kAttribute: return "credit a revisit to";
  }
  return "?";
}

std::string TouchStateName(v1::TouchState state) {
  if (state == v1::TOUCH_STATE_UNSPECIFIED) return "new";
  absl::string_view name = v1::TouchState_Name(state);
  if (name.empty()) return absl::StrCat("state ", static_cast<int>(state));
  absl::ConsumePrefix(&name, "TOUCH_STATE_");
  return absl::AsciiStrToLower(name);
}

bool IsPendingState(v1::TouchState state) {
  return state == v1::TOUCH_STATE_SCHEDULED || state == v1::TOUCH_STATE_DEFERRED;
}

absl::StatusOr<v1::TouchState> NextTouchState(const std::string& touch_id, v1::TouchState from,
                                             TouchAction action) {
  for (const TouchTransition& t : TouchTransitions()) {
    if (t.from == from && t.action == action) return t.to;
  }
  return absl::FailedPreconditionError(absl::StrCat("touch ", touch_id, " is ",
                                                    TouchStateName(from), ": cannot ",
                                                    TouchActionName(action), " it"));
}

}  // namespace revisit::outreach
