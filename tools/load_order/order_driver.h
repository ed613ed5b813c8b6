// The order path of the load tools: registers customers, then runs orders through
// create -> pay -> ship -> deliver on the public OrderService, timing each RPC.
// Used by revisit-load-order and bench_scaling (one way to drive the order path).
// Thread-safety: CreateCustomers once, before RunOrder; RunOrder from many threads
// (each with its own Samples).
// Errors: a failed RPC is counted in Samples (the first error kept); the order stops there.
#ifndef REVISIT_TOOLS_LOAD_ORDER_ORDER_DRIVER_H_
#define REVISIT_TOOLS_LOAD_ORDER_ORDER_DRIVER_H_

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "revisit/order/v1/order.grpc.pb.h"

namespace revisit::load {

enum Rpc { kCreate, kPay, kShip, kDeliver, kRpcs };
inline constexpr const char* kRpcNames[kRpcs] = {"CreateOrder", "PayOrder", "ShipOrder",
                                                 "ConfirmDelivery"};

// Latencies in microseconds.
struct Samples {
  std::vector<int64_t> us[kRpcs];
  int64_t failures = 0;
  std::string first_error;
};

// A context with a 30 s deadline (a hang guard).
std::unique_ptr<grpc::ClientContext> Context();

class Driver {
 public:
  Driver(std::shared_ptr<grpc::Channel> channel, std::string run_id)
      : stub_(order::v1::OrderService::NewStub(channel)), run_(std::move(run_id)) {}

  // Registers `n` customers (request IDs "load-<run>-cus-<i>"); false on a failure.
  bool CreateCustomers(int n);
  // One order through create -> pay -> ship -> deliver. `tag` makes request IDs unique.
  void RunOrder(const std::string& tag, int customer, Samples& s);
  // Orders whose last step (ConfirmDelivery) succeeded, over every RunOrder so far.
  int64_t delivered() const { return delivered_.load(); }

 private:
  std::unique_ptr<order::v1::OrderService::Stub> stub_;
  std::string run_;
  std::vector<std::string> customers_;
  std::atomic<int64_t> delivered_{0};
};

}  // namespace revisit::load

#endif  // REVISIT_TOOLS_LOAD_ORDER_ORDER_DRIVER_H_
