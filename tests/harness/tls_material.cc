#include "tests/harness/tls_material.h"

#include <cstdio>
#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"

#ifndef REVISIT_MAKE_CERTS_PATH
#error "REVISIT_MAKE_CERTS_PATH must name tools/tls/make-certs.sh"
#endif
#ifndef REVISIT_AUTHZ_TABLE_PATH
#error "REVISIT_AUTHZ_TABLE_PATH must name deploy/k8s/base/security/authz.conf"
#endif

namespace revisit::testing {

const TlsMaterial& TlsMaterial::Get() {
  static const TlsMaterial* material = [] {
    auto dir = TempDir::Create("revisit-tls");
    if (!dir.ok()) {
      std::fprintf(stderr, "TlsMaterial: %s\n", dir.status().ToString().c_str());
      std::abort();
    }
    std::string cmd = absl::StrCat(REVISIT_MAKE_CERTS_PATH, " '", (*dir)->path(), "' >/dev/null");
    if (std::system(cmd.c_str()) != 0) {
      std::fprintf(stderr, "TlsMaterial: %s failed\n", cmd.c_str());
      std::abort();
    }
    return new TlsMaterial(*std::move(dir));
  }();
  return *material;
}

TlsConfig TlsMaterial::For(const std::string& identity) const {
  std::string file = absl::StrReplaceAll(identity, {{"/", "-"}});
  return TlsConfig::Files(dir_->File(file + ".crt"), dir_->File(file + ".key"),
                          dir_->File("ca.crt"), absl::Seconds(1));
}

std::map<std::string, std::string> TlsMaterial::ServiceEnv(const std::string& service) const {
  TlsConfig tls = For("service/" + service);
  return {{"REVISIT_TLS", "on"},
          {"REVISIT_TLS_CERT", tls.cert_file()},
          {"REVISIT_TLS_KEY", tls.key_file()},
          {"REVISIT_TLS_CA", tls.ca_file()},
          {"REVISIT_TLS_REFRESH", "1s"},
          {"REVISIT_AUTHZ_FILE", REVISIT_AUTHZ_TABLE_PATH}};
}

std::shared_ptr<grpc::ChannelCredentials> TlsMaterial::ChannelCredentials(
    const std::string& identity) const {
  return For(identity).ChannelCredentials();
}

std::shared_ptr<grpc::ServerCredentials> TlsMaterial::ServerCredentials(
    const std::string& service) const {
  return For("service/" + service).ServerCredentials();
}

}  // namespace revisit::testing
