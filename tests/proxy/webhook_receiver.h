// WebhookReceiver: a small HTTP server standing in for the backend's webhook
// routes in the proxy's integration tests. Runs in its own thread, on
// 127.0.0.1 (port from the kernel) or on a unix socket; checks each call's
// signature like the backend must, records it, and answers with the status
// the test chose. Thread-safe (calls are guarded by mu_).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "unique_fd.h"

namespace gsp::test {

struct WebhookCall {
  std::string path;
  std::string server;      // X-GSP-Server
  std::string timestamp;   // X-GSP-Timestamp
  std::string signature;   // X-GSP-Signature
  std::string body;
  bool signature_ok = false;  // HMAC matches and the timestamp is within 5 minutes
  int64_t received_ms = 0;    // monotonic

  // The integer value of "name" in the JSON body, or -1.
  int64_t number(const std::string& name) const;
  std::string text(const std::string& name) const;
};

class WebhookReceiver {
 public:
  // Empty unix_path: listen on 127.0.0.1 with a kernel-chosen port.
  WebhookReceiver(std::string secret, std::string unix_path = "");
  ~WebhookReceiver();

  uint16_t port() const { return port_; }
  std::string wakeUrl() const;
  void setWakeStatus(int status) { wake_status_ = status; }
  void setActivityStatus(int status) { activity_status_ = status; }

  std::vector<WebhookCall> calls(const std::string& path_suffix = "") const;
  // Waits until at least n calls whose path ends with `path_suffix` arrived.
  bool waitForCalls(const std::string& path_suffix, size_t n, int timeout_ms) const;

 private:
  void serve();
  void handle(proxy::UniqueFd client);

  std::string secret_;
  std::string unix_path_;
  proxy::UniqueFd listen_fd_;
  uint16_t port_ = 0;
  std::atomic<int> wake_status_{200};
  std::atomic<int> activity_status_{200};
  std::atomic<bool> stopping_{false};
  std::thread thread_;

  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  std::vector<WebhookCall> calls_;  // guarded by mu_
};

}  // namespace gsp::test
