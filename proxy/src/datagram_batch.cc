#include "datagram_batch.h"

#include <cstring>

namespace gsp::proxy {

int DatagramBatch::receive(int fd, char* storage, size_t slot, bool with_sources) {
  for (int i = 0; i < kCapacity; ++i) {
    iovs_[i].iov_base = storage + static_cast<size_t>(i) * slot;
    iovs_[i].iov_len = slot;
    memset(&msgs_[i].msg_hdr, 0, sizeof(msghdr));
    msgs_[i].msg_hdr.msg_iov = &iovs_[i];
    msgs_[i].msg_hdr.msg_iovlen = 1;
    if (with_sources) {
      msgs_[i].msg_hdr.msg_name = &addrs_[i];
      msgs_[i].msg_hdr.msg_namelen = sizeof(sockaddr_storage);
    }
  }
  return recvmmsg(fd, msgs_, kCapacity, MSG_DONTWAIT, nullptr);
}

SocketAddress DatagramBatch::source(int i) const {
  SocketAddress a;
  memcpy(&a.storage, &addrs_[i], msgs_[i].msg_hdr.msg_namelen);
  a.length = msgs_[i].msg_hdr.msg_namelen;
  return a;
}

int sendBatchTo(int fd, DatagramBatch& batch, int count, const SocketAddress& to) {
  mmsghdr* msgs = batch.headers();
  for (int i = 0; i < count; ++i) {
    msgs[i].msg_hdr.msg_name = const_cast<sockaddr*>(to.get());
    msgs[i].msg_hdr.msg_namelen = to.length;
  }
  int sent = sendmmsg(fd, msgs, static_cast<unsigned>(count), 0);
  return sent < 0 ? 0 : sent;
}

}  // namespace gsp::proxy
