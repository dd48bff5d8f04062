// CurlUnixTransport: HTTP/1.1 to a Docker engine over its unix socket with
// libcurl (CURLOPT_UNIX_SOCKET_PATH, URL http://localhost/...). Every request
// has a connect deadline and a whole-call deadline.
// Thread-safe: each request uses its own easy handle; the object itself is
// constant after construction.
#pragma once

#include <chrono>
#include <string>

#include "docker/docker_transport.h"

namespace gsp::docker {

struct CurlUnixTransportOptions {
  std::string socket_path = "/var/run/docker.sock";
  std::chrono::milliseconds connect_timeout{2000};
  std::chrono::milliseconds default_timeout{30000};  // whole call, unless the request says otherwise
};

class CurlUnixTransport : public DockerTransport {
 public:
  explicit CurlUnixTransport(CurlUnixTransportOptions options);
  DockerResult<HttpResponse> send(const HttpRequest& request) override;
  std::string endpoint() const override { return "unix://" + options_.socket_path; }

 private:
  const CurlUnixTransportOptions options_;
};

}  // namespace gsp::docker
