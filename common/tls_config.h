// TlsConfig: this process's mTLS material (certificate, key, CA bundle) and the
// gRPC credentials built from it.
//
// Read once at start-up from REVISIT_TLS (on|off), REVISIT_TLS_CERT,
// REVISIT_TLS_KEY, REVISIT_TLS_CA and REVISIT_TLS_REFRESH. The credentials use
// gRPC's own TLS stack with a FileWatcherCertificateProvider, so a certificate,
// key or CA bundle replaced on disk (a rotated Kubernetes Secret, a new
// cert-manager issue) is picked up within REVISIT_TLS_REFRESH without a restart.
// Servers require and verify a client certificate signed by the CA (mTLS);
// channels present this process's certificate and verify the server's against
// the CA and the target host name.
// REVISIT_TLS=off is for local experiments only: credentials are plaintext and
// WarnIfOff logs a loud warning.
// Thread-safety: an immutable value; every method is thread-safe. Each call to
// ServerCredentials/ChannelCredentials starts a file watcher: build credentials
// once per server or channel, not per call.
// Errors: Load records a bad or unreadable file on the EnvConfig, naming the variable.
#ifndef REVISIT_COMMON_TLS_CONFIG_H_
#define REVISIT_COMMON_TLS_CONFIG_H_

#include <grpcpp/security/credentials.h>
#include <grpcpp/security/server_credentials.h>

#include <memory>
#include <string>

#include "absl/time/time.h"
#include "common/config.h"

namespace revisit {

class TlsConfig {
 public:
  // Plaintext (REVISIT_TLS=off).
  TlsConfig() = default;
  // mTLS with these PEM files.
  static TlsConfig Files(std::string cert_file, std::string key_file, std::string ca_file,
                         absl::Duration refresh = absl::Seconds(10));
  // Declares and reads the REVISIT_TLS* variables.
  static TlsConfig Load(EnvConfig& env);
  // For command-line tools (revisitctl, revisit-health, revisit-demo, load tools):
  // REVISIT_TLS=off → plaintext; else REVISIT_TLS_CERT/KEY/CA when set; else the
  // local stack's <run_dir>/tls/<role>-<name>.{crt,key} and <run_dir>/tls/ca.crt
  // for `identity` "<role>/<name>" (tools/tls/make-certs.sh).
  static TlsConfig ForTool(const std::string& run_dir, const std::string& identity);

  bool enabled() const { return enabled_; }
  const std::string& cert_file() const { return cert_file_; }
  const std::string& key_file() const { return key_file_; }
  const std::string& ca_file() const { return ca_file_; }

  // mTLS server credentials (client certificate required and verified), or
  // plaintext when disabled.
  std::shared_ptr<grpc::ServerCredentials> ServerCredentials() const;
  // Client credentials presenting this certificate, or plaintext when disabled.
  std::shared_ptr<grpc::ChannelCredentials> ChannelCredentials() const;
  // Logs an error-level warning naming `process` when TLS is off.
  void WarnIfOff(const std::string& process) const;

 private:
  bool enabled_ = false;
  std::string cert_file_, key_file_, ca_file_;
  absl::Duration refresh_ = absl::Seconds(10);
};

}  // namespace revisit

#endif  // REVISIT_COMMON_TLS_CONFIG_H_
