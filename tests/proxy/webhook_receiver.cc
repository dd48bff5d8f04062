#include "webhook_receiver.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <ctime>
#include <regex>

#include "core/crypto.h"
#include "test_sockets.h"

namespace gsp::test {

int64_t WebhookCall::number(const std::string& name) const {
  std::smatch m;
  if (std::regex_search(body, m, std::regex("\"" + name + "\":(-?[0-9]+)"))) return std::stoll(m[1]);
  return -1;
}

std::string WebhookCall::text(const std::string& name) const {
  std::smatch m;
  if (std::regex_search(body, m, std::regex("\"" + name + "\":\"([^\"]*)\""))) return m[1];
  return "";
}

WebhookReceiver::WebhookReceiver(std::string secret, std::string unix_path)
    : secret_(std::move(secret)), unix_path_(std::move(unix_path)) {
  if (unix_path_.empty()) {
    listen_fd_.reset(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(listen_fd_.get(), reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    getsockname(listen_fd_.get(), reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
  } else {
    listen_fd_.reset(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    strncpy(a.sun_path, unix_path_.c_str(), sizeof a.sun_path - 1);
    unlink(unix_path_.c_str());
    bind(listen_fd_.get(), reinterpret_cast<sockaddr*>(&a), sizeof a);
    // The proxy's image runs as an unprivileged user, like nginx's internal listener allows.
    chmod(unix_path_.c_str(), 0666);
  }
  listen(listen_fd_.get(), 1024);
  thread_ = std::thread([this] { serve(); });
}

WebhookReceiver::~WebhookReceiver() {
  stopping_ = true;
  thread_.join();
  if (!unix_path_.empty()) unlink(unix_path_.c_str());
}

std::string WebhookReceiver::wakeUrl() const {
  if (!unix_path_.empty()) return "unix:" + unix_path_ + ":/api/webhook/wake";
  return "http://127.0.0.1:" + std::to_string(port_) + "/api/webhook/wake";
}

void WebhookReceiver::serve() {
  while (!stopping_) {
    pollfd p{listen_fd_.get(), POLLIN, 0};
    if (poll(&p, 1, 50) <= 0) continue;
    int fd = accept4(listen_fd_.get(), nullptr, nullptr, SOCK_CLOEXEC);
    if (fd >= 0) handle(proxy::UniqueFd(fd));
  }
}

void WebhookReceiver::handle(proxy::UniqueFd client) {
  std::string data;
  char buf[4096];
  size_t head_end = std::string::npos;
  size_t content_length = 0;
  int64_t deadline = nowMs() + 2000;
  while (nowMs() < deadline) {
    pollfd p{client.get(), POLLIN, 0};
    if (poll(&p, 1, 100) <= 0) continue;
    ssize_t n = recv(client.get(), buf, sizeof buf, 0);
    if (n <= 0) break;
    data.append(buf, static_cast<size_t>(n));
    if (head_end == std::string::npos && (head_end = data.find("\r\n\r\n")) != std::string::npos) {
      std::smatch m;
      std::string head = data.substr(0, head_end);
      if (std::regex_search(head, m, std::regex("Content-Length: ([0-9]+)"))) content_length = std::stoul(m[1]);
    }
    if (head_end != std::string::npos && data.size() >= head_end + 4 + content_length) break;
  }
  if (head_end == std::string::npos) return;
  std::string head = data.substr(0, head_end);
  WebhookCall call;
  call.received_ms = nowMs();
  std::smatch m;
  if (std::regex_search(head, m, std::regex("^POST ([^ ]+) HTTP/1.1"))) call.path = m[1];
  if (std::regex_search(head, m, std::regex("X-GSP-Server: ([^\r]*)"))) call.server = m[1];
  if (std::regex_search(head, m, std::regex("X-GSP-Timestamp: ([^\r]*)"))) call.timestamp = m[1];
  if (std::regex_search(head, m, std::regex("X-GSP-Signature: ([^\r]*)"))) call.signature = m[1];
  call.body = data.substr(head_end + 4, content_length);
  // What the backend must do: recompute, compare in constant time, reject stale timestamps.
  std::string expected = crypto::toHex(
      crypto::hmacSha256(secret_, "POST\n" + call.path + "\n" + call.timestamp + "\n" + call.body));
  int64_t ts = call.timestamp.empty() ? 0 : std::stoll(call.timestamp);
  call.signature_ok = crypto::constantTimeEquals(expected, call.signature) && std::llabs(time(nullptr) - ts) <= 300;
  bool is_wake = call.path.size() >= 5 && call.path.compare(call.path.size() - 5, 5, "/wake") == 0;
  int status = call.signature_ok ? (is_wake ? wake_status_.load() : activity_status_.load()) : 401;
  {
    std::lock_guard<std::mutex> lock(mu_);
    calls_.push_back(call);
  }
  cv_.notify_all();
  std::string reply = "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Type: application/json\r\n"
                      "Content-Length: 2\r\nConnection: close\r\n\r\n{}";
  sendAll(client.get(), reply);
  shutdown(client.get(), SHUT_WR);
  // Let the proxy read to EOF and close first.
  pollfd p{client.get(), POLLIN, 0};
  poll(&p, 1, 500);
}

std::vector<WebhookCall> WebhookReceiver::calls(const std::string& suffix) const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<WebhookCall> out;
  for (const auto& c : calls_) {
    if (c.path.size() >= suffix.size() && c.path.compare(c.path.size() - suffix.size(), suffix.size(), suffix) == 0)
      out.push_back(c);
  }
  return out;
}

bool WebhookReceiver::waitForCalls(const std::string& suffix, size_t n, int timeout_ms) const {
  int64_t deadline = nowMs() + timeout_ms;
  while (nowMs() < deadline) {
    if (calls(suffix).size() >= n) return true;
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, std::chrono::milliseconds(20));
  }
  return calls(suffix).size() >= n;
}

}  // namespace gsp::test
