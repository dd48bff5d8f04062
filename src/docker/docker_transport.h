// DockerTransport: how HTTP requests reach a Docker engine (unix socket today,
// tcp+TLS later), kept apart from the API calls so a new transport touches no
// call. A transport never throws; failures to talk to the engine come back as
// DockerError (kUnreachable, kTimeout, kBadResponse, kLocal). HTTP error
// statuses are not errors here: the caller reads them from HttpResponse.
// Implementations must be safe to use from several threads at once.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>

#include "docker/docker_error.h"

namespace gsp::docker {

// Receives a successful (2xx) response body piece by piece; returns false to
// stop the transfer (the call then fails with kLocal).
using BodySink = std::function<bool(const char* data, size_t size)>;

// Fills `buffer` with up to `size` bytes of a request body to upload; returns
// how many (0: the body is complete), or -1 to stop the transfer (kLocal).
using BodySource = std::function<long(char* buffer, size_t size)>;

struct HttpRequest {
  std::string method = "GET";  // GET, POST, DELETE, HEAD
  std::string target;          // path and query, already percent-encoded: "/v1.41/containers/json?all=1"
  std::string body;            // sent with Content-Type: application/json when not empty
  // Whole-call deadline; zero means the transport's default. Calls that the
  // engine itself keeps open (stop with a grace period, stats) raise it.
  std::chrono::milliseconds timeout{0};
  // When set, a 2xx body streams here instead of into HttpResponse::body;
  // error bodies are still collected so their message can be reported.
  BodySink sink;
  // When set, the request body streams from here (chunked) with this type,
  // instead of `body`: an upload of unknown size in bounded memory.
  BodySource source;
  std::string source_content_type = "application/x-tar";
  // Cap on a collected body: an engine answer bigger than this is cut off (kBadResponse).
  size_t max_body_bytes = 64u << 20;
};

struct HttpResponse {
  int status = 0;
  std::string content_type;
  std::string body;  // empty when the request streamed into a sink
};

class DockerTransport {
 public:
  virtual ~DockerTransport() = default;
  virtual DockerResult<HttpResponse> send(const HttpRequest& request) = 0;
  // Where the engine is, for messages: "unix:///var/run/docker.sock".
  virtual std::string endpoint() const = 0;
};

}  // namespace gsp::docker
