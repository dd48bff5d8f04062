// DatagramBatch: the headers for moving up to kCapacity datagrams with one
// recvmmsg, and for sending what arrived on with one sendmmsg. The payload
// bytes live in caller-provided storage (kCapacity slots of `slot` bytes).
// A value with no resources; one per socket loop. Thread-compatible.
#pragma once

#include <sys/socket.h>

#include <cstddef>

#include "socket_address.h"

namespace gsp::proxy {

class DatagramBatch {
 public:
  static constexpr int kCapacity = 32;

  // Reads what is waiting on `fd` (non-blocking). Returns the count, or -1
  // with errno set (EAGAIN when nothing is waiting). `with_sources` records
  // each sender's address.
  int receive(int fd, char* storage, size_t slot, bool with_sources);

  const char* data(int i) const { return static_cast<const char*>(iovs_[i].iov_base); }
  size_t length(int i) const { return msgs_[i].msg_len; }
  // Did datagram i not fit (truncated by the slot, or longer than `max`)?
  bool oversize(int i, size_t max) const {
    return (msgs_[i].msg_hdr.msg_flags & MSG_TRUNC) || msgs_[i].msg_len > max;
  }
  SocketAddress source(int i) const;

  // Keeps the datagrams for which keep(i) is true, packed at the front with
  // their lengths set for sending; returns how many. Sources are kept.
  template <typename Keep>
  int pack(int count, Keep keep) {
    int kept = 0;
    for (int i = 0; i < count; ++i) {
      if (!keep(i)) continue;
      iovs_[i].iov_len = msgs_[i].msg_len;
      if (kept != i) {
        msgs_[kept] = msgs_[i];
        iovs_[kept] = iovs_[i];
        addrs_[kept] = addrs_[i];
        if (msgs_[kept].msg_hdr.msg_name) msgs_[kept].msg_hdr.msg_name = &addrs_[kept];
      }
      msgs_[kept].msg_hdr.msg_iov = &iovs_[kept];
      ++kept;
    }
    return kept;
  }
  // Headers ready for sendmmsg after pack(): to their sources, or (without
  // sources) to whatever sendTo() set.
  mmsghdr* headers() { return msgs_; }
  iovec* iov(int i) { return &iovs_[i]; }

 private:
  mmsghdr msgs_[kCapacity];
  iovec iovs_[kCapacity];
  sockaddr_storage addrs_[kCapacity];
};

// Sends `count` packed datagrams of `batch` from `fd` to `to` (GSO runs as
// sendConnected); returns how many went.
int sendBatchTo(int fd, DatagramBatch& batch, int count, const SocketAddress& to);

// Sends `count` datagrams (their headers' iovecs, and addresses when set) from
// `fd`, like sendmmsg; all to one destination. Runs of equal-sized datagrams go as one UDP GSO send
// (UDP_SEGMENT): one trip through the network stack instead of one each,
// which leaves more CPU to the game that receives them (on a small host, a
// game starved of CPU is where a burst gets dropped). Falls back to sendmmsg
// where the kernel has no UDP GSO. Returns how many went (errno set when
// fewer), like sendmmsg.
int sendConnected(int fd, mmsghdr* msgs, int count);

}  // namespace gsp::proxy
