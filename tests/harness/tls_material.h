// TlsMaterial: the one way tests get mTLS certificates and credentials.
//
// Runs tools/tls/make-certs.sh once per test process into a private temp dir
// (a private CA, the four services, operator/revisitctl, operator/demo, agent/agent-1,
// supervisor/supervisor-1, manager/manager-1, platform/platform-1, plus an expired
// agent and a foreign CA's agent) and hands out:
//  - ServiceEnv(service): the REVISIT_TLS* and REVISIT_AUTHZ_FILE variables a
//    service process needs (the shipped table deploy/k8s/base/security/authz.conf);
//  - ChannelCredentials(identity): a client presenting that identity's certificate
//    (every test channel to a service uses this);
//  - ServerCredentials(service): mTLS server credentials for fake peers in tests.
// Identities are "<role>/<name>" (common/caller_identity.h); a file name is
// "<role>-<name>", e.g. "expired-agent" and "foreign-agent" for the special ones.
// Thread-safety: Get() is thread-safe; the material is immutable afterwards.
// Errors: Get() aborts the test process when the script fails (no certificates,
// no secure test).
#ifndef REVISIT_TESTS_HARNESS_TLS_MATERIAL_H_
#define REVISIT_TESTS_HARNESS_TLS_MATERIAL_H_

#include <grpcpp/security/credentials.h>
#include <grpcpp/security/server_credentials.h>

#include <map>
#include <memory>
#include <string>

#include "common/tls_config.h"
#include "tests/harness/temp_dir.h"

namespace revisit::testing {

class TlsMaterial {
 public:
  static const TlsMaterial& Get();

  const std::string& dir() const { return dir_->path(); }
  // The TlsConfig of `identity` ("service/order", "operator/revisitctl"), or of
  // a file prefix such as "expired-agent".
  TlsConfig For(const std::string& identity) const;
  // REVISIT_TLS=on, REVISIT_TLS_CERT/KEY/CA of service/<service>, REVISIT_AUTHZ_FILE.
  std::map<std::string, std::string> ServiceEnv(const std::string& service) const;
  std::shared_ptr<grpc::ChannelCredentials> ChannelCredentials(
      const std::string& identity = "operator/revisitctl") const;
  std::shared_ptr<grpc::ServerCredentials> ServerCredentials(const std::string& service) const;

 private:
  explicit TlsMaterial(std::unique_ptr<TempDir> dir) : dir_(std::move(dir)) {}
  std::unique_ptr<TempDir> dir_;
};

}  // namespace revisit::testing

#endif  // REVISIT_TESTS_HARNESS_TLS_MATERIAL_H_
