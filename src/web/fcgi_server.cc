#include "web/fcgi_server.h"

#include <cppconn/exception.h>
#include <fcgiapp.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <vector>

#include "core/log.h"
#include "db/database.h"
#include "web/pages.h"
#include "web/request_parser.h"

namespace gsp::web {

namespace {

// systemd socket activation: LISTEN_PID is us and LISTEN_FDS >= 1 -> fd 3.
int systemdSocket() {
  const char* pid = getenv("LISTEN_PID");
  const char* fds = getenv("LISTEN_FDS");
  if (!pid || !fds || atol(pid) != static_cast<long>(getpid()) || atoi(fds) < 1) return -1;
  return 3;
}

StringMap cgiParams(char** envp) {
  StringMap params;
  for (char** e = envp; e && *e; ++e) {
    const char* eq = strchr(*e, '=');
    if (eq) params.emplace(std::string(*e, eq - *e), std::string(eq + 1));
  }
  return params;
}

void send(FCGX_Request& req, const Response& response) {
  std::string out = serialize(response);
  FCGX_PutStr(out.data(), static_cast<int>(out.size()), req.out);
}

// Reads the body announced by CONTENT_LENGTH. Returns 0, or the status to answer.
int readBody(FCGX_Request& req, const StringMap& params, int64_t max_bytes, std::string* body) {
  auto it = params.find("CONTENT_LENGTH");
  if (it == params.end() || it->second.empty()) return 0;
  const std::string& text = it->second;
  if (text.size() > 18 || text.find_first_not_of("0123456789") != std::string::npos) return 400;
  int64_t length = std::stoll(text);
  if (length > max_bytes) {
    // Drain what nginx sends (it caps bodies itself) so it reads our 413 page
    // instead of failing on a half-written request.
    char sink[16384];
    while (FCGX_GetStr(sink, sizeof sink, req.in) > 0) {
    }
    return 413;
  }
  body->resize(static_cast<size_t>(length));
  int64_t got = 0;
  while (got < length) {
    int n = FCGX_GetStr(&(*body)[got], static_cast<int>(length - got), req.in);
    if (n <= 0) return 400;  // the client sent less than it announced
    got += n;
  }
  return 0;
}

// Ends the request and closes the connection. Marked detached, libfcgi closes
// at once instead of its "lingering close" (shutdown, then poll until nginx
// hangs up), which exists against TCP resets; on this unix socket nginx has
// read the whole response by FCGI_END_REQUEST and stops reading there. Saves a
// worker two system calls and a sleep per request.
void finish(FCGX_Request& req) {
  req.detached = 1;
  FCGX_Finish_r(&req);
  req.detached = 0;
  // Left open when nginx asked to keep it (fastcgi_keep_conn): the workers
  // serve one request per connection, so close it rather than leak it.
  if (req.ipcFd >= 0) {
    close(req.ipcFd);
    req.ipcFd = -1;
  }
}

}  // namespace

FcgiServer::FcgiServer(const Config& config, const App& app, const Views& views, OperationsFactory make_operations)
    : config_(config), app_(app), views_(views), make_operations_(std::move(make_operations)) {}

int FcgiServer::openListenSocket() {
  int fd = systemdSocket();
  if (fd >= 0) {
    log::info() << "using the socket handed over by systemd";
    return fd;
  }
  const std::string& path = config_.web_socket;
  struct stat st;
  if (lstat(path.c_str(), &st) == 0) {
    if (!S_ISSOCK(st.st_mode)) {
      log::error() << "web.socket: '" << path << "' exists and is not a socket";
      return -1;
    }
    unlink(path.c_str());  // left over from a previous run
  }
  // Create it with no access, then open it up to exactly the configured mode.
  mode_t old = umask(0777);
  fd = FCGX_OpenSocket(path.c_str(), 1024);
  umask(old);
  if (fd < 0 || chmod(path.c_str(), static_cast<mode_t>(config_.web_socket_mode)) != 0) {
    log::error() << "cannot listen on '" << path << "': " << strerror(errno);
    return -1;
  }
  log::info() << "listening on " << path;
  return fd;
}

void FcgiServer::workerLoop(int listen_fd) {
  db::Database::threadInit();
  db::Database db(config_.database);
  std::unique_ptr<orchestration::ServerOperations> servers = make_operations_(db);
  ParseLimits limits;
  limits.max_body_bytes = static_cast<size_t>(config_.web_max_body_bytes);
  FCGX_Request req;
  // libfcgi gets no listen socket: its accept is not thread-safe (concurrent
  // FCGX_Accept_r calls crashed), and for a unix socket it then waits up to
  // 2 s for the first bytes, which behind a lock stalls the whole pool. The
  // workers accept below, all at once (the kernel hands each connection to
  // one), and libfcgi reads the request as from a kept-alive connection. When
  // it gives up on a malformed request it falls back to accepting on fd -1,
  // which fails at once.
  FCGX_InitRequest(&req, -1, 0);
  while (!stopping_) {
    int fd = accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) {
      if (stopping_) break;
      if (errno == EINTR || errno == ECONNABORTED) continue;
      // Out of fds and the like must not cost the pool a worker: log, breathe, go on.
      log::warn() << "FastCGI accept failed: " << strerror(errno);
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      continue;
    }
    req.ipcFd = fd;
    req.keepConnection = 1;  // so that FCGX_Accept_r's tidy-up of the last request keeps fd open
    if (FCGX_Accept_r(&req) < 0) {
      // Not a FastCGI request (libfcgi closed the connection already).
      log::warn() << "FastCGI: a connection without a readable request";
      continue;
    }
    StringMap params = cgiParams(req.envp);
    std::string body;
    Request request;
    int status = readBody(req, params, config_.web_max_body_bytes, &body);
    ParseError parse_error;
    if (status == 0) {
      parse_error = parseRequest(params, std::move(body), limits, &request);
      status = parse_error.status;
    }
    if (status != 0) {
      send(req, pages::bareError(views_, status, parse_error.message));
      finish(req);
      continue;
    }

    Response response;
    for (int attempt = 1;; ++attempt) {
      try {
        response = app_.handle(request, db, *servers);
        break;
      } catch (const sql::SQLException& e) {
        bool lost = db::isConnectionLost(e);
        db.disconnect();
        if (lost && attempt == 1) continue;  // reconnect and run the request once more
        log::error() << request.method << " " << request.path << ": database error " << e.getErrorCode()
                     << ": " << e.what();
        response = pages::bareError(views_, lost ? 503 : 500);
        break;
      } catch (const std::exception& e) {
        log::error() << request.method << " " << request.path << ": " << e.what();
        response = pages::bareError(views_, 500);
        break;
      }
    }
    send(req, response);
    finish(req);
  }
  FCGX_Free(&req, 0);
  db.disconnect();
  db::Database::threadEnd();
}

int FcgiServer::run() {
  // Signals are taken by one thread with sigwait(); every other thread blocks
  // them, so libfcgi's own SIGTERM handling never runs.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);  // a browser that went away must not kill the process

  if (FCGX_Init() != 0) {
    log::error() << "FCGX_Init failed";
    return 1;
  }
  int listen_fd = openListenSocket();
  if (listen_fd < 0) return 1;

  std::vector<std::thread> workers;
  for (int i = 0; i < config_.web_threads; ++i) workers.emplace_back([this, listen_fd] { workerLoop(listen_fd); });
  log::info() << "gsp-web ready with " << config_.web_threads << " workers";

  int sig = 0;
  while (sigwait(&signals, &sig) == 0 && sig == SIGHUP) {
    log::info() << "SIGHUP ignored (restart the service to reload the configuration)";
  }
  log::info() << "signal " << sig << ": finishing in-flight requests";
  stopping_ = true;
  // Wakes every worker blocked in accept() (they all wait there at once).
  shutdown(listen_fd, SHUT_RDWR);
  for (std::thread& t : workers) t.join();
  close(listen_fd);
  if (systemdSocket() < 0) unlink(config_.web_socket.c_str());
  log::info() << "gsp-web stopped";
  return 0;
}

}  // namespace gsp::web
