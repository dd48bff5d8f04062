// loadgen: the load generator of bench/proxy/proxy-bench.sh (not a test).
// One binary, one mode per run, results on stdout as "key=value" lines:
//   loadgen sink PORT                         TCP discard server (runs until killed)
//   loadgen tput PORT STREAMS SECONDS         upload throughput into a sink -> mbps
//   loadgen cps PORT SECONDS CONCURRENCY      connect, 1-byte echo, close -> cps
//   loadgen rtt PORT COUNT                    1-byte TCP ping-pong on one connection -> p50_us
//   loadgen udprtt PORT COUNT                 1-byte UDP ping-pong -> p50_us
//   loadgen udprate PORT RATE SECONDS SIZE    paced datagrams to an echo -> sent, received, loss_pct
//   loadgen idle PORT COUNT                   COUNT idle connections, held until stdin closes
// Targets are on 127.0.0.1. Single-threaded; bounded in time.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

double nowSec() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

sockaddr_in addr(int port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return a;
}

int tcpConnect(int port, bool nonblock) {
  int fd = socket(AF_INET, SOCK_STREAM | (nonblock ? SOCK_NONBLOCK : 0), 0);
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  sockaddr_in a = addr(port);
  if (connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 && errno != EINPROGRESS) {
    close(fd);
    return -1;
  }
  return fd;
}

int sink(int port) {
  int l = socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in a = addr(port);
  if (bind(l, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || listen(l, 1024) != 0) return perror("sink"), 1;
  int ep = epoll_create1(0);
  epoll_event ev{EPOLLIN, {.fd = l}};
  epoll_ctl(ep, EPOLL_CTL_ADD, l, &ev);
  std::vector<char> buf(1 << 20);
  epoll_event evs[64];
  while (true) {
    int n = epoll_wait(ep, evs, 64, -1);
    for (int i = 0; i < n; ++i) {
      int fd = evs[i].data.fd;
      if (fd == l) {
        int c = accept4(l, nullptr, nullptr, SOCK_NONBLOCK);
        if (c >= 0) {
          epoll_event ce{EPOLLIN, {.fd = c}};
          epoll_ctl(ep, EPOLL_CTL_ADD, c, &ce);
        }
        continue;
      }
      ssize_t r = read(fd, buf.data(), buf.size());
      if (r == 0 || (r < 0 && errno != EAGAIN)) close(fd);
    }
  }
}

int tput(int port, int streams, double seconds) {
  std::vector<int> fds;
  for (int i = 0; i < streams; ++i) {
    int fd = tcpConnect(port, false);
    if (fd < 0) return perror("connect"), 1;
    fcntl(fd, F_SETFL, O_NONBLOCK);
    fds.push_back(fd);
  }
  std::vector<char> buf(256 * 1024, 'x');
  std::vector<pollfd> p;
  for (int fd : fds) p.push_back({fd, POLLOUT, 0});
  double start = nowSec(), end = start + seconds;
  long long bytes = 0;
  while (nowSec() < end) {
    if (poll(p.data(), p.size(), 100) <= 0) continue;
    for (auto& q : p) {
      if (!(q.revents & POLLOUT)) continue;
      ssize_t w = send(q.fd, buf.data(), buf.size(), MSG_NOSIGNAL);
      if (w > 0) bytes += w;
    }
  }
  double took = nowSec() - start;
  for (int fd : fds) close(fd);
  printf("mbps=%.0f\n", bytes * 8 / took / 1e6);
  return 0;
}

// Concurrent loops of connect -> write 1 byte -> read 1 byte -> close.
int cps(int port, double seconds, int conc) {
  int ep = epoll_create1(0);
  struct Slot { int fd = -1; int stage = 0; };
  std::vector<Slot> slots(conc);
  auto open = [&](int i) {
    slots[i].fd = tcpConnect(port, true);
    slots[i].stage = 0;
    epoll_event ev{EPOLLOUT, {.u32 = static_cast<uint32_t>(i)}};
    epoll_ctl(ep, EPOLL_CTL_ADD, slots[i].fd, &ev);
  };
  for (int i = 0; i < conc; ++i) open(i);
  long long done = 0, errors = 0;
  double start = nowSec(), end = start + seconds;
  epoll_event evs[256];
  while (nowSec() < end) {
    int n = epoll_wait(ep, evs, 256, 100);
    for (int k = 0; k < n; ++k) {
      int i = static_cast<int>(evs[k].data.u32);
      Slot& s = slots[i];
      char c = 'x';
      bool fail = evs[k].events & (EPOLLERR | EPOLLHUP);
      if (!fail && s.stage == 0) {
        fail = send(s.fd, &c, 1, MSG_NOSIGNAL) != 1;
        s.stage = 1;
        epoll_event ev{EPOLLIN, {.u32 = static_cast<uint32_t>(i)}};
        epoll_ctl(ep, EPOLL_CTL_MOD, s.fd, &ev);
        if (!fail) continue;
      } else if (!fail) {
        fail = recv(s.fd, &c, 1, 0) != 1;
        if (!fail) ++done;
      }
      if (fail) ++errors;
      close(s.fd);
      open(i);
    }
  }
  double took = nowSec() - start;
  printf("cps=%.0f\nerrors=%lld\n", done / took, errors);
  return 0;
}

double median(std::vector<double>& v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

int rtt(int port, int count) {
  int fd = tcpConnect(port, false);
  if (fd < 0) return perror("connect"), 1;
  std::vector<double> us;
  char c = 'x';
  for (int i = 0; i < count + 100; ++i) {
    double t = nowSec();
    if (send(fd, &c, 1, 0) != 1 || recv(fd, &c, 1, 0) != 1) return fprintf(stderr, "rtt: connection lost\n"), 1;
    if (i >= 100) us.push_back((nowSec() - t) * 1e6);  // after a warm-up
  }
  close(fd);
  printf("p50_us=%.1f\n", median(us));
  return 0;
}

int udprtt(int port, int count) {
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in a = addr(port);
  connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  std::vector<double> us;
  char c = 'x';
  int lost = 0;
  for (int i = 0; i < count + 100; ++i) {
    double t = nowSec();
    send(fd, &c, 1, 0);
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 1000) != 1 || recv(fd, &c, 1, 0) != 1) {
      ++lost;
      continue;
    }
    if (i >= 100) us.push_back((nowSec() - t) * 1e6);
  }
  close(fd);
  if (us.empty()) return fprintf(stderr, "udprtt: no replies\n"), 1;
  printf("p50_us=%.1f\nlost=%d\n", median(us), lost);
  return 0;
}

// Sends RATE datagrams/s in 1 ms batches and counts the echoes.
int udprate(int port, long rate, double seconds, int size) {
  int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
  int big = 8 << 20;
  setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof big);
  setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &big, sizeof big);
  sockaddr_in a = addr(port);
  connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  std::vector<char> payload(size, 'u');
  // One datagram first, so proxies create the session before the flood.
  send(fd, payload.data(), payload.size(), 0);
  pollfd p{fd, POLLIN, 0};
  if (poll(&p, 1, 3000) != 1) return fprintf(stderr, "udprate: no echo\n"), 1;
  char rbuf[65536];
  while (recv(fd, rbuf, sizeof rbuf, 0) > 0) {}
  const int kBatch = 64;
  mmsghdr msgs[kBatch];
  iovec iov{payload.data(), payload.size()};
  for (auto& m : msgs) {
    memset(&m, 0, sizeof m);
    m.msg_hdr.msg_iov = &iov;
    m.msg_hdr.msg_iovlen = 1;
  }
  mmsghdr rmsgs[kBatch];
  static char rbufs[kBatch][2048];
  iovec riov[kBatch];
  for (int i = 0; i < kBatch; ++i) {
    riov[i] = {rbufs[i], sizeof rbufs[i]};
    memset(&rmsgs[i], 0, sizeof rmsgs[i]);
    rmsgs[i].msg_hdr.msg_iov = &riov[i];
    rmsgs[i].msg_hdr.msg_iovlen = 1;
  }
  long long sent = 0, received = 0;
  double start = nowSec(), end = start + seconds;
  auto drain = [&] {
    int n;
    while ((n = recvmmsg(fd, rmsgs, kBatch, MSG_DONTWAIT, nullptr)) > 0) received += n;
  };
  while (true) {
    double t = nowSec();
    if (t >= end) break;
    long long due = static_cast<long long>((t - start) * rate);
    while (sent < due) {
      int want = static_cast<int>(std::min<long long>(kBatch, due - sent));
      int n = sendmmsg(fd, msgs, want, 0);
      if (n <= 0) break;  // socket full: those are not sent, and not counted
      sent += n;
    }
    drain();
    // Sleep until the next 1 ms tick or an echo arrives: a spinning sender would
    // take a core from the proxy under test (this machine has two).
    double next = start + static_cast<double>(sent + kBatch / 2) / rate;
    double wait = std::max(0.0, std::min(next, end) - nowSec());
    timespec ts{0, static_cast<long>(std::min(wait, 0.001) * 1e9)};
    pollfd q{fd, POLLIN, 0};
    ppoll(&q, 1, &ts, nullptr);
  }
  double drain_until = nowSec() + 0.5;
  while (nowSec() < drain_until) {
    drain();
    pollfd q{fd, POLLIN, 0};
    poll(&q, 1, 10);
  }
  double took = seconds;
  printf("sent=%lld\nreceived=%lld\nsent_per_s=%.0f\nreceived_per_s=%.0f\nloss_pct=%.2f\n", sent, received, sent / took,
         received / took, sent ? 100.0 * (sent - received) / sent : 0.0);
  return 0;
}

int idle(int port, int count) {
  std::vector<int> fds;
  for (int i = 0; i < count; ++i) {
    int fd = tcpConnect(port, false);
    if (fd < 0) return perror("connect"), 1;
    fds.push_back(fd);
  }
  printf("open=%d\n", count);
  fflush(stdout);
  char c;
  while (read(0, &c, 1) > 0) {}
  for (int fd : fds) close(fd);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string mode = argc > 1 ? argv[1] : "";
  auto arg = [&](int i) { return i < argc ? atof(argv[i]) : 0.0; };
  if (mode == "sink" && argc == 3) return sink(static_cast<int>(arg(2)));
  if (mode == "tput" && argc == 5) return tput(static_cast<int>(arg(2)), static_cast<int>(arg(3)), arg(4));
  if (mode == "cps" && argc == 5) return cps(static_cast<int>(arg(2)), arg(3), static_cast<int>(arg(4)));
  if (mode == "rtt" && argc == 4) return rtt(static_cast<int>(arg(2)), static_cast<int>(arg(3)));
  if (mode == "udprtt" && argc == 4) return udprtt(static_cast<int>(arg(2)), static_cast<int>(arg(3)));
  if (mode == "udprate" && argc == 6)
    return udprate(static_cast<int>(arg(2)), static_cast<long>(arg(3)), arg(4), static_cast<int>(arg(5)));
  if (mode == "idle" && argc == 4) return idle(static_cast<int>(arg(2)), static_cast<int>(arg(3)));
  fprintf(stderr, "usage: see the comment at the top of loadgen.cc\n");
  return 2;
}
