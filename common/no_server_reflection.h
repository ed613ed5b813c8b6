// NoServerReflection: a grpc::ServerBuilderOption that drops gRPC server reflection
// (a process-wide plugin once InitProtoReflectionServerBuilderPlugin ran) from one
// builder, keeping every other plugin (the default health service). The API port
// serves reflection only when REVISIT_GRPC_REFLECTION=true (docs/security.md).
// Thread-safety: stateless. Errors: none.
#ifndef REVISIT_COMMON_NO_SERVER_REFLECTION_H_
#define REVISIT_COMMON_NO_SERVER_REFLECTION_H_

#include <grpcpp/impl/server_builder_option.h>
#include <grpcpp/impl/server_builder_plugin.h>

#include <algorithm>
#include <memory>
#include <vector>

namespace revisit {

class NoServerReflection : public grpc::ServerBuilderOption {
 public:
  void UpdateArguments(grpc::ChannelArguments*) override {}
  void UpdatePlugins(std::vector<std::unique_ptr<grpc::ServerBuilderPlugin>>* plugins) override {
    plugins->erase(std::remove_if(plugins->begin(), plugins->end(),
                                  [](const std::unique_ptr<grpc::ServerBuilderPlugin>& p) {
                                    return p->name() == "proto_server_reflection";
                                  }),
                   plugins->end());
  }
};

}  // namespace revisit

#endif  // REVISIT_COMMON_NO_SERVER_REFLECTION_H_
