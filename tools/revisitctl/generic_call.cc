#include "tools/revisitctl/generic_call.h"

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/support/byte_buffer.h>

#include "common/log.h"
#include "common/status.h"

namespace revisit::ctl {

absl::StatusOr<std::unique_ptr<google::protobuf::Message>> GenericCall(
    const std::shared_ptr<grpc::Channel>& channel, const google::protobuf::MethodDescriptor& method,
    const google::protobuf::Message& request, absl::Duration deadline) {
  std::string bytes = request.SerializeAsString();
  grpc::Slice slice(bytes);
  grpc::ByteBuffer send(&slice, 1);
  grpc::ClientContext ctx;
  ctx.set_deadline(absl::ToChronoTime(absl::Now() + deadline));
  AttachTrace(&ctx);
  grpc::GenericStub stub(channel);
  grpc::CompletionQueue cq;
  std::string path = "/" + method.service()->full_name() + "/" + method.name();
  auto call = stub.PrepareUnaryCall(&ctx, path, send, &cq);
  call->StartCall();
  grpc::ByteBuffer received;
  grpc::Status status;
  call->Finish(&received, &status, reinterpret_cast<void*>(1));
  void* tag = nullptr;
  bool ok = false;
  cq.Next(&tag, &ok);
  cq.Shutdown();
  while (cq.Next(&tag, &ok)) {
  }
  if (!status.ok()) return FromGrpcStatus(status);
  std::vector<grpc::Slice> slices;
  (void)received.Dump(&slices);
  std::string out;
  for (const auto& s : slices) out.append(reinterpret_cast<const char*>(s.begin()), s.size());
  std::unique_ptr<google::protobuf::Message> response(
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(method.output_type())->New());
  if (!response->ParseFromString(out)) {
    return absl::InternalError("response of " + path + " does not parse");
  }
  return response;
}

}  // namespace revisit::ctl
