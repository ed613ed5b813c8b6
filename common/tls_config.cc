#include "common/tls_config.h"

#include <grpcpp/security/tls_certificate_provider.h>
#include <grpcpp/security/tls_credentials_options.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>

#include "common/log.h"

namespace revisit {
namespace {

using grpc::experimental::FileWatcherCertificateProvider;

std::shared_ptr<FileWatcherCertificateProvider> Watcher(const std::string& key,
                                                        const std::string& cert,
                                                        const std::string& ca,
                                                        absl::Duration refresh) {
  auto seconds = static_cast<unsigned int>(std::max<int64_t>(1, absl::ToInt64Seconds(refresh)));
  return std::make_shared<FileWatcherCertificateProvider>(key, cert, ca, seconds);
}

// Records `name` as invalid unless `path` names a readable file.
std::string ReadableFile(EnvConfig& env, const std::string& name, const std::string& def,
                         const std::string& help, bool required) {
  std::string path = env.String(name, def, help);
  if (!required) return path;
  if (path.empty()) {
    env.Invalid(name, path, "required when REVISIT_TLS=on");
  } else if (access(path.c_str(), R_OK) != 0) {
    env.Invalid(name, path, "must name a readable PEM file");
  }
  return path;
}

}  // namespace

TlsConfig TlsConfig::Files(std::string cert_file, std::string key_file, std::string ca_file,
                           absl::Duration refresh) {
  TlsConfig c;
  c.enabled_ = true;
  c.cert_file_ = std::move(cert_file);
  c.key_file_ = std::move(key_file);
  c.ca_file_ = std::move(ca_file);
  c.refresh_ = refresh;
  return c;
}

TlsConfig TlsConfig::Load(EnvConfig& env) {
  TlsConfig c;
  std::string mode = env.String("REVISIT_TLS", "on",
                                "on = mTLS on the gRPC port (default); off = plaintext, local experiments only");
  if (mode != "on" && mode != "off") env.Invalid("REVISIT_TLS", mode, "must be on or off");
  c.enabled_ = mode != "off";
  c.cert_file_ = ReadableFile(env, "REVISIT_TLS_CERT", "/etc/revisit/tls/tls.crt",
                              "PEM certificate chain of this process (URI SAN spiffe://revisit/...)",
                              c.enabled_);
  c.key_file_ = ReadableFile(env, "REVISIT_TLS_KEY", "/etc/revisit/tls/tls.key",
                             "PEM private key of REVISIT_TLS_CERT (secret)", c.enabled_);
  c.ca_file_ = ReadableFile(env, "REVISIT_TLS_CA", "/etc/revisit/tls/ca.crt",
                            "PEM CA bundle that signs every peer's certificate", c.enabled_);
  c.refresh_ = env.Duration("REVISIT_TLS_REFRESH", "10s", absl::Seconds(1),
                            "how often the certificate files are re-read (rotation without restart)");
  return c;
}

std::shared_ptr<grpc::ServerCredentials> TlsConfig::ServerCredentials() const {
  if (!enabled_) return grpc::InsecureServerCredentials();
  grpc::experimental::TlsServerCredentialsOptions options(
      Watcher(key_file_, cert_file_, ca_file_, refresh_));
  options.watch_root_certs();
  options.watch_identity_key_cert_pairs();
  options.set_cert_request_type(GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  return grpc::experimental::TlsServerCredentials(options);
}

std::shared_ptr<grpc::ChannelCredentials> TlsConfig::ChannelCredentials() const {
  if (!enabled_) return grpc::InsecureChannelCredentials();
  grpc::experimental::TlsChannelCredentialsOptions options;
  options.set_certificate_provider(Watcher(key_file_, cert_file_, ca_file_, refresh_));
  options.watch_root_certs();
  options.watch_identity_key_cert_pairs();
  return grpc::experimental::TlsCredentials(options);
}

TlsConfig TlsConfig::ForTool(const std::string& run_dir, const std::string& identity) {
  auto env = [](const char* name) {
    const char* v = std::getenv(name);
    return std::string(v ? v : "");
  };
  if (env("REVISIT_TLS") == "off") return TlsConfig();
  if (!env("REVISIT_TLS_CERT").empty()) {
    return Files(env("REVISIT_TLS_CERT"), env("REVISIT_TLS_KEY"), env("REVISIT_TLS_CA"));
  }
  std::string file = identity;
  std::replace(file.begin(), file.end(), '/', '-');
  std::string dir = run_dir + "/tls/";
  return Files(dir + file + ".crt", dir + file + ".key", dir + "ca.crt");
}

void TlsConfig::WarnIfOff(const std::string& process) const {
  if (enabled_) return;
  LogError("REVISIT_TLS=off: gRPC is PLAINTEXT and UNAUTHENTICATED; every caller may call every "
           "RPC and claim any role. Local experiments only, never a shared or production deployment.",
           {{"process", process}});
}

}  // namespace revisit
