// revisitctl: operator and internal-caller CLI over gRPC for every RPC of the four
// Revisit services. The RPC surface comes from the generated descriptors, so the CLI
// never lags the contracts.
//
//   revisitctl [--addr HOST:PORT] [--json] [--timeout SECONDS] SERVICE METHOD
//              [--FIELD=VALUE ...] [--body JSON]
//   revisitctl list [SERVICE]            services, methods and request fields
//
// SERVICE: order | complaint | loyalty | outreach. METHOD: CreateOrder or create-order.
// Address: --addr, else $REVISIT_<SERVICE>_ADDR, else the local stack (.run/).
// A missing request_id is generated (and printed, to retry safely); a missing actor
// becomes {id: $USER, role: --role (default agent)}.
// Identity (mTLS, docs/security.md): the client certificate of --identity ROLE/NAME
// (default operator/revisitctl) from .run/tls/, or $REVISIT_TLS_CERT/KEY/CA. The
// services take the actor and role from the certificate and ignore the body's;
// --role only matters against a stack started with REVISIT_TLS=off.
// Exit codes: 0 ok, 64 usage, 65 INVALID_ARGUMENT, 66 NOT_FOUND,
// 67 FAILED_PRECONDITION/ALREADY_EXISTS, 69 UNAVAILABLE/DEADLINE_EXCEEDED, 1 other errors.
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "absl/random/random.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
#include "common/grpc_client.h"
#include "common/tls_config.h"
#include "revisit/complaint/v1/complaint.grpc.pb.h"
#include "revisit/loyalty/v1/loyalty.grpc.pb.h"
#include "revisit/order/v1/order.grpc.pb.h"
#include "revisit/outreach/v1/outreach.grpc.pb.h"
#include "tools/revisitctl/generic_call.h"
#include "tools/revisitctl/request_builder.h"

namespace revisit::ctl {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::Message;
using google::protobuf::ServiceDescriptor;

const std::map<std::string, const ServiceDescriptor*>& Services() {
  static const auto* services = new std::map<std::string, const ServiceDescriptor*>{
      {"order", order::v1::CreateOrderRequest::descriptor()->file()->service(0)},
      {"complaint", complaint::v1::OpenComplaintRequest::descriptor()->file()->service(0)},
      {"loyalty", loyalty::v1::GetProfileRequest::descriptor()->file()->service(0)},
      {"outreach", outreach::v1::ListTouchesRequest::descriptor()->file()->service(0)},
  };
  return *services;
}

int Usage(const std::string& why) {
  std::cerr << "revisitctl: " << why << "\n"
            << "usage: revisitctl [--addr HOST:PORT] [--json] [--timeout SECONDS] [--role ROLE]\n"
            << "                  [--identity ROLE/NAME]\n"
            << "                  SERVICE METHOD [--FIELD=VALUE ...] [--body JSON]\n"
            << "       revisitctl list [SERVICE]\n";
  return 64;
}

int ExitCode(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kInvalidArgument: return 65;
    case absl::StatusCode::kNotFound: return 66;
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kAlreadyExists: return 67;
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kDeadlineExceeded: return 69;
    default: return 1;
  }
}

void DescribeFields(const Descriptor* d) {
  for (int i = 0; i < d->field_count(); ++i) {
    const auto* f = d->field(i);
    std::cout << "      --" << f->name() << (f->is_repeated() ? " (repeated: use --body)" : "")
              << "  " << (f->message_type() ? f->message_type()->name() : f->type_name()) << "\n";
  }
}

int List(const std::string& only) {
  for (const auto& [name, svc] : Services()) {
    if (!only.empty() && only != name) continue;
    std::cout << name << " (" << svc->full_name() << ")\n";
    for (int i = 0; i < svc->method_count(); ++i) {
      std::cout << "  " << svc->method(i)->name() << "\n";
      if (!only.empty()) DescribeFields(svc->method(i)->input_type());
    }
  }
  return 0;
}

std::string DefaultAddress(const std::string& service) {
  std::string var = "REVISIT_" + absl::AsciiStrToUpper(service) + "_ADDR";
  if (const char* v = std::getenv(var.c_str())) return v;
  std::ifstream ports(".run/" + service + ".ports");
  int grpc_port = 0;
  if (ports >> grpc_port) return "127.0.0.1:" + std::to_string(grpc_port);
  return "";
}

void FillDefaults(Message* req, const std::string& role) {
  const auto* d = req->GetDescriptor();
  const auto* r = req->GetReflection();
  if (const auto* f = d->FindFieldByName("request_id"); f && r->GetString(*req, f).empty()) {
    static thread_local absl::BitGen gen;
    std::string id = absl::StrFormat("ctl-%016x", absl::Uniform<uint64_t>(gen));
    r->SetString(req, f, id);
    std::cerr << "request_id: " << id << " (repeat with --request_id=" << id << " to retry safely)\n";
  }
  if (const auto* f = d->FindFieldByName("actor"); f && !r->HasField(*req, f)) {
    const char* user = std::getenv("USER");
    (void)SetField("actor.id", user ? user : "operator", req);
    (void)SetField("actor.role", role, req);
  }
}

int Run(int argc, char** argv) {
  std::string addr, role = "agent", body, identity = "operator/revisitctl";
  bool json = false;
  double timeout = 10;
  std::vector<std::string> positional;
  std::vector<std::pair<std::string, std::string>> fields;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto take = [&](std::string* out) {
      auto eq = a.find('=');
      if (eq != std::string::npos) { *out = a.substr(eq + 1); return true; }
      if (i + 1 >= argc) return false;
      *out = argv[++i];
      return true;
    };
    std::string v;
    if (a == "--json") json = true;
    else if (absl::StartsWith(a, "--addr")) { if (!take(&addr)) return Usage("--addr needs a value"); }
    else if (absl::StartsWith(a, "--role")) { if (!take(&role)) return Usage("--role needs a value"); }
    else if (absl::StartsWith(a, "--identity")) {
      if (!take(&identity)) return Usage("--identity needs ROLE/NAME");
    }
    else if (absl::StartsWith(a, "--timeout")) {
      if (!take(&v) || !absl::SimpleAtod(v, &timeout)) return Usage("--timeout needs seconds");
    } else if (absl::StartsWith(a, "--body")) { if (!take(&body)) return Usage("--body needs JSON"); }
    else if (a == "--help" || a == "-h") return Usage("help");
    else if (absl::StartsWith(a, "--")) {
      std::string name = a.substr(2, a.find('=') == std::string::npos ? std::string::npos : a.find('=') - 2);
      if (!take(&v)) return Usage(a + " needs a value");
      fields.push_back({name, v});
    } else positional.push_back(a);
  }
  if (!positional.empty() && positional[0] == "list") return List(positional.size() > 1 ? positional[1] : "");
  if (positional.size() != 2) return Usage("expected SERVICE METHOD");
  auto svc = Services().find(positional[0]);
  if (svc == Services().end()) return Usage("unknown service " + positional[0]);
  const auto* method = svc->second->FindMethodByName(MethodName(positional[1]));
  if (method == nullptr) return Usage("unknown method " + positional[1] + " (revisitctl list " + positional[0] + ")");
  if (addr.empty()) addr = DefaultAddress(positional[0]);
  if (addr.empty()) return Usage("no address: use --addr or REVISIT_" + absl::AsciiStrToUpper(positional[0]) + "_ADDR");
  std::unique_ptr<Message> req(
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(method->input_type())->New());
  if (!body.empty() && body[0] == '@') {
    std::ifstream in(body.substr(1));
    std::stringstream ss;
    ss << in.rdbuf();
    body = ss.str();
  }
  absl::Status st = body.empty() ? absl::OkStatus() : MergeJson(body, req.get());
  for (const auto& [k, v] : fields) {
    if (st.ok()) st = SetField(k, v, req.get());
  }
  if (!st.ok()) return Usage(std::string(st.message()));
  FillDefaults(req.get(), role);
  SetDefaultChannelCredentials(TlsConfig::ForTool(".run", identity).ChannelCredentials());
  auto resp = GenericCall(MakeChannel(addr), *method, *req, absl::Seconds(timeout));
  if (!resp.ok()) {
    std::cerr << "error: " << absl::StatusCodeToString(resp.status().code()) << ": "
              << resp.status().message() << "\n";
    return ExitCode(resp.status().code());
  }
  std::cout << (json ? Json(**resp) + "\n" : Human(**resp));
  return 0;
}

}  // namespace
}  // namespace revisit::ctl

int main(int argc, char** argv) { return revisit::ctl::Run(argc, argv); }
