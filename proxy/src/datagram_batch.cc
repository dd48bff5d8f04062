#include "datagram_batch.h"

#include <netinet/udp.h>

#include <atomic>
#include <cerrno>
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

namespace {

// Off for good once the kernel refuses UDP_SEGMENT (kernels before 4.18).
std::atomic<bool> gso_works{true};
constexpr int kMaxSegments = 64;          // the kernel's UDP_MAX_SEGMENTS (older kernels)
constexpr size_t kMaxGsoBytes = 60000;    // under one IP datagram's 65,507-byte payload

// Sends msgs[0, n) of one size `segment` as one GSO send (to the first's
// address, if it has one); true when it went.
bool sendSegments(int fd, mmsghdr* msgs, int n, size_t segment) {
  iovec iov[kMaxSegments];
  for (int i = 0; i < n; ++i) iov[i] = msgs[i].msg_hdr.msg_iov[0];
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(uint16_t))] = {};
  msghdr m{};
  m.msg_name = msgs[0].msg_hdr.msg_name;
  m.msg_namelen = msgs[0].msg_hdr.msg_namelen;
  m.msg_iov = iov;
  m.msg_iovlen = static_cast<size_t>(n);
  m.msg_control = control;
  m.msg_controllen = sizeof control;
  cmsghdr* c = CMSG_FIRSTHDR(&m);
  c->cmsg_level = SOL_UDP;
  c->cmsg_type = UDP_SEGMENT;
  c->cmsg_len = CMSG_LEN(sizeof(uint16_t));
  uint16_t size = static_cast<uint16_t>(segment);
  memcpy(CMSG_DATA(c), &size, sizeof size);
  return sendmsg(fd, &m, 0) >= 0;
}

}  // namespace

int sendBatchTo(int fd, DatagramBatch& batch, int count, const SocketAddress& to) {
  mmsghdr* msgs = batch.headers();
  for (int i = 0; i < count; ++i) {
    msgs[i].msg_hdr.msg_name = const_cast<sockaddr*>(to.get());
    msgs[i].msg_hdr.msg_namelen = to.length;
  }
  return sendConnected(fd, msgs, count);
}

int sendConnected(int fd, mmsghdr* msgs, int count) {
  int sent = 0;
  while (sent < count) {
    // The run of datagrams of the first one's size that fits one GSO send.
    const size_t segment = msgs[sent].msg_hdr.msg_iov[0].iov_len;
    int run = 1;
    size_t bytes = segment;
    while (sent + run < count && run < kMaxSegments && msgs[sent + run].msg_hdr.msg_iov[0].iov_len == segment &&
           bytes + segment <= kMaxGsoBytes) {
      bytes += segment;
      ++run;
    }
    if (run > 1 && segment > 0 && gso_works.load(std::memory_order_relaxed)) {
      if (sendSegments(fd, msgs + sent, run, segment)) {
        sent += run;
        continue;
      }
      if (errno != EINVAL && errno != EIO && errno != ENOPROTOOPT) return sent;  // EAGAIN, ECONNREFUSED...
      gso_works.store(false, std::memory_order_relaxed);
    }
    int n = sendmmsg(fd, msgs + sent, static_cast<unsigned>(run), 0);
    if (n <= 0) return sent;
    sent += n;
    if (n < run) return sent;
  }
  return sent;
}

}  // namespace gsp::proxy
