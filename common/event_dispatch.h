// Consumed events by type: PayloadAs<T> parses an envelope's payload, and
// EventDispatch<R> routes an envelope to the handler registered for its ce_type
// with the payload already parsed as that handler's message type. Every consumer
// (complaint, loyalty, outreach) reacts to events through one of these instead of
// an if-chain on ce_type with its own parser.
//
// Typical use (a consumer's constructor builds the table once):
//   EventDispatch<absl::Status> d;
//   d.On<order::v1::OrderPaid>("revisit.order.paid.v1",
//        [this](const EventEnvelope& e, const order::v1::OrderPaid& m) { ... });
//   absl::Status st = d.Dispatch(envelope, absl::OkStatus());  // unknown type: the default
//
// Thread-safety: build the table from one thread; Dispatch is const and may then be
// called from any thread (the handlers' own thread-safety applies).
// Errors: a payload that does not parse as the registered type is INVALID_ARGUMENT
// naming ce_type, ce_id and the expected message (a poison message: dead-lettered).
#ifndef REVISIT_COMMON_EVENT_DISPATCH_H_
#define REVISIT_COMMON_EVENT_DISPATCH_H_

#include <functional>
#include <map>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/event_envelope.h"

namespace revisit {

// The payload of `e` parsed as T.
template <typename T>
absl::StatusOr<T> PayloadAs(const EventEnvelope& e) {
  T msg;
  if (!msg.ParseFromString(e.payload)) {
    return absl::InvalidArgumentError(absl::StrCat("payload of ", e.type, " ", e.id,
                                                   " does not parse as ",
                                                   T::descriptor()->full_name()));
  }
  return msg;
}

// A table from ce_type to a typed handler returning R (absl::Status or an
// absl::StatusOr<...>: R must be constructible from an absl::Status).
template <typename R>
class EventDispatch {
 public:
  // Handles events of `ce_type` with `fn(envelope, payload as T)`. A later On for the
  // same type replaces the earlier one.
  template <typename T, typename Fn>
  EventDispatch& On(const std::string& ce_type, Fn fn) {
    handlers_[ce_type] = [fn = std::move(fn)](const EventEnvelope& e) -> R {
      absl::StatusOr<T> msg = PayloadAs<T>(e);
      if (!msg.ok()) return R(msg.status());
      return fn(e, *msg);
    };
    return *this;
  }

  bool Handles(absl::string_view ce_type) const {
    return handlers_.find(std::string(ce_type)) != handlers_.end();
  }

  // The registered handler's answer for `e`, or `unhandled` when none is registered
  // for e.type.
  R Dispatch(const EventEnvelope& e, R unhandled) const {
    auto it = handlers_.find(e.type);
    if (it == handlers_.end()) return unhandled;
    return it->second(e);
  }

 private:
  std::map<std::string, std::function<R(const EventEnvelope&)>> handlers_;
};

}  // namespace revisit

#endif  // REVISIT_COMMON_EVENT_DISPATCH_H_
