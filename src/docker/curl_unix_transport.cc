#include "docker/curl_unix_transport.h"

#include <sys/stat.h>

#include <cstring>
#include <mutex>

#include "docker/curl_handles.h"

namespace gsp::docker {

namespace {

// curl_global_init is not safe to race with other libcurl calls; run it once.
void initCurlOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// Shared between send() and the write callback for one transfer.
struct Transfer {
  CURL* handle = nullptr;
  const HttpRequest* request = nullptr;
  HttpResponse* response = nullptr;
  bool sink_refused = false;
  bool source_refused = false;
  bool too_large = false;
};

size_t onUpload(char* buffer, size_t one, size_t size, void* user) {
  auto* t = static_cast<Transfer*>(user);
  long n = -1;
  try {
    n = t->request->source(buffer, one * size);
  } catch (...) {
    // As for the sink: nothing may unwind through libcurl.
  }
  if (n < 0) {
    t->source_refused = true;
    return CURL_READFUNC_ABORT;
  }
  return static_cast<size_t>(n);
}

size_t onBody(char* data, size_t one, size_t size, void* user) {
  auto* t = static_cast<Transfer*>(user);
  size *= one;
  long code = 0;
  curl_easy_getinfo(t->handle, CURLINFO_RESPONSE_CODE, &code);
  // Only a successful body streams to the sink; an error body is kept for its message.
  if (t->request->sink && code >= 200 && code < 300) {
    bool keep_going = false;
    try {
      keep_going = t->request->sink(data, size);
    } catch (...) {
      // An exception must not unwind through libcurl's C frames; it ends the transfer.
    }
    if (!keep_going) {
      t->sink_refused = true;
      return 0;  // makes libcurl stop with CURLE_WRITE_ERROR
    }
    return size;
  }
  if (t->response->body.size() + size > t->request->max_body_bytes) {
    t->too_large = true;
    return 0;
  }
  t->response->body.append(data, size);
  return size;
}

// "GET /v1.41/containers/abc/json" without the query, which can be long.
std::string describe(const HttpRequest& r) {
  return r.method + " " + r.target.substr(0, r.target.find('?'));
}

}  // namespace

CurlUnixTransport::CurlUnixTransport(CurlUnixTransportOptions options)
    : options_(std::move(options)) {
  initCurlOnce();
}

DockerResult<HttpResponse> CurlUnixTransport::send(const HttpRequest& request) {
  CurlEasy easy(curl_easy_init());
  if (!easy) return DockerError(ErrorKind::kLocal, "libcurl could not create a handle");
  CURL* h = easy.get();

  HttpResponse response;
  Transfer transfer{h, &request, &response};
  char error_buffer[CURL_ERROR_SIZE] = {0};
  const std::string url = "http://localhost" + request.target;
  const auto timeout = request.timeout.count() > 0 ? request.timeout : options_.default_timeout;

  CurlHeaders headers;
  // No "Expect: 100-continue" round trip before bodies.
  bool headers_ok = headers.append("Expect:");
  if (request.source) headers_ok = headers_ok && headers.append(("Content-Type: " + request.source_content_type).c_str());
  else if (!request.body.empty()) headers_ok = headers_ok && headers.append("Content-Type: application/json");
  if (!headers_ok) return DockerError(ErrorKind::kLocal, "libcurl could not allocate headers");

  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_UNIX_SOCKET_PATH, options_.socket_path.c_str());
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);  // threads: no SIGALRM for timeouts
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.connect_timeout.count()));
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, onBody);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &transfer);
  if (request.source) {
    // An upload of unknown length: HTTP/1.1 chunked, read piece by piece.
    curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(h, CURLOPT_READFUNCTION, onUpload);
    curl_easy_setopt(h, CURLOPT_READDATA, &transfer);
    if (request.method != "PUT") curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  } else if (request.method == "POST") {
    curl_easy_setopt(h, CURLOPT_POST, 1L);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, request.body.c_str());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  } else if (request.method == "HEAD") {
    curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
  } else if (request.method != "GET") {
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  }

  const CURLcode rc = curl_easy_perform(h);
  const std::string what = describe(request);
  const std::string detail = error_buffer[0] != 0 ? error_buffer : curl_easy_strerror(rc);
  switch (rc) {
    case CURLE_OK:
      break;
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST: {
      struct stat st;
      std::string why = ::stat(options_.socket_path.c_str(), &st) != 0
                            ? "no socket there (is dockerd running?)"
                            : detail;
      return DockerError(ErrorKind::kUnreachable,
                         "Docker engine unreachable at " + endpoint() + ": " + why);
    }
    case CURLE_OPERATION_TIMEDOUT:
      return DockerError(ErrorKind::kTimeout, "Docker engine did not complete " + what + " within " +
                                                  std::to_string(timeout.count()) + " ms (" +
                                                  endpoint() + ")");
    case CURLE_ABORTED_BY_CALLBACK:
    case CURLE_READ_ERROR:
      if (transfer.source_refused) return DockerError(ErrorKind::kLocal, "sender stopped the upload of " + what);
      return DockerError(ErrorKind::kLocal, "could not send the body of " + what + ": " + detail);
    case CURLE_WRITE_ERROR:
      if (transfer.sink_refused) {
        return DockerError(ErrorKind::kLocal, "receiver stopped the transfer of " + what);
      }
      if (transfer.too_large) {
        return DockerError(ErrorKind::kBadResponse,
                           "Docker engine answer to " + what + " is larger than " +
                               std::to_string(request.max_body_bytes) + " bytes");
      }
      return DockerError(ErrorKind::kLocal, "could not keep the answer to " + what + ": " + detail);
    default:
      // Connection closed without or in the middle of an answer, malformed HTTP, ...
      return DockerError(ErrorKind::kBadResponse,
                         "Docker engine connection failed during " + what + ": " + detail);
  }

  long code = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
  response.status = static_cast<int>(code);
  char* content_type = nullptr;
  if (curl_easy_getinfo(h, CURLINFO_CONTENT_TYPE, &content_type) == CURLE_OK && content_type) {
    response.content_type = content_type;
  }
  return response;
}

}  // namespace gsp::docker
