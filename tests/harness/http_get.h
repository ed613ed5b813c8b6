// HttpGet: a blocking HTTP/1.1 GET against 127.0.0.1:<port> for tests that read a
// service's /metrics or /healthz. Header-only, so unit tests of common/ can use it
// without linking the harness.
// Thread-safety: reentrant. Errors: returns "" when the connection fails; otherwise
// the whole raw response (status line, headers, body) for the test to match.
#ifndef REVISIT_TESTS_HARNESS_HTTP_GET_H_
#define REVISIT_TESTS_HARNESS_HTTP_GET_H_

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <string>

namespace revisit::testing {

inline std::string HttpGet(int port, const std::string& path) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return "";
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    close(fd);
    return "";
  }
  const std::string req =
      "GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
  (void)!send(fd, req.data(), req.size(), 0);
  std::string resp;
  char buf[4096];
  ssize_t n;
  while ((n = recv(fd, buf, sizeof(buf), 0)) > 0) resp.append(buf, static_cast<size_t>(n));
  close(fd);
  return resp;
}

}  // namespace revisit::testing

#endif  // REVISIT_TESTS_HARNESS_HTTP_GET_H_
