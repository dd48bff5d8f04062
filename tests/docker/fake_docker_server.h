// FakeDockerServer: a tiny HTTP/1.1 server on a unix socket inside the test
// process, answering each request with whatever a test scripts, including the
// faults a real engine will not produce on demand: error statuses, garbage,
// an answer that never comes, a connection closed in the middle of a body.
// Serves one connection at a time on its own thread ("Connection: close").
// Ownership: owns its socket file (in a fresh temp folder) and its thread; the
// destructor stops both. requests() may be called from any thread.
#pragma once

#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace gsp::docker::testing {

class FakeDockerServer {
 public:
  struct Request {
    std::string method;
    std::string target;  // path and query as sent
    std::string body;
  };

  struct Reply {
    enum class Kind {
      kNormal,            // status, headers, body
      kNeverAnswer,       // read the request, then say nothing until the client leaves
      kCloseMidBody,      // headers promising the whole body, half of it, then close
      kStallMidBody,      // headers and half the body, then silence
      kRaw,               // `body` as raw bytes instead of an HTTP answer, then close
    };
    Kind kind = Kind::kNormal;
    int status = 200;
    std::string content_type = "application/json";
    std::string body;
  };

  using Handler = std::function<Reply(const Request&)>;

  explicit FakeDockerServer(Handler handler);
  ~FakeDockerServer();
  FakeDockerServer(const FakeDockerServer&) = delete;
  FakeDockerServer& operator=(const FakeDockerServer&) = delete;

  const std::string& socketPath() const { return socket_path_; }
  std::vector<Request> requests() const;

  // Canned replies.
  static Reply json(int status, std::string body);
  static Reply engineError(int status, const std::string& message);  // {"message": ...}
  static Reply fault(Reply::Kind kind, std::string body = {});
  // The answer of GET /version of an engine speaking API min_api..api.
  static Reply version(const std::string& api, const std::string& min_api);

 private:
  void serve();
  void handleConnection(int fd);
  bool waitReadable(int fd);  // false when the server is stopping

  // Constant after construction.
  const Handler handler_;
  std::string dir_;
  std::string socket_path_;
  int listen_fd_ = -1;
  int wake_pipe_[2] = {-1, -1};

  mutable std::mutex mu_;
  std::vector<Request> requests_;  // guarded by mu_

  std::thread thread_;
};

}  // namespace gsp::docker::testing
