#include "test_sockets.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <thread>

namespace gsp::test {

namespace {
sockaddr_in loopback(uint16_t port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return a;
}

bool waitFor(int fd, short events, int64_t deadline) {
  while (true) {
    int left = static_cast<int>(deadline - nowMs());
    if (left <= 0) return false;
    pollfd p{fd, events, 0};
    int r = poll(&p, 1, left);
    if (r > 0) return true;
    if (r < 0 && errno != EINTR) return false;
  }
}
}  // namespace

int64_t nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch()).count();
}

uint16_t freePort() {
  // A TCP port from the kernel that is also free for UDP.
  for (int attempt = 0; attempt < 50; ++attempt) {
    UniqueFd t(socket(AF_INET, SOCK_STREAM, 0));
    sockaddr_in a = loopback(0);
    bind(t.get(), reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    getsockname(t.get(), reinterpret_cast<sockaddr*>(&a), &len);
    UniqueFd u(socket(AF_INET, SOCK_DGRAM, 0));
    if (bind(u.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) == 0) return ntohs(a.sin_port);
  }
  return 0;
}

UniqueFd connectTcp(uint16_t port, int timeout_ms, const char* from) {
  UniqueFd fd(socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0));
  if (from) {
    sockaddr_in self = loopback(0);
    inet_pton(AF_INET, from, &self.sin_addr);
    if (bind(fd.get(), reinterpret_cast<sockaddr*>(&self), sizeof self) != 0) return UniqueFd();
  }
  sockaddr_in a = loopback(port);
  int one = 1;
  setsockopt(fd.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (connect(fd.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 && errno != EINPROGRESS) return UniqueFd();
  if (!waitFor(fd.get(), POLLOUT, nowMs() + timeout_ms)) return UniqueFd();
  int err = 0;
  socklen_t len = sizeof err;
  getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &err, &len);
  if (err != 0) return UniqueFd();
  return fd;
}

bool waitForTcp(uint16_t port, int timeout_ms) {
  int64_t deadline = nowMs() + timeout_ms;
  while (nowMs() < deadline) {
    if (connectTcp(port, 200).valid()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

bool sendAll(int fd, const std::string& data) {
  size_t off = 0;
  int64_t deadline = nowMs() + 10000;
  while (off < data.size()) {
    ssize_t n = send(fd, data.data() + off, data.size() - off, MSG_NOSIGNAL);
    if (n > 0) {
      off += static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno == EAGAIN) {
      if (!waitFor(fd, POLLOUT, deadline)) return false;
      continue;
    }
    return false;
  }
  return true;
}

bool recvExact(int fd, size_t n, std::string* out, int timeout_ms) {
  out->clear();
  int64_t deadline = nowMs() + timeout_ms;
  char buf[65536];
  while (out->size() < n) {
    if (!waitFor(fd, POLLIN, deadline)) return false;
    ssize_t r = recv(fd, buf, std::min(sizeof buf, n - out->size()), MSG_DONTWAIT);
    if (r > 0) {
      out->append(buf, static_cast<size_t>(r));
      continue;
    }
    if (r < 0 && errno == EAGAIN) continue;
    return false;
  }
  return true;
}

std::string waitForClose(int fd, int timeout_ms) {
  int64_t deadline = nowMs() + timeout_ms;
  char buf[4096];
  while (true) {
    if (!waitFor(fd, POLLIN, deadline)) return "timeout";
    ssize_t r = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
    if (r == 0) return "eof";
    if (r > 0) return "data";
    if (errno == EAGAIN) continue;
    return "reset";
  }
}

UniqueFd udpSocket(const char* from) {
  UniqueFd fd(socket(AF_INET, SOCK_DGRAM, 0));
  sockaddr_in a = loopback(0);
  if (from) inet_pton(AF_INET, from, &a.sin_addr);
  bind(fd.get(), reinterpret_cast<sockaddr*>(&a), sizeof a);
  return fd;
}

bool udpSend(int fd, uint16_t port, const std::string& data) {
  sockaddr_in a = loopback(port);
  return sendto(fd, data.data(), data.size(), 0, reinterpret_cast<sockaddr*>(&a), sizeof a) ==
         static_cast<ssize_t>(data.size());
}

bool udpRecv(int fd, std::string* out, int timeout_ms) {
  if (!waitFor(fd, POLLIN, nowMs() + timeout_ms)) return false;
  char buf[65536];
  ssize_t r = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
  if (r < 0) return false;
  out->assign(buf, static_cast<size_t>(r));
  return true;
}

void sleepMs(int ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }

}  // namespace gsp::test
