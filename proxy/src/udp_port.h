// UdpPort: one public UDP port. Datagrams are read in batches (recvmmsg); each
// client address gets a UdpSession with its own connected upstream socket, so
// replies can be told apart and sent back from the public port. Sessions expire
// after --udp-idle-timeout. Owns its sessions. Loop thread only.
#pragma once

#include <sys/socket.h>

#include <memory>
#include <string>
#include <unordered_map>

#include "proxy_context.h"
#include "scratch_buffer.h"
#include "udp_session.h"

namespace gsp::proxy {

class UdpPort : public IoHandler {
 public:
  static constexpr int kBatch = 32;
  static constexpr int kMaxBatchesPerWakeup = 4;

  UdpPort(ProxyContext& ctx, const PortMapping& mapping);
  ~UdpPort() override;

  Status bind(const std::string& address);
  void onIo(uint32_t events) override;

  int fd() const { return fd_.get(); }
  const PortMapping& mapping() const { return mapping_; }
  // Sends `count` datagrams from the public port to `to` (batched); drops and
  // counts what the socket cannot take right now.
  void sendToClient(const SocketAddress& to, mmsghdr* msgs, int count);
  // Called by a session from its finish(); freed after this dispatch.
  void sessionClosed(UdpSession* session);
  size_t sessionCount() const { return sessions_.size(); }

 private:
  void sweepIdle();

  ProxyContext& ctx_;
  PortMapping mapping_;
  UniqueFd fd_;
  std::unordered_map<std::string, std::unique_ptr<UdpSession>> sessions_;
  EventLoop::TimerId sweep_timer_ = 0;

  // recvmmsg buffers, reused for every batch.
  ScratchBuffer buffers_;
  mmsghdr msgs_[kBatch];
  iovec iovs_[kBatch];
  sockaddr_storage addrs_[kBatch];
};

}  // namespace gsp::proxy
