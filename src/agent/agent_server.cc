#include "agent/agent_server.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <thread>

#include "core/log.h"

namespace gsp::agent {

namespace {

void reply(int fd, const std::string& text) { ::send(fd, text.data(), text.size(), MSG_NOSIGNAL); }

}  // namespace

AgentServer::AgentServer(AgentServerOptions options, HandlerFactory make_handler)
    : options_(std::move(options)), make_handler_(std::move(make_handler)) {}

AgentServer::~AgentServer() { stop(); }

Status AgentServer::listen() {
  const std::string& path = options_.socket_path;
  struct sockaddr_un addr = {};
  addr.sun_family = AF_UNIX;
  if (path.empty() || path.size() >= sizeof(addr.sun_path)) return Status::invalid("agent.socket: path too long");
  memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  struct stat st;
  if (lstat(path.c_str(), &st) == 0) {
    if (!S_ISSOCK(st.st_mode)) return Status::invalid("agent.socket: '" + path + "' exists and is not a socket");
    unlink(path.c_str());  // left by an earlier run
  }
  listen_fd_.reset(::socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0));
  if (!listen_fd_.valid()) return Status::unavailable(std::string("socket: ") + strerror(errno));
  // Born closed to everyone, then opened to exactly owner + group.
  mode_t old = umask(0777);
  int bound = ::bind(listen_fd_.get(), reinterpret_cast<struct sockaddr*>(&addr), sizeof(addr));
  umask(old);
  if (bound != 0) return Status::unavailable("cannot listen on '" + path + "': " + strerror(errno));
  if (chown(path.c_str(), static_cast<uid_t>(-1), options_.socket_group) != 0 || chmod(path.c_str(), 0660) != 0)
    return Status::unavailable("cannot give '" + path + "' to its group: " + strerror(errno));
  if (::listen(listen_fd_.get(), 128) != 0) return Status::unavailable(std::string("listen: ") + strerror(errno));
  return Status::ok();
}

bool AgentServer::allowed(uid_t uid) const {
  return std::find(options_.allowed_uids.begin(), options_.allowed_uids.end(), uid) != options_.allowed_uids.end();
}

void AgentServer::serve() {
  while (!stopping_) {
    int fd = accept4(listen_fd_.get(), nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) {
      if (stopping_) break;
      if (errno == EINTR || errno == ECONNABORTED) continue;
      log::warn() << "agent: accept failed: " << strerror(errno);
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      continue;
    }
    UniqueFd conn(fd);
    struct ucred cred = {};
    cred.uid = static_cast<uid_t>(-1);
    socklen_t len = sizeof(cred);
    bool ok = getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) == 0 && allowed(cred.uid);
    if (!ok) log::warn() << "agent: refusing a connection from uid " << cred.uid << " (pid " << cred.pid << ")";
    std::lock_guard<std::mutex> lock(mu_);
    if (live_threads_ >= options_.max_connections) {
      log::warn() << "agent: too many connections; refused one from uid " << cred.uid;
      continue;  // closed unanswered: the asker sees the connection fail
    }
    open_fds_.insert(fd);
    ++live_threads_;
    std::thread([this, c = std::move(conn), uid = cred.uid, ok]() mutable {
      serveConnection(std::move(c), uid, ok);
    }).detach();
  }
  std::unique_lock<std::mutex> lock(mu_);
  ended_.wait(lock, [this] { return live_threads_ == 0; });
}

void AgentServer::stop() {
  if (stopping_.exchange(true)) return;
  if (listen_fd_.valid()) shutdown(listen_fd_.get(), SHUT_RDWR);
  std::lock_guard<std::mutex> lock(mu_);
  for (int fd : open_fds_) shutdown(fd, SHUT_RDWR);
}

void AgentServer::serveConnection(UniqueFd conn, uid_t uid, bool allowed) {
  if (allowed) {
    serveRequests(conn.get(), uid);
  } else {
    // Its first request is read before the answer: closing on an unread
    // request would reset the connection and lose the answer.
    struct pollfd p = {conn.get(), POLLIN, 0};
    std::string buffer(agentapi::kMaxRequestBytes + 1, '\0');
    if (::poll(&p, 1, 2000) == 1 && ::recv(conn.get(), &buffer[0], buffer.size(), MSG_TRUNC) >= 0)
      reply(conn.get(), agentapi::encodeError(Status::forbidden("This user may not use the agent.")));
  }
  std::lock_guard<std::mutex> lock(mu_);
  open_fds_.erase(conn.get());
  conn.reset();
  --live_threads_;
  ended_.notify_all();
}

void AgentServer::serveRequests(int fd, uid_t uid) {
  Handler handle = make_handler_();
  std::string buffer(agentapi::kMaxRequestBytes + 1, '\0');
  while (!stopping_) {
    // MSG_TRUNC: the real length of a message too big for the buffer.
    ssize_t n = ::recv(fd, &buffer[0], buffer.size(), MSG_TRUNC);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // closed, or shut down by stop()
    std::string answer;
    if (static_cast<size_t>(n) > agentapi::kMaxRequestBytes) {
      answer = agentapi::encodeError(Status::invalid("request too large"));
    } else {
      Result<agentapi::AgentRequest> request = agentapi::decodeRequest(std::string_view(buffer.data(), n));
      if (!request.isOk()) {
        log::warn() << "agent: malformed request from uid " << uid << ": " << request.status().message();
        answer = agentapi::encodeError(request.status());
      } else {
        answer = handle(request.value());
      }
    }
    if (::send(fd, answer.data(), answer.size(), MSG_NOSIGNAL) < 0) break;
  }
}

}  // namespace gsp::agent
