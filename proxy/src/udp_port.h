// UdpPort: one public UDP port. Datagrams are read in batches (recvmmsg); each
// client address gets a UdpSession with its own connected upstream socket, so
// replies can be told apart and sent back from the public port. Sessions expire
// after --udp-idle-timeout. Owns its sessions. Loop thread only.
#pragma once

#include <sys/socket.h>

#include <memory>
#include <string>
#include <unordered_map>

#include "datagram_batch.h"
#include "proxy_context.h"
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

  ProxyContext& ctx_;
  PortMapping mapping_;
  UniqueFd fd_;
  std::unordered_map<std::string, std::unique_ptr<UdpSession>> sessions_;
  LoopTimer sweep_timer_{ctx_.loop};

  ScratchBuffer buffers_;  // the payloads of batch_
  DatagramBatch batch_;
};

}  // namespace gsp::proxy
