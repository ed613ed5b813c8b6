#include "tests/harness/subprocess.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

extern char** environ;

namespace revisit::testing {
namespace {

// Finds `path` in PATH unless it contains a slash.
std::string Resolve(const std::string& path) {
  if (path.find('/') != std::string::npos) return path;
  const char* dirs = std::getenv("PATH");
  for (absl::string_view dir : absl::StrSplit(dirs ? dirs : "/usr/bin:/bin", ':')) {
    std::string candidate = absl::StrCat(dir, "/", path);
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return path;
}

std::vector<std::string> MergedEnv(const std::map<std::string, std::string>& overrides) {
  std::map<std::string, std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string entry(*e);
    size_t eq = entry.find('=');
    if (eq != std::string::npos) env[entry.substr(0, eq)] = entry.substr(eq + 1);
  }
  for (const auto& [k, v] : overrides) env[k] = v;
  std::vector<std::string> out;
  for (const auto& [k, v] : env) out.push_back(k + "=" + v);
  return out;
}

std::vector<char*> Pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (std::string& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

// Runs in the child after fork: only async-signal-safe calls. Never returns.
[[noreturn]] void ExecChild(const char* path, char** argv, char** envp, int log_fd,
                            int error_fd, pid_t parent) {
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent) _exit(127);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  int null_fd = open("/dev/null", O_RDONLY);
  dup2(null_fd, 0);
  dup2(log_fd, 1);
  dup2(log_fd, 2);
  execve(path, argv, envp);
  int err = errno;
  ssize_t ignored = write(error_fd, &err, sizeof(err));
  (void)ignored;
  _exit(127);
}

}  // namespace

absl::StatusOr<std::unique_ptr<Subprocess>> Subprocess::Start(const SubprocessOptions& o) {
  std::string path = Resolve(o.path);
  std::vector<std::string> argv_s = {path};
  argv_s.insert(argv_s.end(), o.args.begin(), o.args.end());
  std::vector<std::string> env_s = MergedEnv(o.env);
  std::vector<char*> argv = Pointers(argv_s), envp = Pointers(env_s);
  std::string log = o.log_path.empty() ? "/dev/null" : o.log_path;
  int log_fd = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log_fd < 0) return absl::InternalError(absl::StrCat("open ", log, ": ", strerror(errno)));
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) {
    close(log_fd);
    return absl::InternalError("pipe2 failed");
  }
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid == 0) ExecChild(path.c_str(), argv.data(), envp.data(), log_fd, pipe_fds[1], parent);
  close(log_fd);
  close(pipe_fds[1]);
  if (pid < 0) {
    close(pipe_fds[0]);
    return absl::InternalError(absl::StrCat("fork: ", strerror(errno)));
  }
  int exec_errno = 0;
  ssize_t n = read(pipe_fds[0], &exec_errno, sizeof(exec_errno));  // EOF when exec worked
  close(pipe_fds[0]);
  std::unique_ptr<Subprocess> p(new Subprocess(pid, o.log_path));
  if (n > 0) {
    p->Wait(absl::Seconds(5)).IgnoreError();
    return absl::NotFoundError(absl::StrCat("exec ", path, ": ", strerror(exec_errno)));
  }
  return p;
}

Subprocess::~Subprocess() { Kill().IgnoreError(); }

void Subprocess::Reaped(int wait_status) {
  exited_ = true;
  exit_code_ = WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : 128 + WTERMSIG(wait_status);
}

bool Subprocess::Running() {
  if (exited_) return false;
  int wait_status = 0;
  if (waitpid(pid_, &wait_status, WNOHANG) == pid_) Reaped(wait_status);
  return !exited_;
}

absl::Status Subprocess::Signal(int sig) {
  if (!Running()) return absl::FailedPreconditionError(absl::StrCat("pid ", pid_, " exited"));
  if (kill(pid_, sig) != 0) return absl::InternalError(absl::StrCat("kill: ", strerror(errno)));
  return absl::OkStatus();
}

absl::Status Subprocess::Kill() {
  if (!Running()) return absl::OkStatus();
  kill(pid_, SIGKILL);
  int wait_status = 0;
  if (waitpid(pid_, &wait_status, 0) == pid_) Reaped(wait_status);
  return absl::OkStatus();
}

absl::StatusOr<int> Subprocess::Wait(absl::Duration timeout) {
  absl::Time deadline = absl::Now() + timeout;
  while (Running()) {
    if (absl::Now() >= deadline) {
      return absl::DeadlineExceededError(absl::StrCat("pid ", pid_, " still running"));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return exit_code_;
}

std::string Subprocess::ReadLog() const {
  if (log_path_.empty()) return "";
  return ReadFile(log_path_).value_or("");
}

absl::StatusOr<int> FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return absl::InternalError("socket failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  bool ok = bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
            getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0;
  close(fd);
  if (!ok) return absl::InternalError(absl::StrCat("bind port 0: ", strerror(errno)));
  return static_cast<int>(ntohs(addr.sin_port));
}

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError("cannot open " + path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace revisit::testing
