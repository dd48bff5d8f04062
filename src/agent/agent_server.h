// AgentServer: gsp-agent's unix socket (SOCK_SEQPACKET, mode 0660, group of
// the programs that may ask). Each connection gets a thread of its own that
// reads one request at a time, decodes it (agentapi/agent_protocol.h) and
// sends its handler's reply. The peer is checked once, at accept, with
// SO_PEERCRED: a uid not in the allowed list gets one "forbidden" reply (to its
// first request) and is disconnected. Oversized, empty and malformed messages get an error reply.
// Connections are bounded; past the bound a new one is refused the same way.
// Thread-safe: stop() may be called from another thread than serve().
#pragma once

#include <sys/types.h>

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "agentapi/agent_protocol.h"
#include "core/status.h"
#include "core/unique_fd.h"

namespace gsp::agent {

struct AgentServerOptions {
  std::string socket_path;
  gid_t socket_group = 0;           // the socket's group (the web user's)
  std::vector<uid_t> allowed_uids;  // who may ask
  int max_connections = 64;
};

class AgentServer {
 public:
  // Answers one request; one per connection thread, made on that thread.
  using Handler = std::function<std::string(const agentapi::AgentRequest&)>;
  using HandlerFactory = std::function<Handler()>;

  AgentServer(AgentServerOptions options, HandlerFactory make_handler);
  ~AgentServer();

  // Creates the socket (replacing a stale one). Must succeed before serve().
  Status listen();
  // Accepts until stop(); then waits for the connection threads.
  void serve();
  void stop();

 private:
  // A connection's thread: its requests (or one "forbidden" answer when the
  // peer is not `allowed`), then the bookkeeping of its end.
  void serveConnection(UniqueFd fd, uid_t uid, bool allowed);
  // Reads, answers; returns when the peer leaves or stop() is called.
  void serveRequests(int fd, uid_t uid);
  bool allowed(uid_t uid) const;

  const AgentServerOptions options_;
  const HandlerFactory make_handler_;
  UniqueFd listen_fd_;
  std::atomic<bool> stopping_{false};

  std::mutex mu_;
  std::condition_variable ended_;  // a connection thread ended
  std::set<int> open_fds_;         // guarded by mu_: shut down on stop()
  int live_threads_ = 0;           // guarded by mu_; threads are detached
};

}  // namespace gsp::agent
