// UdpPort: one public UDP port. Datagrams are read in batches (recvmmsg); each
// client address gets a UdpSession with its own connected upstream socket, so
// replies can be told apart and sent back from the public port. Sessions expire
// after --udp-idle-timeout. With --query on this port, server-browser queries
// are answered here while the game is not up (no session, no wake). Owns its
// sessions. Loop thread only.
#pragma once

#include <sys/socket.h>

#include <memory>
#include <string>
#include <unordered_map>

#include "datagram_batch.h"
#include "proxy_context.h"
#include "query_responder.h"
#include "scratch_buffer.h"
#include "udp_session.h"

namespace gsp::proxy {

class UdpPort : public IoHandler {
 public:
  static constexpr int kMaxBatchesPerWakeup = 4;

  UdpPort(ProxyContext& ctx, const PortMapping& mapping);

  Status bind(const std::string& address);
  void onIo(uint32_t events) override;

  int fd() const { return fd_.get(); }
  const PortMapping& mapping() const { return mapping_; }
  // Sends `count` packed datagrams of `batch` from the public port to `to`;
  // drops and counts what the socket cannot take right now.
  void sendToClient(const SocketAddress& to, DatagramBatch& batch, int count);
  // Called by a session from its finish(); freed after this dispatch.
  void sessionClosed(UdpSession* session);
  size_t sessionCount() const { return sessions_.size(); }

 private:
  void sweepIdle();
  void armSweep();
  // While the game is not up: answers `data` when it is a query; false for other traffic.
  bool answerQuery(const char* data, size_t len, const SocketAddress& from);

  ProxyContext& ctx_;
  PortMapping mapping_;
  UniqueFd fd_;
  std::unordered_map<std::string, std::unique_ptr<UdpSession>> sessions_;
  std::unordered_map<std::string, int> sessions_per_host_;  // --max-udp-sessions-per-address
  LoopTimer sweep_timer_{ctx_.loop};
  std::unique_ptr<QueryResponder> responder_;  // with --query on this port

  ScratchBuffer buffers_;  // the payloads of batch_
  DatagramBatch batch_;
};

}  // namespace gsp::proxy
