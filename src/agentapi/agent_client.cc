#include "agentapi/agent_client.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

namespace gsp::agentapi {

namespace {

Status unreachable(const std::string& why) {
  return Status::unavailable("The server agent is not answering (" + why + "). Please try again in a moment.");
}

// Waits for `events` on fd until `deadline`; false on timeout or error.
bool waitFor(int fd, short events, std::chrono::steady_clock::time_point deadline) {
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    struct pollfd p = {fd, events, 0};
    int n = ::poll(&p, 1, static_cast<int>(left.count()));
    if (n > 0) return true;
    if (n < 0 && errno != EINTR) return false;
  }
}

}  // namespace

AgentClient::AgentClient(std::string socket_path, std::chrono::milliseconds timeout)
    : socket_path_(std::move(socket_path)), timeout_(timeout) {}

Status AgentClient::connect() {
  fd_.reset(::socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0));
  if (!fd_.valid()) return unreachable(strerror(errno));
  struct sockaddr_un addr = {};
  addr.sun_family = AF_UNIX;
  if (socket_path_.size() >= sizeof(addr.sun_path)) return unreachable("socket path too long");
  memcpy(addr.sun_path, socket_path_.c_str(), socket_path_.size() + 1);
  if (::connect(fd_.get(), reinterpret_cast<struct sockaddr*>(&addr), sizeof(addr)) != 0) {
    Status s = unreachable(socket_path_ + ": " + strerror(errno));
    fd_.reset();
    return s;
  }
  return Status::ok();
}

bool AgentClient::exchange(const std::string& request, std::string* reply, Status* error) {
  auto deadline = std::chrono::steady_clock::now() + timeout_;
  if (::send(fd_.get(), request.data(), request.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(request.size())) {
    *error = unreachable(strerror(errno));
    return false;
  }
  reply->resize(kMaxReplyBytes + 1);
  for (;;) {
    if (!waitFor(fd_.get(), POLLIN, deadline)) {
      // A late reply would answer the wrong request next time: start afresh.
      fd_.reset();
      *error = unreachable("no answer within " + std::to_string(timeout_.count()) + " ms");
      return true;  // the agent has the request; do not send it twice
    }
    ssize_t n = ::recv(fd_.get(), &(*reply)[0], reply->size(), 0);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n <= 0) {
      *error = unreachable(n == 0 ? "it closed the connection" : strerror(errno));
      return false;
    }
    if (static_cast<size_t>(n) > kMaxReplyBytes) {
      fd_.reset();
      *error = Status::unavailable("The server agent's answer was too large.");
      return true;
    }
    reply->resize(static_cast<size_t>(n));
    return true;
  }
}

Result<std::string> AgentClient::call(const AgentRequest& request) {
  const std::string text = encodeRequest(request);
  for (int attempt = 0; attempt < 2; ++attempt) {
    bool fresh = !fd_.valid();
    if (fresh) {
      Status connected = connect();
      if (!connected.isOk()) return connected;
    }
    std::string reply;
    Status error;
    bool delivered = exchange(text, &reply, &error);
    if (error.isOk()) return reply;
    fd_.reset();
    // A kept connection may have died with an agent restart: one more try on a new one.
    if (delivered || fresh) return error;
  }
  return unreachable("the connection failed twice");
}

Status AgentClient::ping() {
  Result<std::string> r = call({Operation::kPing});
  return r.isOk() ? decodeStatus(r.value()) : r.status();
}

Status AgentClient::poke(int64_t job_id) {
  AgentRequest request{Operation::kPoke};
  request.job = job_id;
  Result<std::string> r = call(request);
  return r.isOk() ? decodeStatus(r.value()) : r.status();
}

Result<orchestration::ServerLogs> AgentClient::logs(int64_t server_id, int tail, int64_t since) {
  AgentRequest request{Operation::kLogs};
  request.server = server_id;
  if (since > 0) request.since = since;
  else request.tail = tail;
  Result<std::string> r = call(request);
  if (!r.isOk()) return r.status();
  return decodeLogs(r.value());
}

Status AgentClient::pull(int64_t game_id) {
  AgentRequest request{Operation::kPull};
  request.game = game_id;
  Result<std::string> r = call(request);
  return r.isOk() ? decodeStatus(r.value()) : r.status();
}

Result<orchestration::ReconcileReport> AgentClient::reconcile(int64_t at) {
  AgentRequest request{Operation::kReconcile};
  request.at = at;
  Result<std::string> r = call(request);
  if (!r.isOk()) return r.status();
  return decodeReconcile(r.value());
}

Result<std::string> AgentClient::downloadUrl(int64_t server_id, int64_t backup_id) {
  AgentRequest request{Operation::kDownloadUrl};
  request.server = server_id;
  request.backup = backup_id;
  Result<std::string> r = call(request);
  if (!r.isOk()) return r.status();
  return decodeUrl(r.value());
}

Result<orchestration::ServerStats> AgentClient::stats(int64_t server_id) {
  AgentRequest request{Operation::kStats};
  request.server = server_id;
  Result<std::string> r = call(request);
  if (!r.isOk()) return r.status();
  return decodeStats(r.value());
}

}  // namespace gsp::agentapi
