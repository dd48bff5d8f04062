#include "fake_docker_server.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace gsp::docker::testing {

namespace {

const char* reasonPhrase(int status) {
  switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 204: return "No Content";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 409: return "Conflict";
    case 500: return "Internal Server Error";
    default: return "Status";
  }
}

void writeAll(int fd, const std::string& data) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::send(fd, data.data() + done, data.size() - done, MSG_NOSIGNAL);
    if (n <= 0) return;  // the client left; nothing more to say
    done += static_cast<size_t>(n);
  }
}

}  // namespace

FakeDockerServer::FakeDockerServer(Handler handler) : handler_(std::move(handler)) {
  char tmpl[] = "/tmp/gsp-fake-docker-XXXXXX";
  if (!mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
  dir_ = tmpl;
  socket_path_ = dir_ + "/docker.sock";
  listen_fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, socket_path_.c_str(), sizeof(addr.sun_path) - 1);
  if (listen_fd_ < 0 || ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(listen_fd_, 16) != 0 || ::pipe(wake_pipe_) != 0) {
    throw std::runtime_error(std::string("fake docker server: ") + std::strerror(errno));
  }
  thread_ = std::thread([this] { serve(); });
}

FakeDockerServer::~FakeDockerServer() {
  (void)!::write(wake_pipe_[1], "x", 1);
  thread_.join();
  ::close(listen_fd_);
  ::close(wake_pipe_[0]);
  ::close(wake_pipe_[1]);
  ::unlink(socket_path_.c_str());
  ::rmdir(dir_.c_str());
}

std::vector<FakeDockerServer::Request> FakeDockerServer::requests() const {
  std::lock_guard<std::mutex> lock(mu_);
  return requests_;
}

bool FakeDockerServer::waitReadable(int fd) {
  pollfd fds[2] = {{fd, POLLIN, 0}, {wake_pipe_[0], POLLIN, 0}};
  while (true) {
    int n = ::poll(fds, 2, -1);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 || (fds[1].revents & POLLIN)) return false;
    return true;
  }
}

void FakeDockerServer::serve() {
  while (waitReadable(listen_fd_)) {
    int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    handleConnection(fd);
    ::close(fd);
  }
}

void FakeDockerServer::handleConnection(int fd) {
  // Read the head, then as much body as Content-Length says.
  std::string in;
  char buf[4096];
  size_t head_end;
  while ((head_end = in.find("\r\n\r\n")) == std::string::npos) {
    if (!waitReadable(fd)) return;
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) return;
    in.append(buf, static_cast<size_t>(n));
  }
  Request req;
  const std::string head = in.substr(0, head_end);
  const size_t sp1 = head.find(' ');
  const size_t sp2 = head.find(' ', sp1 + 1);
  req.method = head.substr(0, sp1);
  req.target = head.substr(sp1 + 1, sp2 - sp1 - 1);
  size_t content_length = 0;
  const char* kLength = "\r\ncontent-length:";
  std::string lower = head;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (size_t at = lower.find(kLength); at != std::string::npos) {
    content_length = std::strtoul(head.c_str() + at + std::strlen(kLength), nullptr, 10);
  }
  req.body = in.substr(head_end + 4);
  while (req.body.size() < content_length) {
    if (!waitReadable(fd)) return;
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) return;
    req.body.append(buf, static_cast<size_t>(n));
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    requests_.push_back(req);
  }

  const Reply reply = handler_(req);
  using Kind = Reply::Kind;
  if (reply.kind == Kind::kRaw) {
    writeAll(fd, reply.body);
    return;
  }
  if (reply.kind == Kind::kNeverAnswer) {
    // Until the client hangs up (recv returns 0) or the server stops.
    while (waitReadable(fd) && ::recv(fd, buf, sizeof buf, 0) > 0) {
    }
    return;
  }
  std::string head_out = "HTTP/1.1 " + std::to_string(reply.status) + " " + reasonPhrase(reply.status) +
                         "\r\nContent-Type: " + reply.content_type +
                         "\r\nContent-Length: " + std::to_string(reply.body.size()) +
                         "\r\nApi-Version: 1.41\r\nConnection: close\r\n\r\n";
  if (reply.kind == Kind::kNormal) {
    writeAll(fd, head_out + reply.body);
    return;
  }
  writeAll(fd, head_out + reply.body.substr(0, reply.body.size() / 2));
  if (reply.kind == Kind::kStallMidBody) {
    while (waitReadable(fd) && ::recv(fd, buf, sizeof buf, 0) > 0) {
    }
  }
  // kCloseMidBody: closing now leaves the promised length unmet.
}

FakeDockerServer::Reply FakeDockerServer::json(int status, std::string body) {
  Reply r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

FakeDockerServer::Reply FakeDockerServer::engineError(int status, const std::string& message) {
  return json(status, nlohmann::json{{"message", message}}.dump() + "\n");
}

FakeDockerServer::Reply FakeDockerServer::fault(Reply::Kind kind, std::string body) {
  Reply r;
  r.kind = kind;
  r.body = std::move(body);
  return r;
}

FakeDockerServer::Reply FakeDockerServer::version(const std::string& api, const std::string& min_api) {
  nlohmann::json j = {{"Version", "fake"}, {"ApiVersion", api}, {"Os", "linux"}, {"Arch", "amd64"}};
  if (!min_api.empty()) j["MinAPIVersion"] = min_api;
  return json(200, j.dump());
}

}  // namespace gsp::docker::testing
